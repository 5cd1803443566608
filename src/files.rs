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
//! Checked by `tests/core/files.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed over `path`.
///
/// # Errors
/// The operating system's error, with the path; the old file (if any) is
/// left as it was and the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A symbolic link is written through (its target is replaced), and a
    // device or other special file is refused: renaming over `/dev/null`
    // would replace the device with a plain file.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            resolved.as_path()
        }
        _ => path,
    };
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a regular file; give a file path", path.display()),
        ));
    }
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
    let text = path.to_string_lossy();
    if path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(format!(
            "{flag} {}: is a folder; give a file name",
            path.display()
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(format!(
            "{flag} {}: is not a regular file; give a file path",
            path.display()
        ));
    }
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

/// The path as the file system will resolve it, for comparing: the
/// canonical path when the file exists, else its canonical folder joined
/// with its name (so `./a.png` and `a.png` are the same file).
fn identity(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let folder = match p.parent() {
        Some(f) if !f.as_os_str().is_empty() => f,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), p.file_name()) {
        (Ok(f), Some(name)) => f.join(name),
        _ => p.to_path_buf(),
    }
}

/// Checks that no output shares a file with another output or with an
/// input (inputs may share files with each other).
///
/// # Errors
/// A message naming both flags and which one would be overwritten.
pub fn check_distinct(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<(), String> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        let id = identity(out);
        let others = outputs[i + 1..].iter().chain(inputs);
        if let Some((other, _)) = others.into_iter().find(|(_, p)| identity(p) == id) {
            return Err(format!(
                "{flag} and {other} are the same file ({}): writing {flag} would overwrite {other}; give two paths",
                out.display()
            ));
        }
    }
    Ok(())
}
