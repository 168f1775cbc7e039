//! Sizing and deep-copying terms between heaps (ERTS's `size_object` and
//! `copy_struct`). Both are iterative (no recursion), and sharing is not
//! preserved: a subterm referenced twice is counted and copied twice.

use super::binary::procbin_retain;
use super::builder::HeapBuilder;
use super::literal::is_literal_addr;
use crate::term::size::object_layout;
use crate::term::{subtag, Term, TAG_PRIMARY_BOXED, TAG_PRIMARY_LIST, TAG_PRIMARY_MASK};

/// Words needed to copy `t` (all of it, literals included).
pub fn size_of(t: Term) -> usize {
    size_of_opts(t, false)
}

/// Words needed to copy `t`; with `keep_literals`, pointers into literal
/// areas are not counted (they would be shared, not copied).
pub fn size_of_opts(t: Term, keep_literals: bool) -> usize {
    let mut total = 0usize;
    let mut stack: Vec<u64> = vec![t.raw()];
    while let Some(mut w) = stack.pop() {
        loop {
            match w & TAG_PRIMARY_MASK {
                TAG_PRIMARY_LIST => {
                    let p = (w & !TAG_PRIMARY_MASK) as *const u64;
                    if keep_literals && is_literal_addr(p as usize) {
                        break;
                    }
                    total += 2;
                    // SAFETY: a list term points at a live cell.
                    let (h, tl) = unsafe { (*p, *p.add(1)) };
                    if h & TAG_PRIMARY_MASK != 3 {
                        stack.push(h);
                    }
                    w = tl;
                }
                TAG_PRIMARY_BOXED => {
                    let p = (w & !TAG_PRIMARY_MASK) as *const u64;
                    if keep_literals && is_literal_addr(p as usize) {
                        break;
                    }
                    // SAFETY: a boxed term points at a live object.
                    let lay = unsafe { object_layout(p, *p) };
                    let Some(lay) = lay else { break };
                    total += lay.size;
                    for i in lay.terms_from..lay.terms_to {
                        // SAFETY: within the object.
                        let e = unsafe { *p.add(i) };
                        if e & TAG_PRIMARY_MASK == TAG_PRIMARY_LIST
                            || e & TAG_PRIMARY_MASK == TAG_PRIMARY_BOXED
                        {
                            stack.push(e);
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    total
}

/// Deep-copies `t` onto `target`, copying literals too.
pub fn copy<B: HeapBuilder + ?Sized>(t: Term, target: &mut B) -> Term {
    copy_opts(t, target, false)
}

/// Deep-copies `t` onto `target`. With `keep_literals`, pointers into
/// literal areas are kept as they are instead of being copied.
///
/// Refc binary handles are duplicated (one more reference, linked into the
/// target's off-heap list).
pub fn copy_opts<B: HeapBuilder + ?Sized>(t: Term, target: &mut B, keep_literals: bool) -> Term {
    if !matches!(
        t.raw() & TAG_PRIMARY_MASK,
        TAG_PRIMARY_LIST | TAG_PRIMARY_BOXED
    ) {
        return t;
    }
    let mut result: u64 = Term::NIL.raw();
    // Work items: (destination slot, source word).
    let mut stack: Vec<(*mut u64, u64)> = vec![(&mut result as *mut u64, t.raw())];
    while let Some((mut dst, mut w)) = stack.pop() {
        // SAFETY: `dst` is either `result` (alive for the whole loop) or a
        // word inside an object we allocated from `target`, which never
        // moves memory that it has handed out. Source pointers come from
        // valid terms.
        unsafe {
            loop {
                let tag = w & TAG_PRIMARY_MASK;
                if tag != TAG_PRIMARY_LIST && tag != TAG_PRIMARY_BOXED {
                    *dst = w;
                    break;
                }
                let p = (w & !TAG_PRIMARY_MASK) as *const u64;
                if keep_literals && is_literal_addr(p as usize) {
                    *dst = w;
                    break;
                }
                if tag == TAG_PRIMARY_LIST {
                    let cell = target.alloc_raw(2);
                    let h = *p;
                    let tl = *p.add(1);
                    *cell = Term::NIL.raw();
                    *cell.add(1) = Term::NIL.raw();
                    *dst = Term::make_list(cell).raw();
                    if matches!(h & TAG_PRIMARY_MASK, TAG_PRIMARY_LIST | TAG_PRIMARY_BOXED) {
                        stack.push((cell, h));
                    } else {
                        *cell = h;
                    }
                    dst = cell.add(1);
                    w = tl;
                    continue;
                }
                let hdr = *p;
                let Some(lay) = object_layout(p, hdr) else {
                    *dst = Term::NIL.raw();
                    break;
                };
                let np = target.alloc_raw(lay.size);
                std::ptr::copy_nonoverlapping(p, np, lay.size);
                for i in lay.terms_from..lay.terms_to {
                    let e = *np.add(i);
                    if matches!(e & TAG_PRIMARY_MASK, TAG_PRIMARY_LIST | TAG_PRIMARY_BOXED) {
                        *np.add(i) = Term::NIL.raw();
                        stack.push((np.add(i), e));
                    }
                }
                if hdr & subtag::MASK == subtag::REFC_BINARY {
                    procbin_retain(np);
                    target.link_off_heap(np);
                }
                *dst = Term::make_boxed(np).raw();
                break;
            }
        }
    }
    // SAFETY: `result` now holds a fully built term in `target`.
    unsafe { Term::from_raw(result) }
}
