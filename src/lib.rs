//! oxbeam: a BEAM virtual machine that runs stock Erlang/OTP `.beam` files.

pub use term::atom;
pub mod bif;
pub mod cli;
pub mod code;
pub mod disasm;
pub mod emulator;
pub mod etf;
pub mod gc;
pub mod heap;
pub mod otp;
pub mod process;
pub mod scheduler;
pub mod status;
pub mod term;
