//! `term_to_binary`: the encoder (ERTS `enc_term_int`).

use super::{tag, EncodeOptions, VERSION_MAGIC};
use crate::atom::Atom;
use crate::term::cmp::{compare_exact, this_node};
use crate::term::{map, MapView, Term, TermView};
use std::io::Write;

/// Largest list written as `STRING_EXT` (`MAX_STRING_LEN`).
const MAX_STRING_LEN: usize = 0xffff;
/// Ports above this number are written as `V4_PORT_EXT`.
const MAX_V3_PORT_NUMBER: u64 = (1 << 28) - 1;

/// `term_to_binary(T, Opts)`: the external format of `t`, starting with the
/// version byte 131.
pub fn encode(t: Term, opts: &EncodeOptions) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    encode_into(t, opts, &mut out);
    out
}

/// Appends `term_to_binary(t, opts)` to `out`.
pub fn encode_into(t: Term, opts: &EncodeOptions, out: &mut Vec<u8>) {
    let level = opts.compressed.unwrap_or(0);
    if level == 0 {
        out.push(VERSION_MAGIC);
        Encoder::new(opts, out).run(t);
        return;
    }
    let mut raw = Vec::with_capacity(64);
    Encoder::new(opts, &mut raw).run(t);
    // As ERTS: compress only if the result is not larger than the
    // uncompressed form (zlib output at most `len - 5` bytes).
    if raw.len() >= 5 {
        if let Some(z) = zlib_compress(&raw, level) {
            if z.len() <= raw.len() - 5 {
                out.push(VERSION_MAGIC);
                out.push(tag::COMPRESSED);
                out.extend_from_slice(&(raw.len() as u32).to_be_bytes());
                out.extend_from_slice(&z);
                return;
            }
        }
    }
    out.push(VERSION_MAGIC);
    out.extend_from_slice(&raw);
}

/// `erlang:external_size/1,2`: the size `encode` would produce.
pub fn encoded_size(t: Term, opts: &EncodeOptions) -> usize {
    encode(t, opts).len()
}

fn zlib_compress(data: &[u8], _level: u32) -> Option<Vec<u8>> {
    let mut enc = libflate::zlib::Encoder::new(Vec::with_capacity(data.len() / 2 + 16)).ok()?;
    enc.write_all(data).ok()?;
    enc.finish().into_result().ok()
}

enum W {
    Term(Term),
    /// Continue a list at this cons cell.
    ListRest(Term),
    /// Continue a tuple at element `idx`.
    TupleRest(Term, usize),
    /// Continue a flatmap at pair `idx`.
    FlatRest(Term, usize),
    /// Continue a closure's environment at `idx`.
    EnvRest(Term, usize),
    /// Patch the 4-byte fun size at this offset.
    FunSize(usize),
}

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    utf8_atoms: bool,
    new_floats: bool,
    deterministic: bool,
    stack: Vec<W>,
}

impl<'a> Encoder<'a> {
    fn new(opts: &EncodeOptions, out: &'a mut Vec<u8>) -> Encoder<'a> {
        Encoder {
            out,
            utf8_atoms: opts.minor_version >= 2,
            new_floats: opts.minor_version >= 1,
            deterministic: opts.deterministic,
            stack: Vec::new(),
        }
    }

    fn run(&mut self, t: Term) {
        self.term(t);
        while let Some(w) = self.stack.pop() {
            match w {
                W::Term(t) => self.term(t),
                W::ListRest(cell) => {
                    if let Some((h, tl)) = cell.as_cons() {
                        if tl.is_cons() {
                            self.stack.push(W::ListRest(tl));
                        } else {
                            self.stack.push(W::Term(tl));
                        }
                        self.term(h);
                    }
                }
                W::TupleRest(t, i) => {
                    let e = match t.as_tuple() {
                        Some(es) => {
                            if i + 1 < es.len() {
                                self.stack.push(W::TupleRest(t, i + 1));
                            }
                            es.get(i).copied()
                        }
                        None => None,
                    };
                    if let Some(e) = e {
                        self.term(e);
                    }
                }
                W::FlatRest(m, i) => {
                    if let Some(MapView::Flat { keys, values, .. }) = m.as_map() {
                        if i + 1 < keys.len() {
                            self.stack.push(W::FlatRest(m, i + 1));
                        }
                        if let (Some(k), Some(v)) = (keys.get(i).copied(), values.get(i).copied()) {
                            self.stack.push(W::Term(v));
                            self.term(k);
                        }
                    }
                }
                W::EnvRest(f, i) => {
                    let e = match f.view() {
                        TermView::Fun(c) => {
                            if i + 1 < c.env.len() {
                                self.stack.push(W::EnvRest(f, i + 1));
                            }
                            c.env.get(i).copied()
                        }
                        _ => None,
                    };
                    if let Some(e) = e {
                        self.term(e);
                    }
                }
                W::FunSize(pos) => {
                    let size = (self.out.len() - pos) as u32;
                    self.out[pos..pos + 4].copy_from_slice(&size.to_be_bytes());
                }
            }
        }
    }

    #[inline]
    fn put_u8(&mut self, b: u8) {
        self.out.push(b);
    }

    #[inline]
    fn put_u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    #[inline]
    fn put_u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    fn atom(&mut self, a: Atom) {
        let text = a.as_bytes();
        if self.utf8_atoms || !a.is_latin1() {
            if text.len() > 255 {
                self.put_u8(tag::ATOM_UTF8_EXT);
                self.put_u16(text.len() as u16);
            } else {
                self.put_u8(tag::SMALL_ATOM_UTF8_EXT);
                self.put_u8(text.len() as u8);
            }
            self.out.extend_from_slice(text);
        } else {
            self.put_u8(tag::ATOM_EXT);
            if text.is_ascii() {
                self.put_u16(text.len() as u16);
                self.out.extend_from_slice(text);
            } else {
                let l1 = a.to_latin1().unwrap_or_default();
                self.put_u16(l1.len() as u16);
                self.out.extend_from_slice(&l1);
            }
        }
    }

    fn small_int(&mut self, v: i64) {
        if (0..256).contains(&v) {
            self.put_u8(tag::SMALL_INTEGER_EXT);
            self.put_u8(v as u8);
        } else if v >= i32::MIN as i64 && v <= i32::MAX as i64 {
            self.put_u8(tag::INTEGER_EXT);
            self.put_u32(v as i32 as u32);
        } else {
            let m = v.unsigned_abs();
            let n = 8 - (m.leading_zeros() / 8) as usize;
            self.put_u8(tag::SMALL_BIG_EXT);
            self.put_u8(n as u8);
            self.put_u8((v < 0) as u8);
            self.out.extend_from_slice(&m.to_le_bytes()[..n]);
        }
    }

    fn big(&mut self, neg: bool, digits: &[u64]) {
        let top = digits.last().copied().unwrap_or(0);
        let n = (digits.len().saturating_sub(1)) * 8 + (8 - (top.leading_zeros() / 8) as usize);
        if n < 256 {
            self.put_u8(tag::SMALL_BIG_EXT);
            self.put_u8(n as u8);
        } else {
            self.put_u8(tag::LARGE_BIG_EXT);
            self.put_u32(n as u32);
        }
        self.put_u8(neg as u8);
        self.out.reserve(n);
        let mut left = n;
        for d in digits {
            let k = left.min(8);
            self.out.extend_from_slice(&d.to_le_bytes()[..k]);
            left -= k;
        }
    }

    fn pid(&mut self, node: Atom, creation: u32, number: u32, serial: u32) {
        self.put_u8(tag::NEW_PID_EXT);
        self.atom(node);
        self.put_u32(number);
        self.put_u32(serial);
        self.put_u32(creation);
    }

    fn term(&mut self, t: Term) {
        match t.view() {
            TermView::Nil => self.put_u8(tag::NIL_EXT),
            TermView::Atom(a) => self.atom(a),
            TermView::Small(v) => self.small_int(v),
            TermView::Big { neg, digits } => self.big(neg, digits),
            TermView::Float(f) => {
                if self.new_floats {
                    self.put_u8(tag::NEW_FLOAT_EXT);
                    self.out.extend_from_slice(&f.to_bits().to_be_bytes());
                } else {
                    self.put_u8(tag::FLOAT_EXT);
                    self.out
                        .extend_from_slice(&super::float::format_float_ext(f));
                }
            }
            TermView::LocalPid { number, serial } => {
                let (node, cr) = this_node();
                self.pid(node, cr, number, serial);
            }
            TermView::ExternalPid {
                node,
                creation,
                number,
                serial,
            } => self.pid(node, creation, number, serial),
            TermView::LocalRef(ns) => {
                let (node, cr) = this_node();
                self.reference(node, cr, ns);
            }
            TermView::ExternalRef {
                node,
                creation,
                numbers,
            } => self.reference(node, creation, numbers),
            TermView::LocalPort(id) => {
                let (node, cr) = this_node();
                self.port(node, cr, id);
            }
            TermView::ExternalPort { node, creation, id } => self.port(node, creation, id),
            TermView::Cons(..) => self.list(t),
            TermView::Tuple(es) => {
                let n = es.len();
                if n <= 0xff {
                    self.put_u8(tag::SMALL_TUPLE_EXT);
                    self.put_u8(n as u8);
                } else {
                    self.put_u8(tag::LARGE_TUPLE_EXT);
                    self.put_u32(n as u32);
                }
                if n > 0 {
                    self.stack.push(W::TupleRest(t, 0));
                }
            }
            TermView::Map(m) => self.map(t, m),
            TermView::Binary(b) => {
                let j = b.byte_size();
                let tb = b.trailing_bits();
                if tb == 0 {
                    self.put_u8(tag::BINARY_EXT);
                    self.put_u32(j as u32);
                    if let Some(bytes) = b.as_aligned_bytes() {
                        self.out.extend_from_slice(bytes);
                    } else {
                        self.out.extend_from_slice(&b.to_bytes());
                    }
                } else {
                    self.put_u8(tag::BIT_BINARY_EXT);
                    self.put_u32((j + 1) as u32);
                    self.put_u8(tb);
                    self.out.extend_from_slice(&b.to_bytes());
                }
            }
            TermView::Export {
                module,
                function,
                arity,
            } => {
                self.put_u8(tag::EXPORT_EXT);
                self.atom(module);
                self.atom(function);
                self.small_int(arity as i64);
            }
            TermView::Fun(c) => {
                self.put_u8(tag::NEW_FUN_EXT);
                let size_pos = self.out.len();
                self.put_u32(0);
                self.put_u8(c.arity as u8);
                self.out.extend_from_slice(&c.uniq);
                self.put_u32(c.index);
                self.put_u32(c.env.len() as u32);
                self.atom(c.module);
                self.small_int(c.old_index as i32 as i64);
                self.small_int(c.old_uniq as i32 as i64);
                match c.creator.view() {
                    TermView::LocalPid { number, serial } => {
                        let (node, cr) = this_node();
                        self.pid(node, cr, number, serial);
                    }
                    TermView::ExternalPid {
                        node,
                        creation,
                        number,
                        serial,
                    } => self.pid(node, creation, number, serial),
                    _ => {
                        let (node, cr) = this_node();
                        self.pid(node, cr, 0, 0);
                    }
                }
                self.stack.push(W::FunSize(size_pos));
                if !c.env.is_empty() {
                    self.stack.push(W::EnvRest(t, 0));
                }
            }
            // Not Erlang values: nothing sensible to write; `[]` keeps the
            // output well formed.
            TermView::Catch(_) | TermView::MatchState(_) | TermView::NonValue(_) => {
                self.put_u8(tag::NIL_EXT)
            }
        }
    }

    fn reference(&mut self, node: Atom, creation: u32, numbers: &[u32]) {
        self.put_u8(tag::NEWER_REFERENCE_EXT);
        self.put_u16(numbers.len() as u16);
        self.atom(node);
        self.put_u32(creation);
        for &n in numbers {
            self.put_u32(n);
        }
    }

    fn port(&mut self, node: Atom, creation: u32, id: u64) {
        if id > MAX_V3_PORT_NUMBER {
            self.put_u8(tag::V4_PORT_EXT);
            self.atom(node);
            self.out.extend_from_slice(&id.to_be_bytes());
        } else {
            self.put_u8(tag::NEW_PORT_EXT);
            self.atom(node);
            self.put_u32(id as u32);
        }
        self.put_u32(creation);
    }

    fn list(&mut self, t: Term) {
        // STRING_EXT if every element is a byte, the list is proper and at
        // most 65535 long (`is_external_string`).
        let mut len = 0usize;
        let mut cur = t;
        let mut is_string = true;
        while let Some((h, tl)) = cur.as_cons() {
            match h.as_small() {
                Some(0..=255) if len < MAX_STRING_LEN => {
                    len += 1;
                    cur = tl;
                }
                _ => {
                    is_string = false;
                    break;
                }
            }
        }
        if is_string && cur.is_nil() {
            self.put_u8(tag::STRING_EXT);
            self.put_u16(len as u16);
            self.out.reserve(len);
            let mut cur = t;
            while let Some((h, tl)) = cur.as_cons() {
                self.out.push(h.small_value_unchecked() as u8);
                cur = tl;
            }
            return;
        }
        // LIST_EXT: count the elements (the tail is written after them).
        let mut n = len;
        while let Some((_, tl)) = cur.as_cons() {
            n += 1;
            cur = tl;
        }
        self.put_u8(tag::LIST_EXT);
        self.put_u32(n as u32);
        self.stack.push(W::ListRest(t));
    }

    fn map(&mut self, t: Term, m: MapView<'_>) {
        match m {
            MapView::Flat { keys, .. } => {
                self.put_u8(tag::MAP_EXT);
                self.put_u32(keys.len() as u32);
                if !keys.is_empty() {
                    self.stack.push(W::FlatRest(t, 0));
                }
            }
            MapView::HeadArray { size, .. } | MapView::HeadBitmap { size, .. } => {
                self.put_u8(tag::MAP_EXT);
                self.put_u32(size as u32);
                let mut pairs = map::to_pairs(t);
                if self.deterministic {
                    pairs.sort_by(|a, b| compare_exact(a.0, b.0));
                }
                for (k, v) in pairs.into_iter().rev() {
                    self.stack.push(W::Term(v));
                    self.stack.push(W::Term(k));
                }
            }
            MapView::Node { .. } => self.put_u8(tag::NIL_EXT),
        }
    }
}
