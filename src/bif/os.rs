//! BIFs of module `os`.

use super::{badarg, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;
use std::collections::BTreeMap;

fn s(t: Term) -> Result<String, super::BifErr> {
    super::erlang::charlist(t).ok_or_else(badarg)
}

/// The VM's copy of the OS environment, as ERTS keeps one
/// (`erts_osenv`): taken from the process environment at first use and
/// changed by `putenv`/`unsetenv` only (never the real environment, which
/// is not safe to change from a running multi-threaded program).
static ENV: once_cell::sync::Lazy<parking_lot::Mutex<BTreeMap<String, String>>> =
    once_cell::sync::Lazy::new(|| {
        parking_lot::Mutex::new(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    });

/// A variable name or value: a flat character list without NUL
/// (`convert_value_to_native`); names must not contain `=` either.
fn env_text(t: Term, key: bool) -> Result<String, super::BifErr> {
    let v = s(t)?;
    if v.contains('\0') || (key && v.contains('=')) {
        return Err(badarg());
    }
    Ok(v)
}

/// `os:getenv/1`.
pub fn getenv_1(p: &mut Process, a: &[Term]) -> BifResult {
    let k = env_text(a[0], true)?;
    let v = ENV.lock().get(&k).cloned();
    Ok(match v {
        Some(v) => p.heap.charlist(&v),
        None => Term::FALSE,
    })
}

/// `os:getenv/0`.
pub fn getenv_0(p: &mut Process, _a: &[Term]) -> BifResult {
    let vars: Vec<String> = ENV.lock().iter().map(|(k, v)| format!("{k}={v}")).collect();
    let v: Vec<Term> = vars.iter().map(|kv| p.heap.charlist(kv)).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `os:putenv/2`.
pub fn putenv_2(_p: &mut Process, a: &[Term]) -> BifResult {
    let k = env_text(a[0], true)?;
    let v = env_text(a[1], false)?;
    ENV.lock().insert(k, v);
    Ok(Term::TRUE)
}

/// `os:unsetenv/1`.
pub fn unsetenv_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let k = env_text(a[0], true)?;
    ENV.lock().remove(&k);
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
