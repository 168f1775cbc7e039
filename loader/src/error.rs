//! Load errors: every failure is a value naming the file, the chunk and the byte offset.

use std::fmt;
use std::path::PathBuf;

/// A four-byte IFF chunk id such as `*b"Code"`.
pub type ChunkId = [u8; 4];

/// Why a `.beam` file (or an external term) could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file, when loading with [`crate::load_file`].
    pub path: Option<PathBuf>,
    /// The chunk being parsed, if the error is inside one.
    pub chunk: Option<ChunkId>,
    /// Byte offset from the start of the file (for errors inside the decompressed
    /// literal table: the offset of the `LitT` chunk's data; see [`ErrorKind::Literal`]).
    pub offset: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The failure itself, without location.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// Reading the file failed.
    Io(String),
    /// The file does not start with `FOR1`.
    NotIff,
    /// The IFF form type is not `BEAM`.
    NotBeam,
    /// The data ends before a field of `needed` bytes.
    Truncated {
        /// Size of the field that did not fit.
        needed: usize,
    },
    /// A chunk's (padded) size runs past the end of the form.
    ChunkOverrun {
        /// Declared chunk size.
        size: u32,
    },
    /// A chunk every module needs is absent.
    MissingChunk(ChunkId),
    /// A chunk appears twice.
    DuplicateChunk(ChunkId),
    /// A table's entry count cannot fit in the bytes left.
    BadCount(u64),
    /// The `Code` header's instruction set is not `BEAM_FORMAT_NUMBER`.
    InstructionSet(u32),
    /// The `Code` header's `max_opcode` is above what this loader knows.
    MaxOpcode(u32),
    /// An opcode number not in the table.
    UnknownOpcode(u8),
    /// An opcode the table marks obsolete.
    ObsoleteOpcode(u8),
    /// The code runs out without `int_code_end`.
    MissingCodeEnd,
    /// A compact term has a tag not allowed where it stands.
    BadTag {
        /// The tag found (0..7 = u,i,a,x,y,f,h,z; 8+N = extended zN).
        tag: u8,
        /// What was expected there.
        expected: &'static str,
    },
    /// An extended (`z`) compact term with an unknown sub-tag.
    BadExtendedTag(u64),
    /// A compact-term value that does not fit where it is used.
    ValueTooLarge,
    /// An index (atom, literal, label, type, register, file name, ...) out of range.
    IndexOutOfRange {
        /// Which table the index refers to.
        what: &'static str,
        /// The index.
        index: u64,
    },
    /// A `z1` list operand that is not the instruction's last operand.
    ListNotLast,
    /// Bytes that must be UTF-8 are not.
    InvalidUtf8,
    /// A zlib stream could not be inflated (or inflated to the wrong size).
    Zlib(String),
    /// An error inside literal number `index` of `LitT`, at `offset` in the decompressed table.
    Literal {
        /// Literal index.
        index: u32,
        /// Offset inside the decompressed literal table.
        offset: usize,
        /// The external-term-format error.
        error: Box<ErrorKind>,
    },
    /// An error inside a compressed external term, at `offset` in the inflated data.
    Compressed {
        /// Offset inside the inflated term.
        offset: usize,
        /// The error.
        error: Box<ErrorKind>,
    },
    /// Bytes left over where a structure should end.
    TrailingBytes(usize),
    /// An external term with an unknown or unsupported tag.
    EtfTag(u8),
    /// External-term nesting deeper than the decoder's limit.
    TooDeep,
    /// A field with an invalid value; the text says which.
    Invalid(&'static str),
}

impl LoadError {
    /// An error at `offset` with no chunk or path yet.
    pub fn new(kind: ErrorKind, offset: usize) -> Self {
        LoadError {
            path: None,
            chunk: None,
            offset,
            kind,
        }
    }

    /// The chunk id as text (`"Code"`), if any.
    pub fn chunk_name(&self) -> Option<String> {
        self.chunk.map(|c| chunk_name(&c))
    }
}

/// A chunk id as printable text (non-printable bytes escaped).
pub fn chunk_name(id: &ChunkId) -> String {
    id.iter()
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect()
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            Io(e) => write!(f, "I/O error: {e}"),
            NotIff => f.write_str("not an IFF file (no FOR1 header)"),
            NotBeam => f.write_str("not a BEAM file: IFF form type is not 'BEAM'"),
            Truncated { needed } => write!(f, "truncated: {needed} more byte(s) needed"),
            ChunkOverrun { size } => write!(f, "chunk size {size} runs past the end of the file"),
            MissingChunk(c) => write!(f, "missing chunk '{}'", chunk_name(c)),
            DuplicateChunk(c) => write!(f, "duplicate chunk '{}'", chunk_name(c)),
            BadCount(n) => write!(f, "count {n} exceeds the data"),
            InstructionSet(n) => write!(f, "unsupported instruction set {n}"),
            MaxOpcode(n) => write!(
                f,
                "max opcode {n} is above {} (compiled by a newer OTP?)",
                crate::opcodes::MAX_OPCODE
            ),
            UnknownOpcode(n) => write!(f, "unknown opcode {n}"),
            ObsoleteOpcode(n) => write!(
                f,
                "obsolete opcode {n} ({})",
                crate::opcodes::info(*n).map_or("?", |i| i.name)
            ),
            MissingCodeEnd => f.write_str("code ends without int_code_end"),
            BadTag { tag, expected } => write!(f, "compact term tag {tag}, expected {expected}"),
            BadExtendedTag(n) => write!(f, "unknown extended compact term tag z{n}"),
            ValueTooLarge => f.write_str("compact term value too large"),
            IndexOutOfRange { what, index } => write!(f, "{what} index {index} out of range"),
            ListNotLast => f.write_str("list operand is not the last operand"),
            InvalidUtf8 => f.write_str("invalid UTF-8"),
            Zlib(e) => write!(f, "zlib: {e}"),
            Literal {
                index,
                offset,
                error,
            } => write!(
                f,
                "literal {index} (offset {offset} in decompressed table): {error}"
            ),
            Compressed { offset, error } => {
                write!(f, "in compressed term (offset {offset} inflated): {error}")
            }
            TrailingBytes(n) => write!(f, "{n} trailing byte(s)"),
            EtfTag(t) => write!(f, "unsupported external term tag {t}"),
            TooDeep => f.write_str("external term nested too deeply"),
            Invalid(what) => f.write_str(what),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.display())?;
        }
        if let Some(c) = &self.chunk {
            write!(f, "chunk '{}': ", chunk_name(c))?;
        }
        write!(f, "offset {}: {}", self.offset, self.kind)
    }
}

impl std::error::Error for LoadError {}
