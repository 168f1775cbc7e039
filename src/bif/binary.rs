//! BIFs of module `binary`.

use super::{badarg, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

/// `binary:copy/1`.
pub fn copy_1(p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].as_bytes().ok_or_else(badarg)?.to_vec();
    Ok(p.heap.binary_from_vec(b))
}

/// `binary:copy/2`.
pub fn copy_2(p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].as_bytes().ok_or_else(badarg)?.to_vec();
    let n = a[1].as_small().filter(|n| *n >= 0).ok_or_else(badarg)? as usize;
    if b.len().saturating_mul(n) > (1 << 32) {
        return Err(super::system_limit());
    }
    Ok(p.heap.binary_from_vec(b.repeat(n)))
}
