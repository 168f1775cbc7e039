//! The executable instruction representation.
//!
//! Generic BEAM instructions are transformed at load time
//! ([`super::transform`]) into [`Instr`]: labels become code offsets
//! (`u32` indices into the module's code), imports become `&'static`
//! export entries, atoms and literals become terms, register operands are
//! pre-decoded.
//!
//! A source operand ([`Src`]) is one word: a constant term, or — encoded
//! as a header-tagged (continuation-pointer-style) word, which is never a
//! valid Erlang value — an x or y register number. Destinations
//! ([`Dst`]) are 16-bit register numbers with bit 15 selecting y.
//! Frequent instructions fit in 24 bytes; rare, large ones are boxed.

use crate::code::Export;
use crate::term::Term;

/// Highest register number + 1 (x, y and float registers).
pub const MAX_REG: usize = 1024;

/// A source operand: a constant term or an x/y register.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Src(pub(crate) Term);

impl Src {
    /// Register `x(n)` (`n < MAX_REG`).
    pub fn x(n: u32) -> Src {
        Src(Term::cp((n as u64) << 1).unwrap_or(Term::NIL))
    }
    /// Register `y(n)` (`n < MAX_REG`).
    pub fn y(n: u32) -> Src {
        Src(Term::cp(((n as u64) << 1) | 1).unwrap_or(Term::NIL))
    }
    /// A constant term.
    pub fn constant(t: Term) -> Src {
        Src(t)
    }
    /// The constant, if this operand is one.
    pub fn as_const(self) -> Option<Term> {
        self.0.is_value().then_some(self.0)
    }
    /// `Some((is_y, n))` for a register operand.
    pub fn as_reg(self) -> Option<(bool, u32)> {
        let v = self.0.cp_value()?;
        Some((v & 1 == 1, (v >> 1) as u32))
    }
}

impl std::fmt::Debug for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.as_reg() {
            Some((false, n)) => write!(f, "x{n}"),
            Some((true, n)) => write!(f, "y{n}"),
            None => write!(f, "{}", self.0),
        }
    }
}

/// A destination register: `x(n)` or `y(n)` (bit 15).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Dst(pub u16);

impl Dst {
    /// Bit marking a y register.
    pub const Y: u16 = 0x8000;
    /// `x(n)`.
    pub fn x(n: u32) -> Dst {
        Dst(n as u16)
    }
    /// `y(n)`.
    pub fn y(n: u32) -> Dst {
        Dst(n as u16 | Dst::Y)
    }
    /// `(is_y, n)`.
    #[inline]
    pub fn split(self) -> (bool, usize) {
        (self.0 & Dst::Y != 0, (self.0 & 0x7fff) as usize)
    }
}

impl std::fmt::Debug for Dst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, n) = self.split();
        write!(f, "{}{n}", if y { "y" } else { "x" })
    }
}

/// A register-to-register move packed in one word: bit 31 set when the
/// source is a y register, bit 30 when the destination is, the source
/// number in bits 15..30 and the destination number in bits 0..15.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegMove(pub u32);

impl RegMove {
    /// Packs `src -> dst` when both are registers.
    pub fn new(src: Src, dst: Dst) -> Option<RegMove> {
        let (sy, sn) = src.as_reg()?;
        let (dy, dn) = dst.split();
        if sn as usize >= MAX_REG || dn >= MAX_REG {
            return None;
        }
        Some(RegMove(
            (u32::from(sy) << 31) | (u32::from(dy) << 30) | (sn << 15) | dn as u32,
        ))
    }
}

/// Operands of [`Instr::AllocMoves`].
#[derive(Debug)]
pub struct AllocMoves {
    /// y registers of the frame.
    pub slots: u32,
    /// Heap words to reserve as well.
    pub heap: u32,
    /// Live x registers (for a GC).
    pub live: u32,
    /// The moves, in order.
    pub moves: Box<[RegMove]>,
    /// Instructions covered (the `allocate` included).
    pub len: u32,
}

/// Type tests (`is_*` instructions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeTest {
    Integer,
    Float,
    Number,
    Atom,
    Pid,
    Reference,
    Port,
    Nil,
    Binary,
    List,
    NonemptyList,
    Tuple,
    Function,
    Boolean,
    Map,
    Bitstr,
}

/// Comparison tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Ge,
    Eq,
    Ne,
    EqExact,
    NeExact,
}

/// Errors raised by dedicated instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrKind {
    Badmatch,
    CaseEnd,
    TryCaseEnd,
    Badrecord,
}

/// Arithmetic specialised out of `gc_bif2`/`gc_bif1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
}

/// Float register arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A BIF call made by a `bif*`/`gc_bif*` instruction.
#[derive(Debug)]
pub struct BifCall {
    /// Index into [`crate::bif::BIFS`].
    pub bif: u32,
    /// Fail label (`u32::MAX`: raise).
    pub fail: u32,
    /// Arguments.
    pub args: Box<[Src]>,
    /// Result register.
    pub dst: Dst,
    /// Live x registers (gc_bif).
    pub live: u32,
}

/// Sorted value table of `select_val`.
#[derive(Debug)]
pub struct SelectTable {
    /// Value/target pairs.
    pub pairs: Box<[(Term, u32)]>,
    /// All values are small integers forming a dense range starting at
    /// `base` (then `dense[v - base]` is the target or `fail`).
    pub dense: Option<(i64, Box<[u32]>)>,
    /// Fail target.
    pub fail: u32,
}

/// `get_map_elements` / `has_map_fields` operands.
#[derive(Debug)]
pub struct MapGet {
    /// Fail target.
    pub fail: u32,
    /// The map.
    pub map: Src,
    /// Keys and destinations (`has_map_fields`: destinations unused).
    pub pairs: Box<[(Src, Dst)]>,
}

/// `put_map_assoc` / `put_map_exact` operands.
#[derive(Debug)]
pub struct MapPut {
    /// Fail target (`u32::MAX`: raise).
    pub fail: u32,
    /// Source map.
    pub map: Src,
    /// Result.
    pub dst: Dst,
    /// Live registers.
    pub live: u32,
    /// Keys and values.
    pub pairs: Box<[(Src, Src)]>,
    /// `put_map_exact` (keys must exist).
    pub exact: bool,
}

/// One segment of `bs_create_bin`.
#[derive(Debug, Clone)]
pub struct BinSegment {
    /// Segment type.
    pub kind: SegKind,
    /// Unit.
    pub unit: u32,
    /// Flags: bit 0 little, bit 1 signed, bit 2 native.
    pub flags: u32,
    /// The value.
    pub value: Src,
    /// Size (`all` is the atom `all`; `undefined` for none).
    pub size: Src,
}

/// Segment types of `bs_create_bin` and the bit matching instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegKind {
    Integer,
    Float,
    Binary,
    Utf8,
    Utf16,
    Utf32,
    String,
    Append,
    PrivateAppend,
}

/// `bs_create_bin` operands.
#[derive(Debug)]
pub struct BsCreate {
    /// Fail target (`u32::MAX`: raise).
    pub fail: u32,
    /// Live registers.
    pub live: u32,
    /// Result.
    pub dst: Dst,
    /// Segments.
    pub segs: Box<[BinSegment]>,
}

/// Bit-syntax get operations (`bs_get_*`, `bs_skip_*`).
#[derive(Debug)]
pub struct BsGet {
    /// Fail target.
    pub fail: u32,
    /// Match context.
    pub ctx: Src,
    /// Segment kind.
    pub kind: SegKind,
    /// Size operand (`all` atom allowed for binaries).
    pub size: Src,
    /// Unit.
    pub unit: u32,
    /// Flags: bit 0 little, bit 1 signed.
    pub flags: u32,
    /// Destination (`None` for skips).
    pub dst: Option<Dst>,
}

/// One executable instruction.
#[derive(Debug)]
pub enum Instr {
    // ---- moves
    Move {
        src: Src,
        dst: Dst,
    },
    /// `move` x → x (load-time specialisation).
    MoveXX {
        src: u16,
        dst: u16,
    },
    /// `move` x → y.
    MoveXY {
        src: u16,
        dst: u16,
    },
    /// `move` y → x.
    MoveYX {
        src: u16,
        dst: u16,
    },
    /// Two consecutive `move`s fused (sequential, not parallel); the
    /// second one stays at the next offset for jumps that land there.
    Move2 {
        s1: Src,
        s2: Src,
        d1: Dst,
        d2: Dst,
    },
    /// A single `move` followed by `return` (the `return` stays at the
    /// next offset).
    MoveReturn {
        src: Src,
        dst: Dst,
    },
    /// `MoveReturn` of `x(src)` into `x(0)` (load-time specialisation).
    ReturnX {
        src: u16,
    },
    /// `MoveN` of register-to-register moves only.
    MoveNR(Box<[RegMove]>),
    /// `Move2` of register-to-register moves only.
    Move2R {
        a: RegMove,
        b: RegMove,
    },
    /// `allocate`, an optional `init_yregs` and register-to-register
    /// moves fused (the constituents stay at the following offsets).
    AllocMoves(Box<AllocMoves>),
    /// A run of three or more consecutive `move`s fused (the originals
    /// stay at the following offsets).
    MoveN(Box<[(Src, Dst)]>),
    Swap {
        a: Dst,
        b: Dst,
    },
    Init {
        dst: Dst,
    },
    InitYregs(Box<[u16]>),
    // ---- frames and heap
    Allocate {
        slots: u32,
        heap: u32,
        live: u32,
        zero: bool,
    },
    Deallocate {
        n: u32,
    },
    /// `deallocate N` followed by `return` (the `return` stays at the
    /// next offset).
    DeallocReturn {
        n: u32,
    },
    Trim {
        n: u32,
    },
    TestHeap {
        need: u32,
        live: u32,
    },
    // ---- calls
    Call {
        target: u32,
    },
    CallLast {
        target: u32,
        dealloc: u32,
    },
    CallOnly {
        target: u32,
    },
    CallExt {
        exp: &'static Export,
    },
    CallExtLast {
        exp: &'static Export,
        dealloc: u32,
    },
    CallExtOnly {
        exp: &'static Export,
    },
    Return,
    Apply {
        arity: u32,
    },
    ApplyLast {
        arity: u32,
        dealloc: u32,
    },
    CallFun {
        arity: u32,
    },
    CallFun2 {
        arity: u32,
        fun: Src,
    },
    /// `call_fun`/`call_fun2` followed by `deallocate D`, `return`.
    CallFunLast {
        arity: u32,
        dealloc: u32,
        fun: Src,
    },
    MakeFun {
        index: u32,
        dst: Dst,
        env: Box<[Src]>,
    },
    MakeFun2 {
        index: u32,
    },
    FuncInfo {
        func: u32,
    },
    IntCodeEnd,
    // ---- control
    Jump {
        target: u32,
    },
    SelectVal {
        src: Src,
        table: Box<SelectTable>,
    },
    /// `select_val` on an x register whose values are a dense range of
    /// small integers from `base`: `table[v - base]` is the target, the
    /// last entry the fail target (load-time specialisation).
    SelectSmallX {
        reg: u16,
        base: i32,
        table: Box<[u32]>,
    },
    /// `select_val` on an x register whose listed values are the small
    /// integers `lo .. lo + n`, all with the same target: a range test
    /// with two constant targets (load-time specialisation).
    SelectRangeX {
        reg: u16,
        lo: i32,
        n: u32,
        target: u32,
        fail: u32,
    },
    SelectTupleArity {
        src: Src,
        table: Box<SelectTable>,
    },
    // ---- tests
    Test {
        kind: TypeTest,
        fail: u32,
        src: Src,
    },
    /// `Cmp` of two x registers (load-time specialisation).
    CmpXX {
        op: CmpOp,
        a: u16,
        b: u16,
        fail: u32,
    },
    IsFunction2 {
        fail: u32,
        src: Src,
        arity: Src,
    },
    Cmp {
        op: CmpOp,
        fail: u32,
        a: Src,
        b: Src,
    },
    IsTaggedTuple {
        arity: u16,
        fail: u32,
        src: Src,
        tag: Term,
    },
    TestArity {
        arity: u32,
        fail: u32,
        src: Src,
    },
    // ---- data
    GetTupleElement {
        idx: u32,
        dst: Dst,
        src: Src,
    },
    SetTupleElement {
        idx: u32,
        val: Src,
        tuple: Src,
    },
    PutTuple2 {
        dst: Dst,
        elems: Box<[Src]>,
    },
    PutList {
        dst: Dst,
        head: Src,
        tail: Src,
    },
    GetList {
        hd: Dst,
        tl: Dst,
        src: Src,
    },
    GetHd {
        dst: Dst,
        src: Src,
    },
    GetTl {
        dst: Dst,
        src: Src,
    },
    // ---- BIFs and arithmetic
    Arith {
        op: ArithOp,
        dst: Dst,
        fail: u32,
        a: Src,
        b: Src,
    },
    /// `gc_bif` `+`/`-` of a register and a small-integer literal
    /// (`Reg + Imm`, `Reg - Imm`); `delta` is the signed amount added
    /// (`Imm` or `-Imm`).
    ArithImm {
        op: ArithOp,
        dst: Dst,
        fail: u32,
        src: Src,
        delta: i32,
    },
    Bif(Box<BifCall>),
    // ---- errors
    Error {
        kind: ErrKind,
        src: Src,
    },
    IfEnd,
    // ---- exceptions
    Catch {
        y: u16,
        handler: u32,
    },
    CatchEnd {
        y: u16,
    },
    TryEnd {
        y: u16,
    },
    TryCase {
        y: u16,
    },
    Raise {
        trace: Src,
        value: Src,
    },
    RawRaise,
    BuildStacktrace,
    // ---- messages
    Send,
    LoopRec {
        fail: u32,
        dst: Dst,
    },
    LoopRecEnd {
        target: u32,
    },
    RemoveMessage,
    Wait {
        target: u32,
    },
    WaitTimeout {
        target: u32,
        timeout: Src,
    },
    Timeout,
    RecvMarkerReserve {
        dst: Dst,
    },
    RecvMarkerBind {
        marker: Src,
        reference: Src,
    },
    RecvMarkerClear {
        reference: Src,
    },
    RecvMarkerUse {
        reference: Src,
    },
    // ---- floats
    FLoad {
        fr: u16,
        src: Src,
    },
    FStore {
        fr: u16,
        dst: Dst,
    },
    FMove {
        from: u16,
        to: u16,
    },
    FConv {
        fr: u16,
        src: Src,
    },
    FArith {
        op: FOp,
        a: u16,
        b: u16,
        dst: u16,
    },
    FNegate {
        a: u16,
        dst: u16,
    },
    // ---- maps
    GetMapElements(Box<MapGet>),
    HasMapFields(Box<MapGet>),
    PutMap(Box<MapPut>),
    // ---- binaries
    BsCreateBin(Box<BsCreate>),
    BsStartMatch {
        fail: u32,
        live: u32,
        src: Src,
        dst: Dst,
    },
    BsGet(Box<BsGet>),
    BsMatchString {
        fail: u32,
        ctx: Src,
        bits: u32,
        offset: u32,
    },
    BsTestTail {
        fail: u32,
        ctx: Src,
        bits: u32,
    },
    BsTestUnit {
        fail: u32,
        ctx: Src,
        unit: u32,
    },
    BsGetTail {
        ctx: Src,
        dst: Dst,
    },
    BsGetPosition {
        ctx: Src,
        dst: Dst,
    },
    BsSetPosition {
        ctx: Src,
        pos: Src,
    },
    BsInitWritable,
    // ---- misc
    /// Entry of a function that is an OTP BIF not implemented yet: logs
    /// once and raises `undef`.
    UndefBif {
        func: u32,
    },
    Nop,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instr_is_small() {
        assert!(
            std::mem::size_of::<Instr>() <= 24,
            "{}",
            std::mem::size_of::<Instr>()
        );
        assert_eq!(std::mem::size_of::<Src>(), 8);
    }

    #[test]
    fn src_encoding() {
        assert_eq!(Src::x(5).as_reg(), Some((false, 5)));
        assert_eq!(Src::y(1023).as_reg(), Some((true, 1023)));
        assert_eq!(Src::constant(Term::NIL).as_const(), Some(Term::NIL));
        assert_eq!(Src::x(0).as_const(), None);
    }
}
