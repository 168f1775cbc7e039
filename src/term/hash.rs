//! Term hashing, bit-for-bit as ERTS 13 (`erts/emulator/beam/utils.c`):
//!
//! * [`phash2`] — `erlang:phash2/1` (`make_hash2`): Bob Jenkins' mix over
//!   the term, portable across nodes and architectures;
//! * [`phash`] — `erlang:phash/2`'s underlying `make_hash` (the old,
//!   byte-wise multiplicative hash);
//! * [`internal_hash`] / [`map_hash`] — `make_internal_hash` and
//!   `make_map_hash`, which decide where a key lives in a HAMT map and so the
//!   iteration order of large maps. Immediates (small integers, atoms, pids,
//!   `[]`) are hashed by their raw word, exactly as ERTS does, so large maps
//!   whose keys are numbers, binaries, lists and tuples iterate in the same
//!   order as on stock ERTS. (Atom keys depend on atom indices, which differ
//!   between VMs, as they do between two ERTS nodes.)
//!
//! All walks use an explicit stack: arbitrarily deep terms cannot overflow
//! the native stack.

use super::{MapView, Term, TermView};
use crate::atom::Atom;

// ---------------------------------------------------------------------------
// Mixing primitives (pure functions, unit-tested against stock ERTS values).

/// The golden ratio constant of Jenkins' hash (`HCONST`).
pub const HCONST: u32 = 0x9e37_79b9;
const HCONST_2: u32 = 0x3c6e_f372;
const HCONST_3: u32 = 0xdaa6_6d2b;
const HCONST_4: u32 = 0x78dd_e6e4;
const HCONST_5: u32 = 0x1715_609d;
const HCONST_6: u32 = 0xb54c_da56;
const HCONST_7: u32 = 0x5384_540f;
const HCONST_8: u32 = 0xf1bb_cdc8;
const HCONST_9: u32 = 0x8ff3_4781;
const HCONST_10: u32 = 0x2e2a_c13a;
const HCONST_11: u32 = 0xcc62_3af3;
const HCONST_12: u32 = 0x6a99_b4ac;
const HCONST_13: u32 = 0x08d1_2e65;
const HCONST_14: u32 = 0xa708_a81e;
const HCONST_15: u32 = 0x4540_21d7;
const HCONST_16: u32 = 0xe377_9b90;
const HCONST_17: u32 = 0x81af_1549;
const HCONST_18: u32 = 0x1fe6_8f02;
const HCONST_19: u32 = 0xbe1e_08bb;
const HCONST_20: u32 = 0x5c55_8274;
const HCONST_21: u32 = 0xfa8c_fc2d;
const HCONST_22: u32 = 0x98c4_75e6;

/// Salt of `make_internal_hash` (`INTERNAL_HASH_SALT`).
const INTERNAL_HASH_SALT: u32 = 3_432_918_353;

/// Jenkins' `MIX(a, b, c)`.
#[inline(always)]
pub fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *a = a.wrapping_sub(*b).wrapping_sub(*c) ^ (*c >> 13);
    *b = b.wrapping_sub(*c).wrapping_sub(*a) ^ (*a << 8);
    *c = c.wrapping_sub(*a).wrapping_sub(*b) ^ (*b >> 13);
    *a = a.wrapping_sub(*b).wrapping_sub(*c) ^ (*c >> 12);
    *b = b.wrapping_sub(*c).wrapping_sub(*a) ^ (*a << 16);
    *c = c.wrapping_sub(*a).wrapping_sub(*b) ^ (*b >> 5);
    *a = a.wrapping_sub(*b).wrapping_sub(*c) ^ (*c >> 3);
    *b = b.wrapping_sub(*c).wrapping_sub(*a) ^ (*a << 10);
    *c = c.wrapping_sub(*a).wrapping_sub(*b) ^ (*b >> 15);
}

/// `UINT32_HASH_2(x, y, aconst)`: mixes two words into `hash`.
#[inline(always)]
pub fn hash2_words(hash: &mut u32, x: u32, y: u32, aconst: u32) {
    let mut a = aconst.wrapping_add(x);
    let mut b = aconst.wrapping_add(y);
    mix(&mut a, &mut b, hash);
}

/// Packs the leading byte-valued (0..=255) elements of the list `term` four
/// to a word, mixing each full word into `hash` with `HCONST_4`, as ERTS's
/// hashes of byte lists do. Returns the pending partial word, how many bytes
/// it holds, the list position reached, and the first cell whose head is not
/// a byte (`None` when the list ended, the tail being the position reached).
fn hash_byte_prefix(hash: &mut u32, term: Term) -> (u32, u32, Term, Option<(Term, Term)>) {
    let mut c: u32 = 0;
    let mut sh: u32 = 0;
    let mut cur = term;
    while let Some((h, tl)) = cur.as_cons() {
        match h.as_small() {
            Some(b @ 0..=255) => {
                sh = (sh << 8).wrapping_add(b as u32);
                if c == 3 {
                    hash1_word(hash, sh, HCONST_4);
                    c = 0;
                    sh = 0;
                } else {
                    c += 1;
                }
                cur = tl;
            }
            _ => return (sh, c, cur, Some((h, tl))),
        }
    }
    (sh, c, cur, None)
}

/// `UINT32_HASH(x, aconst)`.
#[inline(always)]
fn hash1_word(hash: &mut u32, x: u32, aconst: u32) {
    hash2_words(hash, x, 0, aconst)
}

/// Jenkins' block hash over `block` seeded with `initval` (`block_hash`).
pub fn block_hash(block: &[u8], initval: u32) -> u32 {
    block_hash_len(block, block.len() as u32, initval)
}

/// `block_hash` with an explicit length word (ERTS truncates binary sizes
/// to 32 bits).
fn block_hash_len(k: &[u8], full_len: u32, initval: u32) -> u32 {
    let mut a = HCONST;
    let mut b = HCONST;
    let mut c = initval;
    let mut chunks = k.chunks_exact(12);
    for ch in &mut chunks {
        a = a.wrapping_add(u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]));
        b = b.wrapping_add(u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]]));
        c = c.wrapping_add(u32::from_le_bytes([ch[8], ch[9], ch[10], ch[11]]));
        mix(&mut a, &mut b, &mut c);
    }
    let r = chunks.remainder();
    c = c.wrapping_add(full_len);
    let get = |i: usize| r.get(i).copied().unwrap_or(0) as u32;
    // The first byte of c is reserved for the length.
    c = c.wrapping_add((get(10) << 24) | (get(9) << 16) | (get(8) << 8));
    b = b.wrapping_add((get(7) << 24) | (get(6) << 16) | (get(5) << 8) | get(4));
    a = a.wrapping_add((get(3) << 24) | (get(2) << 16) | (get(1) << 8) | get(0));
    mix(&mut a, &mut b, &mut c);
    c
}

/// The hash value ERTS's atom table stores for an atom (`atom_hash`:
/// hashpjw over the UTF-8 text, with two-byte sequences for U+0080..U+00FF
/// folded back to their Latin-1 byte).
pub fn atom_text_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    let mut i = 0;
    let len = name.len();
    while i < len {
        let mut v = name[i];
        i += 1;
        if i < len && (v & 0xFE) == 0xC2 && (name[i] & 0xC0) == 0x80 {
            v = (v << 6) | (name[i] & 0x3F);
            i += 1;
        }
        h = (h << 4).wrapping_add(v as u32);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

/// The atom table hash of `a` (what ERTS keeps in `slot.bucket.hvalue`).
/// Cached in a small lock-free direct-mapped table.
#[inline]
pub fn atom_hash(a: Atom) -> u32 {
    use std::sync::atomic::Ordering::Relaxed;
    let ix = a.index() as u64;
    let slot = &ATOM_HASHES[(ix as usize) % ATOM_HASH_SLOTS];
    let v = slot.load(Relaxed);
    if v >> 32 == ix + 1 {
        return v as u32;
    }
    let h = atom_text_hash(a.as_bytes());
    slot.store(((ix + 1) << 32) | h as u64, Relaxed);
    h
}

const ATOM_HASH_SLOTS: usize = 4096;

/// `(atom index + 1) << 32 | hash` per slot (0: empty). Entries are whole
/// 64-bit words, so a racing reader sees either a valid entry or a miss.
static ATOM_HASHES: [std::sync::atomic::AtomicU64; ATOM_HASH_SLOTS] = {
    // A const item (not an inline const block) keeps this building on the
    // workspace's minimum Rust version.
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    [EMPTY; ATOM_HASH_SLOTS]
};

/// Whether a small fits in 28 signed bits (`IS_SSMALL28`).
#[inline]
fn is_ssmall28(v: i64) -> bool {
    ((v >> 27).wrapping_add(1) as u64) < 2
}

/// The `make_hash2` step for a small integer.
#[inline]
fn hash2_small(hash: &mut u32, v: i64) {
    if !is_ssmall28(v) {
        let (con, t) = if v < 0 {
            (HCONST_10, v.unsigned_abs())
        } else {
            (HCONST_11, v as u64)
        };
        hash2_words(hash, t as u32, (t >> 32) as u32, con);
    } else {
        let y = v as i32;
        if y < 0 {
            hash1_word(hash, y.wrapping_neg() as u32, HCONST);
        }
        hash1_word(hash, y as u32, HCONST);
    }
}

/// The bytes of a bitstring as ERTS hashes them: the whole bytes shifted
/// to alignment, plus the trailing bits (right-aligned) and their count.
fn bits_parts<'a>(b: &super::BinaryView<'a>) -> (std::borrow::Cow<'a, [u8]>, u8, u8) {
    let n = b.byte_size();
    let tb = b.trailing_bits();
    if b.bit_offset == 0 {
        let last = if tb > 0 { b.data[n] >> (8 - tb) } else { 0 };
        (std::borrow::Cow::Borrowed(&b.data[..n]), tb, last)
    } else {
        let bytes = b.to_bytes();
        let last = if tb > 0 { bytes[n] >> (8 - tb) } else { 0 };
        let mut v = bytes;
        v.truncate(n);
        (std::borrow::Cow::Owned(v), tb, last)
    }
}

/// `make_hash2`'s binary step.
fn hash2_binary(hash: &mut u32, b: &super::BinaryView<'_>) {
    let sz = b.byte_size() as u64;
    let con = HCONST_13.wrapping_add(*hash);
    let (bytes, tb, last) = bits_parts(b);
    if sz == 0 && tb == 0 {
        *hash = con;
        return;
    }
    *hash = block_hash_len(&bytes, sz as u32, con);
    if tb > 0 {
        hash2_words(hash, tb as u32, last as u32, HCONST_15);
    }
}

/// `make_hash2`'s bignum step (64-bit digits).
fn hash2_big(hash: &mut u32, neg: bool, digits: &[u64]) {
    let con = if neg { HCONST_10 } else { HCONST_11 };
    for &d in digits {
        hash2_words(hash, d as u32, (d >> 32) as u32, con);
    }
}

/// Positive zero for `-0.0` (ERTS 25 hashes both zeros alike).
#[inline]
fn float_hash_bits(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

// ---------------------------------------------------------------------------
// phash2 (make_hash2)

enum H2 {
    Term(Term),
    MapTail { hash: u32, xor: u32 },
    MapPair,
}

/// `erlang:phash2/1` (ERTS `make_hash2`): a 32-bit hash of `t`. The BIF
/// returns it masked to 27 bits (`phash2/1`) or modulo the range
/// (`phash2/2`, see [`phash2_range`]).
pub fn make_hash2(t: Term) -> u32 {
    // Fast paths as in ERTS.
    if let Some(v) = t.as_small() {
        let mut hash = 0;
        hash2_small(&mut hash, v);
        return hash;
    }
    if let Some(a) = t.as_atom() {
        return atom_hash(a);
    }
    let mut hash: u32 = 0;
    let mut xor: u32 = 0;
    let mut stack: Vec<H2> = Vec::new();
    let mut term = t;
    loop {
        // Hash `term`; set `next` to continue with another term directly.
        let mut next: Option<Term> = None;
        let view = if let Some(v) = term.as_small() {
            TermView::Small(v)
        } else if let Some(a) = term.as_atom() {
            TermView::Atom(a)
        } else if term.is_nil() {
            TermView::Nil
        } else {
            term.view()
        };
        match view {
            TermView::Cons(..) => {
                let (sh, c, cur, cell) = hash_byte_prefix(&mut hash, term);
                if c > 0 {
                    hash1_word(&mut hash, sh, HCONST_4);
                }
                match cell {
                    Some((h, tl)) => {
                        stack.push(H2::Term(tl));
                        next = Some(h);
                    }
                    None => next = Some(cur),
                }
            }
            TermView::Tuple(es) => {
                hash1_word(&mut hash, es.len() as u32, HCONST_9);
                if let Some((first, rest)) = es.split_first() {
                    for e in rest.iter().rev() {
                        stack.push(H2::Term(*e));
                    }
                    next = Some(*first);
                }
            }
            TermView::Map(m) => {
                let size = match m {
                    MapView::Flat { keys, .. } => keys.len(),
                    MapView::HeadArray { size, .. } | MapView::HeadBitmap { size, .. } => size,
                    MapView::Node { .. } => 0,
                };
                hash1_word(&mut hash, size as u32, HCONST_16);
                if size > 0 {
                    stack.push(H2::MapTail { hash, xor });
                    hash = 0;
                    xor = 0;
                    // Pairs are hashed independently and XORed, so the
                    // order does not matter.
                    let mut pairs: Vec<(Term, Term)> = Vec::with_capacity(size);
                    super::map_for_each(m, &mut |k, v| pairs.push((k, v)));
                    for (k, v) in pairs.into_iter().rev() {
                        stack.push(H2::MapPair);
                        stack.push(H2::Term(v));
                        stack.push(H2::Term(k));
                    }
                }
            }
            TermView::Fun(c) => {
                hash2_words(&mut hash, c.env.len() as u32, atom_hash(c.module), HCONST);
                hash2_words(&mut hash, c.index, c.old_uniq, HCONST);
                if let Some((first, rest)) = c.env.split_first() {
                    for e in rest.iter().rev() {
                        stack.push(H2::Term(*e));
                    }
                    next = Some(*first);
                }
            }
            TermView::Export {
                module,
                function,
                arity,
            } => {
                hash2_words(&mut hash, arity, atom_hash(module), HCONST);
                hash1_word(&mut hash, atom_hash(function), HCONST_14);
            }
            TermView::Binary(b) => hash2_binary(&mut hash, &b),
            TermView::Big { neg, digits } => hash2_big(&mut hash, neg, digits),
            TermView::LocalRef(ns) | TermView::ExternalRef { numbers: ns, .. } => {
                hash1_word(&mut hash, ns.first().copied().unwrap_or(0), HCONST_7)
            }
            TermView::ExternalPid { number, .. } | TermView::LocalPid { number, .. } => {
                hash1_word(&mut hash, number, HCONST_5)
            }
            TermView::ExternalPort { id, .. } | TermView::LocalPort(id) => {
                hash2_words(&mut hash, id as u32, (id >> 32) as u32, HCONST_6)
            }
            TermView::Float(f) => {
                let bits = float_hash_bits(f);
                hash2_words(&mut hash, (bits >> 32) as u32, bits as u32, HCONST_12);
            }
            TermView::Atom(a) => {
                if hash == 0 {
                    hash = atom_hash(a);
                } else {
                    hash1_word(&mut hash, atom_hash(a), HCONST_3);
                }
            }
            TermView::Nil => {
                if hash == 0 {
                    hash = 3_468_870_702;
                } else {
                    hash1_word(&mut hash, 2, HCONST_2);
                }
            }
            TermView::Small(v) => hash2_small(&mut hash, v),
            TermView::Catch(_) | TermView::MatchState(_) | TermView::NonValue(_) => {}
        }
        if let Some(n) = next {
            term = n;
            continue;
        }
        // hash2_common: pop the next term, handling map markers.
        loop {
            match stack.pop() {
                None => return hash,
                Some(H2::Term(t)) => {
                    term = t;
                    break;
                }
                Some(H2::MapPair) => {
                    xor ^= hash;
                    hash = 0;
                }
                Some(H2::MapTail { hash: h, xor: x }) => {
                    hash = h;
                    hash1_word(&mut hash, xor, HCONST_19);
                    xor = x;
                }
            }
        }
    }
}

/// `erlang:phash2/1`: [`make_hash2`] masked to 27 bits.
pub fn phash2(t: Term) -> u32 {
    make_hash2(t) & ((1 << 27) - 1)
}

/// `erlang:phash2/2` for `range` in `1..=2^32`: `make_hash2 mod range`
/// (power-of-two ranges are masked, as ERTS does — same result).
pub fn phash2_range(t: Term, range: u64) -> u64 {
    let h = make_hash2(t) as u64;
    if range == 0 {
        h
    } else {
        h % range
    }
}

// ---------------------------------------------------------------------------
// phash (make_hash)

const FUNNY_NUMBER1: u32 = 268_440_163;
const FUNNY_NUMBER2: u32 = 268_439_161;
const FUNNY_NUMBER3: u32 = 268_435_459;
const FUNNY_NUMBER4: u32 = 268_436_141;
const FUNNY_NUMBER5: u32 = 268_438_633;
const FUNNY_NUMBER6: u32 = 268_437_017;
const FUNNY_NUMBER8: u32 = 268_437_511;
const FUNNY_NUMBER9: u32 = 268_439_627;
const FUNNY_NUMBER10: u32 = 268_440_479;
const FUNNY_NUMBER11: u32 = 268_440_577;
const FUNNY_NUMBER12: u32 = 268_440_581;
const FUNNY_NUMBER13: u32 = 268_440_593;
const FUNNY_NUMBER14: u32 = 268_440_611;

#[inline(always)]
fn step_u32(hash: u32, x: u32, prime: u32) -> u32 {
    let mut h = hash;
    for i in 0..4 {
        h = h.wrapping_mul(prime).wrapping_add((x >> (8 * i)) & 0xff);
    }
    h
}

enum H1 {
    Term(Term),
    TupleEnd(u32),
    CdrPre(Term),
    CdrPost,
}

/// ERTS `make_hash`, the hash behind `erlang:phash/2`
/// (`phash(T, Range) = make_hash(T) rem Range + 1`).
pub fn make_hash(t: Term) -> u32 {
    let mut hash: u32 = 0;
    let mut stack: Vec<H1> = vec![H1::Term(t)];
    while let Some(op) = stack.pop() {
        let term = match op {
            H1::Term(t) => t,
            H1::TupleEnd(arity) => {
                hash = hash.wrapping_mul(FUNNY_NUMBER9).wrapping_add(arity);
                continue;
            }
            H1::CdrPost => {
                hash = hash.wrapping_mul(FUNNY_NUMBER8);
                continue;
            }
            H1::CdrPre(t) => {
                if !t.is_cons() {
                    stack.push(H1::CdrPost);
                }
                t
            }
        };
        match term.view() {
            TermView::Nil => hash = hash.wrapping_mul(FUNNY_NUMBER3).wrapping_add(1),
            TermView::Atom(a) => hash = hash.wrapping_mul(FUNNY_NUMBER1).wrapping_add(atom_hash(a)),
            TermView::Small(v) => {
                let y2 = v.unsigned_abs();
                hash = step_u32(hash, y2 as u32, FUNNY_NUMBER2);
                if y2 >> 32 != 0 {
                    hash = step_u32(hash, (y2 >> 32) as u32, FUNNY_NUMBER2);
                }
                hash = hash.wrapping_mul(if v < 0 { FUNNY_NUMBER4 } else { FUNNY_NUMBER3 });
            }
            TermView::Binary(b) => {
                let sz = b.byte_size();
                let (bytes, tb, last) = bits_parts(&b);
                for &x in bytes.iter() {
                    hash = hash.wrapping_mul(FUNNY_NUMBER1).wrapping_add(x as u32);
                }
                if tb > 0 {
                    hash = hash
                        .wrapping_mul(FUNNY_NUMBER1)
                        .wrapping_add(last as u32)
                        .wrapping_mul(FUNNY_NUMBER12)
                        .wrapping_add(tb as u32);
                }
                hash = hash.wrapping_mul(FUNNY_NUMBER4).wrapping_add(sz as u32);
            }
            TermView::Fun(c) => {
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER10)
                    .wrapping_add(c.env.len() as u32);
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER1)
                    .wrapping_add(atom_hash(c.module));
                hash = hash.wrapping_mul(FUNNY_NUMBER2).wrapping_add(c.index);
                hash = hash.wrapping_mul(FUNNY_NUMBER2).wrapping_add(c.old_uniq);
                for e in c.env.iter().rev() {
                    stack.push(H1::Term(*e));
                }
            }
            TermView::Export {
                module,
                function,
                arity,
            } => {
                hash = hash.wrapping_mul(FUNNY_NUMBER11).wrapping_add(arity);
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER1)
                    .wrapping_add(atom_hash(module));
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER1)
                    .wrapping_add(atom_hash(function));
            }
            TermView::LocalPid { number, .. } | TermView::ExternalPid { number, .. } => {
                hash = step_u32(hash, number, FUNNY_NUMBER5).wrapping_mul(FUNNY_NUMBER6);
            }
            TermView::LocalPort(id) | TermView::ExternalPort { id, .. } => {
                let high = (id >> 32) as u32;
                if high != 0 {
                    hash = step_u32(hash, high, FUNNY_NUMBER11);
                }
                hash = step_u32(hash, id as u32, FUNNY_NUMBER9).wrapping_mul(FUNNY_NUMBER10);
            }
            TermView::LocalRef(ns) | TermView::ExternalRef { numbers: ns, .. } => {
                let n0 = ns.first().copied().unwrap_or(0);
                hash = step_u32(hash, n0, FUNNY_NUMBER9).wrapping_mul(FUNNY_NUMBER10);
            }
            TermView::Float(f) => {
                let bits = float_hash_bits(f);
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER6)
                    .wrapping_add((bits as u32) ^ ((bits >> 32) as u32));
            }
            TermView::Cons(..) => {
                let mut cur = term;
                while let Some((h, tl)) = cur.as_cons() {
                    match h.as_small() {
                        Some(b @ 0..=255) => {
                            hash = hash.wrapping_mul(FUNNY_NUMBER2).wrapping_add(b as u32);
                            if !tl.is_cons() {
                                stack.push(H1::CdrPost);
                                stack.push(H1::Term(tl));
                                break;
                            }
                            cur = tl;
                        }
                        _ => {
                            stack.push(H1::CdrPre(tl));
                            stack.push(H1::Term(h));
                            break;
                        }
                    }
                }
            }
            TermView::Big { neg, digits } => {
                let n = digits.len();
                for (i, &d) in digits.iter().enumerate() {
                    let nbytes = if i + 1 == n && d >> 32 == 0 { 4 } else { 8 };
                    let mut d = d;
                    for _ in 0..nbytes {
                        hash = hash
                            .wrapping_mul(FUNNY_NUMBER2)
                            .wrapping_add((d & 0xff) as u32);
                        d >>= 8;
                    }
                }
                hash = hash.wrapping_mul(if neg { FUNNY_NUMBER4 } else { FUNNY_NUMBER3 });
            }
            TermView::Map(_) => {
                hash = hash
                    .wrapping_mul(FUNNY_NUMBER13)
                    .wrapping_add(FUNNY_NUMBER14)
                    .wrapping_add(make_hash2(term));
            }
            TermView::Tuple(es) => {
                stack.push(H1::TupleEnd(es.len() as u32));
                for e in es.iter().rev() {
                    stack.push(H1::Term(*e));
                }
            }
            TermView::Catch(_) | TermView::MatchState(_) | TermView::NonValue(_) => {}
        }
    }
    hash
}

/// `erlang:phash(T, Range)` for `range` in `1..=2^32`.
pub fn phash(t: Term, range: u64) -> u64 {
    let h = make_hash(t) as u64;
    if range == 0 {
        h + 1
    } else {
        h % range + 1
    }
}

// ---------------------------------------------------------------------------
// make_internal_hash / make_map_hash

enum HI {
    Term(Term),
    Cdr,
}

#[inline(always)]
fn const_hash(hash: &mut u32, c: u32) {
    *hash ^= c;
    *hash = hash.rotate_left(17);
}

/// ERTS `make_internal_hash(term, salt)`: the VM-local hash used for HAMT
/// maps (and ERTS's internal hash tables).
pub fn internal_hash(t: Term, salt: u32) -> u32 {
    let mut hash = salt ^ INTERNAL_HASH_SALT;
    if t.is_immediate() {
        let w = t.raw();
        hash2_words(&mut hash, w as u32, (w >> 32) as u32, HCONST);
        return hash;
    }
    let mut stack: Vec<HI> = Vec::new();
    let mut term = t;
    loop {
        let mut next: Option<Term> = None;
        if term.is_immediate() {
            let w = term.raw();
            hash2_words(&mut hash, w as u32, (w >> 32) as u32, HCONST);
        } else {
            match term.view() {
                TermView::Cons(..) => {
                    let (sh, c, cur, cell) = hash_byte_prefix(&mut hash, term);
                    if c > 0 {
                        hash2_words(&mut hash, sh, c, HCONST_22);
                    }
                    match cell {
                        Some((h, tl)) => {
                            const_hash(&mut hash, HCONST_17);
                            stack.push(HI::Term(tl));
                            if !tl.is_cons() {
                                stack.push(HI::Cdr);
                            }
                            next = Some(h);
                        }
                        None => next = Some(cur),
                    }
                }
                TermView::Tuple(es) => {
                    hash1_word(&mut hash, es.len() as u32, HCONST_9);
                    if let Some((first, rest)) = es.split_first() {
                        for e in rest.iter().rev() {
                            stack.push(HI::Term(*e));
                        }
                        next = Some(*first);
                    }
                }
                TermView::Map(m) => match m {
                    MapView::Flat { keys, values, .. } => {
                        hash1_word(&mut hash, keys.len() as u32, HCONST_16);
                        for (k, v) in keys.iter().zip(values).rev() {
                            stack.push(HI::Term(*v));
                            stack.push(HI::Term(*k));
                        }
                    }
                    MapView::HeadArray { size, children }
                    | MapView::HeadBitmap { size, children, .. } => {
                        hash1_word(&mut hash, size as u32, HCONST_16);
                        if size > 0 {
                            push_hamt_children(&mut stack, children);
                        }
                    }
                    MapView::Node { children, .. } => push_hamt_children(&mut stack, children),
                },
                TermView::Fun(c) => {
                    hash2_words(
                        &mut hash,
                        c.env.len() as u32,
                        Term::atom(c.module).raw() as u32,
                        HCONST_20,
                    );
                    hash2_words(&mut hash, c.index, c.old_uniq, HCONST_21);
                    if let Some((first, rest)) = c.env.split_first() {
                        for e in rest.iter().rev() {
                            stack.push(HI::Term(*e));
                        }
                        next = Some(*first);
                    }
                }
                TermView::Export {
                    module,
                    function,
                    arity,
                } => {
                    // ERTS hashes the export entry's address; any stable
                    // function of the MFA serves the same purpose here.
                    hash2_words(
                        &mut hash,
                        Term::atom(module).raw() as u32,
                        Term::atom(function).raw() as u32,
                        HCONST_14,
                    );
                    hash1_word(&mut hash, arity, HCONST_14);
                }
                TermView::Binary(b) => hash2_binary(&mut hash, &b),
                TermView::Big { neg, digits } => hash2_big(&mut hash, neg, digits),
                TermView::LocalRef(ns) => {
                    let n = |i: usize| ns.get(i).copied().unwrap_or(0);
                    hash1_word(&mut hash, n(0), HCONST_7);
                    hash2_words(&mut hash, n(1), n(2), HCONST_8);
                }
                TermView::ExternalRef {
                    node,
                    creation,
                    numbers,
                } => {
                    // ERTS mixes the node entry's address (limitation #2).
                    hash2_words(&mut hash, Term::atom(node).raw() as u32, creation, HCONST_7);
                    let n = |i: usize| numbers.get(i).copied().unwrap_or(0);
                    hash1_word(&mut hash, n(0), HCONST_7);
                    hash2_words(&mut hash, n(1), n(2), HCONST_8);
                }
                TermView::ExternalPid {
                    node,
                    creation,
                    number,
                    serial,
                } => {
                    hash2_words(&mut hash, Term::atom(node).raw() as u32, creation, HCONST_5);
                    hash2_words(&mut hash, number, serial, HCONST_5);
                }
                TermView::ExternalPort { node, creation, id } => {
                    hash2_words(&mut hash, Term::atom(node).raw() as u32, creation, HCONST_6);
                    hash2_words(&mut hash, id as u32, (id >> 32) as u32, HCONST_6);
                }
                TermView::Float(f) => {
                    let bits = float_hash_bits(f);
                    hash2_words(&mut hash, bits as u32, (bits >> 32) as u32, HCONST_12);
                }
                _ => {}
            }
        }
        if let Some(n) = next {
            term = n;
            continue;
        }
        loop {
            match stack.pop() {
                None => return hash,
                Some(HI::Cdr) => const_hash(&mut hash, HCONST_18),
                Some(HI::Term(t)) => {
                    term = t;
                    break;
                }
            }
        }
    }
}

/// Pushes HAMT children the way ERTS does (leaves as key then value, so
/// they pop key first; nodes whole), in slot order — so they are hashed
/// in reverse slot order.
fn push_hamt_children(stack: &mut Vec<HI>, children: &[Term]) {
    for c in children {
        if let Some((k, v)) = c.as_cons() {
            stack.push(HI::Term(v));
            stack.push(HI::Term(k));
        } else {
            stack.push(HI::Term(*c));
        }
    }
}

/// ERTS `make_map_hash(key, depth)`: the hash of `key` for HAMT levels
/// `8*depth .. 8*depth+7` (4 bits per level).
pub fn map_hash(key: Term, depth: u32) -> u32 {
    let mut salt = 0;
    if depth > 0 {
        hash2_words(&mut salt, depth, 1, HCONST_22);
    }
    internal_hash(key, salt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_hash_matches_hashpjw() {
        // Values computed with the C reference (atom_hash in atom.c).
        assert_eq!(atom_text_hash(b""), 0);
        assert_eq!(atom_text_hash(b"a"), 97);
        assert_eq!(atom_text_hash(b"ab"), 97 * 16 + 98);
        // U+00E4 (UTF-8 C3 A4) hashes like the Latin-1 byte E4.
        assert_eq!(atom_text_hash("ä".as_bytes()), 0xE4);
    }

    #[test]
    fn ssmall28() {
        assert!(is_ssmall28(0));
        assert!(is_ssmall28((1 << 27) - 1));
        assert!(!is_ssmall28(1 << 27));
        assert!(is_ssmall28(-(1 << 27)));
        assert!(!is_ssmall28(-(1 << 27) - 1));
    }

    #[test]
    fn phash2_of_immediates_matches_stock() {
        // erlang:phash2/1 on stock ERTS 13.1.5.
        let cases: &[(i64, u32)] = &[
            (0, 3_175_731_469),
            (1, 539_485_162),
            (-1, 1_117_813_597),
            (1 << 27, 2_562_491_755),
            (-(1 << 27) - 1, 1_418_916_782),
            ((1 << 59) - 1, 1_638_133_000),
        ];
        for &(v, h) in cases {
            assert_eq!(make_hash2(Term::small(v).unwrap()), h, "phash2({v})");
        }
        assert_eq!(make_hash2(Term::NIL), 3_468_870_702);
    }
}
