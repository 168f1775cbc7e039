//! Heap verifier: walks a heap and checks that every header is well formed
//! and every pointer lands on an object or list cell in a live area
//! (young heap, old heap, or a literal area).

use crate::heap::{literal_ranges, Heap};
use crate::term::size::object_layout;
use crate::term::{
    subtag, Term, TAG_PRIMARY_BOXED, TAG_PRIMARY_HEADER, TAG_PRIMARY_LIST, TAG_PRIMARY_MASK,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Header,
    Term,
    Raw,
}

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

/// Verifies `heap` (young heap, old heap, stack, off-heap list) and the
/// given roots. Returns a description of the first problem found.
pub fn verify_heap(heap: &Heap, roots: &[&[Term]]) -> Result<(), String> {
    let lits = literal_ranges();
    // SAFETY: the young heap [start, htop) and old heap [start, old_htop)
    // are initialised memory owned by `heap`.
    let young = unsafe { classify_area(heap.block.start(), heap.htop, "young heap")? };
    let old = match &heap.old {
        // SAFETY: as above.
        Some(b) => Some(unsafe { classify_area(b.start(), heap.old_htop, "old heap")? }),
        None => None,
    };
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
    let walk = |area: &Area, is_old: bool, name: &str| -> Result<(), String> {
        for (i, k) in area.kinds.iter().enumerate() {
            if *k == WordKind::Term {
                // SAFETY: index within the classified area.
                let w = unsafe { *(area.lo as *const u64).add(i) };
                check(w, is_old, &|| format!("{name} word {i}"))?;
            }
        }
        Ok(())
    };
    walk(&young, false, "young heap")?;
    if let Some(o) = &old {
        walk(o, true, "old heap")?;
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
    // Every refc binary on the heap must be in the off-heap list.
    for area in std::iter::once(&young).chain(old.iter()) {
        for (i, k) in area.kinds.iter().enumerate() {
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
