//! `oxbeam run [-pa DIR]... MOD [FUN [ARG...]]`: runs `MOD:FUN()` (or
//! `MOD:FUN([ArgStrings])`) in a fresh process without booting OTP.
//!
//! Exit status: 0 when the call returns, 1 when it raises (the crash line
//! that `erl -noshell -eval` prints for an uncaught exception in the boot
//! process, `{"init terminating in do_boot",Reason}`, goes to stdout and
//! a readable form to stderr), or the status given to `halt/1`.

use super::exception::Class;
use super::interp::setup_call;
use crate::atom::Atom;
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::scheduler::MainEnd;
use crate::term::Term;
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "usage: oxbeam run [-pa DIR]... MOD [FUN [ARG...]]";

/// Entry point of `oxbeam run`.
pub fn cli_main(args: &[String]) -> i32 {
    let mut pa: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-pa" | "-pz" => {
                i += 1;
                while i < args.len()
                    && !args[i].starts_with('-')
                    && std::path::Path::new(&args[i]).is_dir()
                {
                    pa.push(PathBuf::from(&args[i]));
                    i += 1;
                }
            }
            _ => break,
        }
    }
    let rest = &args[i..];
    let Some(module) = rest.first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    let function = rest.get(1).map(String::as_str).unwrap_or("main");
    let (Ok(m), Ok(f)) = (Atom::intern(module), Atom::intern(function)) else {
        eprintln!("{USAGE}");
        return 2;
    };
    crate::code::set_code_path(&pa);
    // Like the process that runs `-eval` in stock `erl`, the first
    // process traps exits.
    let Some(mut p) = crate::scheduler::new_process() else {
        return 2;
    };
    p.trap_exit = true;
    let call_args: Vec<Term> = if rest.len() > 2 {
        let strs: Vec<Term> = rest[2..].iter().map(|s| p.heap.charlist(s)).collect();
        vec![p.heap.list_from(&strs, Term::NIL)]
    } else {
        Vec::new()
    };
    run_call(p, m, f, &call_args)
}

/// Runs `m:f(args)` in `p` (from [`crate::scheduler::new_process`]) as the
/// main process, with every process it spawns, until it ends; returns the
/// exit status.
pub fn run_call(mut p: Box<Process>, m: Atom, f: Atom, args: &[Term]) -> i32 {
    if let Err(e) = crate::code::ensure_loaded(m) {
        if e == crate::code::LoadError::NotFound {
            eprintln!("oxbeam: module {m} not found");
        }
    }
    p.initial_call = (m, f, args.len() as u32);
    setup_call(&mut p, m, f, args);
    match crate::scheduler::run_until_main_ends(p) {
        MainEnd::Returned => finish(0),
        MainEnd::Halt(s) => finish(s),
        MainEnd::Deadlock => {
            // Nothing can wake any process: a stock node would wait
            // forever; we stop.
            eprintln!("oxbeam: every process is blocked in receive and no timer is pending");
            finish(0)
        }
        MainEnd::Raised(mut p, class, reason, trace) => {
            let r = match class {
                Class::Exit => reason,
                _ => p.heap.tuple(&[reason, trace]),
            };
            let s = p.heap.charlist("init terminating in do_boot");
            let line = p.heap.tuple(&[s, r]);
            let mut out = crate::bif::display::to_bytes(line);
            out.push(b'\n');
            crate::bif::erlang::out(&out, false);
            let txt = crate::bif::display::to_bytes(r);
            eprintln!(
                "init terminating in do_boot ({})",
                String::from_utf8_lossy(&txt)
            );
            finish(1)
        }
    }
}

fn finish(status: i32) -> i32 {
    let _ = std::io::stdout().flush();
    status
}
