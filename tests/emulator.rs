//! Emulator integration tests: every `.beam` of the OTP tree goes through
//! the load-time transform; the reduction budget switches a long-running
//! process out (and it resumes correctly); deep recursion works.

use oxbeam::atom::Atom;
use oxbeam::emulator::interp::{run, setup_call, Outcome};
use oxbeam::process::Process;
use oxbeam::term::Term;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn otp_tree_transforms() {
    let root = oxbeam::otp::root();
    let files = oxbeam::otp::beam_files(&root).unwrap_or_default();
    assert!(
        !files.is_empty(),
        "no OTP tree at {} (`make test` installs it)",
        root.display()
    );
    let mut ok = 0;
    let mut failed = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let Ok(m) = oxbeam_loader::load_file(f) else {
            continue;
        };
        match oxbeam::emulator::transform::transform(&m, 1_000_000 + i as u32) {
            Ok(_) => ok += 1,
            Err(e) => failed.push(format!("{}: {e}", f.display())),
        }
    }
    eprintln!("{ok} modules transform, {} fail", failed.len());
    for f in failed.iter().take(20) {
        eprintln!("  {f}");
    }
    // Everything but a handful of exotic literals must load.
    assert!(
        failed.len() * 100 <= ok,
        "too many failures: {}",
        failed.len()
    );
}

fn compile(src: &str, name: &str) -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("oxbeam-emu-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join(format!("{name}.erl"));
    std::fs::write(&file, src).ok()?;
    let st = Command::new("erlc")
        .current_dir(&dir)
        .arg(format!("{name}.erl"))
        .status()
        .ok()?;
    st.success().then_some(dir)
}

const YIELDY: &str = "-module(yieldy).\n-export([loop/1, deep/1]).\n\
loop(0) -> done;\nloop(N) -> loop(N - 1).\n\
deep(0) -> 0;\ndeep(N) -> 1 + deep(N - 1).\n";

#[test]
fn reductions_switch_out_and_resume() {
    let dir = compile(YIELDY, "yieldy").expect("erlc (`make test` installs Erlang/OTP)");
    oxbeam::code::set_code_path(&[dir]);
    let m = Atom::intern("yieldy").unwrap();
    let mut p = Process::new(1);
    setup_call(
        &mut p,
        m,
        Atom::intern("loop").unwrap(),
        &[Term::small(100_000).unwrap()],
    );
    let mut yields = 0;
    let v = loop {
        match run(&mut p) {
            Outcome::Yield => yields += 1,
            Outcome::Returned(v) => break v,
            o => panic!("unexpected {o:?}"),
        }
    };
    assert_eq!(v, Term::atom(Atom::intern("done").unwrap()));
    // 100,000 calls at 4,000 reductions per slice.
    assert!(yields >= 20, "yields: {yields}");
    assert_eq!(p.yields, yields);

    // A million frames deep: the stack lives in the heap and grows.
    let mut p = Process::new(1);
    setup_call(
        &mut p,
        m,
        Atom::intern("deep").unwrap(),
        &[Term::small(1_000_000).unwrap()],
    );
    let v = loop {
        match run(&mut p) {
            Outcome::Yield => {}
            Outcome::Returned(v) => break v,
            o => panic!("unexpected {o:?}"),
        }
    };
    assert_eq!(v.as_small(), Some(1_000_000));
}

/// The load-time specialisations that tests/erlang/fast_paths.erl exists
/// to exercise are produced for it (so that program keeps covering them).
#[test]
fn fast_paths_program_gets_specialised_forms() {
    use oxbeam::emulator::Instr;
    let src = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/erlang/fast_paths.erl"),
    )
    .expect("tests/erlang/fast_paths.erl");
    let dir = compile(&src, "fast_paths").expect("erlc (`make test` installs Erlang/OTP)");
    let m = oxbeam_loader::load_file(&dir.join("fast_paths.beam")).expect("loads");
    let m = oxbeam::emulator::transform::transform(&m, 999_999).expect("transforms");
    let count = |f: &dyn Fn(&Instr) -> bool| m.code.iter().filter(|i| f(i)).count();
    assert!(count(&|i| matches!(i, Instr::CmpXX { .. })) >= 6);
    assert!(count(&|i| matches!(i, Instr::SelectSmallX { .. })) >= 2);
    assert!(count(&|i| matches!(i, Instr::SelectRangeX { .. })) >= 3);
    assert!(count(&|i| matches!(i, Instr::ReturnX { .. })) >= 2);
    assert!(count(&|i| matches!(i, Instr::MoveNR(_) | Instr::AllocMoves(_))) >= 2);
}
