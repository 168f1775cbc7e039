//! GC throughput: live megabytes copied per second by minor and full
//! collections, on a heap holding a realistic mix of lists, tuples, small
//! and large binaries, bignums, floats and maps.
//!
//! Run: `cargo bench --bench gc` (criterion reports the throughput as
//! MiB/s of live data).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use oxbeam::atom::Atom;
use oxbeam::heap::{size_of, GcOptions, Heap, HeapBuilder, HeapFragment};
use oxbeam::term::Term;

/// Builds a term of roughly `records` records: a list of
/// `{Id, Name, Payload, Big, Score, Tags, Map}` tuples.
fn build_data(f: &mut HeapFragment, records: usize) -> Term {
    let tag = Term::atom(Atom::intern("record").unwrap_or(oxbeam::atom::atoms::UNDEFINED));
    let keys = [Term::OK, Term::ERROR, Term::UNDEFINED];
    let mut list = Term::NIL;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..records {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let name = f.binary(format!("user-{i:08}").as_bytes());
        let payload = if i % 16 == 0 {
            f.binary(&vec![(i % 251) as u8; 256])
        } else {
            f.binary(&seed.to_le_bytes())
        };
        let big = f.integer_from_i128((seed as i128) << 40);
        let score = f.float((seed % 10_000) as f64 / 3.0);
        let tags: Vec<Term> = (0..4)
            .map(|k| Term::small((seed >> (k * 8)) as i64 & 0xff).unwrap_or(Term::NIL))
            .collect();
        let tags = f.list_from(&tags, Term::NIL);
        let vals = [Term::small(i as i64).unwrap_or(Term::NIL), name, score];
        let map = f.flatmap_from(&keys, &vals).unwrap_or(Term::NIL);
        let rec = f.tuple(&[
            tag,
            Term::small(i as i64).unwrap_or(Term::NIL),
            name,
            payload,
            big,
            score,
            tags,
            map,
        ]);
        list = f.cons(rec, list);
    }
    list
}

/// A heap whose young generation holds a copy of `data` (nothing mature).
fn young_heap(data: Term, words: usize) -> (Heap, Term) {
    let mut h = Heap::with_options(GcOptions {
        min_heap_size: words + 1000,
        ..GcOptions::default()
    });
    let t = h.copy_term(data);
    (h, t)
}

fn bench_gc(c: &mut Criterion) {
    let mut f = HeapFragment::new();
    let data = build_data(&mut f, 20_000);
    let words = size_of(data);
    let bytes = (words * 8) as u64;
    eprintln!("live data: {words} words ({:.1} MB)", bytes as f64 / 1e6);

    let mut g = c.benchmark_group("gc");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes));

    g.bench_function("minor_young_to_young", |b| {
        b.iter_batched(
            || young_heap(data, words),
            |(mut h, t)| {
                let mut roots = [t];
                h.gc(0, &mut [&mut roots[..]]);
                (h, roots)
            },
            BatchSize::LargeInput,
        )
    });

    g.bench_function("minor_promote_to_old", |b| {
        b.iter_batched(
            || {
                let (mut h, t) = young_heap(data, words);
                let mut roots = [t];
                h.gc(0, &mut [&mut roots[..]]);
                (h, roots)
            },
            |(mut h, mut roots)| {
                h.gc(0, &mut [&mut roots[..]]);
                (h, roots)
            },
            BatchSize::LargeInput,
        )
    });

    let (mut h, t) = young_heap(data, words);
    let mut roots = [t];
    g.bench_function("full_sweep", |b| {
        b.iter(|| {
            h.major_gc(0, &mut [&mut roots[..]]);
        })
    });
    g.finish();
}

criterion_group!(benches, bench_gc);
criterion_main!(benches);
