//! Corpus files (`src/data/files.rs`): every format read right, and every
//! malformed line an error that names the file and the line.

use encdec::text::corpus_files::{
    MAX_LINE_BYTES, read_dialogues, read_parallel, read_summaries, read_tsv_pairs,
};
use encdec::text::{CorpusError, ReadOptions, TextPair};
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

// Faults from a hostile review: each test below failed before its fix
// (except where it says the behaviour was already right).

/// A side of only invisible characters tokenizes to nothing: it is an
/// empty side, reported as one; a line of only such characters is blank.
#[test]
fn a_side_of_only_invisible_characters_is_empty() {
    let zw = "\u{200B}\u{FEFF}\u{200D}\u{A0}\u{202F}\u{2060}";
    let p = file("invisible-src.tsv", format!("a\tb\n{zw}\tx\n").as_bytes());
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        2,
        "source (column 1) is empty",
    );
    let p = file(
        "invisible-tgt.tsv",
        "a\tb\nx\t\u{200B} \u{FEFF}\n".as_bytes(),
    );
    let e = read_tsv_pairs(&p, STRICT).unwrap_err();
    assert!(
        e.to_string().contains("U+200B"),
        "names the characters: {e}"
    );
    names(e, &p, 2, "target (column 2) is empty");
    // A whole line of them is blank, like a line of spaces, and skipped.
    let p = file(
        "invisible-line.tsv",
        "a\tb\n\u{200B}\u{A0}\nc\td\n".as_bytes(),
    );
    let f = read_tsv_pairs(&p, STRICT).unwrap();
    assert_eq!(f.records.len(), 2);
    // Line-aligned files.
    let s = file("invisible-src.txt", b"Hello.\nBye.\n");
    let t = file("invisible-tgt.txt", "Bonjour.\n\u{200B}\n".as_bytes());
    names(
        read_parallel(&s, &t, STRICT).unwrap_err(),
        &t,
        2,
        "target line is empty",
    );
    // JSON strings, escaped or not.
    for (i, line) in [
        "{\"document\": \"\\u200b\\u00a0\", \"summary\": \"y\"}".to_string(),
        format!("{{\"document\": \"x\", \"summary\": \"{zw}\"}}"),
    ]
    .iter()
    .enumerate()
    {
        let p = file(
            &format!("invisible-{i}.jsonl"),
            format!("{{\"document\": \"a\", \"summary\": \"b\"}}\n{line}\n").as_bytes(),
        );
        names(read_summaries(&p, STRICT).unwrap_err(), &p, 2, "is empty");
    }
    let p = file(
        "invisible-turn.jsonl",
        b"{\"turns\": [\"hi\", \"\\ufeff\\u200b\"]}\n",
    );
    names(
        read_dialogues(&p, STRICT).unwrap_err(),
        &p,
        1,
        "turn 2 is empty",
    );
}

/// Lines ended by a carriage return alone (old Mac) are named as such,
/// even with `skip_bad_lines` (the line numbering itself is wrong) and
/// even when the file is longer than one line may be.
#[test]
fn old_mac_line_endings_are_named() {
    let what = "carriage return";
    let p = file("mac.tsv", b"a\tb\rc\td\r");
    let e = read_tsv_pairs(&p, STRICT).unwrap_err();
    assert!(e.to_string().contains("tr '\\r' '\\n'"), "{e}");
    names(e, &p, 1, what);
    names(read_tsv_pairs(&p, SKIP).unwrap_err(), &p, 1, what);
    // After good lines, in a file mixing line ends.
    let p = file("mixed-ends.tsv", b"a\tb\r\nc\td\re\tf\n");
    names(read_tsv_pairs(&p, STRICT).unwrap_err(), &p, 2, what);
    // Longer than MAX_LINE_BYTES as one line.
    let big = "x\ty\r".repeat(MAX_LINE_BYTES / 4 + 10);
    let p = file("mac-big.tsv", big.as_bytes());
    names(read_tsv_pairs(&p, STRICT).unwrap_err(), &p, 1, what);
    // Line-aligned: named before the line counts are compared.
    let s = file("mac-src.txt", b"Hello.\rBye.\r");
    let t = file("mac-tgt.txt", b"Bonjour.\nAu revoir.\n");
    names(read_parallel(&s, &t, STRICT).unwrap_err(), &s, 1, what);
    let p = file(
        "mac.jsonl",
        b"{\"turns\": [\"a\", \"b\"]}\r{\"turns\": [\"c\", \"d\"]}\r",
    );
    names(read_dialogues(&p, STRICT).unwrap_err(), &p, 1, what);
    // CRLF is still fine.
    let p = file("crlf.tsv", b"a\tb\r\nc\td\r\n");
    assert_eq!(read_tsv_pairs(&p, STRICT).unwrap().records.len(), 2);
}

/// A key given twice in a JSON record is an error naming the key (serde
/// would keep the last one silently), escaped spellings included.
#[test]
fn duplicate_json_keys_are_rejected() {
    let cases: [(&str, &str); 4] = [
        (
            "{\"document\": \"a\", \"document\": \"b\", \"summary\": \"c\"}",
            "\"document\" appears twice",
        ),
        (
            "{\"document\": \"a\", \"summary\": \"c\", \"summ\\u0061ry\": \"d\"}",
            "\"summary\" appears twice",
        ),
        (
            "{\"document\": \"a\", \"summary\": \"c\", \"id\": 1, \"id\": 2}",
            "\"id\" appears twice",
        ),
        (
            "{\"document\": \"a\", \"summary\": \"c\", \"summary\": \"c\"}",
            "\"summary\" appears twice",
        ),
    ];
    for (i, (line, what)) in cases.iter().enumerate() {
        let p = file(
            &format!("dup-{i}.jsonl"),
            format!("{{\"document\": \"a\", \"summary\": \"b\"}}\n{line}\n").as_bytes(),
        );
        names(read_summaries(&p, STRICT).unwrap_err(), &p, 2, what);
    }
    let p = file(
        "dup-turns.jsonl",
        b"{\"turns\": [\"a\", \"b\"], \"turns\": [\"c\", \"d\"]}\n",
    );
    names(
        read_dialogues(&p, STRICT).unwrap_err(),
        &p,
        1,
        "\"turns\" appears twice",
    );
    // The same key in nested objects, or as a string value, is no duplicate.
    let p = file(
        "dup-nested.jsonl",
        b"{\"document\": \"summary\", \"summary\": \"b\", \"meta\": {\"summary\": 1, \"x\": [{\"summary\": 2}]}}\n",
    );
    assert_eq!(
        read_summaries(&p, STRICT).unwrap().records[0].item,
        pair("summary", "b")
    );
}

/// Unknown fields holding valid JSON are ignored; a line that is not JSON
/// as a whole is rejected. (Already right; kept by this test.)
#[test]
fn extra_json_fields_are_ignored_but_the_line_must_be_json() {
    let p = file(
        "extra.jsonl",
        b"{\"id\": 7, \"document\": \"d\", \"meta\": {\"a\": [1, null, true]}, \"summary\": \"s\"}\n",
    );
    assert_eq!(
        read_summaries(&p, STRICT).unwrap().records[0].item,
        pair("d", "s")
    );
    let p = file(
        "extra-chat.jsonl",
        b"{\"turns\": [\"a\", \"b\"], \"speakers\": [\"u\", \"b\"]}\n",
    );
    assert_eq!(
        read_dialogues(&p, STRICT).unwrap().records[0].item,
        ["a", "b"]
    );
    for (i, line) in [
        "{\"document\": \"d\", \"summary\": \"s\", \"meta\": nope}",
        "{\"document\": \"d\", \"summary\": \"s\"} trailing",
        "{\"document\": \"d\", \"summary\": \"s\",}",
    ]
    .iter()
    .enumerate()
    {
        let p = file(
            &format!("extra-bad-{i}.jsonl"),
            format!("{line}\n").as_bytes(),
        );
        names(
            read_summaries(&p, STRICT).unwrap_err(),
            &p,
            1,
            "not valid JSON",
        );
    }
}

/// A NUL character is no word: raw (as in a UTF-16 file read as UTF-8) or
/// escaped in JSON, it is reported.
#[test]
fn a_nul_character_is_an_error() {
    let p = file("nul.tsv", b"a\tb\nc\0d\te\n");
    names(
        read_tsv_pairs(&p, STRICT).unwrap_err(),
        &p,
        2,
        "NUL character",
    );
    // UTF-16LE without a byte-order mark: ASCII with a NUL after each byte.
    let utf16: Vec<u8> = "a\tb\n".bytes().flat_map(|b| [b, 0]).collect();
    let p = file("utf16.tsv", &utf16);
    let e = read_tsv_pairs(&p, STRICT).unwrap_err();
    assert!(e.to_string().contains("UTF-16"), "{e}");
    names(e, &p, 1, "NUL character");
    let p = file(
        "nul.jsonl",
        b"{\"document\": \"a\\u0000b\", \"summary\": \"s\"}\n",
    );
    names(
        read_summaries(&p, STRICT).unwrap_err(),
        &p,
        1,
        "NUL character",
    );
    let s = file("nul-src.txt", b"Hello.\n");
    let t = file("nul-tgt.txt", b"Bon\0jour.\n");
    names(
        read_parallel(&s, &t, STRICT).unwrap_err(),
        &t,
        1,
        "NUL character",
    );
}

/// A byte-order mark starting a later line (files joined with `cat`) is
/// dropped like the one on line 1; a line of only a BOM is blank.
#[test]
fn a_byte_order_mark_on_a_later_line_is_dropped() {
    let p = file(
        "bom-mid.tsv",
        "\u{feff}a\tb\n\u{feff}\n\u{feff}c\td\n".as_bytes(),
    );
    let f = read_tsv_pairs(&p, STRICT).unwrap();
    let items: Vec<TextPair> = f.items().cloned().collect();
    assert_eq!(items, [pair("a", "b"), pair("c", "d")]);
    let lines: Vec<usize> = f.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1, 3]);
    let p = file(
        "bom-mid.jsonl",
        "{\"turns\": [\"a\", \"b\"]}\n\u{feff}{\"turns\": [\"c\", \"d\"]}\n".as_bytes(),
    );
    assert_eq!(read_dialogues(&p, STRICT).unwrap().records.len(), 2);
}

/// A tab with nothing (or only spaces) before it: the source is empty.
/// (Already right; kept by this test.) A line of only tabs is blank.
#[test]
fn a_tab_with_an_empty_first_column_is_an_empty_source() {
    for (i, line) in ["\tb", "  \tb", "\t\tx", "\tb\tattribution"]
        .iter()
        .enumerate()
    {
        let p = file(
            &format!("empty-col1-{i}.tsv"),
            format!("a\tb\n{line}\n").as_bytes(),
        );
        names(
            read_tsv_pairs(&p, STRICT).unwrap_err(),
            &p,
            2,
            "source (column 1) is empty",
        );
    }
    let p = file("tabs-only.tsv", b"a\tb\n\t\t\n");
    assert_eq!(read_tsv_pairs(&p, STRICT).unwrap().records.len(), 1);
}

/// With `skip_bad_lines`, a file whose every line is bad says where the
/// first bad line is and what is wrong with it.
#[test]
fn no_usable_line_names_the_first_bad_one() {
    let p = file("all-bad.tsv", b"no tab\n\nnone here\n");
    let e = read_tsv_pairs(&p, SKIP).unwrap_err();
    assert_eq!(e.line, None);
    let text = e.to_string();
    assert!(text.contains("no usable line"), "{text}");
    assert!(
        text.contains(&format!("{}:1: no tab", p.display())),
        "{text}"
    );
    let s = file("all-bad-src.txt", b"Hello.\n");
    let t = file("all-bad-tgt.txt", b"\xff\n");
    let text = read_parallel(&s, &t, SKIP).unwrap_err().to_string();
    assert!(
        text.contains("no usable line") && text.contains("all-bad-tgt.txt:1: not valid UTF-8"),
        "{text}"
    );
}

/// A reader of the bytes `unit` repeated forever, counting what was taken.
struct Endless {
    unit: &'static [u8],
    at: usize,
    taken: std::rc::Rc<std::cell::Cell<usize>>,
}

impl std::io::Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        for b in buf.iter_mut() {
            *b = self.unit[self.at % self.unit.len()];
            self.at += 1;
        }
        self.taken.set(self.taken.get() + buf.len());
        Ok(buf.len())
    }
}

fn endless(unit: &'static [u8]) -> (Endless, std::rc::Rc<std::cell::Cell<usize>>) {
    let taken = std::rc::Rc::new(std::cell::Cell::new(0));
    let r = Endless {
        unit,
        at: 0,
        taken: taken.clone(),
    };
    (r, taken)
}

const CAP: encdec::files::ReadCap = encdec::files::ReadCap {
    bytes: 8 << 20,
    what: "a test corpus",
    remedy: "cut it",
};

/// Zeros forever, as `/dev/zero`: line 1 is reported after about a line's
/// bytes, not after the input's end (which never comes).
#[test]
fn the_line_reader_reports_the_first_line_at_once() {
    use encdec::text::corpus_files::Lines;
    let (zeros, taken) = endless(b"\0");
    let mut lines = Lines::new(zeros, std::path::Path::new("zeros"), CAP);
    let (n, first) = lines.next().unwrap().unwrap();
    assert_eq!(n, 1);
    assert!(first.unwrap_err().contains("longer than"));
    assert!(
        taken.get() <= MAX_LINE_BYTES + (128 << 10),
        "read {} bytes for one line",
        taken.get()
    );
}

/// Good lines forever (as `yes`), and zeros forever read with every bad
/// line skipped: both stop at the cap, one byte past it at most.
#[test]
fn the_line_reader_stops_at_the_cap() {
    use encdec::text::corpus_files::Lines;
    for unit in [&b"a\tb\n"[..], b"\0"] {
        let (r, taken) = endless(unit);
        let e = Lines::new(r, std::path::Path::new("endless"), CAP)
            .find_map(Result::err)
            .unwrap();
        assert_eq!(e.line, None);
        assert!(
            e.to_string().starts_with("endless: larger than 8 MiB (8388608 bytes), the most encdec reads of a test corpus; cut it"),
            "{e}"
        );
        assert!(
            taken.get() as u64 <= CAP.bytes + 1 + (64 << 10),
            "{}",
            taken.get()
        );
    }
}
