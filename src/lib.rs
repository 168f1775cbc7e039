//! oxbeam: a BEAM virtual machine that runs stock Erlang/OTP `.beam` files.

pub mod bif;
pub mod cli;
pub mod disasm;
pub mod otp;
pub mod status;
