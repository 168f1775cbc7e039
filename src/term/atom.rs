//! The global atom table.
//!
//! Atoms are interned UTF-8 strings of at most 255 characters, identified by
//! a dense index ([`Atom`]). The table is append-only: an atom once created
//! lives as long as the VM, so [`Atom::as_str`] returns a `&'static str`.
//!
//! Concurrency: looking an atom up by index takes no lock. Entries are stored
//! in fixed-size chunks whose pointers are published with release stores;
//! readers use acquire loads. Interning (text → index) goes through a
//! `parking_lot` mutex guarding a `hashbrown` map. The table holds at most
//! [`MAX_ATOMS`] atoms (ERTS's default `+t` limit); interning beyond that
//! returns [`AtomError::SystemLimit`].
//!
//! A set of common atoms is pre-interned at fixed indices, available as
//! constants in [`atoms`] (e.g. [`atoms::TRUE`], [`atoms::OK`]).

use hashbrown::HashMap;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::fmt;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// Maximum number of atoms (ERTS default atom table size).
pub const MAX_ATOMS: usize = 1 << 20;
/// Maximum length of an atom in characters.
pub const MAX_ATOM_CHARS: usize = 255;

const CHUNK_BITS: u32 = 10;
const CHUNK_SIZE: usize = 1 << CHUNK_BITS;
const NUM_CHUNKS: usize = MAX_ATOMS / CHUNK_SIZE;

/// An interned atom: an index into the global atom table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom(u32);

/// Errors from interning an atom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtomError {
    /// The atom table is full (`system_limit` in Erlang).
    SystemLimit,
    /// The name is longer than 255 characters (`system_limit` in Erlang).
    TooLong,
    /// The bytes are not valid UTF-8 / Latin-1 as requested (`badarg`).
    BadEncoding,
}

impl fmt::Display for AtomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AtomError::SystemLimit => write!(f, "system_limit: atom table full"),
            AtomError::TooLong => write!(f, "system_limit: atom too long"),
            AtomError::BadEncoding => write!(f, "badarg: invalid atom encoding"),
        }
    }
}

impl std::error::Error for AtomError {}

/// One entry of the table.
struct AtomEntry {
    name: &'static str,
    /// Every character is < 256 (the atom can be encoded as Latin-1).
    latin1: bool,
    /// Number of characters.
    chars: u16,
}

type Chunk = [AtomicPtr<AtomEntry>; CHUNK_SIZE];

struct AtomTable {
    chunks: Box<[AtomicPtr<Chunk>]>,
    count: AtomicU32,
    index: Mutex<HashMap<&'static str, u32>>,
}

static TABLE: Lazy<AtomTable> = Lazy::new(|| {
    let chunks: Vec<AtomicPtr<Chunk>> = (0..NUM_CHUNKS)
        .map(|_| AtomicPtr::new(std::ptr::null_mut()))
        .collect();
    let table = AtomTable {
        chunks: chunks.into_boxed_slice(),
        count: AtomicU32::new(0),
        index: Mutex::new(HashMap::with_capacity(4096)),
    };
    {
        let mut map = table.index.lock();
        for (i, name) in atoms::PREDEFINED.iter().enumerate() {
            let got = table
                .insert_locked(&mut map, name)
                .expect("predefined atoms fit");
            debug_assert_eq!(got.0 as usize, i);
        }
    }
    table
});

impl AtomTable {
    fn insert_locked(
        &self,
        map: &mut HashMap<&'static str, u32>,
        name: &str,
    ) -> Result<Atom, AtomError> {
        if let Some(&ix) = map.get(name) {
            return Ok(Atom(ix));
        }
        let chars = name.chars().count();
        if chars > MAX_ATOM_CHARS {
            return Err(AtomError::TooLong);
        }
        let ix = self.count.load(Ordering::Relaxed) as usize;
        if ix >= MAX_ATOMS {
            return Err(AtomError::SystemLimit);
        }
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let entry = Box::leak(Box::new(AtomEntry {
            name,
            latin1: name.chars().all(|c| (c as u32) < 256),
            chars: chars as u16,
        }));
        let chunk_ix = ix >> CHUNK_BITS;
        let mut chunk = self.chunks[chunk_ix].load(Ordering::Acquire);
        if chunk.is_null() {
            let fresh: Box<Chunk> =
                Box::new(std::array::from_fn(
                    |_| AtomicPtr::new(std::ptr::null_mut()),
                ));
            chunk = Box::into_raw(fresh);
            self.chunks[chunk_ix].store(chunk, Ordering::Release);
        }
        // SAFETY: `chunk` is a non-null pointer to a leaked, never-freed
        // chunk; we hold the table mutex so no other writer races with us.
        let slot = unsafe { &(*chunk)[ix & (CHUNK_SIZE - 1)] };
        slot.store(entry as *mut AtomEntry, Ordering::Release);
        self.count.store(ix as u32 + 1, Ordering::Release);
        map.insert(name, ix as u32);
        Ok(Atom(ix as u32))
    }

    fn entry(&self, ix: u32) -> Option<&'static AtomEntry> {
        let ix = ix as usize;
        if ix >= MAX_ATOMS {
            return None;
        }
        let chunk = self.chunks[ix >> CHUNK_BITS].load(Ordering::Acquire);
        if chunk.is_null() {
            return None;
        }
        // SAFETY: published chunks are leaked and never freed or moved.
        let p = unsafe { (*chunk)[ix & (CHUNK_SIZE - 1)].load(Ordering::Acquire) };
        if p.is_null() {
            None
        } else {
            // SAFETY: published entries are leaked (`'static`) and immutable.
            Some(unsafe { &*p })
        }
    }
}

impl Atom {
    /// Interns `name` (UTF-8), returning its atom.
    pub fn intern(name: &str) -> Result<Atom, AtomError> {
        let t = &*TABLE;
        let mut map = t.index.lock();
        t.insert_locked(&mut map, name)
    }

    /// Interns an atom from Latin-1 bytes (each byte is one character).
    pub fn intern_latin1(bytes: &[u8]) -> Result<Atom, AtomError> {
        if bytes.len() > MAX_ATOM_CHARS {
            return Err(AtomError::TooLong);
        }
        let s: String = bytes.iter().map(|&b| b as char).collect();
        Atom::intern(&s)
    }

    /// Interns an atom from UTF-8 bytes; invalid UTF-8 is `BadEncoding`.
    pub fn intern_utf8(bytes: &[u8]) -> Result<Atom, AtomError> {
        let s = std::str::from_utf8(bytes).map_err(|_| AtomError::BadEncoding)?;
        Atom::intern(s)
    }

    /// Looks up an existing atom without creating it (`list_to_existing_atom`).
    pub fn existing(name: &str) -> Option<Atom> {
        TABLE.index.lock().get(name).map(|&ix| Atom(ix))
    }

    /// Interns a name known to be valid; for Rust-side constants. Returns
    /// `atoms::UNDEFINED` if the table is full or the name too long.
    pub fn from_static(name: &str) -> Atom {
        Atom::intern(name).unwrap_or(atoms::UNDEFINED)
    }

    /// The atom with table index `ix`, if it exists.
    pub fn from_index(ix: u32) -> Option<Atom> {
        TABLE.entry(ix).map(|_| Atom(ix))
    }

    /// The atom's table index.
    #[inline]
    pub const fn index(self) -> u32 {
        self.0
    }

    /// Constructs an atom from an index without checking that it exists.
    /// Reading the name of a non-existent atom yields `""`.
    #[inline]
    pub const fn from_index_unchecked(ix: u32) -> Atom {
        Atom(ix)
    }

    /// The atom's text.
    pub fn as_str(self) -> &'static str {
        TABLE.entry(self.0).map(|e| e.name).unwrap_or("")
    }

    /// The atom's text as UTF-8 bytes.
    pub fn as_bytes(self) -> &'static [u8] {
        self.as_str().as_bytes()
    }

    /// Whether every character is below 256 (Latin-1 encodable).
    pub fn is_latin1(self) -> bool {
        TABLE.entry(self.0).map(|e| e.latin1).unwrap_or(true)
    }

    /// Length in characters.
    pub fn char_len(self) -> usize {
        TABLE.entry(self.0).map(|e| e.chars as usize).unwrap_or(0)
    }

    /// The atom's text encoded as Latin-1, if possible.
    pub fn to_latin1(self) -> Option<Vec<u8>> {
        let s = self.as_str();
        s.chars()
            .map(|c| {
                if (c as u32) < 256 {
                    Some(c as u8)
                } else {
                    None
                }
            })
            .collect()
    }

    /// Number of atoms currently in the table.
    pub fn count() -> usize {
        TABLE.count.load(Ordering::Acquire) as usize
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.as_str())
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! predefined_atoms {
    ($( $ix:literal $const:ident = $name:literal ;)*) => {
        /// Pre-interned atoms at fixed indices.
        pub mod atoms {
            use super::Atom;
            $(
                #[doc = concat!("The atom `", $name, "`.")]
                pub const $const: Atom = Atom($ix);
            )*
            /// Names of the pre-interned atoms, in index order.
            pub(super) const PREDEFINED: &[&str] = &[$($name),*];
        }
    };
}

predefined_atoms! {
    0 FALSE = "false";
    1 TRUE = "true";
    2 UNDEFINED = "undefined";
    3 OK = "ok";
    4 ERROR = "error";
    5 EMPTY = "";
    6 NIL = "nil";
    7 EXIT_UPPER = "EXIT";
    8 EXIT = "exit";
    9 THROW = "throw";
    10 NORMAL = "normal";
    11 KILL = "kill";
    12 KILLED = "killed";
    13 BADARG = "badarg";
    14 BADARITH = "badarith";
    15 BADMATCH = "badmatch";
    16 FUNCTION_CLAUSE = "function_clause";
    17 CASE_CLAUSE = "case_clause";
    18 IF_CLAUSE = "if_clause";
    19 UNDEF = "undef";
    20 BADFUN = "badfun";
    21 BADARITY = "badarity";
    22 TIMEOUT_VALUE = "timeout_value";
    23 NOPROC = "noproc";
    24 SYSTEM_LIMIT = "system_limit";
    25 TRY_CLAUSE = "try_clause";
    26 BADKEY = "badkey";
    27 BADMAP = "badmap";
    28 BADRECORD = "badrecord";
    29 NOCATCH = "nocatch";
    30 INFINITY = "infinity";
    31 NONODE_NOHOST = "nonode@nohost";
    32 ERLANG = "erlang";
    33 EXTERNAL = "external";
    34 LOCAL = "local";
    35 FUN = "fun";
    36 ALL = "all";
    37 VALUE = "value";
    38 DOWN = "DOWN";
    39 PROCESS = "process";
    40 PORT = "port";
    41 NOCONNECTION = "noconnection";
    42 TIMEOUT = "timeout";
    43 FILE = "file";
    44 LINE = "line";
    45 ERROR_INFO = "error_info";
    46 MODULE = "module";
    47 FUNCTION = "function";
    48 ARITY = "arity";
    49 NAME = "name";
    50 ENV = "env";
    51 INDEX = "index";
    52 UNIQ = "uniq";
    53 NEW_INDEX = "new_index";
    54 NEW_UNIQ = "new_uniq";
    55 PID = "pid";
    56 TYPE = "type";
    57 NOTSUP = "notsup";
    58 START = "start";
    59 STOP = "stop";
    60 MAX = "max";
    61 HIGH = "high";
    62 LOW = "low";
    63 PRIORITY = "priority";
    64 TRAP_EXIT = "trap_exit";
    65 MEMORY = "memory";
    66 HEAP_SIZE = "heap_size";
    67 TOTAL_HEAP_SIZE = "total_heap_size";
    68 STACK_SIZE = "stack_size";
    69 MESSAGE_QUEUE_LEN = "message_queue_len";
    70 GARBAGE_COLLECTION = "garbage_collection";
    71 MIN_HEAP_SIZE = "min_heap_size";
    72 MIN_BIN_VHEAP_SIZE = "min_bin_vheap_size";
    73 FULLSWEEP_AFTER = "fullsweep_after";
    74 MINOR_GCS = "minor_gcs";
    75 LATIN1 = "latin1";
    76 UNICODE = "unicode";
    77 UTF8 = "utf8";
    78 CALL = "call";
    79 RETURN = "return";
    80 EXCEPTION = "exception";
    81 CATCH = "catch";
    82 SPAWN = "spawn";
    83 LINK = "link";
    84 MONITOR = "monitor";
    85 REGISTERED_NAME = "registered_name";
    86 REDUCTIONS = "reductions";
    87 STATUS = "status";
    88 RUNNING = "running";
    89 RUNNABLE = "runnable";
    90 WAITING = "waiting";
    91 EXITING = "exiting";
    92 SUSPENDED = "suspended";
    93 GROUP_LEADER = "group_leader";
    94 DICTIONARY = "dictionary";
    95 MESSAGES = "messages";
    96 LINKS = "links";
    97 MONITORS = "monitors";
    98 INIT = "init";
    99 ON_LOAD = "on_load";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_are_stable() {
        assert_eq!(atoms::TRUE.as_str(), "true");
        assert_eq!(atoms::FALSE.as_str(), "false");
        assert_eq!(atoms::ON_LOAD.as_str(), "on_load");
        assert_eq!(Atom::intern("ok").unwrap(), atoms::OK);
        assert_eq!(Atom::intern("").unwrap(), atoms::EMPTY);
    }

    #[test]
    fn intern_roundtrip_and_limits() {
        let a = Atom::intern("hello_atom_test").unwrap();
        assert_eq!(a.as_str(), "hello_atom_test");
        assert_eq!(Atom::intern("hello_atom_test").unwrap(), a);
        assert_eq!(Atom::existing("hello_atom_test"), Some(a));
        assert_eq!(Atom::existing("never_interned_zzz_q"), None);
        let long: String = "é".repeat(255);
        let l = Atom::intern(&long).unwrap();
        assert_eq!(l.char_len(), 255);
        assert!(l.is_latin1());
        assert_eq!(l.to_latin1().unwrap().len(), 255);
        assert_eq!(Atom::intern(&"x".repeat(256)), Err(AtomError::TooLong));
        let u = Atom::intern("ατομ").unwrap();
        assert!(!u.is_latin1());
        assert_eq!(Atom::intern_latin1(&[0xe9]).unwrap().as_str(), "é");
        assert_eq!(Atom::intern_utf8(&[0xff]), Err(AtomError::BadEncoding));
        assert_eq!(Atom::from_index(a.index()), Some(a));
        assert_eq!(Atom::from_index((MAX_ATOMS + 5) as u32), None);
    }

    #[test]
    fn concurrent_interning() {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    (0..500)
                        .map(|i| Atom::intern(&format!("conc_{}", (i + t * 100) % 700)).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let all: Vec<Vec<Atom>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for v in &all {
            for a in v {
                assert!(a.as_str().starts_with("conc_"));
                assert_eq!(Atom::intern(a.as_str()).unwrap(), *a);
            }
        }
    }
}
