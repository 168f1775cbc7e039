//! GC stress test: builds random term graphs of every kind on a process
//! heap, runs thousands of minor and major collections with random subsets
//! of roots (x registers, stack, attached message fragments, literals), and
//! checks after each collection that the surviving terms are structurally
//! equal to a Rust-side model taken when they were built. Also checks that
//! off-heap binaries are released once unreachable.
//!
//! Run with `cargo test --features verify-heap --test gc_stress` to verify
//! every heap after every GC as well.

mod support;
use oxbeam::atom::Atom;
use oxbeam::heap::{copy, GcOptions, Heap, HeapBuilder, HeapFragment, LiteralArea, OffHeapBinary};
use oxbeam::term::{FunDesc, MapView, Term, TermView};
use std::sync::{Arc, Weak};

use support::Rng;

/// Rust-side model of a term.
#[derive(Clone, Debug, PartialEq)]
enum M {
    Imm(u64),
    Big(bool, Vec<u64>),
    Float(u64),
    Bin(Vec<u8>, u64),
    Tuple(Vec<M>),
    List(Vec<M>, Box<M>),
    Flat(Vec<M>, Vec<M>),
    Hamt(u8, u16, usize, Vec<M>),
    Fun(u32, u32, u32, u32, [u8; 16], Box<M>, Vec<M>),
    Export(u32, u32, u32),
    Ref(Vec<u32>),
    ExtPid(u32, u32, u32, u32),
    ExtPort(u32, u32, u64),
    ExtRef(u32, u32, Vec<u32>),
    Match(Box<M>, u64, u64),
}

fn model(t: Term) -> M {
    match t.view() {
        TermView::Small(_)
        | TermView::Atom(_)
        | TermView::Nil
        | TermView::LocalPid { .. }
        | TermView::LocalPort(_)
        | TermView::Catch(_) => M::Imm(t.raw()),
        TermView::Cons(..) => {
            let mut it = t.iter_list();
            let elems: Vec<M> = it.by_ref().map(model).collect();
            M::List(elems, Box::new(model(it.tail())))
        }
        TermView::Tuple(es) => M::Tuple(es.iter().map(|e| model(*e)).collect()),
        TermView::Big { neg, digits } => M::Big(neg, digits.to_vec()),
        TermView::Float(f) => M::Float(f.to_bits()),
        TermView::Binary(b) => M::Bin(b.to_bytes(), b.bit_size),
        TermView::LocalRef(ns) => M::Ref(ns.to_vec()),
        TermView::ExternalPid {
            node,
            creation,
            number,
            serial,
        } => M::ExtPid(node.index(), creation, number, serial),
        TermView::ExternalPort { node, creation, id } => M::ExtPort(node.index(), creation, id),
        TermView::ExternalRef {
            node,
            creation,
            numbers,
        } => M::ExtRef(node.index(), creation, numbers.to_vec()),
        TermView::Map(MapView::Flat { keys, values, .. }) => M::Flat(
            keys.iter().map(|k| model(*k)).collect(),
            values.iter().map(|v| model(*v)).collect(),
        ),
        TermView::Map(MapView::HeadArray { size, children }) => M::Hamt(
            2,
            0xffff,
            size,
            children.iter().map(|c| model(*c)).collect(),
        ),
        TermView::Map(MapView::HeadBitmap {
            size,
            bitmap,
            children,
        }) => M::Hamt(
            3,
            bitmap,
            size,
            children.iter().map(|c| model(*c)).collect(),
        ),
        TermView::Map(MapView::Node { bitmap, children }) => {
            M::Hamt(1, bitmap, 0, children.iter().map(|c| model(*c)).collect())
        }
        TermView::Fun(c) => M::Fun(
            c.module.index(),
            c.index,
            c.arity,
            c.old_uniq,
            c.uniq,
            Box::new(model(c.creator)),
            c.env.iter().map(|e| model(*e)).collect(),
        ),
        TermView::Export {
            module,
            function,
            arity,
        } => M::Export(module.index(), function.index(), arity),
        TermView::MatchState(m) => M::Match(Box::new(model(m.orig)), m.offset, m.end),
        TermView::NonValue(w) => panic!("non-value {w:#x} reachable"),
    }
}

/// Model of `[head | tail]`, normalised like `model` does for lists.
fn cons_model(head: M, tail: M) -> M {
    match tail {
        M::List(mut es, t) => {
            es.insert(0, head);
            M::List(es, t)
        }
        other => M::List(vec![head], Box::new(other)),
    }
}

/// Model of the list `elems ++ tail`.
fn list_model(elems: Vec<M>, tail: M) -> M {
    if elems.is_empty() {
        tail
    } else {
        cons_model_list(elems, tail)
    }
}

fn cons_model_list(elems: Vec<M>, tail: M) -> M {
    match tail {
        M::List(es, t) => M::List(elems.into_iter().chain(es).collect(), t),
        other => M::List(elems, Box::new(other)),
    }
}

/// Panics with a short description of the first difference.
fn assert_same(got: &M, want: &M, what: &str) {
    if got != want {
        let g = format!("{got:?}");
        let w = format!("{want:?}");
        let i = g.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count();
        let from = i.saturating_sub(80);
        panic!(
            "{what}: models differ at char {i}:\n got  ...{}\n want ...{}",
            &g[from..(i + 120).min(g.len())],
            &w[from..(i + 120).min(w.len())]
        );
    }
}

/// A live root: the term and its model, node count and depth.
#[derive(Clone)]
struct Root {
    model: M,
    nodes: usize,
    depth: usize,
}

struct World {
    rng: Rng,
    heap: Heap,
    /// x registers (live terms) and their models.
    xs: Vec<Term>,
    xm: Vec<Root>,
    /// Models of the stack slots (the stack itself lives in the heap).
    stack_m: Vec<Option<Root>>,
    literals: Vec<(Term, Root)>,
    weak_bins: Vec<Weak<OffHeapBinary>>,
    gcs: usize,
    checks: usize,
}

const MAX_NODES: usize = 1500;
const MAX_DEPTH: usize = 40;

fn leaf(model: M) -> Root {
    Root {
        model,
        nodes: 1,
        depth: 1,
    }
}

impl World {
    fn new(seed: u64, opts: GcOptions) -> World {
        World {
            rng: Rng(seed | 1),
            heap: Heap::with_options(opts),
            xs: Vec::new(),
            xm: Vec::new(),
            stack_m: Vec::new(),
            literals: Vec::new(),
            weak_bins: Vec::new(),
            gcs: 0,
            checks: 0,
        }
    }

    /// Picks up to `n` child terms (by x index) small enough to nest.
    fn pick_children(&mut self, n: usize) -> Vec<usize> {
        let mut v = Vec::new();
        if self.xs.is_empty() {
            return v;
        }
        for _ in 0..n {
            let i = self.rng.below(self.xs.len());
            if self.xm[i].nodes < MAX_NODES / 4 && self.xm[i].depth < MAX_DEPTH {
                v.push(i);
            }
        }
        v
    }

    fn child_term(&mut self, ix: Option<usize>, lit: bool) -> (Term, Root) {
        if lit && !self.literals.is_empty() && self.rng.chance(20) {
            let k = self.rng.below(self.literals.len());
            return self.literals[k].clone();
        }
        match ix {
            Some(i) => (self.xs[i], self.xm[i].clone()),
            None => {
                let v = self.rng.below(1000) as i64 - 500;
                (
                    Term::small(v).unwrap(),
                    leaf(M::Imm(Term::small(v).unwrap().raw())),
                )
            }
        }
    }

    fn roots_gc(&mut self, major: bool) {
        let mut lits: Vec<Term> = self.literals.iter().map(|l| l.0).collect();
        let mut roots: [&mut [Term]; 2] = [&mut self.xs[..], &mut lits[..]];
        if major {
            self.heap.major_gc(0, &mut roots);
        } else {
            self.heap.gc(0, &mut roots);
        }
        self.gcs += 1;
    }

    fn reserve(&mut self, words: usize) {
        let mut roots: [&mut [Term]; 1] = [&mut self.xs[..]];
        if self.heap.need(words, &mut roots) {
            self.gcs += 1;
        }
    }

    /// Builds one random term onto the heap (possibly spilling into a
    /// fragment) and pushes it as a new x register.
    fn build_random(&mut self) {
        let n = 1 + self.rng.below(4);
        let kids = self.pick_children(n);
        // Reserve sometimes (ERTS style); otherwise allow spilling.
        if self.rng.chance(70) {
            let est = 40 + kids.len() * 8;
            self.reserve(est);
        }
        let kind = self.rng.below(22);
        let (t, r) = self.build_kind(kind, &kids);
        self.xs.push(t);
        self.xm.push(r);
    }
}

fn compose(parts: &[Root], make: impl FnOnce(Vec<M>) -> M) -> Root {
    let nodes = 1 + parts.iter().map(|p| p.nodes).sum::<usize>();
    let depth = 1 + parts.iter().map(|p| p.depth).max().unwrap_or(0);
    Root {
        model: make(parts.iter().map(|p| p.model.clone()).collect()),
        nodes,
        depth,
    }
}

impl World {
    fn build_kind(&mut self, kind: usize, kids: &[usize]) -> (Term, Root) {
        let children: Vec<(Term, Root)> = kids
            .iter()
            .map(|&i| self.child_term(Some(i), true))
            .collect();
        let cterms: Vec<Term> = children.iter().map(|c| c.0).collect();
        let croots: Vec<Root> = children.iter().map(|c| c.1.clone()).collect();
        let World {
            heap: h,
            rng,
            weak_bins,
            ..
        } = self;
        match kind {
            0 => {
                let t = h.tuple(&cterms);
                (t, compose(&croots, M::Tuple))
            }
            1 => {
                let t = h.list_from(&cterms, Term::NIL);
                (
                    t,
                    compose(&croots, |v| list_model(v, M::Imm(Term::NIL.raw()))),
                )
            }
            2 => {
                // Long list of small integers ending in an improper tail.
                let n = rng.below(200);
                let elems: Vec<Term> = (0..n).map(|i| Term::small(i as i64).unwrap()).collect();
                let t = h.list_from(&elems, Term::OK);
                let ms = elems.iter().map(|e| M::Imm(e.raw())).collect();
                (
                    t,
                    Root {
                        model: list_model(ms, M::Imm(Term::OK.raw())),
                        nodes: n + 1,
                        depth: 2,
                    },
                )
            }
            3 => {
                let v = (rng.next() as i128) << rng.below(64);
                let t = h.integer_from_i128(if rng.chance(50) { -v } else { v });
                (t, leaf(model(t)))
            }
            4 => {
                let f = (rng.next() % 1_000_000) as f64 / 7.0;
                let t = h.float(f);
                (t, leaf(M::Float(f.to_bits())))
            }
            5 => {
                let n = rng.below(64);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                let t = h.binary(&bytes);
                (t, leaf(M::Bin(bytes, n as u64 * 8)))
            }
            6 => {
                let n = 65 + rng.below(2000);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                let arc = OffHeapBinary::new(bytes.clone());
                weak_bins.push(Arc::downgrade(&arc));
                let t = h.refc_binary(arc);
                (t, leaf(M::Bin(bytes, n as u64 * 8)))
            }
            7 => {
                // Sub binary of an existing bitstring child, if any.
                for (ct, _) in &children {
                    if let Some(b) = ct.as_binary() {
                        if b.bit_size > 0 {
                            let off = rng.next() % b.bit_size;
                            let len = rng.next() % (b.bit_size - off + 1);
                            let t = h.sub_binary(*ct, off, len).unwrap();
                            return (t, leaf(model(t)));
                        }
                    }
                }
                let t = h.bitstring(&[0xAB, 0xCD, 0xEF], 20).unwrap();
                (t, leaf(M::Bin(vec![0xAB, 0xCD, 0xE0], 20)))
            }
            8 => {
                let mut keys: Vec<i64> = (0..cterms.len()).map(|i| i as i64 * 3).collect();
                keys.dedup();
                let kt: Vec<Term> = keys.iter().map(|k| Term::small(*k).unwrap()).collect();
                let t = h.flatmap_from(&kt, &cterms).unwrap();
                let km: Vec<M> = kt.iter().map(|k| M::Imm(k.raw())).collect();
                (t, compose(&croots, |v| M::Flat(km, v)))
            }
            9 => {
                // A small HAMT: head -> node -> leaves.
                let mut leaves = Vec::new();
                let mut lroots = Vec::new();
                for (i, (ct, cr)) in children.iter().enumerate() {
                    let k = Term::small(i as i64).unwrap();
                    leaves.push(h.cons(k, *ct));
                    lroots.push(Root {
                        model: cons_model(M::Imm(k.raw()), cr.model.clone()),
                        nodes: cr.nodes + 1,
                        depth: cr.depth + 1,
                    });
                }
                if leaves.is_empty() {
                    let k = Term::small(0).unwrap();
                    leaves.push(h.cons(k, k));
                    lroots.push(leaf(M::List(
                        vec![M::Imm(k.raw())],
                        Box::new(M::Imm(k.raw())),
                    )));
                }
                let bm: u16 = ((1u32 << leaves.len()) - 1) as u16;
                let node = h.hamt_node(bm, &leaves).unwrap();
                let nroot = compose(&lroots, |v| M::Hamt(1, bm, 0, v));
                if rng.chance(50) {
                    let arr: Vec<Term> = (0..16).map(|_| node).collect();
                    let t = h.hamt_head(16 * leaves.len(), 0xffff, &arr).unwrap();
                    let parts: Vec<Root> = (0..16).map(|_| nroot.clone()).collect();
                    (
                        t,
                        compose(&parts, |v| M::Hamt(2, 0xffff, 16 * lroots.len(), v)),
                    )
                } else {
                    let t = h.hamt_head(leaves.len(), 0b100, &[node]).unwrap();
                    (t, compose(&[nroot], |v| M::Hamt(3, 0b100, lroots.len(), v)))
                }
            }
            10 => {
                let desc = FunDesc {
                    module: Atom::intern("stress_mod").unwrap(),
                    index: rng.below(100) as u32,
                    arity: rng.below(5) as u32,
                    old_index: 1,
                    old_uniq: rng.next() as u32,
                    uniq: [rng.next() as u8; 16],
                    creator: Term::pid(5, 1).unwrap(),
                };
                let t = h.closure(&desc, &cterms).unwrap();
                let creator = Box::new(M::Imm(desc.creator.raw()));
                (
                    t,
                    compose(&croots, |v| {
                        M::Fun(
                            desc.module.index(),
                            desc.index,
                            desc.arity,
                            desc.old_uniq,
                            desc.uniq,
                            creator,
                            v,
                        )
                    }),
                )
            }
            11 => {
                let m = Atom::intern("lists").unwrap();
                let f = Atom::intern("map").unwrap();
                let t = h.export(m, f, 2).unwrap();
                (t, leaf(M::Export(m.index(), f.index(), 2)))
            }
            12 => {
                let ns = [rng.next() as u32, rng.next() as u32, rng.next() as u32];
                let t = h.local_ref(&ns).unwrap();
                (t, leaf(M::Ref(ns.to_vec())))
            }
            13 => {
                let node = Atom::intern("other@host").unwrap();
                let t = h.external_pid(node, 7, 33, 2);
                (t, leaf(M::ExtPid(node.index(), 7, 33, 2)))
            }
            14 => {
                let node = Atom::intern("other@host").unwrap();
                let t = h.external_port(node, 7, 1 << 33);
                (t, leaf(M::ExtPort(node.index(), 7, 1 << 33)))
            }
            15 => {
                let node = Atom::intern("other@host").unwrap();
                let t = h.external_ref(node, 9, &[1, 2, 3, 4, 5]).unwrap();
                (t, leaf(M::ExtRef(node.index(), 9, vec![1, 2, 3, 4, 5])))
            }
            16 => {
                for (ct, _) in &children {
                    if ct.is_bitstring() {
                        let t = h.match_state(*ct, 2).unwrap();
                        return (t, leaf(model(t)));
                    }
                }
                let t = h.cons(Term::NIL, Term::NIL);
                (t, leaf(model(t)))
            }
            17 => {
                // Deep cons chain of children (improper).
                let mut t = Term::ERROR;
                let mut parts = Vec::new();
                for (ct, cr) in &children {
                    t = h.cons(*ct, t);
                    parts.push(cr.clone());
                }
                let r = Root {
                    model: model(t),
                    nodes: 1 + parts.iter().map(|p| p.nodes).sum::<usize>(),
                    depth: 1 + parts.iter().map(|p| p.depth).max().unwrap_or(0),
                };
                (t, r)
            }
            18 => {
                // A message: copy a child into a fresh fragment and attach it.
                let mut frag = HeapFragment::new();
                let t = if let Some((ct, _)) = children.first() {
                    copy(*ct, &mut frag)
                } else {
                    frag.tuple(&[Term::OK])
                };
                let r = match children.first() {
                    Some((_, cr)) => cr.clone(),
                    None => leaf(model(t)),
                };
                h.attach_fragment(frag);
                (t, r)
            }
            19 => {
                // Copy within the heap (copy loses sharing, model stays equal).
                match children.first() {
                    Some((ct, cr)) => (h.copy_term(*ct), cr.clone()),
                    None => {
                        let t = h.tuple(&[]);
                        (t, leaf(M::Tuple(vec![])))
                    }
                }
            }
            _ => {
                let s = rng.below(100) as i64;
                let t = Term::small(s).unwrap();
                let t = h.tuple(&[t, Term::atom(Atom::intern("tag").unwrap())]);
                (t, leaf(model(t)))
            }
        }
    }

    fn check_some(&mut self, all: bool) {
        let n = self.xs.len();
        let k = if all { n } else { n.min(4) };
        for j in 0..k {
            let i = if all { j } else { self.rng.below(n) };
            let got = model(self.xs[i]);
            assert_same(
                &got,
                &self.xm[i].model,
                &format!("x{i} after {} GCs", self.gcs),
            );
            self.checks += 1;
        }
        let stack: Vec<Term> = self.heap.stack().to_vec();
        for (i, sm) in self.stack_m.iter().rev().enumerate() {
            if let Some(r) = sm {
                if all || i < 2 {
                    assert_same(&model(stack[i]), &r.model, &format!("stack slot {i}"));
                }
            } else {
                assert!(stack[i].cp_value().is_some(), "CP on stack changed");
            }
        }
        for (t, r) in &self.literals {
            assert_same(&model(*t), &r.model, "literal");
        }
    }

    fn step(&mut self) {
        match self.rng.below(100) {
            0..=54 => self.build_random(),
            55..=69 => {
                // Drop a random root.
                if !self.xs.is_empty() {
                    let i = self.rng.below(self.xs.len());
                    self.xs.swap_remove(i);
                    self.xm.swap_remove(i);
                }
            }
            70..=79 => {
                self.roots_gc(false);
                self.check_some(false);
            }
            80..=82 => {
                self.roots_gc(true);
                self.check_some(false);
            }
            83..=88 => {
                // Move an x register onto the stack, or a CP.
                self.reserve(2);
                if self.rng.chance(20) {
                    if self
                        .heap
                        .stack_push(Term::cp(self.rng.below(1 << 20) as u64).unwrap())
                    {
                        self.stack_m.push(None);
                    }
                } else if let Some(t) = self.xs.pop() {
                    let r = self.xm.pop().unwrap();
                    if self.heap.stack_push(t) {
                        self.stack_m.push(Some(r));
                    }
                }
            }
            89..=93 => {
                // Pop the stack into an x register.
                if let Some(t) = self.heap.stack_pop() {
                    match self.stack_m.pop().unwrap() {
                        Some(r) => {
                            self.xs.push(t);
                            self.xm.push(r);
                        }
                        None => assert!(t.cp_value().is_some()),
                    }
                }
            }
            _ => {
                // Keep the live set bounded.
                while self.xs.len() > 60 {
                    let i = self.rng.below(self.xs.len());
                    self.xs.swap_remove(i);
                    self.xm.swap_remove(i);
                }
            }
        }
    }
}

fn make_literals(w: &mut World) -> LiteralArea {
    let mut f = HeapFragment::new();
    let bin = f.binary(&[9u8; 500]);
    let a = f.tuple(&[Term::OK, bin]);
    let l = f.list_from(&[a, a, Term::small(3).unwrap()], Term::NIL);
    let big = f.integer_from_i128(-(1i128 << 90));
    for t in [a, l, big, bin] {
        let r = Root {
            model: model(t),
            nodes: 10,
            depth: 4,
        };
        w.literals.push((t, r));
    }
    LiteralArea::new(f)
}

fn run(seed: u64, opts: GcOptions, steps: usize) -> World {
    let mut w = World::new(seed, opts);
    let area = make_literals(&mut w);
    for s in 0..steps {
        w.step();
        if s % 500 == 499 {
            w.roots_gc(false);
            w.check_some(true);
        }
    }
    w.roots_gc(false);
    w.check_some(true);
    w.roots_gc(true);
    w.check_some(true);
    // Everything unreachable: all off-heap binaries must be released.
    w.xs.clear();
    w.xm.clear();
    while w.heap.stack_pop().is_some() {}
    w.stack_m.clear();
    w.literals.clear();
    w.roots_gc(true);
    assert_eq!(w.heap.used_words(), 0);
    for (i, wb) in w.weak_bins.iter().enumerate() {
        assert_eq!(wb.strong_count(), 0, "binary {i} still referenced");
    }
    drop(area);
    eprintln!(
        "seed {seed:#x}: {:?}, {} model checks, {} binaries",
        w.heap.stats(),
        w.checks,
        w.weak_bins.len()
    );
    w
}

#[test]
fn stress_default_options() {
    let w = run(0x1234_5678, GcOptions::default(), 30_000);
    let s = w.heap.stats();
    assert!(s.minor_gcs > 1000, "minor GCs: {}", s.minor_gcs);
    assert!(s.major_gcs > 100, "major GCs: {}", s.major_gcs);
    assert!(w.checks > 1000);
}

#[test]
fn stress_frequent_fullsweep() {
    let w = run(
        0xdead_beef,
        GcOptions {
            fullsweep_after: 3,
            ..GcOptions::default()
        },
        20_000,
    );
    assert!(w.heap.stats().major_gcs > 500);
}

#[test]
fn stress_no_generations() {
    let w = run(
        42,
        GcOptions {
            fullsweep_after: 0,
            min_heap_size: 12,
        },
        10_000,
    );
    assert_eq!(w.heap.stats().minor_gcs, 0);
}

#[test]
fn stress_large_min_heap() {
    run(
        7,
        GcOptions {
            min_heap_size: 10_000,
            fullsweep_after: 20,
        },
        10_000,
    );
}

#[test]
fn unreachable_binaries_released_after_minor_and_major() {
    let mut h = Heap::new();
    let mut weaks = Vec::new();
    let mut keep = Vec::new();
    for i in 0..200 {
        let arc = OffHeapBinary::new(vec![i as u8; 100]);
        weaks.push(Arc::downgrade(&arc));
        let t = h.refc_binary(arc);
        if i % 2 == 0 {
            keep.push(t);
        }
        let mut roots: [&mut [Term]; 1] = [&mut keep[..]];
        h.need(10, &mut roots);
    }
    let mut roots: [&mut [Term]; 1] = [&mut keep[..]];
    h.gc(0, &mut roots);
    for (i, w) in weaks.iter().enumerate() {
        assert_eq!(
            w.strong_count(),
            if i % 2 == 0 { 1 } else { 0 },
            "binary {i}"
        );
    }
    keep.truncate(10);
    let mut roots: [&mut [Term]; 1] = [&mut keep[..]];
    h.major_gc(0, &mut roots);
    let live = weaks.iter().filter(|w| w.strong_count() > 0).count();
    assert_eq!(live, 10);
    assert_eq!(h.off_heap_count(), 10);
}
