//! `term_to_binary`: the encoder (ERTS `enc_term_int`).

use super::{tag, EncodeOptions, VERSION_MAGIC};
use crate::atom::Atom;
use crate::term::cmp::{compare_exact, this_node};
use crate::term::{map, subtag, MapView, Term, TermView};

/// Largest list written as `STRING_EXT` (`MAX_STRING_LEN`).
const MAX_STRING_LEN: usize = 0xffff;
/// Ports above this number are written as `V4_PORT_EXT`.
const MAX_V3_PORT_NUMBER: u64 = (1 << 28) - 1;

/// `term_to_binary(T, Opts)`: the external format of `t`, starting with the
/// version byte 131. A binary too large for the format (more than
/// `u32::MAX` bytes) is written with a wrong length: use [`try_encode`]
/// where that can happen.
pub fn encode(t: Term, opts: &EncodeOptions) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    encode_into(t, opts, &mut out);
    out
}

/// [`encode`], or `None` if `t` holds a binary of more than `u32::MAX`
/// bytes (ERTS raises `system_limit` for those, `ERTS_EXT_SZ_SYSTEM_LIMIT`).
pub fn try_encode(t: Term, opts: &EncodeOptions) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(64);
    encode_checked(t, opts, &mut out).then_some(out)
}

/// Appends `term_to_binary(t, opts)` to `out`.
pub fn encode_into(t: Term, opts: &EncodeOptions, out: &mut Vec<u8>) {
    let _ = encode_checked(t, opts, out);
}

/// Appends `term_to_binary(t, opts)` to `out`; false if a binary was too
/// large for the format (the output is then unusable).
fn encode_checked(t: Term, opts: &EncodeOptions, out: &mut Vec<u8>) -> bool {
    let level = opts.compressed.unwrap_or(0);
    if level == 0 {
        out.push(VERSION_MAGIC);
        let mut e = Encoder::new(opts, out);
        e.run(t);
        return !e.too_large;
    }
    let mut raw = Vec::with_capacity(64);
    let mut e = Encoder::new(opts, &mut raw);
    e.run(t);
    if e.too_large || raw.len() > u32::MAX as usize {
        return false;
    }
    // As ERTS: compress only if the result is not larger than the
    // uncompressed form (zlib output at most `len - 5` bytes).
    if raw.len() >= 5 {
        if let Some(z) = zlib_compress(&raw, level, raw.len() - 5) {
            {
                out.push(VERSION_MAGIC);
                out.push(tag::COMPRESSED);
                out.extend_from_slice(&(raw.len() as u32).to_be_bytes());
                out.extend_from_slice(&z);
                return true;
            }
        }
    }
    out.push(VERSION_MAGIC);
    out.extend_from_slice(&raw);
    true
}

/// `erlang:external_size/1,2`: the size `encode` would produce.
pub fn encoded_size(t: Term, opts: &EncodeOptions) -> usize {
    encode(t, opts).len()
}

/// zlib's `deflateInit(level)` stream of `data` (window 15, memory
/// level 8, default strategy: what ERTS's `erl_zlib_deflate_start` sets
/// up), or `None` if it needs more than `limit` bytes.
fn zlib_compress(data: &[u8], level: u32, limit: usize) -> Option<Vec<u8>> {
    let mut z = flate2::Compress::new(flate2::Compression::new(level.min(9)), true);
    let mut out = Vec::with_capacity(limit);
    match z.compress_vec(data, &mut out, flate2::FlushCompress::Finish) {
        Ok(flate2::Status::StreamEnd) if out.len() <= limit => Some(out),
        _ => None,
    }
}

enum W {
    Term(Term),
    /// Continue a list at this cons cell.
    ListRest(Term),
    /// Patch the 4-byte fun size at this offset.
    FunSize(usize),
    /// A HAMT child: a `[K|V]` leaf or an inner node.
    HamtChild(Term),
}

/// Entries of the per-encoder atom cache (direct mapped by atom index).
const ATOM_CACHE: usize = 128;

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    utf8_atoms: bool,
    new_floats: bool,
    deterministic: bool,
    stack: Vec<W>,
    /// Encoded forms of recently written atoms: (atom index + 1, bytes).
    atoms: Vec<(u32, Vec<u8>)>,
    /// A binary longer than the format's 32-bit length was met.
    too_large: bool,
}

impl<'a> Encoder<'a> {
    fn new(opts: &EncodeOptions, out: &'a mut Vec<u8>) -> Encoder<'a> {
        Encoder {
            out,
            utf8_atoms: opts.minor_version >= 2,
            new_floats: opts.minor_version >= 1,
            deterministic: opts.deterministic,
            stack: Vec::new(),
            atoms: Vec::new(),
            too_large: false,
        }
    }

    fn run(&mut self, t: Term) {
        self.term(t);
        while let Some(w) = self.stack.pop() {
            match w {
                W::Term(t) => self.term(t),
                W::ListRest(cell) => self.list_rest(cell),
                W::FunSize(pos) => {
                    let size = (self.out.len() - pos) as u32;
                    self.out[pos..pos + 4].copy_from_slice(&size.to_be_bytes());
                }
                W::HamtChild(c) => {
                    if let Some((k, v)) = c.as_cons() {
                        self.stack.push(W::Term(v));
                        self.term(k);
                    } else if let Some(MapView::Node { children, .. }) = c.as_map() {
                        self.push_hamt_children(children);
                    }
                }
            }
        }
    }

    /// Pushes the children of a HAMT node the way ERTS does (in slot
    /// order, so they pop in reverse: the output is the reverse of the
    /// storage order, as `maps:to_list/1`).
    #[inline]
    fn push_hamt_children(&mut self, children: &[Term]) {
        self.stack.extend(children.iter().map(|&c| W::HamtChild(c)));
    }

    /// Encodes `terms` in order: leading immediates at once, the rest
    /// (from the first compound term on) through the stack.
    #[inline]
    fn push_rev(&mut self, terms: &[Term]) {
        for (i, &t) in terms.iter().enumerate() {
            if !self.immediate(t) {
                self.stack
                    .extend(terms[i..].iter().rev().map(|&t| W::Term(t)));
                return;
            }
        }
    }

    /// Pushes key/value pairs so that they are encoded in order.
    fn push_pairs_rev(&mut self, keys: &[Term], values: &[Term]) {
        for (k, v) in keys.iter().zip(values).rev() {
            self.stack.push(W::Term(*v));
            self.stack.push(W::Term(*k));
        }
    }

    /// Encodes `t` if it is a small integer, an atom or `[]`.
    #[inline]
    fn immediate(&mut self, t: Term) -> bool {
        if let Some(v) = t.as_small() {
            self.small_int(v);
        } else if let Some(a) = t.as_atom() {
            self.atom(a);
        } else if t.is_nil() {
            self.put_u8(tag::NIL_EXT);
        } else {
            return false;
        }
        true
    }

    /// Continues a `LIST_EXT` at `cell`: immediates at once, then the first
    /// compound element through the stack.
    fn list_rest(&mut self, cell: Term) {
        let mut cur = cell;
        while let Some((h, tl)) = cur.as_cons() {
            if tl.is_cons() {
                if self.immediate(h) {
                    cur = tl;
                    continue;
                }
                self.stack.push(W::ListRest(tl));
            } else {
                self.stack.push(W::Term(tl));
                if self.immediate(h) {
                    return;
                }
            }
            self.stack.push(W::Term(h));
            return;
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
        let slot = a.index() as usize % ATOM_CACHE;
        if let Some((ix, bytes)) = self.atoms.get(slot) {
            if *ix == a.index() + 1 {
                self.out.extend_from_slice(bytes);
                return;
            }
        }
        let start = self.out.len();
        self.atom_uncached(a);
        if self.atoms.is_empty() {
            self.atoms.resize_with(ATOM_CACHE, || (0, Vec::new()));
        }
        let enc = self.out[start..].to_vec();
        self.atoms[slot] = (a.index() + 1, enc);
    }

    fn atom_uncached(&mut self, a: Atom) {
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
            self.out
                .extend_from_slice(&[tag::SMALL_INTEGER_EXT, v as u8]);
        } else if v >= i32::MIN as i64 && v <= i32::MAX as i64 {
            let b = (v as i32).to_be_bytes();
            self.out
                .extend_from_slice(&[tag::INTEGER_EXT, b[0], b[1], b[2], b[3]]);
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
        if let Some(v) = t.as_small() {
            return self.small_int(v);
        }
        if let Some(a) = t.as_atom() {
            return self.atom(a);
        }
        if t.is_cons() {
            return self.list(t);
        }
        // Cheap dispatch on the header for the most common boxed kinds.
        match t.header().map(|h| h & subtag::MASK) {
            Some(subtag::ARITYVAL) => {
                if let Some(es) = t.as_tuple() {
                    let n = es.len();
                    if n <= 0xff {
                        self.out.extend_from_slice(&[tag::SMALL_TUPLE_EXT, n as u8]);
                    } else {
                        self.put_u8(tag::LARGE_TUPLE_EXT);
                        self.put_u32(n as u32);
                    }
                    self.push_rev(es);
                    return;
                }
            }
            Some(subtag::FLOAT) if self.new_floats => {
                if let Some(f) = t.as_float() {
                    let b = f.to_bits().to_be_bytes();
                    self.out.extend_from_slice(&[
                        tag::NEW_FLOAT_EXT,
                        b[0],
                        b[1],
                        b[2],
                        b[3],
                        b[4],
                        b[5],
                        b[6],
                        b[7],
                    ]);
                    return;
                }
            }
            None if t.is_nil() => return self.put_u8(tag::NIL_EXT),
            _ => {}
        }
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
                self.push_rev(es);
            }
            TermView::Map(m) => self.map(t, m),
            TermView::Binary(b) => {
                let j = b.byte_size();
                let tb = b.trailing_bits();
                if j + (tb != 0) as usize > u32::MAX as usize {
                    self.too_large = true;
                    self.put_u8(tag::BINARY_EXT);
                    self.put_u32(0);
                } else if tb == 0 {
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
                self.push_rev(c.env);
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
            MapView::Flat { keys, values, .. } => {
                self.put_u8(tag::MAP_EXT);
                self.put_u32(keys.len() as u32);
                for (i, (k, v)) in keys.iter().zip(values).enumerate() {
                    if self.immediate(*k) {
                        if self.immediate(*v) {
                            continue;
                        }
                        self.push_pairs_rev(&keys[i + 1..], &values[i + 1..]);
                        self.stack.push(W::Term(*v));
                    } else {
                        self.push_pairs_rev(&keys[i..], &values[i..]);
                    }
                    return;
                }
            }
            MapView::HeadArray { size, children } | MapView::HeadBitmap { size, children, .. } => {
                self.put_u8(tag::MAP_EXT);
                self.put_u32(size as u32);
                if self.deterministic {
                    let mut pairs = map::to_pairs(t);
                    pairs.sort_by(|a, b| compare_exact(a.0, b.0));
                    for (k, v) in pairs.into_iter().rev() {
                        self.stack.push(W::Term(v));
                        self.stack.push(W::Term(k));
                    }
                } else {
                    self.push_hamt_children(children);
                }
            }
            MapView::Node { .. } => self.put_u8(tag::NIL_EXT),
        }
    }
}
