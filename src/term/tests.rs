use super::*;
use crate::atom::Atom;
use crate::heap::{HeapBuilder, HeapFragment};

#[test]
fn immediates_match_erts_encoding() {
    assert_eq!(Term::NIL.raw(), 0x3B);
    assert_eq!(Term::small(0).unwrap().raw(), 0xF);
    assert_eq!(Term::small(-1).unwrap().raw(), u64::MAX);
    assert_eq!(Term::small(1).unwrap().raw(), 0x1F);
    assert_eq!(Term::small(MAX_SMALL).unwrap().as_small(), Some(MAX_SMALL));
    assert_eq!(Term::small(MIN_SMALL).unwrap().as_small(), Some(MIN_SMALL));
    assert!(Term::small(MAX_SMALL + 1).is_none());
    assert!(Term::small(MIN_SMALL - 1).is_none());
    let a = Atom::intern("foo").unwrap();
    let t = Term::atom(a);
    assert_eq!(t.raw() & 0x3F, 0x0B);
    assert_eq!(t.as_atom(), Some(a));
    assert!(t.is_atom() && !t.is_small() && !t.is_boxed());
    assert_eq!(Term::TRUE.as_bool(), Some(true));
    let p = Term::pid(123, 7).unwrap();
    assert_eq!(p.raw() & 0xF, 0x3);
    assert_eq!(p.as_local_pid(), Some((123, 7)));
    assert!(Term::pid(1 << 15, 0).is_none());
    let port = Term::port(99).unwrap();
    assert_eq!(port.raw() & 0xF, 0x7);
    assert_eq!(port.as_local_port(), Some(99));
    assert_eq!(Term::catch(5).as_catch(), Some(5));
    assert_eq!(Term::cp(1234).unwrap().cp_value(), Some(1234));
    assert_eq!(Term::NON_VALUE.kind(), Kind::NonValue);
    assert_eq!(Term::NIL.kind(), Kind::Nil);
}

#[test]
fn headers_match_erts() {
    assert_eq!(make_header(3, subtag::ARITYVAL), 3 << 6);
    assert_eq!(subtag::MAP, 0x3C);
    assert_eq!(make_map_header(MAP_TYPE_FLATMAP, 1, 0), (1 << 8) | 0x3C);
    assert_eq!(
        make_map_header(MAP_TYPE_HEAD_ARRAY, 1, 0xffff),
        (0xffff << 16) | (1 << 8) | (2 << 6) | 0x3C
    );
}

#[test]
fn build_and_view_every_kind() {
    let mut f = HeapFragment::new();
    let a = Term::atom(Atom::intern("a").unwrap());
    let tup = f.tuple(&[a, Term::small(1).unwrap()]);
    assert!(tup.is_tuple());
    assert_eq!(tup.as_tuple().unwrap().len(), 2);
    let l = f.list_from(
        &[Term::small(1).unwrap(), Term::small(2).unwrap()],
        Term::NIL,
    );
    assert_eq!(l.list_to_vec().unwrap().len(), 2);
    assert_eq!(format!("{}", f.tuple(&[tup, l])), "{{a,1},[1,2]}");
    let fl = f.float(1.5);
    assert_eq!(fl.as_float(), Some(1.5));
    let big = f.integer_from_i128(1i128 << 100);
    assert!(big.is_big());
    assert_eq!(big.as_i128(), Some(1i128 << 100));
    let nbig = f.integer_from_i64(i64::MIN);
    assert_eq!(nbig.as_i64(), Some(i64::MIN));
    assert_eq!(f.integer_from_i64(MIN_SMALL).as_small(), Some(MIN_SMALL));
    assert!(f.integer_from_i64(MAX_SMALL + 1).is_big());
    let bi: num_bigint::BigInt = "-123456789012345678901234567890".parse().unwrap();
    assert_eq!(f.integer_from_bigint(&bi).to_bigint(), Some(bi));
    let hb = f.binary(b"hello");
    assert_eq!(hb.as_bytes(), Some(&b"hello"[..]));
    let big_bytes: Vec<u8> = (0..200u8).collect();
    let rb = f.binary(&big_bytes);
    assert_eq!(rb.as_bytes(), Some(&big_bytes[..]));
    assert!(rb.off_heap_binary().is_some());
    let sb = f.sub_binary(rb, 12, 16).unwrap();
    let v = sb.as_binary().unwrap();
    assert_eq!(v.to_bytes(), vec![0x10, 0x20]);
    let bs = f.bitstring(&[0xff, 0x80], 9).unwrap();
    assert!(bs.is_bitstring() && !bs.is_binary());
    assert_eq!(format!("{bs}"), "<<255,1:1>>");
    let r = f.local_ref(&[1, 2, 3]).unwrap();
    assert!(matches!(r.view(), TermView::LocalRef(&[1, 2, 3])));
    let node = Atom::intern("n@h").unwrap();
    let ep = f.external_pid(node, 3, 10, 2);
    assert!(ep.is_pid());
    let er = f.external_ref(node, 3, &[4, 5, 6, 7]).unwrap();
    assert!(matches!(
        er.view(),
        TermView::ExternalRef {
            numbers: &[4, 5, 6, 7],
            creation: 3,
            ..
        }
    ));
    let eport = f.external_port(node, 1, 1 << 40);
    assert!(matches!(eport.view(), TermView::ExternalPort { id, .. } if id == 1 << 40));
    let m = f.flatmap_from(&[a], &[tup]).unwrap();
    assert_eq!(m.map_size(), Some(1));
    let leaf = f.cons(a, tup);
    let node1 = f.hamt_node(0b101, &[leaf, leaf]).unwrap();
    let head = f.hamt_head(3, 0b11, &[node1, leaf]).unwrap();
    assert_eq!(head.map_size(), Some(3));
    let mut count = 0;
    map_for_each(head.as_map().unwrap(), &mut |_, _| count += 1);
    assert_eq!(count, 3);
    let desc = FunDesc {
        module: node,
        index: 4,
        arity: 2,
        old_index: 5,
        old_uniq: 6,
        uniq: [9; 16],
        creator: Term::pid(1, 0).unwrap(),
    };
    let fun = f.closure(&desc, &[tup, a]).unwrap();
    match fun.view() {
        TermView::Fun(c) => {
            assert_eq!((c.index, c.arity, c.old_index, c.old_uniq), (4, 2, 5, 6));
            assert_eq!(c.env.len(), 2);
            assert_eq!(c.uniq, [9; 16]);
        }
        v => panic!("{v:?}"),
    }
    let ex = f.export(node, node, 3).unwrap();
    assert_eq!(ex.fun_arity(), Some(3));
    let ms = f.match_state(sb, 1).unwrap();
    assert!(matches!(ms.view(), TermView::MatchState(m) if m.end - m.offset == 16));
}

#[test]
fn tagged_small_arithmetic_matches_checked_values() {
    // Test-only code (this module is `#[cfg(test)]`): the `unwrap`s below
    // build small integers from in-range constants; a failure fails the test.
    let edge = [
        MIN_SMALL,
        MIN_SMALL + 1,
        -17,
        -1,
        0,
        1,
        2,
        15,
        16,
        MAX_SMALL - 1,
        MAX_SMALL,
    ];
    for &a in &edge {
        for &b in &edge {
            let (ta, tb) = (Term::small(a).unwrap(), Term::small(b).unwrap());
            assert_eq!(ta.small_add(tb), Term::small(a + b), "{a} + {b}");
            assert_eq!(ta.small_sub(tb), Term::small(a - b), "{a} - {b}");
        }
        for d in [i32::MIN, -2, -1, 0, 1, 2, i32::MAX] {
            let ta = Term::small(a).unwrap();
            assert_eq!(ta.small_add_imm(d), Term::small(a + d as i64), "{a} + {d}");
        }
        // Not both small: no result.
        assert_eq!(Term::small(a).unwrap().small_add(Term::NIL), None);
        assert_eq!(Term::NIL.small_sub(Term::small(a).unwrap()), None);
        assert_eq!(Term::NIL.small_add_imm(1), None);
    }
}
