//! Loads every .beam file of the installed OTP tree and checks that each
//! module's opcode histogram from `oxbeam disasm --histogram` equals the one
//! stock `beam_disasm` computes (tests/support/beam_histogram.erl).

mod support;

use std::process::Command;
use support::*;

fn sorted_lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort_unstable();
    v
}

#[test]
fn histograms_match_beam_disasm() {
    let beams = otp_beams();
    assert!(
        beams.len() >= 1000,
        "only {} .beam files found",
        beams.len()
    );

    let ours = run(oxbeam().arg("disasm").arg("--histogram").arg(otp_root()));
    let ours_err = String::from_utf8_lossy(&ours.stderr);
    assert!(
        ours.status.success(),
        "oxbeam failed to load some files:\n{ours_err}"
    );
    let ours = String::from_utf8(ours.stdout).expect("utf-8 output");

    let dir = scratch_dir("beam_histogram");
    erlc("tests/support/beam_histogram.erl", &dir);
    let mut stock = String::new();
    // Chunks keep each command line well under ARG_MAX.
    for chunk in beams.chunks(300) {
        let out = run(Command::new("erl")
            .args(["-noshell", "-pa"])
            .arg(&dir)
            .args(["-run", "beam_histogram", "main"])
            .args(chunk));
        assert!(
            out.status.success(),
            "beam_disasm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stock.push_str(&String::from_utf8(out.stdout).expect("utf-8 output"));
    }

    let modules: std::collections::BTreeSet<&str> =
        ours.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(modules.len(), beams.len(), "one module per .beam file");
    if sorted_lines(&ours) != sorted_lines(&stock) {
        panic!(
            "histograms differ (first = oxbeam, second = beam_disasm)\n{}",
            diff_lines(&ours, &stock, 20)
        );
    }
    println!(
        "{} modules, {} opcode lines agree with beam_disasm",
        modules.len(),
        ours.lines().count()
    );
}
