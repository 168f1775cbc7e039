//! Robustness stress test: every BIF of `bifs/bif.tab` is called with
//! seeded random arguments drawn from a corpus of terms of every kind
//! (bignums, floats, atoms, proper/improper/deep/char lists, tuples,
//! flatmaps and HAMT maps, heap/refc/sub/unaligned binaries, funs, pids,
//! refs, ports) plus "almost right" arguments: argument vectors that a BIF
//! accepted are mutated one position at a time.
//!
//! Every call must return a value or an Erlang exception: a Rust panic,
//! a hang (watchdog), or an invalid result fails the test. Results are
//! checked by encoding them with the ETF encoder, decoding them back and
//! comparing; after each BIF's batch the heap is verified, collected, and
//! the corpus is checked to be unchanged (no BIF may mutate its
//! arguments).
//!
//! Run with `cargo test --release --test bif_badcall` (and with
//! `--features verify-heap` to verify the heap after every GC too). Set
//! `OXBEAM_BADCALL_ONLY=name1,name2` to run some BIFs only and
//! `OXBEAM_BADCALL_TRACE=1` to print every call before it is made.

mod support;
use oxbeam::atom::Atom;
use oxbeam::bif::{BifErr, BIF_DECLS};
use oxbeam::etf::{self, DecodeOptions, EncodeOptions};
use oxbeam::heap::{HeapBuilder, HeapFragment, OffHeapBinary};
use oxbeam::process::Process;
use oxbeam::term::map::{self, Duplicates};
use oxbeam::term::{FunDesc, Term};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Seed of the argument generator: failures must reproduce.
const SEED: u64 = 0x0b_ad_ca_11;
/// Random argument vectors per BIF of arity >= 2.
const RANDOM_CALLS: usize = 2000;
/// Accepted argument vectors kept per BIF as seeds for mutation.
const SEEDS: usize = 12;
/// Seeds (the first accepted vectors) mutated at each position with every
/// corpus term; the later ones get [`MUTATIONS`] random replacements.
const EXHAUSTIVE_SEEDS: usize = 3;
/// Random mutations of each later seed at each argument position.
const MUTATIONS: usize = 40;
/// Panics recorded per BIF before it is given up.
const MAX_PANICS_PER_BIF: usize = 3;
/// A call that makes no progress for this long is a hang.
const HANG: Duration = Duration::from_secs(60);

/// BIFs not called, with the reason.
const SKIP: &[(&str, &str, u8, &str)] = &[
    // `$oxbeam_missing_bif` is the undef placeholder, not an Erlang BIF.
    (
        "erlang",
        "$oxbeam_missing_bif",
        0,
        "internal undef placeholder",
    ),
    // These collect the calling process's heap, where this harness keeps
    // its corpus outside the GC roots; their bad-argument behaviour is
    // compared with stock by tests/erlang/gc_bifs.erl.
    ("erlang", "garbage_collect", 0, GC_SELF),
    ("erlang", "garbage_collect", 1, GC_SELF),
    ("erlang", "garbage_collect", 2, GC_SELF),
    ("erts_internal", "garbage_collect", 1, GC_SELF),
];

/// Why the garbage_collect BIFs are skipped.
const GC_SELF: &str = "collects the caller's heap (corpus is not a root)";

/// BIFs whose only effect is writing their argument to stdout/stderr: called
/// once per corpus term, not with random combinations (the output is noise).
const PRINTING: &[&str] = &["display", "display_string"];

use support::Rng;

fn atom(s: &str) -> Term {
    Term::atom(Atom::intern(s).expect("atom"))
}

fn small(v: i64) -> Term {
    Term::small(v).expect("small")
}

/// The argument corpus, built on `p`'s heap.
fn build_corpus(p: &mut Process) -> Vec<Term> {
    let mut c: Vec<Term> = Vec::new();
    let h = &mut p.heap;

    // Integers: small, boundaries, sizes, code points, bignums.
    for v in [
        0i64,
        1,
        2,
        3,
        4,
        7,
        8,
        16,
        32,
        36,
        37,
        64,
        255,
        256,
        1000,
        65535,
        0xD800,
        0x10FFFF,
        0x110000,
        -1,
        -2,
        -8,
        -255,
        -65536,
        1 << 24,
        1 << 32,
        1 << 40,
        (1 << 59) - 1,
        -(1 << 59),
    ] {
        c.push(h.integer_from_i64(v));
    }
    c.push(h.integer_from_i128(1 << 59));
    c.push(h.integer_from_i128(-(1 << 59) - 1));
    c.push(h.integer_from_i128(1 << 64));
    c.push(h.integer_from_i128(-(1 << 64)));
    c.push(h.integer_from_i128(i64::MAX as i128));
    c.push(h.integer_from_i128((1 << 100) + 12345));
    let mut d = vec![0u64; 157];
    d[156] = 1 << 16; // 1 bsl 10000
    c.push(h.bignum(false, &d));
    c.push(h.bignum(true, &d));

    // Floats.
    for f in [
        0.0f64,
        -0.0,
        1.0,
        -1.5,
        0.5,
        2.5,
        3.0e10,
        1.0e308,
        -1.0e308,
        5.0e-324,
        1.0e-300,
        1.0e16,
        9007199254740993.0,
        std::f64::consts::PI,
    ] {
        c.push(h.float(f));
    }

    // Atoms: plain, option names, encodings, module and function names.
    for a in [
        "true",
        "false",
        "undefined",
        "",
        "ok",
        "error",
        "a",
        "b",
        "x",
        "ĳs_ünïcödé_☃",
        "latin1",
        "utf8",
        "unicode",
        "utf16",
        "utf32",
        "little",
        "big",
        "compressed",
        "safe",
        "used",
        "global",
        "trim",
        "trim_all",
        "short",
        "compact",
        "deterministic",
        "infinity",
        "backtrace_depth",
        "erlang",
        "lists",
        "maps",
        "binary",
        "reverse",
        "+",
        "module_info",
        "arity",
        "env",
        "name",
        "module",
        "type",
        "pid",
        "registered_name",
        "message_queue_len",
        "dictionary",
        "abort",
        "nonexistent_module_xyz",
        "local",
        "external",
    ] {
        c.push(atom(a));
    }

    // Lists.
    c.push(Term::NIL);
    for s in [
        "abc",
        "hello world",
        "123",
        "-42",
        "+7",
        "1.5",
        "-2.0e3",
        "1.0e400",
        "ff",
        "<0.1.0>",
        "<0.4294967296.0>",
        "<1.2.3>",
        "#Ref<0.1.2.3>",
        "#Ref<0.4294967296.2.3>",
        "#Port<0.5>",
        "ĳ☃",
        "/nonexistent/path",
        "OXBEAM_BADCALL_VAR",
        "A=B",
    ] {
        let t = h.charlist(s);
        c.push(t);
    }
    let ints = [1i64, 2, 3]
        .iter()
        .map(|v| small(*v))
        .collect::<Vec<Term>>();
    c.push(h.list_from(&ints, Term::NIL));
    c.push(h.list_from(&ints, atom("b"))); // improper
    c.push(h.list_from(&[atom("a")], atom("b")));
    c.push(h.list_from(&[small(1)], small(2)));
    for v in [256i64, -1, 0x110000, 0xD800, 0x10FFFF] {
        c.push(h.list_from(&[small(97), small(v)], Term::NIL));
    }
    let f = h.float(1.0);
    c.push(h.list_from(&[f], Term::NIL));
    // Deep iolists, with binaries, and a binary tail.
    let b1 = h.binary(b"xy");
    let inner = h.list_from(&[small(1), b1], Term::NIL);
    let inner2 = h.list_from(&[inner, small(2)], Term::NIL);
    c.push(h.list_from(&[inner2, small(255)], b1));
    let unaligned = h.bitstring(&[0xAB, 0xCD], 11).expect("bitstring");
    c.push(h.list_from(&[small(1), unaligned], Term::NIL));
    // Long lists.
    let long: Vec<Term> = (0..10_000).map(|i| small(i % 300)).collect();
    c.push(h.list_from(&long, Term::NIL));
    let longc: Vec<Term> = (0..5_000).map(|i| small(97 + i % 26)).collect();
    c.push(h.list_from(&longc, Term::NIL));
    // Deep nesting.
    let mut deep = Term::NIL;
    for i in 0..2_000 {
        deep = h.list_from(&[deep, small(i % 10)], Term::NIL);
    }
    c.push(deep);
    // Proplists and key lists.
    let kv: Vec<Term> = [("a", 1), ("b", 2), ("c", 3)]
        .iter()
        .map(|(k, v)| h.tuple(&[atom(k), small(*v)]))
        .collect();
    c.push(h.list_from(&kv, Term::NIL));
    let t3 = h.tuple(&[small(1), small(2), small(3)]);
    c.push(h.list_from(&[t3], Term::NIL));
    let lists_of = [
        "compressed",
        "safe",
        "used",
        "global",
        "trim",
        "trim_all",
        "compact",
        "short",
        "deterministic",
        "foo",
    ];
    for o in lists_of {
        c.push(h.list_from(&[atom(o)], Term::NIL));
    }
    for (k, v) in [
        ("compressed", 6i64),
        ("compressed", 10),
        ("minor_version", 0),
        ("minor_version", 2),
        ("minor_version", 3),
        ("parts", 2),
        ("parts", -1),
        ("decimals", 4),
        ("decimals", 300),
        ("scientific", 3),
        ("scientific", 300),
        ("base", 16),
        ("arity", 1),
    ] {
        let t = h.tuple(&[atom(k), small(v)]);
        c.push(h.list_from(&[t], Term::NIL));
    }
    for (a, b) in [(0i64, 1i64), (1, -1), (10, 10), (0, 1 << 40)] {
        let r = h.tuple(&[small(a), small(b)]);
        let t = h.tuple(&[atom("scope"), r]);
        c.push(h.list_from(&[t], Term::NIL));
    }
    let bins: Vec<Term> = [&b"a"[..], b"b", b""].iter().map(|b| h.binary(b)).collect();
    c.push(h.list_from(&bins, Term::NIL));
    c.push(h.list_from(&bins[..1], Term::NIL));

    // Tuples.
    c.push(h.tuple(&[]));
    c.push(h.tuple(&[atom("a")]));
    c.push(h.tuple(&[atom("a"), atom("b")]));
    for (a, b) in [
        (1i64, 2i64),
        (0, 0),
        (0, 1),
        (0, 3),
        (1, 1),
        (0, -1),
        (-1, 1),
        (2, 1),
        (3, -3),
        (2, 100),
    ] {
        c.push(h.tuple(&[small(a), small(b)]));
    }
    let big = h.integer_from_i128(1 << 64);
    c.push(h.tuple(&[small(1), big]));
    for (e, o) in [("utf16", "little"), ("utf32", "big"), ("utf16", "middle")] {
        c.push(h.tuple(&[atom(e), atom(o)]));
    }
    c.push(h.tuple(&[atom("compressed"), small(3)]));
    c.push(h.tuple(&[atom("EXIT"), atom("x")]));
    let many: Vec<Term> = (0..1000).map(|i| small(i as i64)).collect();
    c.push(h.tuple(&many));

    // Maps: empty, flat, mixed number keys, HAMTs.
    let empty = map::from_pairs(h, &[], Duplicates::LastWins).expect("map");
    c.push(empty);
    let flat = map::from_pairs(
        h,
        &[(atom("a"), small(1)), (atom("b"), small(2))],
        Duplicates::LastWins,
    )
    .expect("map");
    c.push(flat);
    let one_f = h.float(1.0);
    let mixed = map::from_pairs(
        h,
        &[(small(1), atom("x")), (one_f, atom("y"))],
        Duplicates::LastWins,
    )
    .expect("map");
    c.push(mixed);
    for n in [100i64, 2_000] {
        let pairs: Vec<(Term, Term)> = (0..n).map(|i| (small(i), small(-i))).collect();
        c.push(map::from_pairs(h, &pairs, Duplicates::LastWins).expect("map"));
    }

    // Binaries: empty, heap, refc, sub, unaligned, numeric text, UTF-8/16.
    for b in [
        &b""[..],
        b"abc",
        b"\x00\xff",
        b"123",
        b"-42",
        b"1.5",
        b"1.0e10",
        b"ff",
        b"h\xc3\xa9llo",
        b"\xff\xfe\xc3",
        b"\xed\xa0\x80",
        b"a\x00b",
        b"\x00a\x00b",
        b",",
        b"b",
    ] {
        c.push(h.binary(b));
    }
    c.push(h.binary(&[b'z'; 64]));
    let refc_bytes: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let refc = h.refc_binary(OffHeapBinary::new(refc_bytes));
    c.push(refc);
    c.push(h.sub_binary(refc, 24, 400).expect("sub"));
    c.push(h.sub_binary(refc, 3, 100).expect("sub")); // unaligned offset and size
    c.push(h.sub_binary(refc, 5, 64).expect("sub")); // unaligned offset, whole bytes
    c.push(h.bitstring(&[0xA0], 3).expect("bitstring"));
    c.push(h.bitstring(&[1, 2, 3], 23).expect("bitstring"));
    // External term format: valid, compressed, truncated, hostile.
    let sample = h.list_from(&kv, atom("tail"));
    let enc = etf::encode(sample, &EncodeOptions::default());
    c.push(h.binary(&enc));
    c.push(h.binary(&enc[..enc.len() / 2]));
    let encz = etf::encode(
        sample,
        &EncodeOptions {
            compressed: Some(6),
            ..EncodeOptions::default()
        },
    );
    c.push(h.binary(&encz));
    c.push(h.binary(&encz[..encz.len() - 3]));
    for bad in [
        &[131u8, 100, 0, 5, b'a', b'b'][..],
        &[131, 80, 0, 0, 0, 0],
        &[131, 80, 255, 255, 255, 255, 120, 156],
        &[131, 108, 255, 255, 255, 255, 106],
        &[131, 104, 0],
        &[131, 110, 255, 255, 0, 1],
        &[131, 111, 255, 255, 255, 255, 0],
        &[131, 116, 255, 255, 255, 255],
        &[131, 109, 255, 255, 255, 255],
        &[131, 77, 0, 0, 0, 1, 9, 1],
        &[131, 97],
        &[130, 97, 1],
        &[131, 118, 0, 3, 0xff, 0xfe, 0xfd],
        &[131, 113, 100, 0, 1, b'm', 100, 0, 1, b'f', 97, 255],
    ] {
        c.push(h.binary(bad));
    }

    // Funs.
    let desc = FunDesc {
        module: Atom::intern("badcall_mod").expect("atom"),
        index: 0,
        arity: 1,
        old_index: 0,
        old_uniq: 0,
        uniq: [7; 16],
        creator: Term::pid(p.pid, 0).expect("pid"),
    };
    let h = &mut p.heap;
    c.push(h.closure(&desc, &[small(1), atom("env")]).expect("closure"));
    c.push(
        h.export(Atom::from_static("erlang"), Atom::from_static("+"), 2)
            .expect("export"),
    );
    c.push(
        h.export(Atom::from_static("lists"), Atom::from_static("reverse"), 1)
            .expect("export"),
    );
    c.push(
        h.export(
            Atom::intern("nonexistent_module_xyz").expect("atom"),
            Atom::from_static("f"),
            0,
        )
        .expect("export"),
    );

    // Pids, ports, refs (local and external).
    let node = Atom::intern("other@host").expect("atom");
    c.push(Term::pid(p.pid, 0).expect("pid"));
    c.push(Term::pid(999, 0).expect("pid"));
    c.push(h.external_pid(node, 7, 33, 2));
    c.push(Term::port(1).expect("port"));
    c.push(h.external_port(node, 7, 1 << 33));
    c.push(h.local_ref(&[1, 2, 3]).expect("ref"));
    c.push(h.external_ref(node, 9, &[1, 2, 3, 4, 5]).expect("ref"));
    let r = p.make_ref();
    c.push(r);
    c
}

/// Encodes every corpus term (to detect BIFs that mutate their arguments).
fn snapshot(corpus: &[Term]) -> Vec<Vec<u8>> {
    corpus
        .iter()
        .map(|t| etf::encode(*t, &EncodeOptions::default()))
        .collect()
}

/// A short printable form of a term.
fn show(t: Term) -> String {
    let s = format!("{t}");
    if s.chars().count() > 200 {
        format!("{}...", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

fn show_args(args: &[Term]) -> String {
    args.iter().map(|a| show(*a)).collect::<Vec<_>>().join(", ")
}

/// Whether `t` has at most `budget` nodes when shared subterms are counted
/// each time they occur (what the ETF encoder would walk), and no binary
/// larger than 16 MB.
fn small_enough(t: Term, mut budget: usize) -> bool {
    use oxbeam::term::TermView;
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if budget == 0 {
            return false;
        }
        budget -= 1;
        match t.view() {
            TermView::Cons(h, tl) => {
                stack.push(h);
                stack.push(tl);
            }
            TermView::Tuple(es) => stack.extend_from_slice(es),
            TermView::Binary(b) if b.byte_size() > 1 << 24 => return false,
            TermView::Map(_) => {
                for (k, v) in oxbeam::term::map::to_pairs(t) {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    true
}

/// Checks that `t` is a valid term: it compares equal to itself and
/// survives an ETF round trip.
fn check_term(t: Term) -> Result<(), String> {
    if !oxbeam::term::cmp::eq_exact(t, t) {
        return Err("term is not equal to itself".into());
    }
    if !small_enough(t, 1 << 20) {
        // A huge term (e.g. a million references to one big tuple): the
        // round trip would only be slow; the heap verifier still checks it.
        return Ok(());
    }
    let bytes = etf::encode(t, &EncodeOptions::default());
    let mut frag = HeapFragment::new();
    let (back, used) = etf::decode(&bytes, &mut frag, &DecodeOptions::default())
        .map_err(|e| format!("ETF decode of the encoded term failed: {e:?}"))?;
    if used != bytes.len() {
        return Err(format!(
            "ETF round trip used {used} of {} bytes",
            bytes.len()
        ));
    }
    if !oxbeam::term::cmp::eq_exact(t, back) {
        return Err(format!("ETF round trip gives {}", show(back)));
    }
    Ok(())
}

/// Progress shared with the watchdog thread.
static CURRENT_BIF: AtomicUsize = AtomicUsize::new(usize::MAX);
static CALLS: AtomicU64 = AtomicU64::new(0);

fn spawn_watchdog() {
    std::thread::spawn(|| {
        let mut last = (u64::MAX, Instant::now());
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let n = CALLS.load(Ordering::Relaxed);
            if n != last.0 {
                last = (n, Instant::now());
            } else if last.1.elapsed() > HANG {
                let i = CURRENT_BIF.load(Ordering::Relaxed);
                let name = BIF_DECLS
                    .get(i)
                    .map(|d| format!("{}:{}/{}", d.module, d.name, d.arity))
                    .unwrap_or_default();
                let _ = writeln!(
                    std::io::stderr(),
                    "bif_badcall: call #{n} of {name} made no progress for {HANG:?} (hang); \
                     rerun with OXBEAM_BADCALL_ONLY={} OXBEAM_BADCALL_TRACE=1",
                    BIF_DECLS.get(i).map(|d| d.name).unwrap_or_default()
                );
                std::process::exit(101);
            }
        }
    });
}

/// The state of the run: the process, its corpus, results kept alive.
struct Run {
    p: Process,
    corpus: Vec<Term>,
    snap: Vec<Vec<u8>>,
    kept: Vec<Term>,
    failures: Vec<String>,
    calls: u64,
    trace: bool,
}

impl Run {
    fn new() -> Run {
        let mut p = Process::new(1);
        let corpus = build_corpus(&mut p);
        let snap = snapshot(&corpus);
        Run {
            p,
            corpus,
            snap,
            kept: Vec::new(),
            failures: Vec::new(),
            calls: 0,
            trace: std::env::var_os("OXBEAM_BADCALL_TRACE").is_some(),
        }
    }

    /// After a panic the heap may be inconsistent: start over.
    fn reset(&mut self) {
        let failures = std::mem::take(&mut self.failures);
        let calls = self.calls;
        *self = Run::new();
        self.failures = failures;
        self.calls = calls;
    }

    /// Calls BIF `i` with `args`. Returns `Some(true)` if it returned a
    /// value, `Some(false)` for an exception, `None` after a failure.
    fn call(&mut self, i: usize, args: &[Term]) -> Option<bool> {
        let d = &BIF_DECLS[i];
        let name = format!("{}:{}/{}", d.module, d.name, d.arity);
        if self.trace {
            let _ = writeln!(std::io::stderr(), "call {name}({})", show_args(args));
        }
        self.calls += 1;
        CALLS.fetch_add(1, Ordering::Relaxed);
        let p = &mut self.p;
        let r = catch_unwind(AssertUnwindSafe(|| (d.func)(p, args)));
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                self.failures
                    .push(format!("PANIC {name}({}): {msg}", show_args(args)));
                return None;
            }
        };
        let (value, ok) = match r {
            Ok(v) => (Some(v), true),
            Err(BifErr::Exc(e)) => {
                // The reason (and any extra terms) must be valid terms.
                let mut v = vec![e.reason];
                match e.extra {
                    oxbeam::emulator::Extra::Args(a)
                    | oxbeam::emulator::Extra::Trace(a)
                    | oxbeam::emulator::Extra::Cause(a) => v.push(a),
                    oxbeam::emulator::Extra::ArgsInfo(a, b) => {
                        v.push(a);
                        v.push(b);
                    }
                    _ => {}
                }
                for t in v {
                    if let Err(m) = check_term(t) {
                        self.failures
                            .push(format!("BAD EXCEPTION {name}({}): {m}", show_args(args)));
                        return None;
                    }
                    self.kept.push(t);
                }
                (None, false)
            }
            Err(BifErr::Halt(_)) if d.name == "halt" => (None, false),
            Err(BifErr::Halt(s)) => {
                self.failures
                    .push(format!("HALT({s}) from {name}({})", show_args(args)));
                return None;
            }
            // apply/2,3 and traps to Erlang code (e.g. unicode's
            // conversions of UTF-16/32) ask the emulator to call something.
            Err(BifErr::Apply {
                module,
                function,
                args: a,
            }) => {
                for t in [module, function, a] {
                    if t.is_value() {
                        self.kept.push(t);
                    }
                }
                (None, true)
            }
        };
        if let Some(v) = value {
            if let Err(m) = check_term(v) {
                self.failures
                    .push(format!("BAD RESULT {name}({}): {m}", show_args(args)));
                return None;
            }
            self.kept.push(v);
        }
        Some(ok)
    }

    /// Verifies the heap with the corpus and the kept results as roots,
    /// collects garbage (results dropped), and checks the corpus did not
    /// change. Returns false (after recording why) on a problem.
    fn settle(&mut self, name: &str, major: bool) -> bool {
        let p = &mut self.p;
        let roots: [&[Term]; 5] = [
            &self.corpus,
            &self.kept,
            &p.dict,
            p.mailbox.make_contiguous(),
            &p.scratch,
        ];
        if let Err(e) = oxbeam::gc::verify_heap(&p.heap, &roots) {
            self.failures
                .push(format!("HEAP after {name}'s calls: {e}"));
            return false;
        }
        self.kept.clear();
        p.mailbox.clear();
        p.save = 0;
        p.scratch.clear();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut roots: [&mut [Term]; 3] = [&mut self.corpus, &mut p.dict, &mut p.scratch];
            if major {
                p.heap.major_gc(0, &mut roots);
            } else {
                p.heap.gc(0, &mut roots);
            }
        }));
        if r.is_err() {
            self.failures
                .push(format!("GC after {name}'s calls panicked"));
            return false;
        }
        let roots: [&[Term]; 2] = [&self.corpus, &p.dict];
        if let Err(e) = oxbeam::gc::verify_heap(&p.heap, &roots) {
            self.failures
                .push(format!("HEAP after GC after {name}'s calls: {e}"));
            return false;
        }
        let now = snapshot(&self.corpus);
        if let Some(k) = (0..now.len()).find(|k| now[*k] != self.snap[*k]) {
            self.failures.push(format!(
                "MUTATION: corpus term #{k} changed by {name}: now {}",
                show(self.corpus[k])
            ));
            return false;
        }
        true
    }
}

#[test]
fn every_bif_survives_bad_arguments() {
    spawn_watchdog();
    let only: Option<Vec<String>> = std::env::var("OXBEAM_BADCALL_ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_owned).collect());
    let start = Instant::now();
    let mut run = Run::new();
    let mut rng = Rng(SEED);
    let mut exercised = 0usize;
    let mut skipped = Vec::new();
    let mut slow: Vec<(Duration, String)> = Vec::new();

    for (i, d) in BIF_DECLS.iter().enumerate() {
        if let Some((_, _, _, why)) = SKIP
            .iter()
            .find(|s| s.0 == d.module && s.1 == d.name && s.2 == d.arity)
        {
            skipped.push(format!("{}:{}/{} ({why})", d.module, d.name, d.arity));
            continue;
        }
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| n == d.name))
        {
            continue;
        }
        CURRENT_BIF.store(i, Ordering::Relaxed);
        exercised += 1;
        let name = format!("{}:{}/{}", d.module, d.name, d.arity);
        let t0 = Instant::now();
        let n = d.arity as usize;
        let ncorp = run.corpus.len();
        let failures_before = run.failures.len();
        let mut panics = 0;
        // Each call takes its arguments from the corpus by index, so a
        // reset (after a panic) does not leave stale terms behind.
        let mut plan: Vec<Vec<usize>> = Vec::new();
        match n {
            0 => plan.extend((0..20).map(|_| Vec::new())),
            1 => plan.extend((0..ncorp).map(|k| vec![k])),
            _ if PRINTING.contains(&d.name) => {}
            _ => plan.extend((0..RANDOM_CALLS).map(|_| (0..n).map(|_| rng.below(ncorp)).collect())),
        }
        let mut seeds: Vec<Vec<usize>> = Vec::new();
        let mut k = 0;
        while k < plan.len() {
            let idx = plan[k].clone();
            k += 1;
            let args: Vec<Term> = idx.iter().map(|j| run.corpus[*j]).collect();
            let c0 = Instant::now();
            let r = run.call(i, &args);
            let el = c0.elapsed();
            if el > Duration::from_millis(500) {
                slow.push((el, format!("{name}({})", show_args(&args))));
            }
            match r {
                None => {
                    panics += 1;
                    run.reset();
                    if panics >= MAX_PANICS_PER_BIF {
                        break;
                    }
                }
                Some(true) if n >= 2 && seeds.len() < SEEDS && !seeds.contains(&idx) => {
                    // An accepted vector: mutate each position.
                    for pos in 0..n {
                        if seeds.len() < EXHAUSTIVE_SEEDS {
                            for j in 0..ncorp {
                                let mut m = idx.clone();
                                m[pos] = j;
                                plan.push(m);
                            }
                        } else {
                            for _ in 0..MUTATIONS {
                                let mut m = idx.clone();
                                m[pos] = rng.below(ncorp);
                                plan.push(m);
                            }
                        }
                    }
                    seeds.push(idx);
                }
                _ => {}
            }
            let heap_words = run.p.heap.total_heap_size();
            if (run.kept.len() > 2000 || heap_words > 1 << 23) && !run.settle(&name, false) {
                run.reset();
            }
        }
        if !run.settle(&name, exercised % 16 == 0) {
            run.reset();
        }
        let el = t0.elapsed();
        if run.trace || el > Duration::from_secs(2) {
            let _ = writeln!(
                std::io::stderr(),
                "bif_badcall: {name}: {} calls in {el:?}{}",
                k,
                if run.failures.len() > failures_before {
                    " (FAILED)"
                } else {
                    ""
                }
            );
        }
    }
    slow.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, s) in slow.iter().take(10) {
        let _ = writeln!(std::io::stderr(), "bif_badcall: slow call {d:?}: {s}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "bif_badcall: {exercised} BIFs exercised, {} calls, {:?}; skipped: {}",
        run.calls,
        start.elapsed(),
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(", ")
        }
    );
    assert!(
        run.failures.is_empty(),
        "{} failures:\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
}

/// Every BIF `tests/erlang/bif_badargs.erl` calls (its `bifs/0` list,
/// derived from `bifs/bif.tab`) is one oxbeam implements: an unimplemented
/// one would raise `undef` and make the differential program fail for a
/// reason unrelated to argument checking.
#[test]
fn bif_badargs_lists_implemented_bifs() {
    let src = include_str!("erlang/bif_badargs.erl");
    let start = src.find("%% BEGIN BIFS").expect("BEGIN BIFS marker");
    let end = src.find("%% END BIFS").expect("END BIFS marker");
    let mut n = 0;
    for line in src[start..end].lines() {
        let l = line.trim().trim_end_matches(',');
        let Some(inner) = l.strip_prefix('{').and_then(|l| l.strip_suffix('}')) else {
            continue;
        };
        let (m, rest) = inner.split_once(',').expect("{M,F,A}");
        let (f, a) = rest.rsplit_once(',').expect("{M,F,A}");
        let unq = |s: &str| s.trim().trim_matches('\'').replace("\\'", "'");
        let (m, f, a) = (unq(m), unq(f), a.trim().parse::<u8>().expect("arity"));
        assert!(
            BIF_DECLS
                .iter()
                .any(|d| d.module == m && d.name == f && d.arity == a),
            "bif_badargs.erl lists {m}:{f}/{a}, which is not in bifs/bif.tab"
        );
        n += 1;
    }
    assert!(n > 100, "only {n} BIFs found in bif_badargs.erl");
}
