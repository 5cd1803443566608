//! Corpus files (`src/data/files.rs`): every format read right, and every
//! malformed line an error that names the file and the line.

use encdec::data::{
    CorpusError, MAX_LINE_BYTES, ReadOptions, TextPair, read_dialogues, read_parallel,
    read_summaries, read_tsv_pairs,
};
use std::path::PathBuf;

/// Writes `bytes` to a file unique to this test and returns its path.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let p = std::env::temp_dir().join(format!("encdec-files-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

const STRICT: ReadOptions = ReadOptions {
    skip_bad_lines: false,
};
const SKIP: ReadOptions = ReadOptions {
    skip_bad_lines: true,
};

fn pair(s: &str, t: &str) -> TextPair {
    TextPair {
        source: s.into(),
        target: t.into(),
    }
}

/// Fails unless `e` names the file, the line and contains `what`.
fn names(e: CorpusError, path: &std::path::Path, line: usize, what: &str) {
    let text = e.to_string();
    assert_eq!(e.line, Some(line), "{text}");
    assert!(
        text.starts_with(&format!("{}:{line}: ", path.display())),
        "{text}"
    );
    assert!(text.contains(what), "expected {what:?} in {text:?}");
}

#[test]
fn anki_tsv_with_bom_crlf_blank_lines_and_attribution_column() {
    let p = file(
        "anki.tsv",
        "\u{feff}Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\r\n\r\nHi.\tSalut !\n  \nI won.\tJ’ai gagné.\tx\ty\n"
            .as_bytes(),
    );
    let f = read_tsv_pairs(&p, STRICT).unwrap();
    let items: Vec<TextPair> = f.items().cloned().collect();
    assert_eq!(
        items,
        [
            pair("Go.", "Va !"),
            pair("Hi.", "Salut !"),
            pair("I won.", "J’ai gagné.")
        ]
    );
    let lines: Vec<usize> = f.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1, 3, 5]);
    assert_eq!((f.lines, f.skipped), (5, 0));
}

#[test]
fn tsv_faults_name_the_file_and_line() {
    let p = file("no-tab.tsv", b"a\tb\nno tab here\n");
    names(read_tsv_pairs(&p, STRICT).unwrap_err(), &p, 2, "no tab");
    let p = file("empty-target.tsv", b"a\tb\nc\t  \n");
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        2,
        "target (column 2) is empty",
    );
    let p = file("empty-source.tsv", b"\tb\n");
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        1,
        "source (column 1) is empty",
    );
    let p = file("latin1.tsv", b"a\tb\nd\xe9j\xe0\tdone\n");
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        2,
        "not valid UTF-8",
    );
    // The error says how to go on.
    let e = read_tsv_pairs(&p, STRICT).unwrap_err().to_string();
    assert!(e.contains("--skip-bad-lines"), "{e}");
}

#[test]
fn skip_bad_lines_counts_what_it_skips() {
    let p = file("mixed.tsv", b"a\tb\nbad\nc\td\n\xff\tx\n");
    let f = read_tsv_pairs(&p, SKIP).unwrap();
    assert_eq!(f.records.len(), 2);
    assert_eq!(f.skipped, 2);
    let summary = f.skipped_summary().unwrap();
    assert!(
        summary.starts_with("skipped 2 malformed lines"),
        "{summary}"
    );
    assert!(summary.contains(":2: no tab"), "{summary}");
}

#[test]
fn an_empty_or_all_blank_file_is_an_error() {
    for (name, bytes) in [("empty.tsv", &b""[..]), ("blank.tsv", b"\n \r\n\n")] {
        let p = file(name, bytes);
        let e = read_tsv_pairs(&p, STRICT).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.to_string().contains("no usable line"), "{e}");
    }
    let missing = PathBuf::from("/nonexistent/encdec/pairs.tsv");
    let e = read_tsv_pairs(&missing, STRICT).unwrap_err().to_string();
    assert!(
        e.starts_with("/nonexistent/encdec/pairs.tsv: cannot read"),
        "{e}"
    );
}

#[test]
fn an_overlong_line_is_an_error_not_an_allocation() {
    let mut bytes = b"a\tb\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
    bytes.extend(b"\tlong\nc\td\n");
    let p = file("long.tsv", &bytes);
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        2,
        "longer than",
    );
    // Skipped, the line after it still reads as line 3.
    let f = read_tsv_pairs(&p, SKIP).unwrap();
    assert_eq!(f.records.last().unwrap().line, 3);
    assert_eq!(f.records.last().unwrap().item, pair("c", "d"));
}

#[test]
fn line_aligned_files_pair_line_by_line() {
    let s = file("src.txt", b"Hello.\r\n\nBye.\n");
    let t = file("tgt.txt", b"Bonjour.\r\n\nAu revoir.\n");
    let f = read_parallel(&s, &t, STRICT).unwrap();
    let items: Vec<TextPair> = f.items().cloned().collect();
    assert_eq!(
        items,
        [pair("Hello.", "Bonjour."), pair("Bye.", "Au revoir.")]
    );
    assert_eq!(f.records[1].line, 3);
    // Different line counts: the target file is named, with both counts.
    let short = file("tgt-short.txt", b"Bonjour.\n");
    let e = read_parallel(&s, &short, STRICT).unwrap_err().to_string();
    assert!(
        e.contains("tgt-short.txt") && e.contains("has 1 lines") && e.contains("has 3"),
        "{e}"
    );
    // Blank on one side only: that side's file and line.
    let gap = file("tgt-gap.txt", b"Bonjour.\n\n\n");
    names(
        read_parallel(&s, &gap, STRICT).unwrap_err(),
        &gap,
        3,
        "target line is empty",
    );
}

#[test]
fn summaries_jsonl() {
    let p = file(
        "sum.jsonl",
        "{\"document\": \"The mayor opened a bridge.\", \"summary\": \"bridge opened\", \"id\": 7}\n"
            .as_bytes(),
    );
    let f = read_summaries(&p, STRICT).unwrap();
    assert_eq!(
        f.records[0].item,
        pair("The mayor opened a bridge.", "bridge opened")
    );
    let cases: [(&str, &str); 5] = [
        ("{\"document\": \"x\"", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ("{\"document\": \"x\"}", "no \"summary\" field"),
        (
            "{\"document\": 3, \"summary\": \"y\"}",
            "\"document\" must be a string",
        ),
        (
            "{\"document\": \"x\", \"summary\": \" \"}",
            "\"summary\" is empty",
        ),
    ];
    for (i, (line, what)) in cases.iter().enumerate() {
        let p = file(
            &format!("bad-sum-{i}.jsonl"),
            format!("{{\"document\": \"a\", \"summary\": \"b\"}}\n{line}\n").as_bytes(),
        );
        names(read_summaries(&p, STRICT).unwrap_err(), &p, 2, what);
    }
}

#[test]
fn dialogues_jsonl() {
    let p = file(
        "chat.jsonl",
        b"{\"turns\": [\"hi\", \"hello\", \"bye\", \"ciao\"]}\n",
    );
    let f = read_dialogues(&p, STRICT).unwrap();
    assert_eq!(f.records[0].item, ["hi", "hello", "bye", "ciao"]);
    let cases: [(&str, &str); 4] = [
        ("{\"turns\": [\"only one\"]}", "at least two turns"),
        ("{\"turns\": [\"a\", 5]}", "turn 2 is not a string"),
        ("{\"turns\": \"a | b\"}", "must be a list"),
        ("{\"turn\": [\"a\", \"b\"]}", "no \"turns\" field"),
    ];
    for (i, (line, what)) in cases.iter().enumerate() {
        let p = file(
            &format!("bad-chat-{i}.jsonl"),
            format!("\n{line}\n").as_bytes(),
        );
        names(read_dialogues(&p, STRICT).unwrap_err(), &p, 2, what);
    }
}
