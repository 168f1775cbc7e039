//! Unit tests: hand-built encodings (checked against stock ERTS output)
//! and hostile input.

use super::*;
use crate::heap::{HeapBuilder, HeapFragment};
use crate::term::cmp::eq_exact;
use crate::term::Term;

fn dec(bytes: &[u8]) -> Result<(Term, usize), Error> {
    // Leak the fragment: terms must outlive this helper in the tests.
    let f: &'static mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    decode(bytes, f, &DecodeOptions::default())
}

fn enc(t: Term) -> Vec<u8> {
    encode(t, &EncodeOptions::default())
}

#[test]
fn small_terms_match_stock_bytes() {
    // term_to_binary/1 on stock ERTS 13.1.5.
    let cases: &[&[u8]] = &[
        &[131, 97, 0],
        &[131, 98, 255, 255, 255, 255],
        &[131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 8],
        &[131, 100, 0, 3, 102, 111, 111],
        &[131, 106],
        &[131, 107, 0, 3, 97, 98, 99],
        &[131, 108, 0, 0, 0, 2, 97, 1, 100, 0, 1, 120, 97, 2],
        &[131, 104, 0],
        &[131, 116, 0, 0, 0, 0],
        &[131, 109, 0, 0, 0, 2, 1, 2],
        &[131, 77, 0, 0, 0, 1, 3, 160],
        &[131, 70, 63, 248, 0, 0, 0, 0, 0, 0],
        &[
            131, 113, 100, 0, 5, 108, 105, 115, 116, 115, 100, 0, 3, 109, 97, 112, 97, 2,
        ],
        &[
            131, 88, 100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116, 0,
            0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
        &[
            131, 89, 100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116, 0,
            0, 0, 0, 0, 0, 0, 0,
        ],
        &[
            131, 90, 0, 3, 100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115,
            116, 0, 0, 0, 0, 0, 2, 92, 21, 220, 80, 0, 2, 33, 131, 18, 248,
        ],
    ];
    for c in cases {
        let (t, used) = dec(c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        assert_eq!(used, c.len());
        assert_eq!(&enc(t)[..], *c, "round trip of {t}");
    }
}

#[test]
fn minor_versions_and_atoms() {
    let f: &mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    let a = Term::atom(crate::atom::Atom::intern("foo").unwrap());
    let v2 = encode(
        a,
        &EncodeOptions {
            minor_version: 2,
            ..EncodeOptions::default()
        },
    );
    assert_eq!(v2, [131, 119, 3, 102, 111, 111]);
    let x = f.float(1.5);
    let v0 = encode(
        x,
        &EncodeOptions {
            minor_version: 0,
            ..EncodeOptions::default()
        },
    );
    assert_eq!(v0[1], tag::FLOAT_EXT);
    assert_eq!(&v0[2..28], b"1.50000000000000000000e+00");
    let (y, _) = dec(&v0).unwrap();
    assert_eq!(y.as_float(), Some(1.5));
    // A Latin-1 atom beyond ASCII is ATOM_EXT with Latin-1 bytes.
    let l1 = Term::atom(crate::atom::Atom::intern("ä").unwrap());
    assert_eq!(enc(l1), [131, 100, 0, 1, 0xe4]);
    let u = Term::atom(crate::atom::Atom::intern("λ").unwrap());
    assert_eq!(enc(u), [131, 119, 2, 0xce, 0xbb]);
}

#[test]
fn compressed_round_trip_and_used() {
    let f: &mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    let elems: Vec<Term> = (0..1000).map(|i| Term::small(i % 7).unwrap()).collect();
    let l = f.list_from(&elems, Term::NIL);
    let z = encode(
        l,
        &EncodeOptions {
            compressed: Some(6),
            ..EncodeOptions::default()
        },
    );
    assert_eq!(z[1], tag::COMPRESSED);
    let (t, used) = dec(&z).unwrap();
    assert_eq!(used, z.len());
    assert!(eq_exact(t, l));
    let mut zj = z.clone();
    zj.extend_from_slice(&[7u8; 100]);
    let (_, used) = dec(&zj).unwrap();
    assert_eq!(
        used,
        z.len(),
        "used of a compressed term with trailing bytes"
    );
    // Trailing garbage is ignored; `used` says where the term ended.
    let mut plain = enc(l);
    let n = plain.len();
    plain.extend_from_slice(b"junk");
    let (_, used) = dec(&plain).unwrap();
    assert_eq!(used, n);
    // Tiny terms are not compressed (it would not make them smaller).
    let s = encode(
        Term::NIL,
        &EncodeOptions {
            compressed: Some(9),
            ..EncodeOptions::default()
        },
    );
    assert_eq!(s, [131, 106]);
}

#[test]
fn every_truncation_is_an_error() {
    let f: &mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    let inner = f.binary(b"hello world, this is a refc binary of more than 64 bytes......!");
    let fl = f.float(2.5);
    let big = f.integer_from_i128(1 << 100);
    let t = f.tuple(&[inner, fl, big, Term::NIL]);
    let m = crate::term::map::from_pairs(
        f,
        &[(Term::small(1).unwrap(), t), (t, Term::small(2).unwrap())],
        crate::term::map::Duplicates::Reject,
    )
    .unwrap();
    let l = f.list_from(&[m, t, m], Term::small(5).unwrap());
    let bytes = enc(l);
    for n in 0..bytes.len() {
        assert!(dec(&bytes[..n]).is_err(), "prefix of {n} bytes decoded");
    }
    assert!(dec(&bytes).is_ok());
}

#[test]
fn hostile_input_is_rejected() {
    let bad: &[&[u8]] = &[
        &[],
        &[130, 106],
        &[131],
        &[131, 255],
        // huge claimed lengths
        &[131, 108, 255, 255, 255, 255, 106],
        &[131, 104, 255, 97, 1],
        &[131, 105, 255, 255, 255, 255],
        &[131, 116, 127, 255, 255, 255],
        &[131, 116, 128, 0, 0, 0],
        &[131, 109, 255, 255, 255, 255, 0],
        &[131, 111, 255, 255, 255, 255, 0],
        &[131, 80, 255, 255, 255, 255, 120, 156],
        // bad atoms
        &[131, 119, 2, 0xff, 0xfe],
        &[131, 118, 4, 0, 97],
        &[131, 100, 1, 0, 97],
        // bad floats
        &[131, 70, 127, 240, 0, 0, 0, 0, 0, 0],
        &[131, 70, 255, 248, 0, 0, 0, 0, 0, 0],
        // bit binary with bits = 0 but bytes present, and bits > 8
        &[131, 77, 0, 0, 0, 1, 0, 1],
        &[131, 77, 0, 0, 0, 1, 9, 1],
        // duplicate map keys
        &[131, 116, 0, 0, 0, 2, 97, 1, 97, 1, 97, 1, 97, 2],
        // old FUN_EXT, atom cache refs
        &[131, 117, 0, 0, 0, 0],
        &[131, 82, 0],
        // export with a non-small arity
        &[131, 113, 100, 0, 1, 109, 100, 0, 1, 102, 100, 0, 1, 120],
    ];
    for b in bad {
        assert!(dec(b).is_err(), "{b:?} decoded");
    }
    // An atom of 256 Latin-1 characters is too long.
    let mut long = vec![131, 100, 1, 0];
    long.extend_from_slice(&[b'a'; 256]);
    assert_eq!(dec(&long).err(), Some(Error::BadAtom));
    // 255 characters are fine, in any encoding.
    let mut ok = vec![131, 115, 255];
    ok.extend_from_slice(&[b'a'; 255]);
    assert!(dec(&ok).is_ok());
    let mut u = vec![131, 118, 1, 254];
    for _ in 0..255 {
        u.extend_from_slice("λ".as_bytes());
    }
    let (a, _) = dec(&u).unwrap();
    assert_eq!(enc(a), u);
    let mut u256 = vec![131, 118, 2, 0];
    for _ in 0..256 {
        u256.extend_from_slice("λ".as_bytes());
    }
    assert_eq!(dec(&u256).err(), Some(Error::BadAtom));
}

#[test]
fn safe_refuses_new_atoms() {
    let f: &mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    let opts = DecodeOptions {
        safe: true,
        ..DecodeOptions::default()
    };
    let fresh = b"\x83\x64\x00\x1a_never_seen_atom_xyzzy_123";
    assert_eq!(decode(fresh, f, &opts).err(), Some(Error::UnsafeAtom));
    assert!(decode(&[131, 100, 0, 2, 111, 107], f, &opts).is_ok());
    let deny = |_: crate::atom::Atom, _: crate::atom::Atom, _: u32| false;
    let opts = DecodeOptions {
        safe: true,
        export_exists: Some(&deny),
    };
    let exp = [131, 113, 100, 0, 2, 111, 107, 100, 0, 2, 111, 107, 97, 0];
    assert_eq!(decode(&exp, f, &opts).err(), Some(Error::UnsafeFun));
}

#[test]
fn deep_nesting_does_not_overflow() {
    // [[[[...]]]] one million levels deep, and a tuple chain.
    let depth = 1_000_000;
    let mut b = vec![131];
    for _ in 0..depth {
        b.extend_from_slice(&[108, 0, 0, 0, 1]);
    }
    b.push(106);
    b.resize(b.len() + depth, 106);
    let (t, used) = dec(&b).unwrap();
    assert_eq!(used, b.len());
    assert_eq!(enc(t), b);
    let _ = crate::term::hash::phash2(t);
    let _ = crate::term::hash::make_hash(t);
    assert!(eq_exact(t, dec(&b).unwrap().0));
    let mut tb = vec![131];
    for _ in 0..depth {
        tb.extend_from_slice(&[104, 2, 97, 1]);
    }
    tb.push(106);
    let (t, _) = dec(&tb).unwrap();
    assert_eq!(enc(t), tb);
}

#[test]
fn unaligned_sub_binaries_hash_compare_and_encode_like_aligned() {
    use crate::term::hash::{make_hash, make_hash2};
    let f: &mut HeapFragment = Box::leak(Box::new(HeapFragment::new()));
    let data: Vec<u8> = (0u8..=200).map(|x| x.wrapping_mul(37)).collect();
    let big = f.binary(&data);
    for (off, bits) in [(3u64, 0u64), (3, 5), (1, 8), (7, 63), (5, 800), (2, 1001)] {
        let sub = f.sub_binary(big, off, bits).unwrap();
        let b = sub.as_binary().unwrap();
        let copy_bytes = b.to_bytes();
        let aligned = f.bitstring(&copy_bytes, bits).unwrap();
        assert!(eq_exact(sub, aligned), "{off}/{bits}");
        assert_eq!(make_hash2(sub), make_hash2(aligned), "{off}/{bits}");
        assert_eq!(make_hash(sub), make_hash(aligned), "{off}/{bits}");
        assert_eq!(enc(sub), enc(aligned), "{off}/{bits}");
        assert_eq!(
            crate::term::hash::internal_hash(sub, 0),
            crate::term::hash::internal_hash(aligned, 0)
        );
        let (back, _) = dec(&enc(sub)).unwrap();
        assert!(eq_exact(back, sub));
    }
    // Bitwise order: <<1:1>> > <<0:2>>, <<1,2,0:1>> > <<1,2>>.
    let a = f.bitstring(&[0x80], 1).unwrap();
    let b = f.bitstring(&[0x00], 2).unwrap();
    assert!(crate::term::cmp::compare(a, b).is_gt());
    let c = f.bitstring(&[1, 2, 0], 17).unwrap();
    let d = f.binary(&[1, 2]);
    assert!(crate::term::cmp::compare(c, d).is_gt());
}
