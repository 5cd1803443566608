//! Running the `encdec` binary from the command-line tests.
//! Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `encdec` with `args`.
pub fn encdec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(args)
        .output()
        .expect("the encdec binary runs")
}

/// Runs `encdec` with `args` and `input` on standard input.
pub fn encdec_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the encdec binary runs");
    // A command that exits early closes its input: that is not a failure here.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().expect("the encdec binary ends")
}

/// A file name in the temporary folder, unique to this test process.
pub fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("encdec-cli-{}-{name}", std::process::id()))
}

/// Fails unless the command failed with `message` on stderr, and no panic.
pub fn fails_with(o: &Output, message: &str) {
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(e.contains(message), "expected {message:?} in {e:?}");
    assert!(!e.contains("panicked"), "{e}");
}

/// Rewrites the JSON header of a checkpoint file with `edit` and fixes the
/// length and checksum, so that only the edit can make loading fail.
pub fn rewrite_header(path: &std::path::Path, edit: impl Fn(&mut serde_json::Value)) {
    let bytes = std::fs::read(path).unwrap();
    let len = u64::from_le_bytes(bytes[8..16].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + len]).unwrap();
    edit(&mut header);
    let h = header.to_string().into_bytes();
    let mut out = bytes[..8].to_vec();
    out.extend((h.len() as u64).to_le_bytes());
    out.extend(&h);
    out.extend(&bytes[16 + len..bytes.len() - 8]);
    let hash = out.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    out.extend(hash.to_le_bytes());
    std::fs::write(path, out).unwrap();
}

/// The arguments of a one-epoch training run of the §5.1 model on 200
/// built-in pairs, written to `out`, followed by `extra`.
pub fn small_training<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "train", "--model", "lstm", "--epochs", "1", "--pairs", "200", "--out", out,
    ];
    args.extend(extra);
    args
}
