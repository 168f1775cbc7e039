//! Fuzz `binary_to_term`: hostile bytes must give an error, never a panic,
//! a hang or a native stack overflow. Whatever decodes must re-encode to
//! bytes that decode to an equal term and re-encode identically, and must
//! survive hashing, comparison and a GC.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxbeam::etf::{decode, encode, DecodeOptions, EncodeOptions};
use oxbeam::heap::Heap;
use oxbeam::term::cmp::{compare, eq_exact};
use oxbeam::term::hash::{make_hash, make_hash2};

fuzz_target!(|data: &[u8]| {
    // Raw input, and the input behind a version byte (most fuzz inputs
    // would otherwise stop at the first byte).
    let mut prefixed = Vec::with_capacity(data.len() + 1);
    prefixed.push(131u8);
    prefixed.extend_from_slice(data);
    for bytes in [data, &prefixed[..]] {
        let mut heap = Heap::new();
        let Ok((t, used)) = decode(bytes, &mut heap, &DecodeOptions::default()) else {
            continue;
        };
        assert!(used <= bytes.len());
        let enc = encode(t, &EncodeOptions::default());
        let mut heap2 = Heap::new();
        let (t2, used2) = decode(&enc, &mut heap2, &DecodeOptions::default()).expect("re-decode");
        assert_eq!(used2, enc.len());
        assert!(eq_exact(t, t2), "round trip changed the term");
        assert_eq!(compare(t, t2), std::cmp::Ordering::Equal);
        assert_eq!(encode(t2, &EncodeOptions::default()), enc);
        assert_eq!(make_hash2(t), make_hash2(t2));
        assert_eq!(make_hash(t), make_hash(t2));
        let z = encode(
            t,
            &EncodeOptions {
                compressed: Some(6),
                deterministic: true,
                minor_version: 0,
            },
        );
        let mut heap3 = Heap::new();
        let (t3, _) = decode(&z, &mut heap3, &DecodeOptions::default()).expect("decode compressed");
        assert!(eq_exact(t, t3));
        // The decoded term survives a minor GC and a full sweep.
        let mut roots = [t];
        heap.gc(0, &mut [&mut roots[..]]);
        heap.major_gc(0, &mut [&mut roots[..]]);
        assert_eq!(encode(roots[0], &EncodeOptions::default()), enc);
    }
});
