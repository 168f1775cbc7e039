//! A loader-level external term format decoder (literals, attributes, compile info).
//!
//! Decodes into [`ETerm`], plain data with no runtime dependencies. Nesting is handled
//! with an explicit stack (no recursion), bounded by a depth limit so that the
//! (recursive) drop of the result cannot overflow the Rust stack either.

use crate::error::{ErrorKind, LoadError};
use crate::reader::Reader;
use num_bigint::{BigInt, Sign};
use std::io::Read;

/// External term format tags.
pub mod tag {
    /// Leading version byte.
    pub const VERSION: u8 = 131;
    /// `NEW_FLOAT_EXT`: IEEE double.
    pub const NEW_FLOAT: u8 = 70;
    /// `BIT_BINARY_EXT`.
    pub const BIT_BINARY: u8 = 77;
    /// Compressed term (zlib).
    pub const COMPRESSED: u8 = 80;
    /// `ATOM_CACHE_REF` (distribution only; rejected).
    pub const ATOM_CACHE_REF: u8 = 82;
    /// `NEW_PID_EXT`.
    pub const NEW_PID: u8 = 88;
    /// `NEW_PORT_EXT`.
    pub const NEW_PORT: u8 = 89;
    /// `NEWER_REFERENCE_EXT`.
    pub const NEWER_REFERENCE: u8 = 90;
    /// `SMALL_INTEGER_EXT`.
    pub const SMALL_INTEGER: u8 = 97;
    /// `INTEGER_EXT`.
    pub const INTEGER: u8 = 98;
    /// `FLOAT_EXT` (old, textual).
    pub const FLOAT: u8 = 99;
    /// `ATOM_EXT` (latin-1).
    pub const ATOM: u8 = 100;
    /// `REFERENCE_EXT`.
    pub const REFERENCE: u8 = 101;
    /// `PORT_EXT`.
    pub const PORT: u8 = 102;
    /// `PID_EXT`.
    pub const PID: u8 = 103;
    /// `SMALL_TUPLE_EXT`.
    pub const SMALL_TUPLE: u8 = 104;
    /// `LARGE_TUPLE_EXT`.
    pub const LARGE_TUPLE: u8 = 105;
    /// `NIL_EXT`.
    pub const NIL: u8 = 106;
    /// `STRING_EXT`.
    pub const STRING: u8 = 107;
    /// `LIST_EXT`.
    pub const LIST: u8 = 108;
    /// `BINARY_EXT`.
    pub const BINARY: u8 = 109;
    /// `SMALL_BIG_EXT`.
    pub const SMALL_BIG: u8 = 110;
    /// `LARGE_BIG_EXT`.
    pub const LARGE_BIG: u8 = 111;
    /// `NEW_FUN_EXT`.
    pub const NEW_FUN: u8 = 112;
    /// `EXPORT_EXT`.
    pub const EXPORT: u8 = 113;
    /// `NEW_REFERENCE_EXT`.
    pub const NEW_REFERENCE: u8 = 114;
    /// `SMALL_ATOM_EXT` (latin-1).
    pub const SMALL_ATOM: u8 = 115;
    /// `MAP_EXT`.
    pub const MAP: u8 = 116;
    /// `FUN_EXT` (old).
    pub const FUN: u8 = 117;
    /// `ATOM_UTF8_EXT`.
    pub const ATOM_UTF8: u8 = 118;
    /// `SMALL_ATOM_UTF8_EXT`.
    pub const SMALL_ATOM_UTF8: u8 = 119;
    /// `V4_PORT_EXT`.
    pub const V4_PORT: u8 = 120;
    /// `LOCAL_EXT` (rejected).
    pub const LOCAL: u8 = 121;
}

/// Default nesting limit for [`decode`] (deeper terms are an error).
///
/// The decoder itself uses an explicit stack and handles any depth, but `ETerm`'s drop,
/// `Clone`, `PartialEq` and `Debug` recurse. Measured in a debug build on a 2 MB thread
/// stack: drop survives 8000 levels, `Clone` fewer than 2000. The deepest term in all of
/// OTP 25's literals, attributes and compile info is 16 levels.
pub const DEFAULT_MAX_DEPTH: usize = 1024;

/// Nesting limit used by [`crate::Module::decode_debug_info`]. Abstract code nests
/// deeper than literals (OTP 25's deepest `Dbgi` term is 269 levels; a long list
/// literal in source nests one level per element). Drop of a term this deep is safe on a
/// 2 MB stack; cloning or comparing one may need a bigger stack in debug builds.
pub const DEBUG_INFO_MAX_DEPTH: usize = 4096;

/// Longest atom, in characters.
pub const MAX_ATOM_CHARS: usize = 255;

/// A decoded external term.
#[derive(Debug, Clone, PartialEq)]
pub enum ETerm {
    /// An integer that fits an `i64`.
    Int(i64),
    /// An integer that does not fit an `i64`.
    Big(BigInt),
    /// A float.
    Float(f64),
    /// An atom (its text).
    Atom(String),
    /// A tuple.
    Tuple(Vec<ETerm>),
    /// The empty list `[]`.
    Nil,
    /// A proper, non-empty list.
    List(Vec<ETerm>),
    /// An improper list: non-empty elements and a tail that is not a list.
    ImproperList(Vec<ETerm>, Box<ETerm>),
    /// A non-empty list of small integers 0..255 (`STRING_EXT`).
    String(Vec<u8>),
    /// A binary.
    Binary(Vec<u8>),
    /// A bitstring whose size is not a multiple of 8: `bits` (1..7) bits of the last
    /// byte are used (the high ones); the unused low bits are zero.
    Bitstring {
        /// The bytes, the last one partial.
        bytes: Vec<u8>,
        /// Number of bits used in the last byte, 1..=7.
        bits: u8,
    },
    /// A map, pairs in encoding order (duplicate keys are not checked here).
    Map(Vec<(ETerm, ETerm)>),
    /// A pid.
    Pid {
        /// Node name.
        node: String,
        /// Id.
        id: u32,
        /// Serial.
        serial: u32,
        /// Creation.
        creation: u32,
    },
    /// A port.
    Port {
        /// Node name.
        node: String,
        /// Id.
        id: u64,
        /// Creation.
        creation: u32,
    },
    /// A reference.
    Ref {
        /// Node name.
        node: String,
        /// Creation.
        creation: u32,
        /// Id words (1..=5).
        ids: Vec<u32>,
    },
    /// An external fun `fun M:F/A`.
    Export {
        /// Module.
        module: String,
        /// Function.
        function: String,
        /// Arity.
        arity: u8,
    },
    /// A local fun (`NEW_FUN_EXT` or old `FUN_EXT`).
    Fun(Box<EFun>),
}

/// The fields of a local fun.
#[derive(Debug, Clone, PartialEq)]
pub struct EFun {
    /// Defining module.
    pub module: String,
    /// Arity (`None` for the old `FUN_EXT`, which does not carry it).
    pub arity: Option<u8>,
    /// MD5 of the module (`None` for the old `FUN_EXT`).
    pub uniq: Option<[u8; 16]>,
    /// Index in the module's fun table.
    pub index: u32,
    /// `OldIndex` (for `FUN_EXT`: the same as `index`).
    pub old_index: i64,
    /// `OldUniq`.
    pub old_uniq: i64,
    /// The creating process.
    pub pid: ETerm,
    /// Free variables.
    pub free: Vec<ETerm>,
}

impl ETerm {
    /// The atom's text, if this is an atom.
    pub fn as_atom(&self) -> Option<&str> {
        match self {
            ETerm::Atom(a) => Some(a),
            _ => None,
        }
    }

    /// The elements of a list as a `Vec` (`[]` gives an empty vector; strings are
    /// expanded to integers); `None` for anything else, including improper lists.
    pub fn list_elements(&self) -> Option<Vec<&ETerm>> {
        match self {
            ETerm::Nil => Some(Vec::new()),
            ETerm::List(v) => Some(v.iter().collect()),
            _ => None,
        }
    }
}

/// Decodes a whole external term: `131`, then the term (possibly compressed). The
/// input must contain nothing else.
pub fn decode(bytes: &[u8]) -> Result<ETerm, LoadError> {
    decode_with_limit(bytes, DEFAULT_MAX_DEPTH)
}

/// Like [`decode`] with a nesting limit of `max_depth` levels.
pub fn decode_with_limit(bytes: &[u8], max_depth: usize) -> Result<ETerm, LoadError> {
    let mut r = Reader::new(bytes, 0);
    let t = read_external(&mut r, max_depth)?;
    if !r.is_empty() {
        return Err(r.err(ErrorKind::TrailingBytes(r.remaining())));
    }
    Ok(t)
}

/// Decodes an external term at the start of `bytes`; returns it and the bytes used.
pub fn decode_prefix(bytes: &[u8]) -> Result<(ETerm, usize), LoadError> {
    let mut r = Reader::new(bytes, 0);
    let t = read_external(&mut r, DEFAULT_MAX_DEPTH)?;
    Ok((t, r.pos()))
}

/// Inflates a zlib stream that must produce exactly `size` bytes.
pub(crate) fn inflate(data: &[u8], size: usize) -> Result<Vec<u8>, String> {
    let dec = libflate::zlib::Decoder::new(data).map_err(|e| e.to_string())?;
    // zlib cannot expand more than ~1032:1; do not trust `size` for the allocation.
    let cap = size.min(data.len().saturating_mul(1032).saturating_add(64));
    let mut out = Vec::with_capacity(cap);
    dec.take(size as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() != size {
        return Err(format!(
            "inflated to {} bytes, header says {size}",
            if out.len() > size {
                format!("more than {size}")
            } else {
                out.len().to_string()
            }
        ));
    }
    Ok(out)
}

/// Reads `131` and a (possibly compressed) term.
pub(crate) fn read_external(r: &mut Reader<'_>, max_depth: usize) -> Result<ETerm, LoadError> {
    let at = r.pos();
    let v = r.u8()?;
    if v != tag::VERSION {
        return Err(r.err_at(
            at,
            ErrorKind::Invalid("external term does not start with 131"),
        ));
    }
    if r.rest().first() == Some(&tag::COMPRESSED) {
        let cat = r.pos();
        r.u8()?;
        let size = r.u32()? as usize;
        let data = r.rest();
        let inflated = inflate(data, size).map_err(|e| r.err_at(cat, ErrorKind::Zlib(e)))?;
        // The zlib stream runs to the end of the input.
        r.bytes(data.len())?;
        let mut ir = Reader::new(&inflated, 0);
        let inner = |e: LoadError| {
            r.err_at(
                cat,
                ErrorKind::Compressed {
                    offset: e.offset,
                    error: Box::new(e.kind),
                },
            )
        };
        let t = read_term(&mut ir, max_depth).map_err(inner)?;
        if !ir.is_empty() {
            return Err(r.err_at(cat, ErrorKind::TrailingBytes(ir.remaining())));
        }
        return Ok(t);
    }
    read_term(r, max_depth)
}

enum Frame {
    Tuple(Vec<ETerm>, usize),
    List(Vec<ETerm>, usize),
    Map(Vec<(ETerm, ETerm)>, Option<ETerm>, usize),
    Fun(Box<EFun>, usize),
}

fn latin1(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) if b.is_ascii() => s.to_owned(),
        _ => b.iter().map(|&c| c as char).collect(),
    }
}

/// Reads an atom's text (any of the four atom encodings).
fn read_atom(r: &mut Reader<'_>) -> Result<String, LoadError> {
    let at = r.pos();
    let t = r.u8()?;
    read_atom_body(r, t, at)
}

fn read_atom_body(r: &mut Reader<'_>, t: u8, at: usize) -> Result<String, LoadError> {
    let (len, utf8) = match t {
        tag::ATOM => (r.u16()? as usize, false),
        tag::SMALL_ATOM => (r.u8()? as usize, false),
        tag::ATOM_UTF8 => (r.u16()? as usize, true),
        tag::SMALL_ATOM_UTF8 => (r.u8()? as usize, true),
        _ => return Err(r.err_at(at, ErrorKind::Invalid("expected an atom in external term"))),
    };
    let b = r.bytes(len)?;
    if utf8 {
        let s = std::str::from_utf8(b).map_err(|_| r.err_at(at, ErrorKind::InvalidUtf8))?;
        if len > MAX_ATOM_CHARS && s.chars().count() > MAX_ATOM_CHARS {
            return Err(r.err_at(at, ErrorKind::Invalid("atom longer than 255 characters")));
        }
        Ok(s.to_owned())
    } else {
        if len > MAX_ATOM_CHARS {
            return Err(r.err_at(at, ErrorKind::Invalid("atom longer than 255 characters")));
        }
        Ok(latin1(b))
    }
}

/// Reads an integer (`SMALL_INTEGER_EXT`, `INTEGER_EXT`, or a big that fits an `i64`).
fn read_int(r: &mut Reader<'_>) -> Result<i64, LoadError> {
    let at = r.pos();
    match r.u8()? {
        tag::SMALL_INTEGER => Ok(r.u8()? as i64),
        tag::INTEGER => Ok(r.i32()? as i64),
        t @ (tag::SMALL_BIG | tag::LARGE_BIG) => match read_big(r, t)? {
            ETerm::Int(i) => Ok(i),
            _ => Err(r.err_at(at, ErrorKind::Invalid("integer out of range"))),
        },
        _ => Err(r.err_at(
            at,
            ErrorKind::Invalid("expected an integer in external term"),
        )),
    }
}

fn read_big(r: &mut Reader<'_>, t: u8) -> Result<ETerm, LoadError> {
    let at = r.pos();
    let n = if t == tag::SMALL_BIG {
        r.u8()? as usize
    } else {
        r.u32()? as usize
    };
    let sign = r.u8()?;
    if sign > 1 {
        return Err(r.err_at(at, ErrorKind::Invalid("bignum sign byte not 0 or 1")));
    }
    let digits = r.bytes(n)?;
    // Little-endian magnitude.
    let sig = digits.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
    let mag = digits.get(..sig).unwrap_or(&[]);
    if mag.len() <= 8 {
        let m = mag.iter().rev().fold(0u64, |acc, &b| (acc << 8) | b as u64);
        if sign == 0 {
            if let Ok(i) = i64::try_from(m) {
                return Ok(ETerm::Int(i));
            }
        } else if m <= 1u64 << 63 {
            return Ok(ETerm::Int((m as i64).wrapping_neg()));
        }
    }
    let s = if sign == 0 { Sign::Plus } else { Sign::Minus };
    Ok(ETerm::Big(BigInt::from_bytes_le(s, mag)))
}

fn read_pid(r: &mut Reader<'_>) -> Result<ETerm, LoadError> {
    let at = r.pos();
    let t = r.u8()?;
    read_pid_body(r, t, at)
}

fn read_pid_body(r: &mut Reader<'_>, t: u8, at: usize) -> Result<ETerm, LoadError> {
    if t != tag::PID && t != tag::NEW_PID {
        return Err(r.err_at(at, ErrorKind::Invalid("expected a pid in external term")));
    }
    let node = read_atom(r)?;
    let id = r.u32()?;
    let serial = r.u32()?;
    let creation = if t == tag::PID {
        r.u8()? as u32
    } else {
        r.u32()?
    };
    Ok(ETerm::Pid {
        node,
        id,
        serial,
        creation,
    })
}

fn make_list(mut items: Vec<ETerm>, tail: ETerm) -> ETerm {
    match tail {
        ETerm::Nil if items.is_empty() => ETerm::Nil,
        ETerm::Nil => ETerm::List(items),
        ETerm::List(more) => {
            if items.is_empty() {
                ETerm::List(more)
            } else {
                items.extend(more);
                ETerm::List(items)
            }
        }
        ETerm::String(s) => {
            if items.is_empty() {
                ETerm::String(s)
            } else {
                items.extend(s.into_iter().map(|b| ETerm::Int(b as i64)));
                ETerm::List(items)
            }
        }
        ETerm::ImproperList(more, t) => {
            items.extend(more);
            ETerm::ImproperList(items, t)
        }
        other if items.is_empty() => other,
        other => ETerm::ImproperList(items, Box::new(other)),
    }
}

/// Reads one term (no version byte) with an explicit stack.
pub(crate) fn read_term(r: &mut Reader<'_>, max_depth: usize) -> Result<ETerm, LoadError> {
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let at = r.pos();
        let t = r.u8()?;
        let mut value = match t {
            tag::SMALL_INTEGER => ETerm::Int(r.u8()? as i64),
            tag::INTEGER => ETerm::Int(r.i32()? as i64),
            tag::NEW_FLOAT => ETerm::Float(f64::from_bits(r.u64()?)),
            tag::FLOAT => {
                let b = r.bytes(31)?;
                let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                let s = std::str::from_utf8(b.get(..end).unwrap_or(&[]))
                    .map_err(|_| r.err_at(at, ErrorKind::Invalid("bad FLOAT_EXT text")))?;
                let f: f64 = s
                    .trim()
                    .parse()
                    .map_err(|_| r.err_at(at, ErrorKind::Invalid("bad FLOAT_EXT text")))?;
                if !f.is_finite() {
                    return Err(r.err_at(at, ErrorKind::Invalid("FLOAT_EXT not finite")));
                }
                ETerm::Float(f)
            }
            tag::ATOM | tag::SMALL_ATOM | tag::ATOM_UTF8 | tag::SMALL_ATOM_UTF8 => {
                ETerm::Atom(read_atom_body(r, t, at)?)
            }
            tag::NIL => ETerm::Nil,
            tag::STRING => {
                let n = r.u16()? as usize;
                let b = r.bytes(n)?;
                if b.is_empty() {
                    ETerm::Nil
                } else {
                    ETerm::String(b.to_vec())
                }
            }
            tag::BINARY => {
                let n = r.u32()? as usize;
                ETerm::Binary(r.bytes(n)?.to_vec())
            }
            tag::BIT_BINARY => {
                let n = r.u32()? as usize;
                let bits = r.u8()?;
                if (bits == 0) != (n == 0) || bits > 8 {
                    return Err(r.err_at(at, ErrorKind::Invalid("bad BIT_BINARY_EXT bit count")));
                }
                let mut bytes = r.bytes(n)?.to_vec();
                if bits == 8 || bits == 0 {
                    ETerm::Binary(bytes)
                } else {
                    if let Some(last) = bytes.last_mut() {
                        *last &= 0xFFu8 << (8 - bits);
                    }
                    ETerm::Bitstring { bytes, bits }
                }
            }
            tag::SMALL_BIG | tag::LARGE_BIG => read_big(r, t)?,
            tag::PID | tag::NEW_PID => read_pid_body(r, t, at)?,
            tag::PORT | tag::NEW_PORT | tag::V4_PORT => {
                let node = read_atom(r)?;
                let id = if t == tag::V4_PORT {
                    r.u64()?
                } else {
                    r.u32()? as u64
                };
                let creation = if t == tag::PORT {
                    r.u8()? as u32
                } else {
                    r.u32()?
                };
                ETerm::Port { node, id, creation }
            }
            tag::REFERENCE | tag::NEW_REFERENCE | tag::NEWER_REFERENCE => {
                let n = if t == tag::REFERENCE {
                    1
                } else {
                    r.u16()? as usize
                };
                if !(1..=5).contains(&n) {
                    return Err(r.err_at(
                        at,
                        ErrorKind::Invalid("reference with 0 or more than 5 words"),
                    ));
                }
                let node = read_atom(r)?;
                let mut ids = Vec::with_capacity(n);
                let creation = match t {
                    // REFERENCE_EXT: Node, ID, Creation (one byte).
                    tag::REFERENCE => {
                        ids.push(r.u32()?);
                        r.u8()? as u32
                    }
                    tag::NEWER_REFERENCE => r.u32()?,
                    _ => r.u8()? as u32,
                };
                while ids.len() < n {
                    ids.push(r.u32()?);
                }
                ETerm::Ref {
                    node,
                    creation,
                    ids,
                }
            }
            tag::EXPORT => {
                let module = read_atom(r)?;
                let function = read_atom(r)?;
                let aat = r.pos();
                if r.u8()? != tag::SMALL_INTEGER {
                    return Err(r.err_at(
                        aat,
                        ErrorKind::Invalid("export arity is not a small integer"),
                    ));
                }
                let arity = r.u8()?;
                ETerm::Export {
                    module,
                    function,
                    arity,
                }
            }
            tag::NEW_FUN => {
                let _size = r.u32()?;
                let arity = r.u8()?;
                let uniq: [u8; 16] = r.array()?;
                let index = r.u32()?;
                let num_free = r.u32()? as u64;
                let module = read_atom(r)?;
                let old_index = read_int(r)?;
                let old_uniq = read_int(r)?;
                let pid = read_pid(r)?;
                let n = r.check_count(at, num_free, 1)?;
                let fun = Box::new(EFun {
                    module,
                    arity: Some(arity),
                    uniq: Some(uniq),
                    index,
                    old_index,
                    old_uniq,
                    pid,
                    free: Vec::with_capacity(prealloc(n)),
                });
                if n == 0 {
                    ETerm::Fun(fun)
                } else {
                    push(r, at, &mut stack, Frame::Fun(fun, n), max_depth)?;
                    continue;
                }
            }
            tag::FUN => {
                let num_free = r.u32()? as u64;
                let pid = read_pid(r)?;
                let module = read_atom(r)?;
                let iat = r.pos();
                let index = read_int(r)?;
                let index = u32::try_from(index)
                    .map_err(|_| r.err_at(iat, ErrorKind::Invalid("fun index out of range")))?;
                let old_uniq = read_int(r)?;
                let n = r.check_count(at, num_free, 1)?;
                let fun = Box::new(EFun {
                    module,
                    arity: None,
                    uniq: None,
                    index,
                    old_index: index as i64,
                    old_uniq,
                    pid,
                    free: Vec::with_capacity(prealloc(n)),
                });
                if n == 0 {
                    ETerm::Fun(fun)
                } else {
                    push(r, at, &mut stack, Frame::Fun(fun, n), max_depth)?;
                    continue;
                }
            }
            tag::SMALL_TUPLE | tag::LARGE_TUPLE => {
                let n = if t == tag::SMALL_TUPLE {
                    r.u8()? as u64
                } else {
                    r.u32()? as u64
                };
                let n = r.check_count(at, n, 1)?;
                if n == 0 {
                    ETerm::Tuple(Vec::new())
                } else {
                    push(
                        r,
                        at,
                        &mut stack,
                        Frame::Tuple(Vec::with_capacity(prealloc(n)), n),
                        max_depth,
                    )?;
                    continue;
                }
            }
            tag::LIST => {
                let n = r.u32()? as u64;
                // n elements and a tail, at least one byte each.
                let n = r.check_count(at, n.saturating_add(1), 1)?.saturating_sub(1);
                push(
                    r,
                    at,
                    &mut stack,
                    Frame::List(Vec::with_capacity(prealloc(n)), n),
                    max_depth,
                )?;
                continue;
            }
            tag::MAP => {
                let n = r.u32()? as u64;
                let n = r.check_count(at, n, 2)?;
                if n == 0 {
                    ETerm::Map(Vec::new())
                } else {
                    push(
                        r,
                        at,
                        &mut stack,
                        Frame::Map(Vec::with_capacity(prealloc(n)), None, n),
                        max_depth,
                    )?;
                    continue;
                }
            }
            _ => return Err(r.err_at(at, ErrorKind::EtfTag(t))),
        };
        // Hand the finished value to the enclosing frames.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(value);
            };
            match top {
                Frame::Tuple(items, n) => {
                    items.push(value);
                    if items.len() < *n {
                        break;
                    }
                    value = ETerm::Tuple(std::mem::take(items));
                }
                Frame::List(items, n) => {
                    if items.len() < *n {
                        items.push(value);
                        break;
                    }
                    value = make_list(std::mem::take(items), value);
                }
                Frame::Map(pairs, key, n) => match key.take() {
                    None => {
                        *key = Some(value);
                        break;
                    }
                    Some(k) => {
                        pairs.push((k, value));
                        if pairs.len() < *n {
                            break;
                        }
                        value = ETerm::Map(std::mem::take(pairs));
                    }
                },
                Frame::Fun(fun, n) => {
                    fun.free.push(value);
                    if fun.free.len() < *n {
                        break;
                    }
                    let mut done = Box::new(EFun {
                        module: String::new(),
                        arity: None,
                        uniq: None,
                        index: 0,
                        old_index: 0,
                        old_uniq: 0,
                        pid: ETerm::Nil,
                        free: Vec::new(),
                    });
                    std::mem::swap(&mut done, fun);
                    value = ETerm::Fun(done);
                }
            }
            stack.pop();
        }
    }
}

/// Initial capacity for `n` claimed elements: counts are already checked against the
/// bytes left, but each element is much bigger in memory than its 1-byte minimum
/// encoding, so large containers grow as they are filled.
#[inline]
fn prealloc(n: usize) -> usize {
    n.min(4096)
}

#[inline]
fn push(
    r: &Reader<'_>,
    at: usize,
    stack: &mut Vec<Frame>,
    f: Frame,
    max_depth: usize,
) -> Result<(), LoadError> {
    if stack.len() >= max_depth {
        return Err(r.err_at(at, ErrorKind::TooDeep));
    }
    stack.push(f);
    Ok(())
}
