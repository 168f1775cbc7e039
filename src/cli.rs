//! Subcommand dispatch for the `oxbeam` binary.

const USAGE: &str = "usage:
  oxbeam disasm FILE.beam              list a module's code, exports, imports, funs
  oxbeam disasm --histogram PATH...    TSV module<TAB>opcode<TAB>count
  oxbeam status [--markdown]           what works today (the README's table)
  oxbeam etf check FILE                decode term_to_binary(List), GC, print phash2/ETF/order";

/// Runs the command line `args` (without the program name); returns the exit status.
pub fn main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("status") => crate::status::cli_main(&args[1..]),
        Some("disasm") => crate::disasm::cli_main(&args[1..]),
        Some("run") => crate::emulator::runner::cli_main(&args[1..]),
        Some("etf") => crate::etf::cli_main(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}
