//! The generated opcode table, and a cross-check against the installed compiler's
//! `beam_opcodes.erl` (fails if it is not installed: `make test` installs it).

use oxbeam_loader::opcodes::{self, by_name, info, op, ALL, MAX_OPCODE};

#[test]
fn table_shape() {
    assert_eq!(MAX_OPCODE, 180);
    assert_eq!(ALL.len(), 180);
    assert_eq!(opcodes::BEAM_FORMAT_NUMBER, 0);
    for (i, o) in ALL.iter().enumerate() {
        assert_eq!(o.number as usize, i + 1);
        assert_eq!(info(o.number), Some(o));
        assert_eq!(by_name(o.name), Some(o));
    }
    assert_eq!(info(0), None);
    assert_eq!(info(181), None);
    assert_eq!(by_name("nonexistent"), None);
    assert_eq!(ALL.iter().filter(|o| o.obsolete).count(), 36);
    let mv = by_name("move").unwrap();
    assert_eq!((mv.number, mv.arity, mv.obsolete), (64, 2, false));
    assert_eq!(op::MOVE, 64);
    assert_eq!(op::INT_CODE_END, 3);
    assert_eq!(op::BADRECORD, 180);
    assert_eq!(op::CATCH, 62);
    assert!(info(op::PUT).unwrap().obsolete);
    assert_eq!(opcodes::name(op::BS_CREATE_BIN), "bs_create_bin");
}

#[test]
fn matches_installed_beam_opcodes_erl() {
    let Some(src) = std::fs::read_dir("/usr/lib/erlang/lib")
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("src/beam_opcodes.erl"))
        .find(|p| p.is_file())
    else {
        panic!("beam_opcodes.erl not installed (`make test` installs erlang-src)");
    };
    let text = std::fs::read_to_string(&src).unwrap();
    let mut seen = 0;
    for line in text.lines() {
        // opcode(Name, Arity) -> N;   or   %%opcode(Name, Arity) -> N;  (obsolete)
        let (obsolete, rest) = match line.strip_prefix("%%opcode(") {
            Some(r) => (true, r),
            None => match line.strip_prefix("opcode(") {
                Some(r) => (false, r),
                None => continue,
            },
        };
        let Some((args, num)) = rest.split_once(") -> ") else {
            continue;
        };
        let Some((name, arity)) = args.split_once(", ") else {
            continue;
        };
        let Ok(num) = num.trim_end_matches(';').trim().parse::<u8>() else {
            continue;
        };
        let name = name.trim_matches('\'');
        let o = info(num).unwrap_or_else(|| panic!("opcode {num} missing"));
        assert_eq!(o.name, name, "opcode {num}");
        assert_eq!(o.arity.to_string(), arity, "opcode {num}");
        assert_eq!(o.obsolete, obsolete, "opcode {num}");
        seen += 1;
    }
    assert_eq!(seen, 180, "parsed {} from {}", seen, src.display());
}
