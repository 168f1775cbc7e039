//! The module IR: plain data produced by [`crate::parse_module`].

use crate::compact::Operand;
use crate::error::{ChunkId, LoadError};
use crate::etf::ETerm;

/// A loaded `.beam` module: every chunk decoded into plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The module name (atom 1).
    pub name: String,
    /// The atom table; `atoms[0]` is atom index 1 (operands and tables are 1-based).
    pub atoms: Vec<String>,
    /// The `Code` chunk header.
    pub header: CodeHeader,
    /// The instructions in order, ending with `int_code_end`.
    pub instructions: Vec<Instr>,
    /// `ImpT`: imported functions, indexed by the `u` operand of `call_ext*`/`bif*`.
    pub imports: Vec<Import>,
    /// `ExpT`: exported functions.
    pub exports: Vec<FunctionEntry>,
    /// `LocT`: local functions (empty if the chunk is absent).
    pub locals: Vec<FunctionEntry>,
    /// `FunT`: lambdas, indexed by `make_fun3`'s operand (empty if absent).
    pub funs: Vec<FunEntry>,
    /// `LitT`: literal terms, indexed by `z4` operands.
    pub literals: Vec<ETerm>,
    /// `Line`: the line table (`None` if absent or of an unknown version).
    pub lines: Option<LineTable>,
    /// `StrT`: the string pool for `bs_match_string`/`bs_put_string`.
    pub strings: Vec<u8>,
    /// `Attr`: the module attributes term (a list), if present.
    pub attributes: Option<ETerm>,
    /// `CInf`: the compile information term (a list), if present.
    pub compile_info: Option<ETerm>,
    /// `Meta`: the metadata term (`[{enabled_features,[]}]` in OTP 25), if present.
    pub meta: Option<ETerm>,
    /// `Type`: the type table indexed by `z5` operands (`None` if absent or of an
    /// unknown version; then type indices are not checked).
    pub types: Option<Vec<TypeEntry>>,
    /// `Dbgi`: raw debug info bytes, decoded on request by [`Module::decode_debug_info`].
    pub debug_info: Option<Vec<u8>>,
    /// Chunks kept as raw bytes: `Docs`, unknown ids, and `Line`/`Type` of unknown versions.
    pub raw_chunks: Vec<RawChunk>,
    /// Every chunk of the file in order, with its position (for checksums and tools).
    pub chunks: Vec<ChunkInfo>,
    /// The module checksum ERTS computes at load time (`module_info(md5)`,
    /// also the `Uniq` of the module's funs).
    pub md5: [u8; 16],
}

/// The `Code` chunk header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeHeader {
    /// Instruction set (`BEAM_FORMAT_NUMBER`, 0).
    pub instruction_set: u32,
    /// The highest opcode the compiler claims to use.
    pub max_opcode: u32,
    /// Highest label + 1.
    pub label_count: u32,
    /// Number of functions (`func_info` instructions).
    pub function_count: u32,
}

/// One generic instruction.
#[derive(Debug, Clone, PartialEq)]
pub struct Instr {
    /// Generic opcode number (see [`crate::opcodes`]).
    pub op: u8,
    /// Byte offset of the opcode inside the code (after the `Code` header).
    pub offset: u32,
    /// Operands; as many as the opcode's arity (a `z1` list counts as one).
    pub args: Vec<Operand>,
}

impl Instr {
    /// The opcode's name (`"move"`), or `"?"` for a number not in the table.
    pub fn name(&self) -> &'static str {
        crate::opcodes::info(self.op).map_or("?", |i| i.name)
    }
}

/// An `ImpT` entry; atom fields are 1-based atom indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Import {
    /// Module atom index.
    pub module: u32,
    /// Function atom index.
    pub function: u32,
    /// Arity.
    pub arity: u32,
}

/// An `ExpT` or `LocT` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FunctionEntry {
    /// Function atom index.
    pub function: u32,
    /// Arity.
    pub arity: u32,
    /// Entry label.
    pub label: u32,
}

/// A `FunT` (lambda table) entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FunEntry {
    /// Function atom index (the generated `-name/arity-fun-N-` function).
    pub function: u32,
    /// Arity (including free variables).
    pub arity: u32,
    /// Entry label.
    pub label: u32,
    /// Index (the `FunT` position in OTP 25).
    pub index: u32,
    /// Number of free variables.
    pub num_free: u32,
    /// Old uniq value.
    pub old_uniq: u32,
}

/// The decoded `Line` chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTable {
    /// Chunk version (0).
    pub version: u32,
    /// Flags (unused, 0).
    pub flags: u32,
    /// Number of `line` instructions the compiler emitted.
    pub instruction_count: u32,
    /// Items indexed by `line` operands. Item 0 is "no location" (file 0, line 0).
    pub items: Vec<LineItem>,
    /// Stored file names. File index 0 is the module's own source file (`<module>.erl`,
    /// not stored); index `k >= 1` is `filenames[k - 1]`.
    pub filenames: Vec<String>,
}

/// One location in the line table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineItem {
    /// File index (see [`LineTable::filenames`]).
    pub file: u32,
    /// Line number.
    pub line: u32,
}

/// A `Type` chunk entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeEntry {
    /// Type union bits: atom=1, bitstring=2, bs_matchstate=4, cons=8, float=16, fun=32,
    /// integer=64, map=128, nil=256, pid=512, port=1024, reference=2048, tuple=4096.
    pub bits: u16,
    /// Lower bound of the integer range.
    pub min: i64,
    /// Upper bound of the integer range (`min > max` means no range).
    pub max: i64,
}

impl TypeEntry {
    /// The integer range, if the entry has one.
    pub fn range(&self) -> Option<(i64, i64)> {
        (self.min <= self.max).then_some((self.min, self.max))
    }
}

/// A chunk kept as raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChunk {
    /// Chunk id.
    pub id: ChunkId,
    /// The chunk's data (without padding).
    pub data: Vec<u8>,
}

/// Where a chunk sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkInfo {
    /// Chunk id.
    pub id: ChunkId,
    /// Offset of the chunk's data (after the 8-byte chunk header) in the file.
    pub offset: usize,
    /// Data size (without padding).
    pub size: usize,
}

impl Module {
    /// The text of atom `index` (1-based, as in operands and tables).
    pub fn atom(&self, index: u32) -> Option<&str> {
        let i = usize::try_from(index).ok()?.checked_sub(1)?;
        self.atoms.get(i).map(String::as_str)
    }

    /// Import `index` as `(module, function, arity)` text.
    pub fn import_mfa(&self, index: usize) -> Option<(&str, &str, u32)> {
        let imp = self.imports.get(index)?;
        Some((self.atom(imp.module)?, self.atom(imp.function)?, imp.arity))
    }

    /// The file name for line-table file index `file` (index 0 is `<module>.erl`).
    pub fn line_file_name(&self, file: u32) -> Option<String> {
        if file == 0 {
            return Some(format!("{}.erl", self.name));
        }
        let lines = self.lines.as_ref()?;
        lines.filenames.get(file as usize - 1).cloned()
    }

    /// Decodes the `Dbgi` chunk (`{debug_info_v1, Backend, Data}`), if present.
    /// Uses a high nesting limit since abstract code can be deep.
    pub fn decode_debug_info(&self) -> Option<Result<ETerm, LoadError>> {
        let data = self.debug_info.as_ref()?;
        Some(crate::etf::decode_with_limit(
            data,
            crate::etf::DEBUG_INFO_MAX_DEPTH,
        ))
    }
}
