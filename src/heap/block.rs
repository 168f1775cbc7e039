//! Raw word blocks backing heaps, fragments and literal areas.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::ptr::NonNull;

/// An owned, uninitialised block of 64-bit words.
#[derive(Debug)]
pub(crate) struct RawBlock {
    ptr: NonNull<u64>,
    words: usize,
    /// One past the last word (cached: the interpreter's stack bounds
    /// checks read it on every y-register access).
    end: *mut u64,
}

// SAFETY: a RawBlock exclusively owns its allocation.
unsafe impl Send for RawBlock {}
// SAFETY: shared access only reads through raw pointers handed out by the
// owner; the block itself has no interior mutability.
unsafe impl Sync for RawBlock {}

impl RawBlock {
    /// Allocates `words` words (at least 1).
    pub(crate) fn new(words: usize) -> RawBlock {
        let words = words.max(1);
        let layout = Layout::array::<u64>(words)
            .unwrap_or_else(|_| handle_alloc_error(Layout::new::<u64>()));
        // SAFETY: layout has non-zero size.
        let p = unsafe { alloc(layout) } as *mut u64;
        match NonNull::new(p) {
            Some(ptr) => RawBlock {
                ptr,
                words,
                // SAFETY: one-past-the-end of the allocation.
                end: unsafe { ptr.as_ptr().add(words) },
            },
            None => handle_alloc_error(layout),
        }
    }

    /// First word.
    #[inline]
    pub(crate) fn start(&self) -> *mut u64 {
        self.ptr.as_ptr()
    }

    /// One past the last word.
    #[inline]
    pub(crate) fn end(&self) -> *mut u64 {
        self.end
    }

    /// Size in words.
    #[inline]
    pub(crate) fn words(&self) -> usize {
        self.words
    }
}

impl Drop for RawBlock {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with exactly this layout.
        unsafe {
            dealloc(
                self.ptr.as_ptr() as *mut u8,
                Layout::array::<u64>(self.words).expect("layout was valid"),
            );
        }
    }
}
