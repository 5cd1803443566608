//! What the model writes, as every command prints or saves it (issue 23,
//! faults 3, 4, 5, 6, 9). A checkpoint whose vocabulary holds a word the
//! tokenizer cannot make — a terminal escape, a bidi override, a line end —
//! is refused by every command (fault 6); the words a vocabulary can hold
//! that are still hostile — U+FFFE, which XML forbids, and `=`, which starts
//! a spreadsheet formula — are written by a model built here to write one of
//! them at every step, or to end its output at once, and each command is
//! driven with it. (Before fault 6 was closed, these tests drove every
//! command with the unreadable words too; the library's own property tests
//! in `tests/viz/hostile_labels.rs` still do.)

use crate::cli_support;
use crate::model_support::{fox_vocabs, raise_output_bias, tiny_config};

use cli_support::{encdec, encdec_with_input, fails_with, temp};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::Translator;
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::text::{EOS_ID, SPECIALS, Vocab};
use std::process::Output;

/// Retitles a terminal (OSC 0 … BEL).
const RETITLE: &str = "\u{1b}]0;owned\u{7}";
/// Reverses the rest of the line.
const REVERSE: &str = "\u{202e}lave";
/// The C1 control sequence introducer, then a colour.
const C1: &str = "\u{9b}31m";
/// A line end inside a token: one output would take two lines.
const LINE_END: &str = "a\nb";
/// A spreadsheet formula.
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"x\")";
/// Words no text tokenizes to: a vocabulary holding one is refused.
const UNREADABLE: [&str; 6] = [RETITLE, REVERSE, C1, LINE_END, FORMULA, "\u{1}\u{c}"];
/// A noncharacter XML 1.0 does not allow, which the tokenizer makes a token.
const NOT_XML: &str = "\u{fffe}";
/// A token that starts a spreadsheet formula.
const FORMULA_START: &str = "=";
const WORDS: [&str; 2] = [NOT_XML, FORMULA_START];

/// The input: source words the fox vocabulary knows.
const INPUT: &str = "the quick brown fox";

/// An untrained attention model for `task` on the fox sentence's source
/// words, whose target vocabulary is the specials and [`WORDS`], made to
/// write target token `favoured` at every step; saved, returns its path.
fn model_writing(favoured: &str, task: Task) -> String {
    model_of(&WORDS, favoured, task)
}

/// The same with the target vocabulary the specials and `words`.
fn model_of(words: &[&str], favoured: &str, task: Task) -> String {
    let t = translator_of(words, favoured, task);
    let id = t.tgt_vocab.get(favoured).unwrap();
    let path = temp(&format!("writes-{}-{id}-{task}.ckpt", words.len()));
    Checkpoint::new(t).save(&path).unwrap();
    path.display().to_string()
}

/// The model [`model_of`] saves.
fn translator_of(words: &[&str], favoured: &str, task: Task) -> Translator {
    let (src, _) = fox_vocabs();
    let tokens: Vec<String> = SPECIALS
        .iter()
        .chain(words)
        .map(|s| s.to_string())
        .collect();
    let tgt = Vocab::from_tokens(tokens).unwrap();
    let id = tgt.get(favoured).unwrap();
    let config = tiny_config(ModelKind::Attention, src.len(), tgt.len(), 1);
    let mut model = build(&config, &mut encdec::tensor::rng(0)).unwrap();
    raise_output_bias(model.as_mut(), id, 1e3);
    Translator::new(model, src, tgt, task)
}

/// A bidirectional control: a character that reorders what follows it.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Panics unless the command succeeded and printed no control or bidi
/// character but line ends and `tabs` tabs a line (the n-best separator).
fn assert_printed_safely(o: &Output, tabs: usize, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{what}: {err}");
    for (name, text) in [
        ("stdout", String::from_utf8_lossy(&o.stdout)),
        ("stderr", err),
    ] {
        let bad: Vec<char> = (text.chars())
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t') || is_bidi(c) || c == '\u{fffe}'
            })
            .collect();
        assert!(bad.is_empty(), "{what}: {name} holds {bad:?}: {text:?}");
        for line in text.lines().filter(|_| name == "stdout") {
            assert_eq!(line.matches('\t').count(), tabs, "{what}: {line:?}");
        }
    }
}

#[test]
fn a_vocabulary_word_no_text_gives_is_refused_by_every_command() {
    for word in UNREADABLE {
        let t = model_of(&[word], word, Task::Translation);
        let out = temp("refused.json").display().to_string();
        let page = temp("refused.html").display().to_string();
        let weights = temp("refused.safetensors").display().to_string();
        for args in [
            vec!["translate", "--checkpoint", &t, INPUT],
            vec!["heatmap", "--checkpoint", &t, INPUT, "--out", &out],
            vec!["explore", "--checkpoint", &t, INPUT, "--out", &page],
            vec!["export", "--checkpoint", &t, "--out", &weights],
        ] {
            let o = encdec(&args);
            fails_with(&o, "tgt_vocab: token 4");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("is not a word the tokenizer makes"), "{err}");
            let bad: Vec<char> = err
                .chars()
                .filter(|&c| (c.is_control() && c != '\n') || is_bidi(c))
                .collect();
            assert!(bad.is_empty(), "{word:?}: {args:?}: {bad:?}");
        }
    }
}

#[test]
fn model_text_is_printed_escaped_by_every_command() {
    for word in [NOT_XML] {
        let t = model_writing(word, Task::Translation);
        let run = |args: &[&str], tabs: usize, what: &str| {
            let mut all = vec!["translate", "--checkpoint", &t];
            all.extend(args);
            assert_printed_safely(&encdec(&all), tabs, &format!("{word:?}: {what}"));
        };
        run(&[INPUT], 0, "greedy");
        run(&[INPUT, "--beam", "3"], 0, "beam");
        run(&[INPUT, "--beam", "3", "--n-best", "2"], 1, "n-best");
        run(&[INPUT, "--sample", "--seed", "1"], 0, "sampling");
        let o = encdec_with_input(&["translate", "--checkpoint", &t], &format!("{INPUT}\n"));
        assert_printed_safely(&o, 0, &format!("{word:?}: standard input"));
        assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
        let escaped = encdec::text::printable(word);
        assert!(String::from_utf8_lossy(&o.stdout).contains(&escaped));
        // Whatever inspects the model prints its output too.
        for (command, out) in [("heatmap", "h.json"), ("explore", "e.html")] {
            let out = temp(out).display().to_string();
            let o = encdec(&[command, "--checkpoint", &t, INPUT, "--out", &out]);
            assert_printed_safely(&o, 0, &format!("{word:?}: {command}"));
        }
    }
    let s = model_writing(NOT_XML, Task::Summarization);
    let o = encdec(&["summarize", "--checkpoint", &s, INPUT]);
    assert_printed_safely(&o, 0, "summarize");
    let d = model_writing(NOT_XML, Task::Dialogue);
    let o = encdec_with_input(&["chat", "--checkpoint", &d], "the quick\n/quit\n");
    assert_printed_safely(&o, 0, "chat");
    assert!(String::from_utf8_lossy(&o.stdout).contains("bot: \\u{fffe}"));
}

#[test]
fn the_hypotheses_file_of_evaluate_is_escaped_and_keeps_its_lines() {
    let t = model_writing(NOT_XML, Task::Translation);
    let corpus = temp("hostile-corpus.tsv");
    std::fs::write(&corpus, format!("{INPUT}\tle renard\nthe dog\tle chien\n")).unwrap();
    let h = temp("hostile-hypotheses.txt");
    let (c, h) = (corpus.display().to_string(), h.display().to_string());
    let o = encdec(&[
        "evaluate",
        "--checkpoint",
        &t,
        "--corpus",
        &c,
        "--hypotheses",
        &h,
    ]);
    assert_printed_safely(&o, 0, "evaluate");
    let written = std::fs::read_to_string(&h).unwrap();
    assert_eq!(written.lines().count(), 2, "{written:?}");
    assert!(
        !written
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{fffe}'),
        "{written:?}"
    );
    assert!(written.contains("\\u{fffe}"), "{written:?}");
}

#[test]
fn heatmap_csv_holds_no_cell_a_spreadsheet_would_evaluate() {
    let t = model_writing(FORMULA_START, Task::Translation);
    let out = temp("formula.csv").display().to_string();
    // Typed source words that start formulas too (read as <unk> by the model, kept as labels).
    let input = "the fox -2+3 @sum =cmd";
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        &t,
        input,
        "--out",
        &out,
        "--allow-unknown",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(&out).unwrap();
    // Text cells are quoted and numbers are not, so a text cell starting
    // with c shows as `,"c` (a quote inside a cell is doubled).
    for c in ['=', '+', '-', '@', '\t', '\r'] {
        assert!(
            !csv.contains(&format!(",\"{c}")),
            "{c:?} starts a cell: {csv}"
        );
    }
    assert!(csv.contains(",\"'=\""), "{csv}");
}

#[test]
fn heatmap_svg_of_a_token_xml_forbids_is_well_formed() {
    let t = model_writing(NOT_XML, Task::Translation);
    let out = temp("not-xml.svg").display().to_string();
    let o = encdec(&["heatmap", "--checkpoint", &t, INPUT, "--out", &out]);
    assert_printed_safely(&o, 0, "heatmap svg");
    let svg = std::fs::read_to_string(&out).unwrap();
    if let Err(e) = roxmltree::Document::parse(&svg) {
        panic!("not well-formed XML: {e}");
    }
}

#[test]
fn an_empty_output_is_never_printed_or_drawn_as_one() {
    let t = model_writing(SPECIALS[EOS_ID], Task::Translation);
    // n-best: the empty hypothesis is marked, and never shown as the best.
    let o = encdec(&[
        "translate",
        "--checkpoint",
        &t,
        INPUT,
        "--beam",
        "4",
        "--n-best",
        "3",
    ]);
    assert_printed_safely(&o, 1, "n-best");
    let out = String::from_utf8_lossy(&o.stdout);
    let texts: Vec<&str> = out.lines().map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(texts.len(), 3, "{out}");
    assert!(texts.iter().all(|t| !t.trim().is_empty()), "{out:?}");
    assert!(!texts[0].starts_with("(no output"), "{out}");
    assert!(texts[2].starts_with("(no output: "), "{out}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("has no words"), "{err}");
    // Greedy, beam and sampling refuse a single input's empty output.
    for extra in [&[][..], &["--beam", "4"], &["--sample"]] {
        let mut args = vec!["translate", "--checkpoint", &t, INPUT];
        args.extend(extra);
        fails_with(&encdec(&args), "the model wrote nothing");
    }
    // Pictures and data of its attention refuse it, and write nothing.
    for name in ["empty.png", "empty.svg", "empty.json", "empty.csv"] {
        let out = temp(name);
        let o = encdec(&[
            "heatmap",
            "--checkpoint",
            &t,
            INPUT,
            "--out",
            out.to_str().unwrap(),
        ]);
        fails_with(&o, "the model wrote nothing");
        assert!(!out.exists(), "heatmap wrote {name}");
    }
    // The explorer shows the step that wrote </s>, and says there is no output.
    let out = temp("empty.html");
    let o = encdec(&[
        "explore",
        "--checkpoint",
        &t,
        INPUT,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_printed_safely(&o, 0, "explore");
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(
        printed.starts_with("(no output: the model wrote </s> first"),
        "{printed}"
    );
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(
        page.contains(r#""chosen":"\u003c/s>""#),
        "the page shows no </s> step"
    );
}

#[test]
fn heatmap_json_keeps_tokens_exact_and_is_safe_to_print() {
    for word in [NOT_XML, FORMULA_START] {
        let t = model_writing(word, Task::Translation);
        let out = temp("exact.json").display().to_string();
        let o = encdec(&["heatmap", "--checkpoint", &t, INPUT, "--out", &out]);
        assert_printed_safely(&o, 0, "heatmap json");
        let text = std::fs::read_to_string(&out).unwrap();
        let bad: Vec<char> = (text.chars())
            .filter(|&c| (c.is_control() && c != '\n') || is_bidi(c) || c == '\u{fffe}')
            .collect();
        assert!(bad.is_empty(), "{word:?}: the JSON holds {bad:?}");
        // JSON's own \u escapes: a reader gets the token back exactly.
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["outputs"][0], word);
    }
}

/// The characters no output may hold raw: C0 and C1 controls but the line
/// end, bidirectional controls, and the two noncharacters XML forbids.
fn hostile(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi(c) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The JSON a page embeds for its script, read as the browser's
/// `JSON.parse` reads it.
fn page_data(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/json" id="encdec-data">"#;
    let start = page.find(open).expect("the page has its data") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn explore_page_holds_no_raw_control_or_bidi_character_and_keeps_tokens_exact() {
    // Hostile typed words (read as <unk> by the model, kept as labels) and a
    // model that writes U+FFFE at every step.
    let t = model_writing(NOT_XML, Task::Translation);
    let input = "the \u{1b}]0;pwned\u{7} cat \u{202e}evil\u{202c} \u{9b}31m \u{61c}x \u{ffff}";
    let out = temp("hostile-page.html");
    let o = encdec(&[
        "explore",
        "--allow-unknown",
        "--checkpoint",
        &t,
        input,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_printed_safely(&o, 0, "explore");
    let page = std::fs::read_to_string(&out).unwrap();
    let bad: Vec<char> = page.chars().filter(|&c| hostile(c)).collect();
    assert!(bad.is_empty(), "the page holds {bad:?}");
    // The title shows the input as a terminal shows it.
    let title = format!(
        "<title>encdec explorer: {}</title>",
        encdec::text::printable(input)
    );
    assert!(page.contains(&title), "{title:?} is not in the page");
    // JSON's \u escapes: the script gets every token back exactly.
    let v = page_data(&page);
    assert_eq!(v["input"], input);
    assert_eq!(v["outputs"][0], NOT_XML);
    let source: Vec<String> = serde_json::from_value(v["source"].clone()).unwrap();
    // (The tokenizer drops controls and bidi overrides; U+061C and U+FFFF it keeps.)
    assert!(source.contains(&"\u{61c}".to_string()), "{source:?}");
    assert!(source.contains(&"\u{ffff}".to_string()), "{source:?}");
}

#[test]
fn heatmap_png_of_a_long_output_is_refused_before_it_is_drawn() {
    // A model that never writes </s>, allowed 5000 words: 5000 rows of cells.
    let mut t = translator_of(&WORDS, FORMULA_START, Task::Translation);
    t.text.max_len = 5000;
    let path = temp("long-output.ckpt");
    Checkpoint::new(t).save(&path).unwrap();
    let out = temp("long-output.png");
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        path.to_str().unwrap(),
        INPUT,
        "--out",
        out.to_str().unwrap(),
    ]);
    fails_with(&o, "megapixel");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(".svg"), "{err}");
    assert!(!out.exists());
}
