//! `oxbeam status`: what works today, measured, as the README's status table.
//!
//! The README's table is this command's `--markdown` output; a test checks
//! that the two agree, so the table is never typed by hand.

use crate::bif::{BifDecl, BIF_DECLS, NIF_DECLS};

const OTP25_BIFS: &str = include_str!("../bifs/otp25_bifs.tsv");
const OTP25_NIFS: &str = include_str!("../bifs/otp25_nifs.tsv");

/// How many of the MFAs listed in `reference` (TSV: module, function, arity) `decls` implements.
fn coverage(reference: &str, decls: &[BifDecl]) -> (usize, usize) {
    let mut total = 0;
    let mut have = 0;
    for line in reference.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(m), Some(n), Some(a)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        total += 1;
        if decls
            .iter()
            .any(|d| d.module == m && d.name == n && a.parse() == Ok(d.arity))
        {
            have += 1;
        }
    }
    (have, total)
}

/// What loading the whole OTP tree measured.
struct TreeLoad {
    /// Files that load without error.
    loaded: usize,
    /// `.beam` files found.
    files: usize,
    /// Instructions in all loaded files.
    instructions: usize,
    /// Names of the generic opcodes that occur in the tree.
    used_opcodes: std::collections::BTreeSet<&'static str>,
}

/// Loads every `.beam` file of the OTP tree.
fn load_otp_tree() -> TreeLoad {
    let root = crate::otp::root();
    let files = crate::otp::beam_files(&root).unwrap_or_default();
    let mut t = TreeLoad {
        loaded: 0,
        files: files.len(),
        instructions: 0,
        used_opcodes: Default::default(),
    };
    for f in &files {
        if let Ok(m) = oxbeam_loader::load_file(f) {
            t.loaded += 1;
            t.instructions += m.instructions.len();
            t.used_opcodes.extend(
                m.instructions
                    .iter()
                    .map(|i| oxbeam_loader::opcodes::name(i.op)),
            );
        }
    }
    t
}

include!(concat!(env!("OUT_DIR"), "/erlang_programs.rs"));
const PASSING: &str = include_str!("../tests/erlang/PASSING");
/// The last `make bench-erlang` table (machine, date, then one row per
/// program: name, stock ms, oxbeam ms, ratio, check).
const BENCH_RESULTS: &str = include_str!("../benches/erlang/RESULTS");

/// The benchmark row's value: `program ratio×` per program of the last
/// recorded run, and where it comes from.
fn bench_summary() -> String {
    let mut header = "";
    let mut parts = Vec::new();
    for line in BENCH_RESULTS.lines() {
        if let Some(h) = line.strip_prefix("# ") {
            header = h;
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if let [name, _, _, ratio, check, ..] = f[..] {
            if name == "program" {
                continue;
            }
            let mark = if check == "ok" {
                ""
            } else {
                " (output differs)"
            };
            parts.push(format!("{name} {ratio}×{mark}"));
        }
    }
    format!(
        "{}; oxbeam time / stock time, whole process ({header}; benches/erlang/RESULTS, `make bench-erlang`)",
        parts.join(", ")
    )
}

/// The status rows: (area, measure).
pub fn rows() -> Vec<(String, String)> {
    let (bifs, bif_total) = coverage(OTP25_BIFS, BIF_DECLS);
    let (nifs, nif_total) = coverage(OTP25_NIFS, NIF_DECLS);
    let ops = oxbeam_loader::opcodes::ALL;
    let live = ops.iter().filter(|o| !o.obsolete).count();
    let tree = load_otp_tree();
    let supported = crate::emulator::transform::SUPPORTED;
    let used_supported = tree
        .used_opcodes
        .iter()
        .filter(|name| supported.contains(name))
        .count();
    let passing = PASSING
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    vec![
        (
            "Loader: generic opcodes decoded (obsolete ones rejected)".into(),
            format!("{live} live of {} (OTP 25 max opcode {})", ops.len(), ops.len()),
        ),
        (
            format!("Loader: `.beam` files of the OTP tree ({})", crate::otp::root().display()),
            format!(
                "{} / {} load ({} instructions); histograms equal `beam_disasm`'s (tests/otp_histogram.rs)",
                tree.loaded, tree.files, tree.instructions
            ),
        ),
        (
            "Interpreter: generic opcodes executed (`oxbeam run`)".into(),
            format!(
                "{used_supported} of the {} the OTP tree uses; {} of {live} live",
                tree.used_opcodes.len(),
                crate::emulator::transform::supported_count()
            ),
        ),
        (
            "Interpreter: `tests/erlang` programs whose output equals stock `erl`'s".into(),
            format!("{passing} of {ERLANG_TEST_PROGRAMS} (tests/erlang/PASSING, checked by tests/erlang_diff.rs)"),
        ),
        (
            "BIFs (`bifs/bif.tab` vs OTP 25)".into(),
            format!("{bifs} / {bif_total}"),
        ),
        (
            "NIFs (`bifs/nif.tab` vs OTP 25)".into(),
            format!("{nifs} / {nif_total}"),
        ),
        (
            "Benchmarks against stock `erl` (benches/erlang)".into(),
            bench_summary(),
        ),
        (
            "OTP test suites (erts, compiler, stdlib) passing".into(),
            "0 (runner not started)".into(),
        ),
    ]
}

/// The status table in Markdown, as the README carries it.
pub fn markdown() -> String {
    let mut s = String::from("| area | status |\n|---|---|\n");
    for (area, value) in rows() {
        s.push_str(&format!("| {area} | {value} |\n"));
    }
    s
}

/// `oxbeam status [--markdown]`.
pub fn cli_main(args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--markdown") {
        print!("{}", markdown());
    } else {
        for (area, value) in rows() {
            println!("{area}\t{value}");
        }
    }
    0
}
