//! Built-in functions: the declaration tables generated from `bifs/*.tab`.
//!
//! Implementations live in one file per Erlang module (`erlang.rs`,
//! `lists.rs`, ...); the interpreter binds them through these tables.

/// One line of `bifs/bif.tab` or `bifs/nif.tab`.
#[derive(Debug, Clone, Copy)]
pub struct BifDecl {
    /// Erlang module name.
    pub module: &'static str,
    /// Function name.
    pub name: &'static str,
    /// Arity.
    pub arity: u8,
    /// Path of the implementing Rust function under `crate::bif`.
    pub rust_fn: &'static str,
    /// Flags: `guard`, `gc`, `trap`, `dirty_cpu`, `dirty_io`.
    pub flags: &'static [&'static str],
    /// The implementation (`crate::bif::<rust_fn>`).
    pub func: BifFn,
}

include!(concat!(env!("OUT_DIR"), "/bif_tables.rs"));

// ---------------------------------------------------------------------------
// Implementations and the runtime BIF table (emulator, part C).

pub mod arith;
pub mod binary;
pub mod display;
pub mod erf;
pub mod erlang;
pub mod erlang_proc;
pub mod lists;
pub mod maps;
pub mod math;
pub mod md5;
pub mod os;
pub mod persistent_term;
pub mod string;
pub mod unicode;

use crate::atom::Atom;
pub use crate::emulator::exception::{badarg, badarith, system_limit, BifErr, BifResult, Exc};
use crate::process::Process;
use crate::term::Term;

/// Largest binary (in bytes) a BIF builds when ERTS would just try to
/// allocate whatever is asked (e.g. `binary:copy/2`): beyond it oxbeam
/// raises `system_limit` rather than exhausting memory.
pub const MAX_BIF_BINARY: usize = 1 << 30;

/// A BIF implementation: the process and the arguments.
pub type BifFn = fn(&mut Process, &[Term]) -> BifResult;

/// A BIF bound at runtime.
#[derive(Debug, Clone, Copy)]
pub struct Bif {
    /// Module.
    pub module: Atom,
    /// Name.
    pub name: Atom,
    /// Arity.
    pub arity: u32,
    /// Implementation.
    pub func: BifFn,
    /// Allowed in guards.
    pub guard: bool,
}

/// Every BIF of `bifs/bif.tab`, then placeholders for missing BIFs
/// registered at load time (see [`missing_bif_index`]).
pub static BIFS: once_cell::sync::Lazy<Vec<Bif>> = once_cell::sync::Lazy::new(|| {
    BIF_DECLS
        .iter()
        .map(|d| Bif {
            module: Atom::from_static(d.module),
            name: Atom::from_static(d.name),
            arity: d.arity as u32,
            func: d.func,
            guard: d.flags.contains(&"guard"),
        })
        .collect()
});

/// Index of BIF `m:f/a` in [`BIFS`].
pub fn find(m: Atom, f: Atom, a: u32) -> Option<u32> {
    BIFS.iter()
        .position(|b| b.module == m && b.name == f && b.arity == a)
        .map(|i| i as u32)
}

/// `badarg` as a BIF error.
pub fn badarg_err() -> BifErr {
    badarg()
}

static MISSING_LOGGED: parking_lot::Mutex<Vec<(Atom, Atom, u32)>> =
    parking_lot::Mutex::new(Vec::new());

/// Logs (once) that a `bif*` instruction refers to an unimplemented BIF.
pub fn log_missing(m: Atom, f: Atom, a: u32) {
    let mut l = MISSING_LOGGED.lock();
    if !l.contains(&(m, f, a)) {
        l.push((m, f, a));
        eprintln!(
            "oxbeam: BIF {}:{}/{} is not implemented (calls raise undef)",
            m, f, a
        );
    }
}

/// The index of the `undef`-raising placeholder used for a `bif*`
/// instruction naming a BIF that is not implemented.
pub fn missing_bif_index(_e: &crate::code::Export) -> u32 {
    find(
        crate::atom::atoms::ERLANG,
        Atom::from_static("$oxbeam_missing_bif"),
        0,
    )
    .unwrap_or(0)
}

/// Whether `m:f/a` is a BIF of OTP 25 (`bifs/otp25_bifs.tsv`).
pub fn is_otp_bif(m: Atom, f: Atom, a: u32) -> bool {
    static SET: once_cell::sync::Lazy<std::collections::HashSet<(String, String, u32)>> =
        once_cell::sync::Lazy::new(|| {
            include_str!("../../bifs/otp25_bifs.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let mut it = l.split('\t');
                    Some((
                        it.next()?.to_owned(),
                        it.next()?.to_owned(),
                        it.next()?.parse().ok()?,
                    ))
                })
                .collect()
        });
    SET.contains(&(m.as_str().to_owned(), f.as_str().to_owned(), a))
}
