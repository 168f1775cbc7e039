//! Heap fragments: growable off-process heaps for messages, BIF results
//! built outside a process, decoded terms and literal areas.

use super::binary::OffHeap;
use super::block::RawBlock;
use super::builder::HeapBuilder;

#[derive(Debug)]
pub(crate) struct FragBlock {
    pub(crate) block: RawBlock,
    pub(crate) used: usize,
}

/// A heap fragment: a chain of word blocks plus an off-heap list.
///
/// Allocation bumps in the last block and adds a new block when it is full,
/// so a fragment never runs out of space. Terms built in a fragment stay
/// valid while the fragment lives; attaching it to a process heap
/// (`Heap::attach_fragment`) hands it to that heap's next GC, which copies
/// the live data out and frees the fragment.
#[derive(Debug, Default)]
pub struct HeapFragment {
    pub(crate) blocks: Vec<FragBlock>,
    pub(crate) off_heap: OffHeap,
}

// SAFETY: a fragment exclusively owns its blocks; the off-heap list holds
// addresses inside those blocks and `Arc` references (Send + Sync).
unsafe impl Send for HeapFragment {}

impl HeapFragment {
    /// An empty fragment that will allocate on first use.
    pub fn new() -> HeapFragment {
        HeapFragment::default()
    }

    /// A fragment with room for `words` words in its first block.
    pub fn with_capacity(words: usize) -> HeapFragment {
        HeapFragment {
            blocks: vec![FragBlock {
                block: RawBlock::new(words),
                used: 0,
            }],
            off_heap: OffHeap::default(),
        }
    }

    /// Words in use.
    pub fn used_words(&self) -> usize {
        self.blocks.iter().map(|b| b.used).sum()
    }

    /// Words allocated (used or not).
    pub fn capacity_words(&self) -> usize {
        self.blocks.iter().map(|b| b.block.words()).sum()
    }

    /// Bytes of off-heap binaries referenced from this fragment.
    pub fn off_heap_bytes(&self) -> usize {
        self.off_heap.bytes
    }

    /// Whether `addr` lies in the used part of one of this fragment's blocks.
    pub fn contains_addr(&self, addr: usize) -> bool {
        self.blocks.iter().any(|b| {
            let s = b.block.start() as usize;
            addr >= s && addr < s + b.used * 8
        })
    }

    /// `(start, end)` address ranges of the used parts of the blocks.
    pub(crate) fn ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.blocks.iter().filter(|b| b.used > 0).map(|b| {
            let s = b.block.start() as usize;
            (s, s + b.used * 8)
        })
    }

    /// Forgets the off-heap list without releasing references (the GC
    /// has taken them over).
    pub(crate) fn forget_off_heap(&mut self) {
        self.off_heap.bins.clear();
        self.off_heap.bytes = 0;
    }
}

impl HeapBuilder for HeapFragment {
    unsafe fn alloc_raw(&mut self, words: usize) -> *mut u64 {
        if let Some(last) = self.blocks.last_mut() {
            if last.block.words() - last.used >= words {
                let p = last.block.start().add(last.used);
                last.used += words;
                return p;
            }
        }
        let prev = self.blocks.last().map(|b| b.block.words()).unwrap_or(0);
        let size = words.max(prev.saturating_mul(2)).max(64);
        let block = RawBlock::new(size);
        let p = block.start();
        self.blocks.push(FragBlock { block, used: words });
        p
    }

    unsafe fn link_off_heap(&mut self, p: *const u64) {
        self.off_heap.push(p);
    }
}

impl Drop for HeapFragment {
    fn drop(&mut self) {
        // SAFETY: the handles in the list live in our blocks, which are
        // still allocated (fields drop after this body runs).
        unsafe { self.off_heap.release_all() }
    }
}
