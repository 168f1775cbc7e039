//! Term hashing: `phash2`, `phash`, and the internal map hash (part B).
