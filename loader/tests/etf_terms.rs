//! The external term format decoder on hand-made byte strings (most taken from stock
//! `term_to_binary/1,2` output): every tag, size classes, bignums, errors.

use num_bigint::BigInt;
use oxbeam_loader::etf::{decode, decode_prefix, decode_with_limit};
use oxbeam_loader::{EFun, ETerm, ErrorKind};

fn ok(bytes: &[u8]) -> ETerm {
    decode(bytes).unwrap_or_else(|e| panic!("{bytes:?}: {e}"))
}

fn err(bytes: &[u8]) -> ErrorKind {
    match decode(bytes) {
        Ok(t) => panic!("{bytes:?} decoded to {t:?}, expected an error"),
        Err(e) => e.kind,
    }
}

fn atom(s: &str) -> ETerm {
    ETerm::Atom(s.to_string())
}

const NODE: [u8; 16] = [
    100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116,
];

fn with_node(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut v = prefix.to_vec();
    v.extend(NODE);
    v.extend(rest);
    v
}

#[test]
fn integers() {
    assert_eq!(ok(&[131, 97, 0]), ETerm::Int(0));
    assert_eq!(ok(&[131, 97, 255]), ETerm::Int(255));
    assert_eq!(ok(&[131, 98, 255, 255, 255, 255]), ETerm::Int(-1));
    assert_eq!(ok(&[131, 98, 0, 0, 1, 44]), ETerm::Int(300));
    assert_eq!(ok(&[131, 98, 128, 0, 0, 0]), ETerm::Int(-2147483648));
    assert_eq!(ok(&[131, 110, 4, 0, 0, 0, 0, 128]), ETerm::Int(2147483648));
    assert_eq!(
        ok(&[131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 128]),
        ETerm::Int(i64::MIN)
    );
    assert_eq!(
        ok(&[131, 110, 8, 0, 255, 255, 255, 255, 255, 255, 255, 127]),
        ETerm::Int(i64::MAX)
    );
    // 2^63 does not fit.
    assert_eq!(
        ok(&[131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 128]),
        ETerm::Big(BigInt::from(1u64 << 63))
    );
    // -(2^64)
    assert_eq!(
        ok(&[131, 110, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
        ETerm::Big(-(BigInt::from(1) << 64u32))
    );
    // 2^2100 as LARGE_BIG: 263 digit bytes.
    let mut b = vec![131, 111, 0, 0, 1, 7, 0];
    b.extend(std::iter::repeat_n(0u8, 262));
    b.push(16);
    assert_eq!(ok(&b), ETerm::Big(BigInt::from(1) << 2100u32));
    // Zero-length bignum is 0; a bad sign byte is an error.
    assert_eq!(ok(&[131, 110, 0, 0]), ETerm::Int(0));
    assert!(matches!(err(&[131, 110, 1, 2, 5]), ErrorKind::Invalid(_)));
}

#[test]
fn floats() {
    assert_eq!(ok(&[131, 70, 63, 248, 0, 0, 0, 0, 0, 0]), ETerm::Float(1.5));
    let old = [
        131, 99, 49, 46, 53, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48,
        48, 48, 101, 43, 48, 48, 0, 0, 0, 0, 0,
    ];
    assert_eq!(ok(&old), ETerm::Float(1.5));
    let mut bad = old;
    bad[2] = b'x';
    assert!(matches!(err(&bad), ErrorKind::Invalid(_)));
}

#[test]
fn atoms() {
    assert_eq!(ok(&[131, 100, 0, 2, 104, 233]), atom("hé"));
    assert_eq!(ok(&[131, 119, 3, 104, 195, 169]), atom("hé"));
    assert_eq!(ok(&[131, 115, 2, 104, 233]), atom("hé"));
    assert_eq!(ok(&[131, 118, 0, 3, 104, 195, 169]), atom("hé"));
    assert_eq!(ok(&[131, 119, 0]), atom(""));
    assert_eq!(err(&[131, 119, 2, 195, 40]), ErrorKind::InvalidUtf8);
    // 256 latin-1 characters is one too many.
    let mut long = vec![131, 100, 1, 0];
    long.extend([b'a'; 256]);
    assert!(matches!(err(&long), ErrorKind::Invalid(_)));
    // 255 two-byte characters are fine in UTF-8 (510 bytes).
    let mut u = vec![131, 118, 1, 254];
    for _ in 0..255 {
        u.extend([195, 169]);
    }
    assert_eq!(ok(&u), atom(&"é".repeat(255)));
}

#[test]
fn tuples_lists_strings_maps() {
    let t = ok(&[
        131, 104, 4, 100, 0, 1, 97, 108, 0, 0, 0, 2, 97, 1, 97, 2, 100, 0, 1, 99, 107, 0, 2, 97,
        98, 116, 0, 0, 0, 1, 100, 0, 1, 107, 100, 0, 1, 118,
    ]);
    assert_eq!(
        t,
        ETerm::Tuple(vec![
            atom("a"),
            ETerm::ImproperList(vec![ETerm::Int(1), ETerm::Int(2)], Box::new(atom("c"))),
            ETerm::String(b"ab".to_vec()),
            ETerm::Map(vec![(atom("k"), atom("v"))]),
        ])
    );
    assert_eq!(ok(&[131, 104, 0]), ETerm::Tuple(vec![]));
    assert_eq!(ok(&[131, 105, 0, 0, 0, 0]), ETerm::Tuple(vec![]));
    let mut large = vec![131, 105, 0, 0, 1, 0];
    for i in 0..256u32 {
        large.extend([97, (i % 256) as u8]);
    }
    match ok(&large) {
        ETerm::Tuple(v) => assert_eq!(v.len(), 256),
        t => panic!("{t:?}"),
    }
    assert_eq!(ok(&[131, 106]), ETerm::Nil);
    assert_eq!(ok(&[131, 107, 0, 0]), ETerm::Nil);
    assert_eq!(
        ok(&[131, 108, 0, 0, 0, 1, 97, 7, 106]),
        ETerm::List(vec![ETerm::Int(7)])
    );
    // A list whose tail is another list or string is flattened.
    assert_eq!(
        ok(&[131, 108, 0, 0, 0, 1, 97, 7, 107, 0, 1, 8]),
        ETerm::List(vec![ETerm::Int(7), ETerm::Int(8)])
    );
    assert_eq!(
        ok(&[131, 108, 0, 0, 0, 1, 97, 7, 108, 0, 0, 0, 1, 97, 8, 97, 9]),
        ETerm::ImproperList(vec![ETerm::Int(7), ETerm::Int(8)], Box::new(ETerm::Int(9)))
    );
    assert_eq!(ok(&[131, 116, 0, 0, 0, 0]), ETerm::Map(vec![]));
    assert_eq!(
        ok(&[131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 104, 0, 106]),
        ETerm::Map(vec![
            (ETerm::Int(1), ETerm::Int(2)),
            (ETerm::Tuple(vec![]), ETerm::Nil)
        ])
    );
}

#[test]
fn binaries() {
    assert_eq!(ok(&[131, 109, 0, 0, 0, 0]), ETerm::Binary(vec![]));
    assert_eq!(ok(&[131, 109, 0, 0, 0, 2, 1, 2]), ETerm::Binary(vec![1, 2]));
    assert_eq!(
        ok(&[131, 77, 0, 0, 0, 3, 3, 1, 2, 96]),
        ETerm::Bitstring {
            bytes: vec![1, 2, 96],
            bits: 3
        }
    );
    // Unused low bits are cleared; 8 bits means a whole binary.
    assert_eq!(
        ok(&[131, 77, 0, 0, 0, 1, 1, 0xFF]),
        ETerm::Bitstring {
            bytes: vec![0x80],
            bits: 1
        }
    );
    assert_eq!(ok(&[131, 77, 0, 0, 0, 1, 8, 5]), ETerm::Binary(vec![5]));
    assert_eq!(ok(&[131, 77, 0, 0, 0, 0, 0]), ETerm::Binary(vec![]));
    assert!(matches!(
        err(&[131, 77, 0, 0, 0, 1, 9, 5]),
        ErrorKind::Invalid(_)
    ));
    assert!(matches!(
        err(&[131, 77, 0, 0, 0, 1, 0, 5]),
        ErrorKind::Invalid(_)
    ));
    assert!(matches!(
        err(&[131, 77, 0, 0, 0, 0, 3]),
        ErrorKind::Invalid(_)
    ));
}

#[test]
fn pids_ports_refs() {
    let pid = ETerm::Pid {
        node: "nonode@nohost".into(),
        id: 9,
        serial: 0,
        creation: 0,
    };
    assert_eq!(
        ok(&with_node(
            &[131, 88],
            &[0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]
        )),
        pid
    );
    assert_eq!(
        ok(&with_node(&[131, 103], &[0, 0, 0, 9, 0, 0, 0, 0, 0])),
        pid
    );
    let port = |id, creation| ETerm::Port {
        node: "nonode@nohost".into(),
        id,
        creation,
    };
    assert_eq!(
        ok(&with_node(&[131, 89], &[0, 0, 0, 0, 0, 0, 0, 0])),
        port(0, 0)
    );
    assert_eq!(ok(&with_node(&[131, 102], &[0, 0, 0, 7, 2])), port(7, 2));
    assert_eq!(
        ok(&with_node(
            &[131, 120],
            &[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]
        )),
        port((1 << 32) | 2, 3)
    );
    assert_eq!(
        ok(&with_node(
            &[131, 90, 0, 3],
            &[0, 0, 0, 0, 0, 2, 194, 42, 252, 100, 0, 1, 69, 114, 200, 131]
        )),
        ETerm::Ref {
            node: "nonode@nohost".into(),
            creation: 0,
            ids: vec![0x0002_C22A, 0xFC64_0001, 0x4572_C883],
        }
    );
    assert_eq!(
        ok(&with_node(&[131, 114, 0, 1], &[3, 0, 0, 0, 5])),
        ETerm::Ref {
            node: "nonode@nohost".into(),
            creation: 3,
            ids: vec![5],
        }
    );
    assert_eq!(
        ok(&with_node(&[131, 101], &[0, 0, 0, 5, 1])),
        ETerm::Ref {
            node: "nonode@nohost".into(),
            creation: 1,
            ids: vec![5],
        }
    );
    // 0 or more than 5 id words are rejected.
    assert!(matches!(
        err(&with_node(&[131, 90, 0, 6], &[0; 28])),
        ErrorKind::Invalid(_)
    ));
    assert!(matches!(
        err(&with_node(&[131, 90, 0, 0], &[0; 4])),
        ErrorKind::Invalid(_)
    ));
    // The node must be an atom.
    assert!(matches!(
        err(&[131, 88, 97, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]),
        ErrorKind::Invalid(_)
    ));
}

const NEW_FUN: [u8; 70] = [
    131, 112, 0, 0, 0, 69, 0, 70, 141, 210, 190, 254, 255, 211, 138, 69, 166, 153, 25, 64, 106,
    228, 135, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 1, 116, 97, 0, 98, 2, 52, 110, 149, 88, 100, 0, 13,
    110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0,
    0,
];

#[test]
fn funs_and_exports() {
    assert_eq!(
        ok(&[131, 113, 100, 0, 5, 108, 105, 115, 116, 115, 100, 0, 3, 109, 97, 112, 97, 2]),
        ETerm::Export {
            module: "lists".into(),
            function: "map".into(),
            arity: 2
        }
    );
    // Export arity must be a SMALL_INTEGER.
    assert!(matches!(
        err(&[131, 113, 100, 0, 1, 108, 100, 0, 1, 109, 98, 0, 0, 0, 2]),
        ErrorKind::Invalid(_)
    ));
    let mut bytes = NEW_FUN.to_vec();
    bytes.push(0); // last byte of the pid's creation
    let pid = ETerm::Pid {
        node: "nonode@nohost".into(),
        id: 9,
        serial: 0,
        creation: 0,
    };
    let want = EFun {
        module: "t".into(),
        arity: Some(0),
        uniq: Some([
            70, 141, 210, 190, 254, 255, 211, 138, 69, 166, 153, 25, 64, 106, 228, 135,
        ]),
        index: 0,
        old_index: 0,
        old_uniq: 0x0234_6E95,
        pid: pid.clone(),
        free: vec![],
    };
    assert_eq!(ok(&bytes), ETerm::Fun(Box::new(want.clone())));
    // The same fun with two free variables.
    let mut b2 = NEW_FUN.to_vec();
    b2.push(0);
    b2[30] = 2; // NumFree
    b2.extend([97, 5, 106]);
    let mut w2 = want.clone();
    w2.free = vec![ETerm::Int(5), ETerm::Nil];
    assert_eq!(ok(&b2), ETerm::Fun(Box::new(w2)));
    // Old FUN_EXT: NumFree, Pid, Module, Index, Uniq, free vars.
    let mut old = vec![131, 117, 0, 0, 0, 1];
    old.extend(with_node(&[88], &[0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]));
    old.extend([100, 0, 1, 116, 97, 3, 98, 0, 0, 1, 0, 100, 0, 1, 120]);
    assert_eq!(
        ok(&old),
        ETerm::Fun(Box::new(EFun {
            module: "t".into(),
            arity: None,
            uniq: None,
            index: 3,
            old_index: 3,
            old_uniq: 256,
            pid,
            free: vec![atom("x")],
        }))
    );
}

#[test]
fn compressed() {
    let c = [
        131, 80, 0, 0, 0, 86, 120, 156, 203, 97, 96, 96, 16, 73, 97, 96, 76, 164, 38, 206, 2, 0,
        173, 210, 16, 99,
    ];
    assert_eq!(ok(&c), ETerm::List(vec![atom("a"); 20]));
    // Wrong declared size, corrupt stream, compressed inside a term.
    let mut wrong = c;
    wrong[5] = 85;
    assert!(matches!(err(&wrong), ErrorKind::Zlib(_)));
    let mut corrupt = c;
    corrupt[10] ^= 0xFF;
    assert!(decode(&corrupt).is_err());
    assert_eq!(err(&[131, 104, 1, 80, 0, 0, 0, 1]), ErrorKind::EtfTag(80));
    // A size claiming 4 GB must not allocate 4 GB.
    let mut huge = c;
    huge[2..6].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    assert!(matches!(err(&huge), ErrorKind::Zlib(_)));
}

#[test]
fn errors() {
    assert!(matches!(err(&[]), ErrorKind::Truncated { .. }));
    assert!(matches!(err(&[130, 106]), ErrorKind::Invalid(_)));
    assert_eq!(err(&[131, 121, 0]), ErrorKind::EtfTag(121));
    assert_eq!(err(&[131, 82, 0]), ErrorKind::EtfTag(82));
    assert_eq!(err(&[131, 1]), ErrorKind::EtfTag(1));
    assert_eq!(err(&[131, 106, 106]), ErrorKind::TrailingBytes(1));
    assert_eq!(decode_prefix(&[131, 106, 106]).unwrap(), (ETerm::Nil, 2));
    // Counts larger than the data are rejected before allocating.
    assert!(matches!(
        err(&[131, 105, 0xFF, 0xFF, 0xFF, 0xFF, 97, 1]),
        ErrorKind::BadCount(_)
    ));
    assert!(matches!(
        err(&[131, 108, 0xFF, 0xFF, 0xFF, 0xFF, 97, 1]),
        ErrorKind::BadCount(_)
    ));
    assert!(matches!(
        err(&[131, 116, 0xFF, 0xFF, 0xFF, 0xFF, 97, 1]),
        ErrorKind::BadCount(_)
    ));
    assert!(matches!(
        err(&[131, 109, 0xFF, 0xFF, 0xFF, 0xFF, 1]),
        ErrorKind::Truncated { .. }
    ));
    // Every proper prefix of a valid term is an error.
    let mut samples: Vec<Vec<u8>> = vec![
        vec![
            131, 104, 2, 97, 1, 108, 0, 0, 0, 1, 70, 63, 248, 0, 0, 0, 0, 0, 0, 106,
        ],
        vec![131, 116, 0, 0, 0, 1, 119, 1, 107, 110, 2, 0, 1, 1],
        vec![131, 77, 0, 0, 0, 3, 3, 1, 2, 96],
        NEW_FUN.to_vec(),
    ];
    samples[3].push(0);
    for s in &samples {
        ok(s);
        for n in 0..s.len() {
            assert!(decode(&s[..n]).is_err(), "prefix {:?} decoded", &s[..n]);
        }
    }
}

#[test]
fn depth_limit() {
    // 100k nested one-tuples: an error, not a stack overflow.
    let mut deep = vec![131];
    for _ in 0..100_000 {
        deep.extend([104, 1]);
    }
    deep.push(106);
    assert_eq!(err(&deep), ErrorKind::TooDeep);
    // Within the limit it decodes.
    let mut ok_deep = vec![131];
    for _ in 0..50 {
        ok_deep.extend([108, 0, 0, 0, 1]);
    }
    // The innermost element, then 50 `[]` tails.
    ok_deep.extend([106; 51]);
    let t = decode_with_limit(&ok_deep, 64).unwrap();
    let mut d = 0;
    let mut cur = &t;
    while let ETerm::List(v) = cur {
        d += 1;
        cur = &v[0];
    }
    assert_eq!(d, 50);
    assert_eq!(
        decode_with_limit(&ok_deep, 49).unwrap_err().kind,
        ErrorKind::TooDeep
    );
}

#[test]
fn display_in_erlang_syntax() {
    let t = ok(&[
        131, 104, 4, 100, 0, 1, 97, 108, 0, 0, 0, 2, 97, 1, 97, 2, 100, 0, 1, 99, 107, 0, 2, 97,
        98, 116, 0, 0, 0, 1, 100, 0, 1, 107, 100, 0, 1, 118,
    ]);
    assert_eq!(t.to_string(), r#"{a,[1,2|c],"ab",#{k => v}}"#);
    assert_eq!(ok(&[131, 100, 0, 2, 104, 233]).to_string(), "'hé'");
    assert_eq!(ok(&[131, 100, 0, 3, b'e', b'n', b'd']).to_string(), "'end'");
    assert_eq!(ok(&[131, 70, 63, 248, 0, 0, 0, 0, 0, 0]).to_string(), "1.5");
    assert_eq!(
        ok(&[131, 77, 0, 0, 0, 3, 3, 1, 2, 96]).to_string(),
        "<<1,2,3:3>>"
    );
    assert_eq!(
        ok(&[131, 109, 0, 0, 0, 2, b'h', b'i']).to_string(),
        r#"<<"hi">>"#
    );
}
