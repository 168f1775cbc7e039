//! Bit syntax: construction (`bs_create_bin`) and matching (match states,
//! `bs_get_*`, `bs_skip_*`, `bs_match_string`, tails).

use super::instr::{BinSegment, BsGet, SegKind};
use crate::atom::atoms;
use crate::code::Module;
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};
use std::cell::Cell;

/// A growable bit buffer.
#[derive(Default)]
pub struct BitBuf {
    data: Vec<u8>,
    bits: u64,
}

impl BitBuf {
    /// An empty buffer with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> BitBuf {
        BitBuf {
            data: Vec::with_capacity(bytes),
            bits: 0,
        }
    }

    /// Appends `n` bits of `src` starting at bit `off` (MSB first).
    pub fn put_bits(&mut self, src: &[u8], off: u64, n: u64) {
        if n == 0 {
            return;
        }
        if self.bits % 8 == 0 && off % 8 == 0 {
            let start = (off / 8) as usize;
            let whole = (n / 8) as usize;
            self.data.extend_from_slice(&src[start..start + whole]);
            self.bits += whole as u64 * 8;
            let rest = n % 8;
            if rest > 0 {
                let b = src[start + whole] & (0xffu8 << (8 - rest));
                self.data.push(b);
                self.bits += rest;
            }
            return;
        }
        let bits = self.bits + n;
        self.data.resize(bits.div_ceil(8) as usize, 0);
        crate::heap::copy_bits(&mut self.data, self.bits, src, off, n);
        self.bits = bits;
    }

    /// Bytes and bit length.
    pub fn finish(self) -> (Vec<u8>, u64) {
        (self.data, self.bits)
    }
}

thread_local! {
    /// A reusable construction buffer (saves an allocation per
    /// `bs_create_bin` whose result is copied anyway).
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// An empty buffer from the scratch pool with room for `bytes` bytes.
fn scratch(bytes: usize) -> BitBuf {
    let mut data = SCRATCH.take();
    data.clear();
    data.reserve(bytes);
    BitBuf { data, bits: 0 }
}

/// Returns a buffer to the scratch pool (unless it grew large).
fn recycle(data: Vec<u8>) {
    if data.capacity() <= 1 << 16 {
        SCRATCH.set(data);
    }
}

fn badarg() -> Term {
    Term::atom(atoms::BADARG)
}

/// Two's complement of `v` in `n` bits, as `ceil(n/8)` big-endian bytes
/// (value right-aligned).
fn int_bytes_be(v: &BigInt, n: u64) -> Vec<u8> {
    let nbytes = n.div_ceil(8) as usize;
    let modulus = BigInt::from(1) << (nbytes * 8);
    let mut x = v % &modulus;
    if x.sign() == Sign::Minus {
        x += &modulus;
    }
    let (_, mut b) = x.to_bytes_be();
    if b.len() > nbytes {
        b = b[b.len() - nbytes..].to_vec();
    }
    let mut out = vec![0u8; nbytes - b.len()];
    out.extend_from_slice(&b);
    out
}

/// [`put_int`] for a small integer and `n <= 64`.
fn put_small_int(buf: &mut BitBuf, v: i64, n: u64, little: bool) {
    if n == 0 {
        return;
    }
    // Two's complement of v modulo 2^n.
    let x = if n == 64 {
        v as u64
    } else {
        (v as u64) & ((1u64 << n) - 1)
    };
    if !little {
        buf.put_bits(&(x << (64 - n)).to_be_bytes(), 0, n);
        return;
    }
    let le = x.to_le_bytes();
    let whole = (n / 8) as usize;
    buf.put_bits(&le[..whole], 0, whole as u64 * 8);
    let rest = n % 8;
    if rest > 0 {
        buf.put_bits(&[le[whole] << (8 - rest)], 0, rest);
    }
}

fn put_int(buf: &mut BitBuf, v: &BigInt, n: u64, little: bool) {
    if n == 0 {
        return;
    }
    let be = int_bytes_be(v, n);
    let pad = be.len() as u64 * 8 - n;
    if !little {
        buf.put_bits(&be, pad, n);
        return;
    }
    // Little endian: least significant byte first; a partial last byte
    // holds the top n%8 bits.
    let whole = (n / 8) as usize;
    // Value bits: build from the little-endian bytes of v mod 2^n.
    let modulus = BigInt::from(1) << n;
    let mut x = v % &modulus;
    if x.sign() == Sign::Minus {
        x += &modulus;
    }
    let (_, mut lb) = x.to_bytes_le();
    lb.resize(whole + 1, 0);
    buf.put_bits(&lb[..whole], 0, whole as u64 * 8);
    let rest = n % 8;
    if rest > 0 {
        let last = [lb[whole] << (8 - rest)];
        buf.put_bits(&last, 0, rest);
    }
}

fn size_of(size: Term, unit: u32) -> Result<Option<u64>, Term> {
    if size == Term::atom(crate::atom::atoms::ALL) {
        return Ok(None);
    }
    let s = size.as_small().ok_or_else(badarg)?;
    if s < 0 {
        return Err(badarg());
    }
    (s as u64)
        .checked_mul(unit.max(1) as u64)
        .filter(|b| *b < (1 << 40))
        .map(Some)
        .ok_or_else(|| Term::atom(atoms::SYSTEM_LIMIT))
}

fn utf8(c: u32) -> Option<Vec<u8>> {
    let ch = char::from_u32(c)?;
    let mut b = [0u8; 4];
    Some(ch.encode_utf8(&mut b).as_bytes().to_vec())
}

/// Heap words `bs_create_bin` reserves before building: a writable
/// binary's ProcBin and sub binary, or a heap binary of up to 64 bytes.
pub const CREATE_WORDS: usize = 16;

/// `bs_init_writable`: `x0` (a size hint in bytes; 1024 if not a
/// non-negative small) becomes an empty writable binary.
pub fn init_writable(p: &mut Process, hint: Term) -> Term {
    let hint = hint
        .as_small()
        .and_then(|h| usize::try_from(h).ok())
        .unwrap_or(1024);
    p.heap.writable_binary(hint)
}

/// `bs_create_bin`: builds the binary from segments and their (value,
/// size) operands.
pub fn create_bin(
    p: &mut Process,
    m: &Module,
    segs: &[BinSegment],
    vals: &[(Term, Term)],
) -> Result<Term, Term> {
    if let (Some(first), Some(&(acc, size))) = (segs.first(), vals.first()) {
        if matches!(first.kind, SegKind::Append | SegKind::PrivateAppend)
            && size == Term::atom(atoms::ALL)
        {
            return append_bin(p, m, first.unit, acc, &segs[1..], &vals[1..]);
        }
    }
    let mut buf = scratch(build_capacity(segs, vals));
    put_segments(&mut buf, m, segs, vals)?;
    let (data, bits) = buf.finish();
    if bits % 8 == 0 && data.len() > crate::term::ONHEAP_BIN_LIMIT {
        return Ok(p.heap.binary_from_vec(data));
    }
    let r = p.heap.bitstring(&data, bits).ok_or_else(badarg);
    recycle(data);
    r
}

/// `bs_create_bin` whose first segment appends to `acc` (`<<Acc/binary,
/// ...>>`): the other segments are built first, then appended to `acc`'s
/// writable binary in place when possible (amortised O(1) per byte).
fn append_bin(
    p: &mut Process,
    m: &Module,
    unit: u32,
    acc: Term,
    segs: &[BinSegment],
    vals: &[(Term, Term)],
) -> Result<Term, Term> {
    let b = acc.as_binary().ok_or_else(badarg)?;
    if unit > 1 && b.bit_size % unit as u64 != 0 {
        return Err(badarg());
    }
    let mut buf = scratch(build_capacity(segs, vals));
    put_segments(&mut buf, m, segs, vals)?;
    let (data, bits) = buf.finish();
    let r = p.heap.bs_append(acc, &data, bits).ok_or_else(badarg);
    recycle(data);
    r
}

/// Bytes needed for the segments (a guess for sizes that turn out bad).
fn build_capacity(segs: &[BinSegment], vals: &[(Term, Term)]) -> usize {
    let cap: usize = segs
        .iter()
        .zip(vals)
        .map(|(s, &(v, size))| match s.kind {
            SegKind::Binary | SegKind::Append | SegKind::PrivateAppend => {
                v.as_binary().map_or(0, |b| b.bit_size.div_ceil(8) as usize)
            }
            SegKind::String => size.as_small().unwrap_or(0).max(0) as usize,
            SegKind::Utf8 | SegKind::Utf16 | SegKind::Utf32 => 4,
            _ => size_of(size, s.unit)
                .ok()
                .flatten()
                .map_or(0, |b| b.div_ceil(8) as usize),
        })
        .sum::<usize>()
        + 1;
    cap.min(1 << 32)
}

/// Appends every segment to `buf`.
fn put_segments(
    buf: &mut BitBuf,
    m: &Module,
    segs: &[BinSegment],
    vals: &[(Term, Term)],
) -> Result<(), Term> {
    for (s, &(v, size)) in segs.iter().zip(vals) {
        let little = s.flags & 1 != 0;
        match s.kind {
            SegKind::Integer => {
                let n = size_of(size, s.unit)?.ok_or_else(badarg)?;
                if !v.is_integer() {
                    return Err(badarg());
                }
                if let (Some(x), true) = (v.as_small(), n <= 64) {
                    put_small_int(buf, x, n, little);
                } else {
                    let b = v.to_bigint().ok_or_else(badarg)?;
                    put_int(buf, &b, n, little);
                }
            }
            SegKind::Float => {
                let n = size_of(size, s.unit)?.ok_or_else(badarg)?;
                let f = crate::bif::arith::to_f64(v).ok_or_else(badarg)?;
                let bytes: Vec<u8> = match n {
                    64 => {
                        if little {
                            f.to_le_bytes().to_vec()
                        } else {
                            f.to_be_bytes().to_vec()
                        }
                    }
                    32 => {
                        // Out-of-range values become infinities (as ERTS).
                        let x = f as f32;
                        if little {
                            x.to_le_bytes().to_vec()
                        } else {
                            x.to_be_bytes().to_vec()
                        }
                    }
                    16 => {
                        let h = f16_bits(f).ok_or_else(badarg)?;
                        if little {
                            h.to_le_bytes().to_vec()
                        } else {
                            h.to_be_bytes().to_vec()
                        }
                    }
                    _ => return Err(badarg()),
                };
                buf.put_bits(&bytes, 0, n);
            }
            SegKind::Binary | SegKind::Append | SegKind::PrivateAppend => {
                let b = v.as_binary().ok_or_else(badarg)?;
                let n = match size_of(size, s.unit)? {
                    None => {
                        if s.unit > 1 && b.bit_size % s.unit as u64 != 0 {
                            return Err(badarg());
                        }
                        b.bit_size
                    }
                    Some(n) => {
                        if n > b.bit_size {
                            return Err(badarg());
                        }
                        n
                    }
                };
                if b.bit_offset == 0 {
                    buf.put_bits(b.data, 0, n);
                } else {
                    let bytes = b.to_bytes();
                    buf.put_bits(&bytes, 0, n);
                }
            }
            SegKind::Utf8 | SegKind::Utf16 | SegKind::Utf32 => {
                let c = v.as_small().filter(|c| *c >= 0).ok_or_else(badarg)? as u32;
                let bytes = match s.kind {
                    SegKind::Utf8 => utf8(c).ok_or_else(badarg)?,
                    SegKind::Utf16 => {
                        let ch = char::from_u32(c).ok_or_else(badarg)?;
                        let mut u = [0u16; 2];
                        let units = ch.encode_utf16(&mut u);
                        let mut out = Vec::new();
                        for w in units.iter() {
                            if little {
                                out.extend_from_slice(&w.to_le_bytes());
                            } else {
                                out.extend_from_slice(&w.to_be_bytes());
                            }
                        }
                        out
                    }
                    _ => {
                        char::from_u32(c).ok_or_else(badarg)?;
                        if little {
                            c.to_le_bytes().to_vec()
                        } else {
                            c.to_be_bytes().to_vec()
                        }
                    }
                };
                buf.put_bits(&bytes, 0, bytes.len() as u64 * 8);
            }
            SegKind::String => {
                let off = v.as_small().ok_or_else(badarg)? as usize;
                let len = size.as_small().ok_or_else(badarg)? as usize;
                let end = off.checked_add(len).ok_or_else(badarg)?;
                let bytes = m.strings.get(off..end).ok_or_else(badarg)?;
                buf.put_bits(bytes, 0, len as u64 * 8);
            }
        }
    }
    Ok(())
}

fn f16_bits(f: f64) -> Option<u16> {
    // IEEE half precision, round to nearest even.
    if f == 0.0 {
        return Some(if f.is_sign_negative() { 0x8000 } else { 0 });
    }
    let x = f as f32;
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    let mant = b & 0x7f_ffff;
    if exp >= 31 {
        return Some(sign | 0x7c00);
    }
    if exp <= 0 {
        if exp < -10 {
            return Some(sign);
        }
        let m = (mant | 0x80_0000) >> (1 - exp);
        let half = m >> 13;
        let rem = m & 0x1fff;
        let r = if rem > 0x1000 || (rem == 0x1000 && half & 1 == 1) {
            half + 1
        } else {
            half
        };
        return Some(sign | r as u16);
    }
    let half = ((exp as u32) << 10) | (mant >> 13);
    let rem = mant & 0x1fff;
    let r = if rem > 0x1000 || (rem == 0x1000 && half & 1 == 1) {
        half + 1
    } else {
        half
    };
    Some(sign | (r.min(0x7c00)) as u16)
}

fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let mant = (h & 0x3ff) as f64;
    if exp == 0 {
        sign * mant * 2f64.powi(-24)
    } else if exp == 31 {
        f64::NAN
    } else {
        sign * (1.0 + mant / 1024.0) * 2f64.powi(exp - 15)
    }
}

/// Reads `n` bits at bit `off` of `data` as an unsigned big-endian number
/// (n ≤ 64; the caller checks that the bits exist, a short `data` reads
/// as zero bits).
fn read_u64(data: &[u8], off: u64, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    // The (at most 9) bytes covering the bits, then one shift and mask.
    let first = (off / 8) as usize;
    let last = ((off + n - 1) / 8) as usize;
    let mut acc: u128 = 0;
    for i in first..=last {
        acc = (acc << 8) | u128::from(data.get(i).copied().unwrap_or(0));
    }
    let shift = ((last - first + 1) as u64) * 8 - off % 8 - n;
    let mask = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    ((acc >> shift) as u64) & mask
}

fn read_bytes(data: &[u8], off: u64, n: u64) -> Vec<u8> {
    let mut b = BitBuf::default();
    b.put_bits(data, off, n);
    b.finish().0
}

/// Remaining bits of a match state.
pub fn remaining(ctx: Term) -> Option<u64> {
    let (_, offset, end) = ctx.match_state_parts()?;
    Some(end - offset)
}

fn with_ms<R>(ctx: Term, f: impl FnOnce(&[u8], u64, u64, Term) -> R) -> Option<R> {
    let (orig, offset, end) = ctx.match_state_parts()?;
    if let Some(data) = orig.whole_binary_bytes() {
        return Some(f(data, offset, end, orig));
    }
    let b = orig.as_binary()?;
    Some(f(b.data, offset, end, orig))
}

/// `bs_get_*` / `bs_skip_*`: `Ok(None)` means no match.
pub fn get(p: &mut Process, ctx: Term, g: &BsGet, size: Term) -> Result<Option<Term>, Term> {
    let little = g.flags & 1 != 0;
    let signed = g.flags & 2 != 0;
    enum R {
        Int(BigInt),
        Small(i64),
        Float(f64),
        Bin(u64, u64),
        Char(u32),
        None,
        Skip,
    }
    let size_bits = match g.kind {
        SegKind::Utf8 | SegKind::Utf16 | SegKind::Utf32 => Some(0),
        _ => match size_of(size, g.unit) {
            Ok(s) => s,
            Err(_) => return Ok(None),
        },
    };
    let res = with_ms(ctx, |data, off, end, _orig| {
        let rem = end - off;
        match g.kind {
            SegKind::Integer => {
                let Some(n) = size_bits else {
                    return (R::None, 0);
                };
                if n > rem {
                    return (R::None, 0);
                }
                if g.dst.is_none() {
                    return (R::Skip, n);
                }
                if n <= 64 && !little {
                    let u = read_u64(data, off, n);
                    if n < 64 {
                        let v = if signed && n > 0 && (u >> (n - 1)) & 1 == 1 {
                            (u as i64) - (1i64 << n)
                        } else {
                            u as i64
                        };
                        if !signed || n < 64 {
                            return (R::Small(v), n);
                        }
                    }
                }
                let mut bytes = read_bytes(data, off, n);
                let rest = n % 8;
                let v = if little {
                    // The last partial byte holds the top bits.
                    if rest > 0 {
                        if let Some(l) = bytes.last_mut() {
                            *l >>= 8 - rest;
                        }
                    }
                    BigInt::from_bytes_le(Sign::Plus, &bytes)
                } else {
                    let mut v = BigInt::from_bytes_be(Sign::Plus, &bytes);
                    if rest > 0 {
                        v >>= 8 - rest as usize;
                    }
                    v
                };
                let v = if signed && n > 0 && v.bit(n - 1) {
                    v - (BigInt::from(1) << n)
                } else {
                    v
                };
                let _ = &mut bytes;
                (R::Int(v), n)
            }
            SegKind::Float => {
                let Some(n) = size_bits else {
                    return (R::None, 0);
                };
                if n > rem || !matches!(n, 16 | 32 | 64) {
                    return (R::None, 0);
                }
                if g.dst.is_none() {
                    return (R::Skip, n);
                }
                let mut b = read_bytes(data, off, n);
                if little {
                    b.reverse();
                }
                let f = match n {
                    64 => f64::from_be_bytes(b[..8].try_into().unwrap_or([0; 8])),
                    32 => f32::from_be_bytes(b[..4].try_into().unwrap_or([0; 4])) as f64,
                    _ => f16_to_f64(u16::from_be_bytes(b[..2].try_into().unwrap_or([0; 2]))),
                };
                if !f.is_finite() {
                    return (R::None, 0);
                }
                (R::Float(f), n)
            }
            SegKind::Binary => {
                let n = match size_bits {
                    Some(n) => n,
                    None => {
                        if g.unit > 1 && rem % g.unit as u64 != 0 {
                            return (R::None, 0);
                        }
                        rem
                    }
                };
                if n > rem {
                    return (R::None, 0);
                }
                if g.dst.is_none() {
                    return (R::Skip, n);
                }
                (R::Bin(off, n), n)
            }
            SegKind::Utf8 => {
                if rem < 8 {
                    return (R::None, 0);
                }
                let b0 = read_u64(data, off, 8) as u8;
                let len = if b0 < 0x80 {
                    1
                } else if b0 & 0xE0 == 0xC0 {
                    2
                } else if b0 & 0xF0 == 0xE0 {
                    3
                } else if b0 & 0xF8 == 0xF0 {
                    4
                } else {
                    return (R::None, 0);
                };
                if rem < len * 8 {
                    return (R::None, 0);
                }
                let bytes = read_bytes(data, off, len * 8);
                match std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    Some(c) => (R::Char(c as u32), len * 8),
                    None => (R::None, 0),
                }
            }
            SegKind::Utf16 => {
                if rem < 16 {
                    return (R::None, 0);
                }
                let rd = |o: u64| {
                    let b = read_bytes(data, o, 16);
                    if little {
                        u16::from_le_bytes([b[0], b[1]])
                    } else {
                        u16::from_be_bytes([b[0], b[1]])
                    }
                };
                let w1 = rd(off);
                if (0xD800..0xDC00).contains(&w1) {
                    if rem < 32 {
                        return (R::None, 0);
                    }
                    let w2 = rd(off + 16);
                    if !(0xDC00..0xE000).contains(&w2) {
                        return (R::None, 0);
                    }
                    let c = 0x10000 + (((w1 as u32) - 0xD800) << 10) + ((w2 as u32) - 0xDC00);
                    (R::Char(c), 32)
                } else if (0xDC00..0xE000).contains(&w1) {
                    (R::None, 0)
                } else {
                    (R::Char(w1 as u32), 16)
                }
            }
            SegKind::Utf32 => {
                if rem < 32 {
                    return (R::None, 0);
                }
                let b = read_bytes(data, off, 32);
                let c = if little {
                    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
                } else {
                    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
                };
                if char::from_u32(c).is_none() {
                    return (R::None, 0);
                }
                (R::Char(c), 32)
            }
            _ => (R::None, 0),
        }
    });
    let Some((r, n)) = res else {
        return Ok(None);
    };
    let Some((orig, off, _)) = ctx.match_state_parts() else {
        return Ok(None);
    };
    let v = match r {
        R::None => return Ok(None),
        R::Skip => Term::NIL,
        R::Small(v) => p.heap.integer_from_i64(v),
        R::Int(v) => {
            if v.is_zero() {
                Term::small_unchecked(0)
            } else {
                match v.to_i64() {
                    Some(x) => p.heap.integer_from_i64(x),
                    None => p.heap.integer_from_bigint(&v),
                }
            }
        }
        R::Float(f) => p.heap.float(f),
        R::Char(c) => Term::small_unchecked(c as i64),
        R::Bin(o, n) => p.heap.extract_sub_binary(orig, o, n).ok_or_else(badarg)?,
    };
    p.heap.set_match_offset(ctx, off + n);
    Ok(Some(v))
}

/// `bs_match_string`.
pub fn match_string(p: &mut Process, ctx: Term, strings: &[u8], offset: usize, bits: u64) -> bool {
    let nbytes = bits.div_ceil(8) as usize;
    let Some(want) = strings.get(offset..offset + nbytes) else {
        return false;
    };
    let r = with_ms(ctx, |data, off, end, _| {
        if end - off < bits {
            return None;
        }
        if bits <= 64 {
            let ok = read_u64(data, off, bits) == read_u64(want, 0, bits);
            return ok.then_some(off + bits);
        }
        let got = read_bytes(data, off, bits);
        let mut w = want.to_vec();
        if bits % 8 != 0 {
            if let Some(l) = w.last_mut() {
                *l &= 0xffu8 << (8 - bits % 8);
            }
        }
        (got == w).then_some(off + bits)
    });
    match r.flatten() {
        Some(new) => {
            p.heap.set_match_offset(ctx, new);
            true
        }
        None => false,
    }
}

/// `bs_get_tail`: the rest of the matched binary.
pub fn tail(p: &mut Process, ctx: Term) -> Term {
    match ctx.match_state_parts() {
        Some((orig, off, end)) => p
            .heap
            .extract_sub_binary(orig, off, end - off)
            .unwrap_or(Term::NIL),
        None => Term::NIL,
    }
}

#[cfg(test)]
mod tests {
    use super::read_u64;

    /// Bit-by-bit reference reader.
    fn reference(data: &[u8], off: u64, n: u64) -> u64 {
        (0..n).fold(0u64, |v, i| {
            let bi = off + i;
            (v << 1) | u64::from((data[(bi / 8) as usize] >> (7 - bi % 8)) & 1)
        })
    }

    #[test]
    fn read_u64_matches_bitwise_reading() {
        let data: Vec<u8> = (0..24u32).map(|i| (i * 97 + 13) as u8).collect();
        for off in 0..80 {
            for n in 0..=64 {
                assert_eq!(
                    read_u64(&data, off, n),
                    reference(&data, off, n),
                    "off {off} n {n}"
                );
            }
        }
    }
}
