//! The process: heap and stack, register save area, process dictionary,
//! message queue, reductions, exception state.
//!
//! For now processes only send messages to themselves: a message is
//! copied onto the receiver's own heap and its term kept in `mailbox`
//! (a GC root).

use crate::emulator::instr::MAX_REG;
use crate::heap::{Heap, HeapBuilder};
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
    pub x: Box<[Term; MAX_REG]>,
    /// Float registers.
    pub fr: Box<[f64; MAX_REG]>,
    /// Live x registers when switched out.
    pub live: usize,
    /// Process dictionary as key/value pairs (flattened: k0, v0, k1, ...).
    pub dict: Vec<Term>,
    /// Messages (copied onto this heap), oldest first.
    pub mailbox: Vec<Term>,
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
    /// Pid number.
    pub pid: u32,
    /// Counter for references.
    pub ref_counter: u64,
    /// Active catches (try/catch frames on the stack).
    pub catches: u64,
    /// Saved values kept alive across GC (e.g. the exception being built).
    pub scratch: Vec<Term>,
    /// Code address of the instruction calling the current BIF.
    pub bif_pc: u64,
    /// Pending timers to self: (deadline, timer id), parallel to `timer_msgs`.
    pub timers: Vec<(std::time::Instant, u64)>,
    /// Messages of pending timers (GC roots).
    pub timer_msgs: Vec<Term>,
    /// Deadline of the `receive ... after` being waited in.
    pub recv_deadline: Option<std::time::Instant>,
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
    /// A fresh process with pid number `pid`.
    pub fn new(pid: u32) -> Process {
        Process {
            heap: Heap::new(),
            x: Box::new([Term::NIL; MAX_REG]),
            fr: Box::new([0.0; MAX_REG]),
            live: 0,
            dict: Vec::new(),
            mailbox: Vec::new(),
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
            timers: Vec::new(),
            timer_msgs: Vec::new(),
            recv_deadline: None,
        }
    }

    /// The process's pid term.
    pub fn pid_term(&self) -> Term {
        Term::pid(self.pid, 0).unwrap_or(Term::NIL)
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
                &mut self.mailbox,
                &mut self.scratch,
                &mut self.timer_msgs,
            ],
        );
        true
    }

    /// Collects garbage now (`erlang:garbage_collect/0,1,2` on the calling
    /// process): a full sweep if `major`, else a minor collection. Runs
    /// inside a BIF call, where no x register is live; the stack, the
    /// dictionary, the mailbox and the other saved terms are the roots.
    pub fn collect_now(&mut self, major: bool) {
        let mut roots: [&mut [Term]; 4] = [
            &mut self.dict,
            &mut self.mailbox,
            &mut self.scratch,
            &mut self.timer_msgs,
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
        self.mailbox.push(m);
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

impl Process {
    /// Starts a timer delivering `msg` (already on this heap) after `ms`.
    pub fn start_timer(&mut self, ms: u64, id: u64, msg: Term) {
        let at = std::time::Instant::now() + std::time::Duration::from_millis(ms);
        self.timers.push((at, id));
        self.timer_msgs.push(msg);
    }

    /// Cancels timer `id`: the milliseconds that were left.
    pub fn cancel_timer(&mut self, id: u64) -> Option<u64> {
        let i = self.timers.iter().position(|t| t.1 == id)?;
        let (at, _) = self.timers.remove(i);
        self.timer_msgs.remove(i);
        let now = std::time::Instant::now();
        Some(at.saturating_duration_since(now).as_millis() as u64)
    }

    /// Delivers the timers that are due (in deadline order); returns
    /// whether any was delivered.
    pub fn deliver_due_timers(&mut self) -> bool {
        let now = std::time::Instant::now();
        let mut any = false;
        loop {
            let due = self
                .timers
                .iter()
                .enumerate()
                .filter(|(_, t)| t.0 <= now)
                .min_by_key(|(_, t)| t.0)
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            self.timers.remove(i);
            let m = self.timer_msgs.remove(i);
            self.mailbox.push(m);
            any = true;
        }
        any
    }

    /// The earliest timer deadline.
    pub fn next_timer(&self) -> Option<std::time::Instant> {
        self.timers.iter().map(|t| t.0).min()
    }
}
