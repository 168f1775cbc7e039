//! BIFs of module `math`.

use super::{badarith, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

type A<'a> = &'a [Term];

/// A numeric argument as a float: `badarg` for a non-number, `badarith`
/// for an integer too large for a float (as ERTS's `math_call_1`).
fn arg(t: Term) -> Result<f64, super::BifErr> {
    match super::arith::to_f64(t) {
        Some(f) => Ok(f),
        None if t.is_integer() => Err(badarith()),
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
f1!(asinh_1, f64::asinh);
f1!(acosh_1, f64::acosh);
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
