//! Heap verifier: walks a heap and checks that every header is well formed
//! and every pointer lands on an object or list cell in a live area
//! (young heap, old heap, or a literal area).

use crate::heap::{literal_ranges, Heap};
use crate::term::size::object_layout;
use crate::term::{
    subtag, Term, TAG_PRIMARY_BOXED, TAG_PRIMARY_HEADER, TAG_PRIMARY_LIST, TAG_PRIMARY_MASK,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordKind {
    Header,
    Term,
    Raw,
}

#[derive(Default, Debug)]
struct Area {
    lo: usize,
    kinds: Vec<WordKind>,
}

impl Area {
    fn kind_at(&self, a: usize) -> Option<WordKind> {
        if a < self.lo || (a - self.lo) % 8 != 0 {
            return None;
        }
        self.kinds.get((a - self.lo) / 8).copied()
    }
}

/// Classifies every word of `[from, to)`.
///
/// # Safety
/// `[from, to)` must be readable.
unsafe fn classify_area(from: *const u64, to: *const u64, name: &str) -> Result<Area, String> {
    let n = (to as usize - from as usize) / 8;
    let mut kinds = vec![WordKind::Term; n];
    let mut i = 0;
    while i < n {
        let p = from.add(i);
        let w = *p;
        if w & TAG_PRIMARY_MASK == TAG_PRIMARY_HEADER {
            kinds[i] = WordKind::Header;
            if w & subtag::MASK == subtag::ARITYVAL {
                let arity = (w >> 6) as usize;
                if i + 1 + arity > n {
                    return Err(format!("{name}: tuple at word {i} overruns the area"));
                }
                i += 1;
                continue;
            }
            let lay = object_layout(p, w)
                .ok_or_else(|| format!("{name}: bad header {w:#x} at word {i}"))?;
            if i + lay.size > n
                || lay.size == 0
                || lay.terms_to > lay.size
                || lay.terms_from > lay.terms_to.max(lay.terms_from)
            {
                return Err(format!(
                    "{name}: object at word {i} (header {w:#x}) overruns the area"
                ));
            }
            for k in 1..lay.size {
                kinds[i + k] = if k >= lay.terms_from && k < lay.terms_to {
                    WordKind::Term
                } else {
                    WordKind::Raw
                };
            }
            check_thing(p, w).map_err(|e| format!("{name}: word {i}: {e}"))?;
            i += lay.size;
        } else {
            i += 1;
        }
    }
    Ok(Area {
        lo: from as usize,
        kinds,
    })
}

/// Extra well-formedness checks of a non-tuple object.
///
/// # Safety
/// `p` must point to the object.
unsafe fn check_thing(p: *const u64, h: u64) -> Result<(), String> {
    let arity = (h >> 6) as usize;
    match h & subtag::MASK {
        subtag::POS_BIG | subtag::NEG_BIG if arity == 0 => return Err("empty bignum".into()),
        subtag::FLOAT if arity != 1 => return Err("bad float".into()),
        subtag::HEAP_BINARY if crate::term::size::heap_binary(*p.add(1) as usize) != arity + 1 => {
            return Err("heap binary size mismatch".into());
        }
        subtag::REFC_BINARY if arity != 3 => return Err("bad refc binary".into()),
        subtag::SUB_BINARY => {
            let orig = *p.add(3);
            if orig & TAG_PRIMARY_MASK != TAG_PRIMARY_BOXED {
                return Err("sub binary orig is not boxed".into());
            }
        }
        _ => {}
    }
    Ok(())
}

/// What the verifier remembers between collections (kept in the heap
/// with the `verify-heap` feature): the classification of the old heap's
/// verified prefix. Between full sweeps the old heap only grows (its
/// objects are immutable apart from raw words such as match-state offsets
/// and ProcBin sizes), so after a minor GC only the newly promoted part
/// needs walking.
#[derive(Default, Debug)]
pub struct VerifyState {
    /// Classified prefix of the old heap (`lo` is the old heap's start).
    old: Area,
    /// Size in words of the old heap block that prefix belongs to.
    old_cap: usize,
    /// Old heap words at its last complete walk; the whole old heap is
    /// walked again whenever it has doubled since, so a bug that changes
    /// already verified words is still found, at amortised linear cost.
    full_at: usize,
}

/// Verifies `heap` (young heap, old heap, stack, off-heap list) and the
/// given roots, walking everything. Returns a description of the first
/// problem found.
pub fn verify_heap(heap: &Heap, roots: &[&[Term]]) -> Result<(), String> {
    verify(heap, roots, &mut VerifyState::default(), false)
}

/// Verifies `heap` after a collection. After a minor GC (`full` false)
/// the old heap prefix verified by the previous call is taken as is and
/// only the part promoted since is walked (plus the young heap, stack,
/// roots and off-heap list); after a full sweep everything is walked.
#[cfg(feature = "verify-heap")]
pub(crate) fn verify_after_gc(
    heap: &mut Heap,
    roots: &[&[Term]],
    full: bool,
) -> Result<(), String> {
    let mut st = std::mem::take(&mut heap.verify);
    let r = verify(heap, roots, &mut st, !full);
    heap.verify = st;
    r
}

fn verify(
    heap: &Heap,
    roots: &[&[Term]],
    st: &mut VerifyState,
    incremental: bool,
) -> Result<(), String> {
    let lits = literal_ranges();
    // SAFETY: the young heap [start, htop) is initialised memory owned by
    // `heap`.
    let young = unsafe { classify_area(heap.block.start(), heap.htop, "young heap")? };
    // Index of the first old-heap word not verified before.
    let mut old_from = 0;
    match &heap.old {
        None => *st = VerifyState::default(),
        Some(b) => {
            let lo = b.start() as usize;
            let words = (heap.old_htop as usize - lo) / 8;
            let reuse = incremental
                && st.old.lo == lo
                && st.old_cap == b.words()
                && st.old.kinds.len() <= words
                && words < 2 * st.full_at.max(1);
            if reuse {
                old_from = st.old.kinds.len();
            } else {
                st.old = Area {
                    lo,
                    kinds: Vec::new(),
                };
                st.old_cap = b.words();
                st.full_at = words;
            }
            // SAFETY: [old_from, old_htop) of the old heap is initialised
            // and starts at an object boundary (the previous old_htop).
            let new = unsafe { classify_area(b.start().add(old_from), heap.old_htop, "old heap")? };
            st.old.kinds.extend_from_slice(&new.kinds);
        }
    }
    let old = heap.old.as_ref().map(|_| &st.old);
    let in_lit = |a: usize| {
        let pos = lits.partition_point(|r| r.0 <= a);
        pos > 0 && a < lits[pos - 1].1
    };
    let frag_ok = |a: usize| heap.frags.iter().any(|f| f.contains_addr(a));
    let check = |w: u64, from_old: bool, what: &dyn Fn() -> String| -> Result<(), String> {
        let tag = w & TAG_PRIMARY_MASK;
        if tag != TAG_PRIMARY_LIST && tag != TAG_PRIMARY_BOXED {
            return Ok(());
        }
        let a = (w & !TAG_PRIMARY_MASK) as usize;
        let want = if tag == TAG_PRIMARY_BOXED {
            WordKind::Header
        } else {
            WordKind::Term
        };
        let k = young
            .kind_at(a)
            .map(|k| (k, false))
            .or_else(|| old.as_ref().and_then(|o| o.kind_at(a)).map(|k| (k, true)));
        match k {
            Some((k, target_old)) => {
                if k != want {
                    return Err(format!(
                        "{}: pointer {w:#x} lands on a {} word",
                        what(),
                        if k == WordKind::Raw {
                            "raw"
                        } else if k == WordKind::Header {
                            "header"
                        } else {
                            "term"
                        }
                    ));
                }
                if tag == TAG_PRIMARY_LIST {
                    let k2 = if target_old {
                        old.as_ref().and_then(|o| o.kind_at(a + 8))
                    } else {
                        young.kind_at(a + 8)
                    };
                    if k2 != Some(WordKind::Term) {
                        return Err(format!("{}: list cell {w:#x} is cut", what()));
                    }
                }
                if from_old && !target_old && !heap.need_fullsweep {
                    return Err(format!(
                        "{}: old heap points into young heap ({w:#x})",
                        what()
                    ));
                }
                Ok(())
            }
            None if in_lit(a) || frag_ok(a) => Ok(()),
            None => Err(format!("{}: dangling pointer {w:#x}", what())),
        }
    };
    let walk = |area: &Area, from: usize, is_old: bool, name: &str| -> Result<(), String> {
        for (i, k) in area.kinds.iter().enumerate().skip(from) {
            if *k == WordKind::Term {
                // SAFETY: index within the classified area.
                let w = unsafe { *(area.lo as *const u64).add(i) };
                check(w, is_old, &|| format!("{name} word {i}"))?;
            }
        }
        Ok(())
    };
    walk(&young, 0, false, "young heap")?;
    if let Some(o) = old {
        walk(o, old_from, true, "old heap")?;
    }
    for (i, t) in heap.stack().iter().enumerate() {
        check(t.raw(), false, &|| format!("stack y{i}"))?;
    }
    for (ri, r) in roots.iter().enumerate() {
        for (i, t) in r.iter().enumerate() {
            check(t.raw(), false, &|| format!("root {ri}[{i}]"))?;
        }
    }
    let mut seen = std::collections::HashSet::new();
    for &p in &heap.off_heap.bins {
        let a = p as usize;
        if !seen.insert(a) {
            return Err(format!("off-heap list holds {a:#x} twice"));
        }
        let k = young
            .kind_at(a)
            .or_else(|| old.as_ref().and_then(|o| o.kind_at(a)));
        if k != Some(WordKind::Header) {
            return Err(format!(
                "off-heap entry {a:#x} is not an object on the heap"
            ));
        }
        // SAFETY: `a` is a header word on the heap.
        if unsafe { *p } & subtag::MASK != subtag::REFC_BINARY {
            return Err(format!("off-heap entry {a:#x} is not a refc binary"));
        }
    }
    // Every refc binary on the heap (verified part: the new part) must be
    // in the off-heap list.
    let areas = std::iter::once((&young, 0)).chain(old.map(|o| (o, old_from)));
    for (area, from) in areas {
        for (i, k) in area.kinds.iter().enumerate().skip(from) {
            if *k == WordKind::Header {
                let a = area.lo + 8 * i;
                // SAFETY: header word within the area.
                let h = unsafe { *(a as *const u64) };
                if h & subtag::MASK == subtag::REFC_BINARY && !seen.contains(&a) {
                    return Err(format!(
                        "refc binary at {a:#x} missing from the off-heap list"
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::HeapBuilder;

    fn int(i: i64) -> Term {
        Term::small(i).unwrap()
    }

    /// Two minor GCs: the roots end up on the old heap.
    fn promote(h: &mut Heap, roots: &mut [Term]) {
        h.gc(0, &mut [&mut roots[..]]);
        h.gc(0, &mut [&mut roots[..]]);
        assert!(roots
            .iter()
            .all(|r| r.address().is_some_and(|a| h.in_old(a))));
    }

    /// Points element 1 of the old tuple `t` at `target`.
    fn corrupt(t: Term, target: u64) {
        // SAFETY: `t` is a live tuple of at least one element owned by the
        // test's heap; the test then only verifies (never GCs) that heap.
        unsafe { *(t.boxed_ptr() as *mut u64).add(1) = target };
    }

    #[test]
    fn incremental_walk_finds_bad_pointers_in_the_promoted_part() {
        for bad in ["young", "dangling"] {
            let mut h = Heap::new();
            let mut st = VerifyState::default();
            let mut roots = vec![h.tuple(&[int(1), int(2)])];
            promote(&mut h, &mut roots);
            assert_eq!(verify(&h, &[&roots], &mut st, true), Ok(()));
            let verified = st.old.kinds.len();
            assert!(verified > 0);
            let t2 = h.tuple(&[int(3), int(4)]);
            roots.push(t2);
            promote(&mut h, &mut roots);
            assert_eq!(verify(&h, &[&roots], &mut st, true), Ok(()));
            assert!(
                st.old.kinds.len() > verified,
                "the promoted part was classified"
            );
            let t3 = h.tuple(&[int(6), int(7)]);
            roots.push(t3);
            promote(&mut h, &mut roots);
            let target = if bad == "young" {
                h.tuple(&[int(5)]).raw()
            } else {
                Term::make_boxed(0x1000 as *const u64).raw()
            };
            corrupt(roots[2], target);
            let e = verify(&h, &[&roots], &mut st, true).unwrap_err();
            let want = if bad == "young" {
                "old heap points into young heap"
            } else {
                "dangling pointer"
            };
            assert!(e.contains(want), "{bad}: {e}");
        }
    }

    #[test]
    fn full_walk_rechecks_the_verified_prefix() {
        let mut h = Heap::new();
        let mut st = VerifyState::default();
        let mut roots = vec![h.tuple(&[int(1), int(2)])];
        promote(&mut h, &mut roots);
        assert_eq!(verify(&h, &[&roots], &mut st, true), Ok(()));
        let young = h.tuple(&[int(5)]).raw();
        corrupt(roots[0], young);
        // The incremental walk trusts the verified prefix; a full walk
        // (after a full sweep, or once the old heap doubled) does not.
        assert_eq!(verify(&h, &[&roots], &mut st, true), Ok(()));
        assert!(verify_heap(&h, &[&roots]).is_err());
    }
}
