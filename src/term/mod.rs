//! Erlang terms: one tagged 64-bit word, laid out exactly like ERTS on 64-bit
//! (`erl_term.h`).
//!
//! # Word layout
//!
//! The low 2 bits are the *primary tag*:
//!
//! | tag  | meaning                                                     |
//! |------|-------------------------------------------------------------|
//! | `00` | header word (only inside heap objects; `Term(0)` = NON_VALUE, which is also the empty tuple's header word, as in ERTS)|
//! | `01` | list cell pointer (address of a 2-word `[head, tail]` cell) |
//! | `10` | boxed pointer (address of an object starting with a header) |
//! | `11` | immediate                                                   |
//!
//! Immediates (`immed1`, 4-bit tag): `0011` local pid (28-bit data:
//! number 15 bits, serial 13 bits), `0111` local port (number), `1111`
//! small integer (60-bit signed, `value << 4 | 0xF`), `1011` → `immed2`
//! (6-bit tag): `001011` atom (`index << 6 | 0x0B`), `011011` catch,
//! `111011` nil `[]` (`0x3B`).
//!
//! Boxed objects start with a header `arity << 6 | subtag` (subtag = 4
//! bits << 2, primary tag 00):
//!
//! | subtag | object | words after the header |
//! |--------|--------|------------------------|
//! | 0x00 | tuple | the elements |
//! | 0x04 | match state | `[orig binary][bit offset][bit end][saved offsets..]` |
//! | 0x08/0x0C | pos/neg bignum | little-endian `u64` digits (magnitude) |
//! | 0x10 | local ref | `[n][u32 numbers packed 2 per word]` |
//! | 0x14 | fun | local: `[info][module][old_index + (old_uniq << 32)][uniq lo][uniq hi][creator][env..]`; export: `[info][module][function]` (ERTS 25 represents `fun M:F/A` as a FUN thing too) |
//! | 0x18 | float | `[f64 bits]` |
//! | 0x20 | refc binary (ProcBin) | `[byte size][*const OffHeapBinary][bytes ptr]` |
//! | 0x24 | heap binary (≤ 64 bytes) | `[byte size][bytes..]` |
//! | 0x28 | sub binary | `[bit size][bit offset][orig]` (orig is a heap/refc binary) |
//! | 0x30 | external pid | `[node atom][creation][number][serial]` |
//! | 0x34 | external port | `[node atom][creation][id]` |
//! | 0x38 | external ref | `[node atom][creation][n][u32 numbers..]` |
//! | 0x3C | map | see below |
//!
//! Maps follow `erl_map.h`: the header is `val:16 | arity:8 | mtype:2 |
//! 0x3C`. Flatmap (`mtype 0`): `[hdr][size][keys tuple][v1..vn]`. HAMT
//! (`mtype 1` node bitmap: `[hdr][children..]`; `mtype 2` head array:
//! `[hdr][size][16 children]`; `mtype 3` head bitmap: `[hdr][size]
//! [children..]`); `val` holds the 16-bit bitmap (0xffff for arrays).
//! Leaves are cons cells `[K|V]`.
//!
//! A fun's `info` word: bit 0 = export fun, bits 8..16 = arity, bits
//! 16..24 = number of free variables, bits 32..64 = fun index. The GC
//! scans a local fun's `creator` and `env` words as terms.
//!
//! # API
//!
//! * [`Term`] is `Copy`; immediates are built with `Term::small`,
//!   [`Term::atom`], [`Term::NIL`], [`Term::pid`], ... Boxed terms and
//!   lists are built through [`crate::heap::HeapBuilder`] (implemented by
//!   process heaps and heap fragments).
//! * Read a term with [`Term::view`] → [`TermView`] (tuple elements as
//!   `&[Term]`, bignum digits, binaries as [`BinaryView`], maps as
//!   [`MapView`], closures as [`ClosureView`], ...) or the shortcut
//!   accessors (`as_small`, `as_atom`, `as_tuple`, `as_cons`, `as_float`,
//!   `as_big`, `as_binary`, `as_bytes`, `as_map`, `to_bigint`, ...) and
//!   predicates (`is_tuple`, `is_binary`, `is_number`, ...; [`Term::kind`]
//!   classifies in one step).
//! * Process heaps ([`crate::heap::Heap`]): reserve with `heap.need(words,
//!   roots)` (may GC and move every term reachable from the roots, which
//!   are updated in place), then build. `crate::heap::size_of` /
//!   `crate::heap::copy` size and deep-copy terms (messages: copy into a
//!   [`crate::heap::HeapFragment`], then `Heap::attach_fragment`).
//! * Module literals live in a [`crate::heap::LiteralArea`]; the GC never
//!   copies them.
//! * A pointer term is valid until the next GC of the heap that holds it
//!   (or, for literals, until its literal area is dropped): the borrowed
//!   slices in a view must not be kept across a GC. That is the only rule;
//!   the unsafe code lives in `term/`, `heap/` and `gc/`.
//! * [`size::`](size) gives the word size of each object kind, for callers
//!   that reserve heap space before building.

use crate::atom::{atoms, Atom};
use num_bigint::{BigInt, Sign};
use std::fmt;

pub mod atom;
pub mod cmp;
pub mod hash;
pub mod map;
pub mod size;
mod view;

pub use view::*;

/// Primary tag: header word.
pub const TAG_PRIMARY_HEADER: u64 = 0x0;
/// Primary tag: list cell pointer.
pub const TAG_PRIMARY_LIST: u64 = 0x1;
/// Primary tag: boxed pointer.
pub const TAG_PRIMARY_BOXED: u64 = 0x2;
/// Primary tag: immediate.
pub const TAG_PRIMARY_IMMED1: u64 = 0x3;
/// Mask of the primary tag.
pub const TAG_PRIMARY_MASK: u64 = 0x3;

const TAG_IMMED1_MASK: u64 = 0xF;
const TAG_IMMED1_PID: u64 = 0x3;
const TAG_IMMED1_PORT: u64 = 0x7;
const TAG_IMMED1_IMMED2: u64 = 0xB;
const TAG_IMMED1_SMALL: u64 = 0xF;
const TAG_IMMED2_MASK: u64 = 0x3F;
const TAG_IMMED2_ATOM: u64 = 0x0B;
const TAG_IMMED2_CATCH: u64 = 0x1B;
const TAG_IMMED2_NIL: u64 = 0x3B;

/// Header subtags (`erl_term.h`), including the primary tag bits (00).
pub mod subtag {
    /// Tuple (`ARITYVAL_SUBTAG`).
    pub const ARITYVAL: u64 = 0x0 << 2;
    /// Binary match state.
    pub const BIN_MATCHSTATE: u64 = 0x1 << 2;
    /// Positive bignum.
    pub const POS_BIG: u64 = 0x2 << 2;
    /// Negative bignum.
    pub const NEG_BIG: u64 = 0x3 << 2;
    /// Local reference.
    pub const REF: u64 = 0x4 << 2;
    /// Fun (closure or export).
    pub const FUN: u64 = 0x5 << 2;
    /// Float.
    pub const FLOAT: u64 = 0x6 << 2;
    /// Reference-counted off-heap binary handle.
    pub const REFC_BINARY: u64 = 0x8 << 2;
    /// Heap binary.
    pub const HEAP_BINARY: u64 = 0x9 << 2;
    /// Sub binary.
    pub const SUB_BINARY: u64 = 0xA << 2;
    /// External pid.
    pub const EXTERNAL_PID: u64 = 0xC << 2;
    /// External port.
    pub const EXTERNAL_PORT: u64 = 0xD << 2;
    /// External reference.
    pub const EXTERNAL_REF: u64 = 0xE << 2;
    /// Map.
    pub const MAP: u64 = 0xF << 2;
    /// Mask of the subtag within a header (4 bits, plus primary 00).
    pub const MASK: u64 = 0x3F;
}

/// Header arity offset.
pub const HEADER_ARITY_OFFS: u32 = 6;

/// Map header type: flatmap.
pub const MAP_TYPE_FLATMAP: u64 = 0;
/// Map header type: HAMT node with bitmap.
pub const MAP_TYPE_NODE_BITMAP: u64 = 1;
/// Map header type: HAMT head with a full 16-slot array.
pub const MAP_TYPE_HEAD_ARRAY: u64 = 2;
/// Map header type: HAMT head with a bitmap.
pub const MAP_TYPE_HEAD_BITMAP: u64 = 3;

/// Largest flatmap (ERTS `MAP_SMALL_MAP_LIMIT`).
pub const MAP_SMALL_MAP_LIMIT: usize = 32;
/// Largest byte size stored as a heap binary (`ERL_ONHEAP_BIN_LIMIT`).
pub const ONHEAP_BIN_LIMIT: usize = 64;

/// Smallest small integer (−2^59).
pub const MIN_SMALL: i64 = -(1 << 59);
/// Largest small integer (2^59 − 1).
pub const MAX_SMALL: i64 = (1 << 59) - 1;

/// Largest local pid number (15 bits).
pub const MAX_PID_NUMBER: u32 = (1 << 15) - 1;
/// Largest local pid serial (13 bits).
pub const MAX_PID_SERIAL: u32 = (1 << 13) - 1;
/// Largest local port number (28 bits, like ERTS 25's `_PORT_DATA_SIZE`).
pub const MAX_PORT_NUMBER: u64 = (1 << 28) - 1;

/// Flag bit in a fun's info word: this is an export fun (`fun M:F/A`).
pub(crate) const FUN_INFO_EXPORT: u64 = 1;

/// Builds a header word.
#[inline]
pub const fn make_header(arity: u64, subtag: u64) -> u64 {
    (arity << HEADER_ARITY_OFFS) | subtag
}

/// Builds a map header word (`MAKE_MAP_HEADER`).
#[inline]
pub const fn make_map_header(mtype: u64, arity: u64, val: u64) -> u64 {
    make_header(
        ((val & 0xffff) << 10) | ((arity & 0xff) << 2) | mtype,
        subtag::MAP,
    )
}

/// A tagged Erlang term (one machine word).
///
/// Equality (`==` on `Term`) compares the raw words; Erlang term equality
/// lives in [`cmp`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Term(u64);

/// The kind of a term, for quick dispatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Small or big integer.
    Integer,
    /// Float.
    Float,
    /// Atom.
    Atom,
    /// Reference (local or external).
    Ref,
    /// Fun (closure or export).
    Fun,
    /// Port (local or external).
    Port,
    /// Pid (local or external).
    Pid,
    /// Tuple.
    Tuple,
    /// Map.
    Map,
    /// Empty list.
    Nil,
    /// Cons cell.
    Cons,
    /// Binary or bitstring.
    Bitstring,
    /// Binary match state (internal).
    MatchState,
    /// Catch marker (internal, stack only).
    Catch,
    /// Not a term (NON_VALUE or a header word).
    NonValue,
}

impl Term {
    /// The empty list `[]`.
    pub const NIL: Term = Term(TAG_IMMED2_NIL);
    /// ERTS's `THE_NON_VALUE`: "no term" marker (never a valid Erlang value).
    pub const NON_VALUE: Term = Term(0);
    /// The atom `true`.
    pub const TRUE: Term = Term::atom(atoms::TRUE);
    /// The atom `false`.
    pub const FALSE: Term = Term::atom(atoms::FALSE);
    /// The atom `undefined`.
    pub const UNDEFINED: Term = Term::atom(atoms::UNDEFINED);
    /// The atom `ok`.
    pub const OK: Term = Term::atom(atoms::OK);
    /// The atom `error`.
    pub const ERROR: Term = Term::atom(atoms::ERROR);

    /// The raw word.
    #[inline]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// Rebuilds a term from a raw word.
    ///
    /// # Safety
    /// If the word is a list or boxed pointer it must point to a live,
    /// well-formed object (in a heap, fragment or literal area).
    #[inline]
    pub const unsafe fn from_raw(w: u64) -> Term {
        Term(w)
    }

    /// Builds an immediate from a raw word; `None` unless the word has the
    /// immediate primary tag (safe: immediates carry no pointer).
    #[inline]
    pub const fn immediate_from_raw(w: u64) -> Option<Term> {
        if w & TAG_PRIMARY_MASK == TAG_PRIMARY_IMMED1 {
            Some(Term(w))
        } else {
            None
        }
    }

    /// Creates a stack continuation pointer word (`CP`): `value` shifted
    /// left by 2, primary tag 00. The GC never touches such words on the
    /// stack. Returns `None` if `value` does not fit in 62 bits.
    #[inline]
    pub const fn cp(value: u64) -> Option<Term> {
        if value >> 62 != 0 {
            None
        } else {
            Some(Term(value << 2))
        }
    }

    /// The value of a continuation pointer word made by [`Term::cp`].
    #[inline]
    pub const fn cp_value(self) -> Option<u64> {
        if self.0 & TAG_PRIMARY_MASK == TAG_PRIMARY_HEADER {
            Some(self.0 >> 2)
        } else {
            None
        }
    }

    // ---------------------------------------------------------------
    // Immediates

    /// Small integer; `None` if out of the 60-bit range.
    #[inline]
    pub const fn small(v: i64) -> Option<Term> {
        if v >= MIN_SMALL && v <= MAX_SMALL {
            Some(Term(((v as u64) << 4) | TAG_IMMED1_SMALL))
        } else {
            None
        }
    }

    /// `self + other` when both are small integers and so is the sum,
    /// computed on the tagged words (one overflow check: a tagged small
    /// spans the whole `i64` range).
    #[inline(always)]
    pub const fn small_add(self, other: Term) -> Option<Term> {
        if self.0 & other.0 & TAG_IMMED1_MASK != TAG_IMMED1_SMALL {
            return None;
        }
        match (self.0 as i64).checked_add((other.0 ^ TAG_IMMED1_SMALL) as i64) {
            Some(r) => Some(Term(r as u64)),
            None => None,
        }
    }

    /// `self - other` when both are small integers and so is the
    /// difference (as [`Term::small_add`]).
    #[inline(always)]
    pub const fn small_sub(self, other: Term) -> Option<Term> {
        if self.0 & other.0 & TAG_IMMED1_MASK != TAG_IMMED1_SMALL {
            return None;
        }
        match (self.0 as i64).checked_sub((other.0 ^ TAG_IMMED1_SMALL) as i64) {
            Some(r) => Some(Term(r as u64)),
            None => None,
        }
    }

    /// `self + delta` when `self` is a small integer and so is the sum.
    #[inline(always)]
    pub const fn small_add_imm(self, delta: i32) -> Option<Term> {
        if self.0 & TAG_IMMED1_MASK != TAG_IMMED1_SMALL {
            return None;
        }
        match (self.0 as i64).checked_add((delta as i64) << 4) {
            Some(r) => Some(Term(r as u64)),
            None => None,
        }
    }

    /// Small integer without range check (the value is truncated to 60 bits).
    #[inline]
    pub const fn small_unchecked(v: i64) -> Term {
        Term(((v as u64) << 4) | TAG_IMMED1_SMALL)
    }

    /// Whether `v` fits in a small integer.
    #[inline]
    pub const fn fits_small(v: i64) -> bool {
        v >= MIN_SMALL && v <= MAX_SMALL
    }

    /// Atom term.
    #[inline]
    pub const fn atom(a: Atom) -> Term {
        Term(((a.index() as u64) << 6) | TAG_IMMED2_ATOM)
    }

    /// `true` or `false`.
    #[inline]
    pub const fn bool(b: bool) -> Term {
        if b {
            Term::TRUE
        } else {
            Term::FALSE
        }
    }

    /// Catch marker (stack only) with an index/label payload (58 bits).
    #[inline]
    pub const fn catch(ix: u64) -> Term {
        Term((ix << 6) | TAG_IMMED2_CATCH)
    }

    /// Local pid from number (15 bits) and serial (13 bits).
    #[inline]
    pub const fn pid(number: u32, serial: u32) -> Option<Term> {
        if number > MAX_PID_NUMBER || serial > MAX_PID_SERIAL {
            None
        } else {
            Some(Term::pid_from_data(((serial as u64) << 15) | number as u64))
        }
    }

    /// Local pid from its 28-bit data word (`serial << 15 | number`);
    /// extra high bits are dropped.
    #[inline]
    pub const fn pid_from_data(data: u64) -> Term {
        Term(((data & 0x0FFF_FFFF) << 4) | TAG_IMMED1_PID)
    }

    /// Local port from its number (28 bits).
    #[inline]
    pub const fn port(number: u64) -> Option<Term> {
        if number > MAX_PORT_NUMBER {
            None
        } else {
            Some(Term((number << 4) | TAG_IMMED1_PORT))
        }
    }

    // ---------------------------------------------------------------
    // Tag predicates

    /// Primary tag (2 bits).
    #[inline]
    pub const fn primary_tag(self) -> u64 {
        self.0 & TAG_PRIMARY_MASK
    }

    /// Immediate (no pointer).
    #[inline]
    pub const fn is_immediate(self) -> bool {
        self.0 & TAG_PRIMARY_MASK == TAG_PRIMARY_IMMED1
    }

    /// Boxed pointer.
    #[inline]
    pub const fn is_boxed(self) -> bool {
        self.0 & TAG_PRIMARY_MASK == TAG_PRIMARY_BOXED
    }

    /// Non-empty list cell.
    #[inline]
    pub const fn is_cons(self) -> bool {
        self.0 & TAG_PRIMARY_MASK == TAG_PRIMARY_LIST
    }

    /// `[]`.
    #[inline]
    pub const fn is_nil(self) -> bool {
        self.0 == TAG_IMMED2_NIL
    }

    /// List: cons or nil.
    #[inline]
    pub const fn is_list(self) -> bool {
        self.is_cons() || self.is_nil()
    }

    /// `THE_NON_VALUE`.
    #[inline]
    pub const fn is_non_value(self) -> bool {
        self.0 == 0
    }

    /// A real Erlang value (not NON_VALUE or a header/CP word).
    #[inline]
    pub const fn is_value(self) -> bool {
        self.0 & TAG_PRIMARY_MASK != TAG_PRIMARY_HEADER
    }

    /// Small integer.
    #[inline]
    pub const fn is_small(self) -> bool {
        self.0 & TAG_IMMED1_MASK == TAG_IMMED1_SMALL
    }

    /// Atom.
    #[inline]
    pub const fn is_atom(self) -> bool {
        self.0 & TAG_IMMED2_MASK == TAG_IMMED2_ATOM
    }

    /// Catch marker.
    #[inline]
    pub const fn is_catch(self) -> bool {
        self.0 & TAG_IMMED2_MASK == TAG_IMMED2_CATCH
    }

    /// Local pid.
    #[inline]
    pub const fn is_local_pid(self) -> bool {
        self.0 & TAG_IMMED1_MASK == TAG_IMMED1_PID
    }

    /// Local port.
    #[inline]
    pub const fn is_local_port(self) -> bool {
        self.0 & TAG_IMMED1_MASK == TAG_IMMED1_PORT
    }

    /// `true` or `false`.
    #[inline]
    pub const fn is_boolean(self) -> bool {
        self.0 == Term::TRUE.0 || self.0 == Term::FALSE.0
    }

    /// The header word of a boxed term (`None` for non-boxed).
    #[inline]
    pub fn header(self) -> Option<u64> {
        if self.is_boxed() {
            // SAFETY: a boxed term always points to a live object whose
            // first word is its header (invariant of `Term` construction).
            Some(unsafe { *self.boxed_ptr() })
        } else {
            None
        }
    }

    #[inline]
    fn boxed_subtag(self) -> Option<u64> {
        self.header().map(|h| h & subtag::MASK)
    }

    /// Tuple.
    #[inline]
    pub fn is_tuple(self) -> bool {
        self.boxed_subtag() == Some(subtag::ARITYVAL)
    }

    /// Bignum.
    #[inline]
    pub fn is_big(self) -> bool {
        matches!(self.boxed_subtag(), Some(subtag::POS_BIG | subtag::NEG_BIG))
    }

    /// Small or big integer.
    #[inline]
    pub fn is_integer(self) -> bool {
        self.is_small() || self.is_big()
    }

    /// Float.
    #[inline]
    pub fn is_float(self) -> bool {
        self.boxed_subtag() == Some(subtag::FLOAT)
    }

    /// Integer or float.
    #[inline]
    pub fn is_number(self) -> bool {
        self.is_small()
            || matches!(
                self.boxed_subtag(),
                Some(subtag::POS_BIG | subtag::NEG_BIG | subtag::FLOAT)
            )
    }

    /// Bitstring (any binary kind, any bit length).
    #[inline]
    pub fn is_bitstring(self) -> bool {
        matches!(
            self.boxed_subtag(),
            Some(subtag::REFC_BINARY | subtag::HEAP_BINARY | subtag::SUB_BINARY)
        )
    }

    /// Binary (bitstring whose bit length is a multiple of 8).
    #[inline]
    pub fn is_binary(self) -> bool {
        match self.boxed_subtag() {
            Some(subtag::REFC_BINARY | subtag::HEAP_BINARY) => true,
            // SAFETY: a sub binary's word 1 is its bit size.
            Some(subtag::SUB_BINARY) => (unsafe { *self.boxed_ptr().add(1) }) % 8 == 0,
            _ => false,
        }
    }

    /// Map.
    #[inline]
    pub fn is_map(self) -> bool {
        self.boxed_subtag() == Some(subtag::MAP)
    }

    /// Fun (closure or export).
    #[inline]
    pub fn is_fun(self) -> bool {
        self.boxed_subtag() == Some(subtag::FUN)
    }

    /// Pid (local or external).
    #[inline]
    pub fn is_pid(self) -> bool {
        self.is_local_pid() || self.boxed_subtag() == Some(subtag::EXTERNAL_PID)
    }

    /// Port (local or external).
    #[inline]
    pub fn is_port(self) -> bool {
        self.is_local_port() || self.boxed_subtag() == Some(subtag::EXTERNAL_PORT)
    }

    /// Reference (local or external).
    #[inline]
    pub fn is_ref(self) -> bool {
        matches!(
            self.boxed_subtag(),
            Some(subtag::REF | subtag::EXTERNAL_REF)
        )
    }

    /// Binary match state.
    #[inline]
    pub fn is_match_state(self) -> bool {
        self.boxed_subtag() == Some(subtag::BIN_MATCHSTATE)
    }

    /// The term's kind.
    pub fn kind(self) -> Kind {
        match self.0 & TAG_PRIMARY_MASK {
            TAG_PRIMARY_LIST => Kind::Cons,
            TAG_PRIMARY_HEADER => Kind::NonValue,
            TAG_PRIMARY_IMMED1 => match self.0 & TAG_IMMED1_MASK {
                TAG_IMMED1_PID => Kind::Pid,
                TAG_IMMED1_PORT => Kind::Port,
                TAG_IMMED1_SMALL => Kind::Integer,
                TAG_IMMED1_IMMED2 => match self.0 & TAG_IMMED2_MASK {
                    TAG_IMMED2_ATOM => Kind::Atom,
                    TAG_IMMED2_CATCH => Kind::Catch,
                    TAG_IMMED2_NIL => Kind::Nil,
                    _ => Kind::NonValue,
                },
                _ => Kind::NonValue,
            },
            _ => match self.boxed_subtag().unwrap_or(0x2C) {
                subtag::ARITYVAL => Kind::Tuple,
                subtag::BIN_MATCHSTATE => Kind::MatchState,
                subtag::POS_BIG | subtag::NEG_BIG => Kind::Integer,
                subtag::REF | subtag::EXTERNAL_REF => Kind::Ref,
                subtag::FUN => Kind::Fun,
                subtag::FLOAT => Kind::Float,
                subtag::REFC_BINARY | subtag::HEAP_BINARY | subtag::SUB_BINARY => Kind::Bitstring,
                subtag::EXTERNAL_PID => Kind::Pid,
                subtag::EXTERNAL_PORT => Kind::Port,
                subtag::MAP => Kind::Map,
                _ => Kind::NonValue,
            },
        }
    }

    // ---------------------------------------------------------------
    // Immediate accessors

    /// Value of a small integer.
    #[inline]
    pub const fn as_small(self) -> Option<i64> {
        if self.is_small() {
            Some((self.0 as i64) >> 4)
        } else {
            None
        }
    }

    /// Value of a small integer, without tag check.
    #[inline]
    pub const fn small_value_unchecked(self) -> i64 {
        (self.0 as i64) >> 4
    }

    /// The atom of an atom term.
    #[inline]
    pub const fn as_atom(self) -> Option<Atom> {
        if self.is_atom() {
            Some(Atom::from_index_unchecked((self.0 >> 6) as u32))
        } else {
            None
        }
    }

    /// `Some(b)` for `true`/`false`.
    #[inline]
    pub const fn as_bool(self) -> Option<bool> {
        if self.0 == Term::TRUE.0 {
            Some(true)
        } else if self.0 == Term::FALSE.0 {
            Some(false)
        } else {
            None
        }
    }

    /// Payload of a catch marker.
    #[inline]
    pub const fn as_catch(self) -> Option<u64> {
        if self.is_catch() {
            Some(self.0 >> 6)
        } else {
            None
        }
    }

    /// Data of a local pid (`serial << 15 | number`).
    #[inline]
    pub const fn local_pid_data(self) -> Option<u64> {
        if self.is_local_pid() {
            Some(self.0 >> 4)
        } else {
            None
        }
    }

    /// `(number, serial)` of a local pid.
    #[inline]
    pub const fn as_local_pid(self) -> Option<(u32, u32)> {
        if self.is_local_pid() {
            let d = self.0 >> 4;
            Some(((d & 0x7fff) as u32, ((d >> 15) & 0x1fff) as u32))
        } else {
            None
        }
    }

    /// Number of a local port.
    #[inline]
    pub const fn as_local_port(self) -> Option<u64> {
        if self.is_local_port() {
            Some(self.0 >> 4)
        } else {
            None
        }
    }

    // ---------------------------------------------------------------
    // Pointer helpers (crate-internal)

    /// Address of a boxed object (caller checks `is_boxed`).
    #[inline]
    pub(crate) const fn boxed_ptr(self) -> *const u64 {
        (self.0 & !TAG_PRIMARY_MASK) as *const u64
    }

    /// Address of a list cell (caller checks `is_cons`).
    #[inline]
    pub(crate) const fn list_ptr(self) -> *const u64 {
        (self.0 & !TAG_PRIMARY_MASK) as *const u64
    }

    /// The pointed-to address of a list or boxed term, or `None`.
    #[inline]
    pub fn address(self) -> Option<usize> {
        match self.0 & TAG_PRIMARY_MASK {
            TAG_PRIMARY_LIST | TAG_PRIMARY_BOXED => Some((self.0 & !TAG_PRIMARY_MASK) as usize),
            _ => None,
        }
    }

    /// Boxed term for the object at `p`.
    #[inline]
    pub(crate) fn make_boxed(p: *const u64) -> Term {
        Term(p as u64 | TAG_PRIMARY_BOXED)
    }

    /// List term for the cell at `p`.
    #[inline]
    pub(crate) fn make_list(p: *const u64) -> Term {
        Term(p as u64 | TAG_PRIMARY_LIST)
    }

    // ---------------------------------------------------------------
    // Boxed accessors

    /// Head and tail of a cons cell.
    #[inline]
    pub fn as_cons(self) -> Option<(Term, Term)> {
        if self.is_cons() {
            let p = self.list_ptr();
            // SAFETY: a list term points to a live 2-word cell.
            unsafe { Some((Term(*p), Term(*p.add(1)))) }
        } else {
            None
        }
    }

    /// Elements of a tuple.
    #[inline]
    pub fn as_tuple(&self) -> Option<&[Term]> {
        let h = self.header()?;
        if h & subtag::MASK != subtag::ARITYVAL {
            return None;
        }
        let n = (h >> HEADER_ARITY_OFFS) as usize;
        // SAFETY: a tuple object is a header followed by `n` term words,
        // live as long as the term is (see module docs).
        Some(unsafe { std::slice::from_raw_parts(self.boxed_ptr().add(1) as *const Term, n) })
    }

    /// Value of a float.
    #[inline]
    pub fn as_float(self) -> Option<f64> {
        let h = self.header()?;
        if h & subtag::MASK != subtag::FLOAT {
            return None;
        }
        // SAFETY: a float object is a header plus one word of f64 bits.
        Some(f64::from_bits(unsafe { *self.boxed_ptr().add(1) }))
    }

    /// Sign and magnitude digits (little-endian u64) of a bignum.
    #[inline]
    pub fn as_big(&self) -> Option<(bool, &[u64])> {
        let h = self.header()?;
        let neg = match h & subtag::MASK {
            subtag::POS_BIG => false,
            subtag::NEG_BIG => true,
            _ => return None,
        };
        let n = (h >> HEADER_ARITY_OFFS) as usize;
        // SAFETY: a bignum object is a header plus `n` digit words.
        Some((neg, unsafe {
            std::slice::from_raw_parts(self.boxed_ptr().add(1), n)
        }))
    }

    /// Integer value (small or big) as `i64`, if it fits.
    pub fn as_i64(self) -> Option<i64> {
        if let Some(v) = self.as_small() {
            return Some(v);
        }
        let (neg, d) = self.as_big()?;
        if d.len() != 1 {
            return None;
        }
        if neg {
            if d[0] <= 1u64 << 63 {
                Some((d[0] as i64).wrapping_neg())
            } else {
                None
            }
        } else if d[0] <= i64::MAX as u64 {
            Some(d[0] as i64)
        } else {
            None
        }
    }

    /// Integer value (small or big) as `i128`, if it fits.
    pub fn as_i128(self) -> Option<i128> {
        if let Some(v) = self.as_small() {
            return Some(v as i128);
        }
        let (neg, d) = self.as_big()?;
        let mag: u128 = match d {
            [a] => *a as u128,
            [a, b] => (*a as u128) | ((*b as u128) << 64),
            _ => return None,
        };
        if neg {
            if mag <= 1u128 << 127 {
                Some((mag as i128).wrapping_neg())
            } else {
                None
            }
        } else if mag <= i128::MAX as u128 {
            Some(mag as i128)
        } else {
            None
        }
    }

    /// Integer value (small or big) as a `BigInt`.
    pub fn to_bigint(self) -> Option<BigInt> {
        if let Some(v) = self.as_small() {
            return Some(BigInt::from(v));
        }
        let (neg, d) = self.as_big()?;
        let mut bytes = Vec::with_capacity(d.len() * 8);
        for w in d {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        let sign = if neg { Sign::Minus } else { Sign::Plus };
        Some(BigInt::from_bytes_le(sign, &bytes))
    }

    /// Any bitstring (heap, refc or sub binary) as a uniform view.
    pub fn as_binary(&self) -> Option<BinaryView<'_>> {
        match self.view() {
            TermView::Binary(b) => Some(b),
            _ => None,
        }
    }

    /// Bytes of a byte-aligned binary (`None` for non-binaries and for
    /// bitstrings that are not whole bytes or not byte-aligned).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.as_binary().and_then(|b| b.as_aligned_bytes())
    }

    /// Bytes of a binary (a whole number of bytes, at any bit offset:
    /// borrowed when byte-aligned, copied otherwise); `None` for
    /// non-binaries and for bitstrings that are not whole bytes. What a
    /// BIF taking a `binary()` accepts.
    pub fn binary_bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        let b = self.as_binary()?;
        if !b.is_binary() {
            return None;
        }
        Some(match b.as_aligned_bytes() {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(b.to_bytes()),
        })
    }

    /// The map view of a map node.
    pub fn as_map(&self) -> Option<MapView<'_>> {
        match self.view() {
            TermView::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Number of key/value pairs of a map (flatmap or HAMT head).
    pub fn map_size(self) -> Option<usize> {
        match self.as_map()? {
            MapView::Flat { keys, .. } => Some(keys.len()),
            MapView::HeadArray { size, .. } | MapView::HeadBitmap { size, .. } => Some(size),
            MapView::Node { .. } => None,
        }
    }

    /// Iterates over a proper or improper list: yields heads; the final
    /// tail is available from [`ListIter::tail`] once exhausted.
    pub fn iter_list(self) -> ListIter {
        ListIter { cur: self }
    }

    /// Collects a proper list into a vector (`None` if improper).
    pub fn list_to_vec(self) -> Option<Vec<Term>> {
        let mut it = self.iter_list();
        let v: Vec<Term> = it.by_ref().collect();
        if it.tail().is_nil() {
            Some(v)
        } else {
            None
        }
    }
}

/// Iterator over the heads of a list.
pub struct ListIter {
    cur: Term,
}

impl ListIter {
    /// The remaining tail (`[]` for a proper list once exhausted).
    pub fn tail(&self) -> Term {
        self.cur
    }
}

impl Iterator for ListIter {
    type Item = Term;
    fn next(&mut self) -> Option<Term> {
        let (h, t) = self.cur.as_cons()?;
        self.cur = t;
        Some(h)
    }
}

impl From<Atom> for Term {
    fn from(a: Atom) -> Term {
        Term::atom(a)
    }
}

impl fmt::Debug for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Term {
    /// Formats roughly like `io:format("~w")` (depth-limited, not exact).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        view::write_term(f, *self, 40)
    }
}

#[cfg(test)]
mod tests;
