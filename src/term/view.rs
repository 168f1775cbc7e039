//! Safe structured views of terms ([`TermView`] and friends).

use super::*;
use std::fmt;

/// Structured, borrowed view of a term. Obtained with [`Term::view`].
#[derive(Clone, Copy, Debug)]
pub enum TermView<'a> {
    /// Small integer.
    Small(i64),
    /// Atom.
    Atom(Atom),
    /// `[]`.
    Nil,
    /// Local pid.
    LocalPid {
        /// Process number (15 bits).
        number: u32,
        /// Serial (13 bits).
        serial: u32,
    },
    /// Local port number.
    LocalPort(u64),
    /// Catch marker payload (internal).
    Catch(u64),
    /// Cons cell.
    Cons(Term, Term),
    /// Tuple elements.
    Tuple(&'a [Term]),
    /// Bignum: sign and little-endian magnitude digits.
    Big {
        /// Negative?
        neg: bool,
        /// Magnitude digits, least significant first.
        digits: &'a [u64],
    },
    /// Float.
    Float(f64),
    /// Any bitstring (heap, refc or sub binary).
    Binary(BinaryView<'a>),
    /// Local reference: its 32-bit numbers (3 for ordinary refs, up to 5).
    LocalRef(&'a [u32]),
    /// External pid.
    ExternalPid {
        /// Node name.
        node: Atom,
        /// Node creation.
        creation: u32,
        /// Pid number.
        number: u32,
        /// Pid serial.
        serial: u32,
    },
    /// External port.
    ExternalPort {
        /// Node name.
        node: Atom,
        /// Node creation.
        creation: u32,
        /// Port id.
        id: u64,
    },
    /// External reference.
    ExternalRef {
        /// Node name.
        node: Atom,
        /// Node creation.
        creation: u32,
        /// Reference numbers.
        numbers: &'a [u32],
    },
    /// Map node (flatmap or HAMT node).
    Map(MapView<'a>),
    /// Local fun (closure).
    Fun(ClosureView<'a>),
    /// Export fun `fun M:F/A`.
    Export {
        /// Module.
        module: Atom,
        /// Function.
        function: Atom,
        /// Arity.
        arity: u32,
    },
    /// Binary match state (internal).
    MatchState(MatchStateView<'a>),
    /// Not a value: NON_VALUE, a CP or a header word (raw word given).
    NonValue(u64),
}

/// A bitstring of any representation.
#[derive(Clone, Copy, Debug)]
pub struct BinaryView<'a> {
    /// The bytes covering the bitstring: the first bit is bit
    /// `bit_offset` (from the most significant end) of `data[0]`;
    /// `data.len() == (bit_offset + bit_size).div_ceil(8)`.
    pub data: &'a [u8],
    /// Bit offset (0..8) of the first bit within `data[0]`.
    pub bit_offset: u8,
    /// Length in bits.
    pub bit_size: u64,
    /// The heap or refc binary holding the bytes (the term itself unless it
    /// is a sub binary).
    pub orig: Term,
    /// Byte offset of `data` within `orig`'s bytes.
    pub orig_byte_offset: usize,
}

impl<'a> BinaryView<'a> {
    /// Whether the bit length is a multiple of 8.
    pub fn is_binary(&self) -> bool {
        self.bit_size % 8 == 0
    }

    /// Number of whole bytes.
    pub fn byte_size(&self) -> usize {
        (self.bit_size / 8) as usize
    }

    /// Number of bits after the last whole byte (0..8).
    pub fn trailing_bits(&self) -> u8 {
        (self.bit_size % 8) as u8
    }

    /// The bytes if byte-aligned with a whole number of bytes.
    pub fn as_aligned_bytes(&self) -> Option<&'a [u8]> {
        if self.bit_offset == 0 && self.bit_size % 8 == 0 {
            Some(&self.data[..self.byte_size()])
        } else {
            None
        }
    }

    /// Bit `i` (0 = first, most significant) of the bitstring.
    pub fn bit(&self, i: u64) -> Option<bool> {
        if i >= self.bit_size {
            return None;
        }
        let abs = i + self.bit_offset as u64;
        let byte = self.data[(abs / 8) as usize];
        Some(byte & (0x80 >> (abs % 8)) != 0)
    }

    /// Byte `i` of the (shifted) bitstring; the last partial byte is
    /// left-aligned and zero-padded; 0 past the end.
    pub fn byte(&self, i: usize) -> u8 {
        let off = self.bit_offset as u32;
        let Some(&hi) = self.data.get(i) else {
            return 0;
        };
        let mut b = if off == 0 {
            hi
        } else {
            let lo = self.data.get(i + 1).copied().unwrap_or(0);
            (hi << off) | (lo >> (8 - off))
        };
        let total_bytes = self.bit_size.div_ceil(8) as usize;
        let tb = self.trailing_bits();
        if tb != 0 && i + 1 == total_bytes {
            b &= 0xffu8 << (8 - tb);
        }
        b
    }

    /// Copies the bitstring into aligned bytes (`ceil(bit_size/8)` bytes,
    /// the last partial byte left-aligned and zero-padded).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.bit_size.div_ceil(8) as usize;
        if self.bit_offset == 0 {
            let mut v = self.data[..n].to_vec();
            let tb = self.trailing_bits();
            if tb != 0 {
                if let Some(last) = v.last_mut() {
                    *last &= 0xffu8 << (8 - tb);
                }
            }
            v
        } else {
            (0..n).map(|i| self.byte(i)).collect()
        }
    }
}

/// A map node.
#[derive(Clone, Copy, Debug)]
pub enum MapView<'a> {
    /// Flatmap: keys are sorted (term order) and held in a tuple.
    Flat {
        /// The keys tuple term.
        keys_tuple: Term,
        /// Keys.
        keys: &'a [Term],
        /// Values, parallel to `keys`.
        values: &'a [Term],
    },
    /// HAMT root whose 16 slots are all used.
    HeadArray {
        /// Total number of pairs in the map.
        size: usize,
        /// The 16 children (sub-nodes or `[K|V]` leaves).
        children: &'a [Term],
    },
    /// HAMT root with a bitmap.
    HeadBitmap {
        /// Total number of pairs in the map.
        size: usize,
        /// Occupied slots.
        bitmap: u16,
        /// Children for the set bits, in bit order.
        children: &'a [Term],
    },
    /// Inner HAMT node (`bitmap == 0xffff` is an array node).
    Node {
        /// Occupied slots.
        bitmap: u16,
        /// Children for the set bits, in bit order.
        children: &'a [Term],
    },
}

/// A local fun (closure).
#[derive(Clone, Copy, Debug)]
pub struct ClosureView<'a> {
    /// Defining module.
    pub module: Atom,
    /// Index in the module's fun table.
    pub index: u32,
    /// Apparent arity (the arity callers use).
    pub arity: u32,
    /// Old index (ETF `OldIndex`).
    pub old_index: u32,
    /// Old unique (ETF `OldUniq`).
    pub old_uniq: u32,
    /// MD5-derived unique id (ETF `Uniq`).
    pub uniq: [u8; 16],
    /// Creator pid.
    pub creator: Term,
    /// Free variables.
    pub env: &'a [Term],
}

/// A binary match state.
#[derive(Clone, Copy, Debug)]
pub struct MatchStateView<'a> {
    /// The binary being matched (heap or refc binary).
    pub orig: Term,
    /// Current bit position in `orig`.
    pub offset: u64,
    /// End bit position in `orig`.
    pub end: u64,
    /// Saved positions (legacy `bs_save2`/`bs_restore2`).
    pub saved: &'a [u64],
}

/// Describes a fun to build (see `HeapBuilder::closure`).
#[derive(Clone, Copy, Debug)]
pub struct FunDesc {
    /// Defining module.
    pub module: Atom,
    /// Index in the module's fun table.
    pub index: u32,
    /// Apparent arity.
    pub arity: u32,
    /// Old index.
    pub old_index: u32,
    /// Old unique.
    pub old_uniq: u32,
    /// MD5-derived unique id.
    pub uniq: [u8; 16],
    /// Creator pid (local or external pid term).
    pub creator: Term,
}

/// Reads word `i` of the boxed object at `p`.
///
/// # Safety
/// `p` must point to a live object with at least `i + 1` words.
#[inline]
unsafe fn w(p: *const u64, i: usize) -> u64 {
    *p.add(i)
}

/// # Safety
/// `p` must be valid for `n` words starting at word `i`, live for `'a`.
#[inline]
unsafe fn terms<'a>(p: *const u64, i: usize, n: usize) -> &'a [Term] {
    std::slice::from_raw_parts(p.add(i) as *const Term, n)
}

/// # Safety
/// `p + i` must be valid for `n` 32-bit values, live for `'a`.
#[inline]
unsafe fn u32s<'a>(p: *const u64, i: usize, n: usize) -> &'a [u32] {
    std::slice::from_raw_parts(p.add(i) as *const u32, n)
}

impl Term {
    /// Structured view of the term. Borrowed slices are valid until the
    /// next GC of the owning heap.
    pub fn view(&self) -> TermView<'_> {
        let t = *self;
        match t.0 & TAG_PRIMARY_MASK {
            TAG_PRIMARY_HEADER => TermView::NonValue(t.0),
            TAG_PRIMARY_LIST => {
                let (h, tl) = t.as_cons().unwrap_or((Term::NIL, Term::NIL));
                TermView::Cons(h, tl)
            }
            TAG_PRIMARY_IMMED1 => match t.0 & TAG_IMMED1_MASK {
                TAG_IMMED1_SMALL => TermView::Small(t.small_value_unchecked()),
                TAG_IMMED1_PID => {
                    let (number, serial) = t.as_local_pid().unwrap_or((0, 0));
                    TermView::LocalPid { number, serial }
                }
                TAG_IMMED1_PORT => TermView::LocalPort(t.0 >> 4),
                _ => match t.0 & TAG_IMMED2_MASK {
                    TAG_IMMED2_ATOM => {
                        TermView::Atom(Atom::from_index_unchecked((t.0 >> 6) as u32))
                    }
                    TAG_IMMED2_NIL => TermView::Nil,
                    TAG_IMMED2_CATCH => TermView::Catch(t.0 >> 6),
                    _ => TermView::NonValue(t.0),
                },
            },
            _ => {
                let p = t.boxed_ptr();
                // SAFETY: boxed terms point at live objects (module invariant);
                // every read below stays within the object's size as given by
                // its well-formed header.
                unsafe { view_boxed(p) }
            }
        }
    }
}

/// # Safety
/// `p` must point to a live, well-formed boxed object.
unsafe fn view_boxed<'a>(p: *const u64) -> TermView<'a> {
    let h = *p;
    let arity = (h >> HEADER_ARITY_OFFS) as usize;
    match h & subtag::MASK {
        subtag::ARITYVAL => TermView::Tuple(terms(p, 1, arity)),
        subtag::POS_BIG => TermView::Big {
            neg: false,
            digits: std::slice::from_raw_parts(p.add(1), arity),
        },
        subtag::NEG_BIG => TermView::Big {
            neg: true,
            digits: std::slice::from_raw_parts(p.add(1), arity),
        },
        subtag::FLOAT => TermView::Float(f64::from_bits(w(p, 1))),
        subtag::REF => {
            let n = w(p, 1) as usize;
            TermView::LocalRef(u32s(p, 2, n))
        }
        subtag::EXTERNAL_PID => TermView::ExternalPid {
            node: atom_of(w(p, 1)),
            creation: w(p, 2) as u32,
            number: w(p, 3) as u32,
            serial: w(p, 4) as u32,
        },
        subtag::EXTERNAL_PORT => TermView::ExternalPort {
            node: atom_of(w(p, 1)),
            creation: w(p, 2) as u32,
            id: w(p, 3),
        },
        subtag::EXTERNAL_REF => {
            let n = w(p, 3) as usize;
            TermView::ExternalRef {
                node: atom_of(w(p, 1)),
                creation: w(p, 2) as u32,
                numbers: u32s(p, 4, n),
            }
        }
        subtag::HEAP_BINARY => {
            let n = w(p, 1) as usize;
            TermView::Binary(BinaryView {
                data: std::slice::from_raw_parts(p.add(2) as *const u8, n),
                bit_offset: 0,
                bit_size: n as u64 * 8,
                orig: Term::make_boxed(p),
                orig_byte_offset: 0,
            })
        }
        subtag::REFC_BINARY => {
            let n = w(p, 1) as usize;
            TermView::Binary(BinaryView {
                data: std::slice::from_raw_parts(w(p, 3) as *const u8, n),
                bit_offset: 0,
                bit_size: n as u64 * 8,
                orig: Term::make_boxed(p),
                orig_byte_offset: 0,
            })
        }
        subtag::SUB_BINARY => {
            let bit_size = w(p, 1);
            let bit_off = w(p, 2);
            let orig = Term(w(p, 3));
            let (base, _) = binary_base(orig.boxed_ptr());
            let byte_off = (bit_off / 8) as usize;
            let bo = (bit_off % 8) as u8;
            let len = (bo as u64 + bit_size).div_ceil(8) as usize;
            TermView::Binary(BinaryView {
                data: std::slice::from_raw_parts(base.add(byte_off), len),
                bit_offset: bo,
                bit_size,
                orig,
                orig_byte_offset: byte_off,
            })
        }
        subtag::MAP => {
            let mtype = (h >> 6) & 3;
            let val = ((h >> 16) & 0xffff) as u16;
            match mtype {
                MAP_TYPE_FLATMAP => {
                    let n = w(p, 1) as usize;
                    let kt = Term(w(p, 2));
                    TermView::Map(MapView::Flat {
                        keys_tuple: kt,
                        keys: terms(kt.boxed_ptr(), 1, n),
                        values: terms(p, 3, n),
                    })
                }
                MAP_TYPE_HEAD_ARRAY => TermView::Map(MapView::HeadArray {
                    size: w(p, 1) as usize,
                    children: terms(p, 2, 16),
                }),
                MAP_TYPE_HEAD_BITMAP => TermView::Map(MapView::HeadBitmap {
                    size: w(p, 1) as usize,
                    bitmap: val,
                    children: terms(p, 2, val.count_ones() as usize),
                }),
                _ => TermView::Map(MapView::Node {
                    bitmap: val,
                    children: terms(p, 1, val.count_ones() as usize),
                }),
            }
        }
        subtag::FUN => {
            let info = w(p, 1);
            let fun_arity = ((info >> 8) & 0xff) as u32;
            if info & FUN_INFO_EXPORT != 0 {
                TermView::Export {
                    module: atom_of(w(p, 2)),
                    function: atom_of(w(p, 3)),
                    arity: fun_arity,
                }
            } else {
                let num_free = ((info >> 16) & 0xff) as usize;
                let old = w(p, 3);
                let mut uniq = [0u8; 16];
                uniq[..8].copy_from_slice(&w(p, 4).to_le_bytes());
                uniq[8..].copy_from_slice(&w(p, 5).to_le_bytes());
                TermView::Fun(ClosureView {
                    module: atom_of(w(p, 2)),
                    index: (info >> 32) as u32,
                    arity: fun_arity,
                    old_index: old as u32,
                    old_uniq: (old >> 32) as u32,
                    uniq,
                    creator: Term(w(p, 6)),
                    env: terms(p, 7, num_free),
                })
            }
        }
        subtag::BIN_MATCHSTATE => TermView::MatchState(MatchStateView {
            orig: Term(w(p, 1)),
            offset: w(p, 2),
            end: w(p, 3),
            saved: std::slice::from_raw_parts(p.add(4), arity.saturating_sub(3)),
        }),
        _ => TermView::NonValue(h),
    }
}

/// Base byte pointer and byte size of a heap or refc binary object.
///
/// # Safety
/// `p` must point to a live heap binary or refc binary object.
pub(crate) unsafe fn binary_base(p: *const u64) -> (*const u8, usize) {
    let h = *p;
    let n = *p.add(1) as usize;
    if h & subtag::MASK == subtag::HEAP_BINARY {
        (p.add(2) as *const u8, n)
    } else {
        (*p.add(3) as *const u8, n)
    }
}

#[inline]
fn atom_of(w: u64) -> Atom {
    Term(w).as_atom().unwrap_or(atoms::UNDEFINED)
}

impl Term {
    /// `(binary, bit offset, end)` of a match state, read directly (the
    /// bit-matching instructions' accessor; no full view); `None` for
    /// anything else.
    #[inline]
    pub fn match_state_parts(self) -> Option<(Term, u64, u64)> {
        if !self.is_boxed() {
            return None;
        }
        let p = self.boxed_ptr();
        // SAFETY: a boxed term points at a live, well-formed object; a
        // match state's header is followed by its binary, offset and end.
        unsafe {
            if *p & subtag::MASK != subtag::BIN_MATCHSTATE {
                return None;
            }
            Some((Term(*p.add(1)), *p.add(2), *p.add(3)))
        }
    }

    /// The bytes of a heap or refc binary, read directly; `None` for
    /// anything else (sub binaries included: use [`Term::as_binary`]).
    #[inline]
    pub fn whole_binary_bytes(&self) -> Option<&[u8]> {
        if !self.is_boxed() {
            return None;
        }
        let p = self.boxed_ptr();
        // SAFETY: as in `view`; heap and refc binaries carry their byte
        // size and their data (inline, or a pointer to the live off-heap
        // bytes they hold a reference to).
        unsafe {
            let st = *p & subtag::MASK;
            if st != subtag::HEAP_BINARY && st != subtag::REFC_BINARY {
                return None;
            }
            let (base, n) = binary_base(p);
            Some(std::slice::from_raw_parts(base, n))
        }
    }

    /// Fun arity (closure or export).
    pub fn fun_arity(self) -> Option<u32> {
        match self.view() {
            TermView::Fun(c) => Some(c.arity),
            TermView::Export { arity, .. } => Some(arity),
            _ => None,
        }
    }
}

fn write_atom(f: &mut fmt::Formatter<'_>, a: Atom) -> fmt::Result {
    let s = a.as_str();
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain {
        f.write_str(s)
    } else {
        write!(f, "'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// Writes a term in an `~w`-like syntax, with a depth limit.
pub(crate) fn write_term(f: &mut fmt::Formatter<'_>, t: Term, depth: usize) -> fmt::Result {
    if depth == 0 {
        return f.write_str("...");
    }
    match t.view() {
        TermView::Small(i) => write!(f, "{i}"),
        TermView::Atom(a) => write_atom(f, a),
        TermView::Nil => f.write_str("[]"),
        TermView::LocalPid { number, serial } => write!(f, "<0.{number}.{serial}>"),
        TermView::LocalPort(n) => write!(f, "#Port<0.{n}>"),
        TermView::Catch(c) => write!(f, "#Catch<{c}>"),
        TermView::Cons(..) => {
            f.write_str("[")?;
            let mut cur = t;
            let mut first = true;
            let mut n = 0;
            while let Some((h, tl)) = cur.as_cons() {
                if !first {
                    f.write_str(",")?;
                }
                first = false;
                n += 1;
                if n > 200 {
                    f.write_str("...")?;
                    cur = Term::NIL;
                    break;
                }
                write_term(f, h, depth - 1)?;
                cur = tl;
            }
            if !cur.is_nil() {
                f.write_str("|")?;
                write_term(f, cur, depth - 1)?;
            }
            f.write_str("]")
        }
        TermView::Tuple(es) => {
            f.write_str("{")?;
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write_term(f, *e, depth - 1)?;
            }
            f.write_str("}")
        }
        TermView::Big { .. } => match t.to_bigint() {
            Some(b) => write!(f, "{b}"),
            None => f.write_str("#Big<?>"),
        },
        TermView::Float(x) => write!(f, "{x:?}"),
        TermView::Binary(b) => {
            f.write_str("<<")?;
            let bytes = b.to_bytes();
            let whole = b.byte_size();
            for (i, byte) in bytes.iter().enumerate().take(whole) {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{byte}")?;
            }
            if b.trailing_bits() != 0 {
                if whole > 0 {
                    f.write_str(",")?;
                }
                let tb = b.trailing_bits();
                write!(f, "{}:{}", bytes[whole] >> (8 - tb), tb)?;
            }
            f.write_str(">>")
        }
        TermView::LocalRef(ns) => {
            f.write_str("#Ref<0")?;
            for n in ns.iter().rev() {
                write!(f, ".{n}")?;
            }
            f.write_str(">")
        }
        TermView::ExternalPid {
            node,
            number,
            serial,
            ..
        } => write!(f, "<{node}.{number}.{serial}>"),
        TermView::ExternalPort { node, id, .. } => write!(f, "#Port<{node}.{id}>"),
        TermView::ExternalRef { node, numbers, .. } => {
            write!(f, "#Ref<{node}")?;
            for n in numbers.iter().rev() {
                write!(f, ".{n}")?;
            }
            f.write_str(">")
        }
        TermView::Map(m) => {
            f.write_str("#{")?;
            let mut first = true;
            let mut res = Ok(());
            map_for_each(m, &mut |k, v| {
                if res.is_err() {
                    return;
                }
                if !first {
                    res = f.write_str(",");
                }
                first = false;
                res = res
                    .and_then(|_| write_term(f, k, depth - 1))
                    .and_then(|_| f.write_str(" => "))
                    .and_then(|_| write_term(f, v, depth - 1));
            });
            res?;
            f.write_str("}")
        }
        TermView::Fun(c) => write!(f, "#Fun<{}.{}.{}>", c.module, c.index, c.old_uniq),
        TermView::Export {
            module,
            function,
            arity,
        } => write!(f, "fun {module}:{function}/{arity}"),
        TermView::MatchState(_) => f.write_str("#MatchState<>"),
        TermView::NonValue(w) => write!(f, "#NonValue<{w:#x}>"),
    }
}

/// Calls `f(key, value)` for every pair of a map (any node kind), in
/// storage order. Iterative (no recursion on HAMT depth beyond a small
/// explicit stack).
pub fn map_for_each(m: MapView<'_>, f: &mut dyn FnMut(Term, Term)) {
    let mut stack: Vec<Term> = Vec::new();
    let push_children = |stack: &mut Vec<Term>, ch: &[Term]| {
        for c in ch.iter().rev() {
            stack.push(*c);
        }
    };
    match m {
        MapView::Flat { keys, values, .. } => {
            for (k, v) in keys.iter().zip(values) {
                f(*k, *v);
            }
            return;
        }
        MapView::HeadArray { children, .. }
        | MapView::HeadBitmap { children, .. }
        | MapView::Node { children, .. } => push_children(&mut stack, children),
    }
    while let Some(t) = stack.pop() {
        if let Some((k, v)) = t.as_cons() {
            f(k, v);
        } else if let Some(MapView::Node { children, .. }) = t.as_map() {
            push_children(&mut stack, children);
        }
    }
}
