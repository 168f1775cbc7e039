//! Process heaps.
//!
//! A [`Heap`] is one process's memory, laid out like ERTS:
//!
//! * a young-generation block holding the heap (growing up from the start,
//!   `htop`) and the stack (growing down from the end, `stop`);
//! * an optional old-generation heap receiving promoted (tenured) data;
//! * attached [`HeapFragment`]s: overflow allocations made when the young
//!   heap was full, and message/result fragments handed over with
//!   [`Heap::attach_fragment`]; the next GC absorbs them;
//! * the off-heap list of refc binary handles.
//!
//! Terms are built with the [`HeapBuilder`] methods. Callers that follow
//! ERTS reserve first: [`Heap::need`] runs a GC when fewer than `words`
//! words are free between `htop` and `stop`. Without reserving, builders
//! still succeed by spilling into a fragment.
//!
//! The stack holds `y` registers, continuation pointers ([`Term::cp`]) and
//! catch markers. Stack words whose primary tag is *header* (CPs) are
//! opaque to the GC.

mod binary;
mod block;
mod builder;
pub mod copy;
mod fragment;
mod literal;
mod regfile;
mod writable;

pub use binary::OffHeapBinary;
pub(crate) use binary::{procbin_release, OffHeap};
pub(crate) use block::RawBlock;
pub use builder::HeapBuilder;
pub use copy::{copy, copy_opts, size_of, size_of_opts};
pub use fragment::HeapFragment;
pub(crate) use literal::literal_ranges;
pub use literal::{is_literal, is_literal_addr, LiteralArea};
pub use regfile::RegFile;
pub(crate) use writable::{copy_bits, procbin_after_gc};

use crate::term::Term;

/// ERTS's default minimum heap size in words.
pub const DEFAULT_MIN_HEAP_SIZE: usize = 233;
/// ERTS's default `fullsweep_after`.
pub const DEFAULT_FULLSWEEP_AFTER: u32 = 65535;
/// ERTS's default minimum binary virtual heap size in words
/// (`min_bin_vheap_size`).
pub const DEFAULT_MIN_BIN_VHEAP_SIZE: usize = 46422;

/// Per-process GC settings (`spawn_opt` options).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcOptions {
    /// Minimum young heap size in words.
    pub min_heap_size: usize,
    /// Number of minor GCs before a forced full sweep.
    pub fullsweep_after: u32,
}

impl Default for GcOptions {
    fn default() -> Self {
        GcOptions {
            min_heap_size: DEFAULT_MIN_HEAP_SIZE,
            fullsweep_after: DEFAULT_FULLSWEEP_AFTER,
        }
    }
}

/// Counters kept by the GC (for `process_info(P, garbage_collection)` and
/// `erlang:statistics(garbage_collection)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Minor collections.
    pub minor_gcs: u64,
    /// Full sweeps.
    pub major_gcs: u64,
    /// Words reclaimed in total.
    pub words_reclaimed: u64,
    /// Words copied in total (live data moved).
    pub words_copied: u64,
}

/// A process heap (young heap + stack, old heap, fragments, off-heap list).
pub struct Heap {
    pub(crate) block: RawBlock,
    pub(crate) htop: *mut u64,
    pub(crate) stop: *mut u64,
    pub(crate) high_water: *mut u64,
    pub(crate) old: Option<RawBlock>,
    pub(crate) old_htop: *mut u64,
    pub(crate) frags: Vec<HeapFragment>,
    pub(crate) off_heap: OffHeap,
    pub(crate) opts: GcOptions,
    pub(crate) gen_gcs: u32,
    pub(crate) heap_grow: bool,
    pub(crate) need_fullsweep: bool,
    pub(crate) stats: GcStats,
    /// Binary virtual heap limit (words of off-heap binaries referenced
    /// from the young generation before a GC is wanted).
    pub(crate) bin_vheap_sz: usize,
    /// Words of off-heap binaries referenced from the old heap.
    pub(crate) bin_old_vheap: usize,
    /// Limit for `bin_old_vheap` before a full sweep is forced.
    pub(crate) bin_old_vheap_sz: usize,
    /// Heap verifier state (the old heap's verified prefix).
    #[cfg(feature = "verify-heap")]
    pub(crate) verify: crate::gc::VerifyState,
}

// SAFETY: a Heap exclusively owns its blocks and fragments; off-heap
// references are `Arc`s. It may move between scheduler threads.
unsafe impl Send for Heap {}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl std::fmt::Debug for Heap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heap")
            .field("heap_size", &self.heap_size())
            .field("used", &self.used_words())
            .field("stack", &self.stack_len())
            .field("old_heap_size", &self.old_heap_size())
            .field("fragments", &self.frags.len())
            .finish()
    }
}

impl Heap {
    /// A heap of the default minimum size (233 words).
    pub fn new() -> Heap {
        Heap::with_options(GcOptions::default())
    }

    /// A heap with the given options; the initial size is the size-table
    /// entry for `min_heap_size`.
    pub fn with_options(opts: GcOptions) -> Heap {
        let size = crate::gc::next_heap_size(opts.min_heap_size, 0);
        let block = RawBlock::new(size);
        let start = block.start();
        let end = block.end();
        Heap {
            block,
            htop: start,
            stop: end,
            high_water: start,
            old: None,
            old_htop: std::ptr::null_mut(),
            frags: Vec::new(),
            off_heap: OffHeap::default(),
            opts,
            gen_gcs: 0,
            heap_grow: false,
            need_fullsweep: false,
            stats: GcStats::default(),
            bin_vheap_sz: DEFAULT_MIN_BIN_VHEAP_SIZE,
            bin_old_vheap: 0,
            bin_old_vheap_sz: DEFAULT_MIN_BIN_VHEAP_SIZE,
            #[cfg(feature = "verify-heap")]
            verify: crate::gc::VerifyState::default(),
        }
    }

    /// GC options.
    pub fn options(&self) -> GcOptions {
        self.opts
    }

    /// Changes GC options (takes effect at the next GC).
    pub fn set_options(&mut self, opts: GcOptions) {
        self.opts = opts;
    }

    /// GC counters.
    pub fn stats(&self) -> GcStats {
        self.stats
    }

    /// Minor GCs since the last full sweep.
    pub fn minor_gcs_since_fullsweep(&self) -> u32 {
        self.gen_gcs
    }

    /// Size of the young block (heap + stack) in words.
    pub fn heap_size(&self) -> usize {
        self.block.words()
    }

    /// Size of the old heap in words (0 if none).
    pub fn old_heap_size(&self) -> usize {
        self.old.as_ref().map_or(0, |b| b.words())
    }

    /// Words used on the old heap.
    pub fn old_heap_used(&self) -> usize {
        self.old
            .as_ref()
            .map_or(0, |b| (self.old_htop as usize - b.start() as usize) / 8)
    }

    /// Words used on the young heap (not counting the stack).
    pub fn used_words(&self) -> usize {
        (self.htop as usize - self.block.start() as usize) / 8
    }

    /// Words used by attached fragments.
    pub fn fragment_words(&self) -> usize {
        self.frags.iter().map(|f| f.used_words()).sum()
    }

    /// Number of attached fragments.
    pub fn fragment_count(&self) -> usize {
        self.frags.len()
    }

    /// `total_heap_size` as ERTS reports it: young block + old heap +
    /// fragments, in words.
    pub fn total_heap_size(&self) -> usize {
        self.heap_size() + self.old_heap_size() + self.fragment_words()
    }

    /// Free words between the heap top and the stack top.
    #[inline(always)]
    pub fn free_words(&self) -> usize {
        (self.stop as usize - self.htop as usize) / 8
    }

    /// Bytes of off-heap binaries referenced from the heap (excluding
    /// fragments).
    pub fn off_heap_bytes(&self) -> usize {
        self.off_heap.bytes
    }

    /// Number of refc binary handles on the heap (excluding fragments).
    pub fn off_heap_count(&self) -> usize {
        self.off_heap.bins.len()
    }

    /// Words of off-heap binaries referenced from the young generation and
    /// fragments (ERTS's `off_heap.overhead`).
    pub fn bin_vheap_words(&self) -> usize {
        let frag: usize = self.frags.iter().map(|f| f.off_heap.bytes).sum();
        ((self.off_heap.bytes + frag) / 8).saturating_sub(self.bin_old_vheap)
    }

    /// Current binary virtual heap limit in words.
    pub fn bin_vheap_size(&self) -> usize {
        self.bin_vheap_sz
    }

    /// Whether a GC would be worthwhile at the next safe point: the heap
    /// spilled into (or was handed) fragments, or the young generation
    /// references more off-heap binary data than the binary virtual heap
    /// allows (ERTS forces a GC in that case).
    #[inline]
    pub fn wants_gc(&self) -> bool {
        // Without fragments the fragment share of `bin_vheap_words` is 0.
        !self.frags.is_empty()
            || (self.off_heap.bytes / 8).saturating_sub(self.bin_old_vheap) > self.bin_vheap_sz
    }

    /// Hands a fragment (e.g. a received message) to this heap. Its terms
    /// stay valid until the next GC, which copies the live ones onto the
    /// heap: they must be among the roots passed to that GC.
    pub fn attach_fragment(&mut self, frag: HeapFragment) {
        if frag.used_words() > 0 || !frag.off_heap.bins.is_empty() {
            self.frags.push(frag);
        }
    }

    /// Whether `t` points into this heap's young or old generation or an
    /// attached fragment.
    pub fn owns(&self, t: Term) -> bool {
        match t.address() {
            None => false,
            Some(a) => {
                self.in_young(a) || self.in_old(a) || self.frags.iter().any(|f| f.contains_addr(a))
            }
        }
    }

    #[inline]
    pub(crate) fn in_young(&self, a: usize) -> bool {
        a >= self.block.start() as usize && a < self.htop as usize
    }

    #[inline]
    pub(crate) fn in_old(&self, a: usize) -> bool {
        match &self.old {
            Some(b) => a >= b.start() as usize && a < self.old_htop as usize,
            None => false,
        }
    }

    // ------------------------------------------------------------------
    // Stack

    /// Number of words on the stack.
    #[inline(always)]
    pub fn stack_len(&self) -> usize {
        (self.block.end() as usize - self.stop as usize) / 8
    }

    /// The stack, top first (`stack()[0]` is `y0`).
    pub fn stack(&self) -> &[Term] {
        // SAFETY: [stop, end) is initialised stack memory.
        unsafe { std::slice::from_raw_parts(self.stop as *const Term, self.stack_len()) }
    }

    /// The stack, mutable, top first.
    pub fn stack_mut(&mut self) -> &mut [Term] {
        // SAFETY: [stop, end) is initialised stack memory, borrowed mutably.
        unsafe { std::slice::from_raw_parts_mut(self.stop as *mut Term, self.stack_len()) }
    }

    /// Pushes a word; `false` if the heap and stack would collide (reserve
    /// with [`Heap::need`] first).
    pub fn stack_push(&mut self, t: Term) -> bool {
        if self.free_words() == 0 {
            return false;
        }
        // SAFETY: there is at least one free word below `stop`.
        unsafe {
            self.stop = self.stop.sub(1);
            *self.stop = t.raw();
        }
        true
    }

    /// Pops the top word.
    pub fn stack_pop(&mut self) -> Option<Term> {
        if self.stack_len() == 0 {
            return None;
        }
        // SAFETY: the stack is non-empty.
        unsafe {
            let t = Term::from_raw(*self.stop);
            self.stop = self.stop.add(1);
            Some(t)
        }
    }

    /// Allocates `n` stack slots initialised to `[]` (ERTS `allocate`);
    /// `false` if there is no room.
    #[inline(always)]
    pub fn stack_alloc(&mut self, n: usize) -> bool {
        if self.free_words() < n {
            return false;
        }
        let nil = Term::NIL.raw();
        // SAFETY: `n` free words exist below `stop`.
        unsafe {
            self.stop = self.stop.sub(n);
            let s = std::slice::from_raw_parts_mut(self.stop, n);
            // Frames are small: straight-line stores for them (a generic
            // loop becomes a vector loop whose set-up costs more).
            match s {
                [a] => *a = nil,
                [a, b] => (*a, *b) = (nil, nil),
                [a, b, c] => (*a, *b, *c) = (nil, nil, nil),
                [a, b, c, d] => (*a, *b, *c, *d) = (nil, nil, nil, nil),
                [a, b, c, d, e] => (*a, *b, *c, *d, *e) = (nil, nil, nil, nil, nil),
                _ => s.fill(nil),
            }
        }
        true
    }

    /// Sets the stack to its bottom `len` words (the interpreter keeps
    /// the stack top in a local slice while it only pops, and writes it
    /// back here). `len` is clamped to the current stack: the stack can
    /// only shrink this way.
    #[inline]
    pub fn set_stack_len(&mut self, len: usize) {
        let n = self.stack_len().saturating_sub(len);
        self.stack_free(n);
    }

    /// Drops `n` words from the top of the stack (ERTS `deallocate`).
    #[inline]
    pub fn stack_free(&mut self, n: usize) {
        let n = n.min(self.stack_len());
        // SAFETY: stays within [stop, end].
        self.stop = unsafe { self.stop.add(n) };
    }

    /// Stack word `i` (top first), or `[]` past the bottom of the stack:
    /// the interpreter's fast y-register read (one bounds compare, no
    /// slice or `Option`).
    #[inline(always)]
    pub fn stack_word(&self, i: usize) -> Term {
        if i < self.stack_len() {
            // SAFETY: `i` is within the initialised stack [stop, end).
            unsafe { Term::from_raw(*self.stop.add(i)) }
        } else {
            Term::NIL
        }
    }

    /// Sets stack word `i` (top first); ignored past the bottom of the
    /// stack (the interpreter's fast y-register write).
    #[inline(always)]
    pub fn set_stack_word(&mut self, i: usize, t: Term) {
        if i < self.stack_len() {
            // SAFETY: `i` is within the initialised stack [stop, end),
            // which this heap owns exclusively (`&mut self`).
            unsafe { *self.stop.add(i) = t.raw() }
        }
    }

    /// Stack slot `y(i)`.
    pub fn y(&self, i: usize) -> Option<Term> {
        self.stack().get(i).copied()
    }

    /// Sets stack slot `y(i)`; `false` if out of range.
    pub fn set_y(&mut self, i: usize, t: Term) -> bool {
        match self.stack_mut().get_mut(i) {
            Some(s) => {
                *s = t;
                true
            }
            None => false,
        }
    }

    // ------------------------------------------------------------------
    // Mutation of fresh objects

    /// Mutable elements of a tuple on this heap's young generation or a
    /// fragment (ERTS `set_tuple_element` on a freshly built tuple).
    /// `None` for non-tuples, literals and old-generation tuples. Only
    /// store terms that are at least as old as the tuple (built before it,
    /// or immediates), or the generational invariant breaks.
    pub fn tuple_mut(&mut self, t: Term) -> Option<&mut [Term]> {
        let n = t.as_tuple()?.len();
        let a = t.address()?;
        if !(self.in_young(a) || self.frags.iter().any(|f| f.contains_addr(a))) {
            return None;
        }
        // SAFETY: the tuple lives in memory this heap owns exclusively and
        // we hold `&mut self`.
        Some(unsafe { std::slice::from_raw_parts_mut((a as *mut u64).add(1) as *mut Term, n) })
    }

    /// Sets the current bit offset of a match state owned by this heap;
    /// `false` if `ms` is not such a match state or the offset is past its
    /// end.
    pub fn set_match_offset(&mut self, ms: Term, offset: u64) -> bool {
        self.match_state_word(ms, 2, offset)
    }

    /// Sets saved slot `slot` of a match state owned by this heap.
    pub fn set_match_saved(&mut self, ms: Term, slot: usize, offset: u64) -> bool {
        let n = match ms.view() {
            crate::term::TermView::MatchState(m) => m.saved.len(),
            _ => return false,
        };
        slot < n && self.match_state_word(ms, 4 + slot, offset)
    }

    fn match_state_word(&mut self, ms: Term, word: usize, offset: u64) -> bool {
        let Some((_, _, end)) = ms.match_state_parts() else {
            return false;
        };
        let Some(a) = ms.address() else { return false };
        if offset > end
            || !(self.in_young(a)
                || self.in_old(a)
                || self.frags.iter().any(|f| f.contains_addr(a)))
        {
            return false;
        }
        // SAFETY: `ms` is a match state in memory owned by this heap; word
        // index is within its layout.
        unsafe { *(a as *mut u64).add(word) = offset };
        true
    }
}

impl HeapBuilder for Heap {
    #[inline]
    unsafe fn alloc_raw(&mut self, words: usize) -> *mut u64 {
        if self.free_words() >= words {
            let p = self.htop;
            self.htop = p.add(words);
            return p;
        }
        if self.frags.is_empty() {
            self.frags
                .push(HeapFragment::with_capacity(words.max(self.heap_size())));
        }
        let last = self.frags.len() - 1;
        self.frags[last].alloc_raw(words)
    }

    unsafe fn link_off_heap(&mut self, p: *const u64) {
        if self.in_young(p as usize) {
            self.off_heap.push(p);
        } else if let Some(f) = self
            .frags
            .iter_mut()
            .rev()
            .find(|f| f.contains_addr(p as usize))
        {
            f.off_heap.push(p);
        } else {
            self.off_heap.push(p);
        }
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        // SAFETY: the handles live in our young/old blocks, still allocated.
        unsafe { self.off_heap.release_all() }
    }
}

#[cfg(test)]
mod tests;
