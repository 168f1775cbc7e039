//! The external term format (ETF): `term_to_binary` / `binary_to_term`.
//!
//! [`encode`] produces exactly the bytes ERTS 13's `term_to_binary/1,2`
//! produce (uncompressed output is byte-identical, including every tag
//! choice: `SMALL_INTEGER_EXT`/`INTEGER_EXT`/`SMALL_BIG_EXT`, `ATOM_EXT` for
//! Latin-1 atoms at minor version 1 and `SMALL_ATOM_UTF8_EXT`/`ATOM_UTF8_EXT`
//! otherwise, `STRING_EXT` for byte lists up to 65535 long, `NEW_PID_EXT`,
//! `NEW_PORT_EXT`/`V4_PORT_EXT`, `NEWER_REFERENCE_EXT`, map pairs in ERTS's
//! iteration order or sorted with `deterministic`). Compressed output is
//! zlib's own deflate (through `flate2`'s zlib backend) with the parameters
//! ERTS uses, so it is byte-identical too.
//!
//! [`decode`] accepts everything `binary_to_term/1,2` accepts (every tag,
//! old and new, compressed) and rejects what it rejects. Hostile input gets
//! an [`Error`], never a panic: every length is checked against the bytes
//! that remain before anything is allocated, nesting is handled with
//! explicit stacks, and a compressed payload is inflated only up to its
//! declared size.

pub mod check;
mod decode;
mod encode;
pub mod float;

pub use check::cli_main;
pub use decode::decode;
pub use encode::{encode, encode_into, encoded_size, try_encode};

use std::fmt;

/// `VERSION_MAGIC`.
pub const VERSION_MAGIC: u8 = 131;

/// Tag bytes of the external term format.
#[allow(missing_docs)]
pub mod tag {
    pub const NEW_FLOAT_EXT: u8 = 70;
    pub const BIT_BINARY_EXT: u8 = 77;
    pub const COMPRESSED: u8 = 80;
    pub const ATOM_CACHE_REF: u8 = 82;
    pub const NEW_PID_EXT: u8 = 88;
    pub const NEW_PORT_EXT: u8 = 89;
    pub const NEWER_REFERENCE_EXT: u8 = 90;
    pub const SMALL_INTEGER_EXT: u8 = 97;
    pub const INTEGER_EXT: u8 = 98;
    pub const FLOAT_EXT: u8 = 99;
    pub const ATOM_EXT: u8 = 100;
    pub const REFERENCE_EXT: u8 = 101;
    pub const PORT_EXT: u8 = 102;
    pub const PID_EXT: u8 = 103;
    pub const SMALL_TUPLE_EXT: u8 = 104;
    pub const LARGE_TUPLE_EXT: u8 = 105;
    pub const NIL_EXT: u8 = 106;
    pub const STRING_EXT: u8 = 107;
    pub const LIST_EXT: u8 = 108;
    pub const BINARY_EXT: u8 = 109;
    pub const SMALL_BIG_EXT: u8 = 110;
    pub const LARGE_BIG_EXT: u8 = 111;
    pub const NEW_FUN_EXT: u8 = 112;
    pub const EXPORT_EXT: u8 = 113;
    pub const NEW_REFERENCE_EXT: u8 = 114;
    pub const SMALL_ATOM_EXT: u8 = 115;
    pub const MAP_EXT: u8 = 116;
    pub const FUN_EXT: u8 = 117;
    pub const ATOM_UTF8_EXT: u8 = 118;
    pub const SMALL_ATOM_UTF8_EXT: u8 = 119;
    pub const V4_PORT_EXT: u8 = 120;
}

/// Options of `term_to_binary/2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// `{minor_version, 0 | 1 | 2}`: 0 writes floats as `FLOAT_EXT` text,
    /// 1 (the OTP 25 default) writes `NEW_FLOAT_EXT` and Latin-1 atoms as
    /// `ATOM_EXT`, 2 writes every atom as UTF-8.
    pub minor_version: u8,
    /// `compressed` / `{compressed, Level}` (1..=9); `None` or `Some(0)`:
    /// uncompressed.
    pub compressed: Option<u32>,
    /// `deterministic`: large maps are written sorted by key term order.
    pub deterministic: bool,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            minor_version: 1,
            compressed: None,
            deterministic: false,
        }
    }
}

/// Options of `binary_to_term/2`.
#[derive(Clone, Copy, Default)]
pub struct DecodeOptions<'a> {
    /// `safe`: fail instead of creating atoms (and, when `export_exists`
    /// is given, instead of creating export funs of unknown functions).
    pub safe: bool,
    /// With `safe`: tells whether `Module:Function/Arity` is an existing
    /// export (ERTS `erts_active_export_entry`).
    pub export_exists: Option<&'a dyn Fn(crate::atom::Atom, crate::atom::Atom, u32) -> bool>,
}

impl fmt::Debug for DecodeOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeOptions")
            .field("safe", &self.safe)
            .field("export_exists", &self.export_exists.is_some())
            .finish()
    }
}

/// Why a binary could not be decoded (`binary_to_term` raises `badarg`
/// for all of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The first byte is not 131.
    BadVersion,
    /// The input ends before the term does.
    Truncated,
    /// Unknown or unsupported tag byte (e.g. `ATOM_CACHE_REF` outside
    /// distribution, the pre-OTP 23 `FUN_EXT`).
    BadTag(u8),
    /// An atom is not valid UTF-8/Latin-1, or is too long.
    BadAtom,
    /// `safe`: the atom does not exist.
    UnsafeAtom,
    /// `safe`: the export fun's function does not exist.
    UnsafeFun,
    /// A value is out of range or inconsistent (bad float, bit count,
    /// pid/port/ref numbers, fun arity, ...).
    Invalid(&'static str),
    /// Two equal keys in one map.
    DuplicateKey,
    /// The compressed payload is corrupt or does not match its size.
    BadCompressed,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadVersion => write!(f, "not an external term (bad version byte)"),
            Error::Truncated => write!(f, "truncated external term"),
            Error::BadTag(t) => write!(f, "bad tag {t}"),
            Error::BadAtom => write!(f, "bad atom"),
            Error::UnsafeAtom => write!(f, "unsafe: atom does not exist"),
            Error::UnsafeFun => write!(f, "unsafe: function does not exist"),
            Error::Invalid(w) => write!(f, "invalid {w}"),
            Error::DuplicateKey => write!(f, "duplicate map key"),
            Error::BadCompressed => write!(f, "bad compressed term"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests;
