//! BIFs of module `persistent_term`: a global table; stored terms are
//! copied into literal areas (as ERTS stores persistent terms as literals)
//! that are never freed (ERTS delays freeing until no process can
//! reference them; keeping them is conservative). Being registered literal
//! areas, they are recognised by the GC (never copied) and by the heap
//! verifier when `get` hands them to a process.

use super::{BifResult, Exc};
use crate::atom::atoms;
use crate::heap::{HeapBuilder, HeapFragment, LiteralArea};
use crate::process::Process;
use crate::term::Term;

struct Table {
    entries: Vec<(Term, Term)>,
    areas: Vec<LiteralArea>,
}

// SAFETY-free: terms in the table point into fragments owned by the table
// (or are immediates); the table is only accessed under the mutex.
unsafe impl Send for Table {}

static TABLE: parking_lot::Mutex<Table> = parking_lot::Mutex::new(Table {
    entries: Vec::new(),
    areas: Vec::new(),
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
    t.areas.push(LiteralArea::new(frag));
    match find(&t, a[0]) {
        Some(i) => t.entries[i] = (k, v),
        None => t.entries.push((k, v)),
    }
    Ok(Term::OK)
}

/// `persistent_term:get/1`.
pub fn get_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let t = TABLE.lock();
    match find(&t, a[0]) {
        Some(i) => Ok(t.entries[i].1),
        None => Err(Exc::error(Term::atom(atoms::BADARG)).into()),
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
    Ok(p.heap.list_from(&v, Term::NIL))
}
