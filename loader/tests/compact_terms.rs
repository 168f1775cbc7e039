//! The compact term decoder on hand-made byte strings: every tag, every size class,
//! negative and big integers, the z extensions, and errors on bad or truncated input.

use num_bigint::BigInt;
use oxbeam_loader::compact::{decode_operand, decode_operand_with, Limits, MAX_REG};
use oxbeam_loader::{AllocList, ErrorKind, Operand, Reg};

fn ok(bytes: &[u8]) -> Operand {
    match decode_operand(bytes) {
        Ok((op, used)) => {
            assert_eq!(used, bytes.len(), "not all bytes used for {bytes:02x?}");
            op
        }
        Err(e) => panic!("{bytes:02x?}: {e}"),
    }
}

fn err(bytes: &[u8]) -> ErrorKind {
    match decode_operand(bytes) {
        Ok((op, _)) => panic!("{bytes:02x?} decoded to {op:?}, expected an error"),
        Err(e) => e.kind,
    }
}

/// Mirrors `beam_asm:encode/2` so that tests can encode arbitrary integers.
fn encode(tag: u8, n: &BigInt) -> Vec<u8> {
    use num_bigint::Sign;
    let zero = BigInt::from(0);
    if *n >= zero && *n < BigInt::from(16) {
        let v: u8 = n.try_into().unwrap();
        return vec![(v << 4) | tag];
    }
    if *n >= zero && *n < BigInt::from(0x800) {
        let v: u16 = n.try_into().unwrap();
        return vec![(((v >> 3) & 0xE0) as u8) | tag | 0x08, (v & 0xFF) as u8];
    }
    let bytes = if n.sign() == Sign::Minus {
        if *n >= BigInt::from(-0x8000) {
            let v: i16 = n.try_into().unwrap();
            v.to_be_bytes().to_vec()
        } else {
            n.to_signed_bytes_be()
        }
    } else {
        let (_, mut b) = n.to_bytes_be();
        if b[0] & 0x80 != 0 {
            b.insert(0, 0);
        }
        b
    };
    let mut out = Vec::new();
    if bytes.len() <= 8 {
        out.push((((bytes.len() - 2) as u8) << 5) | 0x18 | tag);
    } else {
        out.push(0xF8 | tag);
        out.extend(encode(0, &BigInt::from(bytes.len() - 9)));
    }
    out.extend(bytes);
    out
}

#[test]
fn operand_is_16_bytes() {
    assert_eq!(std::mem::size_of::<Operand>(), 16);
}

#[test]
fn unsigned_size_classes() {
    assert_eq!(ok(&[0x00]), Operand::U(0));
    assert_eq!(ok(&[0x10]), Operand::U(1));
    assert_eq!(ok(&[0xF0]), Operand::U(15));
    assert_eq!(ok(&[0x08, 0x10]), Operand::U(16));
    assert_eq!(ok(&[0xE8, 0xFF]), Operand::U(2047));
    assert_eq!(ok(&[0x18, 0x08, 0x00]), Operand::U(2048));
    assert_eq!(ok(&[0x38, 0x00, 0x80, 0x00]), Operand::U(0x8000));
    // 8 bytes: u64::MAX needs a leading zero, hence 9 bytes and the nested length.
    let mut b = vec![0xF8, 0x00, 0x00];
    b.extend([0xFF; 8]);
    assert_eq!(ok(&b), Operand::U(u64::MAX));
    for v in [
        16u64,
        300,
        2047,
        2048,
        65535,
        1 << 20,
        1 << 40,
        u64::MAX >> 1,
    ] {
        assert_eq!(ok(&encode(0, &BigInt::from(v))), Operand::U(v), "{v}");
    }
    // Too large for a u64.
    let mut b = vec![0xF8, 0x00, 0x01];
    b.extend([0x00; 8]);
    assert_eq!(err(&b), ErrorKind::ValueTooLarge);
}

#[test]
fn signed_integers() {
    for v in [
        0i64,
        1,
        15,
        16,
        2047,
        2048,
        -1,
        -2,
        -16,
        -2048,
        -32768,
        -32769,
        -100_000,
        1 << 31,
        -(1 << 31),
        i64::MAX,
        i64::MIN,
    ] {
        assert_eq!(ok(&encode(1, &BigInt::from(v))), Operand::Int(v), "{v}");
    }
    assert_eq!(ok(&[0x19, 0xFF, 0xFF]), Operand::Int(-1));
    assert_eq!(ok(&[0x39, 0xFE, 0x79, 0x60]), Operand::Int(-100_000));
    // A non-canonical 9-byte encoding of a small value still gives an Int.
    let mut b = vec![0xF9, 0x00, 0xFF];
    b.extend([0xFF; 8]);
    assert_eq!(ok(&b), Operand::Int(-1));
    // Bignums, positive and negative, up to the 2^128 the compiler allows and beyond.
    for e in [63u32, 64, 100, 127, 128, 300, 2000] {
        for sign in [1i32, -1] {
            let n = BigInt::from(sign) * (BigInt::from(1) << e);
            let want = match i64::try_from(&n) {
                Ok(i) => Operand::Int(i),
                Err(_) => Operand::BigInt(Box::new(n.clone())),
            };
            assert_eq!(ok(&encode(1, &n)), want, "{n}");
        }
    }
}

#[test]
fn atoms_registers_labels_chars() {
    assert_eq!(ok(&[0x02]), Operand::Nil);
    assert_eq!(ok(&[0x12]), Operand::Atom(1));
    assert_eq!(ok(&[0x0A, 0xFF]), Operand::Atom(255));
    assert_eq!(ok(&[0x03]), Operand::X(0));
    assert_eq!(ok(&[0x13]), Operand::X(1));
    assert_eq!(ok(&[0x6B, 0xFF]), Operand::X(1023));
    assert_eq!(ok(&[0x24]), Operand::Y(2));
    assert_eq!(ok(&[0x05]), Operand::Label(0));
    assert_eq!(ok(&[0x55]), Operand::Label(5));
    assert_eq!(ok(&[0x16]), Operand::Char(1));
    assert!(matches!(
        err(&[0x8B, 0x00]),
        ErrorKind::IndexOutOfRange {
            what: "x register",
            index: 1024
        }
    ));
    assert!(matches!(
        err(&encode(4, &BigInt::from(MAX_REG))),
        ErrorKind::IndexOutOfRange {
            what: "y register",
            ..
        }
    ));
}

#[test]
fn limits_are_checked() {
    let lim = Limits {
        atoms: 3,
        literals: 2,
        labels: 10,
        types: Some(4),
    };
    let chk = |b: &[u8]| decode_operand_with(b, &lim).map(|(o, _)| o);
    assert_eq!(chk(&[0x32]).unwrap(), Operand::Atom(3));
    assert!(chk(&[0x42]).is_err());
    assert_eq!(chk(&[0x95]).unwrap(), Operand::Label(9));
    assert!(chk(&[0xA5]).is_err());
    assert_eq!(chk(&[0x47, 0x10]).unwrap(), Operand::Literal(1));
    assert!(chk(&[0x47, 0x20]).is_err());
    assert_eq!(
        chk(&[0x57, 0x03, 0x30]).unwrap(),
        Operand::TypedReg {
            reg: Reg::X(0),
            type_index: 3
        }
    );
    assert!(chk(&[0x57, 0x03, 0x40]).is_err());
}

#[test]
fn extended_forms() {
    let mut f = vec![0x07];
    f.extend(1.5f64.to_bits().to_be_bytes());
    assert_eq!(ok(&f), Operand::Float(1.5));
    assert_eq!(
        ok(&[0x17, 0x20, 0x03, 0x12]),
        Operand::List(Box::new(vec![Operand::X(0), Operand::Atom(1)]))
    );
    assert_eq!(ok(&[0x17, 0x00]), Operand::List(Box::default()));
    assert_eq!(ok(&[0x27, 0x30]), Operand::FloatReg(3));
    assert_eq!(
        ok(&[0x37, 0x20, 0x00, 0x30, 0x10, 0x10]),
        Operand::Alloc(AllocList {
            words: 3,
            floats: 1,
            funs: 0
        })
    );
    assert_eq!(
        ok(&[0x37, 0x30, 0x00, 0x10, 0x10, 0x20, 0x20, 0x10]),
        Operand::Alloc(AllocList {
            words: 1,
            floats: 2,
            funs: 1
        })
    );
    assert_eq!(ok(&[0x47, 0x50]), Operand::Literal(5));
    assert_eq!(ok(&[0x47, 0x08, 0x10]), Operand::Literal(16));
    assert_eq!(
        ok(&[0x57, 0x13, 0x20]),
        Operand::TypedReg {
            reg: Reg::X(1),
            type_index: 2
        }
    );
    assert_eq!(
        ok(&[0x57, 0x24, 0x00]),
        Operand::TypedReg {
            reg: Reg::Y(2),
            type_index: 0
        }
    );
    // A typed register inside a list (bs_create_bin segments carry them).
    assert_eq!(
        ok(&[0x17, 0x10, 0x57, 0x24, 0x10]),
        Operand::List(Box::new(vec![Operand::TypedReg {
            reg: Reg::Y(2),
            type_index: 1
        }]))
    );
}

#[test]
fn bad_extended_forms() {
    assert_eq!(err(&[0x67]), ErrorKind::BadExtendedTag(6));
    assert_eq!(err(&[0xF7]), ErrorKind::BadExtendedTag(15));
    // z5 must wrap an x or y register, then a u.
    assert!(matches!(
        err(&[0x57, 0x12, 0x00]),
        ErrorKind::BadTag { tag: 2, .. }
    ));
    assert!(matches!(
        err(&[0x57, 0x03, 0x03]),
        ErrorKind::BadTag { tag: 3, .. }
    ));
    // List length, literal index and float register must be u-tagged.
    assert!(matches!(
        err(&[0x17, 0x21]),
        ErrorKind::BadTag { tag: 1, .. }
    ));
    assert!(matches!(
        err(&[0x47, 0x13]),
        ErrorKind::BadTag { tag: 3, .. }
    ));
    assert!(matches!(
        err(&[0x27, 0x12]),
        ErrorKind::BadTag { tag: 2, .. }
    ));
    // Nested lists are rejected.
    assert!(matches!(
        err(&[0x17, 0x10, 0x17, 0x00]),
        ErrorKind::Invalid(_)
    ));
    // Allocation kinds are 0..2.
    assert!(matches!(
        err(&[0x37, 0x10, 0x30, 0x10]),
        ErrorKind::Invalid(_)
    ));
    // A list length that claims far more elements than there are bytes.
    assert!(matches!(
        err(&[0x17, 0x58, 0x3B, 0x9A, 0xCA, 0x00, 0x03]),
        ErrorKind::BadCount(1_000_000_000)
    ));
    assert!(matches!(
        err(&[0x37, 0x58, 0x3B, 0x9A, 0xCA, 0x00]),
        ErrorKind::BadCount(_)
    ));
}

#[test]
fn huge_lengths_and_truncation() {
    // The nested length prefix may not itself use the >8-byte class (it would claim
    // more than 2^64 bytes); a chain of such prefixes must not recurse.
    assert_eq!(err(&[0xF8, 0xF8, 0xF8, 0xF8]), ErrorKind::ValueTooLarge);
    // A length prefix claiming ~4 GB is an error, not an allocation.
    assert!(matches!(
        err(&[0xF9, 0x58, 0xFF, 0xFF, 0xFF, 0xF0, 0x00, 0x00]),
        ErrorKind::Truncated { .. }
    ));
    assert!(matches!(
        err(&[0xF8, 0x18, 0xFF]),
        ErrorKind::Truncated { .. }
    ));
    // Every proper prefix of every valid encoding is an error (Truncated, or BadCount
    // when a list length no longer fits).
    let mut cases: Vec<Vec<u8>> = vec![
        vec![0x08, 0x10],
        vec![0x38, 0x00, 0x80, 0x00],
        vec![0x39, 0xFE, 0x79, 0x60],
        vec![0x17, 0x20, 0x03, 0x12],
        vec![0x27, 0x30],
        vec![0x37, 0x20, 0x00, 0x30, 0x10, 0x10],
        vec![0x47, 0x08, 0x10],
        vec![0x57, 0x13, 0x20],
        encode(1, &(BigInt::from(1) << 200)),
    ];
    let mut f = vec![0x07];
    f.extend(2.0f64.to_bits().to_be_bytes());
    cases.push(f);
    for c in &cases {
        ok(c);
        for n in 0..c.len() {
            match decode_operand(&c[..n]) {
                Err(e) => assert!(
                    matches!(e.kind, ErrorKind::Truncated { .. } | ErrorKind::BadCount(_)),
                    "{:02x?}: {e}",
                    &c[..n]
                ),
                Ok(o) => panic!("prefix {:02x?} decoded to {o:?}", &c[..n]),
            }
        }
    }
}

#[test]
fn error_offsets_point_at_the_operand() {
    // Inside a list, the bad element's offset is reported.
    let e = decode_operand(&[0x17, 0x20, 0x03, 0x67]).unwrap_err();
    assert_eq!(e.offset, 3);
    assert_eq!(e.kind, ErrorKind::BadExtendedTag(6));
}
