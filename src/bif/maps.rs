//! Map helpers for the interpreter and the `maps` BIFs (over
//! [`crate::term::map`]).

use super::{badarg, BifResult, Exc};
use crate::atom::{atoms, Atom};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::map::{self, Duplicates};
use crate::term::Term;

/// Builds a map from pairs (last duplicate wins).
pub fn build_map<B: HeapBuilder + ?Sized>(b: &mut B, pairs: Vec<(Term, Term)>) -> Option<Term> {
    map::from_pairs(b, &pairs, Duplicates::LastWins)
}

/// `map[key]`.
#[inline]
pub fn get(m: Term, key: Term) -> Option<Term> {
    map::get(m, key)
}

/// `map#{k => v, ...}`.
pub fn put_all<B: HeapBuilder + ?Sized>(b: &mut B, m: Term, kv: &[(Term, Term)]) -> Option<Term> {
    if kv.is_empty() {
        return Some(m);
    }
    let mut pairs = map::to_pairs(m);
    pairs.extend_from_slice(kv);
    map::from_pairs(b, &pairs, Duplicates::LastWins)
}

fn badmap(p: &mut Process, m: Term) -> super::BifErr {
    let r = p.heap.tuple(&[Term::atom(atoms::BADMAP), m]);
    Exc::error(r).into()
}

/// `maps:get/2`.
pub fn get_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    match get(a[1], a[0]) {
        Some(v) => Ok(v),
        None => {
            let r = p.heap.tuple(&[Term::atom(atoms::BADKEY), a[0]]);
            Err(Exc::error(r).into())
        }
    }
}

/// `maps:find/2`.
pub fn find_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    Ok(match get(a[1], a[0]) {
        Some(v) => p.heap.tuple(&[Term::OK, v]),
        None => Term::atom(Atom::from_static("error")),
    })
}

/// `maps:is_key/2`.
pub fn is_key_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    Ok(Term::bool(get(a[1], a[0]).is_some()))
}

/// `maps:put/3`.
pub fn put_3(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[2].is_map() {
        return Err(badmap(p, a[2]));
    }
    put_all_fast(&mut p.heap, a[2], &[(a[0], a[1])]).ok_or_else(badarg)
}

/// `maps:remove/2`.
pub fn remove_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    if get(a[1], a[0]).is_none() {
        return Ok(a[1]);
    }
    if a[1]
        .map_size()
        .is_some_and(|n| n > crate::term::MAP_SMALL_MAP_LIMIT + 1)
    {
        if let Some(Del::Replaced(m)) = hamt_del(&mut p.heap, a[1], a[0], 0) {
            return Ok(m);
        }
    }
    let pairs: Vec<(Term, Term)> = map::to_pairs(a[1])
        .into_iter()
        .filter(|(k, _)| !crate::emulator::compare::eq_exact(*k, a[0]))
        .collect();
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `maps:to_list/1`.
pub fn to_list_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let pairs = map::to_pairs(a[0]);
    let v: Vec<Term> = pairs.iter().map(|(k, v)| p.heap.tuple(&[*k, *v])).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:keys/1`.
pub fn keys_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let v: Vec<Term> = map::to_pairs(a[0]).iter().map(|kv| kv.0).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:values/1`.
pub fn values_1(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    let v: Vec<Term> = map::to_pairs(a[0]).iter().map(|kv| kv.1).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `maps:from_list/1`.
pub fn from_list_1(p: &mut Process, a: &[Term]) -> BifResult {
    let l = a[0].list_to_vec().ok_or_else(badarg)?;
    let mut pairs = Vec::with_capacity(l.len());
    for e in l {
        match e.as_tuple() {
            Some([k, v]) => pairs.push((*k, *v)),
            _ => return Err(badarg()),
        }
    }
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `maps:merge/2`.
pub fn merge_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_map() {
        return Err(badmap(p, a[0]));
    }
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    let kv = map::to_pairs(a[1]);
    put_all(&mut p.heap, a[0], &kv).ok_or_else(badarg)
}

/// `maps:new/0`.
pub fn new_0(p: &mut Process, _a: &[Term]) -> BifResult {
    build_map(&mut p.heap, Vec::new()).ok_or_else(badarg)
}

/// `map_size/1`.
pub fn map_size_1(p: &mut Process, a: &[Term]) -> BifResult {
    match a[0].map_size() {
        Some(n) => Ok(Term::small_unchecked(n as i64)),
        None => Err(badmap(p, a[0])),
    }
}

/// `is_map_key/2`.
pub fn is_map_key_2(p: &mut Process, a: &[Term]) -> BifResult {
    is_key_2(p, a)
}

/// `map_get/2`.
pub fn map_get_2(p: &mut Process, a: &[Term]) -> BifResult {
    get_2(p, a)
}

/// `maps:take/2`.
pub fn take_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(badmap(p, a[1]));
    }
    match get(a[1], a[0]) {
        None => Ok(Term::atom(Atom::from_static("error"))),
        Some(v) => {
            let m = remove_2(p, a)?;
            Ok(p.heap.tuple(&[v, m]))
        }
    }
}

/// `maps:from_keys/2`.
pub fn from_keys_2(p: &mut Process, a: &[Term]) -> BifResult {
    let l = a[0].list_to_vec().ok_or_else(badarg)?;
    let pairs = l.into_iter().map(|k| (k, a[1])).collect();
    build_map(&mut p.heap, pairs).ok_or_else(badarg)
}

/// `erts_internal:map_next/3`: this implementation returns the whole
/// rest at once (storage order for iterators; the `list` form conses in
/// storage order, giving `maps:to_list/1`'s order).
pub fn map_next_3(p: &mut Process, a: &[Term]) -> BifResult {
    let (path, m, kind) = (a[0], a[1], a[2]);
    if !m.is_map() {
        return Err(badarg());
    }
    let start = path.as_small().filter(|s| *s >= 0).ok_or_else(badarg)? as usize;
    let leaves = map::hamt_leaves(m);
    if kind == Term::atom(Atom::from_static("iterator")) {
        let mut res = Term::atom(Atom::from_static("none"));
        for (k, v) in leaves.iter().skip(start).rev() {
            res = p.heap.tuple(&[*k, *v, res]);
        }
        Ok(res)
    } else if kind.is_list() {
        let mut res = kind;
        let flat = matches!(m.as_map(), Some(crate::term::MapView::Flat { .. }));
        if flat {
            for (k, v) in leaves.iter().skip(start).rev() {
                let t = p.heap.tuple(&[*k, *v]);
                res = p.heap.cons(t, res);
            }
        } else {
            for (k, v) in leaves.iter().skip(start) {
                let t = p.heap.tuple(&[*k, *v]);
                res = p.heap.cons(t, res);
            }
        }
        Ok(res)
    } else {
        Err(badarg())
    }
}

/// `maps:update/3`.
pub fn update_3(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[2].is_map() {
        return Err(badmap(p, a[2]));
    }
    if get(a[2], a[0]).is_none() {
        let r = p.heap.tuple(&[Term::atom(atoms::BADKEY), a[0]]);
        return Err(Exc::error(r).into());
    }
    put_all_fast(&mut p.heap, a[2], &[(a[0], a[1])]).ok_or_else(badarg)
}

/// The 4-bit slot of `key` at HAMT level `lvl` (as `hamt_get` walks).
fn nibble(key: Term, lvl: u32) -> u16 {
    ((crate::term::hash::map_hash(key, lvl / 8) >> (4 * (lvl % 8))) & 0xf) as u16
}

/// A node (below `lvl - 1`) holding two leaves with different keys.
fn two_leaves<B: HeapBuilder + ?Sized>(
    b: &mut B,
    l1: (Term, Term),
    l2: (Term, Term),
    lvl: u32,
) -> Option<Term> {
    let n1 = nibble(l1.0, lvl);
    let n2 = nibble(l2.0, lvl);
    if lvl > 8 * 64 {
        return None;
    }
    if n1 == n2 {
        let sub = two_leaves(b, l1, l2, lvl + 1)?;
        return b.hamt_node(1 << n1, &[sub]);
    }
    let c1 = b.cons(l1.0, l1.1);
    let c2 = b.cons(l2.0, l2.1);
    let (first, second) = if n1 < n2 { (c1, c2) } else { (c2, c1) };
    b.hamt_node((1 << n1) | (1 << n2), &[first, second])
}

/// Persistent insert into a HAMT node at level `lvl`: the new node and
/// whether the map grew.
fn hamt_put<B: HeapBuilder + ?Sized>(
    b: &mut B,
    node: Term,
    key: Term,
    val: Term,
    lvl: u32,
) -> Option<(Term, bool)> {
    let (head_size, bitmap, children) = match node.as_map()? {
        crate::term::MapView::HeadArray { size, children } => {
            (Some(size), 0xffffu16, children.to_vec())
        }
        crate::term::MapView::HeadBitmap {
            size,
            bitmap,
            children,
        } => (Some(size), bitmap, children.to_vec()),
        crate::term::MapView::Node { bitmap, children } => (None, bitmap, children.to_vec()),
        crate::term::MapView::Flat { .. } => return None,
    };
    let ix = nibble(key, lvl);
    let bp = 1u16 << ix;
    let pos = (bitmap & bp.wrapping_sub(1)).count_ones() as usize;
    let mut children = children;
    let mut bitmap = bitmap;
    let grew;
    if bitmap & bp == 0 {
        let leaf = b.cons(key, val);
        children.insert(pos, leaf);
        bitmap |= bp;
        grew = true;
    } else {
        let child = *children.get(pos)?;
        if let Some((k, v)) = child.as_cons() {
            if crate::emulator::compare::eq_exact(k, key) {
                if v == val {
                    return Some((node, false));
                }
                children[pos] = b.cons(k, val);
                grew = false;
            } else {
                children[pos] = two_leaves(b, (k, v), (key, val), lvl + 1)?;
                grew = true;
            }
        } else {
            let (nc, g) = hamt_put(b, child, key, val, lvl + 1)?;
            children[pos] = nc;
            grew = g;
        }
    }
    let t = match head_size {
        Some(size) => b.hamt_head(size + grew as usize, bitmap, &children)?,
        None => b.hamt_node(bitmap, &children)?,
    };
    Some((t, grew))
}

/// `map#{k => v, ...}` with HAMT inserts done in place of a rebuild.
pub fn put_all_fast<B: HeapBuilder + ?Sized>(
    b: &mut B,
    m: Term,
    kv: &[(Term, Term)],
) -> Option<Term> {
    if !matches!(
        m.as_map(),
        Some(crate::term::MapView::HeadArray { .. } | crate::term::MapView::HeadBitmap { .. })
    ) {
        return put_all(b, m, kv);
    }
    let mut cur = m;
    for &(k, v) in kv {
        cur = hamt_put(b, cur, k, v, 0)?.0;
    }
    Some(cur)
}

enum Del {
    NotFound,
    Replaced(Term),
    Removed,
}

/// Persistent delete below the head (collapsing single-leaf nodes as
/// ERTS's `hashmap_delete`).
fn hamt_del<B: HeapBuilder + ?Sized>(b: &mut B, node: Term, key: Term, lvl: u32) -> Option<Del> {
    let (is_head, size, bitmap, children) = match node.as_map()? {
        crate::term::MapView::HeadArray { size, children } => {
            (true, size, 0xffffu16, children.to_vec())
        }
        crate::term::MapView::HeadBitmap {
            size,
            bitmap,
            children,
        } => (true, size, bitmap, children.to_vec()),
        crate::term::MapView::Node { bitmap, children } => (false, 0, bitmap, children.to_vec()),
        crate::term::MapView::Flat { .. } => return None,
    };
    let ix = nibble(key, lvl);
    let bp = 1u16 << ix;
    if bitmap & bp == 0 {
        return Some(Del::NotFound);
    }
    let pos = (bitmap & bp.wrapping_sub(1)).count_ones() as usize;
    let mut children = children;
    let mut bitmap = bitmap;
    let child = *children.get(pos)?;
    if let Some((k, _)) = child.as_cons() {
        if !crate::emulator::compare::eq_exact(k, key) {
            return Some(Del::NotFound);
        }
        children.remove(pos);
        bitmap &= !bp;
    } else {
        match hamt_del(b, child, key, lvl + 1)? {
            Del::NotFound => return Some(Del::NotFound),
            Del::Replaced(t) => children[pos] = t,
            Del::Removed => {
                children.remove(pos);
                bitmap &= !bp;
            }
        }
    }
    if is_head {
        return Some(Del::Replaced(b.hamt_head(size - 1, bitmap, &children)?));
    }
    if children.is_empty() {
        return Some(Del::Removed);
    }
    if children.len() == 1 && children[0].is_cons() {
        return Some(Del::Replaced(children[0]));
    }
    Some(Del::Replaced(b.hamt_node(bitmap, &children)?))
}
