//! `encdec explore` and `encdec heatmap --format json|csv`, driven as a user
//! would: the three model kinds, the three tasks, and every mistake one
//! clear line on stderr that leaves existing files alone.

use crate::cli_support;

use cli_support::{encdec, fails_with, temp};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A one-epoch model of `kind` for `task`, on a small built-in corpus, in
/// a file of its own: the tests run at once, and two of them training the
/// same kind and task must not write and delete the same file.
fn trained(kind: &str, task: &str) -> String {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let path = temp(&format!("{kind}-{task}-{n}.ckpt"))
        .display()
        .to_string();
    let mut args = vec!["train", "--task", task, "--model", kind, "--epochs", "1"];
    args.extend(["--pairs", "200", "--out", &path]);
    if kind == "transformer" {
        args.extend([
            "--layers",
            "2",
            "--heads",
            "2",
            "--d-model",
            "16",
            "--d-ff",
            "32",
        ]);
    }
    ok(&encdec(&args));
    path
}

/// An input the model of `task` knows every word of.
fn input(task: &str) -> &'static str {
    match task {
        "translation" => "the quick brown fox jumps over the lazy dog",
        "summarization" => "the city council approved the new budget on monday .",
        _ => "hello",
    }
}

#[test]
fn explore_writes_a_page_for_every_model_and_task() {
    for (kind, task) in [
        ("lstm", "translation"),
        ("attention", "summarization"),
        ("transformer", "dialogue"),
        ("transformer", "translation"),
    ] {
        let ckpt = trained(kind, task);
        let out = temp(&format!("explore-{kind}-{task}.html"));
        let args = [
            "explore",
            "--checkpoint",
            &ckpt,
            input(task),
            "--out",
            out.to_str().unwrap(),
        ];
        let o = encdec(&[&args[..], &["--allow-unknown", "--beam", "2"]].concat());
        let printed = ok(&o);
        let matrices = match kind {
            "lstm" => 0,
            "attention" => 1,
            _ => 3 * 2 * 2,
        };
        assert!(
            printed.contains(&format!("{matrices} attention matrices")),
            "{printed}"
        );
        assert!(printed.contains("a beam of width 2"), "{printed}");
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains(&format!("\"kind\":\"{kind}\"")), "{kind}");
        assert!(html.contains(&format!("\"task\":\"{task}\"")), "{task}");
        std::fs::remove_file(out).unwrap();
        std::fs::remove_file(ckpt).unwrap();
    }
}

#[test]
fn heatmap_exports_every_matrix_as_json_and_csv() {
    use encdec::seq2seq::io::Checkpoint;
    let ckpt = trained("transformer", "translation");
    // A one-epoch model writes nothing for this input, and an output
    // without words has no attention to export: one word's raised output
    // bias makes it write.
    let mut c = Checkpoint::load(std::path::Path::new(&ckpt)).unwrap();
    crate::model_support::raise_output_bias(c.translator.model.as_mut(), 4, 1e3);
    c.save(std::path::Path::new(&ckpt)).unwrap();
    let export = |out: &std::path::Path, extra: &[&str]| {
        let args = ["heatmap", "--checkpoint", &ckpt, input("translation")];
        ok(&encdec(
            &[&args[..], &["--out", out.to_str().unwrap()], extra].concat(),
        ))
    };
    let json = temp("attention.json");
    assert!(export(&json, &[]).contains("(12 attention matrices)"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["attention"].as_array().unwrap().len(), 12);
    assert_eq!(v["source_tokens"][3], "fox");
    let csv = temp("attention.csv");
    export(&csv, &["--format", "csv"]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("kind,layer,head,query_index,query,key_index,key,weight\n"));
    assert!(text.contains("cross-attention,2,2,"));
    for f in [json, csv] {
        std::fs::remove_file(f).unwrap();
    }
    std::fs::remove_file(ckpt).unwrap();
}

#[test]
fn mistakes_are_one_line_and_leave_files_alone() {
    let ckpt = trained("attention", "translation");
    let kept = temp("kept.html");
    std::fs::write(&kept, "an earlier page").unwrap();
    let page = kept.to_str().unwrap();
    let explore = |input: &str, extra: &[&str]| {
        encdec(&[&["explore", "--checkpoint", &ckpt, input][..], extra].concat())
    };
    // An unknown word: refused before anything is written.
    fails_with(&explore("the zebra", &["--out", page]), "zebra");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "an earlier page");
    fails_with(&explore("the dog", &["--out", "page.png"]), ".html");
    let zero_beam = explore("the dog", &["--out", page, "--beam", "0"]);
    fails_with(&zero_beam, "--beam must be from 1 to 64");
    // The format and the file name must agree; --layer belongs to pictures.
    let heat = |extra: &[&str]| {
        encdec(&[&["heatmap", "--checkpoint", &ckpt, "the dog"][..], extra].concat())
    };
    fails_with(
        &heat(&["--out", "a.json", "--format", "csv"]),
        "does not end in .csv",
    );
    fails_with(
        &heat(&["--out", "a.xml"]),
        "must end in .png or .svg or .json or .csv",
    );
    fails_with(
        &heat(&["--out", "a.xml", "--format", "xml"]),
        "invalid value 'xml' for '--format <FORMAT>' [possible values: png, svg, json, csv]",
    );
    fails_with(
        &heat(&["--out", "a.json", "--layer", "1"]),
        "--layer chooses the picture's layer",
    );
    // Layers count from 1, as in every picture and page.
    fails_with(
        &heat(&["--out", "a.png", "--layer", "0"]),
        "--layer 0 does not exist: the model has decoder layers 1 to 1",
    );
    // An unknown word is refused unless --allow-unknown makes it <unk>.
    let json = temp("unknown.json");
    let out = json.to_str().unwrap();
    let zebra = |extra: &[&str]| {
        let args = ["heatmap", "--checkpoint", &ckpt, "the zebra", "--out", out];
        encdec(&[&args[..], extra].concat())
    };
    fails_with(&zebra(&[]), "zebra");
    assert!(!json.exists());
    ok(&zebra(&["--allow-unknown"]));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // The word as typed labels its column (the model read it as <unk>).
    assert_eq!(v["source_tokens"][1], "zebra");
    std::fs::remove_file(&json).unwrap();
    std::fs::remove_file(kept).unwrap();
    std::fs::remove_file(ckpt).unwrap();
}

#[test]
fn a_model_without_attention_has_no_attention_to_export() {
    // The plain LSTM (§5.1): its picture is refused, and so is its data,
    // rather than a file with no matrix in it.
    let ckpt = trained("lstm", "translation");
    for name in ["none.json", "none.csv", "none.png"] {
        let out = temp(name);
        let args = ["heatmap", "--checkpoint", &ckpt, input("translation")];
        let run = encdec(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
        fails_with(&run, "no attention");
        assert!(!out.exists(), "{name} was written");
    }
    std::fs::remove_file(ckpt).unwrap();
}
