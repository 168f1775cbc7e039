//! Term order and equality (`==`, `=:=`, `<`) matching ERTS (part B).
