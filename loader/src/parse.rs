//! The IFF container and the chunk parsers.

use crate::compact::{self, Limits, LineItem as RawLineItem, Operand};
use crate::error::{ChunkId, ErrorKind, LoadError};
use crate::etf::{self, ETerm};
use crate::ir::*;
use crate::opcodes;
use crate::reader::Reader;
use nom::bytes::complete::{tag, take};
use nom::multi::count;
use nom::number::complete::be_u32;
use nom::sequence::tuple;
use nom::IResult;

/// A chunk's data and the absolute offset where it starts.
#[derive(Clone, Copy)]
struct Chunk<'a> {
    id: ChunkId,
    offset: usize,
    data: &'a [u8],
}

impl<'a> Chunk<'a> {
    fn reader(&self) -> Reader<'a> {
        Reader::new(self.data, self.offset)
    }

    /// Tags an error raised while parsing this chunk.
    fn tag(&self) -> impl Fn(LoadError) -> LoadError + '_ {
        move |mut e| {
            if e.chunk.is_none() {
                e.chunk = Some(self.id);
            }
            e
        }
    }
}

/// The chunks the loader decodes; each may appear once.
#[derive(Default)]
struct Known<'a> {
    atu8: Option<Chunk<'a>>,
    atom: Option<Chunk<'a>>,
    code: Option<Chunk<'a>>,
    strt: Option<Chunk<'a>>,
    impt: Option<Chunk<'a>>,
    expt: Option<Chunk<'a>>,
    loct: Option<Chunk<'a>>,
    funt: Option<Chunk<'a>>,
    litt: Option<Chunk<'a>>,
    line: Option<Chunk<'a>>,
    attr: Option<Chunk<'a>>,
    cinf: Option<Chunk<'a>>,
    meta: Option<Chunk<'a>>,
    type_: Option<Chunk<'a>>,
    dbgi: Option<Chunk<'a>>,
}

/// Offset of `rest` inside `whole` (which it is a suffix of).
fn offset_in(whole: &[u8], rest: &[u8]) -> usize {
    whole.len().saturating_sub(rest.len())
}

/// `FOR1 <size> BEAM`: returns the form's contents after `BEAM` and their offset.
fn form(bytes: &[u8]) -> Result<(&[u8], usize), LoadError> {
    fn header(i: &[u8]) -> IResult<&[u8], u32> {
        let (i, _) = tag(b"FOR1")(i)?;
        be_u32(i)
    }
    let (rest, size) = header(bytes).map_err(|_| {
        let magic = bytes.get(..bytes.len().min(4)).unwrap_or(&[]);
        if !b"FOR1".starts_with(magic) {
            LoadError::new(ErrorKind::NotIff, 0)
        } else {
            LoadError::new(
                ErrorKind::Truncated {
                    needed: 8 - bytes.len().min(8),
                },
                bytes.len().min(4),
            )
        }
    })?;
    let size = size as usize;
    let (_, body) = take::<_, _, nom::error::Error<&[u8]>>(size)(rest).map_err(|_| {
        LoadError::new(
            ErrorKind::Truncated {
                needed: size - rest.len().min(size),
            },
            4,
        )
    })?;
    let (contents, _) = tag::<_, _, nom::error::Error<&[u8]>>(b"BEAM")(body).map_err(|_| {
        if body.len() < 4 {
            LoadError::new(
                ErrorKind::Truncated {
                    needed: 4 - body.len(),
                },
                8,
            )
        } else {
            LoadError::new(ErrorKind::NotBeam, 8)
        }
    })?;
    Ok((contents, 12))
}

/// Splits the form contents into chunks.
fn split_chunks(contents: &[u8], base: usize) -> Result<Vec<Chunk<'_>>, LoadError> {
    fn chunk_header(i: &[u8]) -> IResult<&[u8], (&[u8], u32)> {
        tuple((take(4usize), be_u32))(i)
    }
    let mut out = Vec::with_capacity(16);
    let mut rest = contents;
    while !rest.is_empty() {
        let at = base + offset_in(contents, rest);
        let (after, (id, size)) = chunk_header(rest).map_err(|_| {
            LoadError::new(
                ErrorKind::Truncated {
                    needed: 8 - rest.len().min(8),
                },
                at,
            )
        })?;
        let mut cid: ChunkId = [0; 4];
        cid.copy_from_slice(id);
        let storage = (size as u64 + 3) & !3;
        if storage > after.len() as u64 {
            let mut e = LoadError::new(ErrorKind::ChunkOverrun { size }, at + 4);
            e.chunk = Some(cid);
            return Err(e);
        }
        let data = after.get(..size as usize).unwrap_or(&[]);
        out.push(Chunk {
            id: cid,
            offset: at + 8,
            data,
        });
        rest = after.get(storage as usize..).unwrap_or(&[]);
    }
    Ok(out)
}

/// Parses and decodes a whole `.beam` file held in memory.
pub fn parse_module(bytes: &[u8]) -> Result<crate::Module, LoadError> {
    let (contents, base) = form(bytes)?;
    let chunks = split_chunks(contents, base)?;

    let mut known = Known::default();
    let mut raw_chunks = Vec::new();
    let mut infos = Vec::with_capacity(chunks.len());
    for c in &chunks {
        infos.push(ChunkInfo {
            id: c.id,
            offset: c.offset,
            size: c.data.len(),
        });
        let slot = match &c.id {
            b"AtU8" => &mut known.atu8,
            b"Atom" => &mut known.atom,
            b"Code" => &mut known.code,
            b"StrT" => &mut known.strt,
            b"ImpT" => &mut known.impt,
            b"ExpT" => &mut known.expt,
            b"LocT" => &mut known.loct,
            b"FunT" => &mut known.funt,
            b"LitT" => &mut known.litt,
            b"Line" => &mut known.line,
            b"Attr" => &mut known.attr,
            b"CInf" => &mut known.cinf,
            b"Meta" => &mut known.meta,
            b"Type" => &mut known.type_,
            b"Dbgi" => &mut known.dbgi,
            _ => {
                raw_chunks.push(RawChunk {
                    id: c.id,
                    data: c.data.to_vec(),
                });
                continue;
            }
        };
        if slot.is_some() {
            let mut e = LoadError::new(ErrorKind::DuplicateChunk(c.id), c.offset.saturating_sub(8));
            e.chunk = Some(c.id);
            return Err(e);
        }
        *slot = Some(*c);
    }

    let missing = |id: &ChunkId| LoadError::new(ErrorKind::MissingChunk(*id), 0);
    let md5 = module_md5(&known);

    // Code header.
    let code = known.code.ok_or_else(|| missing(b"Code"))?;
    let (header, code_bytes, code_base) = code_header(&code).map_err(code.tag())?;

    // Atoms: AtU8, or the legacy latin-1 Atom chunk.
    let atoms = match (known.atu8, known.atom) {
        (Some(c), _) => atom_chunk(&c, true).map_err(c.tag())?,
        (None, Some(c)) => atom_chunk(&c, false).map_err(c.tag())?,
        (None, None) => return Err(missing(b"AtU8")),
    };
    let natoms = atoms.len() as u64;
    let name = atoms.first().cloned().unwrap_or_default();

    let impt = known.impt.ok_or_else(|| missing(b"ImpT"))?;
    let imports = import_chunk(&impt, natoms).map_err(impt.tag())?;
    let expt = known.expt.ok_or_else(|| missing(b"ExpT"))?;
    let exports = function_chunk(&expt, natoms, header.label_count).map_err(expt.tag())?;
    let locals = match known.loct {
        Some(c) => function_chunk(&c, natoms, header.label_count).map_err(c.tag())?,
        None => Vec::new(),
    };
    let funs = match known.funt {
        Some(c) => fun_chunk(&c, natoms, header.label_count).map_err(c.tag())?,
        None => Vec::new(),
    };
    let literals = match known.litt {
        Some(c) => literal_chunk(&c).map_err(c.tag())?,
        None => Vec::new(),
    };
    let lines = match known.line {
        Some(c) => {
            let t = line_chunk(&c).map_err(c.tag())?;
            if t.is_none() {
                raw_chunks.push(RawChunk {
                    id: c.id,
                    data: c.data.to_vec(),
                });
            }
            t
        }
        None => None,
    };
    let types = match known.type_ {
        Some(c) => {
            let t = type_chunk(&c).map_err(c.tag())?;
            if t.is_none() {
                raw_chunks.push(RawChunk {
                    id: c.id,
                    data: c.data.to_vec(),
                });
            }
            t
        }
        None => None,
    };
    let strings = known.strt.map(|c| c.data.to_vec()).unwrap_or_default();
    let attributes = term_chunk(known.attr)?;
    let compile_info = term_chunk(known.cinf)?;
    let meta = term_chunk(known.meta)?;
    let debug_info = known.dbgi.map(|c| c.data.to_vec());

    let limits = Limits {
        atoms: natoms,
        literals: literals.len() as u64,
        labels: header.label_count as u64,
        types: types.as_ref().map(|t| t.len() as u64),
    };
    let instructions = decode_code(code_bytes, code_base, &limits).map_err(code.tag())?;

    Ok(crate::Module {
        name,
        atoms,
        header,
        instructions,
        imports,
        exports,
        locals,
        funs,
        literals,
        lines,
        strings,
        attributes,
        compile_info,
        meta,
        types,
        debug_info,
        raw_chunks,
        chunks: infos,
        md5,
    })
}

/// ERTS's module checksum (`beam_file.c`): MD5 over the `AtU8`, `Code`,
/// `StrT`, `ImpT` and `ExpT` chunks, the `FunT` chunk with every entry's
/// `OldUniq` word read as zero, then `LitT` (as stored) and `Meta`.
fn module_md5<'a>(k: &Known<'a>) -> [u8; 16] {
    fn data<'a>(c: &Option<Chunk<'a>>) -> &'a [u8] {
        c.map_or(&[][..], |c| c.data)
    }
    let mut m = crate::md5::Md5::new();
    for c in [&k.atu8, &k.code, &k.strt, &k.impt, &k.expt] {
        m.update(data(c));
    }
    let funt = data(&k.funt);
    if funt.len() >= 4 {
        m.update(&funt[..4]);
        for e in funt[4..].chunks_exact(24) {
            // Function, Arity, Index, NumFree; OldUniq zeroed.
            m.update(&e[..20]);
            m.update(&[0; 4]);
        }
    }
    m.update(data(&k.litt));
    m.update(data(&k.meta));
    m.finish()
}

fn code_header<'a>(c: &Chunk<'a>) -> Result<(CodeHeader, &'a [u8], usize), LoadError> {
    let mut r = c.reader();
    let hs_at = r.pos();
    let header_size = r.u32()? as usize;
    let hdr = r.bytes(header_size).map_err(|_| {
        r.err_at(
            hs_at,
            ErrorKind::Invalid("code header size exceeds the chunk"),
        )
    })?;
    let code_base = r.offset();
    let code = r.rest();
    if header_size < 16 {
        return Err(r.err_at(
            hs_at,
            ErrorKind::Invalid("code header shorter than 16 bytes"),
        ));
    }
    let mut h = Reader::new(hdr, c.offset + 4);
    let instruction_set = h.u32()?;
    if instruction_set != opcodes::BEAM_FORMAT_NUMBER {
        return Err(h.err_at(0, ErrorKind::InstructionSet(instruction_set)));
    }
    let max_opcode = h.u32()?;
    if max_opcode > opcodes::MAX_OPCODE as u32 {
        return Err(h.err_at(4, ErrorKind::MaxOpcode(max_opcode)));
    }
    let label_count = h.u32()?;
    let function_count = h.u32()?;
    Ok((
        CodeHeader {
            instruction_set,
            max_opcode,
            label_count,
            function_count,
        },
        code,
        code_base,
    ))
}

fn atom_chunk(c: &Chunk<'_>, utf8: bool) -> Result<Vec<String>, LoadError> {
    let mut r = c.reader();
    let at = r.pos();
    let n = r.count(1)?;
    if n == 0 {
        return Err(r.err_at(at, ErrorKind::Invalid("empty atom table (no module name)")));
    }
    let mut atoms = Vec::with_capacity(n);
    for _ in 0..n {
        let aat = r.pos();
        let len = r.u8()? as usize;
        let b = r.bytes(len)?;
        let s = if utf8 {
            std::str::from_utf8(b)
                .map_err(|_| r.err_at(aat, ErrorKind::InvalidUtf8))?
                .to_owned()
        } else {
            b.iter().map(|&x| x as char).collect()
        };
        atoms.push(s);
    }
    Ok(atoms)
}

/// Runs a nom parser over a chunk's data after a 4-byte count, mapping failures to
/// `Truncated` at the right offset.
fn records<'a, O>(
    c: &Chunk<'a>,
    entry_size: usize,
    entry: impl FnMut(&'a [u8]) -> IResult<&'a [u8], O>,
) -> Result<Vec<O>, LoadError> {
    let mut r = c.reader();
    let n = r.count(entry_size)?;
    let body = r.rest();
    let (_, v) = count(entry, n)(body).map_err(|e| {
        let rest_len = match e {
            nom::Err::Error(e) | nom::Err::Failure(e) => e.input.len(),
            nom::Err::Incomplete(_) => 0,
        };
        r.err_at(
            4 + body.len().saturating_sub(rest_len),
            ErrorKind::Truncated { needed: entry_size },
        )
    })?;
    Ok(v)
}

fn check_atom(c: &Chunk<'_>, pos: usize, index: u32, natoms: u64) -> Result<(), LoadError> {
    if index == 0 || index as u64 > natoms {
        return Err(LoadError::new(
            ErrorKind::IndexOutOfRange {
                what: "atom",
                index: index as u64,
            },
            c.offset + pos,
        ));
    }
    Ok(())
}

fn check_arity(c: &Chunk<'_>, pos: usize, arity: u32) -> Result<(), LoadError> {
    if arity > 255 {
        return Err(LoadError::new(
            ErrorKind::Invalid("arity above 255"),
            c.offset + pos,
        ));
    }
    Ok(())
}

fn check_label(c: &Chunk<'_>, pos: usize, label: u32, labels: u32) -> Result<(), LoadError> {
    if label >= labels {
        return Err(LoadError::new(
            ErrorKind::IndexOutOfRange {
                what: "label",
                index: label as u64,
            },
            c.offset + pos,
        ));
    }
    Ok(())
}

fn import_chunk(c: &Chunk<'_>, natoms: u64) -> Result<Vec<Import>, LoadError> {
    let v = records(c, 12, tuple((be_u32, be_u32, be_u32)))?;
    let mut out = Vec::with_capacity(v.len());
    for (i, (module, function, arity)) in v.into_iter().enumerate() {
        let pos = 4 + 12 * i;
        check_atom(c, pos, module, natoms)?;
        check_atom(c, pos + 4, function, natoms)?;
        check_arity(c, pos + 8, arity)?;
        out.push(Import {
            module,
            function,
            arity,
        });
    }
    Ok(out)
}

fn function_chunk(
    c: &Chunk<'_>,
    natoms: u64,
    labels: u32,
) -> Result<Vec<FunctionEntry>, LoadError> {
    let v = records(c, 12, tuple((be_u32, be_u32, be_u32)))?;
    let mut out = Vec::with_capacity(v.len());
    for (i, (function, arity, label)) in v.into_iter().enumerate() {
        let pos = 4 + 12 * i;
        check_atom(c, pos, function, natoms)?;
        check_arity(c, pos + 4, arity)?;
        check_label(c, pos + 8, label, labels)?;
        out.push(FunctionEntry {
            function,
            arity,
            label,
        });
    }
    Ok(out)
}

fn fun_chunk(c: &Chunk<'_>, natoms: u64, labels: u32) -> Result<Vec<FunEntry>, LoadError> {
    let v = records(
        c,
        24,
        tuple((be_u32, be_u32, be_u32, be_u32, be_u32, be_u32)),
    )?;
    let mut out = Vec::with_capacity(v.len());
    for (i, (function, arity, label, index, num_free, old_uniq)) in v.into_iter().enumerate() {
        let pos = 4 + 24 * i;
        check_atom(c, pos, function, natoms)?;
        check_arity(c, pos + 4, arity)?;
        check_label(c, pos + 8, label, labels)?;
        out.push(FunEntry {
            function,
            arity,
            label,
            index,
            num_free,
            old_uniq,
        });
    }
    Ok(out)
}

fn literal_chunk(c: &Chunk<'_>) -> Result<Vec<ETerm>, LoadError> {
    let mut r = c.reader();
    let size = r.u32()? as usize;
    let owned;
    let table: &[u8] = if size == 0 {
        r.rest()
    } else {
        owned = etf::inflate(r.rest(), size).map_err(|e| r.err(ErrorKind::Zlib(e)))?;
        &owned
    };
    // Errors inside the inflated table point at the chunk and give the inner offset.
    let wrap = |index: u32, e: LoadError| {
        LoadError::new(
            ErrorKind::Literal {
                index,
                offset: e.offset,
                error: Box::new(e.kind),
            },
            c.offset,
        )
    };
    let mut t = Reader::new(table, 0);
    let n = t.count(5).map_err(|e| wrap(0, e))?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let idx = i as u32;
        let len = t.u32().map_err(|e| wrap(idx, e))? as usize;
        let start = t.pos();
        let bytes = t.bytes(len).map_err(|e| wrap(idx, e))?;
        let mut lr = Reader::new(bytes, start);
        let term = etf::read_external(&mut lr, etf::DEFAULT_MAX_DEPTH).map_err(|e| wrap(idx, e))?;
        if !lr.is_empty() {
            return Err(wrap(idx, lr.err(ErrorKind::TrailingBytes(lr.remaining()))));
        }
        out.push(term);
    }
    if !t.is_empty() {
        return Err(wrap(
            n as u32,
            t.err(ErrorKind::TrailingBytes(t.remaining())),
        ));
    }
    Ok(out)
}

fn line_chunk(c: &Chunk<'_>) -> Result<Option<LineTable>, LoadError> {
    let mut r = c.reader();
    let version = r.u32()?;
    if version != 0 {
        return Ok(None);
    }
    let flags = r.u32()?;
    let instruction_count = r.u32()?;
    let n_at = r.pos();
    let num_items = r.u32()? as u64;
    let num_items = r.check_count(n_at, num_items, 1)?;
    let num_names = r.u32()?;
    let mut items = Vec::with_capacity(num_items + 1);
    items.push(LineItem { file: 0, line: 0 });
    let mut file = 0u32;
    while items.len() <= num_items {
        let at = r.pos();
        match compact::read_line_item(&mut r)? {
            RawLineItem::File(f) => {
                if f > num_names as u64 {
                    return Err(r.err_at(
                        at,
                        ErrorKind::IndexOutOfRange {
                            what: "file name",
                            index: f,
                        },
                    ));
                }
                file = f as u32;
            }
            RawLineItem::Line(l) => {
                let line = u32::try_from(l).map_err(|_| r.err_at(at, ErrorKind::ValueTooLarge))?;
                items.push(LineItem { file, line });
            }
        }
    }
    let nn_at = r.pos();
    let num_names = r.check_count(nn_at, num_names as u64, 2)?;
    let mut filenames = Vec::with_capacity(num_names);
    for _ in 0..num_names {
        let at = r.pos();
        let len = r.u16()? as usize;
        let b = r.bytes(len)?;
        let s = std::str::from_utf8(b).map_err(|_| r.err_at(at, ErrorKind::InvalidUtf8))?;
        filenames.push(s.to_owned());
    }
    Ok(Some(LineTable {
        version,
        flags,
        instruction_count,
        items,
        filenames,
    }))
}

fn type_chunk(c: &Chunk<'_>) -> Result<Option<Vec<TypeEntry>>, LoadError> {
    let mut r = c.reader();
    let version = r.u32()?;
    if version != 1 {
        return Ok(None);
    }
    let at = r.pos();
    let n = r.count(18)?;
    if n == 0 {
        return Err(r.err_at(at, ErrorKind::Invalid("empty type table")));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let bits = r.u16()?;
        let min = r.i64()?;
        let max = r.i64()?;
        out.push(TypeEntry { bits, min, max });
    }
    Ok(Some(out))
}

fn term_chunk(c: Option<Chunk<'_>>) -> Result<Option<ETerm>, LoadError> {
    let Some(c) = c else { return Ok(None) };
    if c.data.is_empty() {
        return Ok(None);
    }
    let mut r = c.reader();
    let t = etf::read_external(&mut r, etf::DEFAULT_MAX_DEPTH).map_err(c.tag())?;
    if !r.is_empty() {
        return Err((c.tag())(r.err(ErrorKind::TrailingBytes(r.remaining()))));
    }
    Ok(Some(t))
}

/// Decodes the instruction stream (the `Code` chunk after its header).
fn decode_code(code: &[u8], base: usize, lim: &Limits) -> Result<Vec<Instr>, LoadError> {
    let mut r = Reader::new(code, base);
    // OTP 25 code averages ~3.9 bytes per instruction.
    let mut out = Vec::with_capacity(code.len() / 4 + 1);
    loop {
        let at = r.pos();
        let op = match r.u8() {
            Ok(op) => op,
            Err(_) => return Err(r.err(ErrorKind::MissingCodeEnd)),
        };
        let info = opcodes::info(op).ok_or_else(|| r.err_at(at, ErrorKind::UnknownOpcode(op)))?;
        if info.obsolete {
            return Err(r.err_at(at, ErrorKind::ObsoleteOpcode(op)));
        }
        let arity = info.arity as usize;
        let mut args = Vec::with_capacity(arity);
        for i in 0..arity {
            let oat = r.pos();
            let a = compact::read_operand(&mut r, lim, false)?;
            if matches!(a, Operand::List(_)) && i + 1 != arity {
                return Err(r.err_at(oat, ErrorKind::ListNotLast));
            }
            args.push(a);
        }
        out.push(Instr {
            op,
            offset: at as u32,
            args,
        });
        if op == opcodes::op::INT_CODE_END {
            return Ok(out);
        }
    }
}
