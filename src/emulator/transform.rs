//! Load-time transform: generic BEAM code (the loader's IR) → [`Instr`].
//!
//! Labels become code offsets: `label` and `line` instructions emit
//! nothing (lines go to the module's line table) and every other generic
//! instruction emits exactly one [`Instr`], so offsets are known before
//! emitting. Register numbers are checked here (`< MAX_REG`) so the
//! dispatch loop can trust them. An opcode the emulator does not implement
//! makes the load fail with [`LoadError::UnsupportedOpcode`].

use super::instr::*;
use crate::atom::{atoms, Atom};
use crate::code::{self, Function, Lambda, LineLoc, LoadError, Module};
use crate::heap::{HeapBuilder, HeapFragment, LiteralArea};
use crate::term::Term;
use oxbeam_loader::{ETerm, Operand, Reg};

/// Generic opcodes the transform accepts (by name).
pub const SUPPORTED: &[&str] = &[
    "label",
    "line",
    "func_info",
    "int_code_end",
    "call",
    "call_last",
    "call_only",
    "call_ext",
    "call_ext_last",
    "call_ext_only",
    "bif0",
    "bif1",
    "bif2",
    "gc_bif1",
    "gc_bif2",
    "gc_bif3",
    "allocate",
    "allocate_heap",
    "allocate_zero",
    "allocate_heap_zero",
    "test_heap",
    "init",
    "init_yregs",
    "deallocate",
    "return",
    "trim",
    "move",
    "swap",
    "get_list",
    "get_hd",
    "get_tl",
    "get_tuple_element",
    "set_tuple_element",
    "put_list",
    "put_tuple2",
    "is_lt",
    "is_ge",
    "is_eq",
    "is_ne",
    "is_eq_exact",
    "is_ne_exact",
    "is_integer",
    "is_float",
    "is_number",
    "is_atom",
    "is_pid",
    "is_reference",
    "is_port",
    "is_nil",
    "is_binary",
    "is_list",
    "is_nonempty_list",
    "is_tuple",
    "is_function",
    "is_function2",
    "is_boolean",
    "is_map",
    "is_bitstr",
    "is_tagged_tuple",
    "test_arity",
    "select_val",
    "select_tuple_arity",
    "jump",
    "badmatch",
    "case_end",
    "if_end",
    "try_case_end",
    "badrecord",
    "catch",
    "catch_end",
    "try",
    "try_end",
    "try_case",
    "raise",
    "raw_raise",
    "build_stacktrace",
    "apply",
    "apply_last",
    "call_fun",
    "call_fun2",
    "make_fun2",
    "make_fun3",
    "send",
    "remove_message",
    "timeout",
    "loop_rec",
    "loop_rec_end",
    "wait",
    "wait_timeout",
    "recv_marker_reserve",
    "recv_marker_bind",
    "recv_marker_clear",
    "recv_marker_use",
    "fmove",
    "fconv",
    "fadd",
    "fsub",
    "fmul",
    "fdiv",
    "fnegate",
    "get_map_elements",
    "put_map_assoc",
    "put_map_exact",
    "has_map_fields",
    "nif_start",
    "on_load",
    "bs_create_bin",
    "bs_start_match3",
    "bs_start_match4",
    "bs_get_integer2",
    "bs_get_binary2",
    "bs_get_float2",
    "bs_skip_bits2",
    "bs_test_tail2",
    "bs_test_unit",
    "bs_match_string",
    "bs_get_tail",
    "bs_get_position",
    "bs_set_position",
    "bs_get_utf8",
    "bs_get_utf16",
    "bs_get_utf32",
    "bs_skip_utf8",
    "bs_skip_utf16",
    "bs_skip_utf32",
    "bs_init_writable",
    "fclearerror",
    "fcheckerror",
];

/// Number of generic opcodes the emulator executes.
pub fn supported_count() -> usize {
    oxbeam_loader::opcodes::ALL
        .iter()
        .filter(|o| !o.obsolete && SUPPORTED.contains(&o.name))
        .count()
}

struct Ctx<'a> {
    m: &'a oxbeam_loader::Module,
    atoms: Vec<Atom>,
    frag: HeapFragment,
    literals: Vec<Term>,
    labels: Vec<u32>,
}

fn inv(s: impl Into<String>) -> LoadError {
    LoadError::Invalid(s.into())
}

impl<'a> Ctx<'a> {
    fn atom(&self, i: u32) -> Result<Atom, LoadError> {
        self.atoms
            .get((i as usize).wrapping_sub(1))
            .copied()
            .ok_or_else(|| inv(format!("atom index {i}")))
    }

    fn label(&self, l: u32) -> Result<u32, LoadError> {
        if l == 0 {
            return Ok(u32::MAX);
        }
        self.labels
            .get(l as usize)
            .copied()
            .filter(|&o| o != u32::MAX)
            .ok_or_else(|| inv(format!("label {l}")))
    }

    fn reg(n: u32) -> Result<u32, LoadError> {
        if (n as usize) < MAX_REG {
            Ok(n)
        } else {
            Err(inv(format!("register {n}")))
        }
    }

    fn src(&mut self, o: &Operand) -> Result<Src, LoadError> {
        Ok(match o {
            Operand::X(n) => Src::x(Self::reg(*n)?),
            Operand::Y(n) => Src::y(Self::reg(*n)?),
            Operand::TypedReg { reg, .. } => match reg {
                Reg::X(n) => Src::x(Self::reg(*n)?),
                Reg::Y(n) => Src::y(Self::reg(*n)?),
            },
            _ => Src::constant(self.constant(o)?),
        })
    }

    fn constant(&mut self, o: &Operand) -> Result<Term, LoadError> {
        Ok(match o {
            Operand::Int(i) => self.frag.integer_from_i64(*i),
            Operand::BigInt(b) => self.frag.integer_from_bigint(b),
            Operand::Atom(a) => Term::atom(self.atom(*a)?),
            Operand::Nil => Term::NIL,
            Operand::Literal(i) => *self
                .literals
                .get(*i as usize)
                .ok_or_else(|| inv(format!("literal {i}")))?,
            Operand::Char(c) => Term::small_unchecked(*c as i64),
            Operand::Float(f) => self.frag.float(*f),
            Operand::U(u) => Term::small(*u as i64).ok_or_else(|| inv("u too large"))?,
            other => return Err(inv(format!("not a source operand: {other:?}"))),
        })
    }

    fn dst(&self, o: &Operand) -> Result<Dst, LoadError> {
        match o {
            Operand::X(n) => Ok(Dst::x(Self::reg(*n)?)),
            Operand::Y(n) => Ok(Dst::y(Self::reg(*n)?)),
            Operand::TypedReg { reg, .. } => match reg {
                Reg::X(n) => Ok(Dst::x(Self::reg(*n)?)),
                Reg::Y(n) => Ok(Dst::y(Self::reg(*n)?)),
            },
            other => Err(inv(format!("not a destination: {other:?}"))),
        }
    }

    fn y(&self, o: &Operand) -> Result<u16, LoadError> {
        match o {
            Operand::Y(n) => Ok(Self::reg(*n)? as u16),
            other => Err(inv(format!("not a y register: {other:?}"))),
        }
    }

    fn fr(&self, o: &Operand) -> Result<u16, LoadError> {
        match o {
            Operand::FloatReg(n) => Ok(Self::reg(*n)? as u16),
            other => Err(inv(format!("not a float register: {other:?}"))),
        }
    }

    fn lbl(&self, o: &Operand) -> Result<u32, LoadError> {
        match o {
            Operand::Label(l) => self.label(*l),
            Operand::Atom(_) => Ok(u32::MAX), // {atom,no_fail}
            other => Err(inv(format!("not a label: {other:?}"))),
        }
    }

    fn u(&self, o: &Operand) -> Result<u32, LoadError> {
        match o {
            Operand::U(u) => u32::try_from(*u).map_err(|_| inv("u too large")),
            Operand::Int(i) => u32::try_from(*i).map_err(|_| inv("int out of range")),
            Operand::Alloc(a) => Ok(a.words + a.floats * 2 + a.funs * 10),
            other => Err(inv(format!("not a number: {other:?}"))),
        }
    }

    fn list(&self, o: &'a Operand) -> Result<&'a [Operand], LoadError> {
        match o {
            Operand::List(l) => Ok(l),
            other => Err(inv(format!("not a list: {other:?}"))),
        }
    }

    fn export(&self, import: u32) -> Result<&'static code::Export, LoadError> {
        let imp = self
            .m
            .imports
            .get(import as usize)
            .ok_or_else(|| inv(format!("import {import}")))?;
        Ok(code::export(
            self.atom(imp.module)?,
            self.atom(imp.function)?,
            imp.arity,
        ))
    }

    fn bif(&self, import: u32) -> Result<u32, LoadError> {
        let e = self.export(import)?;
        match e.target() {
            code::Target::Bif(i) => Ok(i),
            _ => {
                crate::bif::log_missing(e.module, e.function, e.arity);
                Ok(crate::bif::missing_bif_index(e))
            }
        }
    }

    fn eterm(&mut self, t: &ETerm) -> Result<Term, LoadError> {
        Ok(match t {
            ETerm::Int(i) => self.frag.integer_from_i64(*i),
            ETerm::Big(b) => self.frag.integer_from_bigint(b),
            ETerm::Float(f) => self.frag.float(*f),
            ETerm::Atom(a) => Term::atom(Atom::intern(a).map_err(|_| inv("bad atom"))?),
            ETerm::Tuple(es) => {
                let v = es
                    .iter()
                    .map(|e| self.eterm(e))
                    .collect::<Result<Vec<_>, _>>()?;
                self.frag.tuple(&v)
            }
            ETerm::Nil => Term::NIL,
            ETerm::List(es) => {
                let v = es
                    .iter()
                    .map(|e| self.eterm(e))
                    .collect::<Result<Vec<_>, _>>()?;
                self.frag.list_from(&v, Term::NIL)
            }
            ETerm::ImproperList(es, tl) => {
                let v = es
                    .iter()
                    .map(|e| self.eterm(e))
                    .collect::<Result<Vec<_>, _>>()?;
                let t = self.eterm(tl)?;
                self.frag.list_from(&v, t)
            }
            ETerm::String(s) => self.frag.bytelist(s),
            ETerm::Binary(b) => self.frag.binary(b),
            ETerm::Bitstring { bytes, bits } => {
                let total = (bytes.len() as u64 - 1) * 8 + *bits as u64;
                self.frag
                    .bitstring(bytes, total)
                    .ok_or_else(|| inv("bad bitstring"))?
            }
            ETerm::Map(pairs) => {
                let mut kv = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.eterm(k)?;
                    let v = self.eterm(v)?;
                    kv.push((k, v));
                }
                crate::bif::maps::build_map(&mut self.frag, kv).ok_or_else(|| inv("map literal"))?
            }
            ETerm::Export {
                module,
                function,
                arity,
            } => {
                let m = Atom::intern(module).map_err(|_| inv("bad atom"))?;
                let f = Atom::intern(function).map_err(|_| inv("bad atom"))?;
                self.frag
                    .export(m, f, *arity as u32)
                    .ok_or_else(|| inv("export"))?
            }
            other => return Err(inv(format!("unsupported literal {other:?}"))),
        })
    }
}

fn type_test(name: &str) -> Option<TypeTest> {
    Some(match name {
        "is_integer" => TypeTest::Integer,
        "is_float" => TypeTest::Float,
        "is_number" => TypeTest::Number,
        "is_atom" => TypeTest::Atom,
        "is_pid" => TypeTest::Pid,
        "is_reference" => TypeTest::Reference,
        "is_port" => TypeTest::Port,
        "is_nil" => TypeTest::Nil,
        "is_binary" => TypeTest::Binary,
        "is_list" => TypeTest::List,
        "is_nonempty_list" => TypeTest::NonemptyList,
        "is_tuple" => TypeTest::Tuple,
        "is_function" => TypeTest::Function,
        "is_boolean" => TypeTest::Boolean,
        "is_map" => TypeTest::Map,
        "is_bitstr" => TypeTest::Bitstr,
        _ => return None,
    })
}

fn cmp_op(name: &str) -> Option<CmpOp> {
    Some(match name {
        "is_lt" => CmpOp::Lt,
        "is_ge" => CmpOp::Ge,
        "is_eq" => CmpOp::Eq,
        "is_ne" => CmpOp::Ne,
        "is_eq_exact" => CmpOp::EqExact,
        "is_ne_exact" => CmpOp::NeExact,
        _ => return None,
    })
}

fn seg_kind(a: Atom) -> Option<SegKind> {
    Some(match a.as_str() {
        "integer" => SegKind::Integer,
        "float" => SegKind::Float,
        "binary" => SegKind::Binary,
        "utf8" => SegKind::Utf8,
        "utf16" => SegKind::Utf16,
        "utf32" => SegKind::Utf32,
        "string" => SegKind::String,
        "append" => SegKind::Append,
        "private_append" => SegKind::PrivateAppend,
        _ => return None,
    })
}

/// Converts `bs_create_bin` flags (`nil` or a literal list of atoms) into bits.
fn seg_flags(t: Term) -> u32 {
    let mut f = 0;
    for a in t.iter_list() {
        match a.as_atom().map(|a| a.as_str()) {
            Some("little") => f |= 1,
            Some("signed") => f |= 2,
            Some("native") => f |= 1 | 4,
            _ => {}
        }
    }
    f
}

/// Converts match flags (`u`: 2 little, 4 signed, 16 native) into bits.
fn match_flags(u: u32) -> u32 {
    let mut f = 0;
    if u & 2 != 0 || u & 16 != 0 {
        f |= 1;
    }
    if u & 4 != 0 {
        f |= 2;
    }
    f
}

/// Transforms a parsed module into an executable one with id `id`.
pub fn transform(m: &oxbeam_loader::Module, id: u32) -> Result<Module, LoadError> {
    let atoms = m
        .atoms
        .iter()
        .map(|a| Atom::intern(a).map_err(|_| inv("bad atom")))
        .collect::<Result<Vec<_>, _>>()?;
    let name = *atoms.first().ok_or_else(|| inv("no atoms"))?;
    let mut cx = Ctx {
        m,
        atoms,
        frag: HeapFragment::new(),
        literals: Vec::new(),
        labels: vec![u32::MAX; m.header.label_count as usize + 1],
    };
    for l in &m.literals {
        let t = cx.eterm(l)?;
        cx.literals.push(t);
    }
    // Pass 1: opcode support and label offsets.
    let mut off = 0u32;
    for ins in &m.instructions {
        let name = ins.name();
        if !SUPPORTED.contains(&name) {
            eprintln!(
                "oxbeam: cannot load module {}: unsupported opcode {name}",
                m.name
            );
            return Err(LoadError::UnsupportedOpcode(
                oxbeam_loader::opcodes::info(ins.op).map_or("?", |i| i.name),
            ));
        }
        match name {
            "label" => {
                if let Some(Operand::U(l)) = ins.args.first() {
                    if let Some(slot) = cx.labels.get_mut(*l as usize) {
                        *slot = off;
                    }
                }
            }
            "line" => {}
            _ => off += 1,
        }
    }
    // Pass 2: emit.
    let mut code: Vec<Instr> = Vec::with_capacity(off as usize);
    let mut functions: Vec<Function> = Vec::new();
    let mut lines: Vec<LineLoc> = Vec::new();
    let mut on_load = None;
    let line_items = m.lines.as_ref().map(|l| l.items.as_slice()).unwrap_or(&[]);
    for (gi, ins) in m.instructions.iter().enumerate() {
        let a = &ins.args;
        let here = code.len() as u32;
        let arg = |i: usize| {
            a.get(i)
                .ok_or_else(|| inv(format!("{}: missing operand", ins.name())))
        };
        let instr = match ins.name() {
            "label" => continue,
            "line" => {
                let item = match arg(0)? {
                    Operand::U(i) => *i as usize,
                    _ => 0,
                };
                let li = line_items.get(item).copied();
                let (file, line) = li.map_or((0, 0), |l| (l.file, l.line));
                lines.push(LineLoc {
                    offset: here,
                    file,
                    line,
                });
                continue;
            }
            "func_info" => {
                let f = match arg(1)? {
                    Operand::Atom(i) => cx.atom(*i)?,
                    _ => return Err(inv("func_info")),
                };
                let arity = cx.u(arg(2)?)?;
                functions.push(Function {
                    name: f,
                    arity,
                    start: here,
                    entry: here + 1,
                });
                Instr::FuncInfo {
                    func: functions.len() as u32 - 1,
                }
            }
            "on_load" => {
                // The first instruction of the on_load function's body.
                on_load = functions.last().map(|f| f.entry);
                Instr::Nop
            }
            "int_code_end" => Instr::IntCodeEnd,
            "nif_start" | "fclearerror" | "fcheckerror" | "bs_init_writable" => {
                if ins.name() == "bs_init_writable" {
                    Instr::BsInitWritable
                } else {
                    Instr::Nop
                }
            }
            "call" => Instr::Call {
                target: cx.lbl(arg(1)?)?,
            },
            "call_last" => Instr::CallLast {
                target: cx.lbl(arg(1)?)?,
                dealloc: cx.u(arg(2)?)?,
            },
            "call_only" => Instr::CallOnly {
                target: cx.lbl(arg(1)?)?,
            },
            "call_ext" => Instr::CallExt {
                exp: cx.export(cx.u(arg(1)?)?)?,
            },
            "call_ext_last" => Instr::CallExtLast {
                exp: cx.export(cx.u(arg(1)?)?)?,
                dealloc: cx.u(arg(2)?)?,
            },
            "call_ext_only" => Instr::CallExtOnly {
                exp: cx.export(cx.u(arg(1)?)?)?,
            },
            "bif0" => Instr::Bif(Box::new(BifCall {
                bif: cx.bif(cx.u(arg(0)?)?)?,
                fail: u32::MAX,
                args: Box::new([]),
                dst: cx.dst(arg(1)?)?,
                live: 0,
            })),
            "bif1" | "bif2" => {
                let n = if ins.name() == "bif1" { 1 } else { 2 };
                let mut args = Vec::new();
                for i in 0..n {
                    args.push(cx.src(arg(2 + i)?)?);
                }
                Instr::Bif(Box::new(BifCall {
                    bif: cx.bif(cx.u(arg(1)?)?)?,
                    fail: cx.lbl(arg(0)?)?,
                    args: args.into(),
                    dst: cx.dst(arg(2 + n)?)?,
                    live: 0,
                }))
            }
            "gc_bif1" | "gc_bif2" | "gc_bif3" => {
                let n = match ins.name() {
                    "gc_bif1" => 1,
                    "gc_bif2" => 2,
                    _ => 3,
                };
                let mut args = Vec::new();
                for i in 0..n {
                    args.push(cx.src(arg(3 + i)?)?);
                }
                let bif = cx.bif(cx.u(arg(2)?)?)?;
                let fail = cx.lbl(arg(0)?)?;
                let dst = cx.dst(arg(3 + n)?)?;
                let b = crate::bif::BIFS.get(bif as usize);
                let op = match b.map(|b| (b.module == atoms::ERLANG, b.name.as_str(), b.arity)) {
                    Some((true, "+", 2)) => Some(ArithOp::Add),
                    Some((true, "-", 2)) => Some(ArithOp::Sub),
                    Some((true, "*", 2)) => Some(ArithOp::Mul),
                    _ => None,
                };
                let imm = args
                    .get(1)
                    .and_then(|b| b.as_const())
                    .and_then(|c| c.as_small())
                    .and_then(|v| i32::try_from(v).ok())
                    .filter(|v| *v != i32::MIN);
                match op {
                    Some(op @ (ArithOp::Add | ArithOp::Sub))
                        if args[0].as_reg().is_some() && imm.is_some() =>
                    {
                        Instr::ArithImm {
                            op,
                            dst,
                            fail,
                            src: args[0],
                            delta: match op {
                                ArithOp::Sub => -imm.unwrap_or(0),
                                _ => imm.unwrap_or(0),
                            },
                        }
                    }
                    Some(op) => Instr::Arith {
                        op,
                        dst,
                        fail,
                        a: args[0],
                        b: args[1],
                    },
                    None => Instr::Bif(Box::new(BifCall {
                        bif,
                        fail,
                        args: args.into(),
                        dst,
                        live: cx.u(arg(1)?)?,
                    })),
                }
            }
            "allocate" | "allocate_zero" => Instr::Allocate {
                slots: cx.u(arg(0)?)?,
                heap: 0,
                live: cx.u(arg(1)?)?,
                zero: ins.name() == "allocate_zero",
            },
            "allocate_heap" | "allocate_heap_zero" => Instr::Allocate {
                slots: cx.u(arg(0)?)?,
                heap: cx.u(arg(1)?)?,
                live: cx.u(arg(2)?)?,
                zero: ins.name() == "allocate_heap_zero",
            },
            "test_heap" => Instr::TestHeap {
                need: cx.u(arg(0)?)?,
                live: cx.u(arg(1)?)?,
            },
            "init" => Instr::Init {
                dst: cx.dst(arg(0)?)?,
            },
            "init_yregs" => {
                let ys = cx
                    .list(arg(0)?)?
                    .iter()
                    .map(|o| cx.y(o))
                    .collect::<Result<Vec<_>, _>>()?;
                Instr::InitYregs(ys.into())
            }
            "deallocate" => Instr::Deallocate { n: cx.u(arg(0)?)? },
            "return" => Instr::Return,
            "trim" => Instr::Trim { n: cx.u(arg(0)?)? },
            "move" => Instr::Move {
                src: cx.src(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "swap" => Instr::Swap {
                a: cx.dst(arg(0)?)?,
                b: cx.dst(arg(1)?)?,
            },
            "get_list" => Instr::GetList {
                src: cx.src(arg(0)?)?,
                hd: cx.dst(arg(1)?)?,
                tl: cx.dst(arg(2)?)?,
            },
            "get_hd" => Instr::GetHd {
                src: cx.src(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "get_tl" => Instr::GetTl {
                src: cx.src(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "get_tuple_element" => Instr::GetTupleElement {
                src: cx.src(arg(0)?)?,
                idx: cx.u(arg(1)?)?,
                dst: cx.dst(arg(2)?)?,
            },
            "set_tuple_element" => Instr::SetTupleElement {
                val: cx.src(arg(0)?)?,
                tuple: cx.src(arg(1)?)?,
                idx: cx.u(arg(2)?)?,
            },
            "put_list" => Instr::PutList {
                head: cx.src(arg(0)?)?,
                tail: cx.src(arg(1)?)?,
                dst: cx.dst(arg(2)?)?,
            },
            "put_tuple2" => {
                let dst = cx.dst(arg(0)?)?;
                let elems = cx
                    .list(arg(1)?)?
                    .iter()
                    .map(|o| cx.src(o))
                    .collect::<Result<Vec<_>, _>>()?;
                Instr::PutTuple2 {
                    dst,
                    elems: elems.into(),
                }
            }
            n if cmp_op(n).is_some() => Instr::Cmp {
                op: cmp_op(n).unwrap_or(CmpOp::Eq),
                fail: cx.lbl(arg(0)?)?,
                a: cx.src(arg(1)?)?,
                b: cx.src(arg(2)?)?,
            },
            "is_function2" => Instr::IsFunction2 {
                fail: cx.lbl(arg(0)?)?,
                src: cx.src(arg(1)?)?,
                arity: cx.src(arg(2)?)?,
            },
            n if type_test(n).is_some() => Instr::Test {
                kind: type_test(n).unwrap_or(TypeTest::Atom),
                fail: cx.lbl(arg(0)?)?,
                src: cx.src(arg(1)?)?,
            },
            "is_tagged_tuple" => Instr::IsTaggedTuple {
                fail: cx.lbl(arg(0)?)?,
                src: cx.src(arg(1)?)?,
                arity: u16::try_from(cx.u(arg(2)?)?).map_err(|_| inv("arity"))?,
                tag: cx.constant(arg(3)?)?,
            },
            "test_arity" => Instr::TestArity {
                fail: cx.lbl(arg(0)?)?,
                src: cx.src(arg(1)?)?,
                arity: cx.u(arg(2)?)?,
            },
            "select_val" | "select_tuple_arity" => {
                let src = cx.src(arg(0)?)?;
                let fail = cx.lbl(arg(1)?)?;
                let l = cx.list(arg(2)?)?;
                let mut pairs = Vec::new();
                for p in l.chunks(2) {
                    let v = if ins.name() == "select_tuple_arity" {
                        Term::small_unchecked(cx.u(&p[0])? as i64)
                    } else {
                        cx.constant(&p[0])?
                    };
                    let t = cx.lbl(p.get(1).ok_or_else(|| inv("select list"))?)?;
                    pairs.push((v, t));
                }
                let dense = dense_table(&pairs, fail);
                let table = Box::new(SelectTable {
                    pairs: pairs.into(),
                    dense,
                    fail,
                });
                if ins.name() == "select_val" {
                    Instr::SelectVal { src, table }
                } else {
                    Instr::SelectTupleArity { src, table }
                }
            }
            "jump" => Instr::Jump {
                target: cx.lbl(arg(0)?)?,
            },
            "badmatch" => Instr::Error {
                kind: ErrKind::Badmatch,
                src: cx.src(arg(0)?)?,
            },
            "case_end" => Instr::Error {
                kind: ErrKind::CaseEnd,
                src: cx.src(arg(0)?)?,
            },
            "try_case_end" => Instr::Error {
                kind: ErrKind::TryCaseEnd,
                src: cx.src(arg(0)?)?,
            },
            "badrecord" => Instr::Error {
                kind: ErrKind::Badrecord,
                src: cx.src(arg(0)?)?,
            },
            "if_end" => Instr::IfEnd,
            "catch" | "try" => Instr::Catch {
                y: cx.y(arg(0)?)?,
                handler: cx.lbl(arg(1)?)?,
            },
            "catch_end" => Instr::CatchEnd { y: cx.y(arg(0)?)? },
            "try_end" => Instr::TryEnd { y: cx.y(arg(0)?)? },
            "try_case" => Instr::TryCase { y: cx.y(arg(0)?)? },
            "raise" => Instr::Raise {
                trace: cx.src(arg(0)?)?,
                value: cx.src(arg(1)?)?,
            },
            "raw_raise" => Instr::RawRaise,
            "build_stacktrace" => Instr::BuildStacktrace,
            "apply" => Instr::Apply {
                arity: cx.u(arg(0)?)?,
            },
            "apply_last" => Instr::ApplyLast {
                arity: cx.u(arg(0)?)?,
                dealloc: cx.u(arg(1)?)?,
            },
            "call_fun" | "call_fun2" => {
                let (arity, fun) = if ins.name() == "call_fun" {
                    let a = cx.u(arg(0)?)?;
                    (a, Src::x(Ctx::reg(a)?))
                } else {
                    (cx.u(arg(1)?)?, cx.src(arg(2)?)?)
                };
                // As ERTS's ops.tab: call_fun | deallocate D | return is a tail call.
                let next = m.instructions.get(gi + 1);
                let next2 = m.instructions.get(gi + 2);
                match (next, next2) {
                    (Some(d), Some(r)) if d.name() == "deallocate" && r.name() == "return" => {
                        Instr::CallFunLast {
                            arity,
                            dealloc: cx.u(d.args.first().ok_or_else(|| inv("deallocate"))?)?,
                            fun,
                        }
                    }
                    _ if ins.name() == "call_fun" => Instr::CallFun { arity },
                    _ => Instr::CallFun2 { arity, fun },
                }
            }
            "make_fun2" => Instr::MakeFun2 {
                index: cx.u(arg(0)?)?,
            },
            "make_fun3" => {
                let index = cx.u(arg(0)?)?;
                let dst = cx.dst(arg(1)?)?;
                let env = cx
                    .list(arg(2)?)?
                    .iter()
                    .map(|o| cx.src(o))
                    .collect::<Result<Vec<_>, _>>()?;
                Instr::MakeFun {
                    index,
                    dst,
                    env: env.into(),
                }
            }
            "send" => Instr::Send,
            "remove_message" => Instr::RemoveMessage,
            "timeout" => Instr::Timeout,
            "loop_rec" => Instr::LoopRec {
                fail: cx.lbl(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "loop_rec_end" => Instr::LoopRecEnd {
                target: cx.lbl(arg(0)?)?,
            },
            "wait" => Instr::Wait {
                target: cx.lbl(arg(0)?)?,
            },
            "wait_timeout" => Instr::WaitTimeout {
                target: cx.lbl(arg(0)?)?,
                timeout: cx.src(arg(1)?)?,
            },
            "recv_marker_reserve" => Instr::RecvMarkerReserve {
                dst: cx.dst(arg(0)?)?,
            },
            "recv_marker_bind" => Instr::RecvMarkerBind {
                marker: cx.src(arg(0)?)?,
                reference: cx.src(arg(1)?)?,
            },
            "recv_marker_clear" => Instr::RecvMarkerClear {
                reference: cx.src(arg(0)?)?,
            },
            "recv_marker_use" => Instr::RecvMarkerUse {
                reference: cx.src(arg(0)?)?,
            },
            "fmove" => match (arg(0)?, arg(1)?) {
                (Operand::FloatReg(f), Operand::FloatReg(t)) => Instr::FMove {
                    from: Ctx::reg(*f)? as u16,
                    to: Ctx::reg(*t)? as u16,
                },
                (Operand::FloatReg(f), d) => Instr::FStore {
                    fr: Ctx::reg(*f)? as u16,
                    dst: cx.dst(d)?,
                },
                (s, Operand::FloatReg(t)) => Instr::FLoad {
                    fr: Ctx::reg(*t)? as u16,
                    src: cx.src(s)?,
                },
                _ => return Err(inv("fmove")),
            },
            "fconv" => Instr::FConv {
                src: cx.src(arg(0)?)?,
                fr: cx.fr(arg(1)?)?,
            },
            "fadd" | "fsub" | "fmul" | "fdiv" => Instr::FArith {
                op: match ins.name() {
                    "fadd" => FOp::Add,
                    "fsub" => FOp::Sub,
                    "fmul" => FOp::Mul,
                    _ => FOp::Div,
                },
                a: cx.fr(arg(1)?)?,
                b: cx.fr(arg(2)?)?,
                dst: cx.fr(arg(3)?)?,
            },
            "fnegate" => Instr::FNegate {
                a: cx.fr(arg(1)?)?,
                dst: cx.fr(arg(2)?)?,
            },
            "get_map_elements" | "has_map_fields" => {
                let fail = cx.lbl(arg(0)?)?;
                let map = cx.src(arg(1)?)?;
                let l = cx.list(arg(2)?)?;
                let mut pairs = Vec::new();
                if ins.name() == "get_map_elements" {
                    for p in l.chunks(2) {
                        let k = cx.src(&p[0])?;
                        let d = cx.dst(p.get(1).ok_or_else(|| inv("map list"))?)?;
                        pairs.push((k, d));
                    }
                } else {
                    for k in l {
                        pairs.push((cx.src(k)?, Dst::x(0)));
                    }
                }
                let g = Box::new(MapGet {
                    fail,
                    map,
                    pairs: pairs.into(),
                });
                if ins.name() == "get_map_elements" {
                    Instr::GetMapElements(g)
                } else {
                    Instr::HasMapFields(g)
                }
            }
            "put_map_assoc" | "put_map_exact" => {
                let fail = cx.lbl(arg(0)?)?;
                let map = cx.src(arg(1)?)?;
                let dst = cx.dst(arg(2)?)?;
                let live = cx.u(arg(3)?)?;
                let l = cx.list(arg(4)?)?;
                let mut pairs = Vec::new();
                for p in l.chunks(2) {
                    let k = cx.src(&p[0])?;
                    let v = cx.src(p.get(1).ok_or_else(|| inv("map list"))?)?;
                    pairs.push((k, v));
                }
                Instr::PutMap(Box::new(MapPut {
                    fail,
                    map,
                    dst,
                    live,
                    pairs: pairs.into(),
                    exact: ins.name() == "put_map_exact",
                }))
            }
            "bs_create_bin" => {
                let fail = cx.lbl(arg(0)?)?;
                let live = cx.u(arg(2)?)?;
                let dst = cx.dst(arg(4)?)?;
                let l = cx.list(arg(5)?)?;
                let mut segs = Vec::new();
                for s in l.chunks(6) {
                    if s.len() < 6 {
                        return Err(inv("bs_create_bin segment"));
                    }
                    let kind = match &s[0] {
                        Operand::Atom(a) => seg_kind(cx.atom(*a)?),
                        _ => None,
                    }
                    .ok_or_else(|| inv("segment type"))?;
                    let unit = cx.u(&s[2])?;
                    let flags = seg_flags(cx.constant(&s[3])?);
                    let value = cx.src(&s[4])?;
                    let size = cx.src(&s[5])?;
                    segs.push(BinSegment {
                        kind,
                        unit,
                        flags,
                        value,
                        size,
                    });
                }
                Instr::BsCreateBin(Box::new(BsCreate {
                    fail,
                    live,
                    dst,
                    segs: segs.into(),
                }))
            }
            "bs_start_match3" => Instr::BsStartMatch {
                fail: cx.lbl(arg(0)?)?,
                src: cx.src(arg(1)?)?,
                live: cx.u(arg(2)?)?,
                dst: cx.dst(arg(3)?)?,
            },
            "bs_start_match4" => Instr::BsStartMatch {
                fail: cx.lbl(arg(0)?)?,
                live: cx.u(arg(1)?)?,
                src: cx.src(arg(2)?)?,
                dst: cx.dst(arg(3)?)?,
            },
            "bs_get_integer2" | "bs_get_binary2" | "bs_get_float2" => {
                let kind = match ins.name() {
                    "bs_get_integer2" => SegKind::Integer,
                    "bs_get_binary2" => SegKind::Binary,
                    _ => SegKind::Float,
                };
                Instr::BsGet(Box::new(BsGet {
                    fail: cx.lbl(arg(0)?)?,
                    ctx: cx.src(arg(1)?)?,
                    kind,
                    size: cx.src(arg(3)?)?,
                    unit: cx.u(arg(4)?)?,
                    flags: match_flags(cx.u(arg(5)?)?),
                    dst: Some(cx.dst(arg(6)?)?),
                }))
            }
            "bs_skip_bits2" => Instr::BsGet(Box::new(BsGet {
                fail: cx.lbl(arg(0)?)?,
                ctx: cx.src(arg(1)?)?,
                kind: SegKind::Binary,
                size: cx.src(arg(2)?)?,
                unit: cx.u(arg(3)?)?,
                flags: match_flags(cx.u(arg(4)?)?),
                dst: None,
            })),
            "bs_get_utf8" | "bs_get_utf16" | "bs_get_utf32" | "bs_skip_utf8" | "bs_skip_utf16"
            | "bs_skip_utf32" => {
                let n = ins.name();
                let kind = if n.ends_with("utf8") {
                    SegKind::Utf8
                } else if n.ends_with("utf16") {
                    SegKind::Utf16
                } else {
                    SegKind::Utf32
                };
                let skip = n.starts_with("bs_skip");
                Instr::BsGet(Box::new(BsGet {
                    fail: cx.lbl(arg(0)?)?,
                    ctx: cx.src(arg(1)?)?,
                    kind,
                    size: Src::constant(Term::small_unchecked(0)),
                    unit: 1,
                    flags: match_flags(cx.u(arg(3)?)?),
                    dst: if skip { None } else { Some(cx.dst(arg(4)?)?) },
                }))
            }
            "bs_test_tail2" => Instr::BsTestTail {
                fail: cx.lbl(arg(0)?)?,
                ctx: cx.src(arg(1)?)?,
                bits: cx.u(arg(2)?)?,
            },
            "bs_test_unit" => Instr::BsTestUnit {
                fail: cx.lbl(arg(0)?)?,
                ctx: cx.src(arg(1)?)?,
                unit: cx.u(arg(2)?)?,
            },
            "bs_match_string" => Instr::BsMatchString {
                fail: cx.lbl(arg(0)?)?,
                ctx: cx.src(arg(1)?)?,
                bits: cx.u(arg(2)?)?,
                offset: cx.u(arg(3)?)?,
            },
            "bs_get_tail" => Instr::BsGetTail {
                ctx: cx.src(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "bs_get_position" => Instr::BsGetPosition {
                ctx: cx.src(arg(0)?)?,
                dst: cx.dst(arg(1)?)?,
            },
            "bs_set_position" => Instr::BsSetPosition {
                ctx: cx.src(arg(0)?)?,
                pos: cx.src(arg(1)?)?,
            },
            other => {
                return Err(LoadError::UnsupportedOpcode(
                    oxbeam_loader::opcodes::info(ins.op).map_or("?", |i| i.name),
                ))
                .map_err(|e| {
                    eprintln!("oxbeam: cannot load {}: opcode {other}", m.name);
                    e
                })
            }
        };
        code.push(instr);
    }
    if code.len() as u32 != off {
        return Err(inv("instruction count mismatch"));
    }
    // Functions that are BIFs: their (stub) code calls the BIF; stubs of
    // OTP BIFs not implemented yet raise undef (with a log line).
    for (i, f) in functions.iter().enumerate() {
        let Some(slot) = code.get_mut(f.entry as usize) else {
            continue;
        };
        if crate::bif::find(name, f.name, f.arity).is_some() {
            *slot = Instr::CallExtOnly {
                exp: code::export(name, f.name, f.arity),
            };
        } else if crate::bif::is_otp_bif(name, f.name, f.arity) {
            *slot = Instr::UndefBif { func: i as u32 };
        }
    }
    specialise(&mut code);
    let mut lambdas = Vec::new();
    for f in &m.funs {
        lambdas.push(Lambda {
            name: cx.atom(f.function)?,
            code_arity: f.arity,
            num_free: f.num_free,
            entry: cx.label(f.label)?,
            index: f.index,
            old_uniq: f.old_uniq,
        });
    }
    let mut exports = Vec::new();
    for e in &m.exports {
        exports.push((cx.atom(e.function)?, e.arity, cx.label(e.label)?));
    }
    let attributes = match &m.attributes {
        Some(t) => cx.eterm(t)?,
        None => Term::NIL,
    };
    let compile = match &m.compile_info {
        Some(t) => cx.eterm(t)?,
        None => Term::NIL,
    };
    let mut files = vec![format!("{}.erl", m.name)];
    if let Some(l) = &m.lines {
        files.extend(l.filenames.iter().cloned());
    }
    let Ctx { frag, .. } = cx;
    Ok(Module {
        id,
        name,
        code: code.into(),
        functions,
        lambdas,
        lines,
        files,
        exports,
        attributes,
        compile,
        md5: m.md5,
        strings: m.strings.clone().into(),
        literals: Some(LiteralArea::new(frag)),
        on_load,
    })
}

fn dense_table(pairs: &[(Term, u32)], fail: u32) -> Option<(i64, Box<[u32]>)> {
    let vals: Vec<i64> = pairs
        .iter()
        .map(|p| p.0.as_small())
        .collect::<Option<_>>()?;
    let lo = *vals.iter().min()?;
    let hi = *vals.iter().max()?;
    let span = hi.checked_sub(lo)? + 1;
    if span > 4 * pairs.len() as i64 + 8 {
        return None;
    }
    let mut t = vec![fail; span as usize];
    for (v, p) in vals.iter().zip(pairs) {
        t[(v - lo) as usize] = p.1;
    }
    Some((lo, t.into()))
}

/// Load-time specialisation over the emitted code: runs of `move`s are
/// fused, `deallocate`+`return` and `move`+`return` become one
/// instruction each, single moves
/// between registers get operand-specific forms. A fused instruction
/// replaces the first of its group and the others stay in place, so
/// offsets (labels, line table, return addresses) are unchanged and a
/// jump into the middle of a group still runs the rest of it.
fn specialise(code: &mut [Instr]) {
    let moves: Vec<Option<(Src, Dst)>> = code
        .iter()
        .map(|i| match i {
            Instr::Move { src, dst } => Some((*src, *dst)),
            _ => None,
        })
        .collect();
    for i in 0..code.len() {
        let Some((src, dst)) = moves[i] else {
            if let (Instr::Deallocate { n }, Some(Instr::Return)) = (&code[i], code.get(i + 1)) {
                code[i] = Instr::DeallocReturn { n: *n };
            }
            continue;
        };
        let run: Vec<(Src, Dst)> = moves[i..].iter().map_while(|m| *m).collect();
        code[i] = match run.len() {
            0 | 1 if matches!(code.get(i + 1), Some(Instr::Return)) => {
                Instr::MoveReturn { src, dst }
            }
            0 | 1 => match (src.as_reg(), dst.split()) {
                (Some((false, s)), (false, d)) => Instr::MoveXX {
                    src: s as u16,
                    dst: d as u16,
                },
                (Some((false, s)), (true, d)) => Instr::MoveXY {
                    src: s as u16,
                    dst: d as u16,
                },
                (Some((true, s)), (false, d)) => Instr::MoveYX {
                    src: s as u16,
                    dst: d as u16,
                },
                _ => continue,
            },
            2 => Instr::Move2 {
                s1: run[0].0,
                d1: run[0].1,
                s2: run[1].0,
                d2: run[1].1,
            },
            _ => match run
                .iter()
                .map(|(s, d)| RegMove::new(*s, *d))
                .collect::<Option<Vec<_>>>()
            {
                Some(rs) => Instr::MoveNR(rs.into()),
                None => Instr::MoveN(run.into()),
            },
        };
        if let Instr::Move2 { s1, s2, d1, d2 } = code[i] {
            if let (Some(a), Some(b)) = (RegMove::new(s1, d1), RegMove::new(s2, d2)) {
                code[i] = Instr::Move2R { a, b };
            }
        }
    }
    // Operand-specific forms of comparisons, dense `select_val`s and
    // `move`+`return` on x registers.
    for ins in code.iter_mut() {
        let typed = match &*ins {
            Instr::Cmp { op, fail, a, b } => match (a.as_reg(), b.as_reg()) {
                (Some((false, a)), Some((false, b))) => Some(Instr::CmpXX {
                    op: *op,
                    a: a as u16,
                    b: b as u16,
                    fail: *fail,
                }),
                _ => None,
            },
            Instr::SelectVal { src, table } => match (src.as_reg(), &table.dense) {
                (Some((false, reg)), Some((base, dense)))
                    if dense.iter().all(|t| *t == dense[0] && *t != table.fail) =>
                {
                    match (i32::try_from(*base), u32::try_from(dense.len())) {
                        (Ok(lo), Ok(n)) => Some(Instr::SelectRangeX {
                            reg: reg as u16,
                            lo,
                            n,
                            target: dense[0],
                            fail: table.fail,
                        }),
                        _ => None,
                    }
                }
                (Some((false, reg)), Some((base, dense))) => {
                    i32::try_from(*base).ok().map(|base| Instr::SelectSmallX {
                        reg: reg as u16,
                        base,
                        table: dense.iter().copied().chain([table.fail]).collect(),
                    })
                }
                _ => None,
            },
            Instr::MoveReturn { src, dst } => match (src.as_reg(), dst.split()) {
                (Some((false, s)), (false, 0)) => Some(Instr::ReturnX { src: s as u16 }),
                _ => None,
            },
            _ => None,
        };
        if let Some(t) = typed {
            *ins = t;
        }
    }
    // `allocate` (+ `init_yregs`, redundant: a new frame is all `[]`) and
    // the register-to-register moves after it.
    for i in 0..code.len() {
        let Instr::Allocate {
            slots, heap, live, ..
        } = code[i]
        else {
            continue;
        };
        let mut j = i + 1;
        if matches!(code.get(j), Some(Instr::InitYregs(_))) {
            j += 1;
        }
        let ms: Vec<RegMove> = moves[j.min(moves.len())..]
            .iter()
            .map_while(|m| m.and_then(|(s, d)| RegMove::new(s, d)))
            .collect();
        if ms.is_empty() {
            continue;
        }
        let len = (j - i + ms.len()) as u32;
        code[i] = Instr::AllocMoves(Box::new(AllocMoves {
            slots,
            heap,
            live,
            moves: ms.into(),
            len,
        }));
    }
}
