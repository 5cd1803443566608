//! Outputs written whole or not at all (`src/files.rs`).

use encdec::files::{check_distinct, check_output, write_atomic};
use std::path::Path;

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("encdec-files-out-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn write_atomic_replaces_and_leaves_no_temporary_file() {
    let d = dir("replace");
    let p = d.join("model.ckpt");
    write_atomic(&p, b"old").unwrap();
    write_atomic(&p, b"new contents").unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"new contents");
    let names: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_symbolic_link_is_written_through() {
    let d = dir("link");
    let target = d.join("real.ckpt");
    std::fs::write(&target, b"old").unwrap();
    let link = d.join("link.ckpt");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&target, &link).unwrap();
    write_atomic(&link, b"new").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"new");
}

#[test]
fn a_failed_write_keeps_the_old_file() {
    let d = dir("fail");
    // The target is a non-empty folder: the rename fails, the folder and its
    // file stay as they were, and the temporary file is removed.
    let target = d.join("out");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("keep.txt"), b"kept").unwrap();
    assert!(write_atomic(&target, b"x").is_err());
    assert_eq!(std::fs::read(target.join("keep.txt")).unwrap(), b"kept");
    let names: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // A missing folder: an error, nothing created.
    assert!(write_atomic(&d.join("missing/x.ckpt"), b"x").is_err());
    assert!(!d.join("missing").exists());
}

#[test]
fn outputs_are_checked_by_name_folder_and_extension() {
    let d = dir("check");
    assert!(check_output("--out", &d.join("m.ckpt"), &[]).is_ok());
    let e = check_output("--out", &d.join("nope/m.ckpt"), &[]).unwrap_err();
    assert!(e.contains("--out") && e.contains("does not exist"), "{e}");
    let e = check_output("--curves", &d.join("c.jpg"), &["png", "svg"]).unwrap_err();
    assert!(e.contains("must end in .png or .svg"), "{e}");
    assert!(check_output("--curves", &d.join("c.SVG"), &["png", "svg"]).is_ok());
    let e = check_output("--out", &d, &[]).unwrap_err();
    assert!(e.contains("is a folder"), "{e}");
    let (a, b) = (Path::new("x/a.png"), Path::new("x/b.png"));
    assert!(check_distinct(&[("--out", a), ("--curves", b)], &[]).is_ok());
    let e = check_distinct(&[("--out", a), ("--curves", a)], &[]).unwrap_err();
    assert!(e.contains("--out and --curves are the same file"), "{e}");
    // Inputs may share a file; an output may not share one with an input,
    // however the path is written.
    assert!(check_distinct(&[("--out", a)], &[("--valid", b), ("--test", b)]).is_ok());
    let here = d.join("c.png");
    let dotted = d.join(".").join("c.png");
    let e = check_distinct(&[("--out", &dotted)], &[("--target", &here)]).unwrap_err();
    assert!(e.contains("writing --out would overwrite --target"), "{e}");
    // A trailing slash names a folder, and a device is not a file to replace.
    assert!(
        check_output("--out", Path::new("newdir/"), &[])
            .unwrap_err()
            .contains("is a folder")
    );
    assert!(
        check_output("--hypotheses", Path::new("/dev/null"), &[])
            .unwrap_err()
            .contains("not a regular file")
    );
    assert!(write_atomic(Path::new("/dev/null"), b"x").is_err());
}

/// A reader of `n` zero bytes (endless with `u64::MAX`) that counts what
/// was taken from it.
struct Counted {
    left: u64,
    taken: std::rc::Rc<std::cell::Cell<u64>>,
}

impl std::io::Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        buf[..n].fill(0);
        self.left -= n as u64;
        self.taken.set(self.taken.get() + n as u64);
        Ok(n)
    }
}

const SMALL: encdec::files::ReadCap = encdec::files::ReadCap {
    bytes: 3 << 20,
    what: "a test file",
    remedy: "use a smaller one",
};

#[test]
fn a_capped_read_stops_one_byte_past_the_cap() {
    use encdec::files::read_capped_from;
    let taken = std::rc::Rc::new(std::cell::Cell::new(0));
    let endless = Counted {
        left: u64::MAX,
        taken: taken.clone(),
    };
    let e = read_capped_from(endless, SMALL, None).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    assert_eq!(taken.get(), SMALL.bytes + 1, "read past the cap");
    let text = e.to_string();
    assert!(
        text.contains("larger than 3 MiB (3145728 bytes), the most encdec reads of a test file; use a smaller one"),
        "{text}"
    );
    // Exactly the cap is read whole, with or without its length known.
    for len in [None, Some(SMALL.bytes)] {
        let exact = Counted {
            left: SMALL.bytes,
            taken: taken.clone(),
        };
        assert_eq!(
            read_capped_from(exact, SMALL, len).unwrap().len() as u64,
            SMALL.bytes
        );
    }
}

#[test]
fn a_whole_file_read_is_capped() {
    use encdec::files::read_capped;
    let d = dir("capped");
    let p = d.join("big.bin");
    std::fs::write(&p, vec![7u8; SMALL.bytes as usize + 1]).unwrap();
    let e = read_capped(&p, SMALL).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    std::fs::write(&p, vec![7u8; SMALL.bytes as usize]).unwrap();
    assert_eq!(
        read_capped(&p, SMALL).unwrap(),
        vec![7u8; SMALL.bytes as usize]
    );
    // A device is refused before a byte is read.
    let e = read_capped(Path::new("/dev/zero"), SMALL).unwrap_err();
    assert!(e.to_string().contains("is a device, not a file"), "{e}");
}
