//! External term format throughput: `term_to_binary` and `binary_to_term`
//! on the benchmark corpus (MB/s of external format), to put next to stock
//! ERTS's numbers from `benches/erlang/etf_stock.escript`.
//!
//! Run: `cargo bench --bench etf`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use oxbeam::etf::{decode, encode, DecodeOptions, EncodeOptions};
use oxbeam::heap::HeapFragment;

#[path = "common/etf_corpus.rs"]
mod common;

fn etf(c: &mut Criterion) {
    let bytes = common::corpus_bytes();
    let mut g = c.benchmark_group("etf");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(30);
    // The fragment grows as decoding allocates (as a process heap would);
    // dropping it (freeing the result) is not timed.
    g.bench_function("binary_to_term", |b| {
        b.iter_batched(
            HeapFragment::new,
            |mut f| {
                let r = decode(&bytes, &mut f, &DecodeOptions::default());
                assert!(r.is_ok());
                f
            },
            BatchSize::SmallInput,
        )
    });
    let mut f = HeapFragment::new();
    let (t, _) = decode(&bytes, &mut f, &DecodeOptions::default()).expect("corpus decodes");
    let opts = EncodeOptions::default();
    g.bench_function("term_to_binary", |b| b.iter(|| encode(t, &opts)));
    let det = EncodeOptions {
        deterministic: true,
        ..EncodeOptions::default()
    };
    g.bench_function("term_to_binary_deterministic", |b| {
        b.iter(|| encode(t, &det))
    });
    g.finish();
}

criterion_group!(benches, etf);
criterion_main!(benches);
