//! Runtime code: loaded modules, the global module table and the export
//! table.
//!
//! * A loaded [`Module`] holds its executable code (`Box<[Instr]>`), its
//!   literal area, function/line/fun tables and `module_info` data. Modules
//!   get a unique, never reused id; code addresses are `(module id,
//!   offset)` pairs ([`CodeAddr`]) so a return address stays valid while
//!   old code is kept.
//! * The module table maps a module name to its *current* and *old*
//!   version (hot code loading: loading again moves current to old).
//! * The export table maps `{M,F,A}` to a `&'static Export` whose target
//!   (an atomic word) is a code address, a BIF, or "not loaded". Call
//!   instructions hold the `&'static Export` directly, so re-loading a
//!   module redirects every caller without touching their code. Export
//!   entries are never freed (as in ERTS).

use crate::atom::Atom;
use crate::emulator::Instr;
use crate::heap::LiteralArea;
use crate::term::Term;
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A code address: module id in the high 32 bits, instruction offset in
/// the low 32 bits.
pub type CodeAddr = u64;

/// Builds a code address.
#[inline]
pub fn code_addr(module: u32, offset: u32) -> CodeAddr {
    ((module as u64) << 32) | offset as u64
}

/// Splits a code address.
#[inline]
pub fn split_addr(a: CodeAddr) -> (u32, u32) {
    ((a >> 32) as u32, a as u32)
}

const TARGET_NONE: u64 = 0;
const TARGET_CODE: u64 = 1 << 62;
const TARGET_BIF: u64 = 1 << 61;

/// What an export entry points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Not loaded (calling it loads the module or raises `undef`).
    None,
    /// Erlang code.
    Code(CodeAddr),
    /// A BIF (index into [`crate::bif::BIFS`]).
    Bif(u32),
}

/// An export table entry.
#[derive(Debug)]
pub struct Export {
    /// Module.
    pub module: Atom,
    /// Function.
    pub function: Atom,
    /// Arity.
    pub arity: u32,
    target: AtomicU64,
}

impl Export {
    /// The current target.
    #[inline]
    pub fn target(&self) -> Target {
        let t = self.target.load(Ordering::Acquire);
        if t & TARGET_CODE != 0 {
            Target::Code(t & !TARGET_CODE)
        } else if t & TARGET_BIF != 0 {
            Target::Bif((t & !TARGET_BIF) as u32)
        } else {
            Target::None
        }
    }

    fn set(&self, t: Target) {
        let w = match t {
            Target::None => TARGET_NONE,
            Target::Code(a) => a | TARGET_CODE,
            Target::Bif(i) => i as u64 | TARGET_BIF,
        };
        self.target.store(w, Ordering::Release);
    }
}

/// A function of a loaded module.
#[derive(Debug, Clone)]
pub struct Function {
    /// Name.
    pub name: Atom,
    /// Arity.
    pub arity: u32,
    /// Offset of its `func_info` instruction (start of the function's code).
    pub start: u32,
    /// Offset of its entry (after `func_info`).
    pub entry: u32,
}

/// A lambda of a loaded module (`FunT` entry).
#[derive(Debug, Clone)]
pub struct Lambda {
    /// The generated function's name.
    pub name: Atom,
    /// Arity of the code (apparent arity + free variables).
    pub code_arity: u32,
    /// Number of free variables.
    pub num_free: u32,
    /// Entry offset.
    pub entry: u32,
    /// Index.
    pub index: u32,
    /// Old uniq.
    pub old_uniq: u32,
}

/// A line-table location.
#[derive(Debug, Clone, Copy)]
pub struct LineLoc {
    /// First instruction offset the location applies to.
    pub offset: u32,
    /// File index (0 = the module's own file).
    pub file: u32,
    /// Line (0 = no location).
    pub line: u32,
}

/// A loaded module version.
pub struct Module {
    /// Unique id.
    pub id: u32,
    /// Name.
    pub name: Atom,
    /// Executable code.
    pub code: Box<[Instr]>,
    /// Functions, sorted by `start`.
    pub functions: Vec<Function>,
    /// Lambdas by index.
    pub lambdas: Vec<Lambda>,
    /// Line locations, sorted by offset.
    pub lines: Vec<LineLoc>,
    /// File names (index 0 is `<module>.erl`).
    pub files: Vec<String>,
    /// Exported `(name, arity, entry)`.
    pub exports: Vec<(Atom, u32, u32)>,
    /// `module_info(attributes)`.
    pub attributes: Term,
    /// `module_info(compile)`.
    pub compile: Term,
    /// MD5 of the module (as ERTS computes it for `module_info(md5)`).
    pub md5: [u8; 16],
    /// The string table (`bs_match_string`).
    pub strings: Box<[u8]>,
    /// Keeps literal terms alive.
    pub literals: Option<LiteralArea>,
    /// Has an `on_load` function (its entry offset).
    pub on_load: Option<u32>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("code", &self.code.len())
            .finish()
    }
}

impl Module {
    /// The function containing `offset`.
    pub fn function_at(&self, offset: u32) -> Option<&Function> {
        let i = self.functions.partition_point(|f| f.start <= offset);
        if i == 0 {
            None
        } else {
            Some(&self.functions[i - 1])
        }
    }

    /// The location of the instruction at `offset`: `(file name, line)`,
    /// `None` when there is no line information.
    pub fn location(&self, offset: u32) -> Option<(&str, u32)> {
        let func = self.function_at(offset)?;
        let i = self.lines.partition_point(|l| l.offset <= offset);
        if i == 0 {
            return None;
        }
        let l = self.lines[i - 1];
        if l.offset < func.start || l.line == 0 {
            return None;
        }
        Some((self.files.get(l.file as usize)?.as_str(), l.line))
    }

    /// The entry of an exported or local function.
    pub fn find_function(&self, name: Atom, arity: u32) -> Option<u32> {
        self.functions
            .iter()
            .find(|f| f.name == name && f.arity == arity)
            .map(|f| f.entry)
    }
}

#[derive(Default)]
struct ModuleSlot {
    current: Option<Arc<Module>>,
    old: Option<Arc<Module>>,
}

#[derive(Default)]
struct Table {
    by_id: Vec<Arc<Module>>,
    by_name: HashMap<Atom, ModuleSlot>,
}

static TABLE: once_cell::sync::Lazy<RwLock<Table>> =
    once_cell::sync::Lazy::new(|| RwLock::new(Table::default()));

type ExportKey = (Atom, Atom, u32);
static EXPORTS: once_cell::sync::Lazy<Mutex<HashMap<ExportKey, &'static Export>>> =
    once_cell::sync::Lazy::new(|| {
        let mut m = HashMap::new();
        for (i, b) in crate::bif::BIFS.iter().enumerate() {
            let e: &'static Export = Box::leak(Box::new(Export {
                module: b.module,
                function: b.name,
                arity: b.arity,
                target: AtomicU64::new(0),
            }));
            e.set(Target::Bif(i as u32));
            m.insert((b.module, b.name, b.arity), e);
        }
        Mutex::new(m)
    });

static CODE_PATH: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// The export entry for `{M,F,A}` (created, not loaded, if new).
pub fn export(module: Atom, function: Atom, arity: u32) -> &'static Export {
    let mut m = EXPORTS.lock();
    m.entry((module, function, arity)).or_insert_with(|| {
        Box::leak(Box::new(Export {
            module,
            function,
            arity,
            target: AtomicU64::new(0),
        }))
    })
}

/// The export entry for `{M,F,A}` if one exists.
pub fn find_export(module: Atom, function: Atom, arity: u32) -> Option<&'static Export> {
    EXPORTS.lock().get(&(module, function, arity)).copied()
}

/// Module by id (current or old code).
pub fn module_by_id(id: u32) -> Option<Arc<Module>> {
    TABLE.read().by_id.get(id as usize).cloned()
}

/// The current version of module `name`.
pub fn current(name: Atom) -> Option<Arc<Module>> {
    TABLE.read().by_name.get(&name)?.current.clone()
}

/// Whether module `name` is loaded.
pub fn is_loaded(name: Atom) -> bool {
    current(name).is_some()
}

/// Sets the code path (directories searched by [`ensure_loaded`]):
/// `extra` first, then the OTP tree's `lib/*/ebin` and `erts-*/ebin`.
pub fn set_code_path(extra: &[PathBuf]) {
    let mut v: Vec<PathBuf> = extra.to_vec();
    let root = crate::otp::root();
    for sub in ["lib", ""] {
        let dir = root.join(sub);
        if let Ok(rd) = std::fs::read_dir(&dir) {
            let mut ds: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if sub.is_empty() {
                        n.starts_with("erts-")
                    } else {
                        true
                    }
                })
                .map(|p| p.join("ebin"))
                .filter(|p| p.is_dir())
                .collect();
            ds.sort();
            v.extend(ds);
        }
    }
    *CODE_PATH.write() = v;
}

/// Errors from loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// No `.beam` file on the code path.
    NotFound,
    /// The file did not parse.
    BadFile(String),
    /// An opcode the emulator does not implement yet.
    UnsupportedOpcode(&'static str),
    /// Malformed code (bad label, register, ...).
    Invalid(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound => write!(f, "nofile"),
            LoadError::BadFile(s) => write!(f, "badfile: {s}"),
            LoadError::UnsupportedOpcode(n) => write!(f, "{{unsupported_opcode, {n}}}"),
            LoadError::Invalid(s) => write!(f, "invalid code: {s}"),
        }
    }
}

/// Loads `name` from the code path unless already loaded. Logs failures
/// once on stderr.
pub fn ensure_loaded(name: Atom) -> Result<Arc<Module>, LoadError> {
    if let Some(m) = current(name) {
        return Ok(m);
    }
    let file = format!("{}.beam", name.as_str());
    let path = CODE_PATH
        .read()
        .iter()
        .map(|d| d.join(&file))
        .find(|p| p.is_file());
    let Some(path) = path else {
        return Err(LoadError::NotFound);
    };
    let r = oxbeam_loader::load_file(&path)
        .map_err(|e| LoadError::BadFile(e.to_string()))
        .and_then(|m| load_module(&m));
    if let Err(e) = &r {
        if *e != LoadError::NotFound {
            eprintln!("oxbeam: loading {} failed: {e}", path.display());
        }
    }
    r
}

/// Loads a parsed module, making it current (the previous current version
/// becomes old) and pointing its exports at the new code.
pub fn load_module(m: &oxbeam_loader::Module) -> Result<Arc<Module>, LoadError> {
    let id = TABLE.read().by_id.len() as u32;
    let module = Arc::new(crate::emulator::transform::transform(m, id)?);
    let mut t = TABLE.write();
    // Another thread may have loaded in between: re-number.
    if t.by_id.len() as u32 != id {
        drop(t);
        return load_module(m);
    }
    t.by_id.push(module.clone());
    let slot = t.by_name.entry(module.name).or_default();
    slot.old = slot.current.take();
    slot.current = Some(module.clone());
    drop(t);
    if let Some(entry) = module.on_load {
        // Exports become visible only when the on_load function succeeds.
        if !crate::emulator::interp::run_on_load(&module, entry) {
            eprintln!("oxbeam: on_load function of module {} failed", module.name);
            return Ok(module);
        }
    }
    for &(f, a, entry) in &module.exports {
        let e = export(module.name, f, a);
        if !matches!(e.target(), Target::Bif(_)) {
            e.set(Target::Code(code_addr(id, entry)));
        }
    }
    Ok(module)
}
