//! Finding the OTP library tree that oxbeam runs (default `/usr/lib/erlang`).

use std::path::{Path, PathBuf};

/// The default OTP root: Debian's install location.
pub const DEFAULT_ROOT: &str = "/usr/lib/erlang";

/// The OTP root in use: `$OXBEAM_OTP_ROOT` if set, else [`DEFAULT_ROOT`].
pub fn root() -> PathBuf {
    std::env::var_os("OXBEAM_OTP_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT))
}

/// The OTP release (`"25"`) of the tree at `root`, read from `releases/*/OTP_VERSION`.
pub fn release(root: &Path) -> Option<String> {
    let dir = std::fs::read_dir(root.join("releases")).ok()?;
    for entry in dir.flatten() {
        if let Ok(v) = std::fs::read_to_string(entry.path().join("OTP_VERSION")) {
            return v.trim().split('.').next().map(str::to_owned);
        }
    }
    None
}

/// Every `.beam` file under `path` (a file or a directory, recursively), sorted.
pub fn beam_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    collect(path, &mut out)?;
    out.sort();
    Ok(out)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), out)?;
        }
    } else if path.extension().is_some_and(|e| e == "beam") {
        out.push(path.to_path_buf());
    }
    Ok(())
}
