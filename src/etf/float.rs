//! The old `FLOAT_EXT` text representation: 31 bytes holding C's
//! `"%.20e"` rendering of the double, zero padded (ERTS
//! `sys_double_to_chars`), and its parser (`sys_chars_to_double`).

/// Formats `f` as ERTS does for `FLOAT_EXT`: `printf("%.20e")`, NUL padded
/// to 31 bytes.
pub fn format_float_ext(f: f64) -> [u8; 31] {
    // Rust's `{:.20e}` produces the same correctly rounded digits as glibc;
    // only the exponent differs ("e0" vs "e+00").
    let s = format!("{f:.20e}");
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    let mut out = [0u8; 31];
    let mut text = String::with_capacity(31);
    text.push_str(mant);
    text.push('e');
    text.push(sign);
    if digits.len() < 2 {
        text.push('0');
    }
    text.push_str(digits);
    let n = text.len().min(31);
    out[..n].copy_from_slice(&text.as_bytes()[..n]);
    out
}

/// Parses a `FLOAT_EXT` payload (31 bytes, NUL terminated text). Accepts
/// what ERTS's `sys_chars_to_double` accepts: `[+-]D+[.,]D+([eE][+-]D+)?`.
/// Returns `None` for bad syntax or overflow (underflow gives 0.0).
pub fn parse_float_ext(buf: &[u8]) -> Option<f64> {
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let s = &buf[..end];
    let mut i = 0;
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > st
    };
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        i += 1;
    }
    if !digits(&mut i) {
        return None;
    }
    if i >= s.len() || (s[i] != b'.' && s[i] != b',') {
        return None;
    }
    let dp = i;
    i += 1;
    if !digits(&mut i) {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    let mut text = s.to_vec();
    text[dp] = b'.';
    let text = std::str::from_utf8(&text).ok()?;
    let f: f64 = text.parse().ok()?;
    if f.is_finite() {
        Some(f)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: f64) -> String {
        let b = format_float_ext(f);
        let n = b.iter().position(|&c| c == 0).unwrap_or(31);
        String::from_utf8(b[..n].to_vec()).unwrap()
    }

    #[test]
    fn formats_like_printf() {
        // term_to_binary(F, [{minor_version, 0}]) on stock ERTS.
        assert_eq!(text(1.5), "1.50000000000000000000e+00");
        assert_eq!(text(0.1), "1.00000000000000005551e-01");
        assert_eq!(text(1.7976931348623157e308), "1.79769313486231570815e+308");
        assert_eq!(text(2f64.powi(-31)), "4.65661287307739257812e-10");
        assert_eq!(text(-1.0e-310), "-9.99999999999996944933e-311");
    }

    #[test]
    fn parses() {
        assert_eq!(parse_float_ext(b"1.5e+00\0\0"), Some(1.5));
        assert_eq!(parse_float_ext(b"1,5"), Some(1.5));
        assert_eq!(parse_float_ext(b"-2.0"), Some(-2.0));
        assert_eq!(parse_float_ext(b"1.0e-400"), Some(0.0));
        assert_eq!(parse_float_ext(b"1.0e400"), None);
        assert_eq!(parse_float_ext(b"1e5"), None);
        assert_eq!(parse_float_ext(b".5"), None);
        assert_eq!(parse_float_ext(b"1.5x"), None);
        assert_eq!(parse_float_ext(b""), None);
    }
}
