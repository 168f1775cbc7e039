//! BIFs of module `string` (the legacy `to_integer`/`to_float` helpers).

use super::BifResult;
use crate::atom::Atom;
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

fn err(p: &mut Process, what: &str) -> BifResult {
    Ok(p.heap
        .tuple(&[Term::ERROR, Term::atom(Atom::from_static(what))]))
}

/// Leading characters of a list that are small integers (a prefix), and
/// the list cell where they stop.
fn prefix(t: Term) -> Option<(Vec<u8>, Vec<Term>)> {
    let mut chars = Vec::new();
    let mut cells = Vec::new();
    let mut cur = t;
    while let Some((h, tl)) = cur.as_cons() {
        match h.as_small() {
            Some(c) if (0..128).contains(&c) => {
                chars.push(c as u8);
                cells.push(cur);
                cur = tl;
            }
            _ => break,
        }
    }
    cells.push(cur);
    if !cur.is_list() && !cur.is_cons() && !cur.is_nil() {
        return None;
    }
    Some((chars, cells))
}

/// Scans an optional sign and then decimal digits at the start of `s`:
/// (index where the digits start, index just after them).
fn signed_digits(s: &[u8]) -> (usize, usize) {
    let ds = usize::from(matches!(s.first(), Some(b'-' | b'+')));
    let end = ds + s[ds..].iter().take_while(|b| b.is_ascii_digit()).count();
    (ds, end)
}

/// `string:list_to_integer/1`.
pub fn list_to_integer_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_list() {
        return err(p, "not_a_list");
    }
    let Some((s, cells)) = prefix(a[0]) else {
        return err(p, "not_a_list");
    };
    let (ds, i) = signed_digits(&s);
    if i == ds {
        return err(p, "no_integer");
    }
    let txt = std::str::from_utf8(&s[..i]).unwrap_or("0");
    let v: num_bigint::BigInt = txt.trim_start_matches('+').parse().unwrap_or_default();
    let n = p.heap.integer_from_bigint(&v);
    let rest = cells.get(i).copied().unwrap_or(Term::NIL);
    Ok(p.heap.tuple(&[n, rest]))
}

/// `string:list_to_float/1`.
pub fn list_to_float_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_list() {
        return err(p, "not_a_list");
    }
    let Some((s, cells)) = prefix(a[0]) else {
        return err(p, "not_a_list");
    };
    let (ds, mut i) = signed_digits(&s);
    if i == ds || i >= s.len() || s[i] != b'.' {
        return err(p, "no_float");
    }
    i += 1;
    let fs = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    if i == fs {
        return err(p, "no_float");
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'-' || s[j] == b'+') {
            j += 1;
        }
        let es = j;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        if j > es {
            i = j;
        }
    }
    let txt = std::str::from_utf8(&s[..i]).unwrap_or("0");
    let Ok(f) = txt.parse::<f64>() else {
        return err(p, "no_float");
    };
    if !f.is_finite() {
        return err(p, "no_float");
    }
    let n = p.heap.float(f);
    let rest = cells.get(i).copied().unwrap_or(Term::NIL);
    Ok(p.heap.tuple(&[n, rest]))
}

/// `io:printable_range/0` (the `+pc` default).
pub fn printable_range_0(_p: &mut Process, _a: &[Term]) -> BifResult {
    Ok(Term::atom(crate::atom::atoms::LATIN1))
}
