//! The process: heap and stack, register save area, process dictionary,
//! message queue, links and monitors, reductions, exception state.
//!
//! Messages from other processes arrive as [`signal::Signal`]s in the
//! shared signal queue ([`signal::Shared`]); the process moves them into
//! `mailbox` (terms on its own heap or in attached fragments, GC roots)
//! when it looks for a message ([`Process::handle_signals`]).

pub mod signal;

use signal::{Inbox, Message, RefId, Shared, Signal};
use std::sync::Arc;

use crate::atom::{atoms, Atom};
use crate::emulator::instr::MAX_REG;
use crate::heap::{Heap, HeapBuilder, RegFile};
use crate::term::Term;

/// Reductions per time slice (ERTS `CONTEXT_REDS`).
pub const CONTEXT_REDS: i64 = 4000;

/// Where a suspended process resumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// Not started.
    Fresh,
    /// Continue at the code address (module id, offset).
    At(u64),
    /// Finished.
    Done,
}

/// A process.
pub struct Process {
    /// Heap, stack (y registers and continuation pointers) and fragments.
    pub heap: Heap,
    /// x registers (saved here while switched out; the interpreter works
    /// on them in place).
    pub x: RegFile<Term>,
    /// Float registers.
    pub fr: RegFile<f64>,
    /// Live x registers when switched out.
    pub live: usize,
    /// Process dictionary as key/value pairs (flattened: k0, v0, k1, ...).
    pub dict: Vec<Term>,
    /// Messages (copied onto this heap), oldest first.
    pub mailbox: std::collections::VecDeque<Term>,
    /// Index of the next message `loop_rec` examines.
    pub save: usize,
    /// Reductions left in the current slice.
    pub reds: i64,
    /// Total reductions.
    pub total_reds: u64,
    /// Number of times the process was switched out.
    pub yields: u64,
    /// Where to resume.
    pub resume: Resume,
    /// Pid data (`serial << 15 | number`).
    pub pid: u32,
    /// Counter for references.
    pub ref_counter: u64,
    /// Active catches (try/catch frames on the stack).
    pub catches: u64,
    /// Saved values kept alive across GC (e.g. the exception being built).
    pub scratch: Vec<Term>,
    /// Code address of the instruction calling the current BIF.
    pub bif_pc: u64,
    /// Deadline of the `receive ... after` being waited in.
    pub recv_deadline: Option<std::time::Instant>,
    /// Spare signal buffer swapped with the shared queue (keeps its
    /// capacity between batches).
    pub sig_buf: std::collections::VecDeque<Signal>,
    /// Deadline for which a wake-up timer is registered.
    pub recv_timer: Option<std::time::Instant>,
    /// The shared part (signal queue, state); `None` for helper processes
    /// run outside the scheduler (e.g. `on_load`).
    pub shared: Option<Arc<Shared>>,
    /// Linked processes (pid data).
    pub links: Vec<u32>,
    /// Monitors this process holds: (reference, target pid data, name).
    pub monitors: Vec<(RefId, u32, Option<Atom>)>,
    /// Monitors on this process: (watcher pid data, reference, name).
    pub monitored_by: Vec<(u32, RefId, Option<Atom>)>,
    /// `process_flag(trap_exit, _)`.
    pub trap_exit: bool,
    /// Group leader (a pid).
    pub group_leader: Term,
    /// `{M, F, Arity}` of the spawn call.
    pub initial_call: (Atom, Atom, u32),
    /// `process_flag(priority, _)`.
    pub priority: Atom,
    /// Set by a BIF whose exception must end the process (no catch).
    pub exit_now: bool,
    /// `spawn_opt` options kept for `process_info` (message_queue_data,
    /// max_heap_size, ...) that do not change behaviour here.
    pub flags: Vec<(Atom, Term)>,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .field("heap", &self.heap)
            .finish()
    }
}

impl Default for Process {
    fn default() -> Self {
        Process::new(0)
    }
}

impl Process {
    /// A fresh process with pid data `pid`.
    pub fn new(pid: u32) -> Process {
        Process {
            heap: Heap::new(),
            x: RegFile::new(),
            fr: RegFile::new(),
            live: 0,
            dict: Vec::new(),
            mailbox: std::collections::VecDeque::new(),
            save: 0,
            reds: CONTEXT_REDS,
            total_reds: 0,
            yields: 0,
            resume: Resume::Fresh,
            pid,
            ref_counter: 0,
            catches: 0,
            scratch: Vec::new(),
            bif_pc: 0,
            recv_deadline: None,
            recv_timer: None,
            sig_buf: std::collections::VecDeque::new(),
            shared: None,
            links: Vec::new(),
            monitors: Vec::new(),
            monitored_by: Vec::new(),
            trap_exit: false,
            group_leader: Term::pid(0, 0).unwrap_or(Term::NIL),
            initial_call: (atoms::ERLANG, Atom::from_static("apply"), 2),
            priority: atoms::NORMAL,
            exit_now: false,
            flags: Vec::new(),
        }
    }

    /// The process's pid term.
    pub fn pid_term(&self) -> Term {
        Term::pid_from_data(self.pid as u64)
    }

    /// Makes sure `words` heap words are free, collecting garbage with
    /// `x(0..live)`, the dictionary, the mailbox and the scratch area as
    /// roots (and the stack, always). Returns whether a GC ran.
    pub fn need(&mut self, words: usize, live: usize) -> bool {
        if self.heap.free_words() >= words && !self.heap.wants_gc() {
            return false;
        }
        let live = live.min(MAX_REG);
        let (xs, _) = self.x.split_at_mut(live);
        self.heap.gc(
            words,
            &mut [
                xs,
                &mut self.dict,
                self.mailbox.make_contiguous(),
                &mut self.scratch,
            ],
        );
        true
    }

    /// Collects garbage now (`erlang:garbage_collect/0,1,2` on the calling
    /// process): a full sweep if `major`, else a minor collection. Runs
    /// inside a BIF call, where no x register is live; the stack, the
    /// dictionary, the mailbox and the other saved terms are the roots.
    pub fn collect_now(&mut self, major: bool) {
        let mut roots: [&mut [Term]; 3] = [
            &mut self.dict,
            self.mailbox.make_contiguous(),
            &mut self.scratch,
        ];
        if major {
            self.heap.major_gc(0, &mut roots);
        } else {
            self.heap.gc(0, &mut roots);
        }
    }

    /// Pushes a word on the stack, collecting if there is no room.
    pub fn push(&mut self, t: Term, live: usize) {
        if !self.heap.stack_push(t) {
            self.need(1, live);
            let _ = self.heap.stack_push(t);
        }
    }

    /// `get(Key)`.
    pub fn dict_get(&self, key: Term) -> Option<Term> {
        self.dict
            .chunks_exact(2)
            .find(|kv| crate::emulator::compare::eq_exact(kv[0], key))
            .map(|kv| kv[1])
    }

    /// `put(Key, Value)`: returns the old value.
    pub fn dict_put(&mut self, key: Term, value: Term) -> Option<Term> {
        for kv in self.dict.chunks_exact_mut(2) {
            if crate::emulator::compare::eq_exact(kv[0], key) {
                let old = kv[1];
                kv[1] = value;
                return Some(old);
            }
        }
        self.dict.push(key);
        self.dict.push(value);
        None
    }

    /// `erase(Key)`: returns the old value.
    pub fn dict_erase(&mut self, key: Term) -> Option<Term> {
        let i = self
            .dict
            .chunks_exact(2)
            .position(|kv| crate::emulator::compare::eq_exact(kv[0], key))?;
        let v = self.dict[2 * i + 1];
        self.dict.drain(2 * i..2 * i + 2);
        Some(v)
    }

    /// Sends `msg` to this process (copied onto the heap).
    pub fn send_self(&mut self, msg: Term) {
        let m = if msg.is_immediate() {
            msg
        } else {
            crate::heap::copy(msg, &mut self.heap)
        };
        self.mailbox.push_back(m);
    }

    /// A new local reference.
    pub fn make_ref(&mut self) -> Term {
        self.ref_counter += 1;
        let c = self.ref_counter;
        self.heap
            .local_ref(&[c as u32, (c >> 32) as u32, self.pid])
            .unwrap_or(Term::NIL)
    }
}

/// What handling a signal asks of the process.
enum SigAction {
    /// Nothing more.
    Continue,
    /// Exit with this reason (a term on the process's heap).
    Exit(Term),
}

impl Process {
    /// Moves the signals queued by other processes into the mailbox and
    /// acts on exit, link and monitor signals, in arrival order. Returns
    /// the exit reason when an exit signal terminates the process (the
    /// signals after it stay queued for [`crate::scheduler`] to answer).
    pub fn handle_signals(&mut self) -> Option<Term> {
        let mut sigs = {
            let shared = self.shared.as_ref()?;
            let mut ib = shared.inbox.lock();
            if ib.sigs.is_empty() {
                return None;
            }
            ib.msgs = 0;
            // Swap in the spare (empty) buffer so neither side reallocates.
            let mut sigs = std::mem::take(&mut self.sig_buf);
            std::mem::swap(&mut ib.sigs, &mut sigs);
            sigs
        };
        while let Some(sig) = sigs.pop_front() {
            if let SigAction::Exit(reason) = self.handle_signal(sig) {
                if let Some(shared) = self.shared.as_ref() {
                    let mut ib = shared.inbox.lock();
                    let later = std::mem::take(&mut ib.sigs);
                    ib.msgs = later.iter().filter(|s| s.is_message()).count()
                        + sigs.iter().filter(|s| s.is_message()).count();
                    sigs.extend(later);
                    ib.sigs = sigs;
                }
                return Some(reason);
            }
        }
        self.sig_buf = sigs;
        None
    }

    fn handle_signal(&mut self, sig: Signal) -> SigAction {
        match sig {
            Signal::Msg(m) => {
                let t = m.into_heap(self);
                self.mailbox.push_back(t);
            }
            Signal::Exit {
                from,
                reason,
                link,
                normal_kills,
            } => {
                if link {
                    let Some(f) = from.local_pid_data() else {
                        return SigAction::Continue;
                    };
                    match self.links.iter().position(|l| *l as u64 == f) {
                        Some(i) => {
                            self.links.remove(i);
                        }
                        None => return SigAction::Continue,
                    }
                }
                let r = reason.into_heap(self);
                let kill = r == Term::atom(atoms::KILL);
                if self.trap_exit && (link || !kill) {
                    let t = self.heap.tuple(&[Term::atom(atoms::EXIT_UPPER), from, r]);
                    self.mailbox.push_back(t);
                } else if r == Term::atom(atoms::NORMAL) && !normal_kills {
                } else if kill && !link {
                    return SigAction::Exit(Term::atom(atoms::KILLED));
                } else {
                    return SigAction::Exit(r);
                }
            }
            Signal::Down { rf, msg } => {
                if let Some(i) = self.monitors.iter().position(|m| m.0 == rf) {
                    self.monitors.remove(i);
                    let t = msg.into_heap(self);
                    self.mailbox.push_back(t);
                }
            }
            Signal::Link { from } => {
                if !self.links.contains(&from) {
                    self.links.push(from);
                }
            }
            Signal::Unlink { from } => {
                self.links.retain(|l| *l != from);
            }
            Signal::Monitor { from, rf, name } => {
                self.monitored_by.push((from, rf, name));
            }
            Signal::Demonitor { from, rf } => {
                self.monitored_by
                    .retain(|(w, r, _)| !(*w == from && *r == rf));
            }
        }
        SigAction::Continue
    }

    /// Messages not yet moved from the signal queue.
    pub fn queued_messages(&self) -> usize {
        self.shared.as_ref().map_or(0, |s| s.inbox.lock().msgs)
    }

    /// Queues `sig` on this process's own signal queue.
    pub fn signal_self(&mut self, sig: Signal) {
        if let Some(s) = &self.shared {
            let mut ib: parking_lot::MutexGuard<'_, Inbox> = s.inbox.lock();
            if sig.is_message() {
                ib.msgs += 1;
            }
            ib.sigs.push_back(sig);
        }
    }

    /// Delivers `msg` (a term built by this process) to its own mailbox.
    pub fn deliver_self(&mut self, msg: Message) {
        let t = msg.into_heap(self);
        self.mailbox.push_back(t);
    }
}
