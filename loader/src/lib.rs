//! `oxbeam-loader`: reads OTP `.beam` files into a plain-data module IR.
//!
//! * [`parse_module`] / [`load_file`]: IFF container, every chunk OTP 25 writes, the
//!   instruction stream with its compact-term operands, literals (zlib + external
//!   term format), line and type tables. The result is a [`Module`].
//! * [`opcodes`]: the generic instruction table generated from `genop.tab`.
//! * [`compact`]: operands; [`etf`]: the external term format decoder ([`ETerm`]).
//!
//! Malformed input gives a [`LoadError`] naming the chunk and byte offset; nothing in
//! here panics on input data.

#![warn(missing_docs)]

pub mod compact;
pub mod error;
pub mod etf;
pub mod ir;
pub mod md5;
pub mod opcodes;
mod parse;
pub mod pretty;
mod reader;

pub use compact::{AllocList, Operand, Reg};
pub use error::{ChunkId, ErrorKind, LoadError};
pub use etf::{EFun, ETerm};
pub use ir::{
    ChunkInfo, CodeHeader, FunEntry, FunctionEntry, Import, Instr, LineItem, LineTable, Module,
    RawChunk, TypeEntry,
};
pub use parse::parse_module;

use std::path::Path;

/// Reads and parses the `.beam` file at `path`; errors carry the path.
pub fn load_file(path: &Path) -> Result<Module, LoadError> {
    let with_path = |mut e: LoadError| {
        e.path = Some(path.to_path_buf());
        e
    };
    let bytes = std::fs::read(path)
        .map_err(|e| with_path(LoadError::new(ErrorKind::Io(e.to_string()), 0)))?;
    parse_module(&bytes).map_err(with_path)
}
