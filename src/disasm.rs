//! `oxbeam disasm`: a readable listing of a `.beam` file, or per-module opcode histograms.
//!
//! * `oxbeam disasm FILE.beam` prints the module name, exports, imports, funs, the literal
//!   count and then one instruction per line in Erlang-like syntax
//!   (`{move,{x,0},{y,1}}.`, `{call_ext,2,{extfunc,lists,reverse,2}}.`).
//! * `oxbeam disasm --histogram PATH...` prints `module<TAB>opcode<TAB>count` for every
//!   `.beam` under each PATH (recursively, sorted by path), one line per opcode present
//!   in the module's code (all instructions except the final `int_code_end`), sorted by
//!   opcode name. Files that fail to load are reported on stderr; the exit status is then 1.

use oxbeam_loader::compact::{Operand, Reg};
use oxbeam_loader::opcodes::{self, op};
use oxbeam_loader::pretty::atom_text;
use oxbeam_loader::{Instr, Module};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

const USAGE: &str = "usage: oxbeam disasm FILE.beam | oxbeam disasm --histogram PATH...";

/// Runs `oxbeam disasm ARGS...`; returns the process exit status.
pub fn cli_main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("--histogram") if args.len() > 1 => histogram_main(&args[1..]),
        Some("-h") | Some("--help") => {
            println!("{USAGE}");
            0
        }
        Some(f) if args.len() == 1 && !f.starts_with('-') => listing_main(Path::new(f)),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

fn listing_main(path: &Path) -> i32 {
    match oxbeam_loader::load_file(path) {
        Ok(m) => {
            let text = listing(&m);
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            0
        }
        Err(e) => {
            eprintln!("oxbeam disasm: {e}");
            1
        }
    }
}

/// The opcode histogram of `m` (all instructions except `int_code_end`), by name.
pub fn histogram(m: &Module) -> BTreeMap<&'static str, usize> {
    let mut counts = [0usize; 256];
    for i in &m.instructions {
        if i.op != op::INT_CODE_END {
            counts[i.op as usize] += 1;
        }
    }
    let mut out = BTreeMap::new();
    for (opn, &n) in counts.iter().enumerate() {
        if n > 0 {
            out.insert(opcodes::name(opn as u8), n);
        }
    }
    out
}

fn histogram_main(paths: &[String]) -> i32 {
    let mut status = 0;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for p in paths {
        let files = match crate::otp::beam_files(Path::new(p)) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("oxbeam disasm: {p}: {e}");
                status = 1;
                continue;
            }
        };
        for f in files {
            match oxbeam_loader::load_file(&f) {
                Ok(m) => {
                    let mut text = String::new();
                    for (name, n) in histogram(&m) {
                        let _ = writeln!(text, "{}\t{}\t{}", m.name, name, n);
                    }
                    if out.write_all(text.as_bytes()).is_err() {
                        return status;
                    }
                }
                Err(e) => {
                    eprintln!("oxbeam disasm: {e}");
                    status = 1;
                }
            }
        }
    }
    let _ = out.flush();
    status
}

/// Position of the import-table operand of `op`, if it has one.
fn import_operand(opn: u8) -> Option<usize> {
    match opn {
        op::CALL_EXT | op::CALL_EXT_LAST | op::CALL_EXT_ONLY => Some(1),
        op::BIF0 => Some(0),
        op::BIF1 | op::BIF2 => Some(1),
        op::GC_BIF1 | op::GC_BIF2 | op::GC_BIF3 => Some(2),
        _ => None,
    }
}

fn atom_or_index(m: &Module, index: u32) -> String {
    match m.atom(index) {
        Some(a) => atom_text(a),
        None => format!("{{atom_index,{index}}}"),
    }
}

fn write_operand(out: &mut String, m: &Module, o: &Operand) {
    let _ = match o {
        Operand::U(n) => write!(out, "{n}"),
        Operand::Int(i) => write!(out, "{{integer,{i}}}"),
        Operand::BigInt(b) => write!(out, "{{integer,{b}}}"),
        Operand::Atom(a) => write!(out, "{{atom,{}}}", atom_or_index(m, *a)),
        Operand::Nil => write!(out, "nil"),
        Operand::X(n) => write!(out, "{{x,{n}}}"),
        Operand::Y(n) => write!(out, "{{y,{n}}}"),
        Operand::Label(n) => write!(out, "{{f,{n}}}"),
        Operand::Char(c) => write!(out, "{{char,{c}}}"),
        Operand::Float(f) => write!(out, "{{float,{f:?}}}"),
        Operand::List(items) => {
            out.push_str("{list,[");
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_operand(out, m, it);
            }
            write!(out, "]}}")
        }
        Operand::FloatReg(n) => write!(out, "{{fr,{n}}}"),
        Operand::Alloc(a) => write!(
            out,
            "{{alloc,[{{words,{}}},{{floats,{}}},{{funs,{}}}]}}",
            a.words, a.floats, a.funs
        ),
        Operand::Literal(i) => match m.literals.get(*i as usize) {
            Some(t) => write!(out, "{{literal,{t}}}"),
            None => write!(out, "{{literal_index,{i}}}"),
        },
        Operand::TypedReg { reg, type_index } => {
            let r = match reg {
                Reg::X(n) => format!("{{x,{n}}}"),
                Reg::Y(n) => format!("{{y,{n}}}"),
            };
            write!(out, "{{tr,{r},{type_index}}}")
        }
    };
}

fn write_instr(out: &mut String, m: &Module, ins: &Instr) {
    out.push('{');
    out.push_str(&atom_text(ins.name()));
    let imp = import_operand(ins.op);
    for (i, a) in ins.args.iter().enumerate() {
        out.push(',');
        match (imp == Some(i), a) {
            (true, Operand::U(n)) => match m.import_mfa(*n as usize) {
                Some((md, f, ar)) => {
                    let _ = write!(out, "{{extfunc,{},{},{ar}}}", atom_text(md), atom_text(f));
                }
                None => {
                    let _ = write!(out, "{{import_index,{n}}}");
                }
            },
            _ => write_operand(out, m, a),
        }
    }
    out.push_str("}.");
}

/// The full listing of a module, as `oxbeam disasm FILE.beam` prints it.
pub fn listing(m: &Module) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "module: {}", atom_text(&m.name));
    let h = &m.header;
    let _ = writeln!(
        out,
        "header: instruction_set {} max_opcode {} labels {} functions {} instructions {}",
        h.instruction_set,
        h.max_opcode,
        h.label_count,
        h.function_count,
        m.instructions.len()
    );
    let _ = writeln!(out, "exports ({}):", m.exports.len());
    for e in &m.exports {
        let _ = writeln!(
            out,
            "  {}/{} label {}",
            atom_or_index(m, e.function),
            e.arity,
            e.label
        );
    }
    let _ = writeln!(out, "imports ({}):", m.imports.len());
    for (i, imp) in m.imports.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {i}: {}:{}/{}",
            atom_or_index(m, imp.module),
            atom_or_index(m, imp.function),
            imp.arity
        );
    }
    let _ = writeln!(out, "funs ({}):", m.funs.len());
    for (i, f) in m.funs.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {i}: {}/{} label {} index {} num_free {} old_uniq {}",
            atom_or_index(m, f.function),
            f.arity,
            f.label,
            f.index,
            f.num_free,
            f.old_uniq
        );
    }
    let _ = writeln!(out, "literals: {}", m.literals.len());
    if let Some(attrs) = &m.attributes {
        let _ = writeln!(out, "attributes: {attrs}");
    }
    let _ = writeln!(out, "code:");
    for (k, ins) in m.instructions.iter().enumerate() {
        // A blank line before each function (the label preceding its func_info).
        if ins.op == op::LABEL
            && m.instructions
                .get(k + 1)
                .is_some_and(|next| next.op == op::FUNC_INFO)
        {
            out.push('\n');
        }
        out.push_str("  ");
        write_instr(&mut out, m, ins);
        out.push('\n');
    }
    out
}
