//! Exceptions and stack traces, after ERTS's `beam_common.c`
//! (`handle_error`, `save_stacktrace`, `gather_stacktrace`,
//! `build_stacktrace`).
//!
//! A stack trace is built eagerly when an exception is raised: the
//! current function (or the BIF with its arguments and `error_info`),
//! then the distinct continuation pointers found on the stack, at most 8
//! entries (`erts_backtrace_depth`). The "raw" stack trace handed to
//! `try`/`catch` handlers in x(2) is a tuple `{Class, Trace}` so that
//! `raise/2` can recover the class; `build_stacktrace` returns `Trace`.

use crate::atom::{atoms, Atom};
use crate::code::{split_addr, Module};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;
use std::sync::Arc;

/// Exception class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `error`.
    Error,
    /// `exit`.
    Exit,
    /// `throw`.
    Throw,
}

impl Class {
    /// The class atom.
    pub fn atom(self) -> Term {
        Term::atom(match self {
            Class::Error => atoms::ERROR,
            Class::Exit => atoms::EXIT,
            Class::Throw => atoms::THROW,
        })
    }

    /// From a class atom.
    pub fn from_term(t: Term) -> Option<Class> {
        match t.as_atom()? {
            a if a == atoms::ERROR => Some(Class::Error),
            a if a == atoms::EXIT => Some(Class::Exit),
            a if a == atoms::THROW => Some(Class::Throw),
            _ => None,
        }
    }
}

/// How the stack trace of an exception starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// Raised by a BIF: the first frame is the BIF with its arguments.
    Bif,
    /// Raised by `error/1`, `exit/1`, `throw/1` or an instruction: the
    /// first frame is the current function.
    Plain,
    /// `error/2`: the current function with these arguments.
    Args(Term),
    /// `error/3`: arguments and `error_info` options.
    ArgsInfo(Term, Term),
    /// `erlang:raise/3`: use this stack trace as it is.
    Trace(Term),
    /// BIF error with an `error_info` cause (`#{cause => C, module => M}`).
    Cause(Term),
}

/// An exception being raised.
#[derive(Clone, Copy, Debug)]
pub struct Exc {
    /// Class.
    pub class: Class,
    /// Reason.
    pub reason: Term,
    /// Stack trace details.
    pub extra: Extra,
}

impl Exc {
    /// `error:Reason` raised by a BIF.
    pub fn error(reason: Term) -> Exc {
        Exc {
            class: Class::Error,
            reason,
            extra: Extra::Bif,
        }
    }
}

/// Why a BIF did not return a value.
#[derive(Clone, Copy, Debug)]
pub enum BifErr {
    /// An exception.
    Exc(Exc),
    /// `halt/1,2`: stop the VM with this status.
    Halt(i32),
    /// `apply/2,3`: call `Fun(Args)` or `M:F(Args)` (`module` is
    /// `NON_VALUE` for a fun).
    Apply {
        /// Module, or NON_VALUE.
        module: Term,
        /// Function or fun.
        function: Term,
        /// Argument list.
        args: Term,
    },
}

impl From<Exc> for BifErr {
    fn from(e: Exc) -> BifErr {
        BifErr::Exc(e)
    }
}

/// Result of a BIF.
pub type BifResult = Result<Term, BifErr>;

/// `badarg` from a BIF.
pub fn badarg() -> BifErr {
    BifErr::Exc(Exc::error(Term::atom(atoms::BADARG)))
}

/// `badarith` from a BIF.
pub fn badarith() -> BifErr {
    BifErr::Exc(Exc::error(Term::atom(atoms::BADARITH)))
}

/// `system_limit` from a BIF.
pub fn system_limit() -> BifErr {
    BifErr::Exc(Exc::error(Term::atom(atoms::SYSTEM_LIMIT)))
}

/// Default depth of stack traces (`erts_backtrace_depth`).
pub const BACKTRACE_DEPTH: usize = 8;

static DEPTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(BACKTRACE_DEPTH);

/// The current stack trace depth (`system_flag(backtrace_depth, N)`).
pub fn backtrace_depth() -> usize {
    DEPTH.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the stack trace depth; returns the old one.
pub fn set_backtrace_depth(n: usize) -> usize {
    DEPTH.swap(n, std::sync::atomic::Ordering::Relaxed)
}

/// What the first frame of a trace is.
pub enum Top<'a> {
    /// The function at this code address (line of that instruction).
    Pc(u64),
    /// A BIF `{M,F,Args,[{error_info,..}]}`, then the function at the pc.
    Bif {
        /// BIF module.
        module: Atom,
        /// BIF name.
        name: Atom,
        /// Arguments.
        args: &'a [Term],
        /// `error_info` cause, if any.
        cause: Option<Term>,
        /// The calling instruction.
        pc: u64,
    },
    /// `{M,F,Args,Loc}` without a pc (function_clause, undef); `loc` is the
    /// location of the function (function_clause) or none (undef).
    Mfa {
        /// Module.
        module: Atom,
        /// Function.
        function: Atom,
        /// Arguments.
        args: &'a [Term],
        /// Code address of the function's `func_info` (for the location).
        at: Option<u64>,
    },
}

/// Looks up modules by id (with a small cache owned by the interpreter).
pub trait ModuleLookup {
    /// The module with this id.
    fn module(&mut self, id: u32) -> Option<Arc<Module>>;
}

fn error_module(m: Atom) -> Option<&'static str> {
    match m.as_str() {
        "atomics" | "counters" | "erlang" | "erts_internal" | "persistent_term" => {
            Some("erl_erts_errors")
        }
        "os" => Some("erl_kernel_errors"),
        "binary" | "ets" | "lists" | "maps" | "math" | "re" | "unicode" => {
            Some("erl_stdlib_errors")
        }
        _ => None,
    }
}

fn location_term(p: &mut Process, m: &Module, offset: u32) -> Term {
    match m.location(offset) {
        None => Term::NIL,
        Some((file, line)) => {
            let f = p.heap.charlist(file);
            let ft = p.heap.tuple(&[Term::atom(atoms::FILE), f]);
            let lt = p
                .heap
                .tuple(&[Term::atom(atoms::LINE), Term::small_unchecked(line as i64)]);
            p.heap.list_from(&[ft, lt], Term::NIL)
        }
    }
}

fn frame_at(p: &mut Process, mods: &mut dyn ModuleLookup, addr: u64) -> Option<Term> {
    let (id, off) = split_addr(addr);
    let m = mods.module(id)?;
    let f = m.function_at(off)?.clone();
    let loc = location_term(p, &m, off);
    Some(p.heap.tuple(&[
        Term::atom(m.name),
        Term::atom(f.name),
        Term::small_unchecked(f.arity as i64),
        loc,
    ]))
}

/// Builds the stack trace list for an exception raised with `top`,
/// scanning the stack for continuation pointers.
pub fn build_trace(p: &mut Process, mods: &mut dyn ModuleLookup, top: Top<'_>) -> Term {
    let mut frames: Vec<Term> = Vec::new();
    let mut depth = backtrace_depth();
    let mut prev: Option<u64> = None;
    match top {
        Top::Pc(pc) => {
            if depth > 0 {
                if let Some(f) = frame_at(p, mods, pc) {
                    frames.push(f);
                    depth -= 1;
                }
            }
            prev = Some(pc);
        }
        Top::Bif {
            module,
            name,
            args,
            cause,
            pc,
        } => {
            let a = p.heap.list_from(args, Term::NIL);
            let info = match error_module(module) {
                Some(em) => {
                    let em = Term::atom(Atom::from_static(em));
                    let map = match cause {
                        Some(c) => {
                            let ks = [
                                Term::atom(Atom::from_static("cause")),
                                Term::atom(atoms::MODULE),
                            ];
                            p.heap.flatmap_from(&ks, &[c, em])
                        }
                        None => p.heap.flatmap_from(&[Term::atom(atoms::MODULE)], &[em]),
                    }
                    .unwrap_or(Term::NIL);
                    let t = p.heap.tuple(&[Term::atom(atoms::ERROR_INFO), map]);
                    p.heap.cons(t, Term::NIL)
                }
                None => Term::NIL,
            };
            frames.push(
                p.heap
                    .tuple(&[Term::atom(module), Term::atom(name), a, info]),
            );
            depth -= 1;
            if let Some(f) = frame_at(p, mods, pc) {
                frames.push(f);
                depth -= 1;
            }
            prev = Some(pc);
        }
        Top::Mfa {
            module,
            function,
            args,
            at,
        } => {
            let a = p.heap.list_from(args, Term::NIL);
            let loc = match at.and_then(|addr| {
                let (id, off) = split_addr(addr);
                mods.module(id).map(|m| (m, off))
            }) {
                Some((m, off)) => location_term(p, &m, off),
                None => Term::NIL,
            };
            frames.push(
                p.heap
                    .tuple(&[Term::atom(module), Term::atom(function), a, loc]),
            );
            depth -= 1;
        }
    }
    // Continuation pointers on the stack, top first, duplicates skipped.
    let cps: Vec<u64> = p
        .heap
        .stack()
        .iter()
        .filter_map(|w| if w.is_value() { None } else { w.cp_value() })
        .collect();
    for cp in cps {
        if depth == 0 {
            break;
        }
        if prev == Some(cp) {
            continue;
        }
        prev = Some(cp);
        // The return address minus one: the call instruction.
        if let Some(f) = frame_at(p, mods, cp.wrapping_sub(1)) {
            frames.push(f);
            depth -= 1;
        }
    }
    p.heap.list_from(&frames, Term::NIL)
}

/// The `{Class, Trace}` raw stack trace passed to handlers.
pub fn raw_trace(p: &mut Process, class: Class, trace: Term) -> Term {
    p.heap.tuple(&[class.atom(), trace])
}

/// The built stack trace inside a raw one.
pub fn trace_of(raw: Term) -> Term {
    match raw.as_tuple() {
        Some([c, t]) if c.is_atom() => *t,
        _ if raw.is_list() => raw,
        _ => Term::NIL,
    }
}
