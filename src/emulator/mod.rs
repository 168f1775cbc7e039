//! The interpreter: instruction representation ([`instr`]), the load-time
//! transform from generic BEAM code ([`transform`]), the dispatch loop
//! ([`interp`]) and its fast tier (`fast`), exceptions and stack traces ([`exception`]), term
//! comparison ([`compare`]) and bit syntax helpers ([`bits`]).

pub mod bits;
pub mod compare;
pub mod exception;
mod fast;
pub mod instr;
pub mod interp;
pub mod runner;
pub mod transform;

pub use exception::{BifErr, BifResult, Class, Exc, Extra};
pub use instr::Instr;
pub use interp::{run, Outcome};
