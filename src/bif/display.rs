//! `erlang:display/1` formatting, byte for byte as ERTS's
//! `erl_printf_term.c` (`%T`): printable lists as strings, floats as C's
//! `%.6e`, printable binaries as `<<"...">>`, atoms quoted when needed.

use crate::atom::Atom;
use crate::term::{MapView, Term, TermView};

/// C's `%.{prec}e` formatting (`1.500000e+00`).
pub fn c_exp(f: f64, prec: usize) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{:.*e}", prec, f);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn is_lower(c: u32) -> bool {
    (b'a' as u32..=b'z' as u32).contains(&c) || ((0xDF..=0xFF).contains(&c) && c != 0xF7)
}

fn is_alnum(c: u32) -> bool {
    is_lower(c)
        || (b'A' as u32..=b'Z' as u32).contains(&c)
        || (b'0' as u32..=b'9' as u32).contains(&c)
        || ((0xC0..=0xDE).contains(&c) && c != 0xD7)
}

/// Writes an atom as ERTS prints it (quoted when needed).
pub fn write_atom(out: &mut Vec<u8>, a: Atom) {
    let s = a.as_bytes();
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    let latin1 = |i: usize| -> u32 {
        let c1 = s[i] as u32;
        let c2 = s.get(i + 1).copied().unwrap_or(0) as u32;
        if c1 & 0x80 == 0 {
            c1
        } else if c1 & 0xE0 == 0xC0 {
            ((c1 & 0x1F) << 6) | (c2 & 0x3F)
        } else if c1 & 0xC0 == 0x80 {
            'a' as u32
        } else {
            0
        }
    };
    let mut need_quote = !is_lower(latin1(0));
    if !need_quote {
        for i in 1..s.len() {
            let lc = latin1(i);
            if !is_alnum(lc) && lc != '_' as u32 {
                need_quote = true;
                break;
            }
        }
    }
    if need_quote {
        out.push(b'\'');
    }
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        match c {
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0B => out.extend_from_slice(b"\\v"),
            c if c < b' ' => out.extend_from_slice(format!("\\{:03o}", c).as_bytes()),
            c if c >= 0x80 => {
                let n = if c & 0xE0 == 0xC0 {
                    2
                } else if c & 0xF0 == 0xE0 {
                    3
                } else {
                    4
                };
                if c == 0xC2 && s.get(i).is_some_and(|&d| d < 0xA0) {
                    out.extend_from_slice(format!("\\{:03o}", s[i]).as_bytes());
                    i += 1;
                } else {
                    let end = (i - 1 + n).min(s.len());
                    out.extend_from_slice(&s[i - 1..end]);
                    i = end;
                }
            }
            c => out.push(c),
        }
    }
    if need_quote {
        out.push(b'\'');
    }
}

fn printable_string(t: Term) -> bool {
    let mut n = 0;
    let mut it = t.iter_list();
    for h in it.by_ref() {
        let Some(c) = h.as_small() else { return false };
        if !(0..=255).contains(&c) {
            return false;
        }
        let c = c as u8;
        // IS_CNTRL(c) && !IS_SPACE(c)
        let cntrl = c < 32 || c == 127 || (128..160).contains(&c);
        let space = matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        if cntrl && !space {
            return false;
        }
        n += 1;
    }
    it.tail().is_nil() && n > 0
}

/// Appends the ERTS `%T` rendering of `t` to `out`.
pub fn write_term(out: &mut Vec<u8>, t: Term) {
    enum W {
        T(Term),
        S(&'static str),
        Tail(Term),
    }
    let mut stack = vec![W::T(t)];
    while let Some(w) = stack.pop() {
        let t = match w {
            W::S(s) => {
                out.extend_from_slice(s.as_bytes());
                continue;
            }
            W::Tail(tl) => {
                // Continue printing a list after the first element.
                if tl.is_nil() {
                    out.push(b']');
                } else if let Some((h, t2)) = tl.as_cons() {
                    out.push(b',');
                    stack.push(W::Tail(t2));
                    stack.push(W::T(h));
                } else {
                    out.push(b'|');
                    stack.push(W::S("]"));
                    stack.push(W::T(tl));
                }
                continue;
            }
            W::T(t) => t,
        };
        match t.view() {
            TermView::Nil => out.extend_from_slice(b"[]"),
            TermView::Atom(a) => write_atom(out, a),
            TermView::Small(i) => out.extend_from_slice(i.to_string().as_bytes()),
            TermView::Big { .. } => {
                if let Some(b) = t.to_bigint() {
                    out.extend_from_slice(b.to_string().as_bytes())
                }
            }
            TermView::Float(f) => out.extend_from_slice(c_exp(f, 6).as_bytes()),
            TermView::LocalPid { number, serial } => {
                out.extend_from_slice(format!("<0.{number}.{serial}>").as_bytes())
            }
            TermView::ExternalPid { number, serial, .. } => {
                out.extend_from_slice(format!("<1.{number}.{serial}>").as_bytes())
            }
            TermView::LocalPort(n) => out.extend_from_slice(format!("#Port<0.{n}>").as_bytes()),
            TermView::ExternalPort { id, .. } => {
                out.extend_from_slice(format!("#Port<1.{id}>").as_bytes())
            }
            TermView::LocalRef(nums) | TermView::ExternalRef { numbers: nums, .. } => {
                let ch = if matches!(t.view(), TermView::LocalRef(_)) {
                    0
                } else {
                    1
                };
                out.extend_from_slice(format!("#Ref<{ch}").as_bytes());
                for n in nums.iter().rev() {
                    out.extend_from_slice(format!(".{n}").as_bytes());
                }
                out.push(b'>');
            }
            TermView::Cons(h, tl) => {
                if printable_string(t) {
                    out.push(b'"');
                    for c in t.iter_list() {
                        let c = c.as_small().unwrap_or(0) as u8;
                        if c == b'\n' {
                            out.extend_from_slice(b"\\n");
                        } else {
                            if c == b'"' {
                                out.push(b'\\');
                            }
                            out.push(c);
                        }
                    }
                    out.push(b'"');
                } else {
                    out.push(b'[');
                    stack.push(W::Tail(tl));
                    stack.push(W::T(h));
                }
            }
            TermView::Tuple(es) => {
                out.push(b'{');
                stack.push(W::S("}"));
                for (i, e) in es.iter().enumerate().rev() {
                    stack.push(W::T(*e));
                    if i > 0 {
                        stack.push(W::S(","));
                    }
                }
            }
            TermView::Binary(b) => {
                let bytes = b.to_bytes();
                let whole = b.byte_size();
                let bits = b.trailing_bits();
                let printable = bits == 0
                    && whole > 0
                    && bytes[..whole].iter().all(|&c| (b' '..127).contains(&c));
                if printable {
                    out.extend_from_slice(b"<<\"");
                    for &c in &bytes[..whole] {
                        if c == b'"' {
                            out.push(b'\\');
                        }
                        out.push(c);
                    }
                    out.extend_from_slice(b"\">>");
                } else {
                    out.extend_from_slice(b"<<");
                    let mut first = true;
                    for &c in &bytes[..whole] {
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        out.extend_from_slice(c.to_string().as_bytes());
                    }
                    if bits > 0 {
                        if !first {
                            out.push(b',');
                        }
                        let last = bytes.last().copied().unwrap_or(0) >> (8 - bits);
                        out.extend_from_slice(format!("{last}:{bits}").as_bytes());
                    }
                    out.extend_from_slice(b">>");
                }
            }
            TermView::Fun(c) => {
                out.extend_from_slice(b"#Fun<");
                out.extend_from_slice(c.module.as_bytes());
                out.extend_from_slice(
                    format!(".{}.{}>", c.old_index, c.old_uniq as i32).as_bytes(),
                );
            }
            TermView::Export {
                module,
                function,
                arity,
            } => {
                out.extend_from_slice(b"fun ");
                write_atom(out, module);
                out.push(b':');
                write_atom(out, function);
                out.extend_from_slice(format!("/{arity}").as_bytes());
            }
            TermView::Map(mv) => match mv {
                MapView::Flat { keys, values, .. } => {
                    out.extend_from_slice(b"#{");
                    stack.push(W::S("}"));
                    for i in (0..keys.len()).rev() {
                        stack.push(W::T(values[i]));
                        stack.push(W::S("=>"));
                        stack.push(W::T(keys[i]));
                        if i > 0 {
                            stack.push(W::S(","));
                        }
                    }
                }
                MapView::HeadArray { children, .. }
                | MapView::HeadBitmap { children, .. }
                | MapView::Node { children, .. } => {
                    let val = match mv {
                        MapView::HeadBitmap { bitmap, .. } | MapView::Node { bitmap, .. } => {
                            bitmap as u64
                        }
                        _ => 0xffff,
                    };
                    if matches!(mv, MapView::Node { .. }) {
                        out.extend_from_slice(format!("<{val:x}>{{").as_bytes());
                    } else {
                        out.extend_from_slice(format!("#<{val:x}>{{").as_bytes());
                    }
                    stack.push(W::S("}"));
                    for (i, c) in children.iter().enumerate().rev() {
                        stack.push(W::T(*c));
                        if i > 0 {
                            stack.push(W::S(","));
                        }
                    }
                }
            },
            TermView::MatchState(_) => out.extend_from_slice(b"#MatchState"),
            TermView::Catch(_) | TermView::NonValue(_) => out.extend_from_slice(b"<TNV>"),
        }
    }
}

/// The rendering of `t` as a byte string.
pub fn to_bytes(t: Term) -> Vec<u8> {
    let mut v = Vec::new();
    write_term(&mut v, t);
    v
}
