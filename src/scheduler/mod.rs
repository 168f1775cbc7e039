//! The scheduler: process table, registered names, run queue, timers, and
//! the loop that runs processes.
//!
//! State transitions (see [`State`]) happen under the process's inbox lock:
//! a sender that finds the receiver `Waiting` makes it `Runnable` and
//! pushes it into the run queue; a scheduler that switches a process out
//! with an empty signal queue makes it `Waiting`. So a wake-up is never
//! lost or doubled, and the run queue (a crossbeam [`Injector`]) can be
//! shared by several scheduler threads. Today one scheduler (the main
//! thread) runs everything.

pub mod timer;

use crate::atom::{atoms, Atom};
use crate::emulator::exception::Class;
use crate::emulator::interp::{run, Outcome};
use crate::heap::HeapBuilder;
use crate::process::signal::{
    Message, RefId, Shared, Signal, State, PRIO_HIGH, PRIO_LOW, PRIO_MAX, PRIO_NORMAL,
};
use crate::process::{Process, CONTEXT_REDS};
use crate::term::Term;
use crossbeam_deque::{Injector, Steal};
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use timer::{Action, Dest, Timers};

/// First pid data handed out (`<0.0.0>` stands for `init`, the group
/// leader of the first process).
const FIRST_PID: u32 = 1;

/// Hasher for pid keys: one multiplication (pids are small counters).
#[derive(Default, Clone, Copy)]
struct PidHasher(u64);

impl std::hash::Hasher for PidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type PidMap<V> = HashMap<u32, V, std::hash::BuildHasherDefault<PidHasher>>;

#[derive(Default)]
struct Registry {
    procs: PidMap<Arc<Shared>>,
    names: HashMap<Atom, u32>,
    next: u32,
}

static REG: once_cell::sync::Lazy<RwLock<Registry>> = once_cell::sync::Lazy::new(|| {
    RwLock::new(Registry {
        next: FIRST_PID,
        ..Registry::default()
    })
});
/// Run queues by priority: max, high, normal (and low, which shares the
/// normal queue as in ERTS, without ERTS's extra skipping of low ones).
static RUNQ: once_cell::sync::Lazy<[Injector<Arc<Shared>>; 3]> =
    once_cell::sync::Lazy::new(|| [Injector::new(), Injector::new(), Injector::new()]);

/// Queues a runnable process in the run queue of its priority.
fn enqueue(s: Arc<Shared>) {
    let q = match s.priority.load(std::sync::atomic::Ordering::Relaxed) {
        PRIO_MAX => 0,
        PRIO_HIGH => 1,
        _ => 2,
    };
    RUNQ[q].push(s);
}

/// Sets the scheduling priority of process `s` (`max`, `high`, `normal`
/// or `low`).
pub fn set_priority(s: &Shared, prio: Atom) {
    let v = match prio.as_str() {
        "max" => PRIO_MAX,
        "high" => PRIO_HIGH,
        "low" => PRIO_LOW,
        _ => PRIO_NORMAL,
    };
    s.priority.store(v, std::sync::atomic::Ordering::Relaxed);
}
static TIMERS: once_cell::sync::Lazy<Mutex<Timers>> =
    once_cell::sync::Lazy::new(|| Mutex::new(Timers::default()));

/// The live process with pid data `pid`.
pub fn lookup(pid: u32) -> Option<Arc<Shared>> {
    REG.read().procs.get(&pid).cloned()
}

/// Pid data of a local pid term.
pub fn pid_data(t: Term) -> Option<u32> {
    t.local_pid_data().map(|d| d as u32)
}

/// Whether process `pid` is alive.
pub fn is_alive(pid: u32) -> bool {
    REG.read().procs.contains_key(&pid)
}

/// The pid registered as `name`.
pub fn whereis(name: Atom) -> Option<u32> {
    REG.read().names.get(&name).copied()
}

/// The name `pid` is registered under.
pub fn name_of(pid: u32) -> Option<Atom> {
    REG.read()
        .names
        .iter()
        .find(|(_, p)| **p == pid)
        .map(|(n, _)| *n)
}

/// Registers `pid` as `name`: false when the name is taken, the process
/// already has a name, or it is not alive.
pub fn register(name: Atom, pid: u32) -> bool {
    let mut r = REG.write();
    if r.names.contains_key(&name) || r.names.values().any(|p| *p == pid) {
        return false;
    }
    if !r.procs.contains_key(&pid) {
        return false;
    }
    r.names.insert(name, pid);
    true
}

/// Removes the name `name`; false when it is not registered.
pub fn unregister(name: Atom) -> bool {
    REG.write().names.remove(&name).is_some()
}

/// All registered names.
pub fn registered() -> Vec<Atom> {
    REG.read().names.keys().copied().collect()
}

/// Pid data of every live process, in creation order.
pub fn processes() -> Vec<u32> {
    let mut v: Vec<u32> = REG.read().procs.keys().copied().collect();
    v.sort_unstable();
    v
}

/// Scheduling state of `pid` (`None` when it is dead).
pub fn state_of(pid: u32) -> Option<State> {
    lookup(pid).map(|s| s.inbox.lock().state)
}

/// Makes a new process (registered in the table, not yet runnable).
/// Returns `None` when the pid space is exhausted.
pub fn new_process() -> Option<Box<Process>> {
    let mut r = REG.write();
    let pid = r.next;
    if pid >= 1 << 28 {
        return None;
    }
    r.next += 1;
    let shared = Arc::new(Shared::new(pid));
    r.procs.insert(pid, shared.clone());
    drop(r);
    let mut p = Box::new(Process::new(pid));
    p.shared = Some(shared);
    Some(p)
}

/// Makes `p` (from [`new_process`]) runnable.
pub fn start(p: Box<Process>) {
    let Some(s) = p.shared.clone() else { return };
    *s.body.lock() = Some(p);
    s.inbox.lock().state = State::Runnable;
    enqueue(s);
}

/// Queues `sig` on process `pid`. Gives the signal back when the process
/// does not exist (or has exited).
pub fn send_signal(pid: u32, sig: Signal) -> Result<(), Signal> {
    let reg = REG.read();
    let Some(s) = reg.procs.get(&pid) else {
        return Err(sig);
    };
    let mut ib = s.inbox.lock();
    if ib.state == State::Exited {
        return Err(sig);
    }
    if sig.is_message() {
        ib.msgs += 1;
    }
    ib.sigs.push_back(sig);
    if ib.state == State::Waiting {
        ib.state = State::Runnable;
        drop(ib);
        enqueue(s.clone());
    }
    Ok(())
}

/// Sends a message (copied from the sender's heap) to process `pid`;
/// dropped when it does not exist.
pub fn send_message(pid: u32, msg: Term) {
    let _ = send_signal(pid, Signal::Msg(Message::copy(msg)));
}

/// Adds a timer.
pub fn add_timer(at: Instant, action: Action) {
    TIMERS.lock().add(at, action);
}

/// Cancels the BIF timer with reference `r`: milliseconds that were left.
pub fn cancel_timer(r: &RefId) -> Option<u64> {
    let (at, _) = TIMERS.lock().cancel(r)?;
    Some(ms_left(at))
}

/// Milliseconds left on the BIF timer with reference `r`.
pub fn read_timer(r: &RefId) -> Option<u64> {
    TIMERS.lock().deadline(r).map(ms_left)
}

fn ms_left(at: Instant) -> u64 {
    let d = at.saturating_duration_since(Instant::now());
    // ERTS rounds up to whole milliseconds.
    let us = d.as_micros() as u64;
    us.div_ceil(1000)
}

/// Fires the timers that are due; returns whether any fired.
fn fire_timers(now: Instant) -> bool {
    let due = {
        let mut t = TIMERS.lock();
        if t.is_empty() {
            return false;
        }
        t.due(now)
    };
    let any = !due.is_empty();
    for a in due {
        match a {
            Action::Wake(pid) => {
                if let Some(s) = lookup(pid) {
                    let mut ib = s.inbox.lock();
                    if ib.state == State::Waiting {
                        ib.state = State::Runnable;
                        drop(ib);
                        enqueue(s);
                    }
                }
            }
            Action::Send(dest, msg, _) => {
                let pid = match dest {
                    Dest::Pid(p) => Some(p),
                    Dest::Name(n) => whereis(n),
                };
                if let Some(pid) = pid {
                    let _ = send_signal(pid, Signal::Msg(msg));
                }
            }
        }
    }
    any
}

fn next_deadline() -> Option<Instant> {
    TIMERS.lock().next_deadline()
}

fn pop() -> Option<Arc<Shared>> {
    loop {
        let mut retry = false;
        for q in RUNQ.iter() {
            match q.steal() {
                Steal::Success(s) => return Some(s),
                Steal::Empty => {}
                Steal::Retry => retry = true,
            }
        }
        if !retry {
            return None;
        }
    }
}

/// How the main process ended.
pub enum MainEnd {
    /// It returned.
    Returned,
    /// It raised (or was killed): class, reason and trace on its heap.
    Raised(Box<Process>, Class, Term, Term),
    /// `halt/1`.
    Halt(i32),
    /// Every process waits forever and no timer is pending.
    Deadlock,
}

/// Runs processes until the main process `main` ends (or `halt/1`).
pub fn run_until_main_ends(main: Box<Process>) -> MainEnd {
    let main_pid = main.pid;
    start(main);
    let mut ticks: u32 = 0;
    loop {
        ticks = ticks.wrapping_add(1);
        if ticks % 64 == 0 {
            fire_timers(Instant::now());
        }
        let Some(s) = pop() else {
            let now = Instant::now();
            if fire_timers(now) {
                continue;
            }
            match next_deadline() {
                Some(at) => {
                    if at > now {
                        std::thread::sleep(at - now);
                    }
                    fire_timers(Instant::now());
                    continue;
                }
                None => return MainEnd::Deadlock,
            }
        };
        let Some(mut p) = s.body.lock().take() else {
            continue;
        };
        s.inbox.lock().state = State::Running;
        p.reds = CONTEXT_REDS;
        let outcome = match p.handle_signals() {
            Some(reason) => Outcome::Raised {
                class: Class::Exit,
                reason,
                trace: Term::NIL,
            },
            None => run(&mut p),
        };
        match outcome {
            Outcome::Yield => {
                *s.body.lock() = Some(p);
                s.inbox.lock().state = State::Runnable;
                enqueue(s);
            }
            Outcome::Blocked => {
                p.total_reds += (CONTEXT_REDS - p.reds).max(0) as u64;
                if let Some(d) = p.recv_deadline {
                    if p.recv_timer != Some(d) {
                        p.recv_timer = Some(d);
                        add_timer(d, Action::Wake(p.pid));
                    }
                }
                *s.body.lock() = Some(p);
                let mut ib = s.inbox.lock();
                if ib.sigs.is_empty() {
                    ib.state = State::Waiting;
                } else {
                    ib.state = State::Runnable;
                    drop(ib);
                    enqueue(s);
                }
            }
            Outcome::Returned(_) => {
                if p.pid == main_pid {
                    terminate(&mut p, Term::atom(atoms::NORMAL));
                    return MainEnd::Returned;
                }
                terminate(&mut p, Term::atom(atoms::NORMAL));
            }
            Outcome::Halt(st) => return MainEnd::Halt(st),
            Outcome::Raised {
                class,
                reason,
                trace,
            } => {
                if p.pid == main_pid {
                    return MainEnd::Raised(p, class, reason, trace);
                }
                let r = match class {
                    Class::Exit => reason,
                    _ => {
                        let r = p.heap.tuple(&[reason, trace]);
                        let txt = crate::bif::display::to_bytes(r);
                        let pid = crate::bif::display::to_bytes(p.pid_term());
                        eprintln!(
                            "Error in process {} with exit value: {}",
                            String::from_utf8_lossy(&pid),
                            String::from_utf8_lossy(&txt)
                        );
                        r
                    }
                };
                terminate(&mut p, r);
            }
        }
    }
}

/// Ends process `p` with `reason` (a term on its heap): removes it from
/// the tables, sends exit signals to its links and `'DOWN'` messages to
/// its monitors, and answers link/monitor requests still queued.
pub fn terminate(p: &mut Process, reason: Term) {
    let me = p.pid;
    let from = p.pid_term();
    let rest = match &p.shared {
        Some(s) => {
            let mut ib = s.inbox.lock();
            ib.state = State::Exited;
            ib.msgs = 0;
            std::mem::take(&mut ib.sigs)
        }
        None => Default::default(),
    };
    {
        let mut r = REG.write();
        r.procs.remove(&me);
        r.names.retain(|_, p| *p != me);
    }
    for sig in rest {
        match sig {
            Signal::Link { from } if !p.links.contains(&from) => p.links.push(from),
            Signal::Unlink { from } => p.links.retain(|l| *l != from),
            Signal::Monitor { from, rf, name } => p.monitored_by.push((from, rf, name)),
            Signal::Demonitor { from, rf } => {
                p.monitored_by.retain(|(w, r, _)| !(*w == from && *r == rf))
            }
            _ => {}
        }
    }
    for l in std::mem::take(&mut p.links) {
        let _ = send_signal(
            l,
            Signal::Exit {
                from,
                reason: Message::copy(reason),
                link: true,
                normal_kills: false,
            },
        );
    }
    for (w, rf, name) in std::mem::take(&mut p.monitored_by) {
        let msg = Message::build(|f| {
            let r = crate::process::signal::ref_term(f, &rf);
            let who = match name {
                Some(n) => f.tuple(&[Term::atom(n), Term::atom(atoms::NONODE_NOHOST)]),
                None => from,
            };
            let why = crate::heap::copy(reason, f);
            f.tuple(&[
                Term::atom(atoms::DOWN),
                r,
                Term::atom(atoms::PROCESS),
                who,
                why,
            ])
        });
        let _ = send_signal(w, Signal::Down { rf, msg });
    }
    for (rf, target, _) in std::mem::take(&mut p.monitors) {
        let _ = send_signal(target, Signal::Demonitor { from: me, rf });
    }
}
