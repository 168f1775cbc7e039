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

/// Loads every `.beam` file of the OTP tree: (files that load, files, instructions).
fn load_otp_tree() -> (usize, usize, usize) {
    let root = crate::otp::root();
    let files = crate::otp::beam_files(&root).unwrap_or_default();
    let mut ok = 0;
    let mut instrs = 0;
    for f in &files {
        if let Ok(m) = oxbeam_loader::load_file(f) {
            ok += 1;
            instrs += m.instructions.len();
        }
    }
    (ok, files.len(), instrs)
}

/// The status rows: (area, measure).
pub fn rows() -> Vec<(String, String)> {
    let (bifs, bif_total) = coverage(OTP25_BIFS, BIF_DECLS);
    let (nifs, nif_total) = coverage(OTP25_NIFS, NIF_DECLS);
    let ops = oxbeam_loader::opcodes::ALL;
    let live = ops.iter().filter(|o| !o.obsolete).count();
    let (loaded, files, instrs) = load_otp_tree();
    vec![
        (
            "Loader: generic opcodes decoded (obsolete ones rejected)".into(),
            format!("{live} live of {} (OTP 25 max opcode {})", ops.len(), ops.len()),
        ),
        (
            format!("Loader: `.beam` files of the OTP tree ({})", crate::otp::root().display()),
            format!("{loaded} / {files} load ({instrs} instructions); histograms equal `beam_disasm`'s (tests/otp_histogram.rs)"),
        ),
        (
            "Interpreter: generic opcodes executed (`oxbeam run`)".into(),
            format!(
                "{} of {live} live (every opcode OTP 25's compiler emits); tests/erlang programs equal to stock: tests/erlang/PASSING",
                crate::emulator::transform::supported_count()
            ),
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
