//! BIFs of module `erlang`.

use super::arith;
use super::{badarg, system_limit, BifErr, BifResult, Exc};
use crate::atom::{atoms, Atom};
use crate::emulator::compare::{cmp, eq, eq_exact};
use crate::emulator::exception::{Class, Extra};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::{Term, TermView};
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use std::cmp::Ordering;
use std::io::Write;

type A<'a> = &'a [Term];

// ---------------------------------------------------------------- helpers

/// The bytes of an iolist (bytes, binaries, nested lists); `None` if not one.
pub fn iolist_bytes(t: Term, out: &mut Vec<u8>) -> bool {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if t.is_nil() {
            continue;
        }
        if let Some((h, tl)) = t.as_cons() {
            stack.push(tl);
            if let Some(c) = h.as_small() {
                if !(0..=255).contains(&c) {
                    return false;
                }
                out.push(c as u8);
            } else {
                stack.push(h);
            }
            continue;
        }
        match t.as_binary() {
            Some(b) if b.is_binary() => out.extend_from_slice(&b.to_bytes()),
            _ => return false,
        }
    }
    true
}

/// A list of character codes as a `String` (`None` if not a proper list of
/// valid code points).
pub fn charlist(t: Term) -> Option<String> {
    let mut s = String::new();
    let mut it = t.iter_list();
    for c in it.by_ref() {
        let c = c.as_small()?;
        s.push(char::from_u32(u32::try_from(c).ok()?)?);
    }
    it.tail().is_nil().then_some(s)
}

fn int_arg(t: Term) -> Result<BigInt, BifErr> {
    if t.is_integer() {
        t.to_bigint().ok_or_else(badarg)
    } else {
        Err(badarg())
    }
}

fn boolean(t: Term) -> Result<bool, BifErr> {
    t.as_bool().ok_or_else(badarg)
}

fn to_radix(b: &BigInt, base: u32) -> String {
    b.to_str_radix(base).to_uppercase()
}

fn parse_int(s: &str, base: u32) -> Option<BigInt> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let v = BigInt::parse_bytes(digits.as_bytes(), base)?;
    Some(if neg { -v } else { v })
}

fn base_arg(t: Term) -> Result<u32, BifErr> {
    match t.as_small() {
        Some(b) if (2..=36).contains(&b) => Ok(b as u32),
        _ => Err(badarg()),
    }
}

/// `float_to_list/1` format: `%.20e`.
pub fn float_default(f: f64) -> String {
    super::display::c_exp(f, 20)
}

/// Shortest round-trip float formatting as `float_to_list(F, [short])`
/// (ERTS's Ryu `to_chars` with its Erlang-specific format switch).
pub fn float_short(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let e = format!("{:e}", f.abs()); // shortest digits: d.ddde±x
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let sci: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let olen = digits.len() as i32;
    let ryu_exp = sci - (olen - 1);
    let output: u64 = digits.parse().unwrap_or(0);
    let (lower, upper) = if olen == 1 {
        (-4, 2)
    } else if sci >= 10 {
        (-(olen + 2), 2)
    } else {
        (-(olen + 2), 1)
    };
    let fixed = if lower <= ryu_exp && ryu_exp <= upper {
        !((output >= (1u64 << 53) && ryu_exp == 0)
            || (output > ((1u64 << 52) / 5) && ryu_exp == 1)
            || (output > ((1u64 << 51) / 25) && ryu_exp == 2))
    } else {
        false
    };
    let body = if fixed {
        if ryu_exp >= 0 {
            format!("{}{}.0", digits, "0".repeat(ryu_exp as usize))
        } else {
            let whole = olen + ryu_exp;
            if whole > 0 {
                format!(
                    "{}.{}",
                    &digits[..whole as usize],
                    &digits[whole as usize..]
                )
            } else {
                format!("0.{}{}", "0".repeat((-whole) as usize), digits)
            }
        }
    } else if olen > 1 {
        format!("{}.{}e{}", &digits[..1], &digits[1..], sci)
    } else {
        format!("{digits}.0e{sci}")
    };
    if f < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

/// ERTS's `sys_double_to_chars_fast` (`float_to_list(F, [{decimals, D}])`).
fn fixed_decimals(f: f64, decimals: usize, compact: bool) -> Option<String> {
    const MAX_FLOAT: f64 = (1u64 << 53) as f64;
    let strip = |mut s: String| -> String {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.push('0');
        }
        s
    };
    let neg = f.is_sign_negative();
    let af = f.abs();
    if af > MAX_FLOAT || decimals >= 19 {
        let s = format!("{:.*}", decimals, f);
        if s.len() >= 256 {
            return None;
        }
        return Some(if compact && s.contains('.') {
            strip(s)
        } else {
            s
        });
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if decimals > 0 {
        let p10 = 10f64.powi(decimals as i32);
        let int_f = af.floor();
        let frac_f = ((af - int_f) * p10).round();
        let (mut ip, mut fp) = (int_f as u64, frac_f as u64);
        if frac_f >= p10 {
            ip += 1;
            fp = 0;
        }
        let _ = &mut fp;
        out.push_str(&ip.to_string());
        out.push('.');
        out.push_str(&format!("{:0width$}", fp, width = decimals));
        if compact {
            out = strip(out);
        }
    } else {
        out.push_str(&(af.round() as u64).to_string());
    }
    Some(out)
}

fn float_fmt(p: &mut Process, f: Term, opts: Term) -> Result<String, BifErr> {
    let f = f.as_float().ok_or_else(badarg)?;
    let mut decimals: Option<usize> = None;
    let mut scientific: Option<usize> = None;
    let mut compact = false;
    let mut short = false;
    let _ = p;
    for o in opts.list_to_vec().ok_or_else(badarg)? {
        match o.view() {
            TermView::Atom(a) if a.as_str() == "compact" => compact = true,
            TermView::Atom(a) if a.as_str() == "short" => short = true,
            TermView::Tuple([k, v]) => {
                let n = v
                    .as_small()
                    .filter(|n| (0..=253).contains(n))
                    .ok_or_else(badarg)? as usize;
                match k.as_atom().map(|a| a.as_str()) {
                    Some("decimals") => {
                        decimals = Some(n);
                        scientific = None
                    }
                    Some("scientific") => {
                        scientific = Some(n);
                        decimals = None
                    }
                    _ => return Err(badarg()),
                }
            }
            _ => return Err(badarg()),
        }
    }
    if short {
        return Ok(float_short(f));
    }
    if let Some(n) = decimals {
        return fixed_decimals(f, n, compact).ok_or_else(badarg);
    }
    let s = super::display::c_exp(f, scientific.unwrap_or(20));
    if s.len() >= 256 {
        return Err(badarg());
    }
    Ok(s)
}

fn atom_from_chars(s: &str) -> Result<Atom, BifErr> {
    if s.chars().count() > 255 {
        return Err(system_limit());
    }
    Atom::intern(s).map_err(|_| system_limit())
}

/// Writes to stdout (or stderr) as ERTS's `erts_printf` does on Unix:
/// every `\n` becomes `\r\n` (`erts_printf_add_cr_to_stdout`).
pub fn out(bytes: &[u8], stderr: bool) {
    let mut v = Vec::with_capacity(bytes.len() + 2);
    for &b in bytes {
        if b == b'\n' {
            v.push(b'\r');
        }
        v.push(b);
    }
    if stderr {
        let _ = std::io::stderr().lock().write_all(&v);
    } else {
        let so = std::io::stdout();
        let mut l = so.lock();
        let _ = l.write_all(&v);
        let _ = l.flush();
    }
}

// ---------------------------------------------------------------- operators

macro_rules! op2 {
    ($name:ident, $f:path) => {
        #[doc = concat!("Operator `", stringify!($name), "`.")]
        pub fn $name(p: &mut Process, a: A) -> BifResult {
            $f(p, a[0], a[1])
        }
    };
}

op2!(plus_2, arith::add);
op2!(minus_2, arith::sub);
op2!(times_2, arith::mul);
op2!(div_2, arith::fdiv);
op2!(intdiv_2, arith::div);
op2!(rem_2, arith::rem);
op2!(bsl_2, arith::bsl);
op2!(bsr_2, arith::bsr);

/// `band`.
pub fn band_2(p: &mut Process, a: A) -> BifResult {
    arith::bitop(p, a[0], a[1], 0)
}
/// `bor`.
pub fn bor_2(p: &mut Process, a: A) -> BifResult {
    arith::bitop(p, a[0], a[1], 1)
}
/// `bxor`.
pub fn bxor_2(p: &mut Process, a: A) -> BifResult {
    arith::bitop(p, a[0], a[1], 2)
}
/// `bnot`.
pub fn bnot_1(p: &mut Process, a: A) -> BifResult {
    arith::bnot(p, a[0])
}
/// unary `-`.
pub fn minus_1(p: &mut Process, a: A) -> BifResult {
    arith::neg(p, a[0])
}
/// unary `+`.
pub fn plus_1(p: &mut Process, a: A) -> BifResult {
    arith::plus1(p, a[0])
}

/// `==`.
pub fn eq_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(eq(a[0], a[1])))
}
/// `/=`.
pub fn neq_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(!eq(a[0], a[1])))
}
/// `=:=`.
pub fn exeq_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(eq_exact(a[0], a[1])))
}
/// `=/=`.
pub fn exneq_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(!eq_exact(a[0], a[1])))
}
/// `<`.
pub fn lt_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(cmp(a[0], a[1], false) == Ordering::Less))
}
/// `>`.
pub fn gt_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(cmp(a[0], a[1], false) == Ordering::Greater))
}
/// `=<`.
pub fn le_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(cmp(a[0], a[1], false) != Ordering::Greater))
}
/// `>=`.
pub fn ge_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(cmp(a[0], a[1], false) != Ordering::Less))
}
/// `and`.
pub fn and_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(boolean(a[0])? & boolean(a[1])?))
}
/// `or`.
pub fn or_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(boolean(a[0])? | boolean(a[1])?))
}
/// `xor`.
pub fn xor_2(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(boolean(a[0])? ^ boolean(a[1])?))
}
/// `not`.
pub fn not_1(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::bool(!boolean(a[0])?))
}

/// `min/2`.
pub fn min_2(_p: &mut Process, a: A) -> BifResult {
    Ok(if cmp(a[0], a[1], false) == Ordering::Greater {
        a[1]
    } else {
        a[0]
    })
}
/// `max/2`.
pub fn max_2(_p: &mut Process, a: A) -> BifResult {
    Ok(if cmp(a[0], a[1], false) == Ordering::Less {
        a[1]
    } else {
        a[0]
    })
}

// ---------------------------------------------------------------- type tests

macro_rules! is {
    ($name:ident, $m:ident) => {
        #[doc = concat!("`", stringify!($name), "`.")]
        pub fn $name(_p: &mut Process, a: A) -> BifResult {
            Ok(Term::bool(a[0].$m()))
        }
    };
}
is!(is_atom_1, is_atom);
is!(is_integer_1, is_integer);
is!(is_float_1, is_float);
is!(is_number_1, is_number);
is!(is_list_1, is_list);
is!(is_tuple_1, is_tuple);
is!(is_binary_1, is_binary);
is!(is_bitstring_1, is_bitstring);
is!(is_pid_1, is_pid);
is!(is_port_1, is_port);
is!(is_reference_1, is_ref);
is!(is_function_1, is_fun);
is!(is_map_1, is_map);
is!(is_boolean_1, is_boolean);

/// `is_function/2`.
pub fn is_function_2(_p: &mut Process, a: A) -> BifResult {
    // As ERTS: a positive bignum arity is allowed but matches no fun.
    if a[1].as_big().is_some_and(|(neg, _)| !neg) {
        return Ok(Term::FALSE);
    }
    let n = a[1].as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
    Ok(Term::bool(
        u32::try_from(n).is_ok_and(|n| a[0].fun_arity() == Some(n)),
    ))
}

/// `is_record/2`.
pub fn is_record_2(_p: &mut Process, a: A) -> BifResult {
    if !a[1].is_atom() {
        return Err(badarg());
    }
    Ok(Term::bool(
        a[0].as_tuple().and_then(|t| t.first().copied()) == Some(a[1]),
    ))
}

/// `is_record/3`.
pub fn is_record_3(_p: &mut Process, a: A) -> BifResult {
    if !a[1].is_atom() || !a[2].is_small() {
        return Err(badarg());
    }
    Ok(Term::bool(a[0].as_tuple().is_some_and(|t| {
        t.len() as i64 == a[2].as_small().unwrap_or(-1) && t.first() == Some(&a[1])
    })))
}

// ---------------------------------------------------------------- data

/// `abs/1`.
pub fn abs_1(p: &mut Process, a: A) -> BifResult {
    if let Some(i) = a[0].as_small() {
        return Ok(p.heap.integer_from_i64(i.abs()));
    }
    if let Some(f) = a[0].as_float() {
        // As ERTS (`if (f < 0.0) f = -f`): abs(-0.0) is -0.0.
        return Ok(p.heap.float(if f < 0.0 { -f } else { f }));
    }
    if a[0].is_integer() {
        let b = a[0].to_bigint().ok_or_else(badarg)?;
        return Ok(p.heap.integer_from_bigint(&num_traits::Signed::abs(&b)));
    }
    Err(badarg())
}

fn float_to_int(p: &mut Process, t: Term, f: fn(f64) -> f64) -> BifResult {
    if t.is_integer() {
        return Ok(t);
    }
    let x = t.as_float().ok_or_else(badarg)?;
    let r = f(x);
    if r.abs() < 9.0e18 {
        Ok(p.heap.integer_from_i64(r as i64))
    } else {
        let b = num_bigint::BigInt::from(r as i128);
        if r.abs() < 1.0e38 {
            Ok(p.heap.integer_from_bigint(&b))
        } else {
            // Exact conversion of a huge float.
            let bits = r.to_bits();
            let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
            let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
            let mut v = BigInt::from(mant) << (exp as usize);
            if r < 0.0 {
                v = -v;
            }
            Ok(p.heap.integer_from_bigint(&v))
        }
    }
}

/// `trunc/1`.
pub fn trunc_1(p: &mut Process, a: A) -> BifResult {
    float_to_int(p, a[0], f64::trunc)
}
/// `round/1`.
pub fn round_1(p: &mut Process, a: A) -> BifResult {
    float_to_int(p, a[0], f64::round)
}
/// `floor/1`.
pub fn floor_1(p: &mut Process, a: A) -> BifResult {
    float_to_int(p, a[0], f64::floor)
}
/// `ceil/1`.
pub fn ceil_1(p: &mut Process, a: A) -> BifResult {
    float_to_int(p, a[0], f64::ceil)
}

/// `float/1`.
pub fn float_1(p: &mut Process, a: A) -> BifResult {
    if a[0].is_float() {
        return Ok(a[0]);
    }
    if !a[0].is_integer() {
        return Err(badarg());
    }
    match arith::to_f64(a[0]) {
        Some(f) => Ok(p.heap.float(f)),
        None => Err(badarg()),
    }
}

/// `element/2`.
pub fn element_2(_p: &mut Process, a: A) -> BifResult {
    let t = a[1].as_tuple().ok_or_else(badarg)?;
    let i = a[0].as_small().ok_or_else(badarg)?;
    if i < 1 {
        return Err(badarg());
    }
    t.get(i as usize - 1).copied().ok_or_else(badarg)
}

/// `setelement/3`.
pub fn setelement_3(p: &mut Process, a: A) -> BifResult {
    let mut v = a[1].as_tuple().ok_or_else(badarg)?.to_vec();
    let i = a[0].as_small().ok_or_else(badarg)?;
    if i < 1 || i as usize > v.len() {
        return Err(badarg());
    }
    v[i as usize - 1] = a[2];
    Ok(p.heap.tuple(&v))
}

/// `tuple_size/1`.
pub fn tuple_size_1(_p: &mut Process, a: A) -> BifResult {
    let t = a[0].as_tuple().ok_or_else(badarg)?;
    Ok(Term::small_unchecked(t.len() as i64))
}

/// `size/1`.
pub fn size_1(_p: &mut Process, a: A) -> BifResult {
    if let Some(t) = a[0].as_tuple() {
        return Ok(Term::small_unchecked(t.len() as i64));
    }
    match a[0].as_binary() {
        Some(b) => Ok(Term::small_unchecked(b.byte_size() as i64)),
        None => Err(badarg()),
    }
}

/// `byte_size/1`.
pub fn byte_size_1(_p: &mut Process, a: A) -> BifResult {
    let b = a[0].as_binary().ok_or_else(badarg)?;
    Ok(Term::small_unchecked(b.bit_size.div_ceil(8) as i64))
}

/// `bit_size/1`.
pub fn bit_size_1(_p: &mut Process, a: A) -> BifResult {
    let b = a[0].as_binary().ok_or_else(badarg)?;
    Ok(Term::small_unchecked(b.bit_size as i64))
}

/// `length/1`.
pub fn length_1(_p: &mut Process, a: A) -> BifResult {
    let mut n = 0i64;
    let mut it = a[0].iter_list();
    for _ in it.by_ref() {
        n += 1;
    }
    if it.tail().is_nil() {
        Ok(Term::small_unchecked(n))
    } else {
        Err(badarg())
    }
}

/// `hd/1`.
pub fn hd_1(_p: &mut Process, a: A) -> BifResult {
    a[0].as_cons().map(|c| c.0).ok_or_else(badarg)
}

/// `tl/1`.
pub fn tl_1(_p: &mut Process, a: A) -> BifResult {
    a[0].as_cons().map(|c| c.1).ok_or_else(badarg)
}

/// `tuple_to_list/1`.
pub fn tuple_to_list_1(p: &mut Process, a: A) -> BifResult {
    let v = a[0].as_tuple().ok_or_else(badarg)?.to_vec();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `list_to_tuple/1`.
pub fn list_to_tuple_1(p: &mut Process, a: A) -> BifResult {
    let v = a[0].list_to_vec().ok_or_else(badarg)?;
    if v.len() > MAX_TUPLE_SIZE {
        return Err(badarg());
    }
    Ok(p.heap.tuple(&v))
}

/// Largest tuple arity (ERTS `ERTS_MAX_TUPLE_SIZE`, `MAX_ARITYVAL`).
pub const MAX_TUPLE_SIZE: usize = (1 << 24) - 1;

/// `make_tuple/2`.
pub fn make_tuple_2(p: &mut Process, a: A) -> BifResult {
    let n = a[0]
        .as_small()
        .filter(|n| (0..=MAX_TUPLE_SIZE as i64).contains(n))
        .ok_or_else(badarg)?;
    let v = vec![a[1]; n as usize];
    Ok(p.heap.tuple(&v))
}

/// `make_tuple/3`.
pub fn make_tuple_3(p: &mut Process, a: A) -> BifResult {
    let n = a[0]
        .as_small()
        .filter(|n| (0..=MAX_TUPLE_SIZE as i64).contains(n))
        .ok_or_else(badarg)?;
    let mut v = vec![a[1]; n as usize];
    for e in a[2].list_to_vec().ok_or_else(badarg)? {
        match e.as_tuple() {
            Some([i, x]) => {
                let i = i
                    .as_small()
                    .filter(|i| *i >= 1 && *i <= n)
                    .ok_or_else(badarg)?;
                v[i as usize - 1] = *x;
            }
            _ => return Err(badarg()),
        }
    }
    Ok(p.heap.tuple(&v))
}

/// `append_element/2`.
pub fn append_element_2(p: &mut Process, a: A) -> BifResult {
    let mut v = a[0].as_tuple().ok_or_else(badarg)?.to_vec();
    if v.len() + 1 > MAX_TUPLE_SIZE {
        return Err(badarg());
    }
    v.push(a[1]);
    Ok(p.heap.tuple(&v))
}

// ---------------------------------------------------------------- conversions

/// `atom_to_list/1`.
pub fn atom_to_list_1(p: &mut Process, a: A) -> BifResult {
    let at = a[0].as_atom().ok_or_else(badarg)?;
    Ok(p.heap.charlist(at.as_str()))
}

/// `list_to_atom/1`.
pub fn list_to_atom_1(_p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    Ok(Term::atom(atom_from_chars(&s)?))
}

/// `list_to_existing_atom/1`.
pub fn list_to_existing_atom_1(_p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    Atom::existing(&s).map(Term::atom).ok_or_else(badarg)
}

fn encoding_ok(t: Term) -> bool {
    matches!(
        t.as_atom().map(|a| a.as_str()),
        Some("latin1" | "utf8" | "unicode")
    )
}

/// `atom_to_binary/1`.
pub fn atom_to_binary_1(p: &mut Process, a: A) -> BifResult {
    let at = a[0].as_atom().ok_or_else(badarg)?;
    Ok(p.heap.binary(at.as_bytes()))
}

/// `atom_to_binary/2`.
pub fn atom_to_binary_2(p: &mut Process, a: A) -> BifResult {
    let at = a[0].as_atom().ok_or_else(badarg)?;
    if !encoding_ok(a[1]) {
        return Err(badarg());
    }
    if a[1] == Term::atom(atoms::LATIN1) {
        let l = at.to_latin1().ok_or_else(badarg)?;
        return Ok(p.heap.binary(&l));
    }
    Ok(p.heap.binary(at.as_bytes()))
}

fn binary_to_atom(t: Term, enc: Term, existing: bool) -> BifResult {
    let b = t.binary_bytes().ok_or_else(badarg)?.to_vec();
    if !encoding_ok(enc) {
        return Err(badarg());
    }
    let s = if enc == Term::atom(atoms::LATIN1) {
        b.iter().map(|&c| c as char).collect::<String>()
    } else {
        String::from_utf8(b).map_err(|_| badarg())?
    };
    if existing {
        return Atom::existing(&s).map(Term::atom).ok_or_else(badarg);
    }
    Ok(Term::atom(atom_from_chars(&s)?))
}

/// `binary_to_atom/1`.
pub fn binary_to_atom_1(_p: &mut Process, a: A) -> BifResult {
    binary_to_atom(a[0], Term::atom(atoms::UTF8), false)
}
/// `binary_to_atom/2`.
pub fn binary_to_atom_2(_p: &mut Process, a: A) -> BifResult {
    binary_to_atom(a[0], a[1], false)
}
/// `binary_to_existing_atom/2`.
pub fn binary_to_existing_atom_2(_p: &mut Process, a: A) -> BifResult {
    binary_to_atom(a[0], a[1], true)
}

/// `integer_to_list/1`.
pub fn integer_to_list_1(p: &mut Process, a: A) -> BifResult {
    let b = int_arg(a[0])?;
    Ok(p.heap.charlist(&b.to_string()))
}
/// `integer_to_list/2`.
pub fn integer_to_list_2(p: &mut Process, a: A) -> BifResult {
    let b = int_arg(a[0])?;
    let base = base_arg(a[1])?;
    Ok(p.heap.charlist(&to_radix(&b, base)))
}
/// `integer_to_binary/1`.
pub fn integer_to_binary_1(p: &mut Process, a: A) -> BifResult {
    let b = int_arg(a[0])?;
    Ok(p.heap.binary(b.to_string().as_bytes()))
}
/// `integer_to_binary/2`.
pub fn integer_to_binary_2(p: &mut Process, a: A) -> BifResult {
    let b = int_arg(a[0])?;
    let base = base_arg(a[1])?;
    Ok(p.heap.binary(to_radix(&b, base).as_bytes()))
}
/// `list_to_integer/1`.
pub fn list_to_integer_1(p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    let v = parse_int(&s, 10).ok_or_else(badarg)?;
    Ok(p.heap.integer_from_bigint(&v))
}
/// `list_to_integer/2`.
pub fn list_to_integer_2(p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    let base = base_arg(a[1])?;
    let v = parse_int(&s, base).ok_or_else(badarg)?;
    Ok(p.heap.integer_from_bigint(&v))
}
/// `binary_to_integer/1`.
pub fn binary_to_integer_1(p: &mut Process, a: A) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    let s = std::str::from_utf8(&b).map_err(|_| badarg())?.to_owned();
    let v = parse_int(&s, 10).ok_or_else(badarg)?;
    Ok(p.heap.integer_from_bigint(&v))
}
/// `binary_to_integer/2`.
pub fn binary_to_integer_2(p: &mut Process, a: A) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    let s = std::str::from_utf8(&b).map_err(|_| badarg())?.to_owned();
    let base = base_arg(a[1])?;
    let v = parse_int(&s, base).ok_or_else(badarg)?;
    Ok(p.heap.integer_from_bigint(&v))
}

/// `float_to_list/1`.
pub fn float_to_list_1(p: &mut Process, a: A) -> BifResult {
    let f = a[0].as_float().ok_or_else(badarg)?;
    Ok(p.heap.charlist(&float_default(f)))
}
/// `float_to_list/2`.
pub fn float_to_list_2(p: &mut Process, a: A) -> BifResult {
    let s = float_fmt(p, a[0], a[1])?;
    Ok(p.heap.charlist(&s))
}
/// `float_to_binary/1`.
pub fn float_to_binary_1(p: &mut Process, a: A) -> BifResult {
    let f = a[0].as_float().ok_or_else(badarg)?;
    Ok(p.heap.binary(float_default(f).as_bytes()))
}
/// `float_to_binary/2`.
pub fn float_to_binary_2(p: &mut Process, a: A) -> BifResult {
    let s = float_fmt(p, a[0], a[1])?;
    Ok(p.heap.binary(s.as_bytes()))
}

fn parse_erlang_float(s: &str) -> Option<f64> {
    // Digits '.' digits [e|E [+-] digits], optional sign.
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let st = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == st || i >= b.len() || b[i] != b'.' {
        return None;
    }
    i += 1;
    let st = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == st {
        return None;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == st || i != b.len() {
            return None;
        }
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `list_to_float/1`.
pub fn list_to_float_1(p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    let f = parse_erlang_float(&s).ok_or_else(badarg)?;
    Ok(p.heap.float(f))
}
/// `binary_to_float/1`.
pub fn binary_to_float_1(p: &mut Process, a: A) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    let s = std::str::from_utf8(&b).map_err(|_| badarg())?.to_owned();
    let f = parse_erlang_float(&s).ok_or_else(badarg)?;
    Ok(p.heap.float(f))
}

/// `binary_to_list/1`.
pub fn binary_to_list_1(p: &mut Process, a: A) -> BifResult {
    let b = a[0]
        .as_binary()
        .filter(|b| b.is_binary())
        .ok_or_else(badarg)?;
    let v = b.to_bytes();
    Ok(p.heap.bytelist(&v))
}
/// `binary_to_list/3`.
pub fn binary_to_list_3(p: &mut Process, a: A) -> BifResult {
    let b = a[0]
        .as_binary()
        .filter(|b| b.is_binary())
        .ok_or_else(badarg)?;
    let v = b.to_bytes();
    let s = a[1].as_small().ok_or_else(badarg)?;
    let e = a[2].as_small().ok_or_else(badarg)?;
    if s < 1 || e < s || e as usize > v.len() {
        return Err(badarg());
    }
    Ok(p.heap.bytelist(&v[s as usize - 1..e as usize]))
}
/// `bitstring_to_list/1`.
pub fn bitstring_to_list_1(p: &mut Process, a: A) -> BifResult {
    let b = a[0].as_binary().ok_or_else(badarg)?;
    let v = b.to_bytes();
    let whole = b.byte_size();
    let tb = b.trailing_bits();
    let tail = if tb > 0 {
        p.heap
            .bitstring(&[v[whole]], tb as u64)
            .ok_or_else(badarg)?
    } else {
        Term::NIL
    };
    let mut l: Vec<Term> = v[..whole]
        .iter()
        .map(|&c| Term::small_unchecked(c as i64))
        .collect();
    if tb > 0 {
        l.push(tail);
    }
    Ok(p.heap.list_from(&l, Term::NIL))
}
/// `list_to_binary/1`.
pub fn list_to_binary_1(p: &mut Process, a: A) -> BifResult {
    if !a[0].is_list() {
        return Err(badarg());
    }
    let mut v = Vec::new();
    if !iolist_bytes(a[0], &mut v) {
        return Err(badarg());
    }
    Ok(p.heap.binary_from_vec(v))
}
/// `iolist_to_binary/1`.
pub fn iolist_to_binary_1(p: &mut Process, a: A) -> BifResult {
    if a[0].is_binary() {
        return Ok(a[0]);
    }
    list_to_binary_1(p, a)
}
/// `iolist_size/1`.
pub fn iolist_size_1(_p: &mut Process, a: A) -> BifResult {
    let mut v = Vec::new();
    if !iolist_bytes(a[0], &mut v) {
        return Err(badarg());
    }
    Ok(Term::small_unchecked(v.len() as i64))
}
/// `list_to_bitstring/1`: an iolist whose binaries may be bitstrings.
pub fn list_to_bitstring_1(p: &mut Process, a: A) -> BifResult {
    if !a[0].is_list() {
        return Err(badarg());
    }
    let mut buf = crate::emulator::bits::BitBuf::default();
    let mut stack = vec![a[0]];
    while let Some(t) = stack.pop() {
        if t.is_nil() {
            continue;
        }
        if let Some((h, tl)) = t.as_cons() {
            stack.push(tl);
            if let Some(c) = h.as_small() {
                if !(0..=255).contains(&c) {
                    return Err(badarg());
                }
                buf.put_bits(&[c as u8], 0, 8);
            } else {
                stack.push(h);
            }
            continue;
        }
        match t.as_binary() {
            Some(b) => {
                let bytes = b.to_bytes();
                buf.put_bits(&bytes, 0, b.bit_size);
            }
            None => return Err(badarg()),
        }
    }
    let (data, bits) = buf.finish();
    if bits % 8 == 0 {
        Ok(p.heap.binary_from_vec(data))
    } else {
        p.heap.bitstring(&data, bits).ok_or_else(badarg)
    }
}

/// `split_binary/2`.
pub fn split_binary_2(p: &mut Process, a: A) -> BifResult {
    // As ERTS: any bitstring; the split is at a byte position, trailing
    // bits stay in the right part.
    let b = a[0].as_binary().ok_or_else(badarg)?;
    let bits = b.bit_size;
    let n = a[1].as_small().ok_or_else(badarg)?;
    let size = b.byte_size() as i64;
    if n < 0 || n > size {
        return Err(badarg());
    }
    let l = p
        .heap
        .extract_sub_binary(a[0], 0, n as u64 * 8)
        .ok_or_else(badarg)?;
    let r = p
        .heap
        .extract_sub_binary(a[0], n as u64 * 8, bits - n as u64 * 8)
        .ok_or_else(badarg)?;
    Ok(p.heap.tuple(&[l, r]))
}

fn part(p: &mut Process, bin: Term, start: Term, len: Term) -> BifResult {
    // Any bitstring, sliced in whole bytes (ERTS `erts_binary_part`).
    let b = bin.as_binary().ok_or_else(badarg)?;
    let s = start.as_small().ok_or_else(badarg)?;
    let l = len.as_small().ok_or_else(badarg)?;
    let (s, l) = if l < 0 { (s + l, -l) } else { (s, l) };
    if s < 0 || s + l > b.byte_size() as i64 {
        return Err(badarg());
    }
    p.heap
        .extract_sub_binary(bin, s as u64 * 8, l as u64 * 8)
        .ok_or_else(badarg)
}

/// `binary_part/2`.
pub fn binary_part_2(p: &mut Process, a: A) -> BifResult {
    match a[1].as_tuple() {
        Some([s, l]) => part(p, a[0], *s, *l),
        _ => Err(badarg()),
    }
}
/// `binary_part/3`.
pub fn binary_part_3(p: &mut Process, a: A) -> BifResult {
    part(p, a[0], a[1], a[2])
}

/// `term_to_binary/1`.
pub fn term_to_binary_1(p: &mut Process, a: A) -> BifResult {
    let v = crate::etf::try_encode(a[0], &Default::default()).ok_or_else(system_limit)?;
    Ok(p.heap.binary_from_vec(v))
}

/// `binary_to_term/1`.
pub fn binary_to_term_1(p: &mut Process, a: A) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?.to_vec();
    crate::etf::decode(
        &b,
        &mut p.heap,
        &crate::etf::DecodeOptions {
            safe: false,
            export_exists: None,
        },
    )
    .map(|r| r.0)
    .map_err(|_| badarg())
}

/// `phash2/1`.
pub fn phash2_1(_p: &mut Process, a: A) -> BifResult {
    Ok(Term::small_unchecked(crate::term::hash::phash2(a[0]) as i64))
}
/// `phash2/2`.
pub fn phash2_2(p: &mut Process, a: A) -> BifResult {
    let r = a[1]
        .as_i64()
        .filter(|r| *r >= 1 && *r <= 1 << 32)
        .ok_or_else(badarg)?;
    let v = crate::term::hash::phash2_range(a[0], r as u64);
    Ok(p.heap.integer_from_u64(v))
}
/// `phash/2`.
pub fn phash_2(p: &mut Process, a: A) -> BifResult {
    let r = a[1]
        .as_i64()
        .filter(|r| *r >= 1 && *r <= 1 << 32)
        .ok_or_else(badarg)?;
    let v = crate::term::hash::phash(a[0], r as u64);
    Ok(p.heap.integer_from_u64(v))
}

// ---------------------------------------------------------------- process

/// `self/0`.
pub fn self_0(p: &mut Process, _a: A) -> BifResult {
    Ok(p.pid_term())
}
/// `node/0`.
pub fn node_0(_p: &mut Process, _a: A) -> BifResult {
    Ok(Term::atom(atoms::NONODE_NOHOST))
}
/// `node/1`.
pub fn node_1(_p: &mut Process, a: A) -> BifResult {
    if a[0].is_pid() || a[0].is_port() || a[0].is_ref() {
        Ok(Term::atom(atoms::NONODE_NOHOST))
    } else {
        Err(badarg())
    }
}
/// `make_ref/0`.
pub fn make_ref_0(p: &mut Process, _a: A) -> BifResult {
    Ok(p.make_ref())
}
/// `put/2`.
pub fn put_2(p: &mut Process, a: A) -> BifResult {
    let k = p.heap.copy_term(a[0]);
    let v = p.heap.copy_term(a[1]);
    Ok(p.dict_put(k, v).unwrap_or(Term::UNDEFINED))
}
/// `get/1`.
pub fn get_1(p: &mut Process, a: A) -> BifResult {
    Ok(p.dict_get(a[0]).unwrap_or(Term::UNDEFINED))
}
/// `get/0`.
pub fn get_0(p: &mut Process, _a: A) -> BifResult {
    let pairs: Vec<(Term, Term)> = p.dict.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect();
    let v: Vec<Term> = pairs
        .iter()
        .rev()
        .map(|(k, v)| p.heap.tuple(&[*k, *v]))
        .collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}
/// `get_keys/0`.
pub fn get_keys_0(p: &mut Process, _a: A) -> BifResult {
    let v: Vec<Term> = p.dict.chunks_exact(2).rev().map(|kv| kv[0]).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}
/// `get_keys/1`.
pub fn get_keys_1(p: &mut Process, a: A) -> BifResult {
    let v: Vec<Term> = p
        .dict
        .chunks_exact(2)
        .rev()
        .filter(|kv| eq_exact(kv[1], a[0]))
        .map(|kv| kv[0])
        .collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}
/// `erase/1`.
pub fn erase_1(p: &mut Process, a: A) -> BifResult {
    Ok(p.dict_erase(a[0]).unwrap_or(Term::UNDEFINED))
}
/// `erase/0`.
pub fn erase_0(p: &mut Process, a: A) -> BifResult {
    let l = get_0(p, a)?;
    p.dict.clear();
    Ok(l)
}

/// `garbage_collect/0` (the collection happens at the next heap check).
pub fn garbage_collect_0(p: &mut Process, _a: A) -> BifResult {
    p.collect_now(true);
    Ok(Term::TRUE)
}

/// `erts_internal:garbage_collect/1` (`major` or `minor`): collects the
/// calling process.
pub fn erts_internal_garbage_collect_1(p: &mut Process, a: A) -> BifResult {
    let major = gc_type(a[0]).ok_or_else(badarg)?;
    p.collect_now(major);
    Ok(Term::TRUE)
}

/// `major` → true, `minor` → false.
fn gc_type(t: Term) -> Option<bool> {
    match t.as_atom()? {
        a if a == Atom::from_static("major") => Some(true),
        a if a == Atom::from_static("minor") => Some(false),
        _ => None,
    }
}

/// `garbage_collect/1`.
pub fn garbage_collect_1(p: &mut Process, a: A) -> BifResult {
    garbage_collect_2(p, &[a[0], Term::NIL]).map_err(|e| match e {
        // Reported as garbage_collect/1 with its own argument.
        BifErr::Exc(x) if x.reason == Term::atom(atoms::BADARG) => badarg(),
        e => e,
    })
}

/// `garbage_collect/2`: options `{type, major | minor}` and
/// `{async, ReqId}` (the result then arrives as the message
/// `{garbage_collect, ReqId, Result}` and the call returns `async`).
pub fn garbage_collect_2(p: &mut Process, a: A) -> BifResult {
    let bad_option = || {
        BifErr::Exc(Exc {
            class: Class::Error,
            reason: Term::atom(atoms::BADARG),
            extra: Extra::Cause(Term::atom(Atom::from_static("bad_option"))),
        })
    };
    let (mut major, mut req) = (true, None);
    let mut l = a[1];
    while let Some((h, t)) = l.as_cons() {
        let opt = h
            .as_tuple()
            .filter(|o| o.len() == 2)
            .ok_or_else(bad_option)?;
        match opt[0].as_atom() {
            Some(k) if k == Atom::from_static("type") => {
                // ERTS checks the type only when it collects.
                major = gc_type(opt[1]).ok_or_else(badarg)?;
            }
            Some(k) if k == Atom::from_static("async") => req = Some(opt[1]),
            _ => return Err(bad_option()),
        }
        l = t;
    }
    if l != Term::NIL {
        return Err(bad_option());
    }
    if !a[0].is_pid() {
        return Err(badarg());
    }
    let result = if a[0] == p.pid_term() {
        p.collect_now(major);
        Term::TRUE
    } else if super::erlang_proc::is_process_alive_1(p, &a[..1])? == Term::TRUE {
        eprintln!("oxbeam: garbage_collect of another process is not implemented");
        return Err(Exc::error(Term::atom(Atom::from_static("notsup"))).into());
    } else {
        Term::FALSE
    };
    match req {
        None => Ok(result),
        Some(r) => {
            let msg = p
                .heap
                .tuple(&[Term::atom(Atom::from_static("garbage_collect")), r, result]);
            p.send_self(msg);
            Ok(Term::atom(Atom::from_static("async")))
        }
    }
}

// ---------------------------------------------------------------- exceptions

/// `error/1`.
pub fn error_1(_p: &mut Process, a: A) -> BifResult {
    Err(Exc {
        class: Class::Error,
        reason: a[0],
        extra: Extra::Plain,
    }
    .into())
}
/// `error/2`.
pub fn error_2(_p: &mut Process, a: A) -> BifResult {
    Err(Exc {
        class: Class::Error,
        reason: a[0],
        extra: if a[1].is_list() {
            Extra::Args(a[1])
        } else {
            Extra::Plain
        },
    }
    .into())
}
/// `error/3`.
pub fn error_3(_p: &mut Process, a: A) -> BifResult {
    let info = a[2].iter_list().find_map(|o| match o.as_tuple() {
        Some([k, v]) if *k == Term::atom(atoms::ERROR_INFO) => Some(*v),
        _ => None,
    });
    Err(Exc {
        class: Class::Error,
        reason: a[0],
        extra: match info {
            Some(i) => Extra::ArgsInfo(a[1], i),
            None => Extra::Args(a[1]),
        },
    }
    .into())
}
/// `exit/1`.
pub fn exit_1(_p: &mut Process, a: A) -> BifResult {
    Err(Exc {
        class: Class::Exit,
        reason: a[0],
        extra: Extra::Plain,
    }
    .into())
}
/// `throw/1`.
pub fn throw_1(_p: &mut Process, a: A) -> BifResult {
    Err(Exc {
        class: Class::Throw,
        reason: a[0],
        extra: Extra::Plain,
    }
    .into())
}
/// `raise/3`.
pub fn raise_3(_p: &mut Process, a: A) -> BifResult {
    // With a bad class or stack trace, raise/3 returns `badarg`.
    let Some(class) = Class::from_term(a[0]) else {
        return Ok(Term::atom(atoms::BADARG));
    };
    if a[2].list_to_vec().is_none() {
        return Ok(Term::atom(atoms::BADARG));
    }
    Err(Exc {
        class,
        reason: a[1],
        extra: Extra::Trace(a[2]),
    }
    .into())
}

/// `halt/0`.
pub fn halt_0(_p: &mut Process, _a: A) -> BifResult {
    Err(BifErr::Halt(0))
}
/// `halt/1`.
pub fn halt_1(_p: &mut Process, a: A) -> BifResult {
    if let Some(n) = a[0].as_small() {
        if n >= 0 {
            return Err(BifErr::Halt((n & 0xff) as i32));
        }
        return Err(badarg());
    }
    if a[0] == Term::atom(Atom::from_static("abort")) {
        return Err(BifErr::Halt(134));
    }
    if let Some(s) = charlist(a[0]) {
        eprintln!("{s}");
        return Err(BifErr::Halt(1));
    }
    Err(badarg())
}
/// `halt/2`.
pub fn halt_2(p: &mut Process, a: A) -> BifResult {
    halt_1(p, &a[..1])
}

/// `apply/2`.
pub fn apply_2(_p: &mut Process, a: A) -> BifResult {
    Err(BifErr::Apply {
        module: Term::NON_VALUE,
        function: a[0],
        args: a[1],
    })
}
/// `apply/3`.
pub fn apply_3(_p: &mut Process, a: A) -> BifResult {
    Err(BifErr::Apply {
        module: a[0],
        function: a[1],
        args: a[2],
    })
}

// ---------------------------------------------------------------- output

/// `display/1`.
pub fn display_1(_p: &mut Process, a: A) -> BifResult {
    let mut v = super::display::to_bytes(a[0]);
    v.push(b'\n');
    out(&v, false);
    Ok(Term::TRUE)
}
/// `display_string/1`.
pub fn display_string_1(_p: &mut Process, a: A) -> BifResult {
    let mut v = Vec::new();
    if let Some(b) = a[0].binary_bytes() {
        v.extend_from_slice(&b);
    } else {
        let s = charlist(a[0]).ok_or_else(badarg)?;
        v.extend_from_slice(s.as_bytes());
    }
    out(&v, true);
    Ok(Term::TRUE)
}

/// `function_exported/3`.
pub fn function_exported_3(_p: &mut Process, a: A) -> BifResult {
    let (Some(m), Some(f), Some(n)) = (a[0].as_atom(), a[1].as_atom(), a[2].as_small()) else {
        return Err(badarg());
    };
    Ok(Term::bool(
        crate::code::find_export(m, f, n as u32)
            .is_some_and(|e| matches!(e.target(), crate::code::Target::Code(_))),
    ))
}

/// `is_builtin/3`.
pub fn is_builtin_3(_p: &mut Process, a: A) -> BifResult {
    let (Some(m), Some(f), Some(n)) = (a[0].as_atom(), a[1].as_atom(), a[2].as_small()) else {
        return Err(badarg());
    };
    Ok(Term::bool(super::find(m, f, n as u32).is_some()))
}

/// `make_fun/3`.
pub fn make_fun_3(p: &mut Process, a: A) -> BifResult {
    let (Some(m), Some(f), Some(n)) = (a[0].as_atom(), a[1].as_atom(), a[2].as_small()) else {
        return Err(badarg());
    };
    if !(0..=255).contains(&n) {
        return Err(badarg());
    }
    p.heap.export(m, f, n as u32).ok_or_else(badarg)
}

/// `fun_info/2`.
pub fn fun_info_2(p: &mut Process, a: A) -> BifResult {
    let item = a[1].as_atom().ok_or_else(badarg)?;
    let v = match (a[0].view(), item.as_str()) {
        (TermView::Fun(c), "arity") => Term::small_unchecked(c.arity as i64),
        (TermView::Fun(c), "module") => Term::atom(c.module),
        (TermView::Fun(c), "index") => Term::small_unchecked(c.old_index as i64),
        (TermView::Fun(c), "new_index") => Term::small_unchecked(c.index as i64),
        (TermView::Fun(c), "uniq") => Term::small_unchecked(c.old_uniq as i64),
        (TermView::Fun(c), "env") => {
            let e = c.env.to_vec();
            p.heap.list_from(&e, Term::NIL)
        }
        (TermView::Fun(_), "type") => Term::atom(atoms::LOCAL),
        (TermView::Fun(c), "pid") => c.creator,
        (TermView::Fun(c), "name") => {
            let name = crate::code::current(c.module)
                .and_then(|m| m.lambdas.get(c.index as usize).map(|l| l.name));
            name.map(Term::atom).unwrap_or(Term::UNDEFINED)
        }
        (TermView::Export { arity, .. }, "arity") => Term::small_unchecked(arity as i64),
        (TermView::Export { module, .. }, "module") => Term::atom(module),
        (TermView::Export { function, .. }, "name") => Term::atom(function),
        (TermView::Export { .. }, "type") => Term::atom(atoms::EXTERNAL),
        (TermView::Export { .. }, "env") => Term::NIL,
        (TermView::Export { .. }, "pid" | "index" | "new_index" | "uniq") => Term::UNDEFINED,
        _ => return Err(badarg()),
    };
    Ok(p.heap.tuple(&[a[1], v]))
}

/// The placeholder bound to `bif*` instructions naming BIFs that are not
/// implemented: raises `undef`.
pub fn missing_0(_p: &mut Process, _a: A) -> BifResult {
    Err(Exc {
        class: Class::Error,
        reason: Term::atom(atoms::UNDEF),
        extra: Extra::Plain,
    }
    .into())
}

/// `nif_error/1`.
pub fn nif_error_1(_p: &mut Process, a: A) -> BifResult {
    Err(Exc {
        class: Class::Error,
        reason: a[0],
        extra: Extra::Plain,
    }
    .into())
}

/// `system_flag/2` (only `backtrace_depth` so far).
pub fn system_flag_2(_p: &mut Process, a: A) -> BifResult {
    match a[0].as_atom().map(|a| a.as_str()) {
        Some("backtrace_depth") => {
            let n = a[1].as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
            let old = crate::emulator::exception::set_backtrace_depth(n.min(1 << 20) as usize);
            Ok(Term::small_unchecked(old as i64))
        }
        _ => Err(badarg()),
    }
}

/// `unique_integer/0`.
pub fn unique_integer_0(p: &mut Process, _a: A) -> BifResult {
    p.ref_counter += 1;
    Ok(Term::small_unchecked(p.ref_counter as i64))
}

/// `integer` helper for other modules: a BigInt result.
pub fn bigint_term(p: &mut Process, b: &BigInt) -> Term {
    if b.is_zero() {
        return Term::small_unchecked(0);
    }
    match b.to_i64() {
        Some(v) => p.heap.integer_from_i64(v),
        None => p.heap.integer_from_bigint(b),
    }
}

// ---------------------------------------------------------------- lists and tuples

/// `++/2`.
pub fn append_2(p: &mut Process, a: A) -> BifResult {
    if a[0].is_nil() {
        return Ok(a[1]);
    }
    let mut it = a[0].iter_list();
    let v: Vec<Term> = it.by_ref().collect();
    if !it.tail().is_nil() {
        return Err(badarg());
    }
    Ok(p.heap.list_from(&v, a[1]))
}

/// `--/2`.
pub fn subtract_2(p: &mut Process, a: A) -> BifResult {
    let mut l = a[0].list_to_vec().ok_or_else(badarg)?;
    let r = a[1].list_to_vec().ok_or_else(badarg)?;
    for x in r {
        if let Some(i) = l.iter().position(|y| eq_exact(*y, x)) {
            l.remove(i);
        }
    }
    Ok(p.heap.list_from(&l, Term::NIL))
}

/// `delete_element/2`.
pub fn delete_element_2(p: &mut Process, a: A) -> BifResult {
    let mut v = a[1].as_tuple().ok_or_else(badarg)?.to_vec();
    let i = a[0].as_small().ok_or_else(badarg)?;
    if i < 1 || i as usize > v.len() {
        return Err(badarg());
    }
    v.remove(i as usize - 1);
    Ok(p.heap.tuple(&v))
}

/// `insert_element/3`.
pub fn insert_element_3(p: &mut Process, a: A) -> BifResult {
    let mut v = a[1].as_tuple().ok_or_else(badarg)?.to_vec();
    let i = a[0].as_small().ok_or_else(badarg)?;
    if i < 1 || i as usize > v.len() + 1 {
        return Err(badarg());
    }
    v.insert(i as usize - 1, a[2]);
    Ok(p.heap.tuple(&v))
}

// ---------------------------------------------------------------- checksums

/// MD5 (RFC 1321) of `data`.
pub fn md5(data: &[u8]) -> [u8; 16] {
    super::md5::md5(data)
}

/// `md5/1`.
pub fn md5_1(p: &mut Process, a: A) -> BifResult {
    let mut v = Vec::new();
    if !iolist_bytes(a[0], &mut v) {
        return Err(badarg());
    }
    Ok(p.heap.binary(&md5(&v)))
}

/// `md5_init/0`: a fresh context (the 88-byte image of ERTS's `MD5_CTX`).
pub fn md5_init_0(p: &mut Process, _a: A) -> BifResult {
    Ok(p.heap.binary(&super::md5::Md5::new().to_bytes()))
}

/// The context in a `md5_update/2` / `md5_final/1` argument.
fn md5_context(t: Term) -> Result<super::md5::Md5, BifErr> {
    let b = t
        .as_binary()
        .filter(|b| b.bit_size % 8 == 0)
        .ok_or_else(badarg)?;
    super::md5::Md5::from_bytes(&b.to_bytes()).ok_or_else(badarg)
}

/// `md5_update/2`.
pub fn md5_update_2(p: &mut Process, a: A) -> BifResult {
    let mut ctx = md5_context(a[0])?;
    let mut v = Vec::new();
    if !iolist_bytes(a[1], &mut v) {
        return Err(badarg());
    }
    ctx.update(&v);
    Ok(p.heap.binary(&ctx.to_bytes()))
}

/// `md5_final/1`.
pub fn md5_final_1(p: &mut Process, a: A) -> BifResult {
    let ctx = md5_context(a[0])?;
    Ok(p.heap.binary(&ctx.finish()))
}

/// The `(OldChecksum, IoData)` arguments of `crc32/2` and `adler32/2`:
/// a 32-bit unsigned integer and the iodata's bytes.
fn checksum_args(a: A) -> Result<(u32, Vec<u8>), BifErr> {
    let init = a[0]
        .as_i64()
        .filter(|v| *v >= 0 && *v <= u32::MAX as i64)
        .ok_or_else(badarg)? as u32;
    let mut v = Vec::new();
    if !iolist_bytes(a[1], &mut v) {
        return Err(badarg());
    }
    Ok((init, v))
}

/// `crc32/1`.
pub fn crc32_1(p: &mut Process, a: A) -> BifResult {
    crc32_2(p, &[Term::small_unchecked(0), a[0]])
}

/// `crc32/2`.
pub fn crc32_2(p: &mut Process, a: A) -> BifResult {
    let (init, v) = checksum_args(a)?;
    let mut crc = !init;
    for b in v {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    Ok(p.heap.integer_from_u64((!crc) as u64))
}

/// `adler32/1`.
pub fn adler32_1(p: &mut Process, a: A) -> BifResult {
    adler32_2(p, &[Term::small_unchecked(1), a[0]])
}

/// `adler32/2`.
pub fn adler32_2(p: &mut Process, a: A) -> BifResult {
    let (init, v) = checksum_args(a)?;
    let (mut s1, mut s2) = (init & 0xffff, init >> 16);
    for b in v {
        s1 = (s1 + b as u32) % 65521;
        s2 = (s2 + s1) % 65521;
    }
    Ok(p.heap.integer_from_u64(((s2 << 16) | s1) as u64))
}

// ---------------------------------------------------------------- modules

/// `get_module_info/2` (`M:module_info(Item)`).
pub fn get_module_info_2(p: &mut Process, a: A) -> BifResult {
    let m = a[0].as_atom().ok_or_else(badarg)?;
    let item = a[1].as_atom().ok_or_else(badarg)?;
    let md = crate::code::current(m).ok_or_else(badarg)?;
    Ok(match item.as_str() {
        "module" => Term::atom(m),
        "exports" => {
            let v: Vec<Term> = md
                .exports
                .iter()
                .rev()
                .map(|(f, ar, _)| {
                    p.heap
                        .tuple(&[Term::atom(*f), Term::small_unchecked(*ar as i64)])
                })
                .collect();
            p.heap.list_from(&v, Term::NIL)
        }
        "functions" => {
            let v: Vec<Term> = md
                .functions
                .iter()
                .map(|f| {
                    p.heap
                        .tuple(&[Term::atom(f.name), Term::small_unchecked(f.arity as i64)])
                })
                .collect();
            p.heap.list_from(&v, Term::NIL)
        }
        "attributes" => md.attributes,
        "compile" => md.compile,
        "md5" => p.heap.binary(&md.md5),
        "nifs" => Term::NIL,
        "native" => Term::FALSE,
        _ => return Err(badarg()),
    })
}

/// `get_module_info/1` (`M:module_info()`).
pub fn get_module_info_1(p: &mut Process, a: A) -> BifResult {
    let mut v = Vec::new();
    for k in ["module", "exports", "attributes", "compile", "md5"] {
        let kt = Term::atom(Atom::from_static(k));
        let val = get_module_info_2(p, &[a[0], kt])?;
        v.push(p.heap.tuple(&[kt, val]));
    }
    Ok(p.heap.list_from(&v, Term::NIL))
}

fn parse_dotted(s: &str, prefix: &str, suffix: &str) -> Option<Vec<u64>> {
    let inner = s.strip_prefix(prefix)?.strip_suffix(suffix)?;
    inner.split('.').map(|x| x.parse().ok()).collect()
}

/// `list_to_pid/1`.
pub fn list_to_pid_1(_p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    match parse_dotted(&s, "<", ">").as_deref() {
        Some([0, n, ser]) => match (u32::try_from(*n), u32::try_from(*ser)) {
            (Ok(n), Ok(ser)) => Term::pid(n, ser).ok_or_else(badarg),
            _ => Err(badarg()),
        },
        _ => Err(badarg()),
    }
}

/// `list_to_port/1`.
pub fn list_to_port_1(_p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    match parse_dotted(&s, "#Port<", ">").as_deref() {
        Some([0, n]) => Term::port(*n).ok_or_else(badarg),
        _ => Err(badarg()),
    }
}

/// `list_to_ref/1`.
pub fn list_to_ref_1(p: &mut Process, a: A) -> BifResult {
    let s = charlist(a[0]).ok_or_else(badarg)?;
    match parse_dotted(&s, "#Ref<", ">") {
        Some(v) if v.len() >= 2 && v[0] == 0 && v.len() <= 6 => {
            let nums: Vec<u32> = v[1..]
                .iter()
                .rev()
                .map(|x| u32::try_from(*x).map_err(|_| badarg()))
                .collect::<Result<_, _>>()?;
            p.heap.local_ref(&nums).ok_or_else(badarg)
        }
        _ => Err(badarg()),
    }
}

/// `load_nif/2`: loading C NIF libraries is not supported.
pub fn load_nif_2(p: &mut Process, a: A) -> BifResult {
    let path = charlist(a[0]).ok_or_else(badarg)?;
    let msg = p.heap.charlist(&format!(
        "Failed to load NIF library {path}: 'loading C NIFs is not supported by oxbeam'"
    ));
    let inner = p
        .heap
        .tuple(&[Term::atom(Atom::from_static("load_failed")), msg]);
    Ok(p.heap.tuple(&[Term::ERROR, inner]))
}

/// `module_loaded/1`.
pub fn module_loaded_1(_p: &mut Process, a: A) -> BifResult {
    let m = a[0].as_atom().ok_or_else(badarg)?;
    Ok(Term::bool(crate::code::is_loaded(m)))
}

/// The printed form of `t` as a character list; badarg unless `ok`.
fn printed_list(p: &mut Process, t: Term, ok: bool) -> BifResult {
    if !ok {
        return Err(badarg());
    }
    let s = super::display::to_bytes(t);
    Ok(p.heap.bytelist(&s))
}

/// `pid_to_list/1`.
pub fn pid_to_list_1(p: &mut Process, a: A) -> BifResult {
    printed_list(p, a[0], a[0].is_pid())
}

/// `fun_to_list/1`.
pub fn fun_to_list_1(p: &mut Process, a: A) -> BifResult {
    printed_list(p, a[0], a[0].is_fun())
}

/// `ref_to_list/1`.
pub fn ref_to_list_1(p: &mut Process, a: A) -> BifResult {
    printed_list(p, a[0], a[0].is_ref())
}

/// `iolist_to_iovec/1`.
pub fn iolist_to_iovec_1(p: &mut Process, a: A) -> BifResult {
    let mut v = Vec::new();
    if !iolist_bytes(a[0], &mut v) {
        return Err(badarg());
    }
    if v.is_empty() {
        return Ok(Term::NIL);
    }
    let b = p.heap.binary_from_vec(v);
    Ok(p.heap.cons(b, Term::NIL))
}

fn encode_opts(opts: Term) -> Result<crate::etf::EncodeOptions, BifErr> {
    let mut o = crate::etf::EncodeOptions::default();
    for t in opts.list_to_vec().ok_or_else(badarg)? {
        match t.view() {
            TermView::Atom(a) if a.as_str() == "compressed" => o.compressed = Some(6),
            TermView::Atom(a) if a.as_str() == "deterministic" => o.deterministic = true,
            TermView::Tuple([k, v]) => match (k.as_atom().map(|a| a.as_str()), v.as_small()) {
                (Some("compressed"), Some(l)) if (0..=9).contains(&l) => {
                    o.compressed = Some(l as u32)
                }
                (Some("minor_version"), Some(m)) if (0..=2).contains(&m) => {
                    o.minor_version = m as u8
                }
                _ => return Err(badarg()),
            },
            _ => return Err(badarg()),
        }
    }
    Ok(o)
}

/// `term_to_binary/2`.
pub fn term_to_binary_2(p: &mut Process, a: A) -> BifResult {
    let o = encode_opts(a[1])?;
    let v = crate::etf::try_encode(a[0], &o).ok_or_else(system_limit)?;
    Ok(p.heap.binary_from_vec(v))
}

/// `term_to_iovec/1`.
pub fn term_to_iovec_1(p: &mut Process, a: A) -> BifResult {
    let b = term_to_binary_1(p, a)?;
    Ok(p.heap.cons(b, Term::NIL))
}

/// `term_to_iovec/2`.
pub fn term_to_iovec_2(p: &mut Process, a: A) -> BifResult {
    let b = term_to_binary_2(p, a)?;
    // As ERTS: with compression the result is the binary itself.
    if encode_opts(a[1])?.compressed.is_some_and(|l| l > 0) {
        return Ok(b);
    }
    Ok(p.heap.cons(b, Term::NIL))
}

/// `binary_to_term/2`.
pub fn binary_to_term_2(p: &mut Process, a: A) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?.to_vec();
    let mut safe = false;
    let mut used = false;
    for t in a[1].list_to_vec().ok_or_else(badarg)? {
        match t.as_atom().map(|a| a.as_str()) {
            Some("safe") => safe = true,
            Some("used") => used = true,
            _ => return Err(badarg()),
        }
    }
    let exists = |m: Atom, f: Atom, ar: u32| crate::code::find_export(m, f, ar).is_some();
    let opts = crate::etf::DecodeOptions {
        safe,
        export_exists: if safe { Some(&exists) } else { None },
    };
    let (t, n) = crate::etf::decode(&b, &mut p.heap, &opts).map_err(|_| badarg())?;
    if used {
        Ok(p.heap.tuple(&[t, Term::small_unchecked(n as i64)]))
    } else {
        Ok(t)
    }
}

/// `bump_reductions/1`.
pub fn bump_reductions_1(p: &mut Process, a: A) -> BifResult {
    let n = a[0].as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
    p.reds -= n.min(1 << 30);
    Ok(Term::TRUE)
}

/// `is_alive/0` (distribution is not started).
pub fn is_alive_0(_p: &mut Process, _a: A) -> BifResult {
    Ok(Term::FALSE)
}
