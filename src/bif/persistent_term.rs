//! BIFs of module `persistent_term`: a global table; stored terms are
//! copied into heap fragments that are never freed (as ERTS delays freeing
//! until no process can reference them, this is conservative).

use super::{badarg, BifResult, Exc};
use crate::atom::atoms;
use crate::heap::{HeapBuilder, HeapFragment};
use crate::process::Process;
use crate::term::Term;

struct Table {
    entries: Vec<(Term, Term)>,
    frags: Vec<HeapFragment>,
}

// SAFETY-free: terms in the table point into fragments owned by the table
// (or are immediates); the table is only accessed under the mutex.
unsafe impl Send for Table {}

static TABLE: parking_lot::Mutex<Table> = parking_lot::Mutex::new(Table {
    entries: Vec::new(),
    frags: Vec::new(),
});

fn find(t: &Table, key: Term) -> Option<usize> {
    t.entries
        .iter()
        .position(|(k, _)| crate::emulator::compare::eq_exact(*k, key))
}

/// `persistent_term:put/2`.
pub fn put_2(_p: &mut Process, a: &[Term]) -> BifResult {
    let mut t = TABLE.lock();
    let mut frag = HeapFragment::new();
    let k = frag.copy_term(a[0]);
    let v = frag.copy_term(a[1]);
    t.frags.push(frag);
    match find(&t, a[0]) {
        Some(i) => t.entries[i] = (k, v),
        None => t.entries.push((k, v)),
    }
    Ok(Term::OK)
}

/// `persistent_term:get/1`.
pub fn get_1(p: &mut Process, a: &[Term]) -> BifResult {
    let t = TABLE.lock();
    match find(&t, a[0]) {
        Some(i) => Ok(t.entries[i].1),
        None => {
            drop(t);
            let r = p.heap.tuple(&[Term::atom(atoms::BADARG), a[0]]);
            let _ = r;
            Err(Exc::error(Term::atom(atoms::BADARG)).into())
        }
    }
}

/// `persistent_term:get/2`.
pub fn get_2(_p: &mut Process, a: &[Term]) -> BifResult {
    let t = TABLE.lock();
    Ok(find(&t, a[0]).map_or(a[1], |i| t.entries[i].1))
}

/// `persistent_term:erase/1`.
pub fn erase_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let mut t = TABLE.lock();
    match find(&t, a[0]) {
        Some(i) => {
            t.entries.remove(i);
            Ok(Term::TRUE)
        }
        None => Ok(Term::FALSE),
    }
}

/// `persistent_term:get/0`.
pub fn get_0(p: &mut Process, _a: &[Term]) -> BifResult {
    let pairs: Vec<(Term, Term)> = TABLE.lock().entries.clone();
    let v: Vec<Term> = pairs.iter().map(|(k, v)| p.heap.tuple(&[*k, *v])).collect();
    let _ = badarg;
    Ok(p.heap.list_from(&v, Term::NIL))
}
