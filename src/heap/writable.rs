//! Writable binaries: amortised O(1) binary append (ERTS
//! `erts_bs_append_checked`, `erts_bs_private_append`,
//! `erts_bs_init_writable`).
//!
//! Appending to a bitstring builds a *writable* refc binary with spare
//! capacity and returns a sub binary covering the written part. Appending
//! again to a sub binary that covers the binary's whole written extent
//! writes the new bits into the spare capacity and bumps the ProcBin's
//! byte size in place (reallocating with geometric growth when full), so a
//! loop `Acc1 = <<Acc/binary, X>>` costs O(1) per appended byte. Older
//! sub binaries keep their own (smaller) sizes and read the same bytes
//! through the ProcBin, which is never a value by itself.
//!
//! In-place writes require exclusive ownership of the binary (`Arc`
//! strong count 1, so no other heap or thread can see the bytes being
//! written or reallocated) and a ProcBin on this process's heap; otherwise
//! the append copies into a new writable binary, like ERTS's
//! "not writable" path.

use super::binary::{write_procbin, OffHeapBinary};
use super::{Heap, HeapBuilder};
use crate::term::{make_header, size, subtag, Term};
use std::mem::ManuallyDrop;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Smallest capacity of a new writable binary (ERTS uses 256 bytes).
const MIN_WRITABLE: usize = 256;

/// Largest capacity taken from a `bs_init_writable` size hint; the hint
/// is only a guess and must not reserve absurd amounts up front.
const MAX_INIT_HINT: usize = 1 << 26;

/// ERTS `GROW_PROC_BIN_SIZE`: capacity for a binary that needs `bytes`.
fn grow_size(bytes: usize) -> usize {
    if bytes > 1 << 24 {
        bytes.saturating_add(bytes / 5)
    } else {
        bytes * 2
    }
}

/// Copies `n` bits of `src` starting at bit `src_off` into `dst` at bit
/// `dst_off` (MSB first). Bits of `dst` outside the target range are kept.
/// `dst` and `src` must be long enough.
pub(crate) fn copy_bits(dst: &mut [u8], dst_off: u64, src: &[u8], src_off: u64, n: u64) {
    if n == 0 {
        return;
    }
    if dst_off % 8 == 0 && src_off % 8 == 0 {
        let d = (dst_off / 8) as usize;
        let s = (src_off / 8) as usize;
        let whole = (n / 8) as usize;
        dst[d..d + whole].copy_from_slice(&src[s..s + whole]);
        let rest = (n % 8) as u32;
        if rest > 0 {
            let mask = 0xffu8 << (8 - rest);
            dst[d + whole] = (dst[d + whole] & !mask) | (src[s + whole] & mask);
        }
        return;
    }
    // General case: up to 8 bits at a time.
    let mut done = 0u64;
    while done < n {
        let k = (n - done).min(8) as u32;
        // Read k bits from src at src_off + done, left-aligned in a byte.
        let sb = src_off + done;
        let si = (sb / 8) as usize;
        let sh = (sb % 8) as u32;
        let hi = (src[si] as u16) << 8;
        let lo = if sh + k > 8 { src[si + 1] as u16 } else { 0 };
        let v = (((hi | lo) << sh) >> 8) as u8 & (0xffu8 << (8 - k));
        // Write them at dst_off + done.
        let db = dst_off + done;
        let di = (db / 8) as usize;
        let dh = (db % 8) as u32;
        let mask = ((0xff00u16 >> k) as u8 as u16) << 8 >> dh; // k ones, shifted
        let val = (v as u16) << 8 >> dh;
        let m_hi = (mask >> 8) as u8;
        let v_hi = (val >> 8) as u8;
        dst[di] = (dst[di] & !m_hi) | v_hi;
        let m_lo = mask as u8;
        if m_lo != 0 {
            dst[di + 1] = (dst[di + 1] & !m_lo) | val as u8;
        }
        done += k as u64;
    }
}

impl Heap {
    /// `bs_init_writable`: an empty writable binary with room for about
    /// `hint` bytes, as a sub binary.
    pub fn writable_binary(&mut self, hint: usize) -> Term {
        let bin = OffHeapBinary::new_writable(Vec::with_capacity(hint.min(MAX_INIT_HINT)), 0);
        self.writable_handle(bin, 0)
    }

    /// Appends the first `n` bits of `src` to the bitstring `acc` (the
    /// `append`/`private_append` segment of `bs_create_bin` followed by
    /// the other segments, already built into `src`). Extends `acc`'s
    /// writable binary in place when `acc` covers its whole extent and
    /// this heap owns it alone; otherwise copies into a new writable
    /// binary. `None` if `acc` is not a bitstring or `src` is too short.
    pub fn bs_append(&mut self, acc: Term, src: &[u8], n: u64) -> Option<Term> {
        let b = acc.as_binary()?;
        if (src.len() as u64) * 8 < n {
            return None;
        }
        if n == 0 {
            return Some(acc);
        }
        let acc_bits = b.bit_size;
        let used = acc_bits.checked_add(n)?;
        let used_bytes = usize::try_from(used.div_ceil(8)).ok()?;
        if let Some(t) = self.append_in_place(acc, acc_bits, src, n) {
            return Some(t);
        }
        let mut data = Vec::with_capacity(grow_size(used_bytes).max(MIN_WRITABLE));
        data.resize(used_bytes, 0);
        copy_bits(&mut data, 0, b.data, b.bit_offset as u64, acc_bits);
        copy_bits(&mut data, acc_bits, src, 0, n);
        let bin = OffHeapBinary::new_writable(data, used);
        Some(self.writable_handle(bin, used))
    }

    /// Writes a ProcBin for the writable `bin` and a sub binary of its
    /// first `bits` bits; returns the sub binary.
    fn writable_handle(&mut self, bin: Arc<OffHeapBinary>, bits: u64) -> Term {
        // SAFETY: the ProcBin and the sub binary are fully written before
        // the ProcBin is linked and the sub binary returned.
        unsafe {
            let p = self.alloc_raw(size::REFC_BINARY + size::SUB_BINARY);
            write_procbin(p, bin);
            let sb = p.add(size::REFC_BINARY);
            write_sub_binary(sb, bits, Term::make_boxed(p));
            self.link_off_heap(p);
            Term::make_boxed(sb)
        }
    }

    /// The in-place path of [`Heap::bs_append`]; `None` when `acc` is not
    /// the full extent of a writable binary this heap owns exclusively.
    fn append_in_place(&mut self, acc: Term, acc_bits: u64, src: &[u8], n: u64) -> Option<Term> {
        if !acc.is_boxed() {
            return None;
        }
        let sp = acc.boxed_ptr();
        // SAFETY: `acc` is a bitstring (checked by the caller), so `sp`
        // points to a live binary object; for a sub binary, word 3 is a
        // live heap or refc binary.
        let (pb, orig) = unsafe {
            if *sp & subtag::MASK != subtag::SUB_BINARY || *sp.add(2) != 0 {
                return None;
            }
            let orig = Term::from_raw(*sp.add(3));
            let pb = orig.boxed_ptr() as *mut u64;
            if *pb & subtag::MASK != subtag::REFC_BINARY {
                return None;
            }
            (pb, orig)
        };
        let a = pb as usize;
        let (in_old, in_frag) = if self.in_young(a) {
            (false, None)
        } else if self.in_old(a) {
            (true, None)
        } else {
            (
                false,
                Some(self.frags.iter().position(|f| f.contains_addr(a))?),
            )
        };
        let used = acc_bits + n;
        let new_size = used.div_ceil(8) as usize;
        // SAFETY: `pb` is a live ProcBin on this heap owning one reference
        // to the `Arc` in word 2; the ManuallyDrop keeps that reference.
        // `get_mut` succeeds only when that is the sole reference, so no
        // other handle, heap or thread can read the bytes we write or the
        // buffer we may reallocate; this heap's handles read the bytes
        // through word 3, which is updated below.
        let old_size = unsafe {
            let mut arc = ManuallyDrop::new(Arc::from_raw(*pb.add(2) as *const OffHeapBinary));
            let bin = Arc::get_mut(&mut *arc)?;
            let old_size = *pb.add(1) as usize;
            if !*bin.writable.get_mut() || bin.bits != acc_bits || bin.data.len() != old_size {
                return None;
            }
            if bin.data.capacity() < new_size {
                let want = grow_size(new_size).max(MIN_WRITABLE);
                bin.data.reserve_exact(want - bin.data.len());
            }
            bin.data.resize(new_size, 0);
            copy_bits(&mut bin.data, acc_bits, src, 0, n);
            bin.bits = used;
            *bin.active.get_mut() = true;
            *pb.add(1) = new_size as u64;
            *pb.add(3) = bin.data.as_ptr() as u64;
            old_size
        };
        let delta = new_size - old_size;
        match in_frag {
            Some(i) => self.frags[i].off_heap.bytes += delta,
            None => {
                self.off_heap.bytes += delta;
                if in_old {
                    self.bin_old_vheap += new_size / 8 - old_size / 8;
                }
            }
        }
        // SAFETY: all four words written.
        unsafe {
            let sb = self.alloc_raw(size::SUB_BINARY);
            write_sub_binary(sb, used, orig);
            Some(Term::make_boxed(sb))
        }
    }
}

/// Writes a sub binary of the first `bits` bits of `orig` at `p`.
///
/// # Safety
/// `p` must be valid for [`size::SUB_BINARY`] words.
unsafe fn write_sub_binary(p: *mut u64, bits: u64, orig: Term) {
    *p = make_header(3, subtag::SUB_BINARY);
    *p.add(1) = bits;
    *p.add(2) = 0;
    *p.add(3) = orig.raw();
}

/// GC hook for a surviving ProcBin at `p`: an active writable binary
/// becomes inactive; an inactive one gives back its spare capacity (ERTS
/// shrinks writable binaries without an active writer).
///
/// # Safety
/// `p` must be a live ProcBin owning one reference.
pub(crate) unsafe fn procbin_after_gc(p: *mut u64) {
    let raw = *p.add(2) as *const OffHeapBinary;
    if !(*raw).is_writable() {
        return;
    }
    if (*raw).active.swap(false, Ordering::Relaxed) {
        return;
    }
    let mut arc = ManuallyDrop::new(Arc::from_raw(raw));
    if let Some(bin) = Arc::get_mut(&mut *arc) {
        if bin.data.capacity() - bin.data.len() >= 8 {
            bin.data.shrink_to_fit();
            *p.add(3) = bin.data.as_ptr() as u64;
        }
    }
}

/// Whether the heap or refc binary object at `p` is a writable binary's
/// ProcBin (which must never become a value by itself).
///
/// # Safety
/// `p` must point to a live heap or refc binary object.
pub(crate) unsafe fn is_writable_procbin(p: *const u64) -> bool {
    *p & subtag::MASK == subtag::REFC_BINARY && (*(*p.add(2) as *const OffHeapBinary)).is_writable()
}
