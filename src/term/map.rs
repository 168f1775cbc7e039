//! Maps as ERTS builds them (`erl_map.c`).
//!
//! * A map of at most 32 pairs is a *flatmap*: a sorted tuple of keys (exact
//!   term order, so integers before floats) and the values in the same
//!   order.
//! * A larger map is a *HAMT*: keys are placed by [`hash::map_hash`]
//!   (`make_internal_hash`), 4 bits per level, low nibble first; a level
//!   group of 8 levels uses a freshly salted hash. The trie is canonical —
//!   a leaf `[K|V]` sits in the shallowest node where its hash prefix is
//!   unique — so building it from a sorted array gives exactly the node
//!   structure ERTS's `hashmap_from_array` and `hashmap_insert` produce, and
//!   with it ERTS's iteration order.
//!
//! Iteration orders: [`hamt_leaves`] is the storage (hash) order of
//! `hashmap_iterator_next`; [`to_pairs`] is the order of `maps:to_list`,
//! `maps:keys` and `term_to_binary` (flatmaps: key order; HAMTs: the reverse
//! of the storage order).

use super::cmp::{compare_exact, eq_exact};
use super::hash::map_hash;
use super::{MapView, Term, MAP_SMALL_MAP_LIMIT};
use crate::heap::HeapBuilder;
use std::cmp::Ordering;

/// Leaves of a HAMT map (any node) in storage order (depth first, slots
/// ascending). For a flatmap, its pairs in key order. Empty for non-maps.
pub fn hamt_leaves(t: Term) -> Vec<(Term, Term)> {
    let mut out = Vec::new();
    let Some(m) = t.as_map() else { return out };
    if let MapView::Flat { keys, values, .. } = m {
        out.extend(keys.iter().copied().zip(values.iter().copied()));
        return out;
    }
    let mut stack: Vec<Term> = Vec::new();
    push_children_rev(&mut stack, m);
    while let Some(c) = stack.pop() {
        if let Some(kv) = c.as_cons() {
            out.push(kv);
        } else if let Some(sub) = c.as_map() {
            push_children_rev(&mut stack, sub);
        }
    }
    out
}

fn push_children_rev(stack: &mut Vec<Term>, m: MapView<'_>) {
    let ch = match m {
        MapView::Flat { .. } => return,
        MapView::HeadArray { children, .. }
        | MapView::HeadBitmap { children, .. }
        | MapView::Node { children, .. } => children,
    };
    for c in ch.iter().rev() {
        stack.push(*c);
    }
}

/// The pairs of a map in ERTS's user-visible order (`maps:to_list/1`,
/// `maps:keys/1`, `term_to_binary/1`). Empty for non-maps.
pub fn to_pairs(t: Term) -> Vec<(Term, Term)> {
    let mut v = hamt_leaves(t);
    if let Some(MapView::Flat { .. }) = t.as_map() {
        return v;
    }
    v.reverse();
    v
}

/// Number of pairs of a map (`None` for non-maps and inner HAMT nodes).
pub fn size(t: Term) -> Option<usize> {
    t.map_size()
}

/// Looks `key` up (exact equality, as `maps:get/2`).
pub fn get(map: Term, key: Term) -> Option<Term> {
    match map.as_map()? {
        MapView::Flat { keys, values, .. } => {
            // Keys are sorted, but for small maps a linear scan with the
            // cheap raw-word test first is as fast as a binary search.
            if let Some(i) = keys.iter().position(|k| k.raw() == key.raw()) {
                return values.get(i).copied();
            }
            if key.is_immediate() && !key.is_small() {
                // Atoms, pids, ports, nil: equal only if identical.
                return None;
            }
            let i = keys.binary_search_by(|k| compare_exact(*k, key)).ok()?;
            values.get(i).copied()
        }
        _ => hamt_get(map, key),
    }
}

fn hamt_get(map: Term, key: Term) -> Option<Term> {
    let mut hx = map_hash(key, 0);
    let mut lvl: u32 = 0;
    let mut node = map;
    loop {
        let m = node.as_map()?;
        let (bitmap, children) = match m {
            MapView::HeadArray { children, .. } => (0xffffu16, children),
            MapView::HeadBitmap {
                bitmap, children, ..
            } => (bitmap, children),
            MapView::Node { bitmap, children } => (bitmap, children),
            MapView::Flat { .. } => return None,
        };
        let ix = (hx & 0xf) as u16;
        let bp = 1u16 << ix;
        if bitmap & bp == 0 {
            return None;
        }
        let pos = (bitmap & (bp - 1)).count_ones() as usize;
        let child = *children.get(pos)?;
        if let Some((k, v)) = child.as_cons() {
            return if eq_exact(k, key) { Some(v) } else { None };
        }
        lvl += 1;
        hx = if lvl % 8 != 0 {
            hx >> 4
        } else {
            map_hash(key, lvl / 8)
        };
        node = child;
    }
}

/// Whether `key` is in `map`.
pub fn contains(map: Term, key: Term) -> bool {
    get(map, key).is_some()
}

/// `(a, b)` order of two keys in HAMT storage order: by nibbles of the
/// level hashes, lowest nibble first. `Equal` only for keys whose hashes
/// agree at every level (equal keys).
pub fn hash_order(a: Term, b: Term) -> Ordering {
    hash_order_from(a, b, 0, None, None)
}

fn hash_order_from(a: Term, b: Term, depth0: u32, ha0: Option<u32>, hb0: Option<u32>) -> Ordering {
    let mut depth = depth0;
    let mut ha = ha0.unwrap_or_else(|| map_hash(a, depth));
    let mut hb = hb0.unwrap_or_else(|| map_hash(b, depth));
    loop {
        let o = swizzle(ha).cmp(&swizzle(hb));
        if o != Ordering::Equal {
            return o;
        }
        depth += 1;
        if depth > 16 {
            return Ordering::Equal;
        }
        ha = map_hash(a, depth);
        hb = map_hash(b, depth);
    }
}

/// Reverses the nibble order of a hash (ERTS `swizzle32`), so that
/// comparing swizzled hashes compares nibble sequences low nibble first.
#[inline]
fn swizzle(h: u32) -> u32 {
    let h = ((h & 0x0f0f_0f0f) << 4) | ((h >> 4) & 0x0f0f_0f0f);
    h.swap_bytes()
}

/// How duplicate keys are treated when building a map from pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duplicates {
    /// The last pair for a key wins (`maps:from_list/1`).
    LastWins,
    /// Duplicates are an error (`binary_to_term/1`).
    Reject,
}

/// Builds a map from `pairs` (in any order). With [`Duplicates::Reject`],
/// returns `None` if two keys are exactly equal. The result is a flatmap
/// if it has at most 32 pairs, a HAMT otherwise — as ERTS.
pub fn from_pairs<B: HeapBuilder + ?Sized>(
    b: &mut B,
    pairs: &[(Term, Term)],
    dups: Duplicates,
) -> Option<Term> {
    if pairs.len() <= MAP_SMALL_MAP_LIMIT {
        let mut arr = [(Term::NIL, Term::NIL); MAP_SMALL_MAP_LIMIT];
        arr[..pairs.len()].copy_from_slice(pairs);
        return small_from_array(b, &mut arr, pairs.len(), dups);
    }
    from_pairs_iter(b, pairs.iter().copied(), pairs.len(), dups)
}

/// [`from_pairs`] for keys and values interleaved in one slice
/// (`[K1, V1, K2, V2, ...]`), as a decoder collects them.
pub fn from_kv<B: HeapBuilder + ?Sized>(b: &mut B, kv: &[Term], dups: Duplicates) -> Option<Term> {
    let n = kv.len() / 2;
    if n <= MAP_SMALL_MAP_LIMIT {
        let mut arr = [(Term::NIL, Term::NIL); MAP_SMALL_MAP_LIMIT];
        for (i, p) in kv.chunks_exact(2).enumerate() {
            arr[i] = (p[0], p[1]);
        }
        return small_from_array(b, &mut arr, n, dups);
    }
    from_pairs_iter(b, kv.chunks_exact(2).map(|p| (p[0], p[1])), n, dups)
}

/// A flatmap from the first `n` pairs of `arr` (sorted in place), without
/// heap allocation.
fn small_from_array<B: HeapBuilder + ?Sized>(
    b: &mut B,
    arr: &mut [(Term, Term); MAP_SMALL_MAP_LIMIT],
    n: usize,
    dups: Duplicates,
) -> Option<Term> {
    let n = sort_flat(&mut arr[..n], dups)?;
    let mut vals = [Term::NIL; MAP_SMALL_MAP_LIMIT];
    for (i, p) in arr[..n].iter().enumerate() {
        vals[i] = p.1;
    }
    let kt = b.tuple_with(n, &mut |i| arr[i].0);
    b.flatmap(kt, &vals[..n])
}

fn from_pairs_iter<B: HeapBuilder + ?Sized>(
    b: &mut B,
    pairs: impl Iterator<Item = (Term, Term)>,
    len: usize,
    dups: Duplicates,
) -> Option<Term> {
    // Large: order by hash, resolving duplicates inside equal-hash runs.
    let mut es: Vec<Entry> = Vec::with_capacity(len);
    es.extend(pairs.enumerate().map(|(i, (k, v))| Entry {
        k,
        v,
        h0: map_hash(k, 0),
        i,
    }));
    es.sort_unstable_by(|x, y| swizzle(x.h0).cmp(&swizzle(y.h0)).then(x.i.cmp(&y.i)));
    let mut out: Vec<Entry> = Vec::with_capacity(es.len());
    let mut i = 0;
    while i < es.len() {
        let mut j = i + 1;
        while j < es.len() && es[j].h0 == es[i].h0 {
            j += 1;
        }
        if j - i == 1 {
            out.push(es[i]);
        } else {
            // Equal level-0 hashes: dedupe by exact equality (keeping the
            // last occurrence), then order by the deeper hashes.
            let mut run: Vec<Entry> = Vec::with_capacity(j - i);
            for e in &es[i..j] {
                if let Some(pos) = run.iter().position(|r| eq_exact(r.k, e.k)) {
                    if dups == Duplicates::Reject {
                        return None;
                    }
                    if e.i > run[pos].i {
                        run[pos] = *e;
                    }
                } else {
                    run.push(*e);
                }
            }
            run.sort_by(|x, y| hash_order_from(x.k, y.k, 0, Some(x.h0), Some(y.h0)));
            out.extend(run);
        }
        i = j;
    }
    if out.len() <= MAP_SMALL_MAP_LIMIT {
        let mut arr = [(Term::NIL, Term::NIL); MAP_SMALL_MAP_LIMIT];
        for (i, e) in out.iter().enumerate() {
            arr[i] = (e.k, e.v);
        }
        return small_from_array(b, &mut arr, out.len(), Duplicates::Reject);
    }
    Some(build_hamt(b, &out))
}

/// Sorts flatmap pairs by exact key order (insertion sort: input from ERTS
/// is usually sorted already). With `Reject`, a duplicate key gives
/// `None`; with `LastWins` later pairs replace earlier ones. Returns the
/// number of pairs left (at the front of `v`).
fn sort_flat(v: &mut [(Term, Term)], dups: Duplicates) -> Option<usize> {
    let mut len = v.len();
    let mut ix = 1;
    while ix < len {
        let mut jx = ix;
        let mut removed = false;
        while jx > 0 {
            let c = compare_exact(v[jx].0, v[jx - 1].0);
            if c == Ordering::Greater {
                break;
            }
            if c == Ordering::Equal {
                if dups == Duplicates::Reject {
                    return None;
                }
                // The later pair (at jx) replaces the earlier (jx - 1).
                v[jx - 1..len].rotate_left(1);
                len -= 1;
                removed = true;
                break;
            }
            v.swap(jx, jx - 1);
            jx -= 1;
        }
        if !removed {
            ix += 1;
        }
    }
    Some(len)
}

#[derive(Clone, Copy)]
struct Entry {
    k: Term,
    v: Term,
    h0: u32,
    i: usize,
}

/// Nibble of `e`'s hash at trie level `lvl`.
fn nibble(e: &Entry, lvl: u32) -> u32 {
    let h = if lvl < 8 {
        e.h0
    } else {
        map_hash(e.k, lvl / 8)
    };
    (h >> (4 * (lvl % 8))) & 0xf
}

/// Builds the canonical HAMT for `es` (distinct keys, in storage order).
fn build_hamt<B: HeapBuilder + ?Sized>(b: &mut B, es: &[Entry]) -> Term {
    struct Frame {
        lo: usize,
        hi: usize,
        lvl: u32,
        bitmap: u16,
        children: Vec<Term>,
        pos: usize,
    }
    let mut stack: Vec<Frame> = vec![Frame {
        lo: 0,
        hi: es.len(),
        lvl: 0,
        bitmap: 0,
        children: Vec::new(),
        pos: 0,
    }];
    loop {
        let Some(f) = stack.last_mut() else {
            return Term::NIL;
        };
        if f.pos >= f.hi {
            // Node complete.
            let Some(done) = stack.pop() else {
                return Term::NIL;
            };
            match stack.last_mut() {
                None => {
                    return b
                        .hamt_head(es.len(), done.bitmap, &done.children)
                        .unwrap_or(Term::NIL)
                }
                Some(parent) => {
                    let node = b
                        .hamt_node(done.bitmap, &done.children)
                        .unwrap_or(Term::NIL);
                    let nib = nibble(&es[done.lo], parent.lvl);
                    parent.bitmap |= 1 << nib;
                    parent.children.push(node);
                    parent.pos = done.hi;
                }
            }
            continue;
        }
        let i = f.pos;
        let nib = nibble(&es[i], f.lvl);
        let mut j = i + 1;
        while j < f.hi && nibble(&es[j], f.lvl) == nib {
            j += 1;
        }
        if j - i == 1 || f.lvl >= 8 * 16 {
            let leaf = b.cons(es[i].k, es[i].v);
            f.bitmap |= 1 << nib;
            f.children.push(leaf);
            f.pos = j;
        } else {
            let lvl = f.lvl + 1;
            stack.push(Frame {
                lo: i,
                hi: j,
                lvl,
                bitmap: 0,
                children: Vec::new(),
                pos: i,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::HeapFragment;

    #[test]
    fn swizzle_matches_erts() {
        assert_eq!(swizzle(0x1234_5678), 0x8765_4321);
        assert_eq!(swizzle(0x0000_000f), 0xf000_0000);
    }

    #[test]
    fn from_list_orders_like_erts() {
        // maps:keys(maps:from_list([{I,I} || I <- lists:seq(1,40)])) on
        // stock ERTS 13.1.5.
        let expect: [i64; 40] = [
            33, 12, 23, 29, 30, 39, 26, 31, 11, 37, 9, 32, 34, 25, 28, 6, 38, 13, 40, 20, 15, 14,
            2, 7, 1, 8, 3, 17, 22, 21, 4, 36, 24, 10, 35, 27, 19, 5, 18, 16,
        ];
        let mut f = HeapFragment::new();
        let pairs: Vec<(Term, Term)> = (1..=40)
            .map(|i| (Term::small(i).unwrap(), Term::small(i).unwrap()))
            .collect();
        let m = from_pairs(&mut f, &pairs, Duplicates::Reject).unwrap();
        let keys: Vec<i64> = to_pairs(m)
            .iter()
            .map(|(k, _)| k.as_small().unwrap())
            .collect();
        assert_eq!(keys, expect);
        for i in 1..=40 {
            assert_eq!(get(m, Term::small(i).unwrap()), Term::small(i));
        }
        assert_eq!(get(m, Term::small(41).unwrap()), None);
    }

    #[test]
    fn last_wins_and_reject() {
        let mut f = HeapFragment::new();
        let one = Term::small(1).unwrap();
        let two = Term::small(2).unwrap();
        let pairs = [(one, one), (two, two), (one, two)];
        assert!(from_pairs(&mut f, &pairs, Duplicates::Reject).is_none());
        let m = from_pairs(&mut f, &pairs, Duplicates::LastWins).unwrap();
        assert_eq!(size(m), Some(2));
        assert_eq!(get(m, one), Some(two));
        let mut big: Vec<(Term, Term)> = (0..100)
            .map(|i| (Term::small(i % 50).unwrap(), Term::small(i).unwrap()))
            .collect();
        assert!(from_pairs(&mut f, &big, Duplicates::Reject).is_none());
        let m = from_pairs(&mut f, &big, Duplicates::LastWins).unwrap();
        assert_eq!(size(m), Some(50));
        assert_eq!(get(m, Term::small(3).unwrap()), Term::small(53));
        big.truncate(40);
        let m = from_pairs(&mut f, &big, Duplicates::Reject).unwrap();
        assert_eq!(size(m), Some(40));
    }
}
