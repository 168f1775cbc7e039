//! Maps: flatmap/HAMT construction, lookup and iteration (part B).
