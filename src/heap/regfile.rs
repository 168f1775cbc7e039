//! Register files: the 1024 x registers and 1024 float registers of a
//! process, carved out of large zero-filled slabs.
//!
//! A slab comes from one big zeroed allocation (which the system maps
//! lazily), so a register file only costs the memory pages its process
//! actually writes: most processes touch a few x registers and no float
//! register, instead of committing 16 KB each. Freed files go to a free
//! list and are reused (their old contents are never read: registers are
//! written before they are read).

use parking_lot::Mutex;
use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Words per register file.
const FILE_WORDS: usize = 1024;
/// Register files per slab (2 MB slabs).
const FILES_PER_SLAB: usize = 256;

/// Addresses of free register files.
static FREE: Mutex<Vec<usize>> = Mutex::new(Vec::new());

fn take_slot() -> NonNull<u64> {
    let mut free = FREE.lock();
    if free.is_empty() {
        let layout = match Layout::array::<u64>(FILE_WORDS * FILES_PER_SLAB) {
            Ok(l) => l,
            Err(_) => handle_alloc_error(Layout::new::<u64>()),
        };
        // SAFETY: the layout has a non-zero size. The slab is never freed
        // (its files are recycled through FREE).
        let base = unsafe { alloc_zeroed(layout) } as *mut u64;
        if base.is_null() {
            handle_alloc_error(layout);
        }
        for i in (0..FILES_PER_SLAB).rev() {
            free.push(base as usize + i * FILE_WORDS * 8);
        }
    }
    let a = free.pop().unwrap_or(0);
    NonNull::new(a as *mut u64).unwrap_or_else(|| handle_alloc_error(Layout::new::<u64>()))
}

/// Element types a register file may hold: 64-bit values for which the
/// all-zero bit pattern is a valid value.
///
/// # Safety
/// Implementors must be 8 bytes, 8-byte aligned, and valid when zeroed.
pub unsafe trait RegWord: Copy {}

// SAFETY: `Term` is `repr(transparent)` over `u64`; the zero word is never
// interpreted before the register is written.
unsafe impl RegWord for crate::term::Term {}
// SAFETY: 0.0.
unsafe impl RegWord for f64 {}

/// 1024 registers of type `T`, owned exclusively; dereferences to an
/// array (no bounds check with masked indices).
pub struct RegFile<T: RegWord> {
    ptr: NonNull<[T; FILE_WORDS]>,
    _own: PhantomData<Box<[T; FILE_WORDS]>>,
}

// SAFETY: a RegFile exclusively owns its slot, like a Box.
unsafe impl<T: RegWord + Send> Send for RegFile<T> {}
// SAFETY: shared access only hands out shared references.
unsafe impl<T: RegWord + Sync> Sync for RegFile<T> {}

impl<T: RegWord> RegFile<T> {
    /// A register file (zero-filled when fresh; recycled ones keep old
    /// contents).
    pub fn new() -> RegFile<T> {
        debug_assert_eq!(std::mem::size_of::<T>(), 8);
        RegFile {
            ptr: take_slot().cast(),
            _own: PhantomData,
        }
    }
}

impl<T: RegWord> Default for RegFile<T> {
    fn default() -> Self {
        RegFile::new()
    }
}

impl<T: RegWord> std::ops::Deref for RegFile<T> {
    type Target = [T; FILE_WORDS];
    #[inline(always)]
    fn deref(&self) -> &[T; FILE_WORDS] {
        // SAFETY: the slot is valid for the lifetime of `self` and holds
        // 1024 valid `T`s (zeroed or previously written).
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: RegWord> std::ops::DerefMut for RegFile<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T; FILE_WORDS] {
        // SAFETY: as in `deref`; `&mut self` gives exclusive access.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T: RegWord> Drop for RegFile<T> {
    fn drop(&mut self) {
        FREE.lock().push(self.ptr.as_ptr() as usize);
    }
}

impl<T: RegWord> std::fmt::Debug for RegFile<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegFile")
    }
}
