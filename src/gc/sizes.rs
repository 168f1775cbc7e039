//! The heap size table (`erts_init_gc` / `erts_next_heap_size`).

use once_cell::sync::Lazy;

/// Heap sizes in words: Fibonacci-like growth (12, 38, 51, 90, 142, 233,
/// ...) for the first 23 entries, then 20% steps, up to 2^53 bytes.
pub static HEAP_SIZES: Lazy<Vec<usize>> = Lazy::new(|| {
    let mut v: Vec<usize> = vec![12, 38];
    for i in 2..23 {
        let n = v[i - 1] + v[i - 2] + 1;
        v.push(n);
    }
    let max = (1usize << 53) / 8;
    loop {
        let last = v[v.len() - 1];
        let n = last + last / 5;
        if n > max {
            break;
        }
        v.push(n);
    }
    v
});

/// ERTS's `erts_next_heap_size(size, offset)`: the smallest table entry
/// `>= size`, moved `offset` entries further up. Sizes beyond the table
/// saturate at the last entry.
pub fn next_heap_size(size: usize, offset: usize) -> usize {
    let t = &*HEAP_SIZES;
    if size < t[0] {
        return t[0];
    }
    let ix = t.partition_point(|&s| s < size);
    let ix = (ix + offset).min(t.len() - 1);
    t[ix]
}

/// ERTS's `do_next_vheap_size`: grows the binary virtual heap limit by the
/// golden ratio while usage exceeds 75% of it, halves it below 25%, and
/// never returns less than `min`.
pub fn next_vheap_size(vheap: usize, vheap_sz: usize, min: usize) -> usize {
    let mut sz = vheap_sz.max(1);
    if vheap / 3 > sz / 4 {
        while vheap / 3 > sz / 4 {
            let n = (sz as f64 * 1.618) as usize;
            if n <= sz {
                break;
            }
            sz = n;
        }
    } else if vheap < sz / 4 {
        sz >>= 1;
    }
    sz.max(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_erts() {
        assert_eq!(&HEAP_SIZES[..8], &[12, 38, 51, 90, 142, 233, 376, 610]);
        assert_eq!(next_heap_size(233, 0), 233);
        assert_eq!(next_heap_size(234, 0), 376);
        assert_eq!(next_heap_size(233, 1), 376);
        assert_eq!(next_heap_size(1, 0), 12);
        assert_eq!(HEAP_SIZES[22], HEAP_SIZES[21] + HEAP_SIZES[20] + 1);
        assert_eq!(HEAP_SIZES[23], HEAP_SIZES[22] + HEAP_SIZES[22] / 5);
    }
}
