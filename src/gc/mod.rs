//! Generational copying garbage collector (Cheney scan), after ERTS's
//! `erl_gc.c`.
//!
//! * **Minor GC**: live young data (the young heap below `htop` plus all
//!   attached fragments) is copied into a fresh young block. Data below the
//!   *high-water mark* (it already survived one GC) is promoted to the old
//!   heap instead. The old heap is created on demand with the next size
//!   class above the young usage.
//! * **Major GC (full sweep)**: young, old and fragments are copied into one
//!   fresh young block and the old heap is freed. It runs when the old heap
//!   cannot take the promotion, after `fullsweep_after` minors, or on
//!   request ([`Heap::major_gc`]).
//! * Roots: the heap's own stack plus the slices the caller passes (live x
//!   registers, process dictionary, message queue terms in fragments, saved
//!   exception values, ...). Every root is updated in place.
//! * Literal-area pointers and any pointer outside the from-space are left
//!   untouched.
//! * After copying, the off-heap list is swept: handles that were not
//!   copied drop their binary reference.
//! * Sizes follow ERTS's table ([`next_heap_size`]); after a major GC the
//!   heap grows when it is more than 75% full and shrinks below 25%; after
//!   a minor GC large, mostly empty heaps shrink.
//!
//! With the `verify-heap` feature every GC ends with a heap verification
//! (see [`verify_heap`]; incremental after a minor GC), which panics on a
//! malformed heap.

mod sizes;
mod verify;

pub use sizes::{next_heap_size, next_vheap_size, HEAP_SIZES};
pub use verify::{verify_heap, VerifyState};

use crate::heap::{
    procbin_after_gc, procbin_release, Heap, OffHeap, RawBlock, DEFAULT_MIN_BIN_VHEAP_SIZE,
};
use crate::term::size::object_layout;
use crate::term::{
    subtag, Term, TAG_PRIMARY_BOXED, TAG_PRIMARY_HEADER, TAG_PRIMARY_LIST, TAG_PRIMARY_MASK,
};

/// What one collection did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcInfo {
    /// It was a full sweep.
    pub major: bool,
    /// Words copied (live data moved, both generations).
    pub copied: usize,
    /// Words reclaimed (heap usage before minus after).
    pub reclaimed: usize,
    /// Young block size after the collection, in words.
    pub heap_size: usize,
}

/// Words kept free in addition to the requested need (ERTS `S_RESERVED`).
const S_RESERVED: usize = 1;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    NotFrom,
    Young,
    Mature,
}

/// Copying state for one collection.
struct Copier {
    young_lo: usize,
    young_hi: usize,
    mature_hi: usize,
    old_lo: usize,
    old_hi: usize,
    frags: Vec<(usize, usize)>,
    to: *mut u64,
    to_end: *mut u64,
    old_to: *mut u64,
    old_end: *mut u64,
    old_start: *mut u64,
    /// An object meant for the old heap had to go to the young heap.
    old_overflow: bool,
}

impl Copier {
    #[inline]
    fn classify(&self, a: usize) -> Class {
        if a >= self.young_lo && a < self.young_hi {
            if a < self.mature_hi {
                Class::Mature
            } else {
                Class::Young
            }
        } else if (a >= self.old_lo && a < self.old_hi)
            || (!self.frags.is_empty() && self.in_frags(a))
        {
            Class::Young
        } else {
            Class::NotFrom
        }
    }

    /// Whether `a` lies in the old heap's destination (promoted) area.
    fn in_old_dest(&self, a: usize) -> bool {
        !self.old_to.is_null() && a < self.old_end as usize && a >= self.old_start as usize
    }

    fn in_frags(&self, a: usize) -> bool {
        let pos = self.frags.partition_point(|r| r.0 <= a);
        pos > 0 && a < self.frags[pos - 1].1
    }

    /// Allocates `n` words in the destination generation.
    #[inline]
    unsafe fn alloc(&mut self, n: usize, mature: bool) -> *mut u64 {
        if mature {
            if (self.old_end as usize - self.old_to as usize) / 8 >= n {
                let p = self.old_to;
                self.old_to = p.add(n);
                return p;
            }
            self.old_overflow = true;
        }
        // The to-space is sized to hold every from-space word plus the
        // stack, and each object is copied at most once (forwarding), so
        // this cannot fail on a well-formed heap.
        assert!(
            (self.to_end as usize - self.to as usize) / 8 >= n,
            "GC to-space exhausted: heap is corrupt"
        );
        let p = self.to;
        self.to = p.add(n);
        p
    }

    /// Evacuates the object referenced by the word at `slot` (if it lies in
    /// from-space) and updates the slot.
    #[inline]
    unsafe fn evacuate(&mut self, slot: *mut u64) {
        let v = *slot;
        let tag = v & TAG_PRIMARY_MASK;
        if tag != TAG_PRIMARY_LIST && tag != TAG_PRIMARY_BOXED {
            return;
        }
        let p = (v & !TAG_PRIMARY_MASK) as *mut u64;
        let class = self.classify(p as usize);
        if class == Class::NotFrom {
            return;
        }
        if tag == TAG_PRIMARY_LIST {
            let car = *p;
            if car == 0 {
                // Moved: the tail word holds the new cell.
                *slot = *p.add(1);
                return;
            }
            let d = self.alloc(2, class == Class::Mature);
            *d = car;
            *d.add(1) = *p.add(1);
            let nt = Term::make_list(d).raw();
            *p = 0;
            *p.add(1) = nt;
            *slot = nt;
        } else {
            let hdr = *p;
            if hdr & TAG_PRIMARY_MASK == TAG_PRIMARY_BOXED {
                // Moved: the header holds the forwarding pointer.
                *slot = hdr;
                return;
            }
            let Some(lay) = object_layout(p, hdr) else {
                return;
            };
            let d = self.alloc(lay.size, class == Class::Mature);
            std::ptr::copy_nonoverlapping(p, d, lay.size);
            let nt = Term::make_boxed(d).raw();
            *p = nt;
            *slot = nt;
        }
    }

    /// Scans one object or word at `p`, evacuating what it references;
    /// returns the address after it.
    #[inline]
    unsafe fn scan_one(&mut self, p: *mut u64) -> *mut u64 {
        let w = *p;
        match w & TAG_PRIMARY_MASK {
            TAG_PRIMARY_HEADER => {
                if w & subtag::MASK == subtag::ARITYVAL {
                    return p.add(1);
                }
                match object_layout(p, w) {
                    Some(lay) => {
                        for i in lay.terms_from..lay.terms_to {
                            self.evacuate(p.add(i));
                        }
                        p.add(lay.size)
                    }
                    None => p.add(1),
                }
            }
            TAG_PRIMARY_LIST | TAG_PRIMARY_BOXED => {
                self.evacuate(p);
                p.add(1)
            }
            _ => p.add(1),
        }
    }

    /// Cheney loop over the young to-space from `ys` and the old heap from
    /// `os` until no new objects appear.
    unsafe fn scan_all(&mut self, mut ys: *mut u64, mut os: *mut u64) {
        loop {
            while ys < self.to {
                ys = self.scan_one(ys);
            }
            while os < self.old_to {
                os = self.scan_one(os);
            }
            if ys >= self.to && os >= self.old_to {
                break;
            }
        }
    }
}

impl Heap {
    /// Ensures at least `words` free words between heap top and stack,
    /// collecting if needed (ERTS `test_heap`). Returns `true` if a GC ran.
    pub fn need(&mut self, words: usize, roots: &mut [&mut [Term]]) -> bool {
        if self.free_words() >= words {
            return false;
        }
        self.gc(words, roots);
        true
    }

    /// Runs a collection (minor unless a full sweep is due), leaving at
    /// least `need` free words.
    pub fn gc(&mut self, need: usize, roots: &mut [&mut [Term]]) -> GcInfo {
        let info = if self.gen_gcs >= self.opts.fullsweep_after || self.need_fullsweep {
            self.major(need, roots)
        } else {
            match self.minor(need, roots) {
                Some(i) => i,
                None => self.major(need, roots),
            }
        };
        #[cfg(feature = "verify-heap")]
        {
            let ro: Vec<&[Term]> = roots.iter().map(|r| &**r).collect();
            if let Err(e) = verify::verify_after_gc(self, &ro, info.major) {
                panic!(
                    "verify-heap after {} GC: {e}",
                    if info.major { "major" } else { "minor" }
                );
            }
        }
        info
    }

    /// Runs a full sweep (`erlang:garbage_collect/0`).
    pub fn major_gc(&mut self, need: usize, roots: &mut [&mut [Term]]) -> GcInfo {
        let info = self.major(need, roots);
        #[cfg(feature = "verify-heap")]
        {
            let ro: Vec<&[Term]> = roots.iter().map(|r| &**r).collect();
            if let Err(e) = verify::verify_after_gc(self, &ro, true) {
                panic!("verify-heap after major GC: {e}");
            }
        }
        info
    }

    /// Full sweep that leaves a heap of exactly the live size (plus the
    /// stack), as `erlang:hibernate/3` does. The emulator discards the stack
    /// first if it should not survive.
    pub fn hibernate(&mut self, roots: &mut [&mut [Term]]) -> GcInfo {
        let mut info = self.major(0, roots);
        let want = (self.used_words() + self.stack_len()).max(1);
        if want < self.heap_size() {
            self.resize_young(want, roots);
        }
        info.heap_size = self.heap_size();
        #[cfg(feature = "verify-heap")]
        {
            let ro: Vec<&[Term]> = roots.iter().map(|r| &**r).collect();
            if let Err(e) = verify::verify_after_gc(self, &ro, true) {
                panic!("verify-heap after hibernate: {e}");
            }
        }
        info
    }

    /// `next_heap_size`, never below the process's minimum heap size.
    fn proc_next_heap_size(&self, size: usize, offset: usize) -> usize {
        next_heap_size(size, offset).max(next_heap_size(self.opts.min_heap_size, 0))
    }

    fn young_usage(&self) -> usize {
        self.used_words() + self.fragment_words()
    }

    fn frag_ranges(&self) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = self.frags.iter().flat_map(|f| f.ranges()).collect();
        v.sort_unstable();
        v
    }

    fn minor(&mut self, need: usize, roots: &mut [&mut [Term]]) -> Option<GcInfo> {
        let size_before = self.young_usage();
        let start = self.block.start() as usize;
        let mature_size = (self.high_water as usize - start) / 8;
        if self.old.is_none() && mature_size != 0 {
            let sz = next_heap_size(size_before, 1);
            let b = RawBlock::new(sz);
            self.old_htop = b.start();
            self.old = Some(b);
        }
        if let Some(old) = &self.old {
            let free = (old.end() as usize - self.old_htop as usize) / 8;
            if mature_size > free || self.bin_old_vheap >= self.bin_old_vheap_sz {
                return None;
            }
        }
        let stack_size = self.stack_len();
        let new_sz = self.proc_next_heap_size(stack_size + size_before, 0);
        let old_before = self.old_htop;
        let copied = self.collect(new_sz, false, roots);
        let promoted = (self.old_htop as usize - old_before as usize) / 8;
        self.high_water = self.htop;
        self.gen_gcs += 1;
        self.stats.minor_gcs += 1;
        let size_after = promoted + self.used_words();
        let reclaimed = size_before.saturating_sub(size_after);
        self.stats.words_reclaimed += reclaimed as u64;

        // Resize (ERTS minor_collection).
        let heap_size = self.heap_size();
        let need_after = self.used_words() + need + stack_size + S_RESERVED;
        let old_sz = self.old_heap_size();
        if heap_size > 3000
            && 4 * need_after < heap_size
            && (heap_size > 8000 || heap_size > old_sz)
        {
            let mut wanted = 3 * need_after;
            if wanted * 9 < old_sz {
                wanted = wanted.max(old_sz / 8);
            }
            let wanted = self.proc_next_heap_size(wanted, 0);
            if wanted < heap_size {
                self.resize_young(wanted, roots);
            }
        } else if need_after > heap_size {
            let sz = self.proc_next_heap_size(need_after, 0);
            self.resize_young(sz, roots);
        }
        Some(GcInfo {
            major: false,
            copied,
            reclaimed,
            heap_size: self.heap_size(),
        })
    }

    fn major(&mut self, need: usize, roots: &mut [&mut [Term]]) -> GcInfo {
        let size_before = self.young_usage() + self.old_heap_used();
        let stack_size = self.stack_len();
        let mut new_sz = self.proc_next_heap_size(stack_size + size_before + S_RESERVED, 0);
        if new_sz == self.heap_size() && self.heap_grow {
            new_sz = self.proc_next_heap_size(self.heap_size(), 1);
        }
        self.heap_grow = false;
        self.need_fullsweep = false;
        let overhead_before = self.bin_vheap_words() + self.bin_old_vheap;
        let copied = self.collect(new_sz, true, roots);
        self.bin_old_vheap_sz = next_vheap_size(
            overhead_before,
            self.bin_old_vheap_sz,
            DEFAULT_MIN_BIN_VHEAP_SIZE,
        );
        self.old = None;
        self.old_htop = std::ptr::null_mut();
        self.gen_gcs = 0;
        self.high_water = self.htop;
        self.stats.major_gcs += 1;
        let reclaimed = size_before.saturating_sub(self.used_words());
        self.stats.words_reclaimed += reclaimed as u64;

        // adjust_after_fullsweep
        let heap_size = self.heap_size();
        let need_after = self.used_words() + need + stack_size + S_RESERVED;
        if heap_size < need_after {
            let sz = self.proc_next_heap_size(need_after, 0);
            self.resize_young(sz, roots);
        } else if 3 * heap_size < 4 * need_after {
            self.heap_grow = true;
        } else if 4 * need_after < heap_size && heap_size > self.opts.min_heap_size {
            let sz = self.proc_next_heap_size(2 * need_after, 0);
            if sz < heap_size {
                self.resize_young(sz, roots);
            }
        }
        GcInfo {
            major: true,
            copied,
            reclaimed,
            heap_size: self.heap_size(),
        }
    }

    /// Copies live data into a fresh young block of `new_sz` words
    /// (promoting mature data to the old heap unless `full`), sweeps the
    /// off-heap list, moves the stack, frees from-space. Returns words
    /// copied.
    fn collect(&mut self, new_sz: usize, full: bool, roots: &mut [&mut [Term]]) -> usize {
        let nb = RawBlock::new(new_sz);
        let start = self.block.start() as usize;
        let (old_lo, old_hi) = match (&self.old, full) {
            (Some(b), true) => (b.start() as usize, self.old_htop as usize),
            _ => (0, 0),
        };
        let (old_to, old_end) = match (&self.old, full) {
            (Some(b), false) => (self.old_htop, b.end()),
            _ => (std::ptr::null_mut(), std::ptr::null_mut()),
        };
        let mut c = Copier {
            young_lo: start,
            young_hi: self.htop as usize,
            mature_hi: if full {
                start
            } else {
                self.high_water as usize
            },
            old_lo,
            old_hi,
            frags: self.frag_ranges(),
            to: nb.start(),
            to_end: nb.end(),
            old_to,
            old_end,
            old_start: match &self.old {
                Some(b) if !full => b.start(),
                _ => std::ptr::null_mut(),
            },
            old_overflow: false,
        };
        let old_scan_start = old_to;
        // SAFETY: every pointer followed comes from a well-formed heap
        // (roots, stack and scanned objects hold valid terms); destinations
        // are within the fresh block or the old heap's free part, both sized
        // for the copy; from-space memory stays allocated until the end of
        // this function.
        unsafe {
            for r in roots.iter_mut() {
                for t in r.iter_mut() {
                    c.evacuate(t as *mut Term as *mut u64);
                }
            }
            let mut s = self.stop;
            let end = self.block.end();
            while s < end {
                c.evacuate(s);
                s = s.add(1);
            }
            c.scan_all(nb.start(), old_scan_start);
        }

        // Sweep the off-heap lists (heap + fragments).
        let mut kept = OffHeap::default();
        let mut old_bin_words = 0usize;
        let mut lists = vec![std::mem::take(&mut self.off_heap.bins)];
        for f in &mut self.frags {
            lists.push(std::mem::take(&mut f.off_heap.bins));
            f.forget_off_heap();
        }
        for list in lists {
            for p in list {
                // SAFETY: `p` is a ProcBin in from-space or the old heap,
                // still allocated; a moved one holds a forwarding pointer.
                unsafe {
                    let h = *p;
                    if h & TAG_PRIMARY_MASK == TAG_PRIMARY_BOXED {
                        let np = (h & !TAG_PRIMARY_MASK) as *const u64;
                        kept.push(np);
                        if c.in_old_dest(np as usize) {
                            old_bin_words += *np.add(1) as usize / 8;
                        }
                    } else if c.classify(p as usize) == Class::NotFrom {
                        kept.push(p);
                        old_bin_words += *p.add(1) as usize / 8;
                    } else {
                        procbin_release(p);
                    }
                }
            }
        }
        for &p in &kept.bins {
            // SAFETY: every kept handle is a live ProcBin owning one
            // reference (in to-space or the untouched old heap).
            unsafe { procbin_after_gc(p as *mut u64) };
        }
        self.off_heap = kept;
        self.bin_old_vheap = if full { 0 } else { old_bin_words };
        let young_bin_words = (self.off_heap.bytes / 8).saturating_sub(self.bin_old_vheap);
        self.bin_vheap_sz = next_vheap_size(
            young_bin_words,
            self.bin_vheap_sz,
            DEFAULT_MIN_BIN_VHEAP_SIZE,
        );

        let copied_young = (c.to as usize - nb.start() as usize) / 8;
        let copied_old = if full {
            0
        } else {
            (c.old_to as usize - old_to as usize) / 8
        };
        if c.old_overflow {
            self.need_fullsweep = true;
        }

        // Move the stack to the end of the new block.
        let stack = self.stack_len();
        // SAFETY: the new block has room for the copied data plus the stack
        // (new_sz >= stack + from-space usage).
        let nstop = unsafe {
            let nstop = nb.end().sub(stack);
            assert!(nstop >= c.to, "GC: no room for the stack");
            std::ptr::copy_nonoverlapping(self.stop, nstop, stack);
            nstop
        };
        if !full {
            self.old_htop = c.old_to;
        }
        self.htop = c.to;
        self.stop = nstop;
        self.block = nb;
        self.frags.clear();
        self.stats.words_copied += (copied_young + copied_old) as u64;
        copied_young + copied_old
    }

    /// Moves the young heap and stack into a block of `new_sz` words,
    /// relocating every pointer into it (ERTS grow/shrink_new_heap).
    fn resize_young(&mut self, new_sz: usize, roots: &mut [&mut [Term]]) {
        let used = self.used_words();
        let stack = self.stack_len();
        if used + stack > new_sz || new_sz == self.heap_size() {
            return;
        }
        let nb = RawBlock::new(new_sz);
        let lo = self.block.start() as usize;
        let hi = self.htop as usize;
        let delta = (nb.start() as usize).wrapping_sub(lo);
        let reloc = |w: u64| -> u64 {
            let tag = w & TAG_PRIMARY_MASK;
            if tag == TAG_PRIMARY_LIST || tag == TAG_PRIMARY_BOXED {
                let a = (w & !TAG_PRIMARY_MASK) as usize;
                if a >= lo && a < hi {
                    return w.wrapping_add(delta as u64);
                }
            }
            w
        };
        // SAFETY: copies stay within the old and new blocks; the walk
        // visits well-formed objects of the copied heap.
        unsafe {
            std::ptr::copy_nonoverlapping(self.block.start(), nb.start(), used);
            let nstop = nb.end().sub(stack);
            std::ptr::copy_nonoverlapping(self.stop, nstop, stack);
            relocate_area(nb.start(), nb.start().add(used), &reloc);
            for i in 0..stack {
                let s = nstop.add(i);
                *s = reloc(*s);
            }
            if self.need_fullsweep {
                if let Some(old) = &self.old {
                    relocate_area(old.start(), self.old_htop, &reloc);
                }
            }
            for r in roots.iter_mut() {
                for t in r.iter_mut() {
                    *t = Term::from_raw(reloc(t.raw()));
                }
            }
            for p in self.off_heap.bins.iter_mut() {
                let a = *p as usize;
                if a >= lo && a < hi {
                    *p = a.wrapping_add(delta) as *const u64;
                }
            }
            self.htop = nb.start().add(used);
            self.stop = nstop;
            self.high_water = (self.high_water as usize).wrapping_add(delta) as *mut u64;
        }
        self.block = nb;
    }
}

/// Applies `reloc` to every term word of the objects in `[from, to)`.
///
/// # Safety
/// `[from, to)` must hold well-formed objects.
unsafe fn relocate_area(from: *mut u64, to: *mut u64, reloc: &dyn Fn(u64) -> u64) {
    let mut p = from;
    while p < to {
        let w = *p;
        if w & TAG_PRIMARY_MASK == TAG_PRIMARY_HEADER {
            if w & subtag::MASK == subtag::ARITYVAL {
                p = p.add(1);
                continue;
            }
            match object_layout(p, w) {
                Some(lay) => {
                    for i in lay.terms_from..lay.terms_to {
                        *p.add(i) = reloc(*p.add(i));
                    }
                    p = p.add(lay.size);
                }
                None => p = p.add(1),
            }
        } else {
            *p = reloc(w);
            p = p.add(1);
        }
    }
}
