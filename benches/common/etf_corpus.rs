//! Shared by the `etf` and `term_cmp` benches: the benchmark corpus, the
//! same bytes stock ERTS is timed on (`benches/erlang/etf_stock.escript`).

use std::path::Path;
use std::process::Command;

/// `term_to_binary(etf_corpus:bench_corpus())`, written by stock `erl`
/// through `etf_stock.escript --write` (or read from `$OXBEAM_ETF_CORPUS`).
/// Falls back to a synthetic corpus built in Rust when Erlang is missing.
pub fn corpus_bytes() -> Vec<u8> {
    if let Ok(p) = std::env::var("OXBEAM_ETF_CORPUS") {
        if let Ok(b) = std::fs::read(p) {
            return b;
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/erlang/etf_stock.escript");
    let out = std::env::temp_dir().join(format!("oxbeam-etf-bench-{}.bin", std::process::id()));
    let ok = Command::new("escript")
        .arg(&script)
        .arg("--write")
        .arg(&out)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        if let Ok(b) = std::fs::read(&out) {
            let _ = std::fs::remove_file(&out);
            eprintln!("corpus: stock bench_corpus(), {} bytes", b.len());
            return b;
        }
    }
    eprintln!("corpus: escript unavailable, using a synthetic corpus");
    synthetic()
}

fn synthetic() -> Vec<u8> {
    use oxbeam::atom::Atom;
    use oxbeam::etf::{encode, EncodeOptions};
    use oxbeam::heap::{HeapBuilder, HeapFragment};
    use oxbeam::term::map::{from_pairs, Duplicates};
    use oxbeam::term::Term;
    let mut f = HeapFragment::new();
    let at = |s: &str| Term::atom(Atom::from_static(s));
    let mut items = Vec::new();
    for i in 0..2000i64 {
        let name = f.binary(format!("user{i}").as_bytes());
        let email = f.charlist(&format!("user{i}@example.com"));
        let score = f.float(i as f64 * 0.37);
        let tags = f.list_from(&[at("admin"), at("guest")], Term::NIL);
        let big = f.integer_from_i128((i as i128) << 90);
        let blob = f.binary(&vec![(i % 251) as u8; (i % 300) as usize]);
        let attrs: Vec<(Term, Term)> = (0..(i % 40))
            .map(|k| {
                let key = f.binary(k.to_string().as_bytes());
                (key, Term::small(k * 3).unwrap_or(Term::NIL))
            })
            .collect();
        let attrs = from_pairs(&mut f, &attrs, Duplicates::LastWins).unwrap_or(Term::NIL);
        let pairs = [
            (at("id"), Term::small(i).unwrap_or(Term::NIL)),
            (at("name"), name),
            (at("email"), email),
            (at("score"), score),
            (at("tags"), tags),
            (at("big"), big),
            (at("attrs"), attrs),
            (at("blob"), blob),
        ];
        items.push(from_pairs(&mut f, &pairs, Duplicates::LastWins).unwrap_or(Term::NIL));
    }
    let l = f.list_from(&items, Term::NIL);
    encode(l, &EncodeOptions::default())
}
