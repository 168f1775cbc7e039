//! Heap sizes (in words, header included) of every object kind, and the
//! crate-internal object layout used by the GC, copier and verifier.

use super::{
    subtag, HEADER_ARITY_OFFS, MAP_TYPE_FLATMAP, MAP_TYPE_HEAD_ARRAY, MAP_TYPE_HEAD_BITMAP,
    ONHEAP_BIN_LIMIT,
};

/// A cons cell.
pub const CONS: usize = 2;
/// A float.
pub const FLOAT: usize = 2;
/// A refc binary handle (ProcBin).
pub const REFC_BINARY: usize = 4;
/// A sub binary.
pub const SUB_BINARY: usize = 4;
/// An export fun.
pub const EXPORT: usize = 4;
/// An external pid.
pub const EXTERNAL_PID: usize = 5;
/// An external port.
pub const EXTERNAL_PORT: usize = 4;

/// A tuple of `n` elements.
#[inline]
pub const fn tuple(n: usize) -> usize {
    1 + n
}

/// A bignum with `digits` 64-bit digits.
#[inline]
pub const fn bignum(digits: usize) -> usize {
    1 + digits
}

/// A heap binary of `bytes` bytes.
#[inline]
pub const fn heap_binary(bytes: usize) -> usize {
    2 + bytes.div_ceil(8)
}

/// A binary of `bytes` bytes as built by `HeapBuilder::binary` (heap binary
/// up to 64 bytes, refc handle above).
#[inline]
pub const fn binary(bytes: usize) -> usize {
    if bytes <= ONHEAP_BIN_LIMIT {
        heap_binary(bytes)
    } else {
        REFC_BINARY
    }
}

/// A bitstring of `bits` bits as built by `HeapBuilder::bitstring`.
#[inline]
pub const fn bitstring(bits: u64) -> usize {
    let bytes = bits.div_ceil(8) as usize;
    if bits % 8 == 0 {
        binary(bytes)
    } else {
        binary(bytes) + SUB_BINARY
    }
}

/// A local reference with `n` 32-bit numbers.
#[inline]
pub const fn local_ref(n: usize) -> usize {
    2 + n.div_ceil(2)
}

/// An external reference with `n` 32-bit numbers.
#[inline]
pub const fn external_ref(n: usize) -> usize {
    4 + n.div_ceil(2)
}

/// A closure with `num_free` free variables.
#[inline]
pub const fn closure(num_free: usize) -> usize {
    7 + num_free
}

/// A flatmap node with `n` pairs, not counting the keys tuple.
#[inline]
pub const fn flatmap(n: usize) -> usize {
    3 + n
}

/// A HAMT inner node with `n` children.
#[inline]
pub const fn hamt_node(n: usize) -> usize {
    1 + n
}

/// A HAMT head node with `n` children.
#[inline]
pub const fn hamt_head(n: usize) -> usize {
    2 + n
}

/// A match state with `slots` saved-offset slots.
#[inline]
pub const fn match_state(slots: usize) -> usize {
    4 + slots
}

/// A list of `n` elements (cons cells only).
#[inline]
pub const fn list(n: usize) -> usize {
    2 * n
}

/// Object layout: total size and the range of words that hold terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Total size in words, header included.
    pub size: usize,
    /// First word index (from the header) holding a term.
    pub terms_from: usize,
    /// One past the last word index holding a term.
    pub terms_to: usize,
}

/// Layout of the boxed object whose header is `h` at address `p`.
/// Returns `None` for a malformed header.
///
/// # Safety
/// `p` must point to a readable object starting with header `h` (only
/// word 1 of a map or fun is read besides the header).
#[inline]
pub(crate) unsafe fn object_layout(p: *const u64, h: u64) -> Option<Layout> {
    let arity = (h >> HEADER_ARITY_OFFS) as usize;
    let raw = |size: usize| {
        Some(Layout {
            size,
            terms_from: size,
            terms_to: size,
        })
    };
    match h & subtag::MASK {
        subtag::ARITYVAL => Some(Layout {
            size: 1 + arity,
            terms_from: 1,
            terms_to: 1 + arity,
        }),
        subtag::POS_BIG
        | subtag::NEG_BIG
        | subtag::FLOAT
        | subtag::REF
        | subtag::REFC_BINARY
        | subtag::HEAP_BINARY
        | subtag::EXTERNAL_PID
        | subtag::EXTERNAL_PORT
        | subtag::EXTERNAL_REF => raw(1 + arity),
        subtag::SUB_BINARY => Some(Layout {
            size: 4,
            terms_from: 3,
            terms_to: 4,
        }),
        subtag::BIN_MATCHSTATE => Some(Layout {
            size: 1 + arity,
            terms_from: 1,
            terms_to: 2,
        }),
        subtag::FUN => {
            let info = *p.add(1);
            if info & super::FUN_INFO_EXPORT != 0 {
                raw(1 + arity)
            } else {
                Some(Layout {
                    size: 1 + arity,
                    terms_from: 6,
                    terms_to: 1 + arity,
                })
            }
        }
        subtag::MAP => {
            let mtype = (h >> 6) & 3;
            let bitmap = ((h >> 16) & 0xffff) as u16;
            match mtype {
                MAP_TYPE_FLATMAP => {
                    let n = *p.add(1) as usize;
                    Some(Layout {
                        size: 3 + n,
                        terms_from: 2,
                        terms_to: 3 + n,
                    })
                }
                MAP_TYPE_HEAD_ARRAY => Some(Layout {
                    size: 18,
                    terms_from: 2,
                    terms_to: 18,
                }),
                MAP_TYPE_HEAD_BITMAP => {
                    let n = bitmap.count_ones() as usize;
                    Some(Layout {
                        size: 2 + n,
                        terms_from: 2,
                        terms_to: 2 + n,
                    })
                }
                _ => {
                    let n = bitmap.count_ones() as usize;
                    Some(Layout {
                        size: 1 + n,
                        terms_from: 1,
                        terms_to: 1 + n,
                    })
                }
            }
        }
        _ => None,
    }
}
