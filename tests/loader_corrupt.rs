//! Corrupted real `.beam` files must load as `Ok` or `Err`, never panic.
//!
//! Takes every 4th `.beam` file of the OTP tree (sorted by path) and, for each, parses
//! deterministic mutations: truncations of the file, truncations of single chunks (with
//! the container fixed up so the damage reaches the chunk parsers), random byte flips
//! anywhere and inside decoded chunks, and byte flips in the *inflated* literal table
//! (stored back uncompressed, so they reach the external-term decoder instead of failing
//! zlib's checksum). Any panic is caught and reported with the file and the mutation.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// splitmix64: a tiny deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn flip_byte(&mut self) -> u8 {
        (self.next() % 255) as u8 + 1
    }
}

/// (id, offset of data, size) of each chunk; stops at the first malformed header.
fn chunks(bytes: &[u8]) -> Vec<([u8; 4], usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id: [u8; 4] = bytes[pos..pos + 4].try_into().unwrap();
        let size = u32::from_be_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
        if pos + 8 + size > bytes.len() {
            break;
        }
        out.push((id, pos + 8, size));
        pos += 8 + ((size + 3) & !3);
    }
    out
}

/// Rebuilds the file with chunk `which`'s data replaced by `data` (sizes and padding fixed).
fn replace_chunk(bytes: &[u8], which: usize, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(bytes.len());
    for (i, (id, off, size)) in chunks(bytes).into_iter().enumerate() {
        let d = if i == which {
            data
        } else {
            &bytes[off..off + size]
        };
        body.extend(id);
        body.extend((d.len() as u32).to_be_bytes());
        body.extend(d);
        while body.len() % 4 != 0 {
            body.push(0);
        }
    }
    let mut out = b"FOR1".to_vec();
    out.extend((body.len() as u32 + 4).to_be_bytes());
    out.extend(b"BEAM");
    out.extend(body);
    out
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

struct Tally {
    parsed: usize,
    ok: usize,
    panics: Vec<String>,
}

impl Tally {
    fn check(&mut self, file: &Path, what: &str, bytes: &[u8], decode_dbgi: bool) {
        self.parsed += 1;
        let r = catch_unwind(AssertUnwindSafe(|| {
            let res = oxbeam_loader::parse_module(bytes);
            if let Ok(m) = &res {
                // Exercise the printer and the lazy debug-info decoder on what loaded.
                for l in &m.literals {
                    let _ = l.to_string();
                }
                if decode_dbgi {
                    let _ = m.decode_debug_info();
                }
            }
            res.is_ok()
        }));
        match r {
            Ok(true) => self.ok += 1,
            Ok(false) => {}
            Err(_) => self.panics.push(format!("{}: {what}", file.display())),
        }
    }
}

#[test]
fn corrupted_beams_never_panic() {
    let root = Path::new("/usr/lib/erlang");
    let all = oxbeam::otp::beam_files(root).unwrap_or_default();
    assert!(
        !all.is_empty(),
        "no .beam files under {} (`make test` installs OTP)",
        root.display()
    );
    let files: Vec<_> = all.iter().step_by(4).collect();
    let mut rng = Rng(0x0B5E_A3B7_2025_0001);
    let mut t = Tally {
        parsed: 0,
        ok: 0,
        panics: Vec::new(),
    };
    let start = std::time::Instant::now();
    for path in &files {
        let orig = std::fs::read(path).unwrap();
        let n = orig.len();
        let cs = chunks(&orig);

        // 1. Whole-file truncations.
        for cut in [0, 3, 8, 12, 19, 20, n / 3, n / 2, n - 1] {
            t.check(
                path,
                &format!("truncate to {cut}"),
                &orig[..cut.min(n)],
                false,
            );
        }

        // 2. Single-chunk truncations with the container fixed up.
        let decoded: Vec<usize> = (0..cs.len()).filter(|&i| &cs[i].0 != b"Dbgi").collect();
        for _ in 0..3 {
            let ci = decoded[rng.below(decoded.len())];
            let (id, off, size) = cs[ci];
            let keep = rng.below(size);
            let m = replace_chunk(&orig, ci, &orig[off..off + keep]);
            let what = format!(
                "chunk {} cut to {keep} of {size}",
                String::from_utf8_lossy(&id)
            );
            t.check(path, &what, &m, false);
        }

        // 3. Byte flips anywhere (1..3 bytes); most land in Dbgi, whose lazy decoding
        // (slow in debug builds) is exercised on the first of them.
        for k in 0..4 {
            let mut m = orig.clone();
            let mut what = String::from("flip");
            for _ in 0..1 + rng.below(3) {
                let p = rng.below(n);
                m[p] ^= rng.flip_byte();
                what += &format!(" @{p}");
            }
            t.check(path, &what, &m, k == 0);
        }

        // 4. Byte flips inside a decoded chunk (Code most of the time).
        let code = cs.iter().position(|c| &c.0 == b"Code");
        for k in 0..6 {
            let ci = match code {
                Some(c) if k % 2 == 0 => c,
                _ => decoded[rng.below(decoded.len())],
            };
            let (id, off, size) = cs[ci];
            if size == 0 {
                continue;
            }
            let mut m = orig.clone();
            let p = off + rng.below(size);
            m[p] ^= rng.flip_byte();
            let what = format!("flip @{p} in {}", String::from_utf8_lossy(&id));
            t.check(path, &what, &m, false);
        }

        // 5. Flips in the inflated literal table, re-compressed.
        if let Some(li) = cs.iter().position(|c| &c.0 == b"LitT") {
            let (_, off, size) = cs[li];
            if let Some(table) = inflate(&orig[off + 4..off + size]) {
                for _ in 0..3 {
                    let mut tb = table.clone();
                    let p = rng.below(tb.len());
                    tb[p] ^= rng.flip_byte();
                    // Stored uncompressed (size 0): same decoder, no slow debug deflate.
                    let mut data = 0u32.to_be_bytes().to_vec();
                    data.extend(&tb);
                    let m = replace_chunk(&orig, li, &data);
                    t.check(path, &format!("inflated literal flip @{p}"), &m, false);
                }
            }
        }
    }
    eprintln!(
        "{} files, {} mutated parses ({} still loaded) in {:.1?}",
        files.len(),
        t.parsed,
        t.ok,
        start.elapsed()
    );
    assert!(
        t.panics.is_empty(),
        "{} mutation(s) panicked:\n{}",
        t.panics.len(),
        t.panics.join("\n")
    );
}
