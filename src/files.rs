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
//! Reading is bounded the same way everywhere: [`read_capped`] reads a
//! whole file but never more than a [`ReadCap`], and [`open_capped`] opens
//! a file for a line-by-line reader that stops at the same kind of cap. A
//! device or a pipe (`/dev/zero`, `<(yes)`) has no length to check first,
//! so the cap holds on the bytes read, not only on the file's size.
//!
//! Checked by `tests/core/files.rs`.

use std::io::{Read, Write};
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

/// The most bytes encdec reads of one kind of input file, and what to tell
/// a user whose file is larger. Each cap is chosen so that a laptop can
/// hold a file of that size in memory and real use stays far below it;
/// the constants say why their number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadCap {
    /// The most bytes read; one more is refused.
    pub bytes: u64,
    /// What kind of file this is, for the message: "a corpus file".
    pub what: &'static str,
    /// What to do with a larger file.
    pub remedy: &'static str,
}

impl ReadCap {
    /// The error for an input of more than [`ReadCap::bytes`]: the limit
    /// in bytes and in GiB or MiB, and the remedy (the caller names the file).
    pub fn too_large(&self) -> std::io::Error {
        let b = self.bytes;
        let size = if b >= 1 << 30 && b.is_multiple_of(1 << 30) {
            format!("{} GiB", b >> 30)
        } else {
            format!("{} MiB", b as f64 / (1 << 20) as f64)
        };
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "larger than {size} ({b} bytes), the most encdec reads of {}; {}",
                self.what, self.remedy
            ),
        )
    }
}

/// Opens `path` to be read up to one byte past `cap`: a reader that then
/// finds the file longer than the cap refuses it with
/// [`ReadCap::too_large`]. A regular file longer than the cap is refused
/// at once, before anything is read.
///
/// # Errors
/// The operating system's error, or the cap's.
pub fn open_capped(path: &Path, cap: ReadCap) -> std::io::Result<std::io::Take<std::fs::File>> {
    let (file, _) = open_within(path, cap)?;
    Ok(file.take(cap.bytes.saturating_add(1)))
}

/// The file at `path` and its length if it is a regular file, refused if
/// that length is over the cap.
fn open_within(path: &Path, cap: ReadCap) -> std::io::Result<(std::fs::File, Option<u64>)> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.is_file().then_some(meta.len());
    if len.is_some_and(|n| n > cap.bytes) {
        return Err(cap.too_large());
    }
    Ok((file, len))
}

/// The whole of the file at `path`, read with [`read_capped_from`]. A
/// device (`/dev/zero`, a terminal) is refused at once: read whole, it
/// would fill memory up to the cap before a byte of it could be judged.
/// A pipe (`<(cat model.ckpt)`) is read, up to the cap.
///
/// # Errors
/// As [`open_capped`] and [`read_capped_from`]; `InvalidInput` for a
/// device. Checked by `tests/core/files.rs::a_whole_file_read_is_capped`.
pub fn read_capped(path: &Path, cap: ReadCap) -> std::io::Result<Vec<u8>> {
    let (file, len) = open_within(path, cap)?;
    if is_device(&file.metadata()?) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is a device, not a file; give the path of a file",
        ));
    }
    read_capped_from(file, cap, len)
}

/// Whether `meta` is a device's (character or block); elsewhere than on
/// Unix none is, and the cap alone bounds the read.
#[cfg(unix)]
fn is_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device() || meta.file_type().is_block_device()
}
#[cfg(not(unix))]
fn is_device(_: &std::fs::Metadata) -> bool {
    false
}

/// All the bytes of `reader`, or an error as soon as it gives more than
/// `cap.bytes`: at most `cap.bytes + 1` bytes are ever read. With the
/// length known (`len`, a regular file's) the bytes are read into one
/// buffer of that size; without, in pieces of 1 MiB joined at the end, so
/// that a reader that never ends costs the cap and no more.
///
/// # Errors
/// A read error, [`ReadCap::too_large`], or `OutOfMemory` if the bytes do
/// not fit in memory. Checked by `tests/core/files.rs::a_capped_read_stops_one_byte_past_the_cap`.
pub fn read_capped_from(
    reader: impl Read,
    cap: ReadCap,
    len: Option<u64>,
) -> std::io::Result<Vec<u8>> {
    const PIECE: u64 = 1 << 20;
    let limit = cap.bytes.saturating_add(1);
    let mut reader = reader.take(limit);
    let (mut pieces, mut total) = (Vec::<Vec<u8>>::new(), 0u64);
    loop {
        let first = len
            .filter(|_| pieces.is_empty())
            .map(|n| n.saturating_add(1));
        let want = first.unwrap_or(PIECE).min(limit);
        let mut piece = reserved(want)?;
        (&mut reader).take(want).read_to_end(&mut piece)?;
        total += piece.len() as u64;
        if total > cap.bytes {
            return Err(cap.too_large());
        }
        let full = piece.len() as u64 == want;
        pieces.push(piece);
        if !full {
            break;
        }
    }
    if pieces.len() == 1 {
        return Ok(pieces.pop().unwrap_or_default());
    }
    let mut bytes = reserved(total)?;
    for piece in pieces {
        bytes.extend_from_slice(&piece);
    }
    Ok(bytes)
}

/// An empty buffer with room for `n` bytes, or `OutOfMemory`.
fn reserved(n: u64) -> std::io::Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n as usize).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::OutOfMemory,
            format!("not enough memory to hold {n} bytes of it"),
        )
    })?;
    Ok(v)
}
