//! BIFs of module `lists`.

use super::{badarg, BifResult};
use crate::emulator::compare::{eq, eq_exact};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

type A<'a> = &'a [Term];

/// `lists:reverse/2`.
pub fn reverse_2(p: &mut Process, a: A) -> BifResult {
    let mut acc = a[1];
    let mut it = a[0].iter_list();
    let v: Vec<Term> = it.by_ref().collect();
    if !it.tail().is_nil() {
        return Err(badarg());
    }
    for h in v {
        acc = p.heap.cons(h, acc);
    }
    Ok(acc)
}

/// `lists:member/2`.
pub fn member_2(_p: &mut Process, a: A) -> BifResult {
    let mut it = a[1].iter_list();
    for h in it.by_ref() {
        if eq_exact(h, a[0]) {
            return Ok(Term::TRUE);
        }
    }
    if it.tail().is_nil() {
        Ok(Term::FALSE)
    } else {
        Err(badarg())
    }
}

fn keyfind(a: A) -> Result<Option<Term>, super::BifErr> {
    let n = a[1].as_small().filter(|n| *n >= 1).ok_or_else(badarg)? as usize;
    let key = a[0];
    let mut it = a[2].iter_list();
    for t in it.by_ref() {
        if let Some(el) = t.as_tuple() {
            if let Some(k) = el.get(n - 1) {
                let m = if key.is_float() || k.is_float() {
                    eq(*k, key)
                } else {
                    eq_exact(*k, key)
                };
                if m {
                    return Ok(Some(t));
                }
            }
        }
    }
    if it.tail().is_nil() {
        Ok(None)
    } else {
        Err(badarg())
    }
}

/// `lists:keyfind/3`.
pub fn keyfind_3(_p: &mut Process, a: A) -> BifResult {
    Ok(keyfind(a)?.unwrap_or(Term::FALSE))
}

/// `lists:keymember/3`.
pub fn keymember_3(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(keyfind(a)?.is_some()))
}

/// `lists:keysearch/3`.
pub fn keysearch_3(p: &mut Process, a: A) -> BifResult {
    Ok(match keyfind(a)? {
        Some(t) => p.heap.tuple(&[Term::atom(crate::atom::atoms::VALUE), t]),
        None => Term::FALSE,
    })
}
