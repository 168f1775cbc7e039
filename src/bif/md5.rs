//! MD5 for the checksum BIFs: the loader's implementation (ERTS's
//! `MD5_CTX` layout), shared with the module checksum.

pub use oxbeam_loader::md5::{md5, Md5, CTX_BYTES};
