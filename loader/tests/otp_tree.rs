//! Loads every `.beam` file under /usr/lib/erlang and requires zero errors.

use std::path::{Path, PathBuf};

fn beams(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            beams(&p, out);
        } else if p.extension().is_some_and(|x| x == "beam") {
            out.push(p);
        }
    }
}

#[test]
fn loads_every_otp_beam() {
    let root = Path::new("/usr/lib/erlang");
    assert!(
        root.is_dir(),
        "{} not found (`make test` installs OTP)",
        root.display()
    );
    let mut files = Vec::new();
    beams(root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .beam files under {}", root.display());
    let mut errors = Vec::new();
    let mut instrs = 0usize;
    let mut literals = 0usize;
    for f in &files {
        match oxbeam_loader::load_file(f) {
            Ok(m) => {
                instrs += m.instructions.len();
                literals += m.literals.len();
                assert_eq!(
                    m.instructions.last().map(|i| i.op),
                    Some(oxbeam_loader::opcodes::op::INT_CODE_END)
                );
                let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                assert_eq!(m.name, stem, "{}", f.display());
                let funcs = m.instructions.iter().filter(|i| i.op == 2).count();
                assert_eq!(funcs as u32, m.header.function_count, "{}", f.display());
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    eprintln!(
        "{} files, {} instructions, {} literals, {} errors",
        files.len(),
        instrs,
        literals,
        errors.len()
    );
    assert!(errors.is_empty(), "load errors:\n{}", errors.join("\n"));
}
