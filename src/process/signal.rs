//! Signals between processes: messages (copied into heap fragments owned
//! by the message), exit signals, link/unlink and monitor/demonitor
//! requests, and the shared part of a process that senders touch (its
//! signal queue and scheduling state).
//!
//! A sender never touches the receiver's heap: it copies the message into
//! a [`HeapFragment`] and appends a [`Signal`] to the receiver's queue
//! under the queue's lock. The receiver moves signals out of the queue in
//! its own context ([`super::Process::handle_signals`]), so the same
//! scheme works when several scheduler threads run processes.

use super::Process;
use crate::atom::Atom;
use crate::heap::{size_of, HeapBuilder, HeapFragment};
use crate::term::{Term, TermView};
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::AtomicU8;

/// The numbers of a local reference (ERTS's three 32-bit words).
pub type RefId = [u32; 3];

/// A term living in its own heap fragment (or an immediate).
#[derive(Debug)]
pub struct Message {
    /// The term (points into `frag` when boxed).
    pub term: Term,
    /// The fragment holding the term's data.
    pub frag: Option<HeapFragment>,
}

impl Message {
    /// Copies `t` into a fresh fragment.
    pub fn copy(t: Term) -> Message {
        if t.is_immediate() {
            return Message {
                term: t,
                frag: None,
            };
        }
        let mut frag = HeapFragment::with_capacity(size_of(t).max(1));
        let term = crate::heap::copy(t, &mut frag);
        Message {
            term,
            frag: Some(frag),
        }
    }

    /// Builds a term in a fresh fragment with `f`.
    pub fn build(f: impl FnOnce(&mut HeapFragment) -> Term) -> Message {
        let mut frag = HeapFragment::new();
        let term = f(&mut frag);
        Message {
            term,
            frag: Some(frag),
        }
    }

    /// Moves the message onto `p`'s heap: copied when it fits in the free
    /// space (the fragment is then freed), otherwise the fragment is
    /// attached to the heap (absorbed by the next GC). Returns the term.
    pub fn into_heap(self, p: &mut Process) -> Term {
        match self.frag {
            None => self.term,
            Some(frag) => {
                let words = frag.used_words();
                if words <= p.heap.free_words() && frag.off_heap_bytes() == 0 {
                    crate::heap::copy(self.term, &mut p.heap)
                } else {
                    p.heap.attach_fragment(frag);
                    self.term
                }
            }
        }
    }
}

/// A signal in a process's signal queue.
#[derive(Debug)]
pub enum Signal {
    /// A message.
    Msg(Message),
    /// An exit signal from `from` (a pid term). `link`: sent because a
    /// linked process exited (only acted on while the link exists);
    /// otherwise from `exit/2` (`normal_kills` when sent to itself).
    Exit {
        /// Sender pid.
        from: Term,
        /// Exit reason.
        reason: Message,
        /// Caused by a link.
        link: bool,
        /// `exit(self(), normal)`: normal terminates too.
        normal_kills: bool,
    },
    /// `from` linked to this process.
    Link {
        /// Pid data of the linker.
        from: u32,
    },
    /// `from` removed its link.
    Unlink {
        /// Pid data of the unlinker.
        from: u32,
    },
    /// `from` monitors this process.
    Monitor {
        /// Pid data of the watcher.
        from: u32,
        /// Monitor reference.
        rf: RefId,
        /// Name used to set it up (`monitor(process, Name)`).
        name: Option<Atom>,
    },
    /// A monitored process exited: the `'DOWN'` message of monitor `rf`
    /// (dropped if the monitor was removed in the meantime).
    Down {
        /// Monitor reference.
        rf: RefId,
        /// The `{'DOWN', Ref, process, Who, Reason}` message.
        msg: Message,
    },
    /// `from` removed its monitor `rf`.
    Demonitor {
        /// Pid data of the watcher.
        from: u32,
        /// Monitor reference.
        rf: RefId,
    },
}

impl Signal {
    /// Whether the signal becomes a message (for `message_queue_len`).
    pub fn is_message(&self) -> bool {
        matches!(self, Signal::Msg(_) | Signal::Down { .. })
    }
}

/// Scheduling state of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for a signal (in no run queue).
    Waiting,
    /// In a run queue (or about to be pushed into one).
    Runnable,
    /// Being executed by a scheduler.
    Running,
    /// Exited; signals are no longer accepted.
    Exited,
}

/// The signal queue and scheduling state, under one lock.
#[derive(Debug)]
pub struct Inbox {
    /// Signals not yet handled by the process, in arrival order.
    pub sigs: VecDeque<Signal>,
    /// Scheduling state.
    pub state: State,
    /// Number of message signals in `sigs`.
    pub msgs: usize,
}

/// The part of a process other processes and schedulers touch.
#[derive(Debug)]
pub struct Shared {
    /// Pid data (`serial << 15 | number`).
    pub pid: u32,
    /// Signal queue and state.
    pub inbox: Mutex<Inbox>,
    /// The process itself while not executing (a scheduler takes it out
    /// to run it).
    pub body: Mutex<Option<Box<Process>>>,
    /// Scheduling priority (`PRIO_*`).
    pub priority: AtomicU8,
}

/// Priority `max`.
pub const PRIO_MAX: u8 = 0;
/// Priority `high`.
pub const PRIO_HIGH: u8 = 1;
/// Priority `normal`.
pub const PRIO_NORMAL: u8 = 2;
/// Priority `low`.
pub const PRIO_LOW: u8 = 3;

impl Shared {
    /// A new shared part (state `Runnable`, empty body).
    pub fn new(pid: u32) -> Shared {
        Shared {
            pid,
            inbox: Mutex::new(Inbox {
                sigs: VecDeque::new(),
                state: State::Runnable,
                msgs: 0,
            }),
            body: Mutex::new(None),
            priority: AtomicU8::new(PRIO_NORMAL),
        }
    }

    /// Pid term.
    pub fn pid_term(&self) -> Term {
        Term::pid_from_data(self.pid as u64)
    }
}

/// The numbers of a local reference term.
pub fn ref_id(t: Term) -> Option<RefId> {
    match t.view() {
        TermView::LocalRef(n) if n.len() == 3 => Some([n[0], n[1], n[2]]),
        _ => None,
    }
}

/// A local reference term with numbers `r`.
pub fn ref_term<B: HeapBuilder + ?Sized>(h: &mut B, r: &RefId) -> Term {
    h.local_ref(r).unwrap_or(Term::NIL)
}
