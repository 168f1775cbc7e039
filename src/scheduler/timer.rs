//! Timers: `receive ... after` wake-ups and the BIF timers of
//! `erlang:send_after/3,4` and `erlang:start_timer/3,4`.
//!
//! One ordered structure (a binary heap of deadlines plus a table of live
//! entries); cancelled or obsolete entries are skipped when they come up.

use crate::atom::Atom;
use crate::process::signal::{Message, RefId};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::Instant;

/// Where a BIF timer's message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dest {
    /// A local pid (pid data).
    Pid(u32),
    /// A registered name (looked up when the timer fires).
    Name(Atom),
}

/// What a timer does when it fires.
#[derive(Debug)]
pub enum Action {
    /// Wake process (pid data) waiting in `receive ... after`.
    Wake(u32),
    /// Send a message (BIF timer with this reference).
    Send(Dest, Message, RefId),
}

/// The timer structure.
#[derive(Debug, Default)]
pub struct Timers {
    order: BinaryHeap<Reverse<(Instant, u64)>>,
    live: HashMap<u64, (Instant, Action)>,
    by_ref: HashMap<RefId, u64>,
    next_id: u64,
}

impl Timers {
    /// Adds a timer; returns its id.
    pub fn add(&mut self, at: Instant, action: Action) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        if let Action::Send(_, _, r) = &action {
            self.by_ref.insert(*r, id);
        }
        self.order.push(Reverse((at, id)));
        self.live.insert(id, (at, action));
        id
    }

    /// Removes the BIF timer with reference `r`: its deadline and action.
    pub fn cancel(&mut self, r: &RefId) -> Option<(Instant, Action)> {
        let id = self.by_ref.remove(r)?;
        self.live.remove(&id)
    }

    /// Deadline of the BIF timer with reference `r`.
    pub fn deadline(&self, r: &RefId) -> Option<Instant> {
        let id = self.by_ref.get(r)?;
        self.live.get(id).map(|e| e.0)
    }

    /// The earliest live deadline.
    pub fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse((at, id))) = self.order.peek().copied() {
            if self.live.contains_key(&id) {
                return Some(at);
            }
            self.order.pop();
        }
        None
    }

    /// Removes and returns the actions due at `now`, earliest first.
    pub fn due(&mut self, now: Instant) -> Vec<Action> {
        let mut out = Vec::new();
        while let Some(Reverse((at, id))) = self.order.peek().copied() {
            if at > now {
                break;
            }
            self.order.pop();
            if let Some((_, a)) = self.live.remove(&id) {
                if let Action::Send(_, _, r) = &a {
                    self.by_ref.remove(r);
                }
                out.push(a);
            }
        }
        out
    }

    /// Whether no timer is pending.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn due_in_deadline_order_and_cancel() {
        let mut t = Timers::default();
        let now = Instant::now();
        let m = |v: i64| Message::copy(crate::term::Term::small_unchecked(v));
        t.add(
            now + Duration::from_millis(30),
            Action::Send(Dest::Pid(1), m(3), [3, 0, 0]),
        );
        t.add(
            now + Duration::from_millis(10),
            Action::Send(Dest::Pid(1), m(1), [1, 0, 0]),
        );
        t.add(now + Duration::from_millis(20), Action::Wake(7));
        assert!(t.cancel(&[3, 0, 0]).is_some());
        assert!(t.cancel(&[3, 0, 0]).is_none());
        assert_eq!(
            t.deadline(&[1, 0, 0]),
            Some(now + Duration::from_millis(10))
        );
        assert_eq!(t.next_deadline(), Some(now + Duration::from_millis(10)));
        let due = t.due(now + Duration::from_millis(40));
        assert_eq!(due.len(), 2);
        assert!(matches!(due[0], Action::Send(Dest::Pid(1), _, [1, 0, 0])));
        assert!(matches!(due[1], Action::Wake(7)));
        assert!(t.is_empty());
        assert_eq!(t.next_deadline(), None);
    }
}
