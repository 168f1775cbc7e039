//! Generates the BIF/NIF declaration tables from `bifs/*.tab`.
use std::fmt::Write as _;
use std::path::Path;

fn parse(path: &Path, out: &mut String, table: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    writeln!(out, "/// Generated from `{}`.", path.display()).unwrap();
    writeln!(out, "pub static {table}: &[BifDecl] = &[").unwrap();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut fields = line.split_whitespace();
        let mfa = fields.next().unwrap();
        let rust_fn = fields
            .next()
            .unwrap_or_else(|| panic!("{}:{}: missing rust_fn", path.display(), n + 1));
        let flags: Vec<&str> = fields.collect();
        let (mf, a) = mfa
            .rsplit_once('/')
            .unwrap_or_else(|| panic!("{}:{}: bad MFA {mfa}", path.display(), n + 1));
        let (m, f) = mf
            .split_once(':')
            .unwrap_or_else(|| panic!("{}:{}: bad MFA {mfa}", path.display(), n + 1));
        // Operator names may be quoted: erlang:'/'/2.
        let f = f.trim_matches('\'');
        let a: u8 = a
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad arity {a}", path.display(), n + 1));
        writeln!(
            out,
            "    BifDecl {{ module: {m:?}, name: {f:?}, arity: {a}, rust_fn: {rust_fn:?}, flags: &{flags:?}, func: crate::bif::{rust_fn} }},"
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let mut out = String::new();
    for (file, table) in [("bifs/bif.tab", "BIF_DECLS"), ("bifs/nif.tab", "NIF_DECLS")] {
        println!("cargo:rerun-if-changed={file}");
        parse(Path::new(file), &mut out, table);
    }
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("bif_tables.rs"), out).unwrap();
    std::fs::write(
        Path::new(&out_dir).join("erlang_programs.rs"),
        format!(
            "/// Programs in `tests/erlang/` (modules exporting `main/0`), counted at build time.\n\
             pub const ERLANG_TEST_PROGRAMS: usize = {};\n",
            erlang_test_programs()
        ),
    )
    .unwrap();
}

/// Counts the differential test programs: `tests/erlang/*.erl` exporting `main/0`.
fn erlang_test_programs() -> usize {
    println!("cargo:rerun-if-changed=tests/erlang");
    let Ok(dir) = std::fs::read_dir("tests/erlang") else {
        return 0;
    };
    dir.flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "erl"))
        .filter(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|src| {
                src.lines()
                    .any(|l| l.starts_with("-export(") && l.contains("main/0"))
            })
        })
        .count()
}
