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
}

include!(concat!(env!("OUT_DIR"), "/bif_tables.rs"));
