//! External term format codec: `term_to_binary` / `binary_to_term` (part B).
