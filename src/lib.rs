//! oxbeam: a BEAM virtual machine that runs stock Erlang/OTP `.beam` files.

pub mod atom;
pub mod bif;
pub mod cli;
pub mod disasm;
pub mod etf;
pub mod gc;
pub mod heap;
pub mod otp;
pub mod status;
pub mod term;
