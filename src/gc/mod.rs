//! Generational copying garbage collector (Cheney scan), after ERTS's
//! `erl_gc.c`.

mod sizes;

pub use sizes::next_heap_size;
