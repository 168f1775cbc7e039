//! Term comparison speed on the benchmark corpus: `==` over two equal
//! copies (a full walk, MB/s of external format) and `<` between adjacent
//! records (ns per comparison), next to stock ERTS's numbers from
//! `benches/erlang/etf_stock.escript`.
//!
//! Run: `cargo bench --bench term_cmp`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxbeam::etf::{decode, DecodeOptions};
use oxbeam::heap::HeapFragment;
use oxbeam::term::cmp::{compare, eq};
use oxbeam::term::hash::make_hash2;

#[path = "common/etf_corpus.rs"]
mod common;

fn cmp(c: &mut Criterion) {
    let bytes = common::corpus_bytes();
    let mut fa = HeapFragment::new();
    let mut fb = HeapFragment::new();
    let (a, _) = decode(&bytes, &mut fa, &DecodeOptions::default()).expect("corpus decodes");
    let (b, _) = decode(&bytes, &mut fb, &DecodeOptions::default()).expect("corpus decodes");
    let items = a.list_to_vec().unwrap_or_default();

    let mut g = c.benchmark_group("term_cmp");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("eq_equal_copies", |bn| bn.iter(|| assert!(eq(a, b))));
    g.bench_function("phash2_corpus", |bn| bn.iter(|| make_hash2(a)));
    g.finish();

    let mut g = c.benchmark_group("term_cmp_pairs");
    g.throughput(Throughput::Elements(items.len().saturating_sub(1) as u64));
    g.bench_function("adjacent_lt", |bn| {
        bn.iter(|| {
            items
                .windows(2)
                .filter(|w| compare(w[0], w[1]).is_lt())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, cmp);
criterion_main!(benches);
