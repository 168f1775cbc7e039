//! `binary_to_term`: the decoder (ERTS `decoded_size` + `dec_term`).
//!
//! One pass over the input with an explicit stack: leaves are built at
//! once, compound terms collect their decoded children on a value stack and
//! are built when complete (bottom-up). Every count read from the input is
//! checked against the bytes that remain before it is used, so a hostile
//! length cannot make us allocate more than a small multiple of the input.

use super::{tag, DecodeOptions, Error, VERSION_MAGIC};
use crate::atom::{Atom, AtomError};
use crate::heap::HeapBuilder;
use crate::term::cmp::this_node;
use crate::term::map::{self, Duplicates};
use crate::term::{FunDesc, Term, MAX_PID_NUMBER, MAX_PID_SERIAL, MAX_PORT_NUMBER};

/// Local references carry 3 numbers.
const REF_NUMBERS: usize = 3;
/// At most 5 numbers in any reference.
const MAX_REF_NUMBERS: usize = 5;
/// First reference word of a local reference is below 2^18.
const MAX_REFERENCE: u32 = 1 << 18;
/// Largest bignum in bytes (`BIG_ARITY_MAX` 64-bit digits).
const MAX_BIG_BYTES: usize = ((1 << 19) - 1) * 8;
/// Most characters in an atom.
const MAX_ATOM_CHARS: usize = 255;
/// Most bytes of a UTF-8 atom (`MAX_ATOM_SZ_LIMIT`).
const MAX_ATOM_BYTES: usize = 4 * MAX_ATOM_CHARS;
/// Slots of the per-decode atom cache.
const ATOM_CACHE: usize = 256;

/// `binary_to_term(Bin, Opts)`: decodes `bytes` (starting with the version
/// byte 131, possibly compressed) onto `b`. Returns the term and the number
/// of bytes used (the `used` option); trailing bytes are ignored, as in
/// ERTS.
pub fn decode<B: HeapBuilder + ?Sized>(
    bytes: &[u8],
    b: &mut B,
    opts: &DecodeOptions<'_>,
) -> Result<(Term, usize), Error> {
    if bytes.first() != Some(&VERSION_MAGIC) {
        return Err(Error::BadVersion);
    }
    let rest = &bytes[1..];
    if rest.len() >= 5 && rest[0] == tag::COMPRESSED {
        let declared = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        let (data, consumed) = inflate(&rest[5..], declared)?;
        let (t, _) = Decoder::new(&data, opts).run(b)?;
        return Ok((t, 1 + 5 + consumed));
    }
    let (t, used) = Decoder::new(rest, opts).run(b)?;
    Ok((t, 1 + used))
}

/// Inflates a zlib stream that must produce exactly `declared` bytes.
/// Returns the data and the number of compressed bytes consumed. Hostile
/// input cannot make it produce (or allocate room for) more than
/// `declared + 1` bytes.
fn inflate(z: &[u8], declared: usize) -> Result<(Vec<u8>, usize), Error> {
    let limit = declared.checked_add(1).ok_or(Error::BadCompressed)?;
    let mut d = flate2::Decompress::new(true);
    let mut out = Vec::with_capacity(limit.min(z.len().saturating_mul(8)).min(1 << 24));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= limit {
                // More data than declared.
                return Err(Error::BadCompressed);
            }
            let grow = out.len().max(1 << 12).min(limit - out.len());
            out.reserve_exact(grow);
        }
        let (in_before, out_before) = (d.total_in(), out.len());
        let input = z.get(d.total_in() as usize..).ok_or(Error::BadCompressed)?;
        let status = d
            .decompress_vec(input, &mut out, flate2::FlushDecompress::None)
            .map_err(|_| Error::BadCompressed)?;
        if status == flate2::Status::StreamEnd {
            break;
        }
        if d.total_in() == in_before && out.len() == out_before {
            // No progress: the stream is truncated.
            return Err(Error::BadCompressed);
        }
    }
    if out.len() != declared {
        return Err(Error::BadCompressed);
    }
    let consumed = (d.total_in() as usize).min(z.len());
    Ok((out, consumed))
}

/// A compound term waiting for its children.
enum Frame {
    /// `n` elements.
    Tuple { n: usize, start: usize },
    /// `n` elements and a tail.
    List { n: usize, start: usize },
    /// `n` key/value pairs.
    Map { n: usize, start: usize },
    /// Creator pid, then `num_free` environment terms.
    Fun {
        desc: FunDescParts,
        num_free: usize,
        start: usize,
    },
}

#[derive(Clone, Copy)]
struct FunDescParts {
    module: Atom,
    index: u32,
    arity: u32,
    old_index: u32,
    old_uniq: u32,
    uniq: [u8; 16],
}

impl Frame {
    fn start(&self) -> usize {
        match *self {
            Frame::Tuple { start, .. }
            | Frame::List { start, .. }
            | Frame::Map { start, .. }
            | Frame::Fun { start, .. } => start,
        }
    }
    fn need(&self) -> usize {
        match *self {
            Frame::Tuple { n, .. } => n,
            Frame::List { n, .. } => n + 1,
            Frame::Map { n, .. } => 2 * n,
            Frame::Fun { num_free, .. } => 1 + num_free,
        }
    }
}

struct Decoder<'a, 'o> {
    data: &'a [u8],
    pos: usize,
    opts: &'a DecodeOptions<'o>,
    /// Direct-mapped cache of decoded atoms: (Latin-1?, bytes) → atom.
    atom_cache: Vec<Option<(bool, &'a [u8], Atom)>>,
}

impl<'a, 'o> Decoder<'a, 'o> {
    fn new(data: &'a [u8], opts: &'a DecodeOptions<'o>) -> Decoder<'a, 'o> {
        Decoder {
            data,
            pos: 0,
            opts,
            atom_cache: Vec::new(),
        }
    }

    #[inline]
    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    #[inline]
    fn u8(&mut self) -> Result<u8, Error> {
        let b = *self.data.get(self.pos).ok_or(Error::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.remaining() {
            return Err(Error::Truncated);
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    #[inline]
    fn u16(&mut self) -> Result<u16, Error> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }

    #[inline]
    fn u32(&mut self) -> Result<u32, Error> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn u64(&mut self) -> Result<u64, Error> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_be_bytes(a))
    }

    /// Fails unless at least `n` more bytes remain (`CHKSIZE`): every
    /// element of a compound term takes at least one byte.
    #[inline]
    fn check(&self, n: usize) -> Result<(), Error> {
        if n > self.remaining() {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    fn run<B: HeapBuilder + ?Sized>(mut self, b: &mut B) -> Result<(Term, usize), Error> {
        let mut values: Vec<Term> = Vec::new();
        let mut frames: Vec<Frame> = Vec::new();
        loop {
            let mut v = match self.one(b, &mut frames, values.len())? {
                Some(v) => v,
                None => continue,
            };
            // Hand the value to the enclosing frames, completing them.
            loop {
                let Some(f) = frames.last() else {
                    return Ok((v, self.pos));
                };
                values.push(v);
                let start = f.start();
                if values.len() - start < f.need() {
                    break;
                }
                let Some(f) = frames.pop() else { break };
                v = build(b, &f, &values[start..])?;
                values.truncate(start);
            }
        }
    }

    /// Decodes one tag. Leaves return `Some(term)`; compound terms with
    /// children push a frame and return `None`.
    fn one<B: HeapBuilder + ?Sized>(
        &mut self,
        b: &mut B,
        frames: &mut Vec<Frame>,
        start: usize,
    ) -> Result<Option<Term>, Error> {
        let t = self.u8()?;
        let v = match t {
            tag::SMALL_INTEGER_EXT => Term::small_unchecked(self.u8()? as i64),
            tag::INTEGER_EXT => Term::small_unchecked(self.u32()? as i32 as i64),
            tag::SMALL_BIG_EXT => {
                let n = self.u8()? as usize;
                self.bignum(b, n)?
            }
            tag::LARGE_BIG_EXT => {
                let n = self.u32()? as usize;
                if n > MAX_BIG_BYTES {
                    return Err(Error::Invalid("bignum size"));
                }
                self.bignum(b, n)?
            }
            tag::NEW_FLOAT_EXT => {
                let f = f64::from_bits(self.u64()?);
                if !f.is_finite() {
                    return Err(Error::Invalid("float"));
                }
                b.float(f)
            }
            tag::FLOAT_EXT => {
                let s = self.take(31)?;
                let f = super::float::parse_float_ext(s).ok_or(Error::Invalid("float"))?;
                b.float(f)
            }
            tag::ATOM_EXT | tag::SMALL_ATOM_EXT | tag::ATOM_UTF8_EXT | tag::SMALL_ATOM_UTF8_EXT => {
                Term::atom(self.atom_body(t)?)
            }
            tag::ATOM_CACHE_REF => return Err(Error::BadTag(t)),
            tag::NIL_EXT => Term::NIL,
            tag::STRING_EXT => {
                let n = self.u16()? as usize;
                let s = self.take(n)?;
                b.bytelist(s)
            }
            tag::LIST_EXT => {
                // `n` elements, then the tail (n == 0: just the tail).
                let n = self.u32()? as usize;
                self.check(n)?;
                frames.push(Frame::List { n, start });
                return Ok(None);
            }
            tag::SMALL_TUPLE_EXT | tag::LARGE_TUPLE_EXT => {
                let n = if t == tag::SMALL_TUPLE_EXT {
                    self.u8()? as usize
                } else {
                    self.u32()? as usize
                };
                if n == 0 {
                    b.tuple(&[])
                } else {
                    self.check(n)?;
                    frames.push(Frame::Tuple { n, start });
                    return Ok(None);
                }
            }
            tag::MAP_EXT => {
                let n = self.u32()? as usize;
                if n >> 31 != 0 {
                    return Err(Error::Invalid("map size"));
                }
                if n == 0 {
                    map::from_pairs(b, &[], Duplicates::Reject).ok_or(Error::DuplicateKey)?
                } else {
                    self.check(2 * n)?;
                    frames.push(Frame::Map { n, start });
                    return Ok(None);
                }
            }
            tag::BINARY_EXT => {
                let n = self.u32()? as usize;
                let s = self.take(n)?;
                b.binary(s)
            }
            tag::BIT_BINARY_EXT => {
                let n = self.u32()? as usize;
                let bits = self.u8()?;
                if (bits == 0) != (n == 0) || bits > 8 {
                    return Err(Error::Invalid("bit binary"));
                }
                let s = self.take(n)?;
                if bits == 8 || n == 0 {
                    b.binary(s)
                } else {
                    let total = (n as u64 - 1) * 8 + bits as u64;
                    b.bitstring(s, total).ok_or(Error::Invalid("bit binary"))?
                }
            }
            tag::PID_EXT | tag::NEW_PID_EXT => {
                let node = self.node_atom()?;
                let num = self.u32()?;
                let ser = self.u32()?;
                let cre = if t == tag::PID_EXT {
                    let c = self.u8()? as u32;
                    if c > 3 {
                        return Err(Error::Invalid("pid creation"));
                    }
                    c
                } else {
                    self.u32()?
                };
                if (node, cre) == this_node() {
                    if num > MAX_PID_NUMBER || ser > MAX_PID_SERIAL {
                        return Err(Error::Invalid("pid"));
                    }
                    Term::pid(num, ser).ok_or(Error::Invalid("pid"))?
                } else {
                    b.external_pid(node, cre, num, ser)
                }
            }
            tag::PORT_EXT | tag::NEW_PORT_EXT | tag::V4_PORT_EXT => {
                let node = self.node_atom()?;
                let num = if t == tag::V4_PORT_EXT {
                    self.u64()?
                } else {
                    self.u32()? as u64
                };
                let cre = if t == tag::PORT_EXT {
                    let c = self.u8()? as u32;
                    if c > 3 {
                        return Err(Error::Invalid("port creation"));
                    }
                    c
                } else {
                    self.u32()?
                };
                if (node, cre) == this_node() {
                    if num > MAX_PORT_NUMBER {
                        return Err(Error::Invalid("port"));
                    }
                    Term::port(num).ok_or(Error::Invalid("port"))?
                } else {
                    b.external_port(node, cre, num)
                }
            }
            tag::REFERENCE_EXT | tag::NEW_REFERENCE_EXT | tag::NEWER_REFERENCE_EXT => {
                self.reference(b, t)?
            }
            tag::EXPORT_EXT => {
                let module = self.node_atom()?;
                let function = self.node_atom()?;
                let arity = self.small_term()?;
                if !(0..=255).contains(&arity) {
                    return Err(Error::Invalid("export arity"));
                }
                if self.opts.safe {
                    if let Some(exists) = self.opts.export_exists {
                        if !exists(module, function, arity as u32) {
                            return Err(Error::UnsafeFun);
                        }
                    }
                }
                b.export(module, function, arity as u32)
                    .ok_or(Error::Invalid("export"))?
            }
            tag::NEW_FUN_EXT => {
                let _size = self.u32()?;
                let arity = self.u8()? as u32;
                let mut uniq = [0u8; 16];
                uniq.copy_from_slice(self.take(16)?);
                let index = self.u32()?;
                let num_free = self.u32()? as usize;
                if num_free > 255 {
                    return Err(Error::Invalid("fun environment"));
                }
                let module = self.node_atom()?;
                let old_index = self.small_term()? as u32;
                let old_uniq = self.small_term()? as u32;
                self.check(1 + num_free)?;
                frames.push(Frame::Fun {
                    desc: FunDescParts {
                        module,
                        index,
                        arity,
                        old_index,
                        old_uniq,
                        uniq,
                    },
                    num_free,
                    start,
                });
                return Ok(None);
            }
            _ => return Err(Error::BadTag(t)),
        };
        Ok(Some(v))
    }

    fn bignum<B: HeapBuilder + ?Sized>(&mut self, b: &mut B, n: usize) -> Result<Term, Error> {
        let sign = self.u8()?;
        let bytes = self.take(n)?;
        let mut len = n;
        while len > 0 && bytes[len - 1] == 0 {
            len -= 1;
        }
        let bytes = &bytes[..len];
        if len <= 8 {
            let mut a = [0u8; 8];
            a[..len].copy_from_slice(bytes);
            return Ok(b.bignum(sign != 0, &[u64::from_le_bytes(a)]));
        }
        let digits: Vec<u64> = bytes
            .chunks(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(a)
            })
            .collect();
        Ok(b.bignum(sign != 0, &digits))
    }

    /// A nested term that must be a small integer (fun indexes, export
    /// arity): `SMALL_INTEGER_EXT`, `INTEGER_EXT` or a bignum that fits.
    fn small_term(&mut self) -> Result<i64, Error> {
        let t = self.u8()?;
        match t {
            tag::SMALL_INTEGER_EXT => Ok(self.u8()? as i64),
            tag::INTEGER_EXT => Ok(self.u32()? as i32 as i64),
            tag::SMALL_BIG_EXT | tag::LARGE_BIG_EXT => {
                let n = if t == tag::SMALL_BIG_EXT {
                    self.u8()? as usize
                } else {
                    self.u32()? as usize
                };
                let sign = self.u8()?;
                let bytes = self.take(n)?;
                let mut len = n;
                while len > 0 && bytes[len - 1] == 0 {
                    len -= 1;
                }
                if len > 8 {
                    return Err(Error::Invalid("small integer"));
                }
                let mut a = [0u8; 8];
                a[..len].copy_from_slice(&bytes[..len]);
                let m = u64::from_le_bytes(a);
                let v = if sign != 0 {
                    if m > (1 << 59) {
                        return Err(Error::Invalid("small integer"));
                    }
                    -(m as i64)
                } else {
                    if m > crate::term::MAX_SMALL as u64 {
                        return Err(Error::Invalid("small integer"));
                    }
                    m as i64
                };
                Ok(v)
            }
            _ => Err(Error::Invalid("small integer")),
        }
    }

    /// An atom where only atom tags are allowed (node names, modules).
    fn node_atom(&mut self) -> Result<Atom, Error> {
        let t = self.u8()?;
        match t {
            tag::ATOM_EXT | tag::SMALL_ATOM_EXT | tag::ATOM_UTF8_EXT | tag::SMALL_ATOM_UTF8_EXT => {
                self.atom_body(t)
            }
            _ => Err(Error::BadTag(t)),
        }
    }

    fn atom_body(&mut self, t: u8) -> Result<Atom, Error> {
        let (n, latin1) = match t {
            tag::ATOM_EXT => (self.u16()? as usize, true),
            tag::SMALL_ATOM_EXT => (self.u8()? as usize, true),
            tag::ATOM_UTF8_EXT => (self.u16()? as usize, false),
            _ => (self.u8()? as usize, false),
        };
        if (latin1 && n > MAX_ATOM_CHARS) || n > MAX_ATOM_BYTES {
            return Err(Error::BadAtom);
        }
        let bytes = self.take(n)?;
        // Cheap hash: length, first and last bytes, Latin-1 flag.
        let h = n
            .wrapping_mul(31)
            .wrapping_add(bytes.first().copied().unwrap_or(0) as usize * 7)
            .wrapping_add(bytes.last().copied().unwrap_or(0) as usize * 131)
            .wrapping_add(latin1 as usize)
            % ATOM_CACHE;
        if let Some(Some((l1, b, a))) = self.atom_cache.get(h) {
            if *l1 == latin1 && *b == bytes {
                return Ok(*a);
            }
        }
        let a = self.make_atom(bytes, latin1)?;
        if self.atom_cache.is_empty() {
            self.atom_cache.resize(ATOM_CACHE, None);
        }
        self.atom_cache[h] = Some((latin1, bytes, a));
        Ok(a)
    }

    fn make_atom(&self, bytes: &[u8], latin1: bool) -> Result<Atom, Error> {
        let text: std::borrow::Cow<'_, str> = if latin1 && !bytes.is_ascii() {
            std::borrow::Cow::Owned(bytes.iter().map(|&c| c as char).collect())
        } else {
            std::borrow::Cow::Borrowed(std::str::from_utf8(bytes).map_err(|_| Error::BadAtom)?)
        };
        if self.opts.safe {
            return Atom::existing(&text).ok_or(Error::UnsafeAtom);
        }
        match Atom::intern(&text) {
            Ok(a) => Ok(a),
            Err(AtomError::TooLong) | Err(AtomError::BadEncoding) => Err(Error::BadAtom),
            Err(AtomError::SystemLimit) => Err(Error::Invalid("atom table full")),
        }
    }

    fn reference<B: HeapBuilder + ?Sized>(&mut self, b: &mut B, t: u8) -> Result<Term, Error> {
        let (node, cre, words) = match t {
            tag::REFERENCE_EXT => {
                let node = self.node_atom()?;
                let r0 = self.u32()?;
                if r0 >= MAX_REFERENCE {
                    return Err(Error::Invalid("reference"));
                }
                let c = self.u8()? as u32;
                if c > 3 {
                    return Err(Error::Invalid("reference creation"));
                }
                (node, c, vec![r0])
            }
            _ => {
                let n = self.u16()? as usize;
                let node = self.node_atom()?;
                let c = if t == tag::NEW_REFERENCE_EXT {
                    let c = self.u8()? as u32;
                    if c > 3 {
                        return Err(Error::Invalid("reference creation"));
                    }
                    c
                } else {
                    self.u32()?
                };
                if n == 0 || n > MAX_REF_NUMBERS {
                    return Err(Error::Invalid("reference"));
                }
                let mut ws = Vec::with_capacity(n);
                for _ in 0..n {
                    ws.push(self.u32()?);
                }
                if t == tag::NEW_REFERENCE_EXT && ws[0] >= MAX_REFERENCE {
                    return Err(Error::Invalid("reference"));
                }
                (node, c, ws)
            }
        };
        if (node, cre) == this_node() {
            if words[0] >= MAX_REFERENCE || words.len() > REF_NUMBERS {
                return Err(Error::Invalid("reference"));
            }
            let mut ns = [0u32; REF_NUMBERS];
            ns[..words.len()].copy_from_slice(&words);
            b.local_ref(&ns).ok_or(Error::Invalid("reference"))
        } else {
            b.external_ref(node, cre, &words)
                .ok_or(Error::Invalid("reference"))
        }
    }
}

/// Builds a completed compound term from its children.
fn build<B: HeapBuilder + ?Sized>(b: &mut B, f: &Frame, vals: &[Term]) -> Result<Term, Error> {
    match *f {
        Frame::Tuple { .. } => Ok(b.tuple(vals)),
        Frame::List { n, .. } => Ok(b.list_from(&vals[..n], vals[n])),
        Frame::Map { n, .. } => {
            map::from_kv(b, &vals[..2 * n], Duplicates::Reject).ok_or(Error::DuplicateKey)
        }
        Frame::Fun { desc, .. } => {
            let creator = vals[0];
            if !creator.is_pid() {
                return Err(Error::Invalid("fun creator"));
            }
            let d = FunDesc {
                module: desc.module,
                index: desc.index,
                arity: desc.arity,
                old_index: desc.old_index,
                old_uniq: desc.old_uniq,
                uniq: desc.uniq,
                creator,
            };
            b.closure(&d, &vals[1..]).ok_or(Error::Invalid("fun"))
        }
    }
}
