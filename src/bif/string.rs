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

/// The byte ERTS reads from a list element: `unsigned_val` of the small
/// integer truncated to a byte (so 307 reads as `'3'`).
fn byte_of(t: Term) -> Option<u8> {
    t.as_small().map(|v| v as u64 as u8)
}

/// `string:list_to_integer/1` (ERTS `erts_list_to_integer`, base 10).
pub fn list_to_integer_1(p: &mut Process, a: &[Term]) -> BifResult {
    let mut lst = a[0];
    if lst.is_nil() {
        return err(p, "no_integer");
    }
    if !lst.is_cons() {
        return err(p, "not_a_list");
    }
    let mut neg = false;
    if let Some((h, tl)) = lst.as_cons() {
        if h.as_small() == Some(b'-' as i64) || h.as_small() == Some(b'+' as i64) {
            neg = h.as_small() == Some(b'-' as i64);
            if !tl.is_cons() {
                return err(p, "no_integer");
            }
            lst = tl;
        }
    }
    let mut digits = String::new();
    while let Some((h, tl)) = lst.as_cons() {
        match byte_of(h) {
            Some(c) if c.is_ascii_digit() => digits.push(c as char),
            _ => break,
        }
        lst = tl;
    }
    if digits.is_empty() {
        return err(p, "no_integer");
    }
    let mut v: num_bigint::BigInt = digits.parse().unwrap_or_default();
    if neg {
        v = -v;
    }
    let n = p.heap.integer_from_bigint(&v);
    Ok(p.heap.tuple(&[n, lst]))
}

/// Where `string:list_to_float/1`'s scanner is (ERTS `bif.c`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Sign,
    Int,
    Frac,
    ExpSign,
    Exp0,
    Exp1,
    End,
}

/// `string:list_to_float/1`: a port of ERTS's scanner (`.` or `,` as the
/// decimal point; an `e` not followed by an exponent is left in the rest).
pub fn list_to_float_1(p: &mut Process, a: &[Term]) -> BifResult {
    use Part::*;
    let mut list = a[0];
    if list.is_nil() {
        return err(p, "no_float");
    }
    if !list.is_cons() {
        return err(p, "not_a_list");
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut part = Sign;
    let (mut i_mem, mut list_mem) = (0usize, list);
    while let Some((h, tl)) = list.as_cons() {
        let Some(c) = h.as_small() else {
            if matches!(part, ExpSign | Exp0) {
                buf.truncate(i_mem);
                list = list_mem;
            }
            break;
        };
        let mut load_e = false;
        let mut store = true;
        match c {
            0x2D => {
                // '-'
                part = match part {
                    Sign => Int,
                    ExpSign => Exp0,
                    Exp0 => {
                        load_e = true;
                        End
                    }
                    _ => End,
                }
            }
            0x2B => {
                // '+'
                part = match part {
                    Sign => {
                        store = false;
                        Int
                    }
                    ExpSign => Exp0,
                    Exp0 => {
                        load_e = true;
                        End
                    }
                    _ => End,
                }
            }
            0x2E | 0x2C => {
                // '.' or ','
                part = match part {
                    Int => Frac,
                    ExpSign | Exp0 => {
                        load_e = true;
                        End
                    }
                    _ => End,
                }
            }
            0x45 | 0x65 => {
                // 'E' or 'e'
                part = match part {
                    Frac => {
                        i_mem = buf.len();
                        list_mem = list;
                        ExpSign
                    }
                    Exp0 | ExpSign => {
                        load_e = true;
                        End
                    }
                    _ => End,
                }
            }
            0x30..=0x39 => {
                part = match part {
                    Sign => Int,
                    ExpSign | Exp0 => Exp1,
                    other => other,
                }
            }
            _ => {
                if matches!(part, ExpSign | Exp0) {
                    buf.truncate(i_mem);
                    list = list_mem;
                }
                break;
            }
        }
        if load_e {
            buf.truncate(i_mem);
            list = list_mem;
        }
        if part == End {
            if buf.len() < 3 {
                return err(p, "no_float");
            }
            break;
        }
        if store {
            buf.push(c as u8);
        }
        list = tl;
        if !list.is_cons() {
            if matches!(part, ExpSign | Exp0) {
                buf.truncate(i_mem);
                list = list_mem;
            }
            break;
        }
    }
    if buf.is_empty() {
        return err(p, "no_float");
    }
    let Some(f) = chars_to_double(&buf) else {
        return err(p, "no_float");
    };
    let n = p.heap.float(f);
    Ok(p.heap.tuple(&[n, list]))
}

/// ERTS `sys_chars_to_double`: `[+-]digits[.,]digits([eE][+-]digits)?`,
/// finite.
fn chars_to_double(s: &[u8]) -> Option<f64> {
    let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > st
    };
    if !digits(&mut i) || !matches!(s.get(i), Some(b'.' | b',')) {
        return None;
    }
    i += 1;
    if !digits(&mut i) {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    let txt: String = s
        .iter()
        .map(|&b| if b == b',' { '.' } else { b as char })
        .collect();
    txt.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `io:printable_range/0` (the `+pc` default).
pub fn printable_range_0(_p: &mut Process, _a: &[Term]) -> BifResult {
    Ok(Term::atom(crate::atom::atoms::LATIN1))
}
