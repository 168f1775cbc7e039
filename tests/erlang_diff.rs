//! Differential tests: every program of `tests/erlang/` (a module exporting
//! `main/0`) runs on stock `erl` and on `oxbeam run`; stdout and the exit
//! status must be identical.
//!
//! The interpreter is young, so `tests/erlang/PASSING` lists the programs
//! that must pass: the test fails if any of them differs, and reports
//! (without failing) unlisted programs that pass now, so the list can
//! grow.
//!
//! One normalisation: an uncaught exception makes stock `erl -eval` print
//! `{"init terminating in do_boot",{Reason,Trace}}` where `Trace` ends with
//! frames of `erl_eval` and `init` (the `-eval` machinery) that `oxbeam
//! run` does not have. Those frames are dropped from stock's line and
//! oxbeam's trace is cut to the same number of frames; everything else must
//! match byte for byte.
//!
//! Set `OXBEAM_DIFF_ONLY=mod1,mod2` to run a subset; the test
//! fails when `erl`/`erlc` are not installed (`make test` installs them).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::have;

fn test_modules(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "erl") {
            let src = std::fs::read_to_string(&p).unwrap_or_default();
            if src
                .lines()
                .any(|l| l.starts_with("-export(") && l.contains("main/0"))
            {
                v.push(p.file_stem().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    v.sort();
    v
}

/// Stdout and exit status of one run.
struct Run {
    stdout: String,
    status: i32,
}

fn run(cmd: &mut Command) -> Run {
    let (stdout, status) = support::stdout_status(cmd);
    Run { stdout, status }
}

/// Splits `{"init terminating in do_boot",{R,[F1,...]}}` into (prefix,
/// frames, suffix).
fn split_trace(line: &str) -> Option<(String, Vec<String>, String)> {
    let b = line.as_bytes();
    if !line.ends_with("]}}") {
        return None;
    }
    let close = b.len() - 3;
    // Scan backwards for the matching '['.
    let mut depth = 0i32;
    let mut i = close as isize;
    let mut in_str = false;
    while i >= 0 {
        let c = b[i as usize];
        if in_str {
            if c == b'"' && (i == 0 || b[i as usize - 1] != b'\\') {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b']' | b'}' => depth += 1,
                b'[' | b'{' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        i -= 1;
    }
    if i < 0 {
        return None;
    }
    let open = i as usize;
    let inner = &line[open + 1..close];
    let mut frames = Vec::new();
    let mut d = 0i32;
    let mut start = 0;
    let ib = inner.as_bytes();
    let mut in_str = false;
    for (k, &c) in ib.iter().enumerate() {
        if in_str {
            if c == b'"' && ib[k - 1] != b'\\' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => d += 1,
            b']' | b'}' => d -= 1,
            b',' if d == 0 => {
                frames.push(inner[start..k].to_string());
                start = k + 1;
            }
            _ => {}
        }
    }
    if !inner.is_empty() {
        frames.push(inner[start..].to_string());
    }
    Some((
        line[..open + 1].to_string(),
        frames,
        line[close..].to_string(),
    ))
}

fn normalise(stock: &str, ox: &str) -> (String, String) {
    let mut s_lines: Vec<String> = stock.lines().map(str::to_owned).collect();
    let mut o_lines: Vec<String> = ox.lines().map(str::to_owned).collect();
    const CRASH: &str = "{\"init terminating in do_boot\",";
    if let (Some(sl), Some(ol)) = (s_lines.last_mut(), o_lines.last_mut()) {
        if sl.starts_with(CRASH) && ol.starts_with(CRASH) {
            if let (Some((sp, sf, ss)), Some((op, of, os))) = (split_trace(sl), split_trace(ol)) {
                let sf: Vec<String> = sf
                    .into_iter()
                    .filter(|f| !f.starts_with("{erl_eval,") && !f.starts_with("{init,"))
                    .collect();
                let of: Vec<String> = of.into_iter().take(sf.len()).collect();
                *sl = format!("{sp}{}{ss}", sf.join(","));
                *ol = format!("{op}{}{os}", of.join(","));
            }
        }
    }
    (s_lines.join("\n"), o_lines.join("\n"))
}

#[test]
fn erlang_programs_match_stock() {
    assert!(
        have("erl") && have("erlc"),
        "erl/erlc not installed: `make test` installs Erlang/OTP 25 first"
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/erlang");
    let tmp = support::scratch_dir("erlang_diff");
    let ebin = tmp.join("ebin");
    std::fs::create_dir_all(&ebin).unwrap();
    // Compile every .erl from inside tests/erlang (relative file names, as
    // check_stock.sh does, so {file,_} in traces is "MOD.erl").
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "erl") {
            let _ = Command::new("erlc")
                .current_dir(&dir)
                .arg("-o")
                .arg(&ebin)
                .arg(p.file_name().unwrap())
                .output();
        }
    }
    let passing: Vec<String> = std::fs::read_to_string(dir.join("PASSING"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let only: Option<Vec<String>> = std::env::var("OXBEAM_DIFF_ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_owned).collect());
    let mods: Vec<String> = test_modules(&dir)
        .into_iter()
        .filter(|m| only.as_ref().map_or(true, |o| o.contains(m)))
        .collect();
    let oxbeam = support::oxbeam_path();
    let run_dir = tmp.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();

    // A few worker threads (the machine may be small and shared); listed
    // programs get a generous timeout, the others a short one.
    let queue = std::sync::Mutex::new(mods.clone());
    let results = std::sync::Mutex::new(Vec::<(String, Result<(), String>)>::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let Some(m) = queue.lock().unwrap().pop() else {
                    break;
                };
                let limit = if passing.contains(&m) { "300" } else { "60" };
                let stock = run(Command::new("timeout")
                    .current_dir(&run_dir)
                    .env("ERL_CRASH_DUMP_SECONDS", "0")
                    .env("ERL_CRASH_DUMP", "/dev/null")
                    .args(["300", "erl", "-noshell", "-pa"])
                    .arg(&ebin)
                    .arg("-eval")
                    .arg(format!("{m}:main(), halt()."))
                    .stdin(std::process::Stdio::null()));
                let ox = run(Command::new("timeout")
                    .current_dir(&run_dir)
                    .args([limit, oxbeam, "run", "-pa"])
                    .arg(&ebin)
                    .arg(&m)
                    .stdin(std::process::Stdio::null()));
                let (s_out, o_out) = normalise(&stock.stdout, &ox.stdout);
                let r = if s_out != o_out {
                    let diff_at = s_out
                        .lines()
                        .zip(o_out.lines())
                        .position(|(a, b)| a != b)
                        .unwrap_or(s_out.lines().count().min(o_out.lines().count()));
                    let sl = s_out.lines().nth(diff_at).unwrap_or("<eof>");
                    let ol = o_out.lines().nth(diff_at).unwrap_or("<eof>");
                    Err(format!(
                        "stdout differs at line {}:\n    stock:  {}\n    oxbeam: {}",
                        diff_at + 1,
                        sl.chars().take(300).collect::<String>(),
                        ol.chars().take(300).collect::<String>()
                    ))
                } else if stock.status != ox.status {
                    Err(format!(
                        "exit status: stock {} oxbeam {}",
                        stock.status, ox.status
                    ))
                } else {
                    Ok(())
                };
                results.lock().unwrap().push((m, r));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let _ = std::fs::remove_dir_all(&tmp);

    let mut failures = Vec::new();
    let mut newly = Vec::new();
    for (m, r) in &results {
        let listed = passing.contains(m);
        match r {
            Ok(()) => {
                if !listed {
                    newly.push(m.clone());
                }
            }
            Err(e) => {
                if listed {
                    failures.push(format!("{m}: {e}"));
                } else {
                    eprintln!("(not yet passing) {m}: {e}");
                }
            }
        }
    }
    let passed = results.iter().filter(|r| r.1.is_ok()).count();
    eprintln!(
        "erlang_diff: {passed} / {} programs match stock",
        results.len()
    );
    if !newly.is_empty() {
        eprintln!(
            "erlang_diff: passing but not in tests/erlang/PASSING: {}",
            newly.join(" ")
        );
    }
    assert!(
        failures.is_empty(),
        "listed programs differ from stock:\n{}",
        failures.join("\n")
    );
}

#[test]
fn crash_trace_normalisation() {
    let stock = "{\"init terminating in do_boot\",{{boom,3},[{m,f,1,[{file,\"m.erl\"},{line,15}]},{erl_eval,do_apply,7,[{file,\"erl_eval.erl\"},{line,744}]},{init,start_it,1,[]}]}}";
    let ox = "{\"init terminating in do_boot\",{{boom,3},[{m,f,1,[{file,\"m.erl\"},{line,15}]},{m,main,0,[]}]}}";
    let (a, b) = normalise(stock, ox);
    assert_eq!(a, b);
    assert_eq!(
        a,
        "{\"init terminating in do_boot\",{{boom,3},[{m,f,1,[{file,\"m.erl\"},{line,15}]}]}}"
    );
}
