//! `encdec train --watch "SENTENCE"`: the sentence decoded every
//! `--watch-every` batches, each decoding's explorer data in
//! `<out>.watch.json`; a sentence the model cannot read refused before
//! training starts.

use crate::cli_support::{encdec, fails_with, small_training, temp};
use serde_json::Value;

fn ok(o: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The number after `before` in `text`.
fn number_after(text: &str, before: &str) -> usize {
    let start = text
        .find(before)
        .unwrap_or_else(|| panic!("{before:?} in {text}"))
        + before.len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// The JSON an explorer page embeds for its script.
fn page_data(page: &str) -> Value {
    let open = r#"<script type="application/json" id="encdec-data">"#;
    let start = page.find(open).expect("the page has its data") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

const SENTENCE: &str = "the dog sees the cat";

#[test]
fn watch_records_every_nth_batch_and_the_saved_model_explores_the_same() {
    let out = temp("watch.ckpt");
    let o = out.to_str().unwrap();
    let run = |out: &str| {
        let base = [
            "train",
            "--model",
            "attention",
            "--epochs",
            "2",
            "--pairs",
            "200",
        ];
        let mut args = base.to_vec();
        args.extend(["--threads", "1", "--out"]);
        args.push(out);
        args.iter().map(|a| a.to_string()).collect::<Vec<String>>()
    };
    let mut args = run(o);
    args.extend(["--watch", SENTENCE, "--watch-every", "3"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let printed = ok(&encdec(&args));
    let watch_path = format!("{o}.watch.json");
    let watch: Value =
        serde_json::from_str(&std::fs::read_to_string(&watch_path).unwrap()).unwrap();
    assert_eq!(watch["sentence"], SENTENCE);
    assert_eq!(watch["every"], 3);
    // Batches of 32: a snapshot after every third batch of the run and
    // after each epoch's last batch.
    let per_epoch = number_after(&printed, "corpus: ").div_ceil(32);
    let expected = (1..=2 * per_epoch)
        .filter(|b| b % 3 == 0 || b % per_epoch == 0)
        .count();
    let snapshots = watch["snapshots"].as_array().unwrap();
    assert_eq!(snapshots.len(), expected, "{printed}");
    let last = &snapshots[expected - 1];
    assert_eq!(
        (last["epoch"].as_u64(), last["batch"].as_u64()),
        (Some(2), Some(per_epoch as u64))
    );
    assert!(
        snapshots
            .iter()
            .all(|s| s["loss"].as_f64().is_some_and(f64::is_finite))
    );
    // The snapshot at the end of the saved epoch is what `explore` shows of the checkpoint.
    let saved = number_after(&printed, "(epoch ");
    let at_save = snapshots
        .iter()
        .rfind(|s| s["epoch"].as_u64() == Some(saved as u64))
        .unwrap();
    let page = temp("watch.html");
    ok(&encdec(&[
        "explore",
        "--checkpoint",
        o,
        SENTENCE,
        "--out",
        page.to_str().unwrap(),
    ]));
    let explored = page_data(&std::fs::read_to_string(&page).unwrap());
    assert_eq!(at_save["data"], explored);
    let json = temp("watch-heatmap.json");
    ok(&encdec(&[
        "heatmap",
        "--checkpoint",
        o,
        SENTENCE,
        "--out",
        json.to_str().unwrap(),
    ]));
    let heatmap: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(at_save["data"]["output"], heatmap["output"]);
    assert_eq!(at_save["data"]["source"], heatmap["source_tokens"]);
    // Watching changes no weight: the same run without --watch saves the same bytes.
    let plain = temp("watch-plain.ckpt");
    let unwatched = run(plain.to_str().unwrap());
    ok(&encdec(
        &unwatched.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&plain).unwrap());
    for f in [out, page, json, plain, watch_path.into()] {
        std::fs::remove_file(f).unwrap();
    }
}

#[test]
fn a_watch_sentence_the_model_cannot_read_is_refused_before_training() {
    let out = temp("watch-refused.ckpt");
    let o = out.to_str().unwrap();
    for (sentence, message) in [
        ("", "--watch: the sentence is empty"),
        ("  \t ", "--watch: the sentence is empty"),
        (
            "zzzq qqqz",
            "--watch: none of the words of \"zzzq qqqz\" is in the source vocabulary",
        ),
    ] {
        let o = encdec(&small_training(o, &["--watch", sentence]));
        fails_with(&o, message);
        assert!(!String::from_utf8_lossy(&o.stdout).contains("epoch 1/1"));
    }
    assert!(!out.exists());
    let o = encdec(&[
        "train", "--model", "lstm", "--pairs", "200", "--watch", SENTENCE,
    ]);
    fails_with(
        &o,
        "--watch writes <out>.watch.json next to the checkpoint: give --out",
    );
    let o = encdec(&small_training(
        out.to_str().unwrap(),
        &["--watch", SENTENCE, "--watch-every", "0"],
    ));
    fails_with(&o, "--watch-every must be at least 1");
}
