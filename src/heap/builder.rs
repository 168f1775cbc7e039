//! [`HeapBuilder`]: constructors for every boxed term kind, shared by
//! process heaps ([`super::Heap`]), heap fragments ([`super::HeapFragment`])
//! and literal areas under construction.

use super::binary::{write_procbin, OffHeapBinary};
use crate::atom::Atom;
use crate::term::{
    make_header, make_map_header, size, subtag, FunDesc, Term, FUN_INFO_EXPORT,
    MAP_SMALL_MAP_LIMIT, MAP_TYPE_FLATMAP, MAP_TYPE_HEAD_ARRAY, MAP_TYPE_HEAD_BITMAP,
    MAP_TYPE_NODE_BITMAP, ONHEAP_BIN_LIMIT,
};
use num_bigint::{BigInt, Sign};
use std::sync::Arc;

/// Something terms can be built on.
///
/// Builders never fail for lack of space: a process heap that is full
/// spills into an attached heap fragment (like ERTS's `HAlloc`), and the
/// next GC absorbs it. Callers that want the data on the young heap reserve
/// first with `Heap::need`. Constructors that validate their input return
/// `Option` (`None` = invalid arguments; nothing is allocated).
pub trait HeapBuilder {
    /// Allocates `words` uninitialised words.
    ///
    /// # Safety
    /// The caller must write well-formed terms/objects into every word
    /// before the builder is used for anything else (GC, verification,
    /// dropping).
    #[doc(hidden)]
    unsafe fn alloc_raw(&mut self, words: usize) -> *mut u64;

    /// Records a refc-binary handle written at `p` in the off-heap list.
    ///
    /// # Safety
    /// `p` must be a fully written ProcBin allocated from this builder that
    /// owns one reference.
    #[doc(hidden)]
    unsafe fn link_off_heap(&mut self, p: *const u64);

    /// Allocates `words` words initialised to `[]`, e.g. to fill in place.
    fn alloc(&mut self, words: usize) -> &mut [Term] {
        // SAFETY: all words are initialised to NIL before the slice is
        // returned; the slice borrows `self` mutably.
        unsafe {
            let p = self.alloc_raw(words);
            for i in 0..words {
                *p.add(i) = Term::NIL.raw();
            }
            std::slice::from_raw_parts_mut(p as *mut Term, words)
        }
    }

    /// A tuple of `elems`.
    fn tuple(&mut self, elems: &[Term]) -> Term {
        // SAFETY: header and every element are written.
        unsafe {
            let p = self.alloc_raw(size::tuple(elems.len()));
            *p = make_header(elems.len() as u64, subtag::ARITYVAL);
            std::ptr::copy_nonoverlapping(elems.as_ptr() as *const u64, p.add(1), elems.len());
            Term::make_boxed(p)
        }
    }

    /// A tuple of `n` elements produced by `f(i)`.
    fn tuple_with(&mut self, n: usize, f: &mut dyn FnMut(usize) -> Term) -> Term {
        // SAFETY: the elements are first set to NIL, then overwritten.
        unsafe {
            let p = self.alloc_raw(size::tuple(n));
            *p = make_header(n as u64, subtag::ARITYVAL);
            for i in 0..n {
                *p.add(1 + i) = Term::NIL.raw();
            }
            for i in 0..n {
                *p.add(1 + i) = f(i).raw();
            }
            Term::make_boxed(p)
        }
    }

    /// A cons cell `[head | tail]`.
    fn cons(&mut self, head: Term, tail: Term) -> Term {
        // SAFETY: both words are written.
        unsafe {
            let p = self.alloc_raw(size::CONS);
            *p = head.raw();
            *p.add(1) = tail.raw();
            Term::make_list(p)
        }
    }

    /// The list `elems ++ tail` (one contiguous allocation).
    fn list_from(&mut self, elems: &[Term], tail: Term) -> Term {
        if elems.is_empty() {
            return tail;
        }
        // SAFETY: 2 words per element, all written.
        unsafe {
            let p = self.alloc_raw(size::list(elems.len()));
            for (i, e) in elems.iter().enumerate() {
                let c = p.add(2 * i);
                *c = e.raw();
                *c.add(1) = if i + 1 == elems.len() {
                    tail.raw()
                } else {
                    Term::make_list(c.add(2)).raw()
                };
            }
            Term::make_list(p)
        }
    }

    /// A list of small integers for the characters of `s` (a string).
    fn charlist(&mut self, s: &str) -> Term {
        let v: Vec<Term> = s.chars().map(|c| Term::small_unchecked(c as i64)).collect();
        self.list_from(&v, Term::NIL)
    }

    /// A list of small integers for `bytes`.
    fn bytelist(&mut self, bytes: &[u8]) -> Term {
        let v: Vec<Term> = bytes
            .iter()
            .map(|&b| Term::small_unchecked(b as i64))
            .collect();
        self.list_from(&v, Term::NIL)
    }

    /// A float.
    fn float(&mut self, f: f64) -> Term {
        // SAFETY: header + value written.
        unsafe {
            let p = self.alloc_raw(size::FLOAT);
            *p = make_header(1, subtag::FLOAT);
            *p.add(1) = f.to_bits();
            Term::make_boxed(p)
        }
    }

    /// A bignum from sign and little-endian magnitude digits, normalised:
    /// leading zero digits are dropped and values that fit a small integer
    /// become one.
    fn bignum(&mut self, neg: bool, digits: &[u64]) -> Term {
        let mut n = digits.len();
        while n > 0 && digits[n - 1] == 0 {
            n -= 1;
        }
        let digits = &digits[..n];
        if n == 0 {
            return Term::small_unchecked(0);
        }
        if n == 1 {
            let d = digits[0];
            if !neg && d <= crate::term::MAX_SMALL as u64 {
                return Term::small_unchecked(d as i64);
            }
            if neg && d <= (1u64 << 59) {
                return Term::small_unchecked((d as i64).wrapping_neg());
            }
        }
        // SAFETY: header + n digits written.
        unsafe {
            let p = self.alloc_raw(size::bignum(n));
            *p = make_header(
                n as u64,
                if neg {
                    subtag::NEG_BIG
                } else {
                    subtag::POS_BIG
                },
            );
            std::ptr::copy_nonoverlapping(digits.as_ptr(), p.add(1), n);
            Term::make_boxed(p)
        }
    }

    /// An integer (small when it fits, else bignum).
    fn integer_from_i64(&mut self, v: i64) -> Term {
        match Term::small(v) {
            Some(t) => t,
            None => self.bignum(v < 0, &[v.unsigned_abs()]),
        }
    }

    /// An integer from an unsigned value.
    fn integer_from_u64(&mut self, v: u64) -> Term {
        self.bignum(false, &[v])
    }

    /// An integer from an `i128`.
    fn integer_from_i128(&mut self, v: i128) -> Term {
        let m = v.unsigned_abs();
        self.bignum(v < 0, &[m as u64, (m >> 64) as u64])
    }

    /// An integer from a `BigInt`.
    fn integer_from_bigint(&mut self, v: &BigInt) -> Term {
        let (sign, digits) = v.to_u64_digits();
        self.bignum(sign == Sign::Minus, &digits)
    }

    /// A binary holding `bytes`: a heap binary up to 64 bytes, otherwise a
    /// new off-heap refc binary.
    fn binary(&mut self, bytes: &[u8]) -> Term {
        if bytes.len() <= ONHEAP_BIN_LIMIT {
            self.heap_binary(bytes)
        } else {
            self.refc_binary(OffHeapBinary::new(bytes.to_vec()))
        }
    }

    /// A binary from an owned buffer (avoids a copy for large binaries).
    fn binary_from_vec(&mut self, bytes: Vec<u8>) -> Term {
        if bytes.len() <= ONHEAP_BIN_LIMIT {
            self.heap_binary(&bytes)
        } else {
            self.refc_binary(OffHeapBinary::new(bytes))
        }
    }

    /// A heap binary (any size; prefer [`HeapBuilder::binary`]).
    fn heap_binary(&mut self, bytes: &[u8]) -> Term {
        let words = size::heap_binary(bytes.len());
        // SAFETY: header, size and all data words (zero-padded) written.
        unsafe {
            let p = self.alloc_raw(words);
            *p = make_header(words as u64 - 1, subtag::HEAP_BINARY);
            *p.add(1) = bytes.len() as u64;
            *p.add(words - 1) = 0;
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.add(2) as *mut u8, bytes.len());
            Term::make_boxed(p)
        }
    }

    /// A refc binary handle sharing `bin` (one reference is taken).
    fn refc_binary(&mut self, bin: Arc<OffHeapBinary>) -> Term {
        // SAFETY: ProcBin fully written, then linked.
        unsafe {
            let p = self.alloc_raw(size::REFC_BINARY);
            write_procbin(p, bin);
            self.link_off_heap(p);
            Term::make_boxed(p)
        }
    }

    /// A bitstring of `bits` bits taken from the start of `bytes`
    /// (`None` if `bytes` is too short).
    fn bitstring(&mut self, bytes: &[u8], bits: u64) -> Option<Term> {
        let nbytes = bits.div_ceil(8) as usize;
        if nbytes > bytes.len() {
            return None;
        }
        let whole = self.binary(&bytes[..nbytes]);
        if bits % 8 == 0 {
            Some(whole)
        } else {
            self.sub_binary(whole, 0, bits)
        }
    }

    /// A sub binary of `bit_size` bits starting `bit_offset` bits into the
    /// bitstring `orig` (any binary kind; sub binaries are flattened).
    /// Returns `orig`'s underlying binary itself when the result covers it
    /// exactly. `None` if `orig` is not a bitstring or the range is out of
    /// bounds.
    fn sub_binary(&mut self, orig: Term, bit_offset: u64, bit_size: u64) -> Option<Term> {
        let b = orig.as_binary()?;
        let end = bit_offset.checked_add(bit_size)?;
        if end > b.bit_size {
            return None;
        }
        let base_off = b.orig_byte_offset as u64 * 8 + b.bit_offset as u64 + bit_offset;
        let under = b.orig;
        // SAFETY: `under` is a heap or refc binary.
        let (_, under_len) = unsafe { crate::term::binary_base(under.boxed_ptr()) };
        // SAFETY: as above.
        if base_off == 0
            && bit_size == under_len as u64 * 8
            && !unsafe { super::writable::is_writable_procbin(under.boxed_ptr()) }
        {
            return Some(under);
        }
        // SAFETY: all four words written.
        unsafe {
            let p = self.alloc_raw(size::SUB_BINARY);
            *p = make_header(3, subtag::SUB_BINARY);
            *p.add(1) = bit_size;
            *p.add(2) = base_off;
            *p.add(3) = under.raw();
            Some(Term::make_boxed(p))
        }
    }

    /// The bits `bit_offset..bit_offset + bit_size` of the bitstring
    /// `orig` as ERTS `erts_extract_sub_binary` makes them: a fresh heap
    /// binary (a copy) when they are a whole number of bytes, at most
    /// `ONHEAP_BIN_LIMIT`; a sub binary otherwise. What bit syntax matching
    /// and the binary-slicing BIFs return. `None` if out of bounds.
    fn extract_sub_binary(&mut self, orig: Term, bit_offset: u64, bit_size: u64) -> Option<Term> {
        if bit_size % 8 != 0 || bit_size / 8 > ONHEAP_BIN_LIMIT as u64 {
            return self.sub_binary(orig, bit_offset, bit_size);
        }
        let b = orig.as_binary()?;
        let end = bit_offset.checked_add(bit_size)?;
        if end > b.bit_size {
            return None;
        }
        let n = (bit_size / 8) as usize;
        let abs = b.bit_offset as u64 + bit_offset;
        if abs % 8 == 0 {
            let start = (abs / 8) as usize;
            let bytes = b.data.get(start..start + n)?;
            return Some(self.heap_binary(bytes));
        }
        // Unaligned: assemble each byte from two neighbours.
        let (first, shift) = ((abs / 8) as usize, (abs % 8) as u32);
        let mut bytes = [0u8; ONHEAP_BIN_LIMIT];
        for (i, byte) in bytes[..n].iter_mut().enumerate() {
            let hi = *b.data.get(first + i)?;
            let lo = b.data.get(first + i + 1).copied().unwrap_or(0);
            *byte = (hi << shift) | (lo >> (8 - shift));
        }
        Some(self.heap_binary(&bytes[..n]))
    }

    /// A flatmap node: `keys_tuple` is a tuple of the (sorted, distinct)
    /// keys and `values` the values in the same order. `None` if
    /// `keys_tuple` is not a tuple of `values.len()` elements or the map is
    /// larger than 32 pairs. Key order is the caller's job.
    fn flatmap(&mut self, keys_tuple: Term, values: &[Term]) -> Option<Term> {
        if keys_tuple.as_tuple()?.len() != values.len() || values.len() > MAP_SMALL_MAP_LIMIT {
            return None;
        }
        // SAFETY: header, size, keys and values written.
        unsafe {
            let p = self.alloc_raw(size::flatmap(values.len()));
            *p = make_map_header(MAP_TYPE_FLATMAP, 1, 0);
            *p.add(1) = values.len() as u64;
            *p.add(2) = keys_tuple.raw();
            std::ptr::copy_nonoverlapping(values.as_ptr() as *const u64, p.add(3), values.len());
            Some(Term::make_boxed(p))
        }
    }

    /// A flatmap from keys and values (builds the keys tuple too).
    fn flatmap_from(&mut self, keys: &[Term], values: &[Term]) -> Option<Term> {
        if keys.len() != values.len() || keys.len() > MAP_SMALL_MAP_LIMIT {
            return None;
        }
        let kt = self.tuple(keys);
        self.flatmap(kt, values)
    }

    /// An inner HAMT node; `children.len()` must equal the number of set
    /// bits of `bitmap` (`0xffff` is a full array node). Children are
    /// sub-nodes or `[K|V]` cons leaves.
    fn hamt_node(&mut self, bitmap: u16, children: &[Term]) -> Option<Term> {
        if bitmap.count_ones() as usize != children.len() || children.is_empty() {
            return None;
        }
        // SAFETY: header and children written.
        unsafe {
            let p = self.alloc_raw(size::hamt_node(children.len()));
            *p = make_map_header(MAP_TYPE_NODE_BITMAP, 0, bitmap as u64);
            std::ptr::copy_nonoverlapping(
                children.as_ptr() as *const u64,
                p.add(1),
                children.len(),
            );
            Some(Term::make_boxed(p))
        }
    }

    /// A HAMT head (root) node holding `size` pairs in total. A full bitmap
    /// (`0xffff`) makes an array head, otherwise a bitmap head.
    fn hamt_head(&mut self, size: usize, bitmap: u16, children: &[Term]) -> Option<Term> {
        if bitmap.count_ones() as usize != children.len() {
            return None;
        }
        let hdr = if bitmap == 0xffff {
            make_map_header(MAP_TYPE_HEAD_ARRAY, 1, 0xffff)
        } else {
            make_map_header(MAP_TYPE_HEAD_BITMAP, 1, bitmap as u64)
        };
        // SAFETY: header, size and children written.
        unsafe {
            let p = self.alloc_raw(size::hamt_head(children.len()));
            *p = hdr;
            *p.add(1) = size as u64;
            std::ptr::copy_nonoverlapping(
                children.as_ptr() as *const u64,
                p.add(2),
                children.len(),
            );
            Some(Term::make_boxed(p))
        }
    }

    /// A local fun (closure) with free variables `env` (at most 255).
    fn closure(&mut self, desc: &FunDesc, env: &[Term]) -> Option<Term> {
        if env.len() > 255 || desc.arity > 255 {
            return None;
        }
        let words = size::closure(env.len());
        let info =
            ((desc.index as u64) << 32) | ((env.len() as u64) << 16) | ((desc.arity as u64) << 8);
        // SAFETY: all words written.
        unsafe {
            let p = self.alloc_raw(words);
            *p = make_header(words as u64 - 1, subtag::FUN);
            *p.add(1) = info;
            *p.add(2) = Term::atom(desc.module).raw();
            *p.add(3) = (desc.old_index as u64) | ((desc.old_uniq as u64) << 32);
            *p.add(4) = u64::from_le_bytes(desc.uniq[..8].try_into().unwrap_or([0; 8]));
            *p.add(5) = u64::from_le_bytes(desc.uniq[8..].try_into().unwrap_or([0; 8]));
            *p.add(6) = desc.creator.raw();
            std::ptr::copy_nonoverlapping(env.as_ptr() as *const u64, p.add(7), env.len());
            Some(Term::make_boxed(p))
        }
    }

    /// An export fun `fun Module:Function/Arity` (arity ≤ 255).
    fn export(&mut self, module: Atom, function: Atom, arity: u32) -> Option<Term> {
        if arity > 255 {
            return None;
        }
        // SAFETY: all words written.
        unsafe {
            let p = self.alloc_raw(size::EXPORT);
            *p = make_header(3, subtag::FUN);
            *p.add(1) = ((arity as u64) << 8) | FUN_INFO_EXPORT;
            *p.add(2) = Term::atom(module).raw();
            *p.add(3) = Term::atom(function).raw();
            Some(Term::make_boxed(p))
        }
    }

    /// An external pid.
    fn external_pid(&mut self, node: Atom, creation: u32, number: u32, serial: u32) -> Term {
        // SAFETY: all words written.
        unsafe {
            let p = self.alloc_raw(size::EXTERNAL_PID);
            *p = make_header(4, subtag::EXTERNAL_PID);
            *p.add(1) = Term::atom(node).raw();
            *p.add(2) = creation as u64;
            *p.add(3) = number as u64;
            *p.add(4) = serial as u64;
            Term::make_boxed(p)
        }
    }

    /// An external port.
    fn external_port(&mut self, node: Atom, creation: u32, id: u64) -> Term {
        // SAFETY: all words written.
        unsafe {
            let p = self.alloc_raw(size::EXTERNAL_PORT);
            *p = make_header(3, subtag::EXTERNAL_PORT);
            *p.add(1) = Term::atom(node).raw();
            *p.add(2) = creation as u64;
            *p.add(3) = id;
            Term::make_boxed(p)
        }
    }

    /// A local reference with 1..=5 numbers (ordinary refs have 3).
    fn local_ref(&mut self, numbers: &[u32]) -> Option<Term> {
        if numbers.is_empty() || numbers.len() > 5 {
            return None;
        }
        let words = size::local_ref(numbers.len());
        // SAFETY: all words written (the last one zeroed first).
        unsafe {
            let p = self.alloc_raw(words);
            *p = make_header(words as u64 - 1, subtag::REF);
            *p.add(1) = numbers.len() as u64;
            *p.add(words - 1) = 0;
            std::ptr::copy_nonoverlapping(numbers.as_ptr(), p.add(2) as *mut u32, numbers.len());
            Some(Term::make_boxed(p))
        }
    }

    /// An external reference with 1..=5 numbers.
    fn external_ref(&mut self, node: Atom, creation: u32, numbers: &[u32]) -> Option<Term> {
        if numbers.is_empty() || numbers.len() > 5 {
            return None;
        }
        let words = size::external_ref(numbers.len());
        // SAFETY: all words written (the last one zeroed first).
        unsafe {
            let p = self.alloc_raw(words);
            *p = make_header(words as u64 - 1, subtag::EXTERNAL_REF);
            *p.add(1) = Term::atom(node).raw();
            *p.add(2) = creation as u64;
            *p.add(3) = numbers.len() as u64;
            *p.add(words - 1) = 0;
            std::ptr::copy_nonoverlapping(numbers.as_ptr(), p.add(4) as *mut u32, numbers.len());
            Some(Term::make_boxed(p))
        }
    }

    /// A binary match state over the bitstring `bin` with `slots` saved
    /// positions (all initialised to the start). `None` if `bin` is not a
    /// bitstring.
    fn match_state(&mut self, bin: Term, slots: usize) -> Option<Term> {
        let b = bin.as_binary()?;
        let start = b.orig_byte_offset as u64 * 8 + b.bit_offset as u64;
        let words = size::match_state(slots);
        // SAFETY: all words written.
        unsafe {
            let p = self.alloc_raw(words);
            *p = make_header(words as u64 - 1, subtag::BIN_MATCHSTATE);
            *p.add(1) = b.orig.raw();
            *p.add(2) = start;
            *p.add(3) = start + b.bit_size;
            for i in 0..slots {
                *p.add(4 + i) = start;
            }
            Some(Term::make_boxed(p))
        }
    }

    /// Deep-copies `t` onto this builder (see [`super::copy::copy`]).
    fn copy_term(&mut self, t: Term) -> Term
    where
        Self: Sized,
    {
        super::copy::copy(t, self)
    }
}
