//! Map helpers for the interpreter and the `maps` BIFs (over
//! [`crate::term::map`]).

use super::{badarg, BifResult, Exc};
use crate::atom::{atoms, Atom};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::map::{self, Duplicates};
use crate::term::Term;

/// Builds a map from pairs (last duplicate wins).
pub fn build_map<B: HeapBuilder + ?Sized>(b: &mut B, pairs: Vec<(Term, Term)>) -> Option<Term> {
    map::from_pairs(b, &pairs, Duplicates::LastWins)
}

/// `map[key]`.
#[inline]
pub fn get(m: Term, key: Term) -> Option<Term> {
    map::get(m, key)
}

/// `map#{k => v, ...}`.
pub fn put_all<B: HeapBuilder + ?Sized>(b: &mut B, m: Term, kv: &[(Term, Term)]) -> Option<Term> {
    if kv.is_empty() {
        return Some(m);
    }
    let mut pairs = map::to_pairs(m);
    pairs.extend_from_slice(kv);
    map::from_pairs(b, &pairs, Duplicates::LastWins)
}

fn badmap(p: &mut Process, m: Term) -> super::BifErr {
    let r = p.heap.tuple(&[Term::atom(atoms::BADMAP), m]);
    Exc::error(r).into()
}

/// `maps:get/2`.
pub fn get_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    match get(a[1], a[0]) {
        Some(v) => Ok(v),
        None => {
            let r = p.heap.tuple(&[Term::atom(atoms::BADKEY), a[0]]);
            Err(Exc::error(r).into())
        }
    }
}

/// `maps:find/2`.
pub fn find_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    Ok(match get(a[1], a[0]) {
        Some(v) => p.heap.tuple(&[Term::OK, v]),
        None => Term::atom(Atom::from_static("error")),
    })
}

/// `maps:is_key/2`.
pub fn is_key_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    Ok(Term::bool(get(a[1], a[0]).is_some()))
}

/// `maps:put/3`.
pub fn put_3(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[2].is_map() {
        return Err(badmap(p, a[2]));
    }
    put_all(&mut p.heap, a[2], &[(a[0], a[1])]).ok_or_else(badarg)
}

/// `maps:remove/2`.
pub fn remove_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    if get(a[1], a[0]).is_none() {
        return Ok(a[1]);
    }
    let pairs: Vec<(Term, Term)> = map::to_pairs(a[1])
        .into_iter()
        .filter(|(k, _)| !crate::emulator::compare::eq_exact(*k, a[0]))
        .collect();
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `maps:to_list/1`.
pub fn to_list_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let pairs = map::to_pairs(a[0]);
    let v: Vec<Term> = pairs.iter().map(|(k, v)| p.heap.tuple(&[*k, *v])).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:keys/1`.
pub fn keys_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let v: Vec<Term> = map::to_pairs(a[0]).iter().map(|kv| kv.0).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:values/1`.
pub fn values_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let v: Vec<Term> = map::to_pairs(a[0]).iter().map(|kv| kv.1).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:from_list/1`.
pub fn from_list_1(p: &mut Process, a: &[Term]) -> BifResult {
    let l = a[0].list_to_vec().ok_or_else(badarg)?;
    let mut pairs = Vec::with_capacity(l.len());
    for e in l {
        match e.as_tuple() {
            Some([k, v]) => pairs.push((*k, *v)),
            _ => return Err(badarg()),
        }
    }
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `maps:merge/2`.
pub fn merge_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    let kv = map::to_pairs(a[1]);
    put_all(&mut p.heap, a[0], &kv).ok_or_else(badarg)
}

/// `maps:new/0`.
pub fn new_0(p: &mut Process, _a: &[Term]) -> BifResult {
    build_map(&mut p.heap, Vec::new()).ok_or_else(badarg)
}

/// `map_size/1`.
pub fn map_size_1(p: &mut Process, a: &[Term]) -> BifResult {
    match a[0].map_size() {
        Some(n) => Ok(Term::small_unchecked(n as i64)),
        None => Err(badmap(p, a[0])),
    }
}

/// `is_map_key/2`.
pub fn is_map_key_2(p: &mut Process, a: &[Term]) -> BifResult {
    is_key_2(p, a)
}

/// `map_get/2`.
pub fn map_get_2(p: &mut Process, a: &[Term]) -> BifResult {
    get_2(p, a)
}

/// `maps:take/2`.
pub fn take_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    match get(a[1], a[0]) {
        None => Ok(Term::atom(Atom::from_static("error"))),
        Some(v) => {
            let m = remove_2(p, a)?;
            Ok(p.heap.tuple(&[v, m]))
        }
    }
}

/// `maps:from_keys/2`.
pub fn from_keys_2(p: &mut Process, a: &[Term]) -> BifResult {
    let l = a[0].list_to_vec().ok_or_else(badarg)?;
    let pairs = l.into_iter().map(|k| (k, a[1])).collect();
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `erts_internal:map_next/3`: this implementation returns the whole
/// rest at once (storage order for iterators; the `list` form conses in
/// storage order, giving `maps:to_list/1`'s order).
pub fn map_next_3(p: &mut Process, a: &[Term]) -> BifResult {
    let (path, m, kind) = (a[0], a[1], a[2]);
    if !m.is_map() {
        return Err(badarg());
    }
    let start = path.as_small().filter(|s| *s >= 0).ok_or_else(badarg)? as usize;
    let leaves = map::hamt_leaves(m);
    if kind == Term::atom(Atom::from_static("iterator")) {
        let mut res = Term::atom(Atom::from_static("none"));
        for (k, v) in leaves.iter().skip(start).rev() {
            res = p.heap.tuple(&[*k, *v, res]);
        }
        Ok(res)
    } else if kind.is_list() {
        let mut res = kind;
        let flat = matches!(m.as_map(), Some(crate::term::MapView::Flat { .. }));
        if flat {
            for (k, v) in leaves.iter().skip(start).rev() {
                let t = p.heap.tuple(&[*k, *v]);
                res = p.heap.cons(t, res);
            }
        } else {
            for (k, v) in leaves.iter().skip(start) {
                let t = p.heap.tuple(&[*k, *v]);
                res = p.heap.cons(t, res);
            }
        }
        Ok(res)
    } else {
        Err(badarg())
    }
}

/// `maps:update/3`.
pub fn update_3(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[2].is_map() {
        return Err(badmap(p, a[2]));
    }
    if get(a[2], a[0]).is_none() {
        let r = p.heap.tuple(&[Term::atom(atoms::BADKEY), a[0]]);
        return Err(Exc::error(r).into());
    }
    put_all(&mut p.heap, a[2], &[(a[0], a[1])]).ok_or_else(badarg)
}
