//! The interpreter's fast tier.
//!
//! [`run_fast`] executes the simple, frequent instructions (register
//! moves, small-integer arithmetic and comparisons, type tests, frames,
//! local calls and returns, jumps, list and tuple access) in a small loop
//! of its own, so the compiler keeps the pc, the reduction counter, the
//! code slice and the register file in machine registers. Anything else —
//! another instruction, a slow path (bignum, overflow, error, GC, a return
//! into another module, a call that would exhaust the reductions) — makes
//! it stop *before* that instruction, with no side effect, and the
//! general loop in [`super::interp::run`] executes it. Every fast handler
//! therefore does exactly what the general handler does in the same case.

use super::compare::{cmp, eq, eq_exact};
use super::instr::*;
use crate::code::{code_addr, split_addr};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;
use std::cmp::Ordering;

/// Heap words a float takes (header + value); an upper bound is enough.
const FLOAT_WORDS: usize = 3;

/// Outcome of a type test instruction.
#[inline(always)]
pub(super) fn type_test(kind: TypeTest, v: Term) -> bool {
    match kind {
        TypeTest::Integer => v.is_integer(),
        TypeTest::Float => v.is_float(),
        TypeTest::Number => v.is_number(),
        TypeTest::Atom => v.is_atom(),
        TypeTest::Pid => v.is_pid(),
        TypeTest::Reference => v.is_ref(),
        TypeTest::Port => v.is_port(),
        TypeTest::Nil => v.is_nil(),
        TypeTest::Binary => v.is_binary(),
        TypeTest::List => v.is_list(),
        TypeTest::NonemptyList => v.is_cons(),
        TypeTest::Tuple => v.is_tuple(),
        TypeTest::Function => v.is_fun(),
        TypeTest::Boolean => v.is_boolean(),
        TypeTest::Map => v.is_map(),
        TypeTest::Bitstr => v.is_bitstring(),
    }
}

/// Outcome of `is_tagged_tuple`: `v` is a tuple of `arity` elements
/// whose first is `tag`.
#[inline(always)]
pub(super) fn is_tagged_tuple(v: Term, arity: u16, tag: Term) -> bool {
    v.as_tuple()
        .is_some_and(|t| t.len() == arity as usize && t.first() == Some(&tag))
}

/// Outcome of a comparison test instruction.
#[inline(always)]
pub(super) fn cmp_test(op: CmpOp, a: Term, b: Term) -> bool {
    if a.is_small() && b.is_small() {
        // Tagged small integers order like their values.
        let (x, y) = (a.raw() as i64, b.raw() as i64);
        return match op {
            CmpOp::Lt => x < y,
            CmpOp::Ge => x >= y,
            CmpOp::Eq | CmpOp::EqExact => x == y,
            CmpOp::Ne | CmpOp::NeExact => x != y,
        };
    }
    match op {
        CmpOp::EqExact => eq_exact(a, b),
        CmpOp::NeExact => !eq_exact(a, b),
        CmpOp::Eq => eq(a, b),
        CmpOp::Ne => !eq(a, b),
        CmpOp::Lt => cmp(a, b, false) == Ordering::Less,
        CmpOp::Ge => cmp(a, b, false) != Ordering::Less,
    }
}

/// Small-integer fast path of `+`, `-`, `*` (`None`: take the slow path).
#[inline(always)]
pub(super) fn arith_small(op: ArithOp, a: Term, b: Term) -> Option<Term> {
    match op {
        ArithOp::Add => a.small_add(b),
        ArithOp::Sub => a.small_sub(b),
        ArithOp::Mul => {
            if !(a.is_small() && b.is_small()) {
                return None;
            }
            let (x, y) = (a.small_value_unchecked(), b.small_value_unchecked());
            x.checked_mul(y).and_then(Term::small)
        }
    }
}

/// Target of `select_val` for `v`.
#[inline]
pub(super) fn select_val(table: &SelectTable, v: Term) -> u32 {
    if let (Some((base, dense)), Some(i)) = (&table.dense, v.as_small()) {
        let k = i.wrapping_sub(*base);
        if k >= 0 && (k as usize) < dense.len() {
            return dense[k as usize];
        }
        return table.fail;
    }
    for (c, target) in table.pairs.iter() {
        if *c == v || (!c.is_immediate() && eq_exact(*c, v)) {
            return *target;
        }
    }
    table.fail
}

/// Target of `SelectSmallX` for `v` (`table`: the dense targets, then
/// the fail target).
#[inline(always)]
pub(super) fn select_small(table: &[u32], base: i32, v: Term) -> u32 {
    // Branches, not a conditional move: a predicted branch lets the next
    // dispatch start before `v` is loaded.
    let k = v.small_value_unchecked().wrapping_sub(i64::from(base)) as u64;
    if v.is_small() && k < table.len().saturating_sub(1) as u64 {
        if let Some(t) = table.get(k as usize) {
            return *t;
        }
    }
    table.last().copied().unwrap_or(u32::MAX)
}

/// Target of `SelectRangeX` for `v`: two constant targets, so a
/// predicted branch decides the next instruction without a table load.
#[inline(always)]
pub(super) fn select_range(lo: i32, n: u32, target: u32, fail: u32, v: Term) -> u32 {
    let k = v.small_value_unchecked().wrapping_sub(i64::from(lo)) as u64;
    if v.is_small() && k < u64::from(n) {
        target
    } else {
        fail
    }
}

/// Whether [`run_fast`] has a handler for `i` (the variants of its main
/// `match`): the general loop enters the fast tier only at such an
/// instruction, so runs of other instructions do not pay its entry and
/// exit. A variant missing here only runs in the general loop.
#[inline]
pub(super) fn is_fast(i: &Instr) -> bool {
    matches!(
        i,
        Instr::AllocMoves(_)
            | Instr::Allocate { .. }
            | Instr::Arith { .. }
            | Instr::ArithImm { .. }
            | Instr::Call { .. }
            | Instr::CallLast { .. }
            | Instr::CallOnly { .. }
            | Instr::Cmp { .. }
            | Instr::CmpXX { .. }
            | Instr::DeallocReturn { .. }
            | Instr::Deallocate { .. }
            | Instr::FArith { .. }
            | Instr::FConv { .. }
            | Instr::FLoad { .. }
            | Instr::FMove { .. }
            | Instr::FNegate { .. }
            | Instr::FStore { .. }
            | Instr::GetHd { .. }
            | Instr::GetList { .. }
            | Instr::GetTl { .. }
            | Instr::GetTupleElement { .. }
            | Instr::Init { .. }
            | Instr::InitYregs(_)
            | Instr::IsTaggedTuple { .. }
            | Instr::Jump { .. }
            | Instr::Move { .. }
            | Instr::Move2 { .. }
            | Instr::Move2R { .. }
            | Instr::MoveN(_)
            | Instr::MoveNR(_)
            | Instr::MoveReturn { .. }
            | Instr::MoveXX { .. }
            | Instr::MoveXY { .. }
            | Instr::MoveYX { .. }
            | Instr::PutList { .. }
            | Instr::PutTuple2 { .. }
            | Instr::Return
            | Instr::ReturnX { .. }
            | Instr::SelectRangeX { .. }
            | Instr::SelectSmallX { .. }
            | Instr::SelectTupleArity { .. }
            | Instr::SelectVal { .. }
            | Instr::Swap { .. }
            | Instr::Test { .. }
            | Instr::TestArity { .. }
            | Instr::TestHeap { .. }
            | Instr::Trim { .. }
    )
}

/// Runs fast-tier instructions of module `mod_id` (code `code`) from
/// `*pc`; returns with `*pc` at the first instruction the general loop
/// must execute. `*reds` is charged as the general loop would.
#[inline(never)]
pub(super) fn run_fast(p: &mut Process, code: &[Instr], mod_id: u32, pc: &mut u32, reds: &mut i64) {
    let mut ip = *pc;
    let mut r = *reds;
    let x = &mut *p.x;
    let heap = &mut p.heap;
    let fr = &mut *p.fr;
    // The stack (top first): y(n) is `st[n + 1]`, the CP slot `st[0]`.
    // Popping words only shortens this slice; the heap's stack top is
    // written back (`sync!`) before anything else uses the heap, and the
    // slice borrowed again after it. The exit writes it back too.
    // `gc_wanted` is constant while this loop runs: it only allocates
    // where the young heap has room (no fragments) and never touches
    // off-heap binaries.
    let gc_wanted = heap.wants_gc();
    let mut st: &mut [Term] = heap.stack_mut();
    macro_rules! sync {
        () => {{
            let len = st.len();
            heap.set_stack_len(len);
        }};
    }
    // Drops `n` words from the top of the stack.
    macro_rules! pop {
        ($n:expr) => {{
            let s = std::mem::take(&mut st);
            let k = ($n as usize).min(s.len());
            st = &mut s[k..];
        }};
    }
    macro_rules! sw {
        ($i:expr) => {
            st.get($i).copied().unwrap_or(Term::NIL)
        };
    }
    macro_rules! set_sw {
        ($i:expr, $v:expr) => {{
            let v: Term = $v;
            if let Some(w) = st.get_mut($i) {
                *w = v;
            }
        }};
    }
    // The return-address word of offset `off` in this module.
    let cp_of = |off: u32| Term::cp(code_addr(mod_id, off)).unwrap_or(Term::NIL);
    macro_rules! get {
        ($s:expr) => {{
            let s: Src = $s;
            if s.0.is_value() {
                s.0
            } else {
                let v = s.0.raw() >> 2;
                if v & 1 == 0 {
                    x[((v >> 1) as usize) & (MAX_REG - 1)]
                } else {
                    sw!((v >> 1) as usize + 1)
                }
            }
        }};
    }
    macro_rules! put {
        ($d:expr, $v:expr) => {{
            let v: Term = $v;
            let (is_y, n) = ($d as Dst).split();
            if is_y {
                set_sw!(n + 1, v);
            } else {
                x[n & (MAX_REG - 1)] = v;
            }
        }};
    }
    // The first instruction of a function just called, when it is a
    // comparison of small integers or a `select_val`: exactly the `Cmp`
    // and `SelectVal` handlers, without a dispatch.
    macro_rules! entry_next {
        () => {
            match code.get(ip as usize) {
                Some(Instr::CmpXX { op, a, b, fail }) => {
                    let va = x[*a as usize & (MAX_REG - 1)];
                    let vb = x[*b as usize & (MAX_REG - 1)];
                    if va.is_small() && vb.is_small() {
                        test!(cmp_test(*op, va, vb), *fail);
                    }
                }
                Some(Instr::SelectSmallX { reg, base, table }) => {
                    ip = select_small(table, *base, x[*reg as usize & (MAX_REG - 1)]);
                }
                Some(Instr::SelectRangeX {
                    reg,
                    lo,
                    n,
                    target,
                    fail,
                }) => {
                    let v = x[*reg as usize & (MAX_REG - 1)];
                    ip = select_range(*lo, *n, *target, *fail, v);
                }
                Some(Instr::Cmp { op, fail, a, b }) => {
                    let va = get!(*a);
                    let vb = get!(*b);
                    if va.is_small() && vb.is_small() {
                        test!(cmp_test(*op, va, vb), *fail);
                    }
                }
                _ => {}
            }
        };
    }
    // A local call (or last call) right after a group of moves runs
    // without going through the dispatch again; exactly the `Call` and
    // `CallLast` handlers below, then `entry_next!`.
    macro_rules! call_next {
        () => {
            let called = match code.get(ip as usize) {
                Some(Instr::Call { target }) if r > 1 => {
                    set_sw!(0, cp_of(ip + 1));
                    r -= 1;
                    ip = *target;
                    true
                }
                Some(Instr::CallLast { target, dealloc }) if r > 1 => {
                    pop!(*dealloc as usize + 1);
                    r -= 1;
                    ip = *target;
                    true
                }
                Some(Instr::Trim { n }) => {
                    // `trim` (the `Trim` handler), then a local call.
                    let cp = sw!(0);
                    pop!(*n as usize);
                    set_sw!(0, cp);
                    ip += 1;
                    match code.get(ip as usize) {
                        Some(Instr::Call { target }) if r > 1 => {
                            set_sw!(0, cp_of(ip + 1));
                            r -= 1;
                            ip = *target;
                            true
                        }
                        _ => false,
                    }
                }
                _ => false,
            };
            if called {
                entry_next!();
            }
        };
    }
    // A group of register moves (or a frame allocation with moves) right
    // after another instruction, then `call_next!`: exactly the
    // `Move2R`, `MoveNR` and `AllocMoves` handlers below, without a
    // dispatch. Anything else is left to the loop.
    macro_rules! moves_next {
        () => {
            match code.get(ip as usize) {
                Some(Instr::Move2R { a, b }) => {
                    reg_move(x, st, *a);
                    reg_move(x, st, *b);
                    ip += 2;
                    call_next!();
                }
                Some(Instr::MoveNR(ms)) => {
                    run_moves(x, st, ms);
                    ip += ms.len() as u32;
                    call_next!();
                }
                Some(Instr::AllocMoves(a)) => {
                    sync!();
                    if !gc_wanted && heap.free_words() > a.slots as usize + a.heap as usize {
                        // Cannot fail: enough words are free.
                        let _ = heap.stack_alloc(a.slots as usize + 1);
                        st = heap.stack_mut();
                        for m in a.moves.iter() {
                            reg_move(x, st, *m);
                        }
                        ip += a.len;
                        call_next!();
                    } else {
                        st = heap.stack_mut();
                    }
                }
                _ => {}
            }
        };
    }
    // `ArithImm` on a small integer (the common continuation after a
    // return), then `moves_next!`: exactly the `ArithImm` handler; or a
    // small-integer `Arith`; or just `moves_next!`.
    macro_rules! arith_next {
        () => {
            if let Some(Instr::ArithImm {
                dst, src, delta, ..
            }) = code.get(ip as usize)
            {
                if let Some(v) = get!(*src).small_add_imm(*delta) {
                    put!(*dst, v);
                    ip += 1;
                    moves_next!();
                }
            } else if let Some(Instr::Arith { op, dst, a, b, .. }) = code.get(ip as usize) {
                // Exactly the `Arith` handler's small-integer case.
                let va = get!(*a);
                let vb = get!(*b);
                if let Some(v) = arith_small(*op, va, vb) {
                    put!(*dst, v);
                    ip += 1;
                }
            } else {
                moves_next!();
            }
        };
    }
    macro_rules! bail {
        () => {
            break
        };
    }
    // `bail!` after `sync!` (the slice is borrowed again first).
    macro_rules! bail_heap {
        () => {{
            st = heap.stack_mut();
            break;
        }};
    }
    macro_rules! test {
        ($ok:expr, $fail:expr) => {{
            if $ok {
                ip += 1;
            } else {
                ip = $fail;
            }
        }};
    }
    while let Some(ins) = code.get(ip as usize) {
        match ins {
            Instr::MoveXX { src, dst } => {
                x[*dst as usize & (MAX_REG - 1)] = x[*src as usize & (MAX_REG - 1)];
                ip += 1;
            }
            Instr::MoveXY { src, dst } => {
                let v = x[*src as usize & (MAX_REG - 1)];
                set_sw!(*dst as usize + 1, v);
                ip += 1;
            }
            Instr::MoveYX { src, dst } => {
                x[*dst as usize & (MAX_REG - 1)] = sw!(*src as usize + 1);
                ip += 1;
            }
            Instr::Move { src, dst } => {
                let v = get!(*src);
                put!(*dst, v);
                ip += 1;
            }
            Instr::Move2 { s1, s2, d1, d2 } => {
                let v = get!(*s1);
                put!(*d1, v);
                let v = get!(*s2);
                put!(*d2, v);
                ip += 2;
                call_next!();
            }
            Instr::Move2R { a, b } => {
                reg_move(x, st, *a);
                reg_move(x, st, *b);
                ip += 2;
                call_next!();
            }
            Instr::AllocMoves(a) => {
                let need = a.slots as usize + a.heap as usize + 1;
                sync!();
                if heap.free_words() < need || gc_wanted {
                    bail_heap!();
                }
                // Cannot fail: `need` words are free.
                let _ = heap.stack_alloc(a.slots as usize + 1);
                st = heap.stack_mut();
                for m in a.moves.iter() {
                    reg_move(x, st, *m);
                }
                ip += a.len;
                call_next!();
            }
            Instr::MoveNR(ms) => {
                run_moves(x, st, ms);
                ip += ms.len() as u32;
                call_next!();
            }
            Instr::MoveN(ms) => {
                for (s, d) in ms.iter() {
                    let v = get!(*s);
                    put!(*d, v);
                }
                ip += ms.len() as u32;
                call_next!();
            }
            Instr::Init { dst } => {
                put!(*dst, Term::NIL);
                ip += 1;
            }
            Instr::Swap { a, b } => {
                let va = get!(dst_src(*a));
                let vb = get!(dst_src(*b));
                put!(*a, vb);
                put!(*b, va);
                ip += 1;
            }
            Instr::InitYregs(ys) => {
                for y in ys.iter() {
                    set_sw!(*y as usize + 1, Term::NIL);
                }
                ip += 1;
            }
            Instr::Trim { n } => {
                let cp = sw!(0);
                pop!(*n as usize);
                set_sw!(0, cp);
                ip += 1;
            }
            Instr::Allocate { slots, heap: h, .. } => {
                let need = *slots as usize + *h as usize + 1;
                sync!();
                if heap.free_words() < need || gc_wanted {
                    bail_heap!();
                }
                // Cannot fail: `need` words are free.
                let _ = heap.stack_alloc(*slots as usize + 1);
                st = heap.stack_mut();
                ip += 1;
            }
            Instr::TestHeap { need, .. } => {
                sync!();
                if heap.free_words() < *need as usize || gc_wanted {
                    bail_heap!();
                }
                st = heap.stack_mut();
                ip += 1;
            }
            Instr::Deallocate { n } => {
                pop!(*n as usize + 1);
                ip += 1;
            }
            Instr::DeallocReturn { n } => {
                let n = *n as usize + 1;
                if n >= st.len() {
                    bail!();
                }
                let Some(cp) = sw!(n).cp_value() else {
                    bail!();
                };
                let (id, off) = split_addr(cp);
                if id != mod_id {
                    bail!();
                }
                pop!(n);
                set_sw!(0, Term::NIL);
                r -= 1;
                ip = off;
                arith_next!();
            }
            Instr::MoveReturn { src, dst } => {
                // The move cannot change stack word 0 (y(n) is word n+1).
                let Some(cp) = sw!(0).cp_value() else {
                    bail!();
                };
                let (id, off) = split_addr(cp);
                if id != mod_id {
                    bail!();
                }
                let v = get!(*src);
                put!(*dst, v);
                set_sw!(0, Term::NIL);
                r -= 1;
                ip = off;
                arith_next!();
            }
            Instr::ReturnX { src } => {
                let Some(cp) = sw!(0).cp_value() else {
                    bail!();
                };
                let (id, off) = split_addr(cp);
                if id != mod_id {
                    bail!();
                }
                x[0] = x[*src as usize & (MAX_REG - 1)];
                set_sw!(0, Term::NIL);
                r -= 1;
                ip = off;
                arith_next!();
            }
            Instr::Return => {
                let Some(cp) = sw!(0).cp_value() else {
                    bail!();
                };
                let (id, off) = split_addr(cp);
                if id != mod_id {
                    bail!();
                }
                set_sw!(0, Term::NIL);
                r -= 1;
                ip = off;
                arith_next!();
            }
            Instr::Call { target } => {
                if r <= 1 {
                    bail!();
                }
                set_sw!(0, cp_of(ip + 1));
                r -= 1;
                ip = *target;
                entry_next!();
            }
            Instr::CallLast { target, dealloc } => {
                if r <= 1 {
                    bail!();
                }
                pop!(*dealloc as usize + 1);
                r -= 1;
                ip = *target;
                entry_next!();
            }
            Instr::CallOnly { target } => {
                if r <= 1 {
                    bail!();
                }
                r -= 1;
                ip = *target;
                entry_next!();
            }
            Instr::Jump { target } => ip = *target,
            Instr::SelectVal { src, table } => {
                let v = get!(*src);
                ip = select_val(table, v);
            }
            Instr::Test { kind, fail, src } => {
                let v = get!(*src);
                test!(type_test(*kind, v), *fail);
            }
            Instr::CmpXX { op, a, b, fail } => {
                let va = x[*a as usize & (MAX_REG - 1)];
                let vb = x[*b as usize & (MAX_REG - 1)];
                test!(cmp_test(*op, va, vb), *fail);
            }
            Instr::SelectSmallX { reg, base, table } => {
                ip = select_small(table, *base, x[*reg as usize & (MAX_REG - 1)]);
            }
            Instr::SelectRangeX {
                reg,
                lo,
                n,
                target,
                fail,
            } => {
                let v = x[*reg as usize & (MAX_REG - 1)];
                ip = select_range(*lo, *n, *target, *fail, v);
            }
            Instr::Cmp { op, fail, a, b } => {
                let va = get!(*a);
                let vb = get!(*b);
                test!(cmp_test(*op, va, vb), *fail);
            }
            Instr::IsTaggedTuple {
                arity,
                fail,
                src,
                tag,
            } => {
                let v = get!(*src);
                test!(is_tagged_tuple(v, *arity, *tag), *fail);
            }
            Instr::TestArity { arity, fail, src } => {
                let v = get!(*src);
                test!(
                    v.as_tuple().map(|t| t.len()) == Some(*arity as usize),
                    *fail
                );
            }
            Instr::GetTupleElement { idx, dst, src } => {
                let v = get!(*src);
                let e = v
                    .as_tuple()
                    .and_then(|t| t.get(*idx as usize).copied())
                    .unwrap_or(Term::NIL);
                put!(*dst, e);
                ip += 1;
            }
            Instr::GetList { hd, tl, src } => {
                let v = get!(*src);
                let (h, t) = v.as_cons().unwrap_or((Term::NIL, Term::NIL));
                put!(*hd, h);
                put!(*tl, t);
                ip += 1;
            }
            Instr::GetHd { dst, src } => {
                let v = get!(*src);
                put!(*dst, v.as_cons().map_or(Term::NIL, |c| c.0));
                ip += 1;
            }
            Instr::GetTl { dst, src } => {
                let v = get!(*src);
                put!(*dst, v.as_cons().map_or(Term::NIL, |c| c.1));
                ip += 1;
            }
            Instr::PutList { dst, head, tail } => {
                let h = get!(*head);
                let t = get!(*tail);
                sync!();
                if heap.free_words() < 2 {
                    bail_heap!();
                }
                let c = heap.cons(h, t);
                st = heap.stack_mut();
                put!(*dst, c);
                ip += 1;
            }
            Instr::PutTuple2 { dst, elems } => {
                if elems.len() > 16 {
                    bail!();
                }
                let mut buf = [Term::NIL; 16];
                for (i, s) in elems.iter().enumerate() {
                    buf[i] = get!(*s);
                }
                sync!();
                if heap.free_words() <= elems.len() {
                    bail_heap!();
                }
                let t = heap.tuple(&buf[..elems.len()]);
                st = heap.stack_mut();
                put!(*dst, t);
                ip += 1;
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
                ip = t;
            }
            Instr::FStore { fr: f, dst } => {
                let v = fr[*f as usize & (MAX_REG - 1)];
                sync!();
                if heap.free_words() < FLOAT_WORDS {
                    bail_heap!();
                }
                let t = heap.float(v);
                st = heap.stack_mut();
                put!(*dst, t);
                ip += 1;
            }
            Instr::FConv { fr: f, src } => {
                let v = get!(*src);
                match crate::bif::arith::to_f64(v) {
                    Some(v) if v.is_finite() => fr[*f as usize & (MAX_REG - 1)] = v,
                    _ => bail!(),
                }
                ip += 1;
            }
            // A run of float register instructions in a loop of its own
            // (one dispatch for the run); anything else ends the run, a
            // slow case (not a number, a non-finite result) leaves the
            // fast tier before that instruction.
            Instr::FLoad { .. }
            | Instr::FMove { .. }
            | Instr::FArith { .. }
            | Instr::FNegate { .. } => {
                let mut slow = false;
                loop {
                    match code.get(ip as usize) {
                        Some(Instr::FLoad { fr: f, src }) => {
                            let v = get!(*src);
                            let Some(v) = v.as_float().or_else(|| v.as_small().map(|i| i as f64))
                            else {
                                slow = true;
                                break;
                            };
                            fr[*f as usize & (MAX_REG - 1)] = v;
                        }
                        Some(Instr::FMove { from, to }) => {
                            fr[*to as usize & (MAX_REG - 1)] = fr[*from as usize & (MAX_REG - 1)];
                        }
                        Some(Instr::FArith { op, a, b, dst }) => {
                            let x = fr[*a as usize & (MAX_REG - 1)];
                            let y = fr[*b as usize & (MAX_REG - 1)];
                            let v = match op {
                                FOp::Add => x + y,
                                FOp::Sub => x - y,
                                FOp::Mul => x * y,
                                FOp::Div => x / y,
                            };
                            if !v.is_finite() {
                                slow = true;
                                break;
                            }
                            fr[*dst as usize & (MAX_REG - 1)] = v;
                        }
                        Some(Instr::FNegate { a, dst }) => {
                            fr[*dst as usize & (MAX_REG - 1)] =
                                0.0 - fr[*a as usize & (MAX_REG - 1)];
                        }
                        _ => break,
                    }
                    ip += 1;
                }
                if slow {
                    bail!();
                }
            }
            Instr::Arith { op, dst, a, b, .. } => {
                let va = get!(*a);
                let vb = get!(*b);
                let Some(v) = arith_small(*op, va, vb) else {
                    bail!();
                };
                put!(*dst, v);
                ip += 1;
                moves_next!();
            }
            Instr::ArithImm {
                dst, src, delta, ..
            } => {
                let Some(v) = get!(*src).small_add_imm(*delta) else {
                    bail!();
                };
                put!(*dst, v);
                ip += 1;
                moves_next!();
            }
            _ => bail!(),
        }
    }
    sync!();
    *pc = ip;
    *reds = r;
}

/// The source operand reading destination register `d`.
#[inline(always)]
pub(super) fn dst_src(d: Dst) -> Src {
    let (y, n) = d.split();
    if y {
        Src::y(n as u32)
    } else {
        Src::x(n as u32)
    }
}

/// Runs a group of register-to-register moves in order (`st`: the stack,
/// top first; y(n) is `st[n + 1]`). Out of line, so its loop gets
/// registers of its own.
#[inline(never)]
pub(super) fn run_moves(x: &mut [Term; MAX_REG], st: &mut [Term], ms: &[RegMove]) {
    // Unrolled for the common group sizes (no loop counter per move).
    match *ms {
        [a, b, c] => {
            reg_move(x, st, a);
            reg_move(x, st, b);
            reg_move(x, st, c);
        }
        [a, b, c, d] => {
            reg_move(x, st, a);
            reg_move(x, st, b);
            reg_move(x, st, c);
            reg_move(x, st, d);
        }
        [a, b, c, d, e] => {
            reg_move(x, st, a);
            reg_move(x, st, b);
            reg_move(x, st, c);
            reg_move(x, st, d);
            reg_move(x, st, e);
        }
        [a, b, c, d, e, f] => {
            reg_move(x, st, a);
            reg_move(x, st, b);
            reg_move(x, st, c);
            reg_move(x, st, d);
            reg_move(x, st, e);
            reg_move(x, st, f);
        }
        _ => {
            for &m in ms {
                reg_move(x, st, m);
            }
        }
    }
}

/// One register-to-register move (`st`: the stack, top first).
#[inline(always)]
pub(super) fn reg_move(x: &mut [Term; MAX_REG], st: &mut [Term], RegMove(w): RegMove) {
    let sn = ((w >> 15) & 0x7fff) as usize;
    let v = if w & (1 << 31) == 0 {
        x[sn & (MAX_REG - 1)]
    } else {
        st.get(sn + 1).copied().unwrap_or(Term::NIL)
    };
    let dn = (w & 0x7fff) as usize;
    if w & (1 << 30) == 0 {
        x[dn & (MAX_REG - 1)] = v;
    } else if let Some(s) = st.get_mut(dn + 1) {
        *s = v;
    }
}
