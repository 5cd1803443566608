//! Writing outputs safely: every file encdec writes is written whole or not
//! at all, and every output path is checked before any work starts.
//!
//! [`write_atomic`] writes a temporary file in the same folder, flushes it
//! to disk and renames it over the target, so a full disk, a crash or a
//! concurrent reader never sees half a file, and a failure leaves the old
//! file as it was. [`check_output`] and [`check_distinct`] catch a missing
//! folder, a wrong extension or two outputs on one path before hours of
//! training are spent.
//!
//! Checked by `tests/files.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed over `path`.
///
/// # Errors
/// The operating system's error, with the path; the old file (if any) is
/// left as it was and the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Checks, before any work, that `path` can be written as the output named
/// `flag`: its folder exists and is a folder, the path is not a folder, and
/// its extension is one of `extensions` (any, if empty).
///
/// # Errors
/// A message naming the flag, the path and what to do.
pub fn check_output(flag: &str, path: &Path, extensions: &[&str]) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{flag} {}: is a folder; give a file name",
            path.display()
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(format!(
            "{flag} {}: the folder {} does not exist; create it first",
            path.display(),
            folder.display()
        ));
    }
    if !extensions.is_empty() {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !ext.is_some_and(|e| extensions.contains(&e.as_str())) {
            return Err(format!(
                "{flag} {}: the file name must end in .{}",
                path.display(),
                extensions.join(" or .")
            ));
        }
    }
    Ok(())
}

/// Checks that no two outputs (and no output and input) share a path.
///
/// # Errors
/// A message naming both flags.
pub fn check_distinct(paths: &[(&str, &Path)]) -> Result<(), String> {
    for (i, (flag_a, a)) in paths.iter().enumerate() {
        for (flag_b, b) in &paths[i + 1..] {
            let same =
                a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
            if same {
                return Err(format!(
                    "{flag_a} and {flag_b} are the same file ({}): one would overwrite the other; give two paths",
                    a.display()
                ));
            }
        }
    }
    Ok(())
}
