//! `oxbeam etf check FILE`: the differential check against stock ERTS
//! (see `tests/etf_check.rs` and `tests/erlang/etf_corpus.erl`).
//!
//! FILE holds `term_to_binary(L)` of a list `L` written by stock `erl`. The
//! list is decoded into a process heap, which then goes through a minor GC
//! and a full sweep with `L` as the only root. For each element `T`, in
//! order, one line `phash2(T)<TAB>hex(term_to_binary(T))` is printed; then,
//! for each adjacent pair `i, i+1`, `cmp<TAB>i<TAB>lt|eq|gt<TAB>true|false`
//! (Erlang `<`/`==`/`>`, then `=:=`).
//!
//! Options: `--extra` adds, per term, `phash/2` (as `make_hash`),
//! `phash2(T, 1000003)` and the `minor_version` 0, 2 and `deterministic`
//! encodings; `--reencode OUT` also writes `term_to_binary(L)` (with
//! `--compressed`: compressed) to OUT.

use super::{decode, encode, encode_into, DecodeOptions, EncodeOptions};
use crate::heap::Heap;
use crate::term::cmp::{compare, eq_exact};
use crate::term::hash::{make_hash, make_hash2, phash2};
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::io::Write as _;

const USAGE: &str = "usage: oxbeam etf check [--extra] [--reencode OUT [--compressed]] FILE";

/// Runs `oxbeam etf ARGS...`; returns the process exit status.
pub fn cli_main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("check") => check_main(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

struct Opts {
    extra: bool,
    reencode: Option<String>,
    compressed: bool,
    file: String,
}

fn parse(args: &[String]) -> Option<Opts> {
    let mut o = Opts {
        extra: false,
        reencode: None,
        compressed: false,
        file: String::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--extra" => o.extra = true,
            "--compressed" => o.compressed = true,
            "--reencode" => o.reencode = Some(it.next()?.clone()),
            f if !f.starts_with("--") && o.file.is_empty() => o.file = f.to_string(),
            _ => return None,
        }
    }
    if o.file.is_empty() {
        None
    } else {
        Some(o)
    }
}

fn check_main(args: &[String]) -> i32 {
    let Some(o) = parse(args) else {
        eprintln!("{USAGE}");
        return 2;
    };
    let bytes = match std::fs::read(&o.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("oxbeam etf check: {}: {e}", o.file);
            return 1;
        }
    };
    match run(&bytes, &o) {
        Ok(out) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            if lock
                .write_all(out.as_bytes())
                .and_then(|_| lock.flush())
                .is_err()
            {
                return 1;
            }
            0
        }
        Err(e) => {
            eprintln!("oxbeam etf check: {}: {e}", o.file);
            1
        }
    }
}

fn hex(out: &mut String, bytes: &[u8]) {
    const D: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(D[(b >> 4) as usize] as char);
        out.push(D[(b & 15) as usize] as char);
    }
}

fn run(bytes: &[u8], o: &Opts) -> Result<String, String> {
    let mut heap = Heap::new();
    let (list, _used) =
        decode(bytes, &mut heap, &DecodeOptions::default()).map_err(|e| e.to_string())?;
    // A minor GC, then a full sweep, with the list as the only root.
    let mut roots = [list];
    heap.gc(0, &mut [&mut roots[..]]);
    heap.major_gc(0, &mut [&mut roots[..]]);
    let list = roots[0];
    let terms = list
        .list_to_vec()
        .ok_or_else(|| "the file does not hold a proper list".to_string())?;

    if let Some(path) = &o.reencode {
        let opts = EncodeOptions {
            compressed: if o.compressed { Some(6) } else { None },
            ..EncodeOptions::default()
        };
        std::fs::write(path, encode(list, &opts)).map_err(|e| format!("{path}: {e}"))?;
    }

    let mut out = String::new();
    let mut buf = Vec::new();
    for &t in &terms {
        let _ = write!(out, "{}\t", phash2(t));
        buf.clear();
        encode_into(t, &EncodeOptions::default(), &mut buf);
        hex(&mut out, &buf);
        if o.extra {
            let _ = write!(out, "\t{}\t{}\t", make_hash(t), make_hash2(t) % 1_000_003);
            for opts in [
                EncodeOptions {
                    minor_version: 0,
                    ..EncodeOptions::default()
                },
                EncodeOptions {
                    minor_version: 2,
                    ..EncodeOptions::default()
                },
            ] {
                buf.clear();
                encode_into(t, &opts, &mut buf);
                hex(&mut out, &buf);
                out.push('\t');
            }
            buf.clear();
            encode_into(
                t,
                &EncodeOptions {
                    deterministic: true,
                    ..EncodeOptions::default()
                },
                &mut buf,
            );
            hex(&mut out, &buf);
        }
        out.push('\n');
    }
    for (i, w) in terms.windows(2).enumerate() {
        let r = match compare(w[0], w[1]) {
            Ordering::Less => "lt",
            Ordering::Equal => "eq",
            Ordering::Greater => "gt",
        };
        let _ = writeln!(out, "cmp\t{i}\t{r}\t{}", eq_exact(w[0], w[1]));
    }
    Ok(out)
}
