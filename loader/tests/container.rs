//! Hand-built `.beam` files: the container, every chunk, and the errors for malformed
//! input (with chunk ids and offsets).

use oxbeam_loader::{parse_module, ETerm, ErrorKind, LineItem, LoadError, Operand, TypeEntry};
use std::io::Write;

fn chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.extend((data.len() as u32).to_be_bytes());
    v.extend(data);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

fn form(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut v = b"FOR1".to_vec();
    v.extend((body.len() as u32 + 4).to_be_bytes());
    v.extend(b"BEAM");
    v.extend(body);
    v
}

fn u32s(xs: &[u32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn atoms(names: &[&str]) -> Vec<u8> {
    let mut v = u32s(&[names.len() as u32]);
    for n in names {
        v.push(n.len() as u8);
        v.extend(n.as_bytes());
    }
    v
}

/// `label 1; func_info m f 0; label 2; return; int_code_end`.
const CODE: &[u8] = &[0x01, 0x10, 0x02, 0x12, 0x22, 0x00, 0x01, 0x20, 0x13, 0x03];

fn code(max_opcode: u32, body: &[u8]) -> Vec<u8> {
    let mut v = u32s(&[16, 0, max_opcode, 3, 1]);
    v.extend(body);
    v
}

struct Parts {
    atu8: Vec<u8>,
    code: Vec<u8>,
    extra: Vec<Vec<u8>>,
}

impl Parts {
    fn new() -> Parts {
        Parts {
            atu8: atoms(&["m", "f", "erlang", "g"]),
            code: code(180, CODE),
            extra: vec![],
        }
    }
    fn build(&self) -> Vec<u8> {
        let mut cs = vec![
            chunk(b"AtU8", &self.atu8),
            chunk(b"Code", &self.code),
            chunk(b"StrT", b"abc"),
            chunk(b"ImpT", &u32s(&[1, 3, 4, 1])),
            chunk(b"ExpT", &u32s(&[1, 2, 0, 2])),
        ];
        cs.extend(self.extra.iter().cloned());
        form(&cs)
    }
}

fn fails(bytes: &[u8]) -> LoadError {
    match parse_module(bytes) {
        Ok(m) => panic!("parsed: {m:?}"),
        Err(e) => e,
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = libflate::zlib::Encoder::new(Vec::new()).unwrap();
    e.write_all(data).unwrap();
    e.finish().into_result().unwrap()
}

fn literal_table(terms: &[&[u8]]) -> Vec<u8> {
    let mut v = u32s(&[terms.len() as u32]);
    for t in terms {
        v.extend((t.len() as u32).to_be_bytes());
        v.extend(*t);
    }
    v
}

#[test]
fn minimal_module() {
    let m = parse_module(&Parts::new().build()).unwrap();
    assert_eq!(m.name, "m");
    assert_eq!(m.atoms, ["m", "f", "erlang", "g"]);
    assert_eq!(m.header.max_opcode, 180);
    assert_eq!(m.header.label_count, 3);
    assert_eq!(m.strings, b"abc");
    assert_eq!(m.import_mfa(0), Some(("erlang", "g", 1)));
    assert_eq!(m.exports.len(), 1);
    assert_eq!(m.exports[0].label, 2);
    let ops: Vec<&str> = m.instructions.iter().map(|i| i.name()).collect();
    assert_eq!(
        ops,
        ["label", "func_info", "label", "return", "int_code_end"]
    );
    assert_eq!(
        m.instructions[1].args,
        [Operand::Atom(1), Operand::Atom(2), Operand::U(0)]
    );
    assert_eq!(m.instructions[3].offset, 8);
    assert!(m.lines.is_none() && m.types.is_none() && m.literals.is_empty());
    let ids: Vec<[u8; 4]> = m.chunks.iter().map(|c| c.id).collect();
    assert_eq!(ids, [*b"AtU8", *b"Code", *b"StrT", *b"ImpT", *b"ExpT"]);
    assert_eq!(m.chunks[0].offset, 20);
}

#[test]
fn container_errors() {
    let good = Parts::new().build();
    assert_eq!(fails(b"").kind, ErrorKind::Truncated { needed: 8 });
    assert_eq!(fails(b"FOR").kind, ErrorKind::Truncated { needed: 5 });
    assert_eq!(fails(b"XOR1\0\0\0\x04BEAM").kind, ErrorKind::NotIff);
    let mut notbeam = good.clone();
    notbeam[8..12].copy_from_slice(b"BEAN");
    let e = fails(&notbeam);
    assert_eq!((e.kind, e.offset), (ErrorKind::NotBeam, 8));
    // The form claims more bytes than the file has.
    let e = fails(&good[..good.len() - 4]);
    assert!(matches!(e.kind, ErrorKind::Truncated { needed: 4 }));
    // A chunk whose size runs past the form.
    let mut over = good.clone();
    over[16..20].copy_from_slice(&1000u32.to_be_bytes());
    let e = fails(&over);
    assert_eq!(e.kind, ErrorKind::ChunkOverrun { size: 1000 });
    assert_eq!((e.chunk, e.offset), (Some(*b"AtU8"), 16));
    assert!(e.to_string().contains("chunk 'AtU8'"), "{e}");
    // Chunk header cut short.
    let mut form_cut = good[..good.len()].to_vec();
    form_cut.extend([b'X', b'Y']);
    let n = form_cut.len() as u32 - 8;
    form_cut[4..8].copy_from_slice(&n.to_be_bytes());
    assert!(matches!(fails(&form_cut).kind, ErrorKind::Truncated { .. }));
    // Trailing bytes after the form are ignored (as ERTS does).
    let mut trailing = good.clone();
    trailing.extend([0; 7]);
    assert!(parse_module(&trailing).is_ok());
}

#[test]
fn missing_and_duplicate_chunks() {
    let mut p = Parts::new();
    p.extra.push(chunk(b"StrT", b""));
    let e = fails(&p.build());
    assert_eq!(e.kind, ErrorKind::DuplicateChunk(*b"StrT"));
    let only_code = form(&[chunk(b"Code", &code(180, CODE))]);
    assert_eq!(fails(&only_code).kind, ErrorKind::MissingChunk(*b"AtU8"));
    let no_imp = form(&[
        chunk(b"AtU8", &atoms(&["m"])),
        chunk(b"Code", &code(180, CODE)),
    ]);
    assert_eq!(fails(&no_imp).kind, ErrorKind::MissingChunk(*b"ImpT"));
}

#[test]
fn code_header_checks() {
    let mut p = Parts::new();
    p.code = code(181, CODE);
    let e = fails(&p.build());
    assert_eq!(e.kind, ErrorKind::MaxOpcode(181));
    assert_eq!(e.chunk, Some(*b"Code"));
    p.code = code(1, CODE);
    assert!(parse_module(&p.build()).is_ok());
    let mut c = code(180, CODE);
    c[4..8].copy_from_slice(&1u32.to_be_bytes());
    p.code = c;
    assert_eq!(fails(&p.build()).kind, ErrorKind::InstructionSet(1));
    let mut c = code(180, CODE);
    c[0..4].copy_from_slice(&1000u32.to_be_bytes());
    p.code = c;
    assert!(matches!(fails(&p.build()).kind, ErrorKind::Invalid(_)));
    // A larger header is skipped.
    let mut c = u32s(&[20, 0, 180, 3, 1, 99]);
    c.extend(CODE);
    p.code = c;
    assert_eq!(parse_module(&p.build()).unwrap().instructions.len(), 5);
}

#[test]
fn opcode_errors_name_number_and_offset() {
    // The code body starts after the Code chunk's 4-byte header size and 16-byte header.
    let base = parse_module(&Parts::new().build()).unwrap().chunks[1].offset + 20;
    for (body, kind, at) in [
        (&[0x01, 0x10, 200][..], ErrorKind::UnknownOpcode(200), 2),
        (&[0x01, 0x10, 181][..], ErrorKind::UnknownOpcode(181), 2),
        (&[0x00][..], ErrorKind::UnknownOpcode(0), 0),
        (
            &[0x01, 0x10, 27, 0x03][..],
            ErrorKind::ObsoleteOpcode(27),
            2,
        ),
        (&[0x01, 0x10, 0x13][..], ErrorKind::MissingCodeEnd, 3),
        (&[0x01][..], ErrorKind::Truncated { needed: 1 }, 1),
    ] {
        let mut p = Parts::new();
        p.code = code(180, body);
        let e = fails(&p.build());
        assert_eq!(e.kind, kind);
        assert_eq!(e.offset, base + at, "{kind:?}");
        assert_eq!(e.chunk, Some(*b"Code"));
    }
    let mut p = Parts::new();
    p.code = code(180, &[0x01, 0x10, 200]);
    let msg = fails(&p.build()).to_string();
    assert!(msg.contains("unknown opcode 200"), "{msg}");
    assert!(msg.contains(&format!("offset {}", base + 2)), "{msg}");
    // A list that is not the last operand (move's first operand).
    p.code = code(180, &[64, 0x17, 0x00, 0x03, 0x03]);
    assert_eq!(fails(&p.build()).kind, ErrorKind::ListNotLast);
    // Index checks against the other tables.
    p.code = code(180, &[64, 0x52, 0x03, 0x03]); // atom 5 of 4
    assert!(matches!(
        fails(&p.build()).kind,
        ErrorKind::IndexOutOfRange {
            what: "atom",
            index: 5
        }
    ));
    p.code = code(180, &[64, 0x47, 0x00, 0x03, 0x03]); // literal 0, none exist
    assert!(matches!(
        fails(&p.build()).kind,
        ErrorKind::IndexOutOfRange {
            what: "literal",
            ..
        }
    ));
    p.code = code(180, &[4, 0x00, 0x35, 0x03]); // call 0 {f,3}, label_count 3
    assert!(matches!(
        fails(&p.build()).kind,
        ErrorKind::IndexOutOfRange {
            what: "label",
            index: 3
        }
    ));
}

#[test]
fn table_errors() {
    let mut p = Parts::new();
    p.atu8 = atoms(&["m", "f"]); // the import refers to atoms 3 and 4
    let e = fails(&p.build());
    assert_eq!(e.chunk, Some(*b"ImpT"));
    assert!(matches!(
        e.kind,
        ErrorKind::IndexOutOfRange {
            what: "atom",
            index: 3
        }
    ));
    let mut p = Parts::new();
    p.atu8 = u32s(&[0xFFFF_FFFF]);
    assert_eq!(fails(&p.build()).kind, ErrorKind::BadCount(0xFFFF_FFFF));
    p.atu8 = vec![0, 0, 0, 1, 2, 0xC3, 0x28];
    assert_eq!(fails(&p.build()).kind, ErrorKind::InvalidUtf8);
    p.atu8 = u32s(&[0]);
    assert!(matches!(fails(&p.build()).kind, ErrorKind::Invalid(_)));
    let mut p = Parts::new();
    p.extra.push(chunk(b"FunT", &u32s(&[2, 1, 0, 2, 0, 0, 0])));
    assert!(matches!(fails(&p.build()).kind, ErrorKind::BadCount(2)));
}

#[test]
fn legacy_latin1_atom_chunk() {
    let bytes = form(&[
        chunk(b"Atom", &[0, 0, 0, 2, 1, b'm', 2, b'h', 0xE9]),
        chunk(
            b"Code",
            &code(180, &[0x01, 0x10, 0x02, 0x12, 0x22, 0x00, 0x03]),
        ),
        chunk(b"ImpT", &u32s(&[0])),
        chunk(b"ExpT", &u32s(&[0])),
    ]);
    let m = parse_module(&bytes).unwrap();
    assert_eq!(m.atoms, ["m", "hé"]);
}

#[test]
fn literals_compressed_and_not() {
    let table = literal_table(&[&[131, 97, 7], &[131, 104, 1, 106]]);
    for compressed in [true, false] {
        let mut litt = Vec::new();
        if compressed {
            litt.extend((table.len() as u32).to_be_bytes());
            litt.extend(zlib(&table));
        } else {
            litt.extend(0u32.to_be_bytes());
            litt.extend(&table);
        }
        let mut p = Parts::new();
        // move {literal,1} {x,0}
        p.code = code(180, &[64, 0x47, 0x10, 0x03, 0x03]);
        p.extra.push(chunk(b"LitT", &litt));
        let m = parse_module(&p.build()).unwrap();
        assert_eq!(m.literals, [ETerm::Int(7), ETerm::Tuple(vec![ETerm::Nil])]);
        assert_eq!(m.instructions[0].args[0], Operand::Literal(1));
    }
    // Wrong uncompressed size, bad stream, trailing bytes in a literal.
    let mut p = Parts::new();
    let mut litt = ((table.len() + 1) as u32).to_be_bytes().to_vec();
    litt.extend(zlib(&table));
    p.extra.push(chunk(b"LitT", &litt));
    let e = fails(&p.build());
    assert!(matches!(e.kind, ErrorKind::Zlib(_)));
    assert_eq!(e.chunk, Some(*b"LitT"));
    let mut p = Parts::new();
    p.extra.push(chunk(b"LitT", &[0, 0, 0, 5, 1, 2, 3, 4]));
    assert!(matches!(fails(&p.build()).kind, ErrorKind::Zlib(_)));
    let mut p = Parts::new();
    let mut litt = 0u32.to_be_bytes().to_vec();
    litt.extend(literal_table(&[&[131, 97, 7, 0]]));
    p.extra.push(chunk(b"LitT", &litt));
    let e = fails(&p.build());
    match e.kind {
        ErrorKind::Literal { index, error, .. } => {
            assert_eq!(index, 0);
            assert_eq!(*error, ErrorKind::TrailingBytes(1));
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn line_type_and_term_chunks() {
    let mut line = u32s(&[0, 0, 3, 3, 1]);
    // i 10, a 1 (switch to file 1), i 20, i 2047
    line.extend([0xA1, 0x12, 0x09, 0x14, 0xE9, 0xFF]);
    line.extend([0, 5]);
    line.extend(b"x.hrl");
    let mut types = u32s(&[1, 2]);
    types.extend([0x1F, 0xFF]);
    types.extend(0i64.to_be_bytes());
    types.extend((-1i64).to_be_bytes());
    types.extend([0, 64]);
    types.extend(1i64.to_be_bytes());
    types.extend(10i64.to_be_bytes());
    let attr = [
        131, 108, 0, 0, 0, 1, 104, 2, 100, 0, 3, b'v', b's', b'n', 106, 106,
    ];
    let mut p = Parts::new();
    p.extra.push(chunk(b"Line", &line));
    p.extra.push(chunk(b"Type", &types));
    p.extra.push(chunk(b"Attr", &attr));
    p.extra.push(chunk(b"CInf", &[131, 106]));
    p.extra.push(chunk(b"Meta", &[131, 106]));
    p.extra.push(chunk(b"Dbgi", &[131, 100, 0, 1, b'x']));
    p.extra.push(chunk(b"Docs", &[1, 2, 3]));
    p.extra.push(chunk(b"Zzzz", &[4]));
    // move {tr,{x,1},1} {x,0}
    p.code = code(180, &[64, 0x57, 0x13, 0x10, 0x03, 0x03]);
    let m = parse_module(&p.build()).unwrap();
    let lt = m.lines.as_ref().unwrap();
    assert_eq!(lt.instruction_count, 3);
    assert_eq!(
        lt.items,
        [
            LineItem { file: 0, line: 0 },
            LineItem { file: 0, line: 10 },
            LineItem { file: 1, line: 20 },
            LineItem {
                file: 1,
                line: 2047
            },
        ]
    );
    assert_eq!(lt.filenames, ["x.hrl"]);
    assert_eq!(m.line_file_name(0).as_deref(), Some("m.erl"));
    assert_eq!(m.line_file_name(1).as_deref(), Some("x.hrl"));
    assert_eq!(
        m.types.as_deref(),
        Some(
            &[
                TypeEntry {
                    bits: 0x1FFF,
                    min: 0,
                    max: -1
                },
                TypeEntry {
                    bits: 64,
                    min: 1,
                    max: 10
                }
            ][..]
        )
    );
    assert_eq!(m.types.as_ref().unwrap()[1].range(), Some((1, 10)));
    assert_eq!(m.types.as_ref().unwrap()[0].range(), None);
    assert_eq!(m.attributes.as_ref().unwrap().to_string(), "[{vsn,[]}]");
    assert_eq!(m.compile_info, Some(ETerm::Nil));
    assert_eq!(m.meta, Some(ETerm::Nil));
    assert_eq!(m.decode_debug_info(), Some(Ok(ETerm::Atom("x".into()))));
    let raw: Vec<[u8; 4]> = m.raw_chunks.iter().map(|c| c.id).collect();
    assert_eq!(raw, [*b"Docs", *b"Zzzz"]);

    // Type index out of range; unknown Type version disables the check.
    p.code = code(180, &[64, 0x57, 0x13, 0x20, 0x03, 0x03]);
    assert!(matches!(
        fails(&p.build()).kind,
        ErrorKind::IndexOutOfRange {
            what: "type",
            index: 2
        }
    ));
    let mut p2 = Parts::new();
    p2.code = code(180, &[64, 0x57, 0x13, 0x20, 0x03, 0x03]);
    p2.extra.push(chunk(b"Type", &u32s(&[2, 0])));
    let m = parse_module(&p2.build()).unwrap();
    assert!(m.types.is_none());
    assert_eq!(m.raw_chunks[0].id, *b"Type");

    // Line errors: file index beyond the name table; bad item tag.
    let mut bad = u32s(&[0, 0, 1, 1, 0]);
    bad.extend([0x12, 0xA1]);
    let mut p3 = Parts::new();
    p3.extra.push(chunk(b"Line", &bad));
    let e = fails(&p3.build());
    assert_eq!(e.chunk, Some(*b"Line"));
    assert!(matches!(
        e.kind,
        ErrorKind::IndexOutOfRange {
            what: "file name",
            ..
        }
    ));
    let mut bad = u32s(&[0, 0, 1, 1, 0]);
    bad.extend([0x13]);
    let mut p4 = Parts::new();
    p4.extra.push(chunk(b"Line", &bad));
    assert!(matches!(
        fails(&p4.build()).kind,
        ErrorKind::BadTag { tag: 3, .. }
    ));

    // A bad term in Attr names the chunk and the absolute offset.
    let mut p5 = Parts::new();
    p5.extra.push(chunk(b"Attr", &[131, 1]));
    let e = fails(&p5.build());
    assert_eq!(e.chunk, Some(*b"Attr"));
    assert_eq!(e.kind, ErrorKind::EtfTag(1));
    let m = parse_module(&Parts::new().build()).unwrap();
    let expt = m.chunks.last().unwrap();
    // After ExpT's 16 data bytes: Attr's 8-byte header, then the bad tag at data offset 1.
    assert_eq!(e.offset, expt.offset + 16 + 8 + 1);
}

#[test]
fn load_file_errors_carry_the_path() {
    let dir = std::env::temp_dir().join(format!("oxbeam-loader-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.beam");
    std::fs::write(&f, b"FOR1\0\0\0\x04BEAN").unwrap();
    let e = oxbeam_loader::load_file(&f).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(f.as_path()));
    assert!(e.to_string().starts_with(&f.display().to_string()));
    let e = oxbeam_loader::load_file(&dir.join("missing.beam")).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Io(_)));
    let _ = std::fs::remove_dir_all(&dir);
}
