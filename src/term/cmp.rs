//! Term order and equality, exactly as ERTS's `erts_cmp` (`utils.c`).
//!
//! number < atom < reference < fun < port < pid < tuple < map < `[]` <
//! list < bitstring. Two comparison modes:
//!
//! * arithmetic ([`compare`], Erlang `<`, `==`): integers and floats are
//!   compared by exact mathematical value (`1 == 1.0`, `2^60 == 2^60.0`);
//! * exact ([`compare_exact`], `=:=` and map key order): an integer never
//!   equals a float, and every integer sorts before every float.
//!
//! Atoms compare by their UTF-8 text; tuples by arity then elements; maps by
//! size, then keys in (exact) term order, then values in key order (large
//! HAMT maps are compared with ERTS's hash-order walk, which gives the same
//! answer without sorting); pids by serial, number, node; ports and
//! references by node, then number(s); bitstrings bitwise, then by length.
//!
//! The comparison never recurses on the native stack: pending pairs live on
//! an explicit stack, so arbitrarily deep terms are fine.

use super::{subtag, MapView, Term, TermView};
use crate::atom::Atom;
use std::cmp::Ordering;

/// Compares two terms in Erlang's term order (arithmetic: `1 == 1.0`).
pub fn compare(a: Term, b: Term) -> Ordering {
    erts_cmp(a, b, false, false)
}

/// Compares two terms in exact term order (`=:=`; integers before floats).
/// This is the order of map keys.
pub fn compare_exact(a: Term, b: Term) -> Ordering {
    erts_cmp(a, b, true, false)
}

/// Erlang `==`.
pub fn eq(a: Term, b: Term) -> bool {
    if a.raw() == b.raw() {
        return true;
    }
    // Exactly equal terms are arithmetically equal; otherwise (1 == 1.0
    // nested somewhere) ask the full comparison.
    fast_eq_exact(a, b) == Fast::Equal || erts_cmp(a, b, false, true) == Ordering::Equal
}

/// Erlang `=:=`.
pub fn eq_exact(a: Term, b: Term) -> bool {
    if a.raw() == b.raw() {
        return true;
    }
    match fast_eq_exact(a, b) {
        Fast::Equal => true,
        Fast::NotEqual => false,
        Fast::Unknown => erts_cmp(a, b, true, true) == Ordering::Equal,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fast {
    Equal,
    NotEqual,
    Unknown,
}

/// Structural `=:=` on the object words: canonical representations make
/// exact equality a word-by-word comparison for most kinds (tuples, lists,
/// maps of either kind, bignums, references, external pids/ports, export
/// funs, heap binaries); floats compare as numbers (`0.0 =:= -0.0`), other
/// binaries by their bits. Local funs give `Unknown` (the caller falls back
/// to [`erts_cmp`]).
fn fast_eq_exact(a: Term, b: Term) -> Fast {
    use super::size::object_layout;
    use super::{subtag, TAG_PRIMARY_BOXED, TAG_PRIMARY_LIST, TAG_PRIMARY_MASK};
    let mut stack: Vec<(u64, u64)> = Vec::new();
    let (mut x, mut y) = (a.raw(), b.raw());
    loop {
        if x != y {
            let tag = x & TAG_PRIMARY_MASK;
            if tag != y & TAG_PRIMARY_MASK {
                return Fast::NotEqual;
            }
            match tag {
                TAG_PRIMARY_LIST => {
                    let (px, py) = (
                        (x & !TAG_PRIMARY_MASK) as *const u64,
                        (y & !TAG_PRIMARY_MASK) as *const u64,
                    );
                    // SAFETY: list terms point at live 2-word cells.
                    let (hx, tx, hy, ty) = unsafe { (*px, *px.add(1), *py, *py.add(1)) };
                    if tx != ty {
                        stack.push((tx, ty));
                    }
                    x = hx;
                    y = hy;
                    continue;
                }
                TAG_PRIMARY_BOXED => {
                    let (px, py) = (
                        (x & !TAG_PRIMARY_MASK) as *const u64,
                        (y & !TAG_PRIMARY_MASK) as *const u64,
                    );
                    // SAFETY: boxed terms point at live objects whose first
                    // word is the header.
                    let (hx, hy) = unsafe { (*px, *py) };
                    let (sx, sy) = (hx & subtag::MASK, hy & subtag::MASK);
                    let is_bin = |s| {
                        matches!(
                            s,
                            subtag::REFC_BINARY | subtag::HEAP_BINARY | subtag::SUB_BINARY
                        )
                    };
                    if is_bin(sx)
                        && is_bin(sy)
                        && (sx != subtag::HEAP_BINARY || sy != subtag::HEAP_BINARY)
                    {
                        // SAFETY: x and y are the words of valid terms.
                        let (tx, ty) = unsafe { (Term::from_raw(x), Term::from_raw(y)) };
                        match (tx.as_binary(), ty.as_binary()) {
                            (Some(bx), Some(by))
                                if bx.bit_size == by.bit_size
                                    && cmp_bits(&bx, &by) == Ordering::Equal => {}
                            _ => return Fast::NotEqual,
                        }
                    } else if sx == subtag::FLOAT && sy == subtag::FLOAT {
                        // SAFETY: a float object has one data word.
                        let (fx, fy) =
                            unsafe { (f64::from_bits(*px.add(1)), f64::from_bits(*py.add(1))) };
                        if fx != fy {
                            return Fast::NotEqual;
                        }
                    } else if hx != hy {
                        // Different kinds, arities, map shapes or signs.
                        if sx == subtag::FUN && sy == subtag::FUN {
                            return Fast::Unknown;
                        }
                        return Fast::NotEqual;
                    } else if sx == subtag::FUN {
                        // SAFETY: word 1 of a fun is its info word.
                        let info = unsafe { *px.add(1) };
                        if info & crate::term::FUN_INFO_EXPORT == 0 {
                            return Fast::Unknown;
                        }
                        // Export funs: module and function atoms, arity.
                        // SAFETY: an export fun has 4 words.
                        let same = unsafe { (1..4).all(|i| *px.add(i) == *py.add(i)) };
                        if !same {
                            return Fast::NotEqual;
                        }
                    } else {
                        // SAFETY: both objects have header `hx` and so the
                        // same layout; all indexes are within it.
                        unsafe {
                            let Some(lay) = object_layout(px, hx) else {
                                return Fast::Unknown;
                            };
                            for i in 1..lay.size {
                                let (wx, wy) = (*px.add(i), *py.add(i));
                                if wx == wy {
                                    continue;
                                }
                                if i >= lay.terms_from && i < lay.terms_to {
                                    stack.push((wx, wy));
                                } else {
                                    return Fast::NotEqual;
                                }
                            }
                        }
                    }
                }
                _ => {
                    // Distinct immediates (or header words): never =:=.
                    return Fast::NotEqual;
                }
            }
        }
        match stack.pop() {
            Some((p, q)) => {
                x = p;
                y = q;
            }
            None => return Fast::Equal,
        }
    }
}

/// The node a local pid/port/reference belongs to: name and creation.
/// `nonode@nohost`/0 until distribution sets it (see [`set_this_node`]).
pub fn this_node() -> (Atom, u32) {
    match *THIS_NODE.read() {
        Some(n) => n,
        None => (*NONODE, 0),
    }
}

static NONODE: once_cell::sync::Lazy<Atom> =
    once_cell::sync::Lazy::new(|| Atom::from_static("nonode@nohost"));

/// Sets the local node's name and creation (called when distribution
/// starts).
pub fn set_this_node(name: Atom, creation: u32) {
    *THIS_NODE.write() = Some((name, creation));
}

static THIS_NODE: parking_lot::RwLock<Option<(Atom, u32)>> = parking_lot::RwLock::new(None);

// ERTS's *_DEF type codes (erl_term.h); mixed types order by `b - a`.
const BINARY_DEF: i32 = 0x0;
const LIST_DEF: i32 = 0x1;
const NIL_DEF: i32 = 0x2;
const MAP_DEF: i32 = 0x3;
const TUPLE_DEF: i32 = 0x4;
const PID_DEF: i32 = 0x5;
const EXTERNAL_PID_DEF: i32 = 0x6;
const PORT_DEF: i32 = 0x7;
const EXTERNAL_PORT_DEF: i32 = 0x8;
const FUN_DEF: i32 = 0xa;
const REF_DEF: i32 = 0xb;
const EXTERNAL_REF_DEF: i32 = 0xc;
const ATOM_DEF: i32 = 0xd;
const FLOAT_DEF: i32 = 0xe;
const BIG_DEF: i32 = 0xf;
const SMALL_DEF: i32 = 0x10;

fn type_def(v: &TermView<'_>) -> i32 {
    match v {
        TermView::Small(_) => SMALL_DEF,
        TermView::Big { .. } => BIG_DEF,
        TermView::Float(_) => FLOAT_DEF,
        TermView::Atom(_) => ATOM_DEF,
        TermView::LocalRef(_) => REF_DEF,
        TermView::ExternalRef { .. } => EXTERNAL_REF_DEF,
        TermView::Fun(_) | TermView::Export { .. } => FUN_DEF,
        TermView::LocalPort(_) => PORT_DEF,
        TermView::ExternalPort { .. } => EXTERNAL_PORT_DEF,
        TermView::LocalPid { .. } => PID_DEF,
        TermView::ExternalPid { .. } => EXTERNAL_PID_DEF,
        TermView::Tuple(_) => TUPLE_DEF,
        TermView::Map(_) => MAP_DEF,
        TermView::Nil => NIL_DEF,
        TermView::Cons(..) => LIST_DEF,
        TermView::Binary(_) => BINARY_DEF,
        // Not Erlang values; order them below everything, consistently.
        TermView::Catch(_) | TermView::MatchState(_) | TermView::NonValue(_) => -1,
    }
}

/// Atom order: byte-wise on the UTF-8 text, shorter first on a tie.
#[inline]
pub fn cmp_atoms(a: Atom, b: Atom) -> Ordering {
    if a == b {
        Ordering::Equal
    } else {
        a.as_bytes().cmp(b.as_bytes())
    }
}

/// `erts_float_comp` (both operands are finite).
#[inline]
fn cmp_f64(a: f64, b: f64) -> Ordering {
    if a < b {
        Ordering::Less
    } else if a == b {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

/// Magnitude comparison of little-endian digit arrays (no leading zeros).
fn cmp_mag(a: &[u64], b: &[u64]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// `big_comp`.
fn cmp_big(an: bool, ad: &[u64], bn: bool, bd: &[u64]) -> Ordering {
    match (an, bn) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => cmp_mag(ad, bd),
        (true, true) => cmp_mag(bd, ad),
    }
}

/// Exact comparison of an `i64` with a finite float.
fn cmp_i64_f64(i: i64, f: f64) -> Ordering {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if f >= TWO63 {
        return Ordering::Less;
    }
    if f < -TWO63 {
        return Ordering::Greater;
    }
    let t = f.trunc();
    match i.cmp(&(t as i64)) {
        Ordering::Equal => {
            if f > t {
                Ordering::Less
            } else if f < t {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        o => o,
    }
}

/// Exact comparison of a bignum (sign, magnitude) with a finite float.
/// (ERTS's size heuristics plus `double_to_big` amount to exactly this.)
fn cmp_big_f64(neg: bool, digits: &[u64], f: f64) -> Ordering {
    let fneg = f < 0.0;
    if f == 0.0 || neg != fneg {
        return if neg {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let af = f.abs();
    let mag = if af < 18_446_744_073_709_551_616.0 {
        // |f| < 2^64.
        if digits.len() >= 2 {
            Ordering::Greater
        } else {
            let d0 = digits.first().copied().unwrap_or(0);
            let t = af.trunc();
            match d0.cmp(&(t as u64)) {
                Ordering::Equal if af > t => Ordering::Less,
                o => o,
            }
        }
    } else {
        // |f| >= 2^64 is an integer: mantissa << shift.
        let bits = af.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
        let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        let shift = exp as usize; // >= 12
        let ws = shift / 64;
        let bs = shift % 64;
        let mut fd = vec![0u64; ws + 2];
        fd[ws] = mant << bs;
        if bs > 0 {
            fd[ws + 1] = mant >> (64 - bs);
        }
        while fd.last() == Some(&0) {
            fd.pop();
        }
        cmp_mag(digits, &fd)
    };
    if neg {
        mag.reverse()
    } else {
        mag
    }
}

/// Bitwise comparison of two bitstrings, then by bit length.
fn cmp_bits(a: &super::BinaryView<'_>, b: &super::BinaryView<'_>) -> Ordering {
    if let (Some(x), Some(y)) = (a.as_aligned_bytes(), b.as_aligned_bytes()) {
        return x.cmp(y);
    }
    let min_bits = a.bit_size.min(b.bit_size);
    let full = (min_bits / 8) as usize;
    let rem = (min_bits % 8) as u32;
    if a.bit_offset == 0 && b.bit_offset == 0 {
        match a.data[..full].cmp(&b.data[..full]) {
            Ordering::Equal => {}
            o => return o,
        }
    } else {
        for i in 0..full {
            match a.byte(i).cmp(&b.byte(i)) {
                Ordering::Equal => {}
                o => return o,
            }
        }
    }
    if rem > 0 {
        let x = a.byte(full) >> (8 - rem);
        let y = b.byte(full) >> (8 - rem);
        match x.cmp(&y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.bit_size.cmp(&b.bit_size)
}

/// `CMP_NODES`: `None` if the same node.
fn cmp_nodes(a: (Atom, u32), b: (Atom, u32)) -> Option<Ordering> {
    if a == b {
        None
    } else if a.0 != b.0 {
        Some(cmp_atoms(a.0, b.0))
    } else {
        Some(a.1.cmp(&b.1))
    }
}

/// Reference numbers: trailing (high) zero words are ignored, then the
/// words compare from the most significant.
fn cmp_ref_numbers(a: &[u32], b: &[u32]) -> Ordering {
    let mut al = a.len();
    let mut bl = b.len();
    while al > bl {
        if a[al - 1] != 0 {
            return Ordering::Greater;
        }
        al -= 1;
    }
    while bl > al {
        if b[bl - 1] != 0 {
            return Ordering::Less;
        }
        bl -= 1;
    }
    a[..al].iter().rev().cmp(b[..bl].iter().rev())
}

/// Sign of an `i64` difference as an ordering.
#[inline]
fn ord(x: i64) -> Ordering {
    x.cmp(&0)
}

// ---------------------------------------------------------------------------
// The comparison engine.

#[derive(Clone, Copy)]
enum HmOp {
    Phase1AreKeysEqual,
    Phase1IsMinKey,
    Phase1CmpValues,
    Phase2AreKeysEqual,
    Phase2IsMinKeyA,
    Phase2IsMinKeyB,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ElemKind {
    Tuple,
    FlatKeys,
    FlatValues,
    Env,
}

#[derive(Clone, Copy)]
enum Op {
    Pair(Term, Term, bool),
    /// Compare `kind` elements of `a` and `b` from index `i` on (ERTS's
    /// `TERM_ARRAY_OP`).
    Elems {
        a: Term,
        b: Term,
        i: u32,
        exact: bool,
        kind: ElemKind,
    },
    Hashmap(HmOp),
}

/// The operation stack. The vector is recycled between calls (one per
/// thread), so ordinary comparisons do not allocate.
struct Ops {
    v: Vec<Op>,
}

thread_local! {
    static OPS_POOL: std::cell::Cell<Vec<Op>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Ops {
    fn new() -> Ops {
        let mut v = OPS_POOL.with(|p| p.take());
        v.clear();
        Ops { v }
    }
    #[inline]
    fn push(&mut self, op: Op) {
        self.v.push(op);
    }
    #[inline]
    fn pop(&mut self) -> Option<Op> {
        self.v.pop()
    }
    fn len(&self) -> usize {
        self.v.len()
    }
    fn truncate(&mut self, len: usize) {
        self.v.truncate(len);
    }
}

impl Drop for Ops {
    fn drop(&mut self) {
        let v = std::mem::take(&mut self.v);
        if v.capacity() <= 4096 {
            OPS_POOL.with(|p| p.set(v));
        }
    }
}

/// The element array of `kind` in `t` (empty if `t` has none).
fn elems_of(t: &Term, kind: ElemKind) -> &[Term] {
    match (kind, t.view()) {
        (ElemKind::Tuple, TermView::Tuple(es)) => es,
        (ElemKind::FlatKeys, TermView::Map(MapView::Flat { keys, .. })) => keys,
        (ElemKind::FlatValues, TermView::Map(MapView::Flat { values, .. })) => values,
        (ElemKind::Env, TermView::Fun(c)) => c.env,
        _ => &[],
    }
}

/// Compares element arrays from index `i`: immediates inline; at the
/// first compound pair, pushes the rest and the pair and returns `None`.
#[inline]
fn cmp_elems(
    ops: &mut Ops,
    a: Term,
    b: Term,
    i: usize,
    exact: bool,
    kind: ElemKind,
) -> Option<Ordering> {
    let (ta, tb) = (a, b);
    let xs = if kind == ElemKind::Tuple {
        ta.as_tuple().unwrap_or(&[])
    } else {
        elems_of(&ta, kind)
    };
    let ys = if kind == ElemKind::Tuple {
        tb.as_tuple().unwrap_or(&[])
    } else {
        elems_of(&tb, kind)
    };
    cmp_slices(ops, xs, ys, i, exact, a, b, kind)
}

/// [`cmp_elems`] on slices already at hand (`a`, `b`, `kind` say how to
/// find them again when the comparison resumes).
#[allow(clippy::too_many_arguments)]
#[inline]
fn cmp_slices(
    ops: &mut Ops,
    xs: &[Term],
    ys: &[Term],
    i: usize,
    exact: bool,
    a: Term,
    b: Term,
    kind: ElemKind,
) -> Option<Ordering> {
    let n = xs.len().min(ys.len());
    let mut k = i;
    while k < n {
        let (x, y) = (xs[k], ys[k]);
        k += 1;
        if x.raw() == y.raw() {
            continue;
        }
        if let (Some(p), Some(q)) = (x.as_small(), y.as_small()) {
            return Some(p.cmp(&q));
        }
        if let (Some(p), Some(q)) = (x.as_atom(), y.as_atom()) {
            match cmp_atoms(p, q) {
                Ordering::Equal => continue,
                o => return Some(o),
            }
        }
        if k < n {
            if kind == ElemKind::Tuple || n - k > 3 {
                ops.push(Op::Elems {
                    a,
                    b,
                    i: k as u32,
                    exact,
                    kind,
                });
            } else {
                // A few map or closure pairs left: push them now rather
                // than finding the arrays again later.
                for (x2, y2) in xs[k..n].iter().zip(&ys[k..n]).rev() {
                    if x2.raw() != y2.raw() {
                        ops.push(Op::Pair(*x2, *y2, exact));
                    }
                }
            }
        }
        ops.push(Op::Pair(x, y, exact));
        return None;
    }
    Some(Ordering::Equal)
}

struct HmState {
    a: Vec<(Term, Term)>,
    b: Vec<(Term, Term)>,
    ai: usize,
    bi: usize,
    min_key: Term,
    cmp_res: Ordering,
    was_exact: bool,
    rollback: usize,
}

impl HmState {
    fn ap(&self) -> Option<(Term, Term)> {
        self.a.get(self.ai).copied()
    }
    fn bp(&self) -> Option<(Term, Term)> {
        self.b.get(self.bi).copied()
    }
}

/// The result of comparing one pair shallowly.
enum Shallow {
    Done(Ordering),
    /// Sub-pairs were pushed.
    Pushed,
    /// Two HAMT maps of equal size: start the hash-order walk.
    Hashmaps,
}

/// ERTS `erts_cmp(a, b, exact, eq_only)`.
pub fn erts_cmp(a: Term, b: Term, exact: bool, eq_only: bool) -> Ordering {
    if a.raw() == b.raw() {
        return Ordering::Equal;
    }
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.as_atom(), b.as_atom()) {
        return cmp_atoms(x, y);
    }
    let mut ops = Ops::new();
    let mut hms: Vec<HmState> = Vec::new();
    let mut j = Ordering::Equal;
    ops.push(Op::Pair(a, b, exact));
    'pop: while let Some(op) = ops.pop() {
        let mut result: Ordering;
        match op {
            Op::Pair(a, b, ex) => match shallow(a, b, ex, eq_only, &mut ops) {
                Shallow::Done(o) => result = o,
                Shallow::Pushed => {
                    // `bodyrecur`: the pair is equal unless a sub-pair
                    // says otherwise.
                    j = Ordering::Equal;
                    continue 'pop;
                }
                Shallow::Hashmaps => {
                    let st = HmState {
                        a: super::map::hamt_leaves(a),
                        b: super::map::hamt_leaves(b),
                        ai: 0,
                        bi: 0,
                        min_key: Term::NIL,
                        cmp_res: Ordering::Equal,
                        was_exact: ex,
                        rollback: 0,
                    };
                    let (ka, kb) = match (st.ap(), st.bp()) {
                        (Some(x), Some(y)) => (x.0, y.0),
                        _ => {
                            j = Ordering::Equal;
                            continue 'pop;
                        }
                    };
                    hms.push(st);
                    start_hm_sub(&mut ops, &mut hms, HmOp::Phase1AreKeysEqual, ka, kb, true);
                    continue 'pop;
                }
            },
            Op::Elems {
                a,
                b,
                i,
                exact: ex,
                kind,
            } => match cmp_elems(&mut ops, a, b, i as usize, ex, kind) {
                Some(o) => result = o,
                None => {
                    j = Ordering::Equal;
                    continue 'pop;
                }
            },
            Op::Hashmap(hop) => {
                // `j` is the result of the sub-comparison just finished.
                match hm_step(hop, j, &mut ops, &mut hms) {
                    None => continue 'pop,
                    Some(o) => result = o,
                }
            }
        }
        // ON_CMP_GOTO(result)
        loop {
            if result == Ordering::Equal {
                j = Ordering::Equal;
                continue 'pop;
            }
            // not_equal
            j = result;
            if eq_only || hms.is_empty() {
                return result;
            }
            let rb = hms.last().map(|s| s.rollback).unwrap_or(0);
            ops.truncate(rb);
            // pop_next: the top op must be the hashmap op of the innermost
            // state (pushed just below its rollback point).
            match ops.pop() {
                Some(Op::Hashmap(hop)) => match hm_step(hop, j, &mut ops, &mut hms) {
                    None => continue 'pop,
                    Some(o) => {
                        result = o;
                        continue;
                    }
                },
                Some(other) => {
                    ops.push(other);
                    continue 'pop;
                }
                None => return result,
            }
        }
    }
    j
}

/// Pushes a hashmap op and the pair to compare under it, recording the
/// rollback point (`sp->wstack_rollback`).
fn start_hm_sub(ops: &mut Ops, hms: &mut [HmState], hop: HmOp, a: Term, b: Term, exact: bool) {
    ops.push(Op::Hashmap(hop));
    if let Some(st) = hms.last_mut() {
        st.rollback = ops.len();
    }
    ops.push(Op::Pair(a, b, exact));
}

/// `hashmap_key_hash_cmp`: order of two leaves in hash (iteration) order.
fn key_hash_cmp(ap: Option<(Term, Term)>, bp: Option<(Term, Term)>) -> Ordering {
    match (ap, bp) {
        (Some((ka, _)), Some((kb, _))) => {
            let mut depth = 0u32;
            loop {
                let mut ha = super::hash::map_hash(ka, depth);
                let mut hb = super::hash::map_hash(kb, depth);
                for _ in 0..8 {
                    let c = (ha & 0xf).cmp(&(hb & 0xf));
                    if c != Ordering::Equal {
                        return c;
                    }
                    ha >>= 4;
                    hb >>= 4;
                }
                depth += 1;
                if depth > 64 {
                    // Distinct keys with identical hashes at every level:
                    // cannot happen in practice; keep a total order anyway.
                    return compare_exact(ka, kb);
                }
            }
        }
        (Some(_), None) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

/// One step of ERTS's hashmap comparison state machine. Returns
/// `Some(result)` when the maps are fully compared.
fn hm_step(hop: HmOp, j: Ordering, ops: &mut Ops, hms: &mut Vec<HmState>) -> Option<Ordering> {
    #[derive(PartialEq)]
    enum Next {
        Phase1Loop,
        Phase2Loop,
        Phase2NextStep,
    }
    let st = hms.last_mut()?;
    let mut next = match hop {
        HmOp::Phase1AreKeysEqual => {
            if j != Ordering::Equal {
                // Key diff found: enter phase 2.
                if key_hash_cmp(st.ap(), st.bp()) == Ordering::Less {
                    st.min_key = st.ap()?.0;
                    st.cmp_res = Ordering::Less;
                    st.ai += 1;
                } else {
                    st.min_key = st.bp()?.0;
                    st.cmp_res = Ordering::Greater;
                    st.bi += 1;
                }
                Next::Phase2Loop
            } else if st.cmp_res != Ordering::Equal {
                let ka = st.ap()?.0;
                let mk = st.min_key;
                start_hm_sub(ops, hms, HmOp::Phase1IsMinKey, ka, mk, true);
                return None;
            } else {
                let (va, vb, ex) = (st.ap()?.1, st.bp()?.1, st.was_exact);
                start_hm_sub(ops, hms, HmOp::Phase1CmpValues, va, vb, ex);
                return None;
            }
        }
        HmOp::Phase1IsMinKey => {
            if j == Ordering::Less {
                let (va, vb, ex) = (st.ap()?.1, st.bp()?.1, st.was_exact);
                start_hm_sub(ops, hms, HmOp::Phase1CmpValues, va, vb, ex);
                return None;
            }
            Next::Phase1Loop
        }
        HmOp::Phase1CmpValues => {
            if j != Ordering::Equal {
                st.cmp_res = j;
                st.min_key = st.ap()?.0;
            }
            Next::Phase1Loop
        }
        HmOp::Phase2AreKeysEqual => {
            if j == Ordering::Equal {
                st.ai += 1;
                st.bi += 1;
                Next::Phase2Loop
            } else {
                Next::Phase2NextStep
            }
        }
        HmOp::Phase2IsMinKeyA => {
            if j == Ordering::Less {
                st.min_key = st.ap()?.0;
                st.cmp_res = Ordering::Less;
            }
            st.ai += 1;
            Next::Phase2Loop
        }
        HmOp::Phase2IsMinKeyB => {
            if j == Ordering::Less {
                st.min_key = st.bp()?.0;
                st.cmp_res = Ordering::Greater;
            }
            st.bi += 1;
            Next::Phase2Loop
        }
    };
    loop {
        let st = hms.last_mut()?;
        match next {
            Next::Phase1Loop => {
                st.ai += 1;
                st.bi += 1;
                match (st.ap(), st.bp()) {
                    (Some((ka, _)), Some((kb, _))) => {
                        start_hm_sub(ops, hms, HmOp::Phase1AreKeysEqual, ka, kb, true);
                        return None;
                    }
                    _ => {
                        let r = st.cmp_res;
                        hms.pop();
                        return Some(r);
                    }
                }
            }
            Next::Phase2Loop => match (st.ap(), st.bp()) {
                (Some((ka, _)), Some((kb, _))) => {
                    start_hm_sub(ops, hms, HmOp::Phase2AreKeysEqual, ka, kb, true);
                    return None;
                }
                _ => next = Next::Phase2NextStep,
            },
            Next::Phase2NextStep => {
                let (ap, bp) = (st.ap(), st.bp());
                if ap.is_none() && bp.is_none() {
                    let r = st.cmp_res;
                    hms.pop();
                    return Some(r);
                }
                let mk = st.min_key;
                if key_hash_cmp(ap, bp) == Ordering::Less {
                    let ka = ap?.0;
                    start_hm_sub(ops, hms, HmOp::Phase2IsMinKeyA, ka, mk, true);
                } else {
                    let kb = bp?.0;
                    start_hm_sub(ops, hms, HmOp::Phase2IsMinKeyB, kb, mk, true);
                }
                return None;
            }
        }
    }
}

/// Compares one pair as far as possible without descending; pushes the
/// sub-pairs of compound terms.
fn shallow(a: Term, b: Term, exact: bool, eq_only: bool, ops: &mut Ops) -> Shallow {
    use Shallow::Done;
    if a.raw() == b.raw() {
        return Done(Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Done(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_atom(), b.as_atom()) {
        return Done(cmp_atoms(x, y));
    }
    // Fast paths on the header for common same-kind pairs.
    if let (Some(ha), Some(hb)) = (a.header(), b.header()) {
        let (sa, sb) = (ha & subtag::MASK, hb & subtag::MASK);
        if sa == sb {
            match sa {
                subtag::ARITYVAL => {
                    if let (Some(xs), Some(ys)) = (a.as_tuple(), b.as_tuple()) {
                        if xs.len() != ys.len() {
                            return Done(xs.len().cmp(&ys.len()));
                        }
                        return match cmp_slices(ops, xs, ys, 0, exact, a, b, ElemKind::Tuple) {
                            Some(o) => Done(o),
                            None => Shallow::Pushed,
                        };
                    }
                }
                subtag::FLOAT => {
                    if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
                        return Done(cmp_f64(x, y));
                    }
                }
                _ => {}
            }
        }
    }
    let va = a.view();
    let vb = b.view();
    match (&va, &vb) {
        (TermView::Cons(..), TermView::Cons(..)) => {
            // Walk while heads are identical words.
            let (mut x, mut y) = (a, b);
            loop {
                let (Some((ha, ta)), Some((hb, tb))) = (x.as_cons(), y.as_cons()) else {
                    ops.push(Op::Pair(x, y, exact));
                    return Shallow::Pushed;
                };
                if ha.raw() != hb.raw() {
                    if let (Some(p), Some(q)) = (ha.as_small(), hb.as_small()) {
                        return Done(p.cmp(&q));
                    }
                    let atoms = (ha.as_atom(), hb.as_atom());
                    let same_atoms = match atoms {
                        (Some(p), Some(q)) => match cmp_atoms(p, q) {
                            Ordering::Equal => true,
                            o => return Done(o),
                        },
                        _ => false,
                    };
                    if !same_atoms {
                        ops.push(Op::Pair(ta, tb, exact));
                        ops.push(Op::Pair(ha, hb, exact));
                        return Shallow::Pushed;
                    }
                }
                if ta.raw() == tb.raw() {
                    return Done(Ordering::Equal);
                }
                x = ta;
                y = tb;
            }
        }
        (TermView::Tuple(xs), TermView::Tuple(ys)) => {
            if xs.len() != ys.len() {
                return Done(xs.len().cmp(&ys.len()));
            }
            match cmp_slices(ops, xs, ys, 0, exact, a, b, ElemKind::Tuple) {
                Some(o) => Done(o),
                None => Shallow::Pushed,
            }
        }
        (TermView::Map(ma), TermView::Map(mb)) => {
            if let (MapView::Node { .. }, MapView::Node { .. }) = (ma, mb) {
                // Inner HAMT nodes (only from `hamt_eq_nodes`).
                return hamt_eq_nodes(ma, mb, exact, ops);
            }
            let sa = map_size(ma);
            let sb = map_size(mb);
            if sa != sb {
                return Done(sa.cmp(&sb));
            }
            match (ma, mb) {
                (
                    MapView::Flat {
                        keys: ka,
                        values: va,
                        ..
                    },
                    MapView::Flat {
                        keys: kb,
                        values: vb,
                        ..
                    },
                ) => {
                    // Keys (exactly) first, then values. The values op is
                    // pushed first so that it runs after any key pairs.
                    ops.push(Op::Elems {
                        a,
                        b,
                        i: 0,
                        exact,
                        kind: ElemKind::FlatValues,
                    });
                    match cmp_slices(ops, ka, kb, 0, true, a, b, ElemKind::FlatKeys) {
                        Some(Ordering::Equal) => {
                            // Nothing was pushed: continue with the values
                            // right away.
                            let _ = ops.pop();
                            match cmp_slices(ops, va, vb, 0, exact, a, b, ElemKind::FlatValues) {
                                Some(o) => Done(o),
                                None => Shallow::Pushed,
                            }
                        }
                        None => Shallow::Pushed,
                        Some(o) => Done(o),
                    }
                }
                (MapView::Flat { .. }, _) | (_, MapView::Flat { .. }) => {
                    // Same size but different representations cannot
                    // happen for canonical maps; order flat first.
                    Done(if matches!(ma, MapView::Flat { .. }) {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    })
                }
                _ => {
                    if sa == 0 {
                        Done(Ordering::Equal)
                    } else if eq_only {
                        // Equal maps have identical tries (equal keys hash
                        // alike): compare node by node.
                        hamt_eq_nodes(ma, mb, exact, ops)
                    } else {
                        Shallow::Hashmaps
                    }
                }
            }
        }
        (TermView::Float(x), TermView::Float(y)) => Done(cmp_f64(*x, *y)),
        (
            TermView::Big {
                neg: an,
                digits: ad,
            },
            TermView::Big {
                neg: bn,
                digits: bd,
            },
        ) => Done(cmp_big(*an, ad, *bn, bd)),
        (TermView::Binary(x), TermView::Binary(y)) => {
            if eq_only && x.bit_size != y.bit_size {
                return Done(x.bit_size.cmp(&y.bit_size));
            }
            Done(cmp_bits(x, y))
        }
        (TermView::Fun(f1), TermView::Fun(f2)) => {
            let o = cmp_atoms(f1.module, f2.module)
                .then(ord((f1.index as i32).wrapping_sub(f2.index as i32) as i64))
                .then(ord(
                    (f1.old_uniq as i32).wrapping_sub(f2.old_uniq as i32) as i64
                ))
                .then(f1.env.len().cmp(&f2.env.len()));
            if o != Ordering::Equal {
                return Done(o);
            }
            match cmp_slices(ops, f1.env, f2.env, 0, exact, a, b, ElemKind::Env) {
                Some(o) => Done(o),
                None => Shallow::Pushed,
            }
        }
        (
            TermView::Export {
                module: m1,
                function: f1,
                arity: a1,
            },
            TermView::Export {
                module: m2,
                function: f2,
                arity: a2,
            },
        ) => Done(
            cmp_atoms(*m1, *m2)
                .then(cmp_atoms(*f1, *f2))
                .then(a1.cmp(a2)),
        ),
        (TermView::Fun(_), TermView::Export { .. }) => Done(Ordering::Less),
        (TermView::Export { .. }, TermView::Fun(_)) => Done(Ordering::Greater),
        _ => {
            if let (Some(x), Some(y)) = (pid_parts(&va), pid_parts(&vb)) {
                return Done(
                    x.1.cmp(&y.1)
                        .then(x.0.cmp(&y.0))
                        .then(cmp_nodes(x.2, y.2).unwrap_or(Ordering::Equal)),
                );
            }
            if let (Some(x), Some(y)) = (port_parts(&va), port_parts(&vb)) {
                return Done(cmp_nodes(x.1, y.1).unwrap_or_else(|| x.0.cmp(&y.0)));
            }
            if let (Some(x), Some(y)) = (ref_parts(&va), ref_parts(&vb)) {
                return Done(cmp_nodes(x.1, y.1).unwrap_or_else(|| cmp_ref_numbers(x.0, y.0)));
            }
            Done(mixed(&va, &vb, exact))
        }
    }
}

/// Equality-only comparison of two HAMT nodes: same bitmaps, then the
/// children pairwise (leaf keys exactly, values in the current mode).
fn hamt_eq_nodes(ma: &MapView<'_>, mb: &MapView<'_>, exact: bool, ops: &mut Ops) -> Shallow {
    let parts = |m: &MapView<'_>| -> Option<(u16, Vec<Term>)> {
        match *m {
            MapView::HeadArray { children, .. } => Some((0xffff, children.to_vec())),
            MapView::HeadBitmap {
                bitmap, children, ..
            }
            | MapView::Node { bitmap, children } => Some((bitmap, children.to_vec())),
            MapView::Flat { .. } => None,
        }
    };
    let (Some((ba, ca)), Some((bb, cb))) = (parts(ma), parts(mb)) else {
        return Shallow::Done(Ordering::Less);
    };
    if ba != bb || ca.len() != cb.len() {
        return Shallow::Done(ba.cmp(&bb).then(Ordering::Less));
    }
    for (x, y) in ca.iter().zip(cb.iter()).rev() {
        match (x.as_cons(), y.as_cons()) {
            (Some((kx, vx)), Some((ky, vy))) => {
                if vx.raw() != vy.raw() {
                    ops.push(Op::Pair(vx, vy, exact));
                }
                if kx.raw() != ky.raw() {
                    ops.push(Op::Pair(kx, ky, true));
                }
            }
            (None, None) => ops.push(Op::Pair(*x, *y, exact)),
            _ => return Shallow::Done(Ordering::Less),
        }
    }
    Shallow::Pushed
}

fn map_size(m: &MapView<'_>) -> usize {
    match m {
        MapView::Flat { keys, .. } => keys.len(),
        MapView::HeadArray { size, .. } | MapView::HeadBitmap { size, .. } => *size,
        MapView::Node { .. } => 0,
    }
}

/// (number, serial, node) of a pid.
fn pid_parts(v: &TermView<'_>) -> Option<(u32, u32, (Atom, u32))> {
    match *v {
        TermView::LocalPid { number, serial } => Some((number, serial, this_node())),
        TermView::ExternalPid {
            node,
            creation,
            number,
            serial,
        } => Some((number, serial, (node, creation))),
        _ => None,
    }
}

/// (number, node) of a port.
fn port_parts(v: &TermView<'_>) -> Option<(u64, (Atom, u32))> {
    match *v {
        TermView::LocalPort(n) => Some((n, this_node())),
        TermView::ExternalPort { node, creation, id } => Some((id, (node, creation))),
        _ => None,
    }
}

/// (numbers, node) of a reference.
fn ref_parts<'a>(v: &TermView<'a>) -> Option<(&'a [u32], (Atom, u32))> {
    match *v {
        TermView::LocalRef(ns) => Some((ns, this_node())),
        TermView::ExternalRef {
            node,
            creation,
            numbers,
        } => Some((numbers, (node, creation))),
        _ => None,
    }
}

/// Mixed-type comparison (`mixed_types:` in `erts_cmp`).
fn mixed(va: &TermView<'_>, vb: &TermView<'_>, exact: bool) -> Ordering {
    match (va, vb) {
        (TermView::Small(_), TermView::Big { neg, .. }) => {
            return if *neg {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (TermView::Big { neg, .. }, TermView::Small(_)) => {
            return if *neg {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        _ => {}
    }
    if !exact {
        match (va, vb) {
            (TermView::Small(i), TermView::Float(f)) => return cmp_i64_f64(*i, *f),
            (TermView::Float(f), TermView::Small(i)) => return cmp_i64_f64(*i, *f).reverse(),
            (TermView::Big { neg, digits }, TermView::Float(f)) => {
                return cmp_big_f64(*neg, digits, *f)
            }
            (TermView::Float(f), TermView::Big { neg, digits }) => {
                return cmp_big_f64(*neg, digits, *f).reverse()
            }
            _ => {}
        }
    }
    // j = b_tag - a_tag
    type_def(vb).cmp(&type_def(va))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_float() {
        assert_eq!(cmp_i64_f64(1, 1.0), Ordering::Equal);
        assert_eq!(cmp_i64_f64(1, 1.5), Ordering::Less);
        assert_eq!(cmp_i64_f64(-1, -1.5), Ordering::Greater);
        assert_eq!(
            cmp_i64_f64((1 << 53) + 1, (1u64 << 53) as f64),
            Ordering::Greater
        );
        assert_eq!(cmp_i64_f64(i64::MAX, 9.3e18), Ordering::Less);
        assert_eq!(cmp_i64_f64(0, -0.0), Ordering::Equal);
    }

    #[test]
    fn big_float() {
        // 2^64 vs 2^64.0
        assert_eq!(
            cmp_big_f64(false, &[0, 1], 18_446_744_073_709_551_616.0),
            Ordering::Equal
        );
        assert_eq!(
            cmp_big_f64(false, &[1, 1], 18_446_744_073_709_551_616.0),
            Ordering::Greater
        );
        assert_eq!(
            cmp_big_f64(true, &[0, 1], -18_446_744_073_709_551_616.0),
            Ordering::Equal
        );
        assert_eq!(
            cmp_big_f64(true, &[1, 1], -18_446_744_073_709_551_616.0),
            Ordering::Less
        );
        assert_eq!(
            cmp_big_f64(false, &[1 << 60], (1u64 << 60) as f64),
            Ordering::Equal
        );
        assert_eq!(
            cmp_big_f64(false, &[(1 << 60) + 1], (1u64 << 60) as f64),
            Ordering::Greater
        );
        assert_eq!(cmp_big_f64(false, &[1 << 60], 1.0e300), Ordering::Less);
        assert_eq!(cmp_big_f64(true, &[1 << 60], 1.0), Ordering::Less);
    }

    #[test]
    fn refs() {
        assert_eq!(cmp_ref_numbers(&[1, 2, 0], &[1, 2]), Ordering::Equal);
        assert_eq!(cmp_ref_numbers(&[1, 2, 1], &[1, 2]), Ordering::Greater);
        assert_eq!(cmp_ref_numbers(&[2, 1], &[1, 2]), Ordering::Less);
    }
}
