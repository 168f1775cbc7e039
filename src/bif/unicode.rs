//! BIFs of module `unicode`.

use super::{badarg, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Latin1,
    Utf8,
    Utf16(bool),
    Utf32(bool),
}

fn enc(t: Term) -> Option<Enc> {
    let little = |t: Term| -> Option<bool> {
        match t.as_atom()?.as_str() {
            "little" => Some(true),
            "big" => Some(false),
            _ => None,
        }
    };
    if let Some([k, e]) = t.as_tuple() {
        return match k.as_atom()?.as_str() {
            "utf16" => Some(Enc::Utf16(little(*e)?)),
            "utf32" => Some(Enc::Utf32(little(*e)?)),
            _ => None,
        };
    }
    Some(match t.as_atom()?.as_str() {
        "latin1" => Enc::Latin1,
        "unicode" | "utf8" => Enc::Utf8,
        "utf16" => Enc::Utf16(false),
        "utf32" => Enc::Utf32(false),
        _ => return None,
    })
}

/// Result of decoding: characters, then an optional error/incomplete rest.
enum Stop {
    Done,
    Error(Term),
    Incomplete(Term),
}

fn decode_bin(p: &mut Process, bytes: &[u8], e: Enc, out: &mut Vec<u32>) -> Stop {
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let (c, n) = match e {
            Enc::Latin1 => (rest[0] as u32, 1),
            Enc::Utf8 => {
                let b0 = rest[0];
                let n = if b0 < 0x80 {
                    1
                } else if b0 & 0xE0 == 0xC0 {
                    2
                } else if b0 & 0xF0 == 0xE0 {
                    3
                } else if b0 & 0xF8 == 0xF0 {
                    4
                } else {
                    0
                };
                if n == 0 {
                    return Stop::Error(p.heap.binary(rest));
                }
                if rest.len() < n {
                    // A valid prefix is incomplete, else an error.
                    let ok = rest[1..].iter().all(|b| b & 0xC0 == 0x80);
                    let t = p.heap.binary(rest);
                    return if ok {
                        Stop::Incomplete(t)
                    } else {
                        Stop::Error(t)
                    };
                }
                match std::str::from_utf8(&rest[..n])
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    Some(c) => (c as u32, n),
                    None => return Stop::Error(p.heap.binary(rest)),
                }
            }
            Enc::Utf16(le) => {
                if rest.len() < 2 {
                    return Stop::Incomplete(p.heap.binary(rest));
                }
                let w = |k: usize| {
                    if le {
                        u16::from_le_bytes([rest[k], rest[k + 1]])
                    } else {
                        u16::from_be_bytes([rest[k], rest[k + 1]])
                    }
                };
                let w1 = w(0);
                if (0xD800..0xDC00).contains(&w1) {
                    if rest.len() < 4 {
                        return Stop::Incomplete(p.heap.binary(rest));
                    }
                    let w2 = w(2);
                    if !(0xDC00..0xE000).contains(&w2) {
                        return Stop::Error(p.heap.binary(rest));
                    }
                    (
                        0x10000 + (((w1 as u32) - 0xD800) << 10) + ((w2 as u32) - 0xDC00),
                        4,
                    )
                } else if (0xDC00..0xE000).contains(&w1) {
                    return Stop::Error(p.heap.binary(rest));
                } else {
                    (w1 as u32, 2)
                }
            }
            Enc::Utf32(le) => {
                if rest.len() < 4 {
                    return Stop::Incomplete(p.heap.binary(rest));
                }
                let b = [rest[0], rest[1], rest[2], rest[3]];
                let c = if le {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                };
                if char::from_u32(c).is_none() {
                    return Stop::Error(p.heap.binary(rest));
                }
                (c, 4)
            }
        };
        out.push(c);
        i += n;
    }
    Stop::Done
}

/// Decodes chardata; `Err(())` is badarg.
fn decode(p: &mut Process, t: Term, e: Enc, out: &mut Vec<u32>) -> Result<Stop, ()> {
    if let Some(b) = t.binary_bytes() {
        let b = b.to_vec();
        return Ok(decode_bin(p, &b, e, out));
    }
    if !t.is_list() {
        return Err(());
    }
    let mut cur = t;
    while let Some((h, tl)) = cur.as_cons() {
        if let Some(c) = h.as_small() {
            if c < 0 || char::from_u32(c as u32).is_none() || (e == Enc::Latin1 && c > 255) {
                // Rest of the list from here.
                return Ok(Stop::Error(cur));
            }
            out.push(c as u32);
        } else {
            match decode(p, h, e, out)? {
                Stop::Done => {}
                Stop::Error(r) => {
                    let rest = if r.is_nil() { h } else { r };
                    let l = p.heap.cons(rest, tl);
                    return Ok(Stop::Error(l));
                }
                Stop::Incomplete(r) => {
                    let l = p.heap.cons(r, tl);
                    return Ok(Stop::Incomplete(l));
                }
            }
        }
        cur = tl;
    }
    if !cur.is_nil() {
        if cur.is_binary() {
            return decode(p, cur, e, out);
        }
        return Err(());
    }
    Ok(Stop::Done)
}

fn encode(cs: &[u32], e: Enc) -> Option<Vec<u8>> {
    let mut v = Vec::new();
    for &c in cs {
        match e {
            Enc::Latin1 => {
                if c > 255 {
                    return None;
                }
                v.push(c as u8)
            }
            Enc::Utf8 => {
                let ch = char::from_u32(c)?;
                let mut b = [0; 4];
                v.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            }
            Enc::Utf16(le) => {
                let ch = char::from_u32(c)?;
                let mut u = [0u16; 2];
                for w in ch.encode_utf16(&mut u).iter() {
                    v.extend_from_slice(&if le { w.to_le_bytes() } else { w.to_be_bytes() });
                }
            }
            Enc::Utf32(le) => {
                v.extend_from_slice(&if le { c.to_le_bytes() } else { c.to_be_bytes() })
            }
        }
    }
    Some(v)
}

fn convert(p: &mut Process, data: Term, inenc: Enc, outenc: Option<Enc>) -> BifResult {
    let mut cs = Vec::new();
    let stop = decode(p, data, inenc, &mut cs).map_err(|_| badarg())?;
    // Characters not representable in the output encoding stop conversion.
    let (good, bad): (Vec<u32>, Option<usize>) = match outenc {
        Some(Enc::Latin1) => match cs.iter().position(|c| *c > 255) {
            Some(i) => (cs[..i].to_vec(), Some(i)),
            None => (cs.clone(), None),
        },
        _ => (cs.clone(), None),
    };
    let conv = |p: &mut Process, cs: &[u32]| -> Term {
        match outenc {
            Some(e) => {
                let b = encode(cs, e).unwrap_or_default();
                p.heap.binary_from_vec(b)
            }
            None => {
                let v: Vec<Term> = cs
                    .iter()
                    .map(|c| Term::small_unchecked(*c as i64))
                    .collect();
                p.heap.list_from(&v, Term::NIL)
            }
        }
    };
    if let Some(i) = bad {
        let done = conv(p, &good);
        let rest: Vec<Term> = cs[i..]
            .iter()
            .map(|c| Term::small_unchecked(*c as i64))
            .collect();
        let r = p.heap.list_from(&rest, Term::NIL);
        let rl = p.heap.cons(r, Term::NIL);
        return Ok(p.heap.tuple(&[Term::ERROR, done, rl]));
    }
    let done = conv(p, &good);
    Ok(match stop {
        Stop::Done => done,
        Stop::Error(r) => p.heap.tuple(&[Term::ERROR, done, r]),
        Stop::Incomplete(r) => p.heap.tuple(&[
            Term::atom(crate::atom::Atom::from_static("incomplete")),
            done,
            r,
        ]),
    })
}

/// Latin-1 or UTF-8 input (what ERTS converts in C); `None` for any other
/// encoding term, which ERTS hands to the Erlang implementation.
fn c_enc(t: Term) -> Option<Enc> {
    enc(t).filter(|e| matches!(e, Enc::Latin1 | Enc::Utf8) && t.is_atom())
}

/// `unicode:characters_to_binary/2`.
pub fn characters_to_binary_2(p: &mut Process, a: &[Term]) -> BifResult {
    match c_enc(a[1]) {
        Some(e) => convert(p, a[0], e, Some(Enc::Utf8)),
        None => trap_with(p, "characters_to_binary_int", a),
    }
}

/// `unicode:characters_to_list/2`.
pub fn characters_to_list_2(p: &mut Process, a: &[Term]) -> BifResult {
    match c_enc(a[1]) {
        Some(e) => convert(p, a[0], e, None),
        None => trap_with(p, "characters_to_list_int", a),
    }
}

/// ERTS's trap to `unicode:F(Data, Encoding)` (Erlang code) for input
/// encodings other than latin1/unicode/utf8.
fn trap_with(p: &mut Process, f: &'static str, a: &[Term]) -> BifResult {
    let args = p.heap.list_from(a, Term::NIL);
    Err(super::BifErr::Apply {
        module: Term::atom(crate::atom::Atom::from_static("unicode")),
        function: Term::atom(crate::atom::Atom::from_static(f)),
        args,
    })
}

/// `unicode:bin_is_7bit/1`.
pub fn bin_is_7bit_1(_p: &mut Process, a: &[Term]) -> BifResult {
    Ok(Term::bool(
        a[0].binary_bytes()
            .is_some_and(|b| b.iter().all(|c| *c < 128)),
    ))
}
