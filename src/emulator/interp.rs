//! The dispatch loop.
//!
//! One `match` over [`Instr`] in a loop; the program counter, the current
//! module and the reduction counter are locals. x registers live in the
//! process (`p.x`, a fixed 1024-entry array, so masked indices need no
//! bounds checks); y registers are stack slots of the process heap.
//!
//! Frames follow ERTS 25's interpreter: `allocate N` reserves N+1 stack
//! words, a continuation-pointer slot on top and the y registers above
//! it (`y(i)` is stack word `i + 1`). A call stores the return address
//! ([`Term::cp`] of a code address) in the current frame's CP slot and
//! `return` takes it from there, so calls never allocate (and never
//! collect garbage); only `allocate`/`test_heap` do, with exactly the live
//! x registers as roots. Exception handling and stack traces walk these
//! CP words.

use super::exception::{
    self, build_trace, raw_trace, trace_of, Class, Exc, Extra, ModuleLookup, Top,
};
use super::fast::{arith_small, cmp_test, dst_src, run_moves, select_val, type_test};
use super::instr::*;
use crate::atom::{atoms, Atom};
use crate::bif::{self, BifErr, BIFS};
use crate::code::{self, code_addr, split_addr, CodeAddr, Module, Target};
use crate::heap::HeapBuilder;
use crate::process::{Process, Resume, CONTEXT_REDS};
use crate::term::{Term, TermView};
use std::sync::Arc;

/// The continuation pointer that ends a process when returned to.
pub const EXIT_ADDR: CodeAddr = (u32::MAX as u64) << 32;

/// The pc while an apply requested by a BIF is pending (past any code).
const APPLY_PC: u32 = u32::MAX;

/// How a slice of execution ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    /// The initial call returned this value.
    Returned(Term),
    /// An uncaught exception.
    Raised {
        /// Class.
        class: Class,
        /// Reason (`{nocatch, V}` for throws).
        reason: Term,
        /// Stack trace.
        trace: Term,
    },
    /// `halt/1`.
    Halt(i32),
    /// Reductions are spent; call [`run`] again to continue.
    Yield,
    /// Waiting for a message that can never arrive.
    Blocked,
}

struct Mods {
    cache: Vec<Option<Arc<Module>>>,
}

impl ModuleLookup for Mods {
    fn module(&mut self, id: u32) -> Option<Arc<Module>> {
        let i = id as usize;
        if let Some(Some(m)) = self.cache.get(i) {
            return Some(m.clone());
        }
        let m = code::module_by_id(id)?;
        if self.cache.len() <= i {
            self.cache.resize(i + 1, None);
        }
        self.cache[i] = Some(m.clone());
        Some(m)
    }
}

/// Prepares `p` to call `module:function(args...)` (x registers set, an
/// exit continuation pushed).
pub fn setup_call(p: &mut Process, module: Atom, function: Atom, args: &[Term]) {
    for (i, a) in args.iter().enumerate().take(MAX_REG) {
        p.x[i] = *a;
    }
    p.push(Term::cp(EXIT_ADDR).unwrap_or(Term::NIL), args.len());
    p.live = args.len();
    p.scratch.clear();
    p.scratch.push(Term::atom(module));
    p.scratch.push(Term::atom(function));
    p.resume = Resume::Fresh;
}

/// Prepares `p` to call the fun `f` with `args` (a spawned process's
/// `erlang:apply(F, Args)`). `Err(reason)` (a term on `p`'s heap) when `f`
/// cannot be called with that many arguments.
pub fn setup_fun(p: &mut Process, f: Term, args: &[Term]) -> Result<(), Term> {
    if let TermView::Export {
        module, function, ..
    } = f.view()
    {
        if let Some(TermView::Export { arity, .. }) = Some(f.view()) {
            if arity as usize == args.len() {
                setup_call(p, module, function, args);
                return Ok(());
            }
        }
    }
    let n = args.len().min(MAX_REG - 1);
    for (i, a) in args.iter().enumerate().take(n) {
        p.x[i] = *a;
    }
    p.x[n] = f;
    p.push(Term::cp(EXIT_ADDR).unwrap_or(Term::NIL), n + 1);
    let f = p.x[n];
    let mut mods = Mods { cache: Vec::new() };
    match fun_target(p, &mut mods, f, n as u32) {
        CallTarget::Code(a) => {
            p.live = n;
            p.scratch.clear();
            p.resume = Resume::At(a);
            Ok(())
        }
        CallTarget::Exc(e) => Err(e.reason),
        _ => Err(p.heap.tuple(&[Term::atom(atoms::BADFUN), f])),
    }
}

enum Pending {
    /// Exception raised by an instruction or error/exit/throw.
    Exc(Exc, TopKind),
}

enum TopKind {
    Pc(CodeAddr),
    Bif(u32, Vec<Term>, CodeAddr),
    Mfa(Atom, Atom, Vec<Term>, Option<CodeAddr>),
}

/// What to call when a BIF asked for `apply`.
enum CallTarget {
    Code(CodeAddr),
    Bif(u32),
    Undef(Atom, Atom, u32),
    Exc(Exc),
}

fn resolve(exp: &code::Export) -> Target {
    match exp.target() {
        Target::None => {
            let _ = code::ensure_loaded(exp.module);
            exp.target()
        }
        t => t,
    }
}

/// Runs `p` until it returns, raises, halts, yields or blocks.
pub fn run(p: &mut Process) -> Outcome {
    let mut mods = Mods { cache: Vec::new() };
    let (mut m, mut pc): (Arc<Module>, u32) = match p.resume {
        Resume::Done => return Outcome::Blocked,
        Resume::At(a) => {
            let (id, off) = split_addr(a);
            match mods.module(id) {
                Some(m) => (m, off),
                None => return Outcome::Blocked,
            }
        }
        Resume::Fresh => {
            let (Some(module), Some(function)) = (
                p.scratch.first().and_then(|t| t.as_atom()),
                p.scratch.get(1).and_then(|t| t.as_atom()),
            ) else {
                return Outcome::Blocked;
            };
            p.scratch.clear();
            let arity = p.live as u32;
            let exp = code::export(module, function, arity);
            match resolve(exp) {
                Target::Code(a) => {
                    let (id, off) = split_addr(a);
                    match mods.module(id) {
                        Some(m) => (m, off),
                        None => return Outcome::Blocked,
                    }
                }
                Target::Bif(i) => {
                    let args: Vec<Term> = p.x[..(arity as usize).min(MAX_REG)].to_vec();
                    p.resume = Resume::Done;
                    return match (BIFS[i as usize].func)(p, &args) {
                        Ok(v) => Outcome::Returned(v),
                        Err(BifErr::Halt(s)) => Outcome::Halt(s),
                        Err(BifErr::Exc(e)) => Outcome::Raised {
                            class: e.class,
                            reason: e.reason,
                            trace: Term::NIL,
                        },
                        Err(BifErr::Apply { .. }) => Outcome::Blocked,
                    };
                }
                Target::None => {
                    let args: Vec<Term> = p.x[..(arity as usize).min(MAX_REG)].to_vec();
                    let trace = build_trace(
                        p,
                        &mut mods,
                        Top::Mfa {
                            module,
                            function,
                            args: &args,
                            at: None,
                        },
                    );
                    p.resume = Resume::Done;
                    return Outcome::Raised {
                        class: Class::Error,
                        reason: Term::atom(atoms::UNDEF),
                        trace,
                    };
                }
            }
        }
    };
    let mut reds: i64 = p.reds.max(1);
    // A call a BIF asked for (apply/2,3 in call position), with the pc of
    // the calling instruction. While one is pending `pc` is APPLY_PC, so
    // the instruction fetch fails and finds it: no check on the hot path.
    let mut pending_apply: Option<(CallTarget, bool, u32)> = None;

    macro_rules! x {
        ($n:expr) => {
            p.x[($n as usize) & (MAX_REG - 1)]
        };
    }
    macro_rules! get {
        ($s:expr) => {{
            let s: Src = $s;
            if s.0.is_value() {
                s.0
            } else {
                let v = s.0.raw() >> 2;
                if v & 1 == 0 {
                    p.x[((v >> 1) as usize) & (MAX_REG - 1)]
                } else {
                    p.heap.stack_word((v >> 1) as usize + 1)
                }
            }
        }};
    }
    macro_rules! put {
        ($d:expr, $v:expr) => {{
            let v: Term = $v;
            let (is_y, n) = ($d as Dst).split();
            if is_y {
                p.heap.set_stack_word(n + 1, v);
            } else {
                p.x[n & (MAX_REG - 1)] = v;
            }
        }};
    }
    macro_rules! here {
        () => {
            code_addr(m.id, pc)
        };
    }

    'run: loop {
        macro_rules! jump {
            ($t:expr) => {{
                let t: u32 = $t;
                pc = t;
                continue 'run;
            }};
        }
        let pending: Pending = 'dispatch: {
            macro_rules! raise {
                ($reason:expr) => {{
                    let r: Term = $reason;
                    break 'dispatch Pending::Exc(
                        Exc {
                            class: Class::Error,
                            reason: r,
                            extra: Extra::Plain,
                        },
                        TopKind::Pc(here!()),
                    );
                }};
            }
            macro_rules! fail_or {
                ($fail:expr, $reason:expr) => {{
                    let f: u32 = $fail;
                    if f != u32::MAX {
                        jump!(f);
                    }
                    raise!($reason);
                }};
            }
            // Switches to the code at `addr`.
            macro_rules! goto_addr {
                ($addr:expr) => {{
                    let (id, off) = split_addr($addr);
                    if id != m.id {
                        match mods.module(id) {
                            Some(nm) => m = nm,
                            None => raise!(Term::atom(atoms::UNDEF)),
                        }
                    }
                    pc = off;
                    continue 'run;
                }};
            }
            // Stores the return address in the frame's CP slot (y regs
            // are above it), as ERTS's SAVE_CONTINUATION_POINTER.
            macro_rules! push_cp {
                ($live:expr) => {{
                    let cp = Term::cp(code_addr(m.id, pc + 1)).unwrap_or(Term::NIL);
                    p.heap.set_stack_word(0, cp);
                }};
            }
            macro_rules! ret {
                () => {{
                    let cp = p.heap.stack_word(0).cp_value().unwrap_or(EXIT_ADDR);
                    p.heap.set_stack_word(0, Term::NIL);
                    if cp == EXIT_ADDR {
                        p.resume = Resume::Done;
                        p.reds = reds;
                        return Outcome::Returned(x!(0));
                    }
                    goto_addr!(cp);
                }};
            }
            // Charge a reduction at a call; yield when the slice is spent.
            macro_rules! charge {
                ($target_addr:expr) => {{
                    reds -= 1;
                    if reds <= 0 {
                        p.resume = Resume::At($target_addr);
                        p.reds = CONTEXT_REDS;
                        p.total_reds += CONTEXT_REDS as u64;
                        p.yields += 1;
                        return Outcome::Yield;
                    }
                }};
            }
            // Calls the BIF `i` with `args`; on success stores in x0.
            macro_rules! call_bif {
                ($i:expr, $arity:expr) => {{
                    let i: u32 = $i;
                    let n: usize = ($arity as usize).min(MAX_REG);
                    let mut argv = [Term::NIL; 8];
                    let args: Vec<Term>;
                    let a: &[Term] = if n <= 8 {
                        argv[..n].copy_from_slice(&p.x[..n]);
                        &argv[..n]
                    } else {
                        args = p.x[..n].to_vec();
                        &args
                    };
                    reds -= 1;
                    p.bif_pc = here!();
                    match (BIFS[i as usize].func)(p, a) {
                        Ok(v) => {
                            x!(0) = v;
                            // `yield/0`, `bump_reductions/1`: a BIF may cut the slice.
                            reds = reds.min(p.reds);
                            Ok(())
                        }
                        Err(e) => Err((e, a.to_vec())),
                    }
                }};
            }
            macro_rules! bif_error {
                ($i:expr, $e:expr, $args:expr) => {{
                    match $e {
                        BifErr::Halt(s) => {
                            p.reds = reds;
                            return Outcome::Halt(s);
                        }
                        BifErr::Exc(e) => {
                            let top = match e.extra {
                                Extra::Bif | Extra::Cause(_) => TopKind::Bif($i, $args, here!()),
                                _ => TopKind::Pc(here!()),
                            };
                            break 'dispatch Pending::Exc(e, top);
                        }
                        // apply/2,3 outside a call position (only
                        // hand-written code can do that): badarg.
                        BifErr::Apply { .. } => {
                            break 'dispatch Pending::Exc(
                                Exc::error(Term::atom(atoms::BADARG)),
                                TopKind::Bif($i, $args, here!()),
                            );
                        }
                    }
                }};
            }
            // The general case of `Arith`/`ArithImm` (bignums, floats,
            // overflow, errors).
            macro_rules! arith_slow {
                ($op:expr, $dst:expr, $fail:expr, $a:expr, $b:expr, $va:expr, $vb:expr) => {{
                    let (op, a, b, va, vb): (ArithOp, Src, Src, Term, Term) =
                        ($op, $a, $b, $va, $vb);
                    let (r, name) = match op {
                        ArithOp::Add => (bif::arith::add(p, va, vb), "+"),
                        ArithOp::Sub => (bif::arith::sub(p, va, vb), "-"),
                        ArithOp::Mul => (bif::arith::mul(p, va, vb), "*"),
                    };
                    match r {
                        Ok(v) => put!($dst, v),
                        Err(e) => {
                            let f: u32 = $fail;
                            if f != u32::MAX {
                                jump!(f);
                            }
                            // ERTS turns `Reg + Int` / `Reg - Int` in bodies
                            // into i_increment, whose errors have no BIF frame.
                            let lit = |s: &Src| s.as_const().is_some_and(|c| c.is_small());
                            let reg = |s: &Src| s.as_reg().is_some();
                            let increment = match op {
                                ArithOp::Add => (reg(&a) && lit(&b)) || (lit(&a) && reg(&b)),
                                ArithOp::Sub => reg(&a) && lit(&b),
                                ArithOp::Mul => false,
                            };
                            if increment {
                                if let BifErr::Exc(e) = e {
                                    break 'dispatch Pending::Exc(
                                        Exc {
                                            extra: Extra::Plain,
                                            ..e
                                        },
                                        TopKind::Pc(here!()),
                                    );
                                }
                            }
                            let i =
                                bif::find(atoms::ERLANG, Atom::from_static(name), 2).unwrap_or(0);
                            bif_error!(i, e, vec![va, vb]);
                        }
                    }
                }};
            }
            // Resolves an apply request into x registers and a target.
            macro_rules! apply_target {
                ($module:expr, $function:expr, $args:expr) => {{
                    let (module, function, args): (Term, Term, Term) = ($module, $function, $args);
                    match args.list_to_vec() {
                        None => CallTarget::Exc(Exc::error(Term::atom(atoms::BADARG))),
                        // As ERTS `apply`: non-atom M or F is badarg before
                        // the argument count is looked at.
                        Some(_)
                            if !module.is_non_value()
                                && !(module.is_atom() && function.is_atom()) =>
                        {
                            CallTarget::Exc(Exc::error(Term::atom(atoms::BADARG)))
                        }
                        Some(v) if v.len() >= MAX_REG => {
                            CallTarget::Exc(Exc::error(Term::atom(atoms::SYSTEM_LIMIT)))
                        }
                        Some(v) => {
                            for (k, t) in v.iter().enumerate() {
                                x!(k) = *t;
                            }
                            if module.is_non_value() {
                                fun_target(p, &mut mods, function, v.len() as u32)
                            } else {
                                match (module.as_atom(), function.as_atom()) {
                                    (Some(mo), Some(fu)) => {
                                        let exp = code::export(mo, fu, v.len() as u32);
                                        match resolve(exp) {
                                            Target::Code(a) => CallTarget::Code(a),
                                            Target::Bif(b) => CallTarget::Bif(b),
                                            Target::None => {
                                                CallTarget::Undef(mo, fu, v.len() as u32)
                                            }
                                        }
                                    }
                                    _ => CallTarget::Exc(Exc::error(Term::atom(atoms::BADARG))),
                                }
                            }
                        }
                    }
                }};
            }
            // Performs a call to a resolved target. `$kind`: 0 = call
            // (push CP), 1 = tail call.
            macro_rules! do_call {
                ($t:expr, $tail:expr) => {{
                    let tail: bool = $tail;
                    match $t {
                        CallTarget::Code(a) => {
                            if !tail {
                                push_cp!(MAX_REG);
                            }
                            charge!(a);
                            goto_addr!(a);
                        }
                        CallTarget::Bif(b) => {
                            let arity = BIFS[b as usize].arity;
                            match call_bif!(b, arity) {
                                Ok(()) => {
                                    if tail {
                                        ret!();
                                    }
                                    pc += 1;
                                    continue 'run;
                                }
                                Err((
                                    BifErr::Apply {
                                        module,
                                        function,
                                        args,
                                    },
                                    _,
                                )) => {
                                    let t = apply_target!(module, function, args);
                                    pending_apply = Some((t, tail, pc));
                                    pc = APPLY_PC;
                                    continue 'run;
                                }
                                Err((e, args)) => bif_error!(b, e, args),
                            }
                        }
                        CallTarget::Undef(mo, fu, ar) => {
                            if !tail {
                                push_cp!(MAX_REG);
                            }
                            let args = p.x[..(ar as usize).min(MAX_REG)].to_vec();
                            break 'dispatch Pending::Exc(
                                Exc::error(Term::atom(atoms::UNDEF)),
                                TopKind::Mfa(mo, fu, args, None),
                            );
                        }
                        CallTarget::Exc(e) => {
                            if !tail {
                                push_cp!(MAX_REG);
                            }
                            break 'dispatch Pending::Exc(
                                Exc {
                                    extra: Extra::Plain,
                                    ..e
                                },
                                TopKind::Pc(here!()),
                            );
                        }
                    }
                }};
            }

            // Simple instructions run in the fast tier; it stops before the
            // first one that needs this loop.
            if m.code.get(pc as usize).is_some_and(super::fast::is_fast) {
                super::fast::run_fast(p, &m.code, m.id, &mut pc, &mut reds);
            }
            let Some(ins) = m.code.get(pc as usize) else {
                // A BIF asked to apply something: perform it now.
                if let Some((t, tail, at)) = pending_apply.take() {
                    pc = at;
                    do_call!(t, tail);
                }
                raise!(Term::atom(atoms::BADARG));
            };
            match ins {
                Instr::Move { src, dst } => {
                    let v = get!(*src);
                    put!(*dst, v);
                }
                Instr::MoveXX { src, dst } => x!(*dst) = x!(*src),
                Instr::MoveXY { src, dst } => {
                    let v = x!(*src);
                    p.heap.set_stack_word(*dst as usize + 1, v);
                }
                Instr::MoveYX { src, dst } => x!(*dst) = p.heap.stack_word(*src as usize + 1),
                Instr::Move2 { s1, s2, d1, d2 } => {
                    let v = get!(*s1);
                    put!(*d1, v);
                    let v = get!(*s2);
                    put!(*d2, v);
                    pc += 2;
                    continue 'run;
                }
                Instr::MoveReturn { src, dst } => {
                    let v = get!(*src);
                    put!(*dst, v);
                    pc += 1;
                    reds -= 1;
                    ret!();
                }
                Instr::ReturnX { src } => {
                    x!(0) = x!(*src);
                    pc += 1;
                    reds -= 1;
                    ret!();
                }
                Instr::Move2R { a, b } => {
                    let st = p.heap.stack_mut();
                    run_moves(&mut p.x, st, &[*a, *b]);
                    pc += 2;
                    continue 'run;
                }
                // Only its `allocate` here; the rest follows in place.
                Instr::AllocMoves(a) => {
                    let need = a.slots as usize + a.heap as usize + 1;
                    if p.heap.free_words() < need || p.heap.wants_gc() {
                        p.need(need, a.live as usize);
                    }
                    if !p.heap.stack_alloc(a.slots as usize + 1) {
                        raise!(Term::atom(atoms::SYSTEM_LIMIT));
                    }
                }
                Instr::MoveNR(ms) => {
                    let st = p.heap.stack_mut();
                    run_moves(&mut p.x, st, ms);
                    pc += ms.len() as u32;
                    continue 'run;
                }
                Instr::MoveN(ms) => {
                    for (s, d) in ms.iter() {
                        let v = get!(*s);
                        put!(*d, v);
                    }
                    pc += ms.len() as u32;
                    continue 'run;
                }
                Instr::Swap { a, b } => {
                    let va = get!(dst_src(*a));
                    let vb = get!(dst_src(*b));
                    put!(*a, vb);
                    put!(*b, va);
                }
                Instr::Init { dst } => put!(*dst, Term::NIL),
                Instr::InitYregs(ys) => {
                    for y in ys.iter() {
                        p.heap.set_y(*y as usize + 1, Term::NIL);
                    }
                }
                Instr::Allocate {
                    slots,
                    heap,
                    live,
                    zero: _,
                } => {
                    // The frame: a CP slot, then the y registers.
                    let need = *slots as usize + *heap as usize + 1;
                    let live = *live as usize;
                    let slots = *slots as usize + 1;
                    if p.heap.free_words() < need || p.heap.wants_gc() {
                        p.need(need, live);
                    }
                    if !p.heap.stack_alloc(slots) {
                        raise!(Term::atom(atoms::SYSTEM_LIMIT));
                    }
                }
                Instr::Deallocate { n } => p.heap.stack_free(*n as usize + 1),
                Instr::DeallocReturn { n } => {
                    p.heap.stack_free(*n as usize + 1);
                    pc += 1;
                    reds -= 1;
                    ret!();
                }
                Instr::Trim { n } => {
                    let n = *n as usize;
                    let cp = p.heap.y(0).unwrap_or(Term::NIL);
                    p.heap.stack_free(n);
                    p.heap.set_y(0, cp);
                }
                Instr::TestHeap { need, live } => {
                    let need = *need as usize;
                    if p.heap.free_words() < need || p.heap.wants_gc() {
                        let live = *live as usize;
                        p.need(need, live);
                    }
                }
                Instr::Call { target } => {
                    let t = *target;
                    push_cp!(MAX_REG);
                    charge!(code_addr(m.id, t));
                    jump!(t);
                }
                Instr::CallLast { target, dealloc } => {
                    let t = *target;
                    p.heap.stack_free(*dealloc as usize + 1);
                    charge!(code_addr(m.id, t));
                    jump!(t);
                }
                Instr::CallOnly { target } => {
                    let t = *target;
                    charge!(code_addr(m.id, t));
                    jump!(t);
                }
                Instr::CallExt { exp } => {
                    let exp: &'static code::Export = exp;
                    let t = match resolve(exp) {
                        Target::Code(a) => CallTarget::Code(a),
                        Target::Bif(b) => CallTarget::Bif(b),
                        Target::None => CallTarget::Undef(exp.module, exp.function, exp.arity),
                    };
                    do_call!(t, false);
                }
                Instr::CallExtLast { exp, dealloc } => {
                    let exp: &'static code::Export = exp;
                    let t = match resolve(exp) {
                        Target::Code(a) => CallTarget::Code(a),
                        Target::Bif(b) => CallTarget::Bif(b),
                        Target::None => CallTarget::Undef(exp.module, exp.function, exp.arity),
                    };
                    if let CallTarget::Bif(_) = t {
                        // The BIF runs in this frame (its errors show this
                        // function); then the frame is dropped and we return.
                        let b = if let CallTarget::Bif(b) = t { b } else { 0 };
                        let arity = BIFS[b as usize].arity;
                        match call_bif!(b, arity) {
                            Ok(()) => {
                                p.heap.stack_free(*dealloc as usize + 1);
                                ret!();
                            }
                            Err((
                                BifErr::Apply {
                                    module,
                                    function,
                                    args,
                                },
                                _,
                            )) => {
                                p.heap.stack_free(*dealloc as usize + 1);
                                let t = apply_target!(module, function, args);
                                pending_apply = Some((t, true, pc));
                                pc = APPLY_PC;
                                continue 'run;
                            }
                            Err((e, args)) => bif_error!(b, e, args),
                        }
                    }
                    p.heap.stack_free(*dealloc as usize + 1);
                    do_call!(t, true);
                }
                Instr::CallExtOnly { exp } => {
                    let exp: &'static code::Export = exp;
                    let t = match resolve(exp) {
                        Target::Code(a) => CallTarget::Code(a),
                        Target::Bif(b) => CallTarget::Bif(b),
                        Target::None => CallTarget::Undef(exp.module, exp.function, exp.arity),
                    };
                    do_call!(t, true);
                }
                Instr::Return => {
                    reds -= 1;
                    ret!();
                }
                Instr::Apply { arity } => {
                    let n = *arity as usize;
                    let t = apply_regs(p, n);
                    do_call!(t, false);
                }
                Instr::ApplyLast { arity, dealloc } => {
                    let n = *arity as usize;
                    p.heap.stack_free(*dealloc as usize + 1);
                    let t = apply_regs(p, n);
                    do_call!(t, true);
                }
                Instr::CallFun { arity } => {
                    let n = *arity;
                    let f = x!(n);
                    let t = fun_target(p, &mut mods, f, n);
                    do_call!(t, false);
                }
                Instr::CallFunLast {
                    arity,
                    dealloc,
                    fun,
                } => {
                    let n = *arity;
                    let f = get!(*fun);
                    p.heap.stack_free(*dealloc as usize + 1);
                    let t = fun_target(p, &mut mods, f, n);
                    do_call!(t, true);
                }
                Instr::CallFun2 { arity, fun } => {
                    let n = *arity;
                    let f = get!(*fun);
                    let t = fun_target(p, &mut mods, f, n);
                    do_call!(t, false);
                }
                Instr::MakeFun { index, dst, env } => {
                    let mut e = Vec::with_capacity(env.len());
                    for s in env.iter() {
                        e.push(get!(*s));
                    }
                    let f = make_fun(p, &m, *index, &e);
                    put!(*dst, f);
                }
                Instr::MakeFun2 { index } => {
                    let n = m
                        .lambdas
                        .get(*index as usize)
                        .map_or(0, |l| l.num_free as usize);
                    let e: Vec<Term> = p.x[..n.min(MAX_REG)].to_vec();
                    let f = make_fun(p, &m, *index, &e);
                    x!(0) = f;
                }
                Instr::FuncInfo { func } => {
                    let f = m.functions.get(*func as usize).cloned();
                    let Some(f) = f else {
                        raise!(Term::atom(atoms::FUNCTION_CLAUSE));
                    };
                    let args = p.x[..(f.arity as usize).min(MAX_REG)].to_vec();
                    break 'dispatch Pending::Exc(
                        Exc {
                            class: Class::Error,
                            reason: Term::atom(atoms::FUNCTION_CLAUSE),
                            extra: Extra::Plain,
                        },
                        TopKind::Mfa(m.name, f.name, args, Some(code_addr(m.id, f.start))),
                    );
                }
                Instr::IntCodeEnd | Instr::Nop => {}
                Instr::UndefBif { func } => {
                    let f = m.functions.get(*func as usize).cloned();
                    let Some(f) = f else {
                        raise!(Term::atom(atoms::UNDEF));
                    };
                    bif::log_missing(m.name, f.name, f.arity);
                    let args = p.x[..(f.arity as usize).min(MAX_REG)].to_vec();
                    break 'dispatch Pending::Exc(
                        Exc::error(Term::atom(atoms::UNDEF)),
                        TopKind::Mfa(m.name, f.name, args, None),
                    );
                }
                Instr::Jump { target } => jump!(*target),
                Instr::SelectVal { src, table } => {
                    let v = get!(*src);
                    jump!(select_val(table, v));
                }
                Instr::SelectSmallX { reg, base, table } => {
                    let v = x!(*reg);
                    jump!(super::fast::select_small(table, *base, v));
                }
                Instr::SelectRangeX {
                    reg,
                    lo,
                    n,
                    target,
                    fail,
                } => {
                    let v = x!(*reg);
                    jump!(super::fast::select_range(*lo, *n, *target, *fail, v));
                }
                Instr::SelectTupleArity { src, table } => {
                    let v = get!(*src);
                    let n = v.as_tuple().map_or(-1, |t| t.len() as i64);
                    let mut t = table.fail;
                    for (c, target) in table.pairs.iter() {
                        if c.as_small() == Some(n) {
                            t = *target;
                            break;
                        }
                    }
                    jump!(t);
                }
                Instr::Test { kind, fail, src } => {
                    let v = get!(*src);
                    if !type_test(*kind, v) {
                        jump!(*fail);
                    }
                }
                Instr::IsFunction2 { fail, src, arity } => {
                    let f = get!(*src);
                    let a = get!(*arity);
                    let ok = match (f.fun_arity(), a.as_small()) {
                        (Some(x), Some(y)) => x as i64 == y,
                        _ => false,
                    };
                    if !ok {
                        jump!(*fail);
                    }
                }
                Instr::CmpXX { op, a, b, fail } => {
                    let (va, vb) = (x!(*a), x!(*b));
                    if !cmp_test(*op, va, vb) {
                        jump!(*fail);
                    }
                }
                Instr::Cmp { op, fail, a, b } => {
                    let va = get!(*a);
                    let vb = get!(*b);
                    if !cmp_test(*op, va, vb) {
                        jump!(*fail);
                    }
                }
                Instr::IsTaggedTuple {
                    arity,
                    fail,
                    src,
                    tag,
                } => {
                    let v = get!(*src);
                    if !super::fast::is_tagged_tuple(v, *arity, *tag) {
                        jump!(*fail);
                    }
                }
                Instr::TestArity { arity, fail, src } => {
                    let v = get!(*src);
                    if v.as_tuple().map(|t| t.len()) != Some(*arity as usize) {
                        jump!(*fail);
                    }
                }
                Instr::GetTupleElement { idx, dst, src } => {
                    let v = get!(*src);
                    let e = v
                        .as_tuple()
                        .and_then(|t| t.get(*idx as usize).copied())
                        .unwrap_or(Term::NIL);
                    put!(*dst, e);
                }
                Instr::SetTupleElement { idx, val, tuple } => {
                    let v = get!(*val);
                    let t = get!(*tuple);
                    if let Some(el) = p.heap.tuple_mut(t) {
                        if let Some(slot) = el.get_mut(*idx as usize) {
                            *slot = v;
                        }
                    }
                }
                Instr::PutTuple2 { dst, elems } => {
                    let mut buf = [Term::NIL; 16];
                    let t = if elems.len() <= 16 {
                        for (i, s) in elems.iter().enumerate() {
                            buf[i] = get!(*s);
                        }
                        p.heap.tuple(&buf[..elems.len()])
                    } else {
                        let mut v = Vec::with_capacity(elems.len());
                        for s in elems.iter() {
                            v.push(get!(*s));
                        }
                        p.heap.tuple(&v)
                    };
                    put!(*dst, t);
                }
                Instr::PutList { dst, head, tail } => {
                    let h = get!(*head);
                    let t = get!(*tail);
                    let c = p.heap.cons(h, t);
                    put!(*dst, c);
                }
                Instr::GetList { hd, tl, src } => {
                    let v = get!(*src);
                    let (h, t) = v.as_cons().unwrap_or((Term::NIL, Term::NIL));
                    put!(*hd, h);
                    put!(*tl, t);
                }
                Instr::GetHd { dst, src } => {
                    let v = get!(*src);
                    put!(*dst, v.as_cons().map_or(Term::NIL, |c| c.0));
                }
                Instr::GetTl { dst, src } => {
                    let v = get!(*src);
                    put!(*dst, v.as_cons().map_or(Term::NIL, |c| c.1));
                }
                Instr::Arith {
                    op,
                    dst,
                    fail,
                    a,
                    b,
                } => {
                    let va = get!(*a);
                    let vb = get!(*b);
                    match arith_small(*op, va, vb) {
                        Some(r) => put!(*dst, r),
                        None => arith_slow!(*op, *dst, *fail, *a, *b, va, vb),
                    }
                }
                Instr::ArithImm {
                    op,
                    dst,
                    fail,
                    src,
                    delta,
                } => {
                    let va = get!(*src);
                    if let Some(t) = va.small_add_imm(*delta) {
                        put!(*dst, t);
                        pc += 1;
                        continue 'run;
                    }
                    let imm = match op {
                        ArithOp::Sub => -(*delta as i64),
                        _ => *delta as i64,
                    };
                    let b = Src::constant(Term::small_unchecked(imm));
                    arith_slow!(*op, *dst, *fail, *src, b, va, b.0);
                }
                Instr::Bif(call) => {
                    let mut argv = [Term::NIL; 3];
                    let n = call.args.len().min(3);
                    for (i, s) in call.args.iter().take(3).enumerate() {
                        argv[i] = get!(*s);
                    }
                    let i = call.bif;
                    p.bif_pc = here!();
                    match (BIFS[i as usize].func)(p, &argv[..n]) {
                        Ok(v) => put!(call.dst, v),
                        Err(e) => {
                            if call.fail != u32::MAX {
                                jump!(call.fail);
                            }
                            bif_error!(i, e, argv[..n].to_vec());
                        }
                    }
                }
                Instr::Error { kind, src } => {
                    let v = get!(*src);
                    let tag = match kind {
                        ErrKind::Badmatch => atoms::BADMATCH,
                        ErrKind::CaseEnd => atoms::CASE_CLAUSE,
                        ErrKind::TryCaseEnd => atoms::TRY_CLAUSE,
                        ErrKind::Badrecord => atoms::BADRECORD,
                    };
                    let r = p.heap.tuple(&[Term::atom(tag), v]);
                    raise!(r);
                }
                Instr::IfEnd => raise!(Term::atom(atoms::IF_CLAUSE)),
                Instr::Catch { y, handler } => {
                    let h = code_addr(m.id, *handler);
                    p.heap.set_y(*y as usize + 1, Term::catch(h));
                    p.catches += 1;
                }
                Instr::CatchEnd { y } => {
                    p.heap.set_y(*y as usize + 1, Term::NIL);
                    p.catches = p.catches.saturating_sub(1);
                    if x!(0).is_non_value() {
                        let class = Class::from_term(x!(3)).unwrap_or(Class::Error);
                        let reason = x!(1);
                        let v = match class {
                            Class::Throw => reason,
                            Class::Exit => p.heap.tuple(&[Term::atom(atoms::EXIT_UPPER), reason]),
                            Class::Error => {
                                let tr = trace_of(x!(2));
                                let inner = p.heap.tuple(&[reason, tr]);
                                p.heap.tuple(&[Term::atom(atoms::EXIT_UPPER), inner])
                            }
                        };
                        x!(0) = v;
                    }
                }
                Instr::TryEnd { y } => {
                    p.heap.set_y(*y as usize + 1, Term::NIL);
                    p.catches = p.catches.saturating_sub(1);
                }
                Instr::TryCase { y } => {
                    p.heap.set_y(*y as usize + 1, Term::NIL);
                    p.catches = p.catches.saturating_sub(1);
                    x!(0) = x!(3);
                }
                Instr::Raise { trace, value } => {
                    let raw = get!(*trace);
                    let v = get!(*value);
                    let (class, tr) = match raw.as_tuple() {
                        Some([c, t]) => (Class::from_term(*c).unwrap_or(Class::Error), *t),
                        _ => (Class::Error, Term::NIL),
                    };
                    break 'dispatch Pending::Exc(
                        Exc {
                            class,
                            reason: v,
                            extra: Extra::Trace(tr),
                        },
                        TopKind::Pc(here!()),
                    );
                }
                Instr::RawRaise => {
                    let class = Class::from_term(x!(0));
                    let reason = x!(1);
                    let tr = trace_of(x!(2));
                    match class {
                        Some(class) => {
                            break 'dispatch Pending::Exc(
                                Exc {
                                    class,
                                    reason,
                                    extra: Extra::Trace(tr),
                                },
                                TopKind::Pc(here!()),
                            )
                        }
                        None => raise!(Term::atom(atoms::BADARG)),
                    }
                }
                Instr::BuildStacktrace => {
                    x!(0) = trace_of(x!(0));
                }
                Instr::Send => {
                    reds -= 1;
                    let to = x!(0);
                    let msg = x!(1);
                    if let Err(e) = bif::erlang_proc::send(p, to, msg) {
                        let i = bif::find(atoms::ERLANG, Atom::from_static("!"), 2).unwrap_or(0);
                        bif_error!(i, e, vec![to, msg]);
                    }
                    x!(0) = msg;
                }
                Instr::LoopRec { fail, dst } => {
                    if p.save >= p.mailbox.len() {
                        if let Some(reason) = p.handle_signals() {
                            p.resume = Resume::Done;
                            p.reds = reds;
                            return Outcome::Raised {
                                class: Class::Exit,
                                reason,
                                trace: Term::NIL,
                            };
                        }
                    }
                    match p.mailbox.get(p.save).copied() {
                        Some(msg) => put!(*dst, msg),
                        None => jump!(*fail),
                    }
                }
                Instr::LoopRecEnd { target } => {
                    p.save += 1;
                    jump!(*target);
                }
                Instr::RemoveMessage => {
                    if p.save < p.mailbox.len() {
                        p.mailbox.remove(p.save);
                    }
                    p.save = 0;
                    p.recv_deadline = None;
                }
                Instr::Wait { target } => {
                    // Switched out until a signal arrives; resumes at the
                    // loop_rec (scanning from the saved position).
                    p.resume = Resume::At(code_addr(m.id, *target));
                    p.reds = reds;
                    return Outcome::Blocked;
                }
                Instr::WaitTimeout { target, timeout } => {
                    let t = get!(*timeout);
                    let now = std::time::Instant::now();
                    let deadline = if let Some(ms) = t.as_i64() {
                        if ms < 0 {
                            raise!(Term::atom(atoms::TIMEOUT_VALUE));
                        }
                        Some(
                            *p.recv_deadline
                                .get_or_insert(now + std::time::Duration::from_millis(ms as u64)),
                        )
                    } else if t == Term::atom(atoms::INFINITY) {
                        None
                    } else {
                        raise!(Term::atom(atoms::TIMEOUT_VALUE));
                    };
                    // Falls through to `timeout` once the deadline passed.
                    if deadline.map_or(true, |d| d > now) {
                        p.resume = Resume::At(code_addr(m.id, *target));
                        p.reds = reds;
                        return Outcome::Blocked;
                    }
                }
                Instr::Timeout => {
                    p.save = 0;
                    p.recv_deadline = None;
                }
                Instr::RecvMarkerReserve { dst } => {
                    let r = p.make_ref();
                    put!(*dst, r);
                }
                Instr::RecvMarkerBind { .. } | Instr::RecvMarkerClear { .. } => {}
                Instr::RecvMarkerUse { .. } => {}
                Instr::FLoad { fr, src } => {
                    let v = get!(*src);
                    let f = v.as_float().or_else(|| v.as_small().map(|i| i as f64));
                    match f {
                        Some(f) => p.fr[*fr as usize & (MAX_REG - 1)] = f,
                        None => raise!(Term::atom(atoms::BADARITH)),
                    }
                }
                Instr::FStore { fr, dst } => {
                    let f = p.fr[*fr as usize & (MAX_REG - 1)];
                    let t = p.heap.float(f);
                    put!(*dst, t);
                }
                Instr::FMove { from, to } => {
                    p.fr[*to as usize & (MAX_REG - 1)] = p.fr[*from as usize & (MAX_REG - 1)];
                }
                Instr::FConv { fr, src } => {
                    let v = get!(*src);
                    match bif::arith::to_f64(v) {
                        Some(f) if f.is_finite() => p.fr[*fr as usize & (MAX_REG - 1)] = f,
                        _ => raise!(Term::atom(atoms::BADARITH)),
                    }
                }
                Instr::FArith { op, a, b, dst } => {
                    let x = p.fr[*a as usize & (MAX_REG - 1)];
                    let y = p.fr[*b as usize & (MAX_REG - 1)];
                    let r = match op {
                        FOp::Add => x + y,
                        FOp::Sub => x - y,
                        FOp::Mul => x * y,
                        FOp::Div => x / y,
                    };
                    if !r.is_finite() {
                        raise!(Term::atom(atoms::BADARITH));
                    }
                    p.fr[*dst as usize & (MAX_REG - 1)] = r;
                }
                Instr::FNegate { a, dst } => {
                    // As the stock (JIT) emulator: 0.0 - X (so -(0.0) is 0.0).
                    p.fr[*dst as usize & (MAX_REG - 1)] = 0.0 - p.fr[*a as usize & (MAX_REG - 1)];
                }
                Instr::GetMapElements(g) => {
                    let map = get!(g.map);
                    if !map.is_map() {
                        jump!(g.fail);
                    }
                    let mut found = [Term::NIL; 8];
                    let mut vals = Vec::new();
                    let mut ok = true;
                    for (i, (k, _)) in g.pairs.iter().enumerate() {
                        let k = get!(*k);
                        match bif::maps::get(map, k) {
                            Some(v) => {
                                if i < 8 {
                                    found[i] = v
                                } else {
                                    vals.push(v)
                                }
                            }
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    if !ok {
                        jump!(g.fail);
                    }
                    for (i, (_, d)) in g.pairs.iter().enumerate() {
                        let v = if i < 8 { found[i] } else { vals[i - 8] };
                        put!(*d, v);
                    }
                }
                Instr::HasMapFields(g) => {
                    let map = get!(g.map);
                    let mut ok = map.is_map();
                    for (k, _) in g.pairs.iter() {
                        if !ok {
                            break;
                        }
                        let k = get!(*k);
                        ok = bif::maps::get(map, k).is_some();
                    }
                    if !ok {
                        jump!(g.fail);
                    }
                }
                Instr::PutMap(mp) => {
                    let map = get!(mp.map);
                    let mut kv = Vec::with_capacity(mp.pairs.len());
                    for (k, v) in mp.pairs.iter() {
                        kv.push((get!(*k), get!(*v)));
                    }
                    if !map.is_map() {
                        let r = p.heap.tuple(&[Term::atom(atoms::BADMAP), map]);
                        fail_or!(mp.fail, r);
                    }
                    if mp.exact {
                        if let Some((k, _)) =
                            kv.iter().find(|(k, _)| bif::maps::get(map, *k).is_none())
                        {
                            let k = *k;
                            let r = p.heap.tuple(&[Term::atom(atoms::BADKEY), k]);
                            fail_or!(mp.fail, r);
                        }
                    }
                    match bif::maps::put_all_fast(&mut p.heap, map, &kv) {
                        Some(nm) => put!(mp.dst, nm),
                        None => raise!(Term::atom(atoms::SYSTEM_LIMIT)),
                    }
                }
                Instr::BsCreateBin(c) => {
                    // As ERTS, collect here if needed (x0..live are roots),
                    // before reading the segment operands.
                    if p.heap.wants_gc() || p.heap.free_words() < super::bits::CREATE_WORDS {
                        p.need(super::bits::CREATE_WORDS, c.live as usize);
                    }
                    let mut vals = Vec::with_capacity(c.segs.len());
                    for s in c.segs.iter() {
                        vals.push((get!(s.value), get!(s.size)));
                    }
                    match super::bits::create_bin(p, &m, &c.segs, &vals) {
                        Ok(b) => put!(c.dst, b),
                        Err(reason) => {
                            let f = c.fail;
                            if f != u32::MAX {
                                jump!(f);
                            }
                            raise!(reason);
                        }
                    }
                }
                Instr::BsStartMatch { fail, src, dst, .. } => {
                    let v = get!(*src);
                    if v.is_match_state() {
                        put!(*dst, v);
                    } else if v.is_bitstring() {
                        match p.heap.match_state(v, 0) {
                            Some(ms) => put!(*dst, ms),
                            None => jump!(*fail),
                        }
                    } else {
                        let f = *fail;
                        if f == u32::MAX {
                            let r = p.heap.tuple(&[Term::atom(atoms::BADMATCH), v]);
                            raise!(r);
                        }
                        jump!(f);
                    }
                }
                Instr::BsGet(g) => {
                    let ctx = get!(g.ctx);
                    let size = get!(g.size);
                    match super::bits::get(p, ctx, g, size) {
                        Ok(Some(v)) => {
                            if let Some(d) = g.dst {
                                put!(d, v);
                            }
                        }
                        Ok(None) => jump!(g.fail),
                        Err(reason) => raise!(reason),
                    }
                }
                Instr::BsMatchString {
                    fail,
                    ctx,
                    bits,
                    offset,
                } => {
                    let c = get!(*ctx);
                    if !super::bits::match_string(p, c, &m.strings, *offset as usize, *bits as u64)
                    {
                        jump!(*fail);
                    }
                }
                Instr::BsTestTail { fail, ctx, bits } => {
                    let c = get!(*ctx);
                    if super::bits::remaining(c) != Some(*bits as u64) {
                        jump!(*fail);
                    }
                }
                Instr::BsTestUnit { fail, ctx, unit } => {
                    let c = get!(*ctx);
                    let u = (*unit).max(1) as u64;
                    if super::bits::remaining(c).map(|r| r % u) != Some(0) {
                        jump!(*fail);
                    }
                }
                Instr::BsGetTail { ctx, dst } => {
                    let c = get!(*ctx);
                    let t = super::bits::tail(p, c);
                    put!(*dst, t);
                }
                Instr::BsGetPosition { ctx, dst } => {
                    let c = get!(*ctx);
                    let pos = match c.view() {
                        TermView::MatchState(ms) => ms.offset,
                        _ => 0,
                    };
                    put!(*dst, Term::small_unchecked(pos as i64));
                }
                Instr::BsSetPosition { ctx, pos } => {
                    let c = get!(*ctx);
                    let pos = get!(*pos);
                    if let Some(o) = pos.as_small() {
                        p.heap.set_match_offset(c, o as u64);
                    }
                }
                Instr::BsInitWritable => {
                    let b = super::bits::init_writable(p, x!(0));
                    x!(0) = b;
                }
            }
            pc += 1;
            continue 'run;
        };
        // ---- exception handling
        let Pending::Exc(exc, top) = pending;
        let trace = match exc.extra {
            Extra::Trace(t) => t,
            _ => match top {
                TopKind::Pc(pc) => match exc.extra {
                    Extra::Args(args) => build_trace_args(p, &mut mods, pc, args, None),
                    Extra::ArgsInfo(args, info) => {
                        build_trace_args(p, &mut mods, pc, args, Some(info))
                    }
                    _ => build_trace(p, &mut mods, Top::Pc(pc)),
                },
                TopKind::Bif(i, args, pc) => {
                    let b = &BIFS[i as usize];
                    let cause = match exc.extra {
                        Extra::Cause(c) => Some(c),
                        _ => None,
                    };
                    build_trace(
                        p,
                        &mut mods,
                        Top::Bif {
                            module: b.module,
                            name: b.name,
                            args: &args,
                            cause,
                            pc,
                        },
                    )
                }
                TopKind::Mfa(module, function, args, at) => build_trace(
                    p,
                    &mut mods,
                    Top::Mfa {
                        module,
                        function,
                        args: &args,
                        at,
                    },
                ),
            },
        };
        let mut class = exc.class;
        let mut reason = exc.reason;
        if class == Class::Throw && p.catches == 0 {
            reason = p.heap.tuple(&[Term::atom(atoms::NOCATCH), reason]);
            class = Class::Error;
        }
        // Find the nearest catch.
        let mut frame_start = 0usize;
        let mut found = None;
        for (i, w) in p.heap.stack().iter().enumerate() {
            if let Some(h) = w.as_catch() {
                found = Some((i, h));
                break;
            }
            if !w.is_value() && w.cp_value().is_some() {
                // The CP slot at the top of a frame (ERTS: stop = prev).
                frame_start = i;
            }
        }
        match found {
            Some((i, handler)) if p.catches > 0 && !p.exit_now => {
                if let Some(s) = p.heap.stack_mut().get_mut(i) {
                    *s = Term::NIL;
                }
                p.heap.stack_free(frame_start);
                p.heap.set_y(0, Term::NIL);
                let raw = raw_trace(p, class, trace);
                x!(0) = Term::NON_VALUE;
                x!(1) = reason;
                x!(2) = raw;
                x!(3) = class.atom();
                let (id, off) = split_addr(handler);
                match mods.module(id) {
                    Some(nm) => {
                        m = nm;
                        pc = off;
                    }
                    None => {
                        return Outcome::Raised {
                            class,
                            reason,
                            trace,
                        }
                    }
                }
            }
            _ => {
                p.resume = Resume::Done;
                return Outcome::Raised {
                    class,
                    reason,
                    trace,
                };
            }
        }
    }
}

fn build_trace_args(
    p: &mut Process,
    mods: &mut Mods,
    pc: CodeAddr,
    args: Term,
    info: Option<Term>,
) -> Term {
    // Build the normal trace, then replace the first frame's arity with
    // the argument list (and append error_info to its location).
    let t = build_trace(p, mods, Top::Pc(pc));
    let Some((first, rest)) = t.as_cons() else {
        return t;
    };
    let Some([mo, fu, _, loc]) = first.as_tuple().map(|s| {
        let mut a = [Term::NIL; 4];
        for (i, v) in s.iter().take(4).enumerate() {
            a[i] = *v;
        }
        a
    }) else {
        return t;
    };
    let loc = match info {
        Some(i) => {
            let e = p.heap.tuple(&[Term::atom(atoms::ERROR_INFO), i]);
            let mut v: Vec<Term> = loc.iter_list().collect();
            v.push(e);
            p.heap.list_from(&v, Term::NIL)
        }
        None => loc,
    };
    let f = p.heap.tuple(&[mo, fu, args, loc]);
    p.heap.cons(f, rest)
}

fn apply_regs(p: &mut Process, n: usize) -> CallTarget {
    let module = p.x[n & (MAX_REG - 1)];
    let function = p.x[(n + 1) & (MAX_REG - 1)];
    match (module.as_atom(), function.as_atom()) {
        (Some(mo), Some(fu)) => {
            let exp = code::export(mo, fu, n as u32);
            match resolve(exp) {
                Target::Code(a) => CallTarget::Code(a),
                Target::Bif(b) => CallTarget::Bif(b),
                Target::None => CallTarget::Undef(mo, fu, n as u32),
            }
        }
        _ => CallTarget::Exc(Exc::error(Term::atom(atoms::BADARG))),
    }
}

/// Target of calling fun `f` with `n` arguments in x0..; the closure's
/// environment is copied after them.
fn fun_target(p: &mut Process, mods: &mut Mods, f: Term, n: u32) -> CallTarget {
    match f.view() {
        TermView::Fun(c) => {
            if c.arity != n {
                let args: Vec<Term> = p.x[..(n as usize).min(MAX_REG)].to_vec();
                let al = p.heap.list_from(&args, Term::NIL);
                let inner = p.heap.tuple(&[f, al]);
                let r = p.heap.tuple(&[Term::atom(atoms::BADARITY), inner]);
                return CallTarget::Exc(Exc::error(r));
            }
            let module = c.module;
            let index = c.index;
            let env: Vec<Term> = c.env.to_vec();
            let m = match code::ensure_loaded(module) {
                Ok(m) => m,
                Err(_) => {
                    let args: Vec<Term> = p.x[..(n as usize).min(MAX_REG)].to_vec();
                    let _ = mods;
                    let r = p.heap.tuple(&[Term::atom(atoms::BADFUN), f]);
                    let _ = args;
                    return CallTarget::Exc(Exc::error(r));
                }
            };
            let Some(l) = m.lambdas.get(index as usize) else {
                let r = p.heap.tuple(&[Term::atom(atoms::BADFUN), f]);
                return CallTarget::Exc(Exc::error(r));
            };
            for (i, e) in env.iter().enumerate() {
                let k = n as usize + i;
                if k < MAX_REG {
                    p.x[k] = *e;
                }
            }
            CallTarget::Code(code_addr(m.id, l.entry))
        }
        TermView::Export {
            module,
            function,
            arity,
        } => {
            if arity != n {
                let args: Vec<Term> = p.x[..(n as usize).min(MAX_REG)].to_vec();
                let al = p.heap.list_from(&args, Term::NIL);
                let inner = p.heap.tuple(&[f, al]);
                let r = p.heap.tuple(&[Term::atom(atoms::BADARITY), inner]);
                return CallTarget::Exc(Exc::error(r));
            }
            let exp = code::export(module, function, arity);
            match resolve(exp) {
                Target::Code(a) => CallTarget::Code(a),
                Target::Bif(b) => CallTarget::Bif(b),
                Target::None => CallTarget::Undef(module, function, arity),
            }
        }
        _ => {
            let r = p.heap.tuple(&[Term::atom(atoms::BADFUN), f]);
            CallTarget::Exc(Exc::error(r))
        }
    }
}

fn make_fun(p: &mut Process, m: &Module, index: u32, env: &[Term]) -> Term {
    let Some(l) = m.lambdas.get(index as usize) else {
        return Term::NIL;
    };
    let desc = crate::term::FunDesc {
        module: m.name,
        index,
        arity: l.code_arity.saturating_sub(l.num_free),
        old_index: l.index,
        old_uniq: l.old_uniq,
        uniq: m.md5,
        creator: p.pid_term(),
    };
    p.heap.closure(&desc, env).unwrap_or(Term::NIL)
}

#[allow(unused)]
fn exception_class_term(c: Class) -> Term {
    exception::Class::atom(c)
}

/// `process_info(self(), current_stacktrace)`: the frames of the calling
/// code (from the BIF's calling instruction).
pub fn current_stacktrace(p: &mut Process) -> Term {
    let mut mods = Mods { cache: Vec::new() };
    let pc = p.bif_pc;
    build_trace(p, &mut mods, Top::Pc(pc))
}

/// Runs the `on_load` function of `m` (entry offset `entry`) in a fresh
/// process; `true` when it returned `ok`.
pub fn run_on_load(m: &Module, entry: u32) -> bool {
    let mut p = Process::new((1 << 28) - 1);
    p.push(Term::cp(EXIT_ADDR).unwrap_or(Term::NIL), 0);
    p.resume = Resume::At(code_addr(m.id, entry));
    loop {
        match run(&mut p) {
            Outcome::Yield => continue,
            Outcome::Returned(v) => return v == Term::OK,
            other => {
                if std::env::var_os("OXBEAM_DEBUG").is_some() {
                    eprintln!("on_load: {other:?}");
                }
                return false;
            }
        }
    }
}
