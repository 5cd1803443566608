//! `encdec experiment NAME`: each experiment runs at the small size (what
//! CI runs) and writes its picture, its table and its numbers; a bad name
//! or output folder is refused before any work.

use crate::cli_support::{encdec, fails_with, temp};
use std::path::Path;

/// Runs `name` small into a fresh folder and checks the three files.
fn runs_and_writes(name: &str) {
    let out = temp(&format!("experiment-{name}"));
    std::fs::create_dir_all(&out).unwrap();
    let o = encdec(&["experiment", name, "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = |ext: &str| out.join(format!("{name}.{ext}"));
    let png = std::fs::read(file("png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let md = std::fs::read_to_string(file("md")).unwrap();
    assert!(md.starts_with("| ") && md.contains("|---|"), "{md}");
    assert!(
        stdout.contains(md.lines().next().unwrap()),
        "the table is printed: {stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file("json")).unwrap()).unwrap();
    assert_eq!(json["experiment"], name);
    assert_eq!(json["size"], "small");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn bottleneck_runs_small_and_writes_three_files() {
    runs_and_writes("bottleneck");
}

#[test]
fn scale_runs_small_and_writes_three_files() {
    runs_and_writes("scale");
}

#[test]
fn positions_runs_small_and_writes_three_files() {
    runs_and_writes("positions");
}

#[test]
fn causal_runs_small_and_writes_three_files() {
    runs_and_writes("causal");
}

#[test]
fn an_unknown_experiment_is_refused_with_the_names() {
    let o = encdec(&["experiment", "dropout\u{1b}[2J"]);
    fails_with(&o, "unknown experiment 'dropout");
    fails_with(&o, "bottleneck, scale, positions, causal");
    assert!(!String::from_utf8_lossy(&o.stderr).contains('\u{1b}'));
}

#[test]
fn a_missing_or_non_folder_out_is_refused_before_any_work() {
    let missing = temp("no-such-folder");
    let o = encdec(&["experiment", "causal", "--out", missing.to_str().unwrap()]);
    fails_with(&o, "is not an existing folder; create it first");
    let file = temp("experiment-out-file");
    std::fs::write(&file, "x").unwrap();
    let o = encdec(&["experiment", "causal", "--out", file.to_str().unwrap()]);
    fails_with(&o, "is not an existing folder");
    std::fs::remove_file(&file).unwrap();
    assert!(!Path::new(&missing).exists());
}

#[test]
fn an_unknown_size_is_refused() {
    let o = encdec(&["experiment", "causal", "--size", "huge"]);
    fails_with(&o, "huge");
}

#[test]
fn cells_runs_small_and_writes_three_files() {
    runs_and_writes("cells");
}
