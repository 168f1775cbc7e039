//! BIFs of module `binary`.

use super::{badarg, BifResult};
use crate::heap::HeapBuilder;
use crate::process::Process;
use crate::term::Term;

/// `binary:copy/1`.
pub fn copy_1(p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?.to_vec();
    Ok(p.heap.binary_from_vec(b))
}

/// `binary:copy/2`.
pub fn copy_2(p: &mut Process, a: &[Term]) -> BifResult {
    use num_traits::ToPrimitive;
    // As ERTS `do_binary_copy`: any bitstring, then a count that fits a
    // machine word (`term_to_Uint`), then 0 copies give <<>> even for a
    // bitstring; otherwise the bitstring must be a binary.
    if a[0].as_binary().is_none() {
        return Err(badarg());
    }
    let n = a[1]
        .to_bigint()
        .and_then(|n| n.to_u64())
        .ok_or_else(badarg)?;
    if n == 0 {
        return Ok(p.heap.binary(&[]));
    }
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    // ERTS would try to allocate `size * n` bytes (and abort the VM when
    // that fails); oxbeam caps BIF-built binaries at MAX_BIF_BINARY bytes
    // and raises system_limit instead.
    if (b.len() as u64).saturating_mul(n) > super::MAX_BIF_BINARY as u64 {
        return Err(super::system_limit());
    }
    let v = b.repeat(n as usize);
    Ok(p.heap.binary_from_vec(v))
}

use crate::atom::Atom;
use crate::term::TermView;

fn bytes(t: Term) -> Result<Vec<u8>, super::BifErr> {
    t.binary_bytes().map(|b| b.to_vec()).ok_or_else(badarg)
}

/// `binary:at/2`.
pub fn at_2(_p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    let i = a[1].as_small().filter(|i| *i >= 0).ok_or_else(badarg)? as usize;
    b.get(i)
        .map(|c| Term::small_unchecked(*c as i64))
        .ok_or_else(badarg)
}

/// `binary:first/1`.
pub fn first_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    b.first()
        .map(|c| Term::small_unchecked(*c as i64))
        .ok_or_else(badarg)
}

/// `binary:last/1`.
pub fn last_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].binary_bytes().ok_or_else(badarg)?;
    b.last()
        .map(|c| Term::small_unchecked(*c as i64))
        .ok_or_else(badarg)
}

/// `binary:part/3`.
pub fn part_3(p: &mut Process, a: &[Term]) -> BifResult {
    super::erlang::binary_part_3(p, a)
}

/// `binary:part/2`.
pub fn part_2(p: &mut Process, a: &[Term]) -> BifResult {
    super::erlang::binary_part_2(p, a)
}

/// `binary:list_to_bin/1`.
pub fn list_to_bin_1(p: &mut Process, a: &[Term]) -> BifResult {
    super::erlang::list_to_binary_1(p, a)
}

/// `binary:referenced_byte_size/1`.
pub fn referenced_byte_size_1(_p: &mut Process, a: &[Term]) -> BifResult {
    let b = a[0].as_binary().ok_or_else(badarg)?;
    let n = b.orig.as_binary().map_or(b.byte_size(), |o| o.byte_size());
    Ok(Term::small_unchecked(n as i64))
}

fn endian_little(t: Term) -> Result<bool, super::BifErr> {
    match t.as_atom().map(|a| a.as_str()) {
        Some("big") => Ok(false),
        Some("little") => Ok(true),
        _ => Err(badarg()),
    }
}

/// `binary:decode_unsigned/1`.
pub fn decode_unsigned_1(p: &mut Process, a: &[Term]) -> BifResult {
    decode_unsigned_2(p, &[a[0], Term::atom(Atom::from_static("big"))])
}

/// `binary:decode_unsigned/2`.
pub fn decode_unsigned_2(p: &mut Process, a: &[Term]) -> BifResult {
    let b = bytes(a[0])?;
    let v = if endian_little(a[1])? {
        num_bigint::BigInt::from_bytes_le(num_bigint::Sign::Plus, &b)
    } else {
        num_bigint::BigInt::from_bytes_be(num_bigint::Sign::Plus, &b)
    };
    Ok(p.heap.integer_from_bigint(&v))
}

/// `binary:encode_unsigned/1`.
pub fn encode_unsigned_1(p: &mut Process, a: &[Term]) -> BifResult {
    encode_unsigned_2(p, &[a[0], Term::atom(Atom::from_static("big"))])
}

/// `binary:encode_unsigned/2`.
pub fn encode_unsigned_2(p: &mut Process, a: &[Term]) -> BifResult {
    if !a[0].is_integer() {
        return Err(badarg());
    }
    let v = a[0].to_bigint().ok_or_else(badarg)?;
    if v.sign() == num_bigint::Sign::Minus {
        return Err(badarg());
    }
    let le = endian_little(a[1])?;
    let b = if le {
        v.to_bytes_le().1
    } else {
        v.to_bytes_be().1
    };
    Ok(p.heap.binary_from_vec(b))
}

/// `binary:longest_common_prefix/1`.
pub fn longest_common_prefix_1(_p: &mut Process, a: &[Term]) -> BifResult {
    longest_common(a[0], false)
}

/// `binary:longest_common_suffix/1`.
pub fn longest_common_suffix_1(_p: &mut Process, a: &[Term]) -> BifResult {
    longest_common(a[0], true)
}

/// Length of the longest common prefix (or suffix, `from_end`) of a
/// non-empty list of binaries.
fn longest_common(list: Term, from_end: bool) -> BifResult {
    let l = list.list_to_vec().ok_or_else(badarg)?;
    let bs: Vec<Vec<u8>> = l.into_iter().map(bytes).collect::<Result<_, _>>()?;
    let Some((first, rest)) = bs.split_first() else {
        return Err(badarg());
    };
    let mut n = first.len();
    for b in rest {
        let same = if from_end {
            first
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        } else {
            first.iter().zip(b).take_while(|(x, y)| x == y).count()
        };
        n = n.min(same);
    }
    Ok(Term::small_unchecked(n as i64))
}

/// Patterns of a match: a binary, a list of binaries or a compiled
/// pattern (`{bm | ac, Patterns}` as made by [`compile_pattern_1`]).
fn patterns(t: Term) -> Result<Vec<Vec<u8>>, super::BifErr> {
    if let Some(b) = t.binary_bytes() {
        if b.is_empty() {
            return Err(badarg());
        }
        return Ok(vec![b.to_vec()]);
    }
    if let Some([tag, l]) = t.as_tuple() {
        let v = l.list_to_vec().ok_or_else(badarg)?;
        let ok = match tag.as_atom().map(|a| a.as_str()) {
            Some("bm") => v.len() == 1,
            Some("ac") => v.len() > 1,
            _ => false,
        };
        if !ok || !v.iter().all(|b| b.is_binary()) {
            return Err(badarg());
        }
        return patterns(*l);
    }
    let l = t.list_to_vec().ok_or_else(badarg)?;
    if l.is_empty() {
        return Err(badarg());
    }
    let v: Vec<Vec<u8>> = l.into_iter().map(bytes).collect::<Result<_, _>>()?;
    if v.iter().any(|b| b.is_empty()) {
        return Err(badarg());
    }
    Ok(v)
}

/// `binary:compile_pattern/1`: `{bm, [P]}` for one pattern, `{ac, Ps}` for
/// several (ERTS's tags; its second element is an opaque magic reference,
/// here the pattern list).
pub fn compile_pattern_1(p: &mut Process, a: &[Term]) -> BifResult {
    let ps = patterns(a[0])?;
    let tag = if ps.len() == 1 { "bm" } else { "ac" };
    let bins: Vec<Term> = ps.iter().map(|b| p.heap.binary(b)).collect();
    let l = p.heap.list_from(&bins, Term::NIL);
    Ok(p.heap.tuple(&[Term::atom(Atom::from_static(tag)), l]))
}

/// Leftmost-longest match of any pattern in `hay[from..to]`.
fn find(hay: &[u8], pats: &[Vec<u8>], from: usize, to: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < to {
        let mut best: Option<usize> = None;
        for pt in pats {
            if i + pt.len() <= to
                && &hay[i..i + pt.len()] == pt.as_slice()
                && best.map_or(true, |b| pt.len() > b)
            {
                best = Some(pt.len());
            }
        }
        if let Some(l) = best {
            return Some((i, l));
        }
        i += 1;
    }
    None
}

struct Opts {
    from: usize,
    to: usize,
    global: bool,
    trim: bool,
    trim_all: bool,
}

/// `{scope, {Pos, Len}}` (ERTS `parse_match_opts_list`): `(from, to)`.
fn scope(v: Term, size: usize) -> Result<(usize, usize), super::BifErr> {
    use num_traits::ToPrimitive;
    let [s, l] = v
        .as_tuple()
        .and_then(|t| <[Term; 2]>::try_from(t).ok())
        .ok_or_else(badarg)?;
    let s = s.to_bigint().and_then(|x| x.to_u64()).ok_or_else(badarg)? as i128;
    let l = l.to_bigint().and_then(|x| x.to_i64()).ok_or_else(badarg)? as i128;
    let (s, l) = if l < 0 { (s + l, -l) } else { (s, l) };
    if s < 0 || s + l > size as i128 {
        return Err(badarg());
    }
    Ok((s as usize, (s + l) as usize))
}

/// Options of `match/3`, `matches/3` (`scope` only) or, with `split`, of
/// `split/3` (also `global`, `trim`, `trim_all`). As ERTS, the list is
/// read while it has cells (an improper tail is ignored); anything else
/// but `[]` is badarg.
fn opts(t: Term, size: usize, split: bool) -> Result<Opts, super::BifErr> {
    let mut o = Opts {
        from: 0,
        to: size,
        global: false,
        trim: false,
        trim_all: false,
    };
    if t.is_nil() {
        return Ok(o);
    }
    if !t.is_cons() {
        return Err(badarg());
    }
    let mut l = t;
    while let Some((e, tl)) = l.as_cons() {
        l = tl;
        match e.view() {
            TermView::Atom(a) if split && a.as_str() == "global" => o.global = true,
            TermView::Atom(a) if split && a.as_str() == "trim" => o.trim = true,
            TermView::Atom(a) if split && a.as_str() == "trim_all" => o.trim_all = true,
            TermView::Tuple([k, v]) if k.as_atom().is_some_and(|a| a.as_str() == "scope") => {
                (o.from, o.to) = scope(*v, size)?;
            }
            _ => return Err(badarg()),
        }
    }
    Ok(o)
}

fn pos_tuple(p: &mut Process, (s, l): (usize, usize)) -> Term {
    p.heap.tuple(&[
        Term::small_unchecked(s as i64),
        Term::small_unchecked(l as i64),
    ])
}

/// `binary:match/3`.
pub fn match_3(p: &mut Process, a: &[Term]) -> BifResult {
    let hay = bytes(a[0])?;
    let o = opts(a[2], hay.len(), false)?;
    // An empty scope finds nothing; the pattern is not even looked at.
    if o.to == 0 {
        return Ok(Term::atom(Atom::from_static("nomatch")));
    }
    let pats = patterns(a[1])?;
    Ok(match find(&hay, &pats, o.from, o.to) {
        Some(m) => pos_tuple(p, m),
        None => Term::atom(Atom::from_static("nomatch")),
    })
}

/// `binary:match/2`.
pub fn match_2(p: &mut Process, a: &[Term]) -> BifResult {
    match_3(p, &[a[0], a[1], Term::NIL])
}

fn all_matches(hay: &[u8], pats: &[Vec<u8>], o: &Opts) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut i = o.from;
    while let Some((s, l)) = find(hay, pats, i, o.to) {
        v.push((s, l));
        i = s + l;
    }
    v
}

/// `binary:matches/3`.
pub fn matches_3(p: &mut Process, a: &[Term]) -> BifResult {
    let hay = bytes(a[0])?;
    let o = opts(a[2], hay.len(), false)?;
    if o.to == 0 {
        return Ok(Term::NIL);
    }
    let pats = patterns(a[1])?;
    let ms = all_matches(&hay, &pats, &o);
    let v: Vec<Term> = ms.into_iter().map(|m| pos_tuple(p, m)).collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `binary:matches/2`.
pub fn matches_2(p: &mut Process, a: &[Term]) -> BifResult {
    matches_3(p, &[a[0], a[1], Term::NIL])
}

/// `binary:split/3`.
pub fn split_3(p: &mut Process, a: &[Term]) -> BifResult {
    let hay = bytes(a[0])?;
    let o = opts(a[2], hay.len(), true)?;
    let not_found = |p: &mut Process| {
        if (o.trim || o.trim_all) && hay.is_empty() {
            Term::NIL
        } else {
            p.heap.cons(a[0], Term::NIL)
        }
    };
    // An empty scope finds nothing; the pattern is not even looked at.
    if o.to == 0 {
        return Ok(not_found(p));
    }
    let pats = patterns(a[1])?;
    let ms: Vec<(usize, usize)> = if o.global {
        all_matches(&hay, &pats, &o)
    } else {
        find(&hay, &pats, o.from, o.to).into_iter().collect()
    };
    if ms.is_empty() {
        return Ok(not_found(p));
    }
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (s, l) in ms {
        parts.push((start, s - start));
        start = s + l;
    }
    parts.push((start, hay.len() - start));
    if o.trim_all {
        parts.retain(|x| x.1 > 0);
    } else if o.trim {
        while parts.last().is_some_and(|x| x.1 == 0) {
            parts.pop();
        }
    }
    let mut v = Vec::new();
    for (s, l) in parts {
        let t = p
            .heap
            .extract_sub_binary(a[0], s as u64 * 8, l as u64 * 8)
            .ok_or_else(badarg)?;
        v.push(t);
    }
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `binary:split/2`.
pub fn split_2(p: &mut Process, a: &[Term]) -> BifResult {
    split_3(p, &[a[0], a[1], Term::NIL])
}
