//! Differential test of term order, hashing and the external term format
//! against stock ERTS.
//!
//! `tests/erlang/etf_corpus.erl` (compiled with `erlc` into a temp dir)
//! writes corpora of terms as `term_to_binary(List)` — hand-picked edge cases
//! (floats, bignums, atoms, bitstrings, maps of 0..1000 keys, pids/refs/ports
//! made on the stock node, external ones, export and local funs, deep
//! nesting) and seeded random terms — together with the output stock ERTS
//! computes for them. `oxbeam etf check` must print exactly the same lines.
//!
//! Local funs (`NEW_FUN_EXT`) are part of the corpus: oxbeam keeps every
//! field of the fun (uniq, index, old index/uniq, creator, environment), so
//! they re-encode byte for byte and hash like ERTS.
//!
//! The test fails when `erl`/`erlc` are not installed (`make test` installs them).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::have;

const SEED: &str = "20260"; // any fixed seed: failures must reproduce
const RANDOM_FILES: usize = 4;
const TERMS_PER_FILE: usize = 5000;

fn tmpdir(tag: &str) -> PathBuf {
    support::scratch_dir(&format!("etf-{tag}"))
}

fn erl_eval(pa: &Path, expr: &str) -> String {
    let out = support::run(
        Command::new("erl")
            .args(["-noshell", "-pa"])
            .arg(pa)
            .args(["-eval", expr]),
    );
    assert!(
        out.status.success(),
        "erl -eval {expr} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Compiles the corpus module and generates the corpora; returns the
/// directory holding the `.bin`/`.expected` files.
fn generate(dir: &Path) -> PathBuf {
    support::erlc("tests/erlang/etf_corpus.erl", dir);
    let out = dir.join("corpus");
    erl_eval(
        dir,
        &format!(
            "etf_corpus:main([\"{}\",\"{SEED}\",\"{RANDOM_FILES}\",\"{TERMS_PER_FILE}\"]), halt().",
            out.display()
        ),
    );
    out
}

fn oxbeam(args: &[&str]) -> (bool, String, String) {
    let out = support::run(support::oxbeam().args(args));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Compares outputs line by line; on mismatch, returns a report naming the
/// first differing lines and the terms involved.
fn compare(name: &str, got: &str, want: &str, terms_file: &Path) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    let terms = std::fs::read_to_string(terms_file).unwrap_or_default();
    let term_line = |i: usize| -> String {
        terms
            .lines()
            .find(|l| l.starts_with(&format!("{i}: ")))
            .map(|l| l.chars().take(400).collect())
            .unwrap_or_default()
    };
    let g: Vec<&str> = got.lines().collect();
    let w: Vec<&str> = want.lines().collect();
    let mut report = format!(
        "{name}: output differs from stock ERTS ({} vs {} lines)\n",
        g.len(),
        w.len()
    );
    let mut shown = 0;
    for i in 0..g.len().max(w.len()) {
        let (a, b) = (
            g.get(i).copied().unwrap_or(""),
            w.get(i).copied().unwrap_or(""),
        );
        if a != b {
            report.push_str(&format!(
                "  line {}:\n    oxbeam: {}\n    stock:  {}\n",
                i + 1,
                a.chars().take(300).collect::<String>(),
                b.chars().take(300).collect::<String>()
            ));
            let idx = if let Some(rest) = b.strip_prefix("cmp\t") {
                rest.split('\t')
                    .next()
                    .and_then(|s| s.parse::<usize>().ok())
            } else {
                Some(i)
            };
            if let Some(ix) = idx {
                report.push_str(&format!("    term: {}\n", term_line(ix)));
                if b.starts_with("cmp\t") {
                    report.push_str(&format!("    next: {}\n", term_line(ix + 1)));
                }
            }
            shown += 1;
            if shown >= 5 {
                break;
            }
        }
    }
    Err(report)
}

#[test]
fn etf_check_matches_stock_erts() {
    assert!(
        have("erl") && have("erlc"),
        "stock Erlang/OTP (erl, erlc) is not installed: `make test` installs it"
    );
    let dir = tmpdir("check");
    let corpus = generate(&dir);

    // Every NAME.expected (and NAME.x.expected with --extra).
    let mut jobs: Vec<(String, PathBuf, bool)> = Vec::new();
    for e in std::fs::read_dir(&corpus).expect("corpus dir") {
        let p = e.expect("dir entry").path();
        let f = p
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if let Some(stem) = f.strip_suffix(".x.expected") {
            jobs.push((stem.to_string(), p.clone(), true));
        } else if let Some(stem) = f.strip_suffix(".expected") {
            jobs.push((stem.to_string(), p.clone(), false));
        }
    }
    jobs.sort();
    assert!(jobs.len() >= 10, "corpus generation produced too few files");

    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = jobs.chunks(jobs.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let corpus = &corpus;
                s.spawn(move || {
                    let mut fails = Vec::new();
                    for (stem, exp, extra) in chunk {
                        let bin = corpus.join(format!("{stem}.bin"));
                        let want = std::fs::read_to_string(exp).expect("expected file");
                        let bin_s = bin.to_string_lossy().into_owned();
                        let mut args = vec!["etf", "check"];
                        if *extra {
                            args.push("--extra");
                        }
                        args.push(&bin_s);
                        let (ok, got, err) = oxbeam(&args);
                        let name = format!("{stem}{}", if *extra { " --extra" } else { "" });
                        if !ok {
                            fails.push(format!("{name}: oxbeam failed: {err}"));
                            continue;
                        }
                        let terms = corpus.join(format!("{}.terms", stem.trim_end_matches('z')));
                        if let Err(r) = compare(&name, &got, &want, &terms) {
                            fails.push(r);
                        } else {
                            eprintln!("{name}: {} lines match stock ERTS", want.lines().count());
                        }
                    }
                    fails
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Re-encoding the whole list gives the original bytes; compressed, it
    // decodes on stock ERTS to the same list.
    for stem in ["edge", "rand1", "funs"] {
        let bin = corpus.join(format!("{stem}.bin"));
        let out = dir.join(format!("{stem}.re"));
        let (ok, _, err) = oxbeam(&[
            "etf",
            "check",
            "--reencode",
            out.to_str().unwrap_or_default(),
            bin.to_str().unwrap_or_default(),
        ]);
        assert!(ok, "{stem} --reencode: {err}");
        assert!(
            std::fs::read(&bin).ok() == std::fs::read(&out).ok(),
            "{stem}: re-encoded list differs from stock term_to_binary"
        );
        let outz = dir.join(format!("{stem}.rez"));
        let (ok, _, err) = oxbeam(&[
            "etf",
            "check",
            "--reencode",
            outz.to_str().unwrap_or_default(),
            "--compressed",
            bin.to_str().unwrap_or_default(),
        ]);
        assert!(ok, "{stem} --reencode --compressed: {err}");
        let verdict = erl_eval(
            &dir,
            &format!(
                "etf_corpus:verify_reencoded(\"{}\", \"{}\"), halt().",
                bin.display(),
                outz.display()
            ),
        );
        assert_eq!(verdict.trim(), "same", "{stem}: compressed re-encoding");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
