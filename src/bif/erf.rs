//! The error functions `erf` and `erfc`, bit-identical to the glibc 2.36
//! double-precision versions stock ERTS calls on x86-64 Linux.
//!
//! The algorithm is Sun's fdlibm `s_erf.c` (rational approximations on
//! [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35), [1/0.35, 28) and the
//! asymptotic tails), with the coefficients published there. glibc evaluates
//! the polynomials in a different order from fdlibm, musl and the `libm`
//! crate (pairs of terms combined with powers of the argument, for
//! pipelined CPUs), which changes the rounding of about 2 % of results;
//! this module follows glibc's order exactly, without fused multiply-adds
//! (glibc's generic x86-64 build has none; Rust never contracts). The
//! exponentials come from `f64::exp`, which on glibc systems is the C
//! library's `exp`, the same function glibc's `erf` calls.

/// Decimal forms of fdlibm's hexadecimal coefficients.
#[allow(clippy::excessive_precision)]
mod c {
    pub const TINY: f64 = 1e-300;
    /// `(float)0.84506291151`.
    pub const ERX: f64 = 8.45062911510467529297e-01;
    /// `2/sqrt(pi) - 1`.
    pub const EFX: f64 = 1.28379167095512586316e-01;
    /// erf on [0, 0.84375): numerator and denominator (`QQ[0]` unused).
    pub const PP: [f64; 5] = [
        1.28379167095512558561e-01,
        -3.25042107247001499370e-01,
        -2.84817495755985104766e-02,
        -5.77027029648944159157e-03,
        -2.37630166566501626084e-05,
    ];
    pub const QQ: [f64; 6] = [
        0.0,
        3.97917223959155352819e-01,
        6.50222499887672944485e-02,
        5.08130628187576562776e-03,
        1.32494738004321644526e-04,
        -3.96022827877536812320e-06,
    ];
    /// erf on [0.84375, 1.25).
    pub const PA: [f64; 7] = [
        -2.36211856075265944077e-03,
        4.14856118683748331666e-01,
        -3.72207876035701323847e-01,
        3.18346619901161753674e-01,
        -1.10894694282396677476e-01,
        3.54783043256182359371e-02,
        -2.16637559486879084300e-03,
    ];
    pub const QA: [f64; 7] = [
        0.0,
        1.06420880400844228286e-01,
        5.40397917702171048937e-01,
        7.18286544141962662868e-02,
        1.26171219808761642112e-01,
        1.36370839120290507362e-02,
        1.19844998467991074170e-02,
    ];
    /// erfc on [1.25, 1/0.35).
    pub const RA: [f64; 8] = [
        -9.86494403484714822705e-03,
        -6.93858572707181764372e-01,
        -1.05586262253232909814e+01,
        -6.23753324503260060396e+01,
        -1.62396669462573470355e+02,
        -1.84605092906711035994e+02,
        -8.12874355063065934246e+01,
        -9.81432934416914548592e+00,
    ];
    pub const SA: [f64; 9] = [
        0.0,
        1.96512716674392571292e+01,
        1.37657754143519042600e+02,
        4.34565877475229228821e+02,
        6.45387271733267880336e+02,
        4.29008140027567833386e+02,
        1.08635005541779435134e+02,
        6.57024977031928170135e+00,
        -6.04244152148580987438e-02,
    ];
    /// erfc on [1/0.35, 28).
    pub const RB: [f64; 7] = [
        -9.86494292470009928597e-03,
        -7.99283237680523006574e-01,
        -1.77579549177547519889e+01,
        -1.60636384855821916062e+02,
        -6.37566443368389627722e+02,
        -1.02509513161107724954e+03,
        -4.83519191608651397019e+02,
    ];
    pub const SB: [f64; 8] = [
        0.0,
        3.03380607434824582924e+01,
        3.25792512996573918826e+02,
        1.53672958608443695994e+03,
        3.19985821950859553908e+03,
        2.55305040643316442583e+03,
        4.74528541206955367215e+02,
        -2.24409524465858183362e+01,
    ];
}

use c::*;

/// High 32 bits of `x` (sign included).
fn high_word(x: f64) -> u32 {
    (x.to_bits() >> 32) as u32
}

/// `erf(x) - x` over `x` as P/Q on [0, 0.84375), glibc's evaluation order.
fn small_ratio(x: f64) -> f64 {
    let z = x * x;
    let r1 = PP[0] + z * PP[1];
    let z2 = z * z;
    let r2 = PP[2] + z * PP[3];
    let z4 = z2 * z2;
    let s1 = 1.0 + z * QQ[1];
    let s2 = QQ[2] + z * QQ[3];
    let s3 = QQ[4] + z * QQ[5];
    let r = r1 + z2 * r2 + z4 * PP[4];
    let s = s1 + z2 * s2 + z4 * s3;
    r / s
}

/// `erf(1 + s) - ERX` as P/Q for |x| in [0.84375, 1.25), `s = |x| - 1`.
fn near_one(x: f64) -> f64 {
    let s = x.abs() - 1.0;
    let p1 = PA[0] + s * PA[1];
    let s2 = s * s;
    let q1 = 1.0 + s * QA[1];
    let s4 = s2 * s2;
    let p2 = PA[2] + s * PA[3];
    let s6 = s4 * s2;
    let q2 = QA[2] + s * QA[3];
    let p3 = PA[4] + s * PA[5];
    let q3 = QA[4] + s * QA[5];
    let p = p1 + s2 * p2 + s4 * p3 + s6 * PA[6];
    let q = q1 + s2 * q2 + s4 * q3 + s6 * QA[6];
    p / q
}

/// `|x| * erfc(|x|)` for |x| in [1.25, 28): `exp(-x*x - 0.5625 + R/S)`
/// with the R/S pair chosen by `first` (|x| below 1/0.35).
fn tail(ax: f64, first: bool) -> f64 {
    let s = 1.0 / (ax * ax);
    let (r, big_s) = if first {
        let r1 = RA[0] + s * RA[1];
        let s2 = s * s;
        let t1 = 1.0 + s * SA[1];
        let s4 = s2 * s2;
        let r2 = RA[2] + s * RA[3];
        let s6 = s4 * s2;
        let t2 = SA[2] + s * SA[3];
        let s8 = s4 * s4;
        let r3 = RA[4] + s * RA[5];
        let t3 = SA[4] + s * SA[5];
        let r4 = RA[6] + s * RA[7];
        let t4 = SA[6] + s * SA[7];
        (
            r1 + s2 * r2 + s4 * r3 + s6 * r4,
            t1 + s2 * t2 + s4 * t3 + s6 * t4 + s8 * SA[8],
        )
    } else {
        let r1 = RB[0] + s * RB[1];
        let s2 = s * s;
        let t1 = 1.0 + s * SB[1];
        let s4 = s2 * s2;
        let r2 = RB[2] + s * RB[3];
        let s6 = s4 * s2;
        let t2 = SB[2] + s * SB[3];
        let r3 = RB[4] + s * RB[5];
        let t3 = SB[4] + s * SB[5];
        let t4 = SB[6] + s * SB[7];
        (
            r1 + s2 * r2 + s4 * r3 + s6 * RB[6],
            t1 + s2 * t2 + s4 * t3 + s6 * t4,
        )
    };
    // z: |x| with the low 32 bits cleared, so -z*z is exact.
    let z = f64::from_bits(ax.to_bits() & 0xffff_ffff_0000_0000);
    (-z * z - 0.5625).exp() * ((z - ax) * (z + ax) + r / big_s).exp()
}

/// The error function.
pub fn erf(x: f64) -> f64 {
    let hx = high_word(x);
    let neg = hx >> 31 != 0;
    let ix = hx & 0x7fff_ffff;
    if ix >= 0x7ff0_0000 {
        // NaN stays NaN; erf(±inf) = ±1.
        return if neg { -1.0 } else { 1.0 } + 1.0 / x;
    }
    if ix < 0x3feb_0000 {
        // |x| < 0.84375
        if ix < 0x3e30_0000 {
            // |x| < 2^-28
            if ix < 0x0080_0000 {
                return 0.0625 * (16.0 * x + (16.0 * EFX) * x);
            }
            return x + EFX * x;
        }
        return x + x * small_ratio(x);
    }
    if ix < 0x3ff4_0000 {
        // 0.84375 <= |x| < 1.25
        let pq = near_one(x);
        return if neg { -ERX - pq } else { ERX + pq };
    }
    if ix >= 0x4018_0000 {
        // |x| >= 6
        return if neg { TINY - 1.0 } else { 1.0 - TINY };
    }
    let ax = x.abs();
    let r = tail(ax, ix < 0x4006_db6e);
    if neg {
        r / ax - 1.0
    } else {
        1.0 - r / ax
    }
}

/// The complementary error function `1 - erf(x)`.
pub fn erfc(x: f64) -> f64 {
    let hx = high_word(x);
    let neg = hx >> 31 != 0;
    let ix = hx & 0x7fff_ffff;
    if ix >= 0x7ff0_0000 {
        // NaN stays NaN; erfc(+inf) = 0, erfc(-inf) = 2.
        return if neg { 2.0 } else { 0.0 } + 1.0 / x;
    }
    if ix < 0x3feb_0000 {
        // |x| < 0.84375
        if ix < 0x3c70_0000 {
            // |x| < 2^-56
            return 1.0 - x;
        }
        let y = small_ratio(x);
        // Signed comparison of the high word: x < 1/4 (negatives too).
        if (hx as i32) < 0x3fd0_0000 {
            return 1.0 - (x + x * y);
        }
        let r = x * y + (x - 0.5);
        return 0.5 - r;
    }
    if ix < 0x3ff4_0000 {
        // 0.84375 <= |x| < 1.25
        let pq = near_one(x);
        return if neg {
            1.0 + (ERX + pq)
        } else {
            (1.0 - ERX) - pq
        };
    }
    if ix < 0x403c_0000 {
        // |x| < 28
        let first = ix < 0x4006_db6d;
        if !first && neg && ix >= 0x4018_0000 {
            // x <= -6
            return 2.0 - TINY;
        }
        let ax = x.abs();
        let r = tail(ax, first);
        return if neg { 2.0 - r / ax } else { r / ax };
    }
    if neg {
        2.0 - TINY
    } else {
        TINY * TINY
    }
}

#[cfg(test)]
mod tests {
    use super::{erf, erfc};

    /// Values from stock ERTS (glibc 2.36) for one input per branch.
    #[test]
    fn branch_samples_match_glibc() {
        for (x, e, c) in [
            (0.0f64, 0.0f64, 1.0f64),
            (1e-300, 1.1283791670955126e-300, 1.0),
            (0.1, 0.1124629160182849, 0.8875370839817152),
            (0.5, 0.5204998778130465, 0.4795001221869535),
            (-0.5, -0.5204998778130465, 1.5204998778130465),
            (1.0, 0.8427007929497149, 0.15729920705028513),
            (2.0, 0.9953222650189527, 0.004677734981047265),
            (-2.0, -0.9953222650189527, 1.9953222650189528),
            (4.0, 0.9999999845827421, 1.541725790028002e-8),
            (10.0, 1.0, 2.088487583762545e-45),
            (30.0, 1.0, 0.0),
            (-30.0, -1.0, 2.0),
            // Where fdlibm's evaluation order rounds differently.
            (
                f64::from_bits(0x3fea_ffff_ffff_ff46),
                0.7672256612323303,
                0.2327743387676698,
            ),
            (
                f64::from_bits(0x3fea_ffff_ffff_ff3a),
                0.7672256612323295,
                0.2327743387676705,
            ),
        ] {
            assert_eq!(erf(x).to_bits(), e.to_bits(), "erf({x})");
            assert_eq!(erfc(x).to_bits(), c.to_bits(), "erfc({x})");
        }
    }
}
