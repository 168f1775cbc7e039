//! Loader throughput: parse and fully decode every `.beam` under the OTP tree (all
//! chunks except `Dbgi`, including literal inflation and external-term decoding).
//! Files are read into memory first; only parsing is timed.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::{Duration, Instant};

fn load_tree() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let root = oxbeam::otp::root();
    let files = oxbeam::otp::beam_files(&root).unwrap_or_default();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

fn parse_all(files: &[(std::path::PathBuf, Vec<u8>)]) -> usize {
    let mut instrs = 0;
    for (path, bytes) in files {
        match oxbeam_loader::parse_module(bytes) {
            Ok(m) => instrs += m.instructions.len(),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    instrs
}

fn bench(c: &mut Criterion) {
    let files = load_tree();
    if files.is_empty() {
        eprintln!(
            "loader bench: no .beam files under {}",
            oxbeam::otp::root().display()
        );
        return;
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mb = total as f64 / 1e6;

    // One plain timed pass, printed in the units the loader's floor is stated in.
    let t0 = Instant::now();
    let instrs = parse_all(&files);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "loader: {} files, {mb:.1} MB, {instrs} instructions: {secs:.3} s, {:.0} MB/s (one pass)",
        files.len(),
        mb / secs
    );

    let mut g = c.benchmark_group("loader");
    g.throughput(Throughput::Bytes(total as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("parse_otp_tree", |b| b.iter(|| parse_all(&files)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
