//! Off-heap, reference-counted binaries and the per-heap off-heap list.
//!
//! A binary larger than 64 bytes lives in an [`OffHeapBinary`] behind an
//! `Arc`. The process heap holds a small handle (ERTS's `ProcBin`, subtag
//! `REFC_BINARY`): `[hdr][byte size][Arc pointer][bytes pointer]`. Every heap,
//! fragment and literal area keeps the addresses of its handles in an
//! [`OffHeap`] list; the GC sweeps that list after copying and drops the
//! reference of every handle that did not survive.
//!
//! *Writable* binaries (ERTS's `PB_IS_WRITABLE`, made by binary append and
//! `bs_init_writable`, see [`super::writable`]) keep spare capacity so that
//! appending to the binary's current full extent extends it in place. Their
//! ProcBin is only ever reachable through sub binaries, because its byte
//! size grows with every in-place append.

use crate::term::{subtag, Term};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The bytes of an off-heap binary, shared between heaps by reference count.
#[derive(Debug)]
pub struct OffHeapBinary {
    /// The bytes; spare capacity is room for in-place appends.
    pub(crate) data: Vec<u8>,
    /// Bit length of the written extent (writable binaries; the last byte
    /// may be partial).
    pub(crate) bits: u64,
    /// Appends may extend this binary in place (ERTS `PB_IS_WRITABLE`).
    /// Cleared for good when the binary is handed out as an `Arc`.
    pub(crate) writable: AtomicBool,
    /// Appended to since the last GC (ERTS `PB_ACTIVE_WRITER`); a GC
    /// trims the spare capacity of inactive writable binaries.
    pub(crate) active: AtomicBool,
}

impl OffHeapBinary {
    /// A new shared binary holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Arc<OffHeapBinary> {
        let data = bytes.into();
        Arc::new(OffHeapBinary {
            bits: data.len() as u64 * 8,
            data,
            writable: AtomicBool::new(false),
            active: AtomicBool::new(false),
        })
    }

    /// A new writable binary holding the first `bits` bits of `data`
    /// (whose spare capacity is room for appends).
    pub(crate) fn new_writable(data: Vec<u8>, bits: u64) -> Arc<OffHeapBinary> {
        Arc::new(OffHeapBinary {
            data,
            bits,
            writable: AtomicBool::new(true),
            active: AtomicBool::new(true),
        })
    }

    /// Whether appends may still extend this binary in place.
    pub(crate) fn is_writable(&self) -> bool {
        self.writable.load(Ordering::Relaxed)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the binary is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// List of refc-binary handles (addresses of `REFC_BINARY` objects) owned by
/// one heap, fragment or literal area.
#[derive(Default, Debug)]
pub(crate) struct OffHeap {
    /// Handle addresses.
    pub(crate) bins: Vec<*const u64>,
    /// Sum of the byte sizes of the referenced binaries (ERTS's virtual
    /// binary heap usage).
    pub(crate) bytes: usize,
}

impl OffHeap {
    /// Adds the handle at `p`.
    pub(crate) fn push(&mut self, p: *const u64) {
        // SAFETY: callers pass the address of a fully written ProcBin.
        self.bytes += unsafe { *p.add(1) } as usize;
        self.bins.push(p);
    }

    /// Drops the reference held by every handle and clears the list.
    ///
    /// # Safety
    /// Every address in the list must still point to a live ProcBin that
    /// owns one reference.
    pub(crate) unsafe fn release_all(&mut self) {
        for &p in &self.bins {
            procbin_release(p);
        }
        self.bins.clear();
        self.bytes = 0;
    }
}

/// Writes a ProcBin at `p` for `bin`, taking over one reference count.
///
/// # Safety
/// `p` must be valid for [`crate::term::size::REFC_BINARY`] words.
pub(crate) unsafe fn write_procbin(p: *mut u64, bin: Arc<OffHeapBinary>) {
    let len = bin.len() as u64;
    let bytes = bin.as_bytes().as_ptr() as u64;
    let raw = Arc::into_raw(bin) as u64;
    *p = crate::term::make_header(3, subtag::REFC_BINARY);
    *p.add(1) = len;
    *p.add(2) = raw;
    *p.add(3) = bytes;
}

/// Adds one reference for the handle at `p` (used when copying it).
///
/// # Safety
/// `p` must point to a live ProcBin.
pub(crate) unsafe fn procbin_retain(p: *const u64) {
    Arc::increment_strong_count(*p.add(2) as *const OffHeapBinary);
}

/// Drops the reference owned by the handle at `p`.
///
/// # Safety
/// `p` must point to a live ProcBin that owns one reference, and must not
/// be released twice.
pub(crate) unsafe fn procbin_release(p: *const u64) {
    Arc::decrement_strong_count(*p.add(2) as *const OffHeapBinary);
}

impl Term {
    /// The shared off-heap binary behind a refc binary (or a sub binary of
    /// one); `None` for heap binaries and non-binaries.
    pub fn off_heap_binary(self) -> Option<Arc<OffHeapBinary>> {
        let orig = self.as_binary()?.orig;
        let p = orig.boxed_ptr();
        // SAFETY: `orig` is a live heap or refc binary object.
        unsafe {
            if *p & subtag::MASK != subtag::REFC_BINARY {
                return None;
            }
            let raw = *p.add(2) as *const OffHeapBinary;
            Arc::increment_strong_count(raw);
            let bin = Arc::from_raw(raw);
            // The caller may build a handle that is a value of its own:
            // the binary must no longer grow in place.
            bin.writable.store(false, Ordering::Relaxed);
            Some(bin)
        }
    }
}
