use super::*;
use crate::atom::Atom;
use crate::term::TermView;

fn int(i: i64) -> Term {
    Term::small(i).unwrap()
}

fn build_list(h: &mut Heap, n: usize, roots: &mut Vec<Term>) -> Term {
    let mut l = Term::NIL;
    for i in 0..n {
        roots.push(l);
        {
            let mut rs: [&mut [Term]; 1] = [&mut roots[..]];
            h.need(5, &mut rs);
        }
        l = roots.pop().unwrap();
        let t = h.tuple(&[int(i as i64), Term::OK]);
        l = h.cons(t, l);
    }
    l
}

fn check_list(l: Term, n: usize) {
    let v = l.list_to_vec().unwrap();
    assert_eq!(v.len(), n);
    for (k, e) in v.iter().enumerate() {
        let t = e.as_tuple().unwrap();
        assert_eq!(t[0].as_small(), Some((n - 1 - k) as i64));
        assert_eq!(t[1], Term::OK);
    }
}

#[test]
fn fresh_heap_is_233_words() {
    let h = Heap::new();
    assert_eq!(h.heap_size(), 233);
    assert_eq!(h.free_words(), 233);
}

#[test]
fn gc_keeps_live_list_and_promotes() {
    let mut h = Heap::new();
    let mut extra = Vec::new();
    let l = build_list(&mut h, 2000, &mut extra);
    assert!(h.stats().minor_gcs > 0);
    let mut roots = [l];
    h.gc(0, &mut [&mut roots[..]]);
    h.gc(0, &mut [&mut roots[..]]);
    assert!(h.old_heap_used() > 0, "survivors are promoted");
    check_list(roots[0], 2000);
    let before = h.stats().major_gcs;
    h.major_gc(0, &mut [&mut roots[..]]);
    assert_eq!(h.stats().major_gcs, before + 1);
    assert_eq!(h.old_heap_size(), 0);
    check_list(roots[0], 2000);
    assert!(verify_ok(&h, &roots));
    // Dropping the root frees everything and the heap shrinks.
    let mut none: [Term; 0] = [];
    h.major_gc(0, &mut [&mut none[..]]);
    assert_eq!(h.used_words(), 0);
    assert!(h.heap_size() <= 376, "heap shrinks: {}", h.heap_size());
}

fn verify_ok(h: &Heap, roots: &[Term]) -> bool {
    match crate::gc::verify_heap(h, &[roots]) {
        Ok(()) => true,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn fullsweep_after_forces_major() {
    let mut h = Heap::with_options(GcOptions {
        fullsweep_after: 2,
        ..GcOptions::default()
    });
    let mut roots = [Term::NIL];
    for i in 0..6 {
        let t = h.tuple(&[int(i)]);
        roots[0] = h.cons(t, roots[0]);
        h.gc(0, &mut [&mut roots[..]]);
    }
    let s = h.stats();
    assert_eq!(s.minor_gcs + s.major_gcs, 6);
    assert_eq!(s.major_gcs, 2);
    assert_eq!(roots[0].list_to_vec().unwrap().len(), 6);
}

#[test]
fn stack_roots_and_cps() {
    let mut h = Heap::new();
    assert!(h.stack_alloc(3));
    let t = h.tuple(&[int(7)]);
    h.set_y(0, t);
    h.set_y(1, Term::cp(0x1234).unwrap());
    h.set_y(2, Term::catch(3));
    let f = h.float(2.5);
    assert!(h.stack_push(f));
    h.gc(0, &mut []);
    assert_eq!(h.y(0).unwrap().as_float(), Some(2.5));
    assert_eq!(h.y(1).unwrap().as_tuple().unwrap()[0], int(7));
    assert_eq!(h.y(2).unwrap().cp_value(), Some(0x1234));
    assert_eq!(h.y(3).unwrap().as_catch(), Some(3));
    assert_eq!(h.stack_pop().unwrap().as_float(), Some(2.5));
    h.stack_free(3);
    assert_eq!(h.stack_len(), 0);
}

#[test]
fn spill_into_fragment_is_absorbed() {
    let mut h = Heap::new();
    let big: Vec<Term> = (0..1000).map(int).collect();
    let t = h.tuple(&big);
    assert!(h.fragment_count() > 0);
    let mut roots = [t];
    h.gc(0, &mut [&mut roots[..]]);
    assert_eq!(h.fragment_count(), 0);
    assert_eq!(roots[0].as_tuple().unwrap()[999], int(999));
    assert!(h.heap_size() >= 1001);
}

#[test]
fn attached_message_fragment() {
    let mut frag = HeapFragment::new();
    let msg = frag.tuple(&[Term::OK, int(1)]);
    let bin = frag.binary(&[5u8; 100]);
    let msg = frag.cons(msg, bin);
    let mut h = Heap::new();
    h.attach_fragment(frag);
    let mut roots = [msg];
    h.gc(0, &mut [&mut roots[..]]);
    let (hd, tl) = roots[0].as_cons().unwrap();
    assert_eq!(hd.as_tuple().unwrap()[1], int(1));
    assert_eq!(tl.as_bytes().unwrap(), &[5u8; 100][..]);
    assert_eq!(h.off_heap_count(), 1);
    assert!(verify_ok(&h, &roots));
}

#[test]
fn refc_binaries_released_when_unreachable() {
    let mut h = Heap::new();
    let b1 = h.binary(&[1u8; 1000]);
    let b2 = h.binary(&[2u8; 1000]);
    let sub = h.sub_binary(b2, 8, 80).unwrap();
    let w1 = std::sync::Arc::downgrade(&b1.off_heap_binary().unwrap());
    let w2 = std::sync::Arc::downgrade(&b2.off_heap_binary().unwrap());
    let mut roots = [b1, sub];
    h.gc(0, &mut [&mut roots[..]]);
    assert_eq!(w1.strong_count(), 1);
    assert_eq!(w2.strong_count(), 1);
    h.gc(0, &mut [&mut roots[..]]); // promoted to old heap
    assert_eq!(w1.strong_count(), 1);
    assert_eq!(roots[1].as_bytes().unwrap(), &[2u8; 10][..]);
    let mut only_sub = [roots[1]];
    h.major_gc(0, &mut [&mut only_sub[..]]);
    assert_eq!(w1.strong_count(), 0, "unreachable binary freed");
    assert_eq!(w2.strong_count(), 1, "binary behind a live sub binary kept");
    let mut none: [Term; 0] = [];
    h.gc(0, &mut [&mut none[..]]);
    h.major_gc(0, &mut [&mut none[..]]);
    assert_eq!(w2.strong_count(), 0);
}

#[test]
fn copy_and_size_of() {
    let mut f = HeapFragment::new();
    let a = Term::atom(Atom::intern("x").unwrap());
    let b = f.binary(&[3u8; 300]);
    let inner = f.tuple(&[a, b, int(5)]);
    let l = f.list_from(&[inner, inner], Term::NIL);
    let fl = f.float(3.0);
    let t = f.tuple(&[l, fl]);
    // tuple 3 + 2 cons * 2 + 2 * (tuple 4 + procbin 4) + float 2
    assert_eq!(size_of(t), 3 + 4 + 2 * 8 + 2);
    let arc = b.off_heap_binary().unwrap();
    let before = std::sync::Arc::strong_count(&arc);
    let mut h = Heap::new();
    let c = h.copy_term(t);
    assert_eq!(std::sync::Arc::strong_count(&arc), before + 2);
    assert_eq!(format!("{c}"), format!("{t}"));
    drop(f);
    assert_eq!(h.off_heap_count(), 2);
    drop(h);
    assert_eq!(std::sync::Arc::strong_count(&arc), 1);
}

#[test]
fn literals_are_never_copied() {
    let mut f = HeapFragment::new();
    let lit = f.tuple(&[Term::OK, int(42)]);
    let lit_list = f.list_from(&[lit, lit], Term::NIL);
    let area = LiteralArea::new(f);
    assert!(is_literal(lit));
    assert_eq!(size_of_opts(lit_list, true), 0);
    let mut h = Heap::new();
    let t = h.tuple(&[lit_list, int(1)]);
    let mut roots = [t];
    h.gc(0, &mut [&mut roots[..]]);
    h.major_gc(0, &mut [&mut roots[..]]);
    let el = roots[0].as_tuple().unwrap()[0];
    assert_eq!(el, lit_list, "literal pointer unchanged");
    assert!(verify_ok(&h, &roots));
    let kept = h.copy_opts_helper(lit_list);
    assert_eq!(kept, lit_list);
    drop(h);
    drop(area);
    assert!(!is_literal(lit));
}

impl Heap {
    fn copy_opts_helper(&mut self, t: Term) -> Term {
        copy_opts(t, self, true)
    }
}

#[test]
fn tuple_mut_only_on_young() {
    let mut h = Heap::new();
    let t = h.tuple(&[int(1), int(2)]);
    h.tuple_mut(t).unwrap()[1] = int(9);
    assert_eq!(t.as_tuple().unwrap()[1], int(9));
    let mut roots = [t];
    h.gc(0, &mut [&mut roots[..]]);
    h.gc(0, &mut [&mut roots[..]]);
    assert!(
        h.tuple_mut(roots[0]).is_none(),
        "old generation is immutable"
    );
}

#[test]
fn match_state_survives_gc() {
    let mut h = Heap::new();
    let b = h.binary(b"abcdefgh");
    let ms = h.match_state(b, 1).unwrap();
    assert!(h.set_match_offset(ms, 16));
    let mut roots = [ms];
    h.gc(0, &mut [&mut roots[..]]);
    match roots[0].view() {
        TermView::MatchState(m) => {
            assert_eq!(m.offset, 16);
            assert_eq!(m.orig.as_bytes().unwrap(), b"abcdefgh");
        }
        v => panic!("{v:?}"),
    }
}

#[test]
fn heap_grows_for_big_need() {
    let mut h = Heap::new();
    h.need(100_000, &mut []);
    assert!(h.free_words() >= 100_000);
    let l = h.alloc(100_000);
    assert_eq!(l.len(), 100_000);
    assert_eq!(h.fragment_count(), 0);
}

#[test]
fn hibernate_shrinks_to_live_size() {
    let mut h = Heap::new();
    let mut extra = Vec::new();
    let l = build_list(&mut h, 500, &mut extra);
    let mut roots = [l];
    h.hibernate(&mut [&mut roots[..]]);
    assert_eq!(h.heap_size(), 500 * 5);
    assert_eq!(h.free_words(), 0);
    check_list(roots[0], 500);
    h.need(10, &mut [&mut roots[..]]);
    assert!(h.free_words() >= 10);
    check_list(roots[0], 500);
}

#[test]
fn binary_vheap_requests_gc() {
    let mut h = Heap::new();
    assert!(!h.wants_gc());
    let mut keep = Vec::new();
    for _ in 0..10 {
        keep.push(h.binary(&vec![1u8; 100_000]));
    }
    assert!(h.bin_vheap_words() >= 125_000);
    assert!(h.wants_gc());
    h.gc(0, &mut [&mut keep[..]]);
    // Live binaries: the limit grows so the process is not GC'd in a loop.
    assert!(
        !h.wants_gc(),
        "vheap {} > {}",
        h.bin_vheap_words(),
        h.bin_vheap_size()
    );
    keep.clear();
    h.gc(0, &mut [&mut keep[..]]);
    assert_eq!(h.bin_vheap_words(), 0);
}

fn get_bit(b: &[u8], i: u64) -> u8 {
    (b[(i / 8) as usize] >> (7 - i % 8)) & 1
}

#[test]
fn copy_bits_matches_bitwise_copy() {
    let src: Vec<u8> = (0..40u32).map(|i| (i * 37 + 11) as u8).collect();
    for dst_off in 0..17u64 {
        for src_off in 0..17u64 {
            for n in [0u64, 1, 3, 7, 8, 9, 15, 16, 17, 63, 100] {
                let mut dst = vec![0xA5u8; 40];
                let mut want = dst.clone();
                for i in 0..n {
                    let bit = get_bit(&src, src_off + i);
                    let j = dst_off + i;
                    let m = 0x80u8 >> (j % 8);
                    let w = &mut want[(j / 8) as usize];
                    *w = if bit == 1 { *w | m } else { *w & !m };
                }
                super::writable::copy_bits(&mut dst, dst_off, &src, src_off, n);
                assert_eq!(dst, want, "dst_off {dst_off} src_off {src_off} n {n}");
            }
        }
    }
}

#[test]
fn append_in_place_keeps_old_values() {
    let mut h = Heap::new();
    let mut roots = vec![h.writable_binary(0)];
    let mut olds = Vec::new();
    for i in 0..3000u32 {
        let acc = roots[0];
        let next = h.bs_append(acc, &[(i % 251) as u8], 8).unwrap();
        if i % 700 == 0 {
            olds.push(acc);
        }
        roots[0] = next;
        if i % 97 == 0 {
            let mut all = roots.clone();
            all.extend(olds.iter().copied());
            h.gc(0, &mut [&mut all[..]]);
            roots[0] = all[0];
            olds.copy_from_slice(&all[1..]);
        }
    }
    let arc = roots[0].off_heap_binary().unwrap();
    // One shared buffer: the in-place path was taken.
    let bytes = roots[0].as_bytes().unwrap();
    assert_eq!(bytes.len(), 3000);
    assert!(bytes.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    for (k, o) in olds.iter().enumerate() {
        let ob = o.as_bytes().unwrap();
        assert_eq!(ob.len(), k * 700);
        assert_eq!(ob, &bytes[..k * 700]);
        assert_eq!(
            o.off_heap_binary()
                .map(|a| std::sync::Arc::ptr_eq(&a, &arc)),
            Some(true)
        );
    }
    // Handed out as an Arc: no longer writable, appends copy.
    drop(arc);
    let a2 = h.bs_append(roots[0], b"x", 8).unwrap();
    let b2 = h.bs_append(roots[0], b"y", 8).unwrap();
    assert_eq!(a2.as_bytes().unwrap()[3000], b'x');
    assert_eq!(b2.as_bytes().unwrap()[3000], b'y');
    assert_eq!(roots[0].as_bytes().unwrap().len(), 3000);
}

#[test]
fn append_to_shared_or_stale_accumulator_copies() {
    let mut h = Heap::new();
    let a = h.bs_append(Term::NIL, b"", 0);
    assert!(a.is_none(), "not a bitstring");
    let e = h.writable_binary(16);
    let a = h.bs_append(e, b"abc", 24).unwrap();
    let b1 = h.bs_append(a, b"1", 8).unwrap();
    let b2 = h.bs_append(a, b"2", 8).unwrap();
    assert_eq!(b1.as_bytes().unwrap(), b"abc1");
    assert_eq!(b2.as_bytes().unwrap(), b"abc2");
    // The full extent of a writable binary is still a sub binary.
    let whole = h.sub_binary(b1, 0, 32).unwrap();
    let b3 = h.bs_append(b1, b"3", 8).unwrap();
    assert_eq!(whole.as_bytes().unwrap(), b"abc1");
    assert_eq!(b3.as_bytes().unwrap(), b"abc13");
    // Bit-level appends.
    let mut acc = h.writable_binary(0);
    for i in 0..20u8 {
        acc = h.bs_append(acc, &[(i & 1) << 7], 1).unwrap();
    }
    match acc.view() {
        TermView::Binary(bv) => {
            assert_eq!(bv.bit_size, 20);
            assert_eq!(bv.to_bytes(), vec![0x55, 0x55, 0x50]);
        }
        _ => panic!("not a binary"),
    }
}

#[test]
fn extract_sub_binary_copies_small_whole_byte_parts() {
    let mut h = Heap::new();
    let bytes: Vec<u8> = (0..200u32).map(|i| (i * 37 % 256) as u8).collect();
    let refc = h.binary(&bytes);
    // A sub binary at an odd bit offset, to extract from in turn.
    let sub = h.sub_binary(refc, 5, 8 * 150 + 3).unwrap();
    for orig in [refc, sub] {
        for (off, bits) in [
            (0, 0),
            (0, 8),
            (3, 64),
            (8, 512),
            (13, 8 * 64),
            (7, 520),
            (1, 12),
        ] {
            let want = h.sub_binary(orig, off, bits).unwrap();
            let got = h.extract_sub_binary(orig, off, bits).unwrap();
            let (w, g) = (want.as_binary().unwrap(), got.as_binary().unwrap());
            assert_eq!((g.to_bytes(), g.bit_size), (w.to_bytes(), w.bit_size));
            let copied = bits % 8 == 0 && bits <= 512;
            assert_eq!(
                matches!(got.view(), TermView::Binary(b) if b.orig == got),
                copied
            );
        }
    }
    assert!(h.extract_sub_binary(refc, 8 * 190, 8 * 11).is_none());
}
