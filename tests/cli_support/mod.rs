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
