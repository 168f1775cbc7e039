//! Literal areas: immutable terms shared by all processes (module
//! constants). Their address ranges are registered in a global table so
//! that the GC and the heap verifier recognise pointers into them; the GC
//! never copies a literal.

use super::fragment::HeapFragment;
use parking_lot::RwLock;

/// Sorted, non-overlapping `(start, end)` address ranges of live literal
/// areas.
static RANGES: RwLock<Vec<(usize, usize)>> = RwLock::new(Vec::new());

/// An immutable literal area built from a heap fragment.
///
/// Build the terms in a [`HeapFragment`] (e.g. by decoding a module's
/// literal chunk), then freeze it with [`LiteralArea::new`]. The terms stay
/// valid as long as the area lives. Dropping the area (module purge) is
/// only correct once no process heap refers to its terms any more — the
/// code server must first copy them into such heaps, as ERTS does.
#[derive(Debug)]
pub struct LiteralArea {
    frag: HeapFragment,
}

// SAFETY: a literal area is immutable once built; its raw pointers only
// address its own blocks, and binary references are `Arc`s.
unsafe impl Sync for LiteralArea {}

impl LiteralArea {
    /// Freezes `frag` into a registered literal area.
    pub fn new(frag: HeapFragment) -> LiteralArea {
        let mut r = RANGES.write();
        for range in frag.ranges() {
            let pos = r.partition_point(|x| x.0 < range.0);
            r.insert(pos, range);
        }
        LiteralArea { frag }
    }

    /// Words used by the literals.
    pub fn words(&self) -> usize {
        self.frag.used_words()
    }

    /// Whether `addr` lies in this area.
    pub fn contains_addr(&self, addr: usize) -> bool {
        self.frag.contains_addr(addr)
    }
}

impl Drop for LiteralArea {
    fn drop(&mut self) {
        let mut r = RANGES.write();
        for range in self.frag.ranges() {
            if let Ok(pos) = r.binary_search(&range) {
                r.remove(pos);
            }
        }
    }
}

/// Whether `addr` lies in any live literal area.
pub fn is_literal_addr(addr: usize) -> bool {
    let r = RANGES.read();
    let pos = r.partition_point(|x| x.0 <= addr);
    pos > 0 && addr < r[pos - 1].1
}

/// Whether `t` is a pointer into a literal area.
pub fn is_literal(t: crate::term::Term) -> bool {
    t.address().is_some_and(is_literal_addr)
}

/// A snapshot of the registered literal ranges (for the heap verifier).
pub(crate) fn literal_ranges() -> Vec<(usize, usize)> {
    RANGES.read().clone()
}
