//! The compact term encoding used for instruction operands (and `Line` items).
//!
//! First byte `b`: tag `b & 7` (`u i a x y f h z`), then the value in one of three size
//! classes (4-bit in `b >> 4`; 11-bit with one more byte; 2..8 bytes, or a length given
//! by a nested `u` term plus 9). `z` introduces the extended forms: float (z0), list (z1),
//! float register (z2), allocation list (z3), literal (z4) and typed register (z5).

use crate::error::{ErrorKind, LoadError};
use crate::reader::Reader;
use num_bigint::BigInt;

/// Highest x/y/fr register number + 1 (ERTS's `MAX_REG`).
pub const MAX_REG: u64 = 1024;

/// Tag numbers of the compact encoding.
pub mod tag {
    /// `u`: unsigned value (import/fun index, arity, count, ...).
    pub const U: u8 = 0;
    /// `i`: signed integer.
    pub const I: u8 = 1;
    /// `a`: atom index (0 = `[]`).
    pub const A: u8 = 2;
    /// `x`: x register.
    pub const X: u8 = 3;
    /// `y`: y register.
    pub const Y: u8 = 4;
    /// `f`: label (0 = no fail label).
    pub const F: u8 = 5;
    /// `h`: character.
    pub const H: u8 = 6;
    /// `z`: extended.
    pub const Z: u8 = 7;
}

/// An x or y register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reg {
    /// `{x,N}`
    X(u32),
    /// `{y,N}`
    Y(u32),
}

/// The summed contents of a `z3` allocation list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AllocList {
    /// Heap words (kind 0).
    pub words: u32,
    /// Floats (kind 1).
    pub floats: u32,
    /// Funs (kind 2).
    pub funs: u32,
}

/// One decoded instruction operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `u` tag: an unsigned number (arity, import/fun index, live count, ...).
    U(u64),
    /// `i` tag that fits an `i64`.
    Int(i64),
    /// `i` tag too large for an `i64`.
    BigInt(Box<BigInt>),
    /// `a` tag with a non-zero value: atom index, 1-based (1 is the module name).
    Atom(u32),
    /// `a 0`: the empty list `[]`.
    Nil,
    /// `x` register.
    X(u32),
    /// `y` register.
    Y(u32),
    /// `f` tag: a label number; 0 means "no fail label".
    Label(u32),
    /// `h` tag: a character (unused by OTP 25).
    Char(u32),
    /// `z0`: an inline float (obsolete since R16B).
    Float(f64),
    /// `z1`: a list of operands (select_val pairs, bs_create_bin segments, ...).
    /// Boxed so that an `Operand` stays 16 bytes.
    #[allow(clippy::box_collection)]
    List(Box<Vec<Operand>>),
    /// `z2`: a float register.
    FloatReg(u32),
    /// `z3`: an allocation list.
    Alloc(AllocList),
    /// `z4`: an index into the literal table.
    Literal(u32),
    /// `z5`: a register with a type hint (index into the `Type` table).
    TypedReg {
        /// The register.
        reg: Reg,
        /// Index into [`crate::Module::types`].
        type_index: u32,
    },
}

/// Limits used to validate indices while decoding.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Number of atoms (valid atom operands are `1..=atoms`).
    pub atoms: u64,
    /// Number of literals.
    pub literals: u64,
    /// `label_count` from the code header (valid labels are `< labels`, 0 = none).
    pub labels: u64,
    /// Number of `Type` entries, or `None` to accept any type index.
    pub types: Option<u64>,
}

impl Limits {
    /// No index checks (except register numbers).
    pub const UNCHECKED: Limits = Limits {
        atoms: u64::MAX,
        literals: u64::MAX,
        labels: u64::MAX,
        types: None,
    };
}

/// A raw value: a machine word, or the big-endian bytes of a larger one.
enum Val<'a> {
    W(u64),
    Bytes(&'a [u8]),
}

/// Reads the first byte and the value of a compact term. Returns `(tag, value)`.
/// For the `z` tag the value is the extended sub-tag.
#[inline]
fn head<'a>(r: &mut Reader<'a>) -> Result<(u8, Val<'a>), LoadError> {
    let b = r.u8()?;
    let tag = b & 7;
    if b & 0x08 == 0 {
        return Ok((tag, Val::W((b >> 4) as u64)));
    }
    if b & 0x10 == 0 {
        let lo = r.u8()?;
        return Ok((tag, Val::W((((b as u64) & 0xE0) << 3) | lo as u64)));
    }
    let n = (b >> 5) as usize;
    let len = if n < 7 {
        n + 2
    } else {
        // The length is a nested `u` term (never itself in the >8-byte class), plus 9.
        let at = r.pos();
        let lb = r.u8()?;
        if lb & 7 != tag::U {
            return Err(r.err_at(
                at,
                ErrorKind::BadTag {
                    tag: lb & 7,
                    expected: "u (length prefix)",
                },
            ));
        }
        let l = if lb & 0x08 == 0 {
            (lb >> 4) as u64
        } else if lb & 0x10 == 0 {
            (((lb as u64) & 0xE0) << 3) | r.u8()? as u64
        } else {
            let m = (lb >> 5) as usize;
            if m == 7 {
                return Err(r.err_at(at, ErrorKind::ValueTooLarge));
            }
            be_unsigned(r.bytes(m + 2)?).ok_or_else(|| r.err_at(at, ErrorKind::ValueTooLarge))?
        };
        let l = usize::try_from(l)
            .ok()
            .and_then(|l| l.checked_add(9))
            .ok_or_else(|| r.err_at(at, ErrorKind::ValueTooLarge))?;
        if l > r.remaining() {
            return Err(r.err(ErrorKind::Truncated {
                needed: l - r.remaining(),
            }));
        }
        l
    };
    Ok((tag, Val::Bytes(r.bytes(len)?)))
}

/// Big-endian unsigned bytes as a `u64`, if they fit.
#[inline]
fn be_unsigned(bytes: &[u8]) -> Option<u64> {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let sig = bytes.get(first..)?;
    if sig.len() > 8 {
        return None;
    }
    Some(sig.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64))
}

/// An unsigned value (any tag except `i`): multi-byte values must fit a `u64`.
#[inline]
fn unsigned(r: &Reader<'_>, at: usize, v: Val<'_>) -> Result<u64, LoadError> {
    match v {
        Val::W(w) => Ok(w),
        Val::Bytes(b) => be_unsigned(b).ok_or_else(|| r.err_at(at, ErrorKind::ValueTooLarge)),
    }
}

/// A signed integer operand from two's-complement bytes.
fn signed(v: Val<'_>) -> Operand {
    match v {
        Val::W(w) => Operand::Int(w as i64),
        Val::Bytes(b) if b.len() <= 8 => {
            let mut w: i64 = if b.first().is_some_and(|&x| x & 0x80 != 0) {
                -1
            } else {
                0
            };
            for &x in b {
                w = (w << 8) | x as i64;
            }
            Operand::Int(w)
        }
        Val::Bytes(b) => {
            let big = BigInt::from_signed_bytes_be(b);
            match i64::try_from(&big) {
                Ok(i) => Operand::Int(i),
                Err(_) => Operand::BigInt(Box::new(big)),
            }
        }
    }
}

/// Reads a term that must carry the `u` tag and returns its value.
#[inline]
pub(crate) fn read_u(r: &mut Reader<'_>, what: &'static str) -> Result<u64, LoadError> {
    let at = r.pos();
    let (t, v) = head(r)?;
    if t != tag::U {
        return Err(r.err_at(
            at,
            ErrorKind::BadTag {
                tag: t,
                expected: what,
            },
        ));
    }
    unsigned(r, at, v)
}

fn check(
    r: &Reader<'_>,
    at: usize,
    what: &'static str,
    v: u64,
    limit: u64,
) -> Result<u32, LoadError> {
    if v < limit {
        u32::try_from(v).map_err(|_| r.err_at(at, ErrorKind::IndexOutOfRange { what, index: v }))
    } else {
        Err(r.err_at(at, ErrorKind::IndexOutOfRange { what, index: v }))
    }
}

/// A line-table item: either a file switch (`a` tag) or a line number (`i` tag).
pub(crate) enum LineItem {
    File(u64),
    Line(u64),
}

/// Reads one `Line` chunk item.
pub(crate) fn read_line_item(r: &mut Reader<'_>) -> Result<LineItem, LoadError> {
    let at = r.pos();
    let (t, v) = head(r)?;
    match t {
        tag::A => Ok(LineItem::File(unsigned(r, at, v)?)),
        tag::I => match signed(v) {
            Operand::Int(i) if i >= 0 => Ok(LineItem::Line(i as u64)),
            _ => Err(r.err_at(at, ErrorKind::Invalid("negative or huge line number"))),
        },
        _ => Err(r.err_at(
            at,
            ErrorKind::BadTag {
                tag: t,
                expected: "a or i (line item)",
            },
        )),
    }
}

/// Decodes one operand. `in_list` is true for the elements of a `z1` list.
pub(crate) fn read_operand(
    r: &mut Reader<'_>,
    lim: &Limits,
    in_list: bool,
) -> Result<Operand, LoadError> {
    let at = r.pos();
    let (t, v) = head(r)?;
    Ok(match t {
        tag::U => Operand::U(unsigned(r, at, v)?),
        tag::I => signed(v),
        tag::A => {
            let v = unsigned(r, at, v)?;
            if v == 0 {
                Operand::Nil
            } else {
                Operand::Atom(check(r, at, "atom", v, lim.atoms.saturating_add(1))?)
            }
        }
        tag::X => Operand::X(check(r, at, "x register", unsigned(r, at, v)?, MAX_REG)?),
        tag::Y => Operand::Y(check(r, at, "y register", unsigned(r, at, v)?, MAX_REG)?),
        tag::F => {
            let v = unsigned(r, at, v)?;
            if v == 0 {
                Operand::Label(0)
            } else {
                Operand::Label(check(r, at, "label", v, lim.labels)?)
            }
        }
        tag::H => Operand::Char(check(
            r,
            at,
            "character",
            unsigned(r, at, v)?,
            u32::MAX as u64,
        )?),
        _ => {
            let ext = unsigned(r, at, v)?;
            match ext {
                0 => Operand::Float(f64::from_bits(r.u64()?)),
                1 => {
                    if in_list {
                        return Err(r.err_at(at, ErrorKind::Invalid("nested list operand")));
                    }
                    let n_at = r.pos();
                    let n = read_u(r, "u (list length)")?;
                    let n = r.check_count(n_at, n, 1)?;
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(read_operand(r, lim, true)?);
                    }
                    Operand::List(Box::new(items))
                }
                2 => {
                    let n_at = r.pos();
                    let n = read_u(r, "u (float register)")?;
                    Operand::FloatReg(check(r, n_at, "float register", n, MAX_REG)?)
                }
                3 => {
                    let n_at = r.pos();
                    let n = read_u(r, "u (allocation list length)")?;
                    let n = r.check_count(n_at, n, 2)?;
                    let mut a = AllocList::default();
                    for _ in 0..n {
                        let k_at = r.pos();
                        let kind = read_u(r, "u (allocation kind)")?;
                        let c_at = r.pos();
                        let count = read_u(r, "u (allocation count)")?;
                        let count = u32::try_from(count)
                            .map_err(|_| r.err_at(c_at, ErrorKind::ValueTooLarge))?;
                        let slot = match kind {
                            0 => &mut a.words,
                            1 => &mut a.floats,
                            2 => &mut a.funs,
                            _ => {
                                return Err(
                                    r.err_at(k_at, ErrorKind::Invalid("bad allocation kind"))
                                )
                            }
                        };
                        *slot = slot
                            .checked_add(count)
                            .ok_or_else(|| r.err_at(c_at, ErrorKind::ValueTooLarge))?;
                    }
                    Operand::Alloc(a)
                }
                4 => {
                    let n_at = r.pos();
                    let n = read_u(r, "u (literal index)")?;
                    Operand::Literal(check(r, n_at, "literal", n, lim.literals)?)
                }
                5 => {
                    let reg_at = r.pos();
                    let (rt, rv) = head(r)?;
                    let rv = unsigned(r, reg_at, rv)?;
                    let reg = match rt {
                        tag::X => Reg::X(check(r, reg_at, "x register", rv, MAX_REG)?),
                        tag::Y => Reg::Y(check(r, reg_at, "y register", rv, MAX_REG)?),
                        _ => {
                            return Err(r.err_at(
                                reg_at,
                                ErrorKind::BadTag {
                                    tag: rt,
                                    expected: "x or y (typed register)",
                                },
                            ))
                        }
                    };
                    let n_at = r.pos();
                    let n = read_u(r, "u (type index)")?;
                    let type_index =
                        check(r, n_at, "type", n, lim.types.unwrap_or(u32::MAX as u64 + 1))?;
                    Operand::TypedReg { reg, type_index }
                }
                _ => return Err(r.err_at(at, ErrorKind::BadExtendedTag(ext))),
            }
        }
    })
}

/// Decodes one operand from the start of `bytes` without index checks (registers are
/// still limited to [`MAX_REG`]). Returns the operand and the number of bytes used.
pub fn decode_operand(bytes: &[u8]) -> Result<(Operand, usize), LoadError> {
    decode_operand_with(bytes, &Limits::UNCHECKED)
}

/// Like [`decode_operand`], validating indices against `limits`.
pub fn decode_operand_with(bytes: &[u8], limits: &Limits) -> Result<(Operand, usize), LoadError> {
    let mut r = Reader::new(bytes, 0);
    let op = read_operand(&mut r, limits, false)?;
    Ok((op, r.pos()))
}
