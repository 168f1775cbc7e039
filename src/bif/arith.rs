//! Arithmetic with ERTS semantics: small integers overflow into bignums,
//! mixed integer/float operations produce floats, non-finite float
//! results and non-numbers raise `badarith`.

use super::{badarith, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

/// A number as a float (integers converted; `None` for non-numbers or
/// integers too large for a float).
pub fn to_f64(t: Term) -> Option<f64> {
    if let Some(i) = t.as_small() {
        return Some(i as f64);
    }
    if let Some(f) = t.as_float() {
        return Some(f);
    }
    let b = t.to_bigint()?;
    let f = b.to_f64()?;
    f.is_finite().then_some(f)
}

fn float_result(p: &mut Process, f: f64) -> BifResult {
    if f.is_finite() {
        Ok(p.heap.float(f))
    } else {
        Err(badarith())
    }
}

/// Most bits of an integer (ERTS `BIG_ARITY_MAX` digits of 64 bits).
pub const MAX_BIG_BITS: u64 = ((1 << 19) - 1) * 64;

fn int_result(p: &mut Process, b: BigInt) -> BifResult {
    // ERTS limits bignums to BIG_ARITY_MAX (2^19 - 1) 64-bit digits:
    // anything larger is system_limit.
    if b.bits() > MAX_BIG_BITS {
        return Err(super::system_limit());
    }
    Ok(p.heap.integer_from_bigint(&b))
}

enum N {
    I(BigInt),
    F(f64),
}

fn num(t: Term) -> Option<N> {
    if let Some(i) = t.as_small() {
        return Some(N::I(BigInt::from(i)));
    }
    if let Some(f) = t.as_float() {
        return Some(N::F(f));
    }
    t.to_bigint().map(N::I)
}

fn float_of(n: &N) -> Option<f64> {
    match n {
        N::F(f) => Some(*f),
        N::I(i) => i.to_f64().filter(|f| f.is_finite()),
    }
}

fn binop(
    p: &mut Process,
    a: Term,
    b: Term,
    fi: fn(BigInt, BigInt) -> BigInt,
    ff: fn(f64, f64) -> f64,
) -> BifResult {
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Err(badarith());
    };
    match (x, y) {
        (N::I(x), N::I(y)) => int_result(p, fi(x, y)),
        (x, y) => {
            let (Some(x), Some(y)) = (float_of(&x), float_of(&y)) else {
                return Err(badarith());
            };
            float_result(p, ff(x, y))
        }
    }
}

/// `A + B`.
pub fn add(p: &mut Process, a: Term, b: Term) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Ok(p.heap.integer_from_i64(x + y));
    }
    binop(p, a, b, |x, y| x + y, |x, y| x + y)
}

/// `A - B`.
pub fn sub(p: &mut Process, a: Term, b: Term) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Ok(p.heap.integer_from_i64(x - y));
    }
    binop(p, a, b, |x, y| x - y, |x, y| x - y)
}

/// `A * B`.
pub fn mul(p: &mut Process, a: Term, b: Term) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Ok(p.heap.integer_from_i128(x as i128 * y as i128));
    }
    binop(p, a, b, |x, y| x * y, |x, y| x * y)
}

/// `A / B` (always a float).
pub fn fdiv(p: &mut Process, a: Term, b: Term) -> BifResult {
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Err(badarith());
    };
    let (Some(x), Some(y)) = (float_of(&x), float_of(&y)) else {
        return Err(badarith());
    };
    if y == 0.0 {
        return Err(badarith());
    }
    float_result(p, x / y)
}

fn ints(a: Term, b: Term) -> Option<(BigInt, BigInt)> {
    if !a.is_integer() || !b.is_integer() {
        return None;
    }
    Some((a.to_bigint()?, b.to_bigint()?))
}

/// `A div B` (truncating).
pub fn div(p: &mut Process, a: Term, b: Term) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if y == 0 {
            return Err(badarith());
        }
        return Ok(p.heap.integer_from_i64(x / y));
    }
    let Some((x, y)) = ints(a, b) else {
        return Err(badarith());
    };
    if y.is_zero() {
        return Err(badarith());
    }
    int_result(p, &x / &y)
}

/// `A rem B` (sign of A).
pub fn rem(p: &mut Process, a: Term, b: Term) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if y == 0 {
            return Err(badarith());
        }
        return Ok(p.heap.integer_from_i64(x % y));
    }
    let Some((x, y)) = ints(a, b) else {
        return Err(badarith());
    };
    if y.is_zero() {
        return Err(badarith());
    }
    int_result(p, &x % &y)
}

/// `band`, `bor`, `bxor`.
pub fn bitop(p: &mut Process, a: Term, b: Term, op: u8) -> BifResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        let r = match op {
            0 => x & y,
            1 => x | y,
            _ => x ^ y,
        };
        return Ok(Term::small_unchecked(r));
    }
    let Some((x, y)) = ints(a, b) else {
        return Err(badarith());
    };
    let r = match op {
        0 => x & y,
        1 => x | y,
        _ => x ^ y,
    };
    int_result(p, r)
}

/// `A bsl B` (negative B shifts right).
pub fn bsl(p: &mut Process, a: Term, b: Term) -> BifResult {
    let Some((x, y)) = ints(a, b) else {
        return Err(badarith());
    };
    shift(p, x, y)
}

/// `A bsr B`.
pub fn bsr(p: &mut Process, a: Term, b: Term) -> BifResult {
    let Some((x, y)) = ints(a, b) else {
        return Err(badarith());
    };
    shift(p, x, -y)
}

fn shift(p: &mut Process, x: BigInt, by: BigInt) -> BifResult {
    let Some(n) = by.to_i64() else {
        if by.is_negative() {
            return Ok(Term::small_unchecked(if x.is_negative() { -1 } else { 0 }));
        }
        if x.is_zero() {
            return Ok(Term::small_unchecked(0));
        }
        return Err(super::system_limit());
    };
    if n >= 0 {
        if x.is_zero() {
            return Ok(Term::small_unchecked(0));
        }
        if n > (1 << 26) {
            return Err(super::system_limit());
        }
        int_result(p, x << (n as usize))
    } else {
        let s = n.unsigned_abs();
        if s > x.bits() + 1 {
            return Ok(Term::small_unchecked(if x.is_negative() { -1 } else { 0 }));
        }
        // Arithmetic shift (floor).
        let d = BigInt::from(1) << (s as usize);
        int_result(p, x.div_floor(&d))
    }
}

/// `bnot A`.
pub fn bnot(p: &mut Process, a: Term) -> BifResult {
    if let Some(x) = a.as_small() {
        return Ok(Term::small_unchecked(!x));
    }
    if !a.is_integer() {
        return Err(badarith());
    }
    let x = a.to_bigint().ok_or_else(badarith)?;
    int_result(p, -x - 1)
}

/// `-A`.
pub fn neg(p: &mut Process, a: Term) -> BifResult {
    if let Some(x) = a.as_small() {
        return Ok(p.heap.integer_from_i64(-x));
    }
    if let Some(f) = a.as_float() {
        return Ok(p.heap.float(-f));
    }
    match a.to_bigint() {
        Some(b) => int_result(p, -b),
        None => Err(badarith()),
    }
}

/// `+A`.
pub fn plus1(_p: &mut Process, a: Term) -> BifResult {
    if a.is_number() {
        Ok(a)
    } else {
        Err(badarith())
    }
}
