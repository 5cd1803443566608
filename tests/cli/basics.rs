//! The `encdec` binary, driven as a user would.

use std::process::Command;

fn encdec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(args)
        .output()
        .expect("the encdec binary runs")
}

#[test]
fn gradcheck_prints_every_op_and_layer_as_ok_and_exits_zero() {
    let out = encdec(&["gradcheck"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ops = encdec::checks::ops::op_cases();
    for case in &ops {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(case.name))
            .unwrap_or_else(|| panic!("no line for {} in:\n{stdout}", case.name));
        assert!(line.trim_end().ends_with(" ok"), "{line}");
    }
    let layers = encdec::checks::layers::layer_cases();
    for case in &layers {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(case.name))
            .unwrap_or_else(|| panic!("no line for {} in:\n{stdout}", case.name));
        assert!(line.trim_end().ends_with(" ok"), "{line}");
    }
    let word_vectors = encdec::checks::word_vectors::word_vector_checks(0);
    for (name, _) in &word_vectors {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(name) && l.trim_end().ends_with(" ok")),
            "{name}"
        );
    }
    let total = ops.len() + layers.len() + word_vectors.len();
    assert!(
        stdout.contains(&format!("all {total} ops and layers ok")),
        "{stdout}"
    );
}

#[test]
fn an_unknown_flag_is_a_clear_error_not_a_panic() {
    let out = encdec(&["gradcheck", "--bogus"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_seed_is_a_clear_error() {
    let out = encdec(&["gradcheck", "--seed", "minus-one"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid value 'minus-one'"), "{stderr}");
}
