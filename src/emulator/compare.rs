//! Term comparison for the interpreter: thin fast paths over
//! [`crate::term::cmp`] (ERTS's `erts_cmp`).

use crate::term::Term;
use std::cmp::Ordering;

/// `A =:= B`.
#[inline]
pub fn eq_exact(a: Term, b: Term) -> bool {
    a == b || (!(a.is_immediate() && b.is_immediate()) && crate::term::cmp::eq_exact(a, b))
}

/// `A == B`.
#[inline]
pub fn eq(a: Term, b: Term) -> bool {
    a == b || (!(a.is_immediate() && b.is_immediate()) && crate::term::cmp::eq(a, b))
}

/// Term order; `exact` distinguishes `1` from `1.0` (integers first).
#[inline]
pub fn cmp(a: Term, b: Term, exact: bool) -> Ordering {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    crate::term::cmp::erts_cmp(a, b, exact, false)
}
