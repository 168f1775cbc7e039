//! MD5 (RFC 1321) with ERTS's context layout: the module checksum
//! (`module_info(md5)`), `erlang:md5/1` and the incremental `md5_init/0`,
//! `md5_update/2`, `md5_final/1`, whose context
//! is the 88-byte image of ERTS's `MD5_CTX`: four state words, the 64-bit
//! bit count (little-endian) and the 64-byte input buffer, updated exactly
//! as RSA's reference `MD5Update` does (stale buffer bytes included).

/// Size of a context binary.
pub const CTX_BYTES: usize = 88;

/// Per-round left rotations.
const S: [[u32; 4]; 4] = [
    [7, 12, 17, 22],
    [5, 9, 14, 20],
    [4, 11, 16, 23],
    [6, 10, 15, 21],
];

/// `floor(abs(sin(i + 1)) * 2^32)`.
const K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/// An MD5 computation in progress.
#[derive(Clone)]
pub struct Md5 {
    state: [u32; 4],
    /// Message length in bits, modulo 2^64.
    bits: u64,
    buffer: [u8; 64],
}

impl Default for Md5 {
    fn default() -> Self {
        Md5::new()
    }
}

impl Md5 {
    /// A fresh context (`MD5Init`).
    pub fn new() -> Md5 {
        Md5 {
            state: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
            bits: 0,
            buffer: [0; 64],
        }
    }

    /// A context from its ERTS image; `None` unless `b` is 88 bytes.
    pub fn from_bytes(b: &[u8]) -> Option<Md5> {
        if b.len() != CTX_BYTES {
            return None;
        }
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut buffer = [0; 64];
        buffer.copy_from_slice(&b[24..]);
        Some(Md5 {
            state: [word(0), word(4), word(8), word(12)],
            bits: u64::from(word(16)) | u64::from(word(20)) << 32,
            buffer,
        })
    }

    /// The ERTS image of the context.
    pub fn to_bytes(&self) -> [u8; CTX_BYTES] {
        let mut out = [0; CTX_BYTES];
        for (i, w) in self.state.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
        }
        out[16..24].copy_from_slice(&self.bits.to_le_bytes());
        out[24..].copy_from_slice(&self.buffer);
        out
    }

    /// Feeds `input` (`MD5Update`).
    pub fn update(&mut self, input: &[u8]) {
        let index = ((self.bits >> 3) & 0x3f) as usize;
        self.bits = self.bits.wrapping_add((input.len() as u64).wrapping_mul(8));
        let part = 64 - index;
        let mut i = 0;
        let mut index = index;
        if input.len() >= part {
            self.buffer[index..].copy_from_slice(&input[..part]);
            let block = self.buffer;
            self.transform(&block);
            i = part;
            while i + 64 <= input.len() {
                let mut block = [0; 64];
                block.copy_from_slice(&input[i..i + 64]);
                self.transform(&block);
                i += 64;
            }
            index = 0;
        }
        let rest = &input[i..];
        self.buffer[index..index + rest.len()].copy_from_slice(rest);
    }

    /// The digest (`MD5Final`).
    pub fn finish(mut self) -> [u8; 16] {
        let bits = self.bits.to_le_bytes();
        let index = ((self.bits >> 3) & 0x3f) as usize;
        let pad = if index < 56 { 56 - index } else { 120 - index };
        let mut padding = [0u8; 64];
        padding[0] = 0x80;
        self.update(&padding[..pad]);
        self.update(&bits);
        let mut out = [0; 16];
        for (i, w) in self.state.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// One 64-byte block (`MD5Transform`).
    fn transform(&mut self, block: &[u8; 64]) {
        let mut x = [0u32; 16];
        for (i, w) in x.iter_mut().enumerate() {
            *w = u32::from_le_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        let [mut a, mut b, mut c, mut d] = self.state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let t = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(x[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(t.rotate_left(S[i / 16][i % 4]));
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
}

/// The MD5 digest of `data`.
pub fn md5(data: &[u8]) -> [u8; 16] {
    let mut m = Md5::new();
    m.update(data);
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(d: [u8; 16]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc1321_vectors_and_incremental() {
        assert_eq!(hex(md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        let long: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        for split in [0, 1, 55, 56, 63, 64, 65, 500, 1000] {
            let mut m = Md5::new();
            m.update(&long[..split]);
            let m = Md5::from_bytes(&m.to_bytes()).unwrap();
            let mut m2 = m.clone();
            m2.update(&long[split..]);
            assert_eq!(m2.finish(), md5(&long), "split {split}");
        }
        assert_eq!(
            hex(md5(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            )),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }
}
