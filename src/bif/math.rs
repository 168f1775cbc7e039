//! BIFs of module `math`.

use super::{badarith, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

type A<'a> = &'a [Term];

/// `asinh` as C's libm: for |x| >= 2^28, `ln|x| + ln 2` (Rust's formula
/// overflows to infinity near the top of the float range).
fn asinh(x: f64) -> f64 {
    if x.abs() >= (1u64 << 28) as f64 {
        (x.abs().ln() + std::f64::consts::LN_2).copysign(x)
    } else {
        x.asinh()
    }
}

/// `acosh` as C's libm: for x >= 2^28, `ln x + ln 2`.
fn acosh(x: f64) -> f64 {
    if x >= (1u64 << 28) as f64 {
        x.ln() + std::f64::consts::LN_2
    } else {
        x.acosh()
    }
}

/// A number as a float: badarg for a non-number, badarith for a bignum
/// beyond the float range (as ERTS's `big_to_double` failing).
fn arg(t: Term) -> Result<f64, super::BifErr> {
    match super::arith::to_f64(t) {
        Some(f) => Ok(f),
        None if t.is_number() => Err(badarith()),
        None => Err(super::badarg()),
    }
}

fn ret(p: &mut Process, f: f64) -> BifResult {
    if f.is_finite() {
        Ok(p.heap.float(f))
    } else {
        Err(badarith())
    }
}

macro_rules! f1 {
    ($name:ident, $f:expr) => {
        #[doc = concat!("`math:", stringify!($name), "`.")]
        pub fn $name(p: &mut Process, a: A) -> BifResult {
            let x = arg(a[0])?;
            let f: fn(f64) -> f64 = $f;
            ret(p, f(x))
        }
    };
}

f1!(sqrt_1, f64::sqrt);
f1!(sin_1, f64::sin);
f1!(cos_1, f64::cos);
f1!(tan_1, f64::tan);
f1!(asin_1, f64::asin);
f1!(acos_1, f64::acos);
f1!(atan_1, f64::atan);
f1!(sinh_1, f64::sinh);
f1!(cosh_1, f64::cosh);
f1!(tanh_1, f64::tanh);
f1!(asinh_1, asinh);
f1!(acosh_1, acosh);
f1!(atanh_1, f64::atanh);
f1!(exp_1, f64::exp);
f1!(log_1, f64::ln);
f1!(log2_1, f64::log2);
f1!(log10_1, f64::log10);
f1!(floor_1, f64::floor);
f1!(ceil_1, f64::ceil);
f1!(erf_1, super::erf::erf);
f1!(erfc_1, super::erf::erfc);

/// `math:pow/2`.
pub fn pow_2(p: &mut Process, a: A) -> BifResult {
    let x = arg(a[0])?;
    let y = arg(a[1])?;
    ret(p, x.powf(y))
}

/// `math:atan2/2`.
pub fn atan2_2(p: &mut Process, a: A) -> BifResult {
    let x = arg(a[0])?;
    let y = arg(a[1])?;
    ret(p, x.atan2(y))
}

/// `math:fmod/2`.
pub fn fmod_2(p: &mut Process, a: A) -> BifResult {
    let x = arg(a[0])?;
    let y = arg(a[1])?;
    ret(p, x % y)
}
