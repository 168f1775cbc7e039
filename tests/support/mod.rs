//! Shared helpers for the integration tests: the OTP tree, stock `erl`, temp dirs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The OTP root the tests run against (`$OXBEAM_OTP_ROOT` or `/usr/lib/erlang`).
pub fn otp_root() -> PathBuf {
    oxbeam::otp::root()
}

/// Every `.beam` file of the OTP tree; fails the test if there is no OTP 25 tree
/// (`make test` installs it, so a missing tree is a setup error, not a skip).
pub fn otp_beams() -> Vec<PathBuf> {
    let root = otp_root();
    assert_eq!(
        oxbeam::otp::release(&root).as_deref(),
        Some("25"),
        "no OTP 25 under {} (run `make test`, which installs it)",
        root.display()
    );
    oxbeam::otp::beam_files(&root).expect("listing the OTP tree")
}

/// A fresh scratch directory under the target dir, named after `name`.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating scratch dir");
    dir
}

/// Compiles `src` (a path relative to the repo root) with stock `erlc` into `out`.
pub fn erlc(src: &str, out: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(src);
    let status = Command::new("erlc")
        .arg("-o")
        .arg(out)
        .arg(&src)
        .status()
        .expect("running erlc (is Erlang/OTP installed?)");
    assert!(status.success(), "erlc {} failed", src.display());
}

/// Whether the command `cmd` is on the `PATH`.
pub fn have(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd} >/dev/null"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Runs a command and returns its output, failing the test if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// The path of the `oxbeam` binary built for this test run.
pub fn oxbeam_path() -> &'static str {
    env!("CARGO_BIN_EXE_oxbeam")
}

/// The `oxbeam` binary built for this test run.
pub fn oxbeam() -> Command {
    Command::new(oxbeam_path())
}

/// Runs a command; returns its stdout (lossy UTF-8) and exit status (-1 if
/// killed by a signal).
pub fn stdout_status(cmd: &mut Command) -> (String, i32) {
    let out = run(cmd);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Lines of `a` and `b` that differ, as a short report (first `max` of each side).
pub fn diff_lines(a: &str, b: &str, max: usize) -> String {
    let la: std::collections::BTreeSet<&str> = a.lines().collect();
    let lb: std::collections::BTreeSet<&str> = b.lines().collect();
    let only_a: Vec<&&str> = la.difference(&lb).take(max).collect();
    let only_b: Vec<&&str> = lb.difference(&la).take(max).collect();
    format!("only in first: {only_a:#?}\nonly in second: {only_b:#?}")
}

/// xorshift64* PRNG: deterministic random inputs for the stress tests.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}
