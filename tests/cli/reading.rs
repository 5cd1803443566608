//! Issue 23, faults 7 and 8: reading what a user hands in. A file that
//! never ends (`/dev/zero`) is refused at its first line or at a size cap,
//! quickly and in bounded memory; a side that shows nothing (tag
//! characters, lone combining marks) is refused, naming the file and line.
//! Each test failed before its fix (a hang, a read until memory ran out,
//! or a training run that passed).

use crate::cli_support::{encdec, fails_with, small_training, temp};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `encdec` with `args` under a 3 GB address-space limit (so a reader
/// that grows without bound fails instead of taking the machine), killed
/// after `seconds`: a test of something that used to hang fails, not hangs.
fn encdec_within(seconds: u64, args: &[&str]) -> Output {
    encdec_reading(seconds, args, Stdio::null())
}

/// As [`encdec_within`], with `stdin` as standard input.
fn encdec_reading(seconds: u64, args: &[&str], stdin: Stdio) -> Output {
    let cmd = "ulimit -v 3000000; exec \"$0\" \"$@\"";
    let mut child = Command::new("sh")
        .args(["-c", cmd, env!("CARGO_BIN_EXE_encdec")])
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the encdec binary runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(seconds) {
            child.kill().unwrap();
            let o = child.wait_with_output().unwrap();
            panic!(
                "encdec {} did not return within {seconds} s (stderr: {})",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `encdec train` on `data` (flags and files), one epoch of the §5.1 model.
fn train_on(out: &str, data: &[&str]) -> Vec<String> {
    let head = ["train", "--model", "lstm", "--epochs", "1", "--out", out];
    head.iter().chain(data).map(|s| s.to_string()).collect()
}

/// Runs `train_on(..)` within `seconds`.
fn train_within(seconds: u64, data: &[&str]) -> Output {
    let out = temp("reading.ckpt");
    let args = train_on(out.to_str().unwrap(), data);
    encdec_within(
        seconds,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

#[test]
fn a_corpus_that_never_ends_is_refused_at_line_1() {
    let o = train_within(20, &["--corpus", "/dev/zero"]);
    fails_with(&o, "/dev/zero:1: ");
    fails_with(&o, "longer than 1048576 bytes");
    // Two line-aligned files: the same, from the first line.
    let o = train_within(20, &["--source", "/dev/zero", "--target", "/dev/zero"]);
    fails_with(&o, "/dev/zero:1: ");
}

#[test]
fn skipping_bad_lines_still_stops_at_the_corpus_size_cap() {
    let o = train_within(60, &["--corpus", "/dev/zero", "--skip-bad-lines"]);
    fails_with(&o, "/dev/zero: ");
    fails_with(&o, "larger than 512 MiB");
}

#[test]
fn a_vectors_file_that_never_ends_is_refused_at_line_1() {
    let o = train_within(20, &["--pairs", "200", "--src-vectors", "/dev/zero"]);
    fails_with(&o, "/dev/zero line 1: ");
    fails_with(&o, "longer than 1048576 bytes");
    let o = encdec_within(20, &["neighbors", "--vectors", "/dev/zero", "cat"]);
    fails_with(&o, "/dev/zero line 1: ");
}

#[test]
fn every_other_input_path_refuses_a_file_that_never_ends() {
    let good = temp("reading-good.tsv");
    std::fs::write(&good, "the dog\tle chien\n".repeat(30)).unwrap();
    let good = good.to_str().unwrap();
    let o = train_within(20, &["--corpus", good, "--valid", "/dev/zero"]);
    fails_with(&o, "/dev/zero:1: ");
    let o = encdec_within(
        20,
        &["bleu", "--hypotheses", "/dev/zero", "--references", good],
    );
    fails_with(&o, "/dev/zero:1: the line is longer than 1048576 bytes");
    let ckpt = temp("reading.ckpt");
    let o = encdec(&small_training(ckpt.to_str().unwrap(), &[]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ckpt = ckpt.to_str().unwrap();
    let o = encdec_within(
        20,
        &["evaluate", "--checkpoint", ckpt, "--corpus", "/dev/zero"],
    );
    fails_with(&o, "/dev/zero:1: ");
    // Model files are read whole: a device is refused before a byte is read.
    let out = temp("reading-import.ckpt");
    for args in [
        vec!["translate", "--checkpoint", "/dev/zero", "the dog"],
        vec![
            "import",
            "--weights",
            "/dev/zero",
            "--out",
            out.to_str().unwrap(),
        ],
        vec![
            "import",
            "--keras",
            "/dev/zero",
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let o = encdec_within(20, &args);
        fails_with(&o, "/dev/zero");
        fails_with(&o, "it is a device, not a file");
    }
}

#[test]
fn standard_input_that_never_ends_is_refused_at_line_1() {
    for (command, task) in [("translate", "translation"), ("chat", "dialogue")] {
        let ckpt = temp(&format!("stdin-zero-{task}.ckpt"));
        let o = encdec(&small_training(ckpt.to_str().unwrap(), &["--task", task]));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let zero = std::fs::File::open("/dev/zero").unwrap();
        let args = [command, "--checkpoint", ckpt.to_str().unwrap()];
        let o = encdec_reading(20, &args, Stdio::from(zero));
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!all.contains("panicked"), "{command}: {all}");
        assert!(
            all.contains("line 1") && all.contains("longer than 1048576 bytes"),
            "{command}: {all}"
        );
    }
}

/// A TSV file whose line 2 has a target that shows nothing.
fn invisible_target(name: &str, target: &str) -> std::path::PathBuf {
    let p = temp(name);
    let mut text = String::new();
    for i in 0..40 {
        text += &format!("the dog {i}\tle chien {i}\n");
        if i == 0 {
            text += &format!("the cat\t{target}\n");
        }
    }
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_side_that_shows_nothing_is_refused_naming_the_file_and_line() {
    let tags = "\u{E0068}\u{E0069}\u{E007F}"; // TAG LATIN SMALL LETTER H, I, CANCEL TAG
    let marks = "\u{0301}\u{0308}"; // COMBINING ACUTE, DIAERESIS with nothing to sit on
    let out = temp("invisible.ckpt");
    let train = |p: &std::path::Path| {
        let args = train_on(out.to_str().unwrap(), &["--corpus", p.to_str().unwrap()]);
        encdec(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    for (name, target) in [("tags.tsv", tags), ("marks.tsv", marks)] {
        let p = invisible_target(name, target);
        let o = train(&p);
        fails_with(&o, &format!("{}:2: ", p.display()));
        fails_with(&o, "target (column 2) is empty");
        // Chinese and emoji are text.
        let p = invisible_target(&format!("visible-{name}"), &format!("猫{target}🐈"));
        let o = train(&p);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// A sparse file of `bytes` bytes (zeros, no disk used).
fn sparse(name: &str, bytes: u64) -> std::path::PathBuf {
    let p = temp(name);
    std::fs::File::create(&p).unwrap().set_len(bytes).unwrap();
    p
}

#[test]
fn a_vectors_file_over_the_cap_is_refused() {
    // 2 GiB and one byte: refused by its size, before a byte is read.
    let p = sparse("over-cap-vectors.txt", (2 << 30) + 1);
    let o = encdec_within(20, &["neighbors", "--vectors", p.to_str().unwrap(), "cat"]);
    fails_with(&o, "larger than 2 GiB");
    let p = sparse("over-cap-corpus.tsv", (512 << 20) + 1);
    let o = train_within(20, &["--corpus", p.to_str().unwrap()]);
    fails_with(&o, "larger than 512 MiB");
}
