//! Process BIFs of module `erlang`: spawning, sending, links, monitors,
//! exit signals, registered names, timers, `process_info`,
//! `process_flag`, group leaders.

use super::{badarg, BifErr, BifResult};
use crate::atom::{atoms, Atom};
use crate::emulator::exception::{Class, Exc, Extra};
use crate::heap::HeapBuilder;
use crate::process::signal::{ref_id, Message, RefId, Signal, State};
use crate::process::Process;
use crate::scheduler::{self, pid_data, timer};
use crate::term::{Term, TermView};
use std::time::{Duration, Instant};

type A<'a> = &'a [Term];

fn atom(s: &'static str) -> Term {
    Term::atom(Atom::from_static(s))
}

/// An exception that ends the calling process (not catchable): the
/// effect of an exit signal it sent to itself.
fn exit_self(p: &mut Process, reason: Term) -> BifErr {
    p.exit_now = true;
    BifErr::Exc(Exc {
        class: Class::Exit,
        reason,
        extra: Extra::Plain,
    })
}

/// Handles the signals queued for `p` now (so that a BIF sees messages
/// and exit signals that arrived before it was called).
fn sync_signals(p: &mut Process) -> Result<(), BifErr> {
    match p.handle_signals() {
        Some(reason) => Err(exit_self(p, reason)),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- send

/// Sends `msg` to `to` (pid, registered name, `{Name, Node}`): the `!`
/// operator and `send/2`.
pub fn send(p: &mut Process, to: Term, msg: Term) -> Result<(), BifErr> {
    if let Some(d) = to.local_pid_data() {
        if d as u32 == p.pid {
            p.send_self(msg);
        } else {
            scheduler::send_message(d as u32, msg);
        }
        return Ok(());
    }
    if let Some(name) = to.as_atom() {
        let pid = scheduler::whereis(name).ok_or_else(badarg)?;
        return send(p, Term::pid_from_data(pid as u64), msg);
    }
    if let Some([name, node]) = to.as_tuple() {
        if let (Some(n), Some(node)) = (name.as_atom(), node.as_atom()) {
            if node == atoms::NONODE_NOHOST {
                if let Some(pid) = scheduler::whereis(n) {
                    return send(p, Term::pid_from_data(pid as u64), msg);
                }
            }
            // Unknown local name or another node: dropped (no distribution).
            return Ok(());
        }
        return Err(badarg());
    }
    if to.is_pid() || to.is_port() {
        // External pids (no distribution) and ports: dropped.
        return Ok(());
    }
    Err(badarg())
}

/// `send/2` (`!`).
pub fn send_2(p: &mut Process, a: A) -> BifResult {
    send(p, a[0], a[1])?;
    Ok(a[1])
}

/// `send/3`.
pub fn send_3(p: &mut Process, a: A) -> BifResult {
    let opts = a[2].list_to_vec().ok_or_else(badarg)?;
    for o in opts {
        match o.as_atom().map(|a| a.as_str()) {
            Some("nosuspend") | Some("noconnect") => {}
            _ => return Err(badarg()),
        }
    }
    send(p, a[0], a[1])?;
    Ok(Term::OK)
}

// ---------------------------------------------------------------- spawn

struct SpawnOpts {
    link: bool,
    monitor: bool,
    priority: Option<Atom>,
    min_heap_size: Option<usize>,
    fullsweep_after: Option<u32>,
    flags: Vec<(Atom, Term)>,
}

fn spawn_opts(opts: Term) -> Result<SpawnOpts, BifErr> {
    let mut o = SpawnOpts {
        link: false,
        monitor: false,
        priority: None,
        min_heap_size: None,
        fullsweep_after: None,
        flags: Vec::new(),
    };
    for t in opts.list_to_vec().ok_or_else(badarg)? {
        match t.view() {
            TermView::Atom(a) if a == atoms::LINK => o.link = true,
            TermView::Atom(a) if a == atoms::MONITOR => o.monitor = true,
            TermView::Tuple([k, v]) => {
                let k = k.as_atom().ok_or_else(badarg)?;
                match k.as_str() {
                    "monitor" => {
                        v.list_to_vec().ok_or_else(badarg)?;
                        o.monitor = true;
                    }
                    "priority" => o.priority = Some(priority_arg(*v)?),
                    "min_heap_size" => {
                        let n = v.as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
                        o.min_heap_size = Some(n as usize);
                    }
                    "fullsweep_after" => {
                        let n = v.as_i64().filter(|n| *n >= 0).ok_or_else(badarg)?;
                        o.fullsweep_after = Some(n.min(u32::MAX as i64) as u32);
                    }
                    "min_bin_vheap_size" => {
                        v.as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
                    }
                    "max_heap_size" => {
                        if !(v.as_small().is_some_and(|n| n >= 0) || v.is_map()) {
                            return Err(badarg());
                        }
                        o.flags.push((k, *v));
                    }
                    "message_queue_data" => {
                        match v.as_atom().map(|a| a.as_str()) {
                            Some("on_heap") | Some("off_heap") => {}
                            _ => return Err(badarg()),
                        }
                        o.flags.push((k, *v));
                    }
                    _ => return Err(badarg()),
                }
            }
            _ => return Err(badarg()),
        }
    }
    Ok(o)
}

fn priority_arg(v: Term) -> Result<Atom, BifErr> {
    let a = v.as_atom().ok_or_else(badarg)?;
    match a.as_str() {
        "low" | "normal" | "high" | "max" => Ok(a),
        _ => Err(badarg()),
    }
}

/// Spawns `m:f(args)`; returns the pid and, with `monitor`, the reference.
fn do_spawn(
    p: &mut Process,
    m: Term,
    f: Term,
    args: Term,
    opts: SpawnOpts,
) -> Result<(Term, Option<Term>), BifErr> {
    spawn_with_initial_call(p, m, f, args, opts, None)
}

/// [`do_spawn`] with `initial_call` given (the call that was spawned when
/// it only redirects to `m:f(args)`).
fn spawn_with_initial_call(
    p: &mut Process,
    m: Term,
    f: Term,
    args: Term,
    opts: SpawnOpts,
    initial_call: Option<(Atom, Atom, u32)>,
) -> Result<(Term, Option<Term>), BifErr> {
    let (Some(mo), Some(fu)) = (m.as_atom(), f.as_atom()) else {
        return Err(badarg());
    };
    let list = args.list_to_vec().ok_or_else(badarg)?;
    // `erlang:apply/3` is a BIF that only redirects: spawn its target.
    if mo == atoms::ERLANG && fu.as_str() == "apply" && list.len() == 3 && list[2].is_list() {
        if let (Some(_), Some(_), Some(_)) =
            (list[0].as_atom(), list[1].as_atom(), list[2].list_to_vec())
        {
            let ic = Some((mo, fu, 3));
            return spawn_with_initial_call(p, list[0], list[1], list[2], opts, ic);
        }
    }
    let mut c = scheduler::new_process().ok_or_else(super::system_limit)?;
    if let Some(n) = opts.min_heap_size {
        let mut g = c.heap.options();
        g.min_heap_size = n.max(crate::heap::DEFAULT_MIN_HEAP_SIZE);
        c.heap.set_options(g);
    }
    if let Some(n) = opts.fullsweep_after {
        let mut g = c.heap.options();
        g.fullsweep_after = n;
        c.heap.set_options(g);
    }
    if let Some(pr) = opts.priority {
        c.priority = pr;
        if let Some(sh) = &c.shared {
            scheduler::set_priority(sh, pr);
        }
    }
    c.flags = opts.flags;
    let v: Vec<Term> = list
        .iter()
        .map(|t| crate::heap::copy(*t, &mut c.heap))
        .collect();
    c.group_leader = p.group_leader;
    c.initial_call = initial_call.unwrap_or((mo, fu, v.len() as u32));
    let is_apply = mo == atoms::ERLANG && fu.as_str() == "apply" && v.len() == 2;
    match (
        is_apply,
        v.first().copied(),
        v.get(1).and_then(|l| l.list_to_vec()),
    ) {
        (true, Some(fun), Some(fargs)) if fun.is_fun() => {
            if let Err(reason) = crate::emulator::interp::setup_fun(&mut c, fun, &fargs) {
                crate::emulator::interp::setup_call(&mut c, atoms::ERLANG, atoms::ERROR, &[reason]);
            }
        }
        _ => crate::emulator::interp::setup_call(&mut c, mo, fu, &v),
    }
    let pid = c.pid_term();
    if opts.link {
        p.links.push(c.pid);
        c.links.push(p.pid);
    }
    let mut mref = None;
    if opts.monitor {
        let r = p.make_ref();
        if let Some(id) = ref_id(r) {
            p.monitors.push((id, c.pid, None));
            c.monitored_by.push((p.pid, id, None));
        }
        mref = Some(r);
    }
    scheduler::start(c);
    Ok((pid, mref))
}

/// `spawn/3`.
pub fn spawn_3(p: &mut Process, a: A) -> BifResult {
    let o = spawn_opts(Term::NIL)?;
    Ok(do_spawn(p, a[0], a[1], a[2], o)?.0)
}

/// `spawn_link/3`.
pub fn spawn_link_3(p: &mut Process, a: A) -> BifResult {
    let mut o = spawn_opts(Term::NIL)?;
    o.link = true;
    Ok(do_spawn(p, a[0], a[1], a[2], o)?.0)
}

/// `spawn_opt/4`.
pub fn spawn_opt_4(p: &mut Process, a: A) -> BifResult {
    let o = spawn_opts(a[3])?;
    match do_spawn(p, a[0], a[1], a[2], o)? {
        (pid, Some(r)) => Ok(p.heap.tuple(&[pid, r])),
        (pid, None) => Ok(pid),
    }
}

// ---------------------------------------------------------------- links, exits

/// `link/1`.
pub fn link_1(p: &mut Process, a: A) -> BifResult {
    let Some(d) = pid_data(a[0]) else {
        if a[0].is_pid() || a[0].is_port() {
            return noproc_link(p, a[0]);
        }
        return Err(badarg());
    };
    if d == p.pid || p.links.contains(&d) {
        return Ok(Term::TRUE);
    }
    match scheduler::send_signal(d, Signal::Link { from: p.pid }) {
        Ok(()) => {
            p.links.push(d);
            Ok(Term::TRUE)
        }
        Err(_) => noproc_link(p, a[0]),
    }
}

fn noproc_link(p: &mut Process, target: Term) -> BifResult {
    if p.trap_exit {
        let m = p.heap.tuple(&[
            Term::atom(atoms::EXIT_UPPER),
            target,
            Term::atom(atoms::NOPROC),
        ]);
        p.send_self(m);
        Ok(Term::TRUE)
    } else {
        Err(BifErr::Exc(Exc {
            class: Class::Error,
            reason: Term::atom(atoms::NOPROC),
            extra: Extra::Bif,
        }))
    }
}

/// `unlink/1`.
pub fn unlink_1(p: &mut Process, a: A) -> BifResult {
    let Some(d) = pid_data(a[0]) else {
        if a[0].is_pid() || a[0].is_port() {
            return Ok(Term::TRUE);
        }
        return Err(badarg());
    };
    if let Some(i) = p.links.iter().position(|l| *l == d) {
        p.links.remove(i);
        let _ = scheduler::send_signal(d, Signal::Unlink { from: p.pid });
    }
    Ok(Term::TRUE)
}

/// `exit/2`.
pub fn exit_2(p: &mut Process, a: A) -> BifResult {
    let (to, reason) = (a[0], a[1]);
    let Some(d) = pid_data(to) else {
        if to.is_pid() || to.is_port() {
            return Ok(Term::TRUE);
        }
        return Err(badarg());
    };
    if d == p.pid {
        // Handled at once, as ERTS does for a signal to the caller.
        sync_signals(p)?;
        let kill = reason == Term::atom(atoms::KILL);
        if p.trap_exit && !kill {
            let from = p.pid_term();
            let m = p.heap.tuple(&[Term::atom(atoms::EXIT_UPPER), from, reason]);
            p.send_self(m);
            return Ok(Term::TRUE);
        }
        let r = if kill {
            Term::atom(atoms::KILLED)
        } else {
            reason
        };
        return Err(exit_self(p, r));
    }
    let _ = scheduler::send_signal(
        d,
        Signal::Exit {
            from: p.pid_term(),
            reason: Message::copy(reason),
            link: false,
            normal_kills: false,
        },
    );
    Ok(Term::TRUE)
}

// ---------------------------------------------------------------- monitors

fn down_self(p: &mut Process, r: Term, who: Term, reason: Term) {
    let m = p.heap.tuple(&[
        Term::atom(atoms::DOWN),
        r,
        Term::atom(atoms::PROCESS),
        who,
        reason,
    ]);
    p.send_self(m);
}

/// `monitor/2` (type `process`).
pub fn monitor_2(p: &mut Process, a: A) -> BifResult {
    if a[0] != Term::atom(atoms::PROCESS) {
        let supported_later = (a[0] == Term::atom(atoms::PORT)
            && (a[1].is_port() || a[1].is_atom()))
            || (a[0] == atom("time_offset") && a[1] == atom("clock_service"));
        if supported_later {
            eprintln!(
                "oxbeam: monitor/2 of ports and time offsets is not supported (raises notsup)"
            );
            return Err(BifErr::Exc(Exc::error(Term::atom(atoms::NOTSUP))));
        }
        return Err(badarg());
    }
    let target = a[1];
    let (pid, name) = if let Some(d) = pid_data(target) {
        (Some(d), None)
    } else if let Some(n) = target.as_atom() {
        (scheduler::whereis(n), Some(n))
    } else if let Some([n, node]) = target.as_tuple() {
        let (Some(n), Some(node)) = (n.as_atom(), node.as_atom()) else {
            return Err(badarg());
        };
        if node != atoms::NONODE_NOHOST {
            // Another node while this one is not distributed.
            return Err(badarg());
        }
        (scheduler::whereis(n), Some(n))
    } else {
        return Err(badarg());
    };
    let r = p.make_ref();
    let Some(id) = ref_id(r) else {
        return Err(badarg());
    };
    let who = |p: &mut Process| match name {
        Some(n) => p
            .heap
            .tuple(&[Term::atom(n), Term::atom(atoms::NONODE_NOHOST)]),
        None => target,
    };
    match pid {
        Some(d) if d == p.pid => {}
        Some(d) => {
            match scheduler::send_signal(
                d,
                Signal::Monitor {
                    from: p.pid,
                    rf: id,
                    name,
                },
            ) {
                Ok(()) => p.monitors.push((id, d, name)),
                Err(_) => {
                    let w = who(p);
                    down_self(p, r, w, Term::atom(atoms::NOPROC));
                }
            }
        }
        None => {
            let w = who(p);
            down_self(p, r, w, Term::atom(atoms::NOPROC));
        }
    }
    Ok(r)
}

fn demonitor(p: &mut Process, r: Term) -> Result<bool, BifErr> {
    let id = ref_id(r).ok_or_else(|| {
        if r.is_ref() {
            BifErr::Exc(Exc::error(Term::atom(atoms::BADARG)))
        } else {
            badarg()
        }
    })?;
    match p.monitors.iter().position(|m| m.0 == id) {
        Some(i) => {
            let (_, target, _) = p.monitors.remove(i);
            let _ = scheduler::send_signal(
                target,
                Signal::Demonitor {
                    from: p.pid,
                    rf: id,
                },
            );
            Ok(true)
        }
        None => Ok(false),
    }
}

/// `demonitor/1`.
pub fn demonitor_1(p: &mut Process, a: A) -> BifResult {
    demonitor(p, a[0])?;
    Ok(Term::TRUE)
}

/// `demonitor/2` (options `flush`, `info`).
pub fn demonitor_2(p: &mut Process, a: A) -> BifResult {
    let (mut flush, mut info) = (false, false);
    for o in a[1].list_to_vec().ok_or_else(badarg)? {
        match o.as_atom().map(|a| a.as_str()) {
            Some("flush") => flush = true,
            Some("info") => info = true,
            _ => return Err(badarg()),
        }
    }
    let found = demonitor(p, a[0])?;
    if flush {
        sync_signals(p)?;
        let r = a[0];
        let before = p.mailbox.len();
        p.mailbox.retain(|m| {
            !matches!(m.as_tuple(), Some([tag, mr, _, _, _])
                if *tag == Term::atom(atoms::DOWN) && crate::emulator::compare::eq_exact(*mr, r))
        });
        if p.mailbox.len() != before {
            p.save = 0;
        }
    }
    Ok(if info { Term::bool(found) } else { Term::TRUE })
}

// ---------------------------------------------------------------- names, liveness

/// `register/2`.
pub fn register_2(_p: &mut Process, a: A) -> BifResult {
    let name = a[0].as_atom().ok_or_else(badarg)?;
    let pid = pid_data(a[1]).ok_or_else(badarg)?;
    if name == atoms::UNDEFINED || !scheduler::register(name, pid) {
        return Err(badarg());
    }
    Ok(Term::TRUE)
}

/// `unregister/1`.
pub fn unregister_1(_p: &mut Process, a: A) -> BifResult {
    let name = a[0].as_atom().ok_or_else(badarg)?;
    if scheduler::unregister(name) {
        Ok(Term::TRUE)
    } else {
        Err(badarg())
    }
}

/// `whereis/1`.
pub fn whereis_1(_p: &mut Process, a: A) -> BifResult {
    let name = a[0].as_atom().ok_or_else(badarg)?;
    Ok(match scheduler::whereis(name) {
        Some(pid) => Term::pid_from_data(pid as u64),
        None => Term::UNDEFINED,
    })
}

/// `registered/0`.
pub fn registered_0(p: &mut Process, _a: A) -> BifResult {
    let v: Vec<Term> = scheduler::registered()
        .into_iter()
        .map(Term::atom)
        .collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `is_process_alive/1`.
pub fn is_process_alive_1(p: &mut Process, a: A) -> BifResult {
    match pid_data(a[0]) {
        Some(d) if d == p.pid => Ok(Term::TRUE),
        Some(d) => Ok(Term::bool(scheduler::is_alive(d))),
        None if a[0].is_pid() => Ok(Term::FALSE),
        None => Err(badarg()),
    }
}

/// `processes/0`.
pub fn processes_0(p: &mut Process, _a: A) -> BifResult {
    let v: Vec<Term> = scheduler::processes()
        .into_iter()
        .map(|d| Term::pid_from_data(d as u64))
        .collect();
    Ok(p.heap.list_from(&v, Term::NIL))
}

/// `yield/0`: ends the time slice.
pub fn yield_0(p: &mut Process, _a: A) -> BifResult {
    p.reds = 0;
    Ok(Term::TRUE)
}

/// `group_leader/0`.
pub fn group_leader_0(p: &mut Process, _a: A) -> BifResult {
    Ok(p.group_leader)
}

/// `group_leader/2`.
pub fn group_leader_2(p: &mut Process, a: A) -> BifResult {
    if !a[0].is_pid() {
        return Err(badarg());
    }
    let d = pid_data(a[1]).ok_or_else(badarg)?;
    if d == p.pid {
        p.group_leader = a[0];
        return Ok(Term::TRUE);
    }
    let s = scheduler::lookup(d).ok_or_else(badarg)?;
    let mut body = s.body.lock();
    match body.as_mut() {
        Some(other) => {
            other.group_leader = a[0];
            Ok(Term::TRUE)
        }
        None => Err(badarg()),
    }
}

/// `process_flag/2`.
pub fn process_flag_2(p: &mut Process, a: A) -> BifResult {
    let flag = a[0].as_atom().ok_or_else(badarg)?;
    let v = a[1];
    match flag.as_str() {
        "trap_exit" => {
            let b = match v {
                Term::TRUE => true,
                Term::FALSE => false,
                _ => return Err(badarg()),
            };
            let old = p.trap_exit;
            p.trap_exit = b;
            Ok(Term::bool(old))
        }
        "priority" => {
            let pr = priority_arg(v)?;
            let old = p.priority;
            p.priority = pr;
            if let Some(sh) = &p.shared {
                scheduler::set_priority(sh, pr);
            }
            Ok(Term::atom(old))
        }
        "min_heap_size" => {
            let n = v.as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
            let mut g = p.heap.options();
            let old = g.min_heap_size;
            g.min_heap_size = (n as usize).max(crate::heap::DEFAULT_MIN_HEAP_SIZE);
            p.heap.set_options(g);
            Ok(Term::small_unchecked(old as i64))
        }
        "min_bin_vheap_size" => {
            v.as_small().filter(|n| *n >= 0).ok_or_else(badarg)?;
            Ok(Term::small_unchecked(
                crate::heap::DEFAULT_MIN_BIN_VHEAP_SIZE as i64,
            ))
        }
        "sensitive" | "save_calls" | "message_queue_data" | "max_heap_size" | "error_handler" => {
            let valid = match flag.as_str() {
                "sensitive" => v.is_boolean(),
                "save_calls" => v.as_small().is_some_and(|n| (0..=10000).contains(&n)),
                "message_queue_data" => matches!(
                    v.as_atom().map(|a| a.as_str()),
                    Some("on_heap") | Some("off_heap")
                ),
                "max_heap_size" => v.as_small().is_some_and(|n| n >= 0) || v.is_map(),
                _ => v.is_atom(),
            };
            if !valid {
                return Err(badarg());
            }
            let default = match flag.as_str() {
                "sensitive" => Term::FALSE,
                "save_calls" => Term::small_unchecked(0),
                "message_queue_data" => atom("on_heap"),
                "max_heap_size" => Term::small_unchecked(0),
                _ => atom("error_handler"),
            };
            let old = match p.flags.iter_mut().find(|(k, _)| *k == flag) {
                Some(kv) => std::mem::replace(&mut kv.1, v),
                None => {
                    p.flags.push((flag, v));
                    default
                }
            };
            if flag.as_str() == "max_heap_size" && old.is_small() {
                return Ok(max_heap_size_map(p, old));
            }
            Ok(old)
        }
        _ => Err(badarg()),
    }
}

fn max_heap_size_map(p: &mut Process, size: Term) -> Term {
    let keys = [atom("error_logger"), atom("kill"), atom("size")];
    let vals = [Term::TRUE, Term::TRUE, size];
    p.heap.flatmap_from(&keys, &vals).unwrap_or(Term::NIL)
}

// ---------------------------------------------------------------- process_info

/// What `process_info` reads from a process, taken before building the
/// answer (which may be on another process's heap).
struct Snap {
    pid: u32,
    mailbox: Vec<Term>,
    queued: usize,
    dict: Vec<Term>,
    links: Vec<u32>,
    monitors: Vec<(u32, Option<Atom>)>,
    monitored_by: Vec<u32>,
    trap_exit: bool,
    reductions: u64,
    heap_size: usize,
    total_heap_size: usize,
    stack_size: usize,
    current: Option<(Atom, Atom, u32)>,
    initial_call: (Atom, Atom, u32),
    group_leader: Term,
    priority: Atom,
    minor_gcs: u64,
    min_heap_size: usize,
    fullsweep_after: u32,
    status: Atom,
    flags: Vec<(Atom, Term)>,
}

fn function_at(addr: u64) -> Option<(Atom, Atom, u32)> {
    let (id, off) = crate::code::split_addr(addr);
    let m = crate::code::module_by_id(id)?;
    let f = m.function_at(off)?;
    Some((m.name, f.name, f.arity))
}

fn snapshot(t: &Process, self_call: bool) -> Snap {
    let opts = t.heap.options();
    let status = if self_call {
        atoms::RUNNING
    } else {
        match scheduler::state_of(t.pid) {
            Some(State::Waiting) => atoms::WAITING,
            Some(State::Runnable) => atoms::RUNNABLE,
            Some(State::Running) => atoms::RUNNING,
            _ => atoms::EXITING,
        }
    };
    let current = if self_call {
        function_at(t.bif_pc)
    } else {
        match t.resume {
            crate::process::Resume::At(a) => function_at(a),
            _ => Some(t.initial_call),
        }
    };
    Snap {
        pid: t.pid,
        mailbox: t.mailbox.iter().copied().collect(),
        queued: t.queued_messages(),
        dict: t.dict.clone(),
        links: t.links.clone(),
        monitors: t.monitors.iter().map(|m| (m.1, m.2)).collect(),
        monitored_by: t.monitored_by.iter().map(|m| m.0).collect(),
        trap_exit: t.trap_exit,
        reductions: t.total_reds
            + if self_call {
                (crate::process::CONTEXT_REDS - t.reds).max(0) as u64
            } else {
                0
            },
        heap_size: t.heap.heap_size(),
        total_heap_size: t.heap.total_heap_size(),
        stack_size: t.heap.stack_len(),
        current,
        initial_call: t.initial_call,
        group_leader: t.group_leader,
        priority: t.priority,
        minor_gcs: t.heap.minor_gcs_since_fullsweep() as u64,
        min_heap_size: opts.min_heap_size,
        fullsweep_after: opts.fullsweep_after,
        status,
        flags: t.flags.clone(),
    }
}

fn mfa(p: &mut Process, m: (Atom, Atom, u32)) -> Term {
    p.heap.tuple(&[
        Term::atom(m.0),
        Term::atom(m.1),
        Term::small_unchecked(m.2 as i64),
    ])
}

fn pids(p: &mut Process, v: &[u32]) -> Term {
    let ts: Vec<Term> = v.iter().map(|d| Term::pid_from_data(*d as u64)).collect();
    p.heap.list_from(&ts, Term::NIL)
}

/// The value of `item` (`None`: the item is absent, as
/// `registered_name` of an unregistered process). `copy`: the terms of
/// the snapshot live on another heap.
fn item_value(p: &mut Process, s: &Snap, item: Atom, copy: bool) -> Result<Option<Term>, BifErr> {
    let cp = |p: &mut Process, t: Term| {
        if copy {
            crate::heap::copy(t, &mut p.heap)
        } else {
            t
        }
    };
    let small = |n: usize| Term::small_unchecked(n as i64);
    let v = match item.as_str() {
        "registered_name" => match scheduler::name_of(s.pid) {
            Some(n) => Term::atom(n),
            None => return Ok(None),
        },
        "status" => Term::atom(s.status),
        "message_queue_len" => small(s.mailbox.len() + s.queued),
        "messages" => {
            let v: Vec<Term> = s.mailbox.iter().map(|t| cp(p, *t)).collect();
            p.heap.list_from(&v, Term::NIL)
        }
        "links" => pids(p, &s.links),
        "monitors" => {
            let mut v = Vec::new();
            for (d, name) in &s.monitors {
                let who = match name {
                    Some(n) => p
                        .heap
                        .tuple(&[Term::atom(*n), Term::atom(atoms::NONODE_NOHOST)]),
                    None => Term::pid_from_data(*d as u64),
                };
                v.push(p.heap.tuple(&[Term::atom(atoms::PROCESS), who]));
            }
            p.heap.list_from(&v, Term::NIL)
        }
        "monitored_by" => pids(p, &s.monitored_by),
        "dictionary" => {
            let mut v = Vec::new();
            for kv in s.dict.chunks_exact(2) {
                let k = cp(p, kv[0]);
                let val = cp(p, kv[1]);
                v.push(p.heap.tuple(&[k, val]));
            }
            p.heap.list_from(&v, Term::NIL)
        }
        "trap_exit" => Term::bool(s.trap_exit),
        "reductions" => p.heap.integer_from_u64(s.reductions),
        "heap_size" => small(s.heap_size),
        "total_heap_size" => small(s.total_heap_size),
        "stack_size" => small(s.stack_size),
        "memory" => small(s.total_heap_size * 8 + 2640),
        "current_function" => match s.current {
            Some(m) => mfa(p, m),
            None => Term::UNDEFINED,
        },
        "initial_call" => mfa(p, s.initial_call),
        "group_leader" => s.group_leader,
        "priority" => Term::atom(s.priority),
        "error_handler" => s
            .flags
            .iter()
            .find(|(k, _)| k.as_str() == "error_handler")
            .map_or(atom("error_handler"), |kv| kv.1),
        "suspending" | "binary" => Term::NIL,
        "last_calls" => Term::FALSE,
        "catchlevel" => small(0),
        "sensitive" => Term::FALSE,
        "message_queue_data" => s
            .flags
            .iter()
            .find(|(k, _)| k.as_str() == "message_queue_data")
            .map_or(atom("on_heap"), |kv| kv.1),
        "garbage_collection" => {
            let mhs = max_heap_size_map(p, Term::small_unchecked(0));
            let items = [
                ("max_heap_size", mhs),
                (
                    "min_bin_vheap_size",
                    small(crate::heap::DEFAULT_MIN_BIN_VHEAP_SIZE),
                ),
                ("min_heap_size", small(s.min_heap_size)),
                ("fullsweep_after", small(s.fullsweep_after as usize)),
                ("minor_gcs", small(s.minor_gcs as usize)),
            ];
            let mut v = Vec::new();
            for (k, val) in items {
                v.push(p.heap.tuple(&[atom(k), val]));
            }
            p.heap.list_from(&v, Term::NIL)
        }
        _ => return Err(badarg()),
    };
    Ok(Some(v))
}

/// Items of `process_info/1`, in ERTS's order.
const DEFAULT_ITEMS: &[&str] = &[
    "current_function",
    "initial_call",
    "status",
    "message_queue_len",
    "links",
    "dictionary",
    "trap_exit",
    "error_handler",
    "priority",
    "group_leader",
    "total_heap_size",
    "heap_size",
    "stack_size",
    "reductions",
    "garbage_collection",
    "suspending",
];

/// Runs `f` with a snapshot of process `pid` (the caller itself or
/// another live process); `None` when it is dead.
fn with_snapshot<R>(
    p: &mut Process,
    pid: Term,
    f: impl FnOnce(&mut Process, &Snap, bool) -> R,
) -> Result<Option<R>, BifErr> {
    let d = match pid_data(pid) {
        Some(d) => d,
        None if pid.is_pid() => return Err(badarg()),
        None => return Err(badarg()),
    };
    if d == p.pid {
        sync_signals(p)?;
        let s = snapshot(p, true);
        return Ok(Some(f(p, &s, false)));
    }
    let Some(sh) = scheduler::lookup(d) else {
        return Ok(None);
    };
    let mut body = sh.body.lock();
    let Some(other) = body.as_mut() else {
        return Ok(None);
    };
    // As in ERTS, the target handles the signals sent before the request.
    if let Some(reason) = other.handle_signals() {
        scheduler::terminate(other, reason);
        *body = None;
        return Ok(None);
    }
    let Some(other) = body.as_ref() else {
        return Ok(None);
    };
    let s = snapshot(other, false);
    // The other process's heap stays untouched while `body` is held.
    Ok(Some(f(p, &s, true)))
}

/// `process_info/1`.
pub fn process_info_1(p: &mut Process, a: A) -> BifResult {
    let r = with_snapshot(p, a[0], |p, s, copy| -> BifResult {
        let mut v = Vec::new();
        if let Some(n) = item_value(p, s, atoms::REGISTERED_NAME, copy)? {
            v.push(p.heap.tuple(&[Term::atom(atoms::REGISTERED_NAME), n]));
        }
        for it in DEFAULT_ITEMS {
            let k = Atom::from_static(it);
            if let Some(val) = item_value(p, s, k, copy)? {
                v.push(p.heap.tuple(&[Term::atom(k), val]));
            }
        }
        Ok(p.heap.list_from(&v, Term::NIL))
    })?;
    r.unwrap_or(Ok(Term::UNDEFINED))
}

/// `process_info/2`.
pub fn process_info_2(p: &mut Process, a: A) -> BifResult {
    let spec = a[1];
    let single = spec.as_atom();
    let items: Vec<Term> = match single {
        Some(_) => vec![spec],
        None => spec.list_to_vec().ok_or_else(badarg)?,
    };
    let mut names = Vec::new();
    for i in &items {
        names.push(i.as_atom().ok_or_else(badarg)?);
    }
    let wants_trace = names.iter().any(|n| n.as_str() == "current_stacktrace");
    if wants_trace && pid_data(a[0]) != Some(p.pid) {
        let alive = pid_data(a[0]).is_some_and(scheduler::is_alive);
        if !alive && a[0].is_pid() {
            return Ok(Term::UNDEFINED);
        }
        eprintln!(
            "oxbeam: process_info(OtherPid, current_stacktrace) is not supported (raises notsup)"
        );
        return Err(BifErr::Exc(Exc::error(Term::atom(atoms::NOTSUP))));
    }
    let r = with_snapshot(p, a[0], |p, s, copy| -> BifResult {
        let mut out = Vec::new();
        for n in &names {
            let v = if n.as_str() == "current_stacktrace" {
                Some(crate::emulator::interp::current_stacktrace(p))
            } else {
                item_value(p, s, *n, copy)?
            };
            let v = match v {
                Some(v) => v,
                None if single.is_some() => return Ok(Term::NIL),
                None => Term::NIL,
            };
            out.push(p.heap.tuple(&[Term::atom(*n), v]));
        }
        if single.is_some() {
            return Ok(out.first().copied().unwrap_or(Term::NIL));
        }
        Ok(p.heap.list_from(&out, Term::NIL))
    })?;
    r.unwrap_or(Ok(Term::UNDEFINED))
}

// ---------------------------------------------------------------- timers

fn timer_dest(d: Term) -> Result<timer::Dest, BifErr> {
    if let Some(pid) = pid_data(d) {
        return Ok(timer::Dest::Pid(pid));
    }
    if let Some(n) = d.as_atom() {
        return Ok(timer::Dest::Name(n));
    }
    Err(badarg())
}

fn timer_opts(opts: Term) -> Result<(), BifErr> {
    for o in opts.list_to_vec().ok_or_else(badarg)? {
        match o.as_tuple() {
            Some([k, v]) if *k == atom("abs") && *v == Term::FALSE => {}
            Some([k, v]) if *k == atom("abs") && *v == Term::TRUE => {
                crate::bif::log_missing(atoms::ERLANG, Atom::from_static("send_after"), 4);
                return Err(BifErr::Exc(Exc::error(Term::atom(atoms::NOTSUP))));
            }
            _ => return Err(badarg()),
        }
    }
    Ok(())
}

fn start_bif_timer(p: &mut Process, a: A, wrap: bool) -> BifResult {
    let ms = a[0]
        .as_i64()
        .filter(|m| *m >= 0 && *m <= (1i64 << 42))
        .ok_or_else(badarg)?;
    let dest = timer_dest(a[1])?;
    let r = p.make_ref();
    let id: RefId = ref_id(r).ok_or_else(badarg)?;
    let msg = if wrap {
        let t = p.heap.tuple(&[Term::atom(atoms::TIMEOUT), r, a[2]]);
        Message::copy(t)
    } else {
        Message::copy(a[2])
    };
    let at = Instant::now() + Duration::from_millis(ms as u64);
    scheduler::add_timer(at, timer::Action::Send(dest, msg, id));
    Ok(r)
}

/// `send_after/3`.
pub fn send_after_3(p: &mut Process, a: A) -> BifResult {
    start_bif_timer(p, a, false)
}

/// `send_after/4`.
pub fn send_after_4(p: &mut Process, a: A) -> BifResult {
    timer_opts(a[3])?;
    start_bif_timer(p, &a[..3], false)
}

/// `start_timer/3`.
pub fn start_timer_3(p: &mut Process, a: A) -> BifResult {
    start_bif_timer(p, a, true)
}

/// `start_timer/4`.
pub fn start_timer_4(p: &mut Process, a: A) -> BifResult {
    timer_opts(a[3])?;
    start_bif_timer(p, &a[..3], true)
}

fn timer_ref(t: Term) -> Result<RefId, BifErr> {
    ref_id(t).ok_or_else(badarg)
}

/// Options `{async, Bool}`, `{info, Bool}` of cancel/read_timer.
fn async_info(opts: Term) -> Result<(bool, bool), BifErr> {
    let (mut asy, mut info) = (false, true);
    for o in opts.list_to_vec().ok_or_else(badarg)? {
        match o.as_tuple() {
            Some([k, v]) if v.is_boolean() => match k.as_atom().map(|a| a.as_str()) {
                Some("async") => asy = *v == Term::TRUE,
                Some("info") => info = *v == Term::TRUE,
                _ => return Err(badarg()),
            },
            _ => return Err(badarg()),
        }
    }
    Ok((asy, info))
}

fn ms_term(p: &mut Process, v: Option<u64>) -> Term {
    match v {
        Some(ms) => p.heap.integer_from_u64(ms),
        None => Term::FALSE,
    }
}

fn timer_op(p: &mut Process, r: Term, opts: Term, cancel: bool) -> BifResult {
    let id = timer_ref(r)?;
    let (asy, info) = async_info(opts)?;
    let left = if cancel {
        scheduler::cancel_timer(&id)
    } else {
        scheduler::read_timer(&id)
    };
    let v = ms_term(p, left);
    if asy {
        if info {
            let tag = atom(if cancel { "cancel_timer" } else { "read_timer" });
            let m = p.heap.tuple(&[tag, r, v]);
            p.send_self(m);
        }
        return Ok(Term::OK);
    }
    Ok(if info { v } else { Term::OK })
}

/// `cancel_timer/1`.
pub fn cancel_timer_1(p: &mut Process, a: A) -> BifResult {
    timer_op(p, a[0], Term::NIL, true)
}

/// `cancel_timer/2`.
pub fn cancel_timer_2(p: &mut Process, a: A) -> BifResult {
    timer_op(p, a[0], a[1], true)
}

/// `read_timer/1`.
pub fn read_timer_1(p: &mut Process, a: A) -> BifResult {
    timer_op(p, a[0], Term::NIL, false)
}

/// `read_timer/2`.
pub fn read_timer_2(p: &mut Process, a: A) -> BifResult {
    timer_op(p, a[0], a[1], false)
}
