//! BIFs of module `os`.

use super::{badarg, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

fn s(t: Term) -> Result<String, super::BifErr> {
    super::erlang::charlist(t).ok_or_else(badarg)
}

/// `os:getenv/1`.
pub fn getenv_1(p: &mut Process, a: &[Term]) -> BifResult {
    let k = s(a[0])?;
    Ok(match std::env::var(&k) {
        Ok(v) => p.heap.charlist(&v),
        Err(_) => Term::FALSE,
    })
}

/// `os:getenv/0`.
pub fn getenv_0(p: &mut Process, _a: &[Term]) -> BifResult {
    let v: Vec<Term> = std::env::vars()
        .map(|(k, v)| p.heap.charlist(&format!("{k}={v}")))
        .collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `os:putenv/2`.
pub fn putenv_2(_p: &mut Process, a: &[Term]) -> BifResult {
    let k = s(a[0])?;
    let v = s(a[1])?;
    if k.is_empty() || k.contains('=') {
        return Err(badarg());
    }
    std::env::set_var(k, v);
    Ok(Term::TRUE)
}

/// `os:unsetenv/1`.
pub fn unsetenv_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let k = s(a[0])?;
    std::env::remove_var(k);
    Ok(Term::TRUE)
}

/// `os:getpid/0`.
pub fn getpid_0(p: &mut Process, _a: &[Term]) -> BifResult {
    Ok(p.heap.charlist(&std::process::id().to_string()))
}

fn now() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// `os:system_time/0` (native unit: nanoseconds... ERTS uses 1e9 on Linux).
pub fn system_time_0(p: &mut Process, _a: &[Term]) -> BifResult {
    Ok(p.heap.integer_from_i128(now().as_nanos() as i128))
}

/// `os:timestamp/0`.
pub fn timestamp_0(p: &mut Process, _a: &[Term]) -> BifResult {
    let d = now();
    let us = d.as_micros();
    let mega = (us / 1_000_000_000_000) as i64;
    let sec = ((us / 1_000_000) % 1_000_000) as i64;
    let micro = (us % 1_000_000) as i64;
    Ok(p.heap.tuple(&[
        Term::small_unchecked(mega),
        Term::small_unchecked(sec),
        Term::small_unchecked(micro),
    ]))
}

/// `os:perf_counter/0`.
pub fn perf_counter_0(p: &mut Process, _a: &[Term]) -> BifResult {
    system_time_0(p, &[])
}
