//! Printing terms in Erlang syntax (`{ok,[1,2]}`, `'quoted atom'`, `<<"bin">>`, `#{a => 1}`).

use crate::etf::ETerm;
use std::fmt::{self, Write};

/// Nesting beyond this depth prints as `...` (keeps printing stack use bounded).
const MAX_PRINT_DEPTH: usize = 200;

/// Erlang's reserved words, which must be quoted as atoms.
const RESERVED: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

/// Whether `name` can be written without quotes.
fn bare_atom(name: &str) -> bool {
    let mut cs = name.chars();
    match cs.next() {
        Some(c) if c.is_ascii_lowercase() => {}
        _ => return false,
    }
    cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@') && !RESERVED.contains(&name)
}

/// Writes `name` as an Erlang atom, quoting and escaping when needed.
pub fn write_atom(out: &mut impl Write, name: &str) -> fmt::Result {
    if bare_atom(name) {
        return out.write_str(name);
    }
    out.write_char('\'')?;
    for c in name.chars() {
        write_char_escaped(out, c, '\'')?;
    }
    out.write_char('\'')
}

/// An atom as Erlang source text.
pub fn atom_text(name: &str) -> String {
    let mut s = String::new();
    let _ = write_atom(&mut s, name);
    s
}

fn write_char_escaped(out: &mut impl Write, c: char, quote: char) -> fmt::Result {
    match c {
        '\\' => out.write_str("\\\\"),
        '\n' => out.write_str("\\n"),
        '\t' => out.write_str("\\t"),
        '\r' => out.write_str("\\r"),
        '\x0b' => out.write_str("\\v"),
        '\x08' => out.write_str("\\b"),
        '\x0c' => out.write_str("\\f"),
        '\x1b' => out.write_str("\\e"),
        '\x7f' => out.write_str("\\d"),
        c if c == quote => {
            out.write_char('\\')?;
            out.write_char(c)
        }
        c if (c as u32) < 0x20 => write!(out, "\\^{}", (c as u8 + 64) as char),
        c => out.write_char(c),
    }
}

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || matches!(b, b'\n' | b'\t' | b'\r' | 0x0b | 0x08 | 0x0c | 0x1b)
}

fn write_float(out: &mut impl Write, f: f64) -> fmt::Result {
    if !f.is_finite() {
        return write!(out, "{f}");
    }
    // Shortest round-trip digits, written the way Erlang does (`1.0`, `1.5e-7`).
    let s = format!("{f:?}");
    match s.split_once('e') {
        Some((m, e)) => {
            if m.contains('.') {
                write!(out, "{m}e{e}")
            } else {
                write!(out, "{m}.0e{e}")
            }
        }
        None if s.contains('.') => out.write_str(&s),
        None => write!(out, "{s}.0"),
    }
}

fn write_seq(out: &mut impl Write, items: &[ETerm], depth: usize) -> fmt::Result {
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        write_term(out, t, depth)?;
    }
    Ok(())
}

fn write_term(out: &mut impl Write, t: &ETerm, depth: usize) -> fmt::Result {
    if depth > MAX_PRINT_DEPTH {
        return out.write_str("...");
    }
    let d = depth + 1;
    match t {
        ETerm::Int(i) => write!(out, "{i}"),
        ETerm::Big(b) => write!(out, "{b}"),
        ETerm::Float(f) => write_float(out, *f),
        ETerm::Atom(a) => write_atom(out, a),
        ETerm::Tuple(v) => {
            out.write_char('{')?;
            write_seq(out, v, d)?;
            out.write_char('}')
        }
        ETerm::Nil => out.write_str("[]"),
        ETerm::List(v) => {
            out.write_char('[')?;
            write_seq(out, v, d)?;
            out.write_char(']')
        }
        ETerm::ImproperList(v, tail) => {
            out.write_char('[')?;
            write_seq(out, v, d)?;
            out.write_char('|')?;
            write_term(out, tail, d)?;
            out.write_char(']')
        }
        ETerm::String(s) => {
            if s.iter().all(|&b| printable(b)) {
                out.write_char('"')?;
                for &b in s {
                    write_char_escaped(out, b as char, '"')?;
                }
                out.write_char('"')
            } else {
                out.write_char('[')?;
                for (i, b) in s.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    write!(out, "{b}")?;
                }
                out.write_char(']')
            }
        }
        ETerm::Binary(b) => {
            out.write_str("<<")?;
            if !b.is_empty() && b.iter().all(|&c| printable(c)) {
                out.write_char('"')?;
                for &c in b {
                    write_char_escaped(out, c as char, '"')?;
                }
                out.write_char('"')?;
            } else {
                for (i, c) in b.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    write!(out, "{c}")?;
                }
            }
            out.write_str(">>")
        }
        ETerm::Bitstring { bytes, bits } => {
            out.write_str("<<")?;
            let n = bytes.len();
            for (i, c) in bytes.iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                if i + 1 == n {
                    write!(out, "{}:{}", c >> (8 - bits), bits)?;
                } else {
                    write!(out, "{c}")?;
                }
            }
            out.write_str(">>")
        }
        ETerm::Map(pairs) => {
            out.write_str("#{")?;
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                write_term(out, k, d)?;
                out.write_str(" => ")?;
                write_term(out, v, d)?;
            }
            out.write_char('}')
        }
        ETerm::Pid {
            node, id, serial, ..
        } => write!(out, "<{node}.{id}.{serial}>"),
        ETerm::Port { node, id, .. } => write!(out, "#Port<{node}.{id}>"),
        ETerm::Ref { node, ids, .. } => {
            write!(out, "#Ref<{node}")?;
            for i in ids.iter().rev() {
                write!(out, ".{i}")?;
            }
            out.write_char('>')
        }
        ETerm::Export {
            module,
            function,
            arity,
        } => {
            out.write_str("fun ")?;
            write_atom(out, module)?;
            out.write_char(':')?;
            write_atom(out, function)?;
            write!(out, "/{arity}")
        }
        ETerm::Fun(f) => {
            out.write_str("#Fun<")?;
            write_atom(out, &f.module)?;
            write!(out, ".{}.{}>", f.index, f.old_uniq)
        }
    }
}

impl fmt::Display for ETerm {
    /// Erlang syntax, as `io:format("~w")` would print it (nesting deeper than 200
    /// levels is elided as `...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_term(f, self, 0)
    }
}
