//! Hostile input: the faults found when encdec was driven with bad flags,
//! odd text, damaged files and failing outputs. Each test reproduces one
//! fault (it failed before the fix); the properties feed arbitrary bytes
//! where a user's input goes.

use crate::cli_support;

use cli_support::{encdec, fails_with, rewrite_header, small_training, temp};
use encdec::autograd::Tape;
use encdec::seq2seq::decode::Translator;
use encdec::seq2seq::decode::UnknownWords;
use encdec::seq2seq::io::Checkpoint;
use encdec::tensor::Tensor;
use encdec::wordvec::WordVectors;
use proptest::prelude::*;
use std::process::{Command, Stdio};

/// A small trained translation checkpoint, made once per test binary.
fn checkpoint() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let p = temp("hostile.ckpt");
        let o = encdec(&small_training(p.to_str().unwrap(), &[]));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        p.to_str().unwrap().to_string()
    })
}

#[test]
fn a_closed_standard_output_neither_panics_nor_loses_the_model() {
    // As `encdec train ... | head -n 0`: the reader is gone before anything is printed.
    let out = temp("closed-stdout.ckpt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(small_training(out.to_str().unwrap(), &[]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.status.success(), "{err}");
    assert!(Checkpoint::load(&out).is_ok());
}

#[test]
fn a_failed_save_leaves_the_old_checkpoint_intact() {
    // A full disk, simulated by a file-size limit far below a checkpoint's
    // size; with SIGXFSZ ignored a write past it fails with an error, as
    // on a full disk, instead of killing the process.
    let good = std::fs::read(checkpoint()).unwrap();
    let target = temp("keep.ckpt");
    std::fs::write(&target, &good).unwrap();
    let cmd = format!(
        "trap '' XFSZ; ulimit -f 20; exec {} {} --seed 3",
        env!("CARGO_BIN_EXE_encdec"),
        small_training(target.to_str().unwrap(), &[]).join(" ")
    );
    let o = Command::new("sh").args(["-c", &cmd]).output().unwrap();
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read(&target).unwrap(),
        good,
        "the old checkpoint was damaged"
    );
    // No temporary file is left next to it.
    let dir = target.parent().unwrap();
    let name = target.file_name().unwrap().to_str().unwrap().to_string();
    let leftovers = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(&format!(".{name}")))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_bad_flag_is_one_line_with_status_1() {
    let o = encdec(&["train", "--model", "lstm", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("--no-such-flag"),
        "{err}"
    );
    // Help still prints and succeeds.
    let o = encdec(&["--help"]);
    assert!(o.status.success());
}

#[test]
fn translate_refuses_a_model_of_another_task() {
    let p = temp("summary-task.ckpt");
    let o = encdec(&small_training(
        p.to_str().unwrap(),
        &["--task", "summarization"],
    ));
    assert!(o.status.success());
    let o = encdec(&[
        "translate",
        "--checkpoint",
        p.to_str().unwrap(),
        "the mayor",
    ]);
    fails_with(&o, "`encdec translate` needs a translation model");
}

#[test]
fn relu_lets_nan_through_forward_and_backward() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(vec![f64::NAN, -1.0, 2.0], &[3]));
    let y = x.relu();
    let v = y.value();
    assert!(v.data()[0].is_nan());
    assert_eq!(&v.data()[1..], &[0.0, 2.0]);
    tape.backward(y.sum());
    let g = x.grad().unwrap();
    assert!(g.data()[0].is_nan());
    assert_eq!(&g.data()[1..], &[0.0, 1.0]);
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_word() {
    let p = temp("bom-vectors.txt");
    std::fs::write(&p, "\u{feff}the 1 0\ncat 0 1\n").unwrap();
    let v = WordVectors::load(&p).unwrap();
    assert_eq!(v.words()[0], "the");
}

#[test]
fn neighbours_and_analogies_find_words_the_same_way() {
    let p = temp("case-vectors.txt");
    std::fs::write(&p, "paris 1 0\nfrance 0.9 0.1\nRome 0 1\nitaly 0.1 0.9\n").unwrap();
    let v = WordVectors::load(&p).unwrap();
    // Lowercase fallback for both, and cased words keep their case.
    assert_eq!(v.neighbours("Paris", 1).unwrap()[0].0, "france");
    assert_eq!(v.neighbours("Rome", 1).unwrap()[0].0, "italy");
    assert!(v.analogy("Paris", "France", "Rome", 1).is_ok());
    assert!(v.neighbours("rome", 1).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_as_a_vector_file_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let p = temp("arbitrary-vectors.txt");
        std::fs::write(&p, &bytes).unwrap();
        let _ = WordVectors::load(&p);
    }

    #[test]
    fn arbitrary_bytes_as_a_checkpoint_are_an_error(
        header_len in any::<u64>(),
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        with_magic in any::<bool>(),
    ) {
        // With the magic and a length field, the reader goes on to the
        // header: any length it claims must be checked against the bytes.
        let mut file = vec![];
        if with_magic {
            file.extend_from_slice(b"ENCDEC01");
            file.extend_from_slice(&header_len.to_le_bytes());
        }
        file.extend_from_slice(&bytes);
        let p = temp("arbitrary.ckpt");
        std::fs::write(&p, &file).unwrap();
        prop_assert!(Checkpoint::load(&p).is_err());
    }

    #[test]
    fn arbitrary_bytes_as_a_corpus_file_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        use encdec::text::ReadOptions;
use encdec::text::corpus_files::{read_dialogues, read_summaries, read_tsv_pairs};
        let p = temp("arbitrary-corpus.txt");
        std::fs::write(&p, &bytes).unwrap();
        for skip_bad_lines in [false, true] {
            let o = ReadOptions { skip_bad_lines };
            let _ = read_tsv_pairs(&p, o);
            let _ = read_summaries(&p, o);
            let _ = read_dialogues(&p, o);
        }
    }

    #[test]
    fn arbitrary_text_as_a_sentence_never_panics(s in any::<String>(), beam in 1usize..4) {
        let c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
        let _ = c.translator.decode_text(&s, beam, UnknownWords::AsUnk);
        let _ = c.translator.decode_text(&s, 1, UnknownWords::Refuse);
    }
}

#[test]
fn cosine_survives_huge_and_tiny_vectors() {
    use encdec::wordvec::cosine;
    // Identical vectors have cosine 1, whatever their scale.
    for scale in [1e200, 1e-200, 1.0] {
        let v = [3.0 * scale, 4.0 * scale];
        assert!(
            (cosine(&v, &v) - 1.0).abs() < 1e-12,
            "scale {scale}: {}",
            cosine(&v, &v)
        );
    }
    // (3, 4) against (4, 3): 24 / 25.
    assert!((cosine(&[3e200, 4e200], &[4e-200, 3e-200]) - 0.96).abs() < 1e-12);
}

/// A copy of the test checkpoint whose JSON header went through `edit`
/// (length and checksum fixed, so that only the edit can fail it).
fn edited_checkpoint(name: &str, edit: impl Fn(&mut serde_json::Value)) -> std::path::PathBuf {
    let p = temp(name);
    std::fs::copy(checkpoint(), &p).unwrap();
    rewrite_header(&p, edit);
    p
}

fn load_error(p: &std::path::Path) -> String {
    Checkpoint::load(p)
        .err()
        .expect("the edited checkpoint must be refused")
        .to_string()
}

#[test]
fn another_format_or_an_unknown_field_is_refused_in_words() {
    let p = edited_checkpoint("format99.ckpt", |h| h["format"] = serde_json::json!(99));
    let e = load_error(&p);
    assert!(
        e.contains("format 99: this encdec reads formats 1 and 2"),
        "{e}"
    );
    let p = edited_checkpoint("surprise.ckpt", |h| h["surprise"] = serde_json::json!(true));
    let e = load_error(&p);
    assert!(e.contains("unknown header field \"surprise\""), "{e}");
}

#[test]
fn a_header_claiming_huge_sizes_is_refused_before_allocating() {
    for (key, huge) in [
        ("hidden", 1u64 << 62),
        ("emb", 1 << 40),
        ("src_vocab", 1 << 50),
    ] {
        let p = edited_checkpoint("huge.ckpt", |h| h["config"][key] = serde_json::json!(huge));
        let e = load_error(&p);
        assert!(e.contains("the config describes a model of"), "{key}: {e}");
    }
}

#[test]
fn outputs_of_every_command_are_checked_before_the_work() {
    let ckpt = checkpoint();
    // heatmap onto its own checkpoint, or into a missing folder, or as .jpg.
    let o = encdec(&["heatmap", "--checkpoint", ckpt, "the dog", "--out", ckpt]);
    fails_with(&o, "must end in .png or .svg or .json or .csv");
    let same = temp("same-as-ckpt.png");
    std::fs::copy(ckpt, &same).unwrap();
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        same.to_str().unwrap(),
        "the dog",
        "--out",
        same.to_str().unwrap(),
    ]);
    fails_with(&o, "are the same file");
    assert_eq!(std::fs::read(&same).unwrap(), std::fs::read(ckpt).unwrap());
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        ckpt,
        "the dog",
        "--out",
        "/nonexistent/x.png",
    ]);
    fails_with(&o, "does not exist");
    // word2vec: --out and --plot on one path, or a picture format it cannot write.
    let v = temp("vectors-and-plot.png");
    let o = encdec(&[
        "word2vec",
        "--epochs",
        "1",
        "--out",
        v.to_str().unwrap(),
        "--plot",
        v.to_str().unwrap(),
    ]);
    fails_with(&o, "are the same file");
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("corpus:"),
        "trained before refusing"
    );
    let o = encdec(&[
        "glove",
        "--epochs",
        "1",
        "--out",
        temp("g.txt").to_str().unwrap(),
        "--plot",
        temp("g.jpg").to_str().unwrap(),
    ]);
    fails_with(&o, "must end in .png or .svg");
}

#[test]
fn save_refuses_what_load_would_refuse() {
    use encdec::text::Vocab;
    let c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    let p = temp("unsavable.ckpt");
    // A vocabulary that does not fit the model.
    let small =
        Vocab::from_tokens(["<pad>", "<unk>", "<s>", "</s>"].map(String::from).to_vec()).unwrap();
    let mut mismatched = Checkpoint::new(Translator::new(
        c.translator.model,
        small,
        c.translator.tgt_vocab.clone(),
        c.translator.task,
    ));
    let e = mismatched.save(&p).unwrap_err().to_string();
    assert!(
        e.contains("not saving") && e.contains("vocabularies of 4"),
        "{e}"
    );
    // A NaN weight.
    let mut c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    c.translator.model.params_mut()[0].value.data_mut()[0] = f64::NAN;
    let e = c.save(&p).unwrap_err().to_string();
    assert!(e.contains("non-finite"), "{e}");
    assert!(!p.exists());
}

#[test]
fn decoding_limits_mean_what_they_say() {
    use encdec::seq2seq::decode::{beam_search, greedy};
    let c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    let (_, ids) = c
        .translator
        .prepare("the dog sleeps", UnknownWords::Refuse)
        .unwrap();
    // A maximum length of 0 writes nothing; no sources, no hypotheses.
    assert!(
        greedy(c.translator.model.as_ref(), &[&ids], 0)[0]
            .ids
            .is_empty()
    );
    assert!(
        beam_search(c.translator.model.as_ref(), &ids, 3, 0, 1.0)
            .ids
            .is_empty()
    );
    assert!(greedy(c.translator.model.as_ref(), &[], 5).is_empty());
}

#[test]
#[should_panic(expected = "rouge_n: n must be at least 1")]
fn rouge_of_zero_grams_panics_with_its_name() {
    let _ = encdec::seq2seq::eval::rouge_n(&[], &[], 0);
}

#[test]
fn nan_is_never_taken_for_a_masked_row_or_decoded_into_words() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(
        vec![f64::NAN, f64::NAN, 1.0, f64::NEG_INFINITY],
        &[2, 2],
    ));
    let (s, l) = (x.softmax().value(), x.log_softmax().value());
    assert!(
        s.data()[..2]
            .iter()
            .chain(&l.data()[..2])
            .all(|v| v.is_nan())
    );
    // A row of -inf next to a finite one is still a masked row.
    assert_eq!(&s.data()[2..], &[1.0, 0.0]);
    // Weights so large that every score overflows: decoding is an error, not words.
    let mut c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    for p in c.translator.model.params_mut() {
        p.value = p.value.map(|_| 1e308);
    }
    let e = c
        .translator
        .decode_text("the dog sleeps", 1, UnknownWords::Refuse)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not finite numbers"), "{e}");
    let (_, ids) = c
        .translator
        .prepare("the dog sleeps", UnknownWords::Refuse)
        .unwrap();
    assert!(c.translator.decode_all(&[ids], 1, 4).is_err());
}

#[test]
fn damaged_headers_are_described_in_words() {
    // A header length field far beyond the file's size.
    let mut bytes = std::fs::read(checkpoint()).unwrap();
    bytes[8..16].copy_from_slice(&(1u64 << 60).to_le_bytes());
    let p = temp("bad-length.ckpt");
    std::fs::write(&p, &bytes).unwrap();
    let e = load_error(&p);
    assert!(
        e.contains("header length field says 1152921504606846976 bytes but the whole file has"),
        "{e}"
    );
    // A number where a vocabulary token belongs.
    let p = edited_checkpoint("numeric-token.ckpt", |h| {
        h["src_vocab"][5] = serde_json::json!(42)
    });
    let e = load_error(&p);
    assert!(e.contains("src_vocab: token 5 is 42, not a string"), "{e}");
}

#[test]
fn asking_for_more_dialogues_than_exist_says_so() {
    let out = temp("many-dialogues.ckpt");
    let o = encdec(&[
        "train",
        "--task",
        "dialogue",
        "--model",
        "lstm",
        "--pairs",
        "100000",
        "--epochs",
        "1",
        "--emb",
        "8",
        "--hidden",
        "8",
        "--batch-size",
        "256",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("--pairs 100000: the built-in dialogue corpus has 11678 distinct ones"),
        "{text}"
    );
}

#[test]
fn a_missing_argument_is_named_in_the_one_line() {
    let o = encdec(&["evaluate", "--checkpoint", "m.ckpt"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("--corpus"), "{err}");
}

#[test]
fn standard_input_gives_one_output_per_line_and_none_for_no_line() {
    use cli_support::encdec_with_input;
    let args = ["translate", "--checkpoint", checkpoint()];
    let o = encdec_with_input(&args, "");
    assert!(
        o.status.success() && o.stdout.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&o.stdout)
    );
    // A line of only invisible characters is a line without words.
    let o = encdec_with_input(
        &args,
        "the dog sleeps\n\u{feff}\u{200d}\n\nthe cat sleeps\n",
    );
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out:?}");
    assert!(lines[1].is_empty() && lines[2].is_empty() && !lines[3].is_empty());
}

#[test]
fn an_input_longer_than_the_cap_is_refused_or_cut() {
    use encdec::seq2seq::decode::MAX_INPUT_TOKENS;
    use encdec::seq2seq::eval::evaluate_pairs;
    use encdec::text::TextPair;
    let c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    let long = vec!["the dog sleeps ."; 300].join(" "); // 1200 tokens
    let e = c
        .translator
        .decode_text(&long, 1, UnknownWords::Refuse)
        .unwrap_err()
        .to_string();
    assert!(e.contains(&format!("at most {MAX_INPUT_TOKENS}")), "{e}");
    let pair = TextPair {
        source: long,
        target: "le chien dort".into(),
    };
    let r = evaluate_pairs(&c.translator, &[pair], 1, 4).unwrap();
    assert_eq!(r.truncated, 1);
    assert!(
        r.lines(encdec::seq2seq::task::Task::Translation)
            .iter()
            .any(|l| l.contains("were cut"))
    );
}

#[test]
fn user_text_is_escaped_when_echoed_and_a_bad_chat_line_is_skipped() {
    use std::io::Write;
    // Unknown words with ESC, BEL and a right-to-left override (a NUL
    // cannot be an argument; standard input carries it below).
    let o = encdec(&[
        "translate",
        "--checkpoint",
        checkpoint(),
        "the \u{1b}[31mdog\u{7} \u{202e}cat",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}') && !err.contains('\u{0}'),
        "{err:?}"
    );
    // ESC and BEL separate tokens (tokenizer rule 1) and the override is
    // dropped (rule 2), so none of them reaches a word or the echo.
    assert!(
        err.contains("unknown words") && err.contains("31mdog;"),
        "{err}"
    );
    let o = cli_support::encdec_with_input(
        &["translate", "--checkpoint", checkpoint()],
        "dog\u{0}cat\n",
    );
    // Standard input is read as corpus files are: a NUL is refused, naming the line.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains('\u{0}') && err.contains("standard input, line 1: the line contains a NUL"),
        "{err:?}"
    );
    // A chat line that is not UTF-8 is reported with its number; the session goes on.
    let model = temp("hostile-dialogue.ckpt");
    let o = encdec(&small_training(
        model.to_str().unwrap(),
        &["--task", "dialogue"],
    ));
    assert!(o.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_encdec"))
        .args(["chat", "--checkpoint", model.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"hello\n\xff\xfe bad\nhello\n/quit\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("(line 2 was skipped: not valid UTF-8 (byte 1 of the line)"),
        "{out}"
    );
    assert_eq!(out.matches("bot:").count(), 2, "{out}");
    assert!(out.trim_end().ends_with("bye"));
}

#[test]
fn a_vector_file_of_one_word_says_there_is_nothing_to_compare() {
    let p = temp("one-word.txt");
    std::fs::write(&p, "alone 1 2 3\n").unwrap();
    let o = encdec(&["neighbors", "--vectors", p.to_str().unwrap(), "alone"]);
    fails_with(&o, "has no other words to compare with");
}

/// A dialogue model trained briefly on the built-in corpus (untrained
/// weights would do: only the vocabulary matters here).
fn dialogue_checkpoint() -> Checkpoint {
    use encdec::seq2seq::config::ModelKind;
    use encdec::seq2seq::models::build;
    use encdec::seq2seq::task::Task;
    let data = crate::data_support::prepared(Task::Dialogue, 300, 0);
    let config = encdec::seq2seq::config::ModelConfig::new(
        ModelKind::Attention,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    let model = build(&config, &mut encdec::tensor::rng(0)).unwrap();
    Checkpoint::new(Translator::new(
        model,
        data.src_vocab,
        data.tgt_vocab,
        Task::Dialogue,
    ))
}

#[test]
fn a_typed_bar_is_a_word_of_the_turn_not_a_turn_boundary() {
    use encdec::pipeline::every_bot_turn;
    use encdec::pipeline::reply_pairs;
    use encdec::seq2seq::decode::{ChatReply, ChatSession};
    use encdec::text::{TURN, Tokenizer};
    // In chat: the user's `|` is a word the model never saw, not a new turn.
    let c = dialogue_checkpoint();
    let mut chat = ChatSession::new();
    assert_eq!(
        chat.respond(&c.translator, "i am in tokyo | what time is it ?"),
        ChatReply::Unknown(vec!["|".into()])
    );
    // In a corpus file: a turn holding " | " stays one turn.
    let turns: Vec<String> = vec!["a | b".into(), "c".into()];
    let pairs = reply_pairs(&turns);
    let tokens = Tokenizer::new(true).tokenize(&pairs[0].source);
    assert_eq!(tokens, ["a", "|", "b"]);
    assert!(!tokens.iter().any(|t| t == TURN), "{tokens:?}");
    assert_eq!(every_bot_turn(&pairs), pairs);
}

/// The test checkpoint with the output bias of target id `id` raised by
/// `by`, so that the decoder favours that token everywhere.
fn favouring(id: usize, by: f64) -> Checkpoint {
    let mut c = Checkpoint::load(std::path::Path::new(checkpoint())).unwrap();
    crate::model_support::raise_output_bias(c.translator.model.as_mut(), id, by);
    c
}

#[test]
fn decoding_never_writes_a_special_token() {
    use encdec::text::{BOS_ID, PAD_ID, SPECIALS, UNK_ID};
    for id in [PAD_ID, BOS_ID, UNK_ID] {
        let c = favouring(id, 1e3);
        for beam in [1, 3] {
            let t = c
                .translator
                .decode_text("the dog sleeps", beam, UnknownWords::Refuse)
                .unwrap();
            let words = &t.tgt_tokens[..t.tgt_tokens.len().saturating_sub(1)];
            assert!(
                !words.iter().any(|w| SPECIALS.contains(&w.as_str())),
                "{id} {beam}: {:?}",
                t.tgt_tokens
            );
            assert!(!SPECIALS.iter().any(|s| t.text.contains(s)), "{}", t.text);
        }
    }
}

#[test]
fn an_empty_output_is_reported_not_printed_as_a_blank_line() {
    use encdec::text::EOS_ID;
    let p = temp("ends-at-once.ckpt");
    favouring(EOS_ID, 1e3).save(&p).unwrap();
    let ckpt = p.to_str().unwrap();
    let o = encdec(&["translate", "--checkpoint", ckpt, "the dog sleeps"]);
    fails_with(&o, "the model wrote nothing");
    // From standard input the line stays (outputs keep their lines), and
    // standard error names it.
    let o =
        cli_support::encdec_with_input(&["translate", "--checkpoint", ckpt], "the dog sleeps\n");
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), "\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 1: the model wrote nothing"), "{err}");
}

#[test]
fn empty_outputs_are_counted_and_a_failed_chat_reply_is_said() {
    use encdec::seq2seq::decode::{ChatReply, ChatSession};
    use encdec::seq2seq::eval::evaluate_pairs;
    use encdec::seq2seq::task::Task;
    use encdec::text::{EOS_ID, TextPair};
    let c = favouring(EOS_ID, 1e3);
    let pair = TextPair {
        source: "the dog sleeps".into(),
        target: "le chien dort".into(),
    };
    let report = evaluate_pairs(&c.translator, &[pair.clone(), pair], 1, 4).unwrap();
    assert_eq!(report.empty_outputs(), 2);
    let lines = report.lines(Task::Translation).join("\n");
    assert!(lines.contains("2 of 2 outputs are empty"), "{lines}");
    // A reply that cannot be decoded is said, not dropped as if the line were empty.
    let mut c = dialogue_checkpoint();
    for p in c.translator.model.params_mut() {
        p.value = p.value.map(|_| 1e308);
    }
    let reply = ChatSession::new().respond(&c.translator, "i am in tokyo");
    assert!(
        matches!(&reply, ChatReply::Failed(e) if e.contains("not finite")),
        "{reply:?}"
    );
}

#[test]
fn heatmap_refuses_a_dialogue_model() {
    let p = temp("dialogue-model.ckpt");
    dialogue_checkpoint().save(&p).unwrap();
    let png = temp("dialogue-heatmap.png");
    let o = encdec(&[
        "heatmap",
        "--checkpoint",
        p.to_str().unwrap(),
        "--out",
        png.to_str().unwrap(),
        "i am in tokyo",
    ]);
    fails_with(
        &o,
        "`encdec heatmap` draws translation and summarization models",
    );
    assert!(!png.exists());
}

#[test]
fn word2vec_with_no_pair_to_train_on_says_so() {
    use encdec::wordvec::{Word2VecConfig, train_word2vec};
    // One word per sentence: no word has a context.
    let sentences: Vec<Vec<String>> = ["cat", "dog", "cat"]
        .iter()
        .map(|w| vec![w.to_string()])
        .collect();
    let e = train_word2vec(&sentences, &Word2VecConfig::default()).unwrap_err();
    assert!(e.contains("nothing to train on"), "{e}");
}

#[test]
fn word2vec_refuses_a_learning_rate_or_threshold_that_is_not_a_number_it_can_use() {
    use encdec::wordvec::{Word2VecConfig, train_word2vec};
    let sentences = vec![["the", "cat", "sat"].map(String::from).to_vec()];
    for (lr, subsample, says) in [
        (f64::NAN, 1e-3, "lr"),
        (0.0, 1e-3, "lr"),
        (-0.1, 1e-3, "lr"),
        (0.025, -1e-3, "subsample"),
        (0.025, f64::INFINITY, "subsample"),
    ] {
        let c = Word2VecConfig {
            lr,
            subsample,
            ..Default::default()
        };
        let e = train_word2vec(&sentences, &c).unwrap_err();
        assert!(e.contains(says), "lr {lr}, subsample {subsample}: {e}");
    }
}

/// A batch of one sentence with the given source and target lengths (ids
/// all `</s>`), built by hand as a library user could.
fn hand_batch(src_len: usize, tgt_len: usize) -> encdec::seq2seq::batch::Batch {
    encdec::seq2seq::batch::Batch {
        size: 1,
        src: vec![encdec::text::EOS_ID; src_len],
        src_len,
        src_lengths: vec![src_len],
        tgt_in: vec![encdec::text::BOS_ID; tgt_len],
        tgt_out: vec![encdec::text::EOS_ID; tgt_len],
        tgt_len,
    }
}

fn small_model(
    kind: encdec::seq2seq::config::ModelKind,
) -> Box<dyn encdec::seq2seq::models::Seq2Seq> {
    let config = crate::model_support::sized(kind, (8, 8), (4, 4), (1, 2), 0.0);
    encdec::seq2seq::models::build(&config, &mut encdec::tensor::rng(0)).unwrap()
}

#[test]
#[should_panic(expected = "encode: the batch's source length is 0")]
fn an_empty_source_panics_with_the_function_and_the_argument() {
    let m = small_model(encdec::seq2seq::config::ModelKind::Attention);
    let _ = m.forward(&Tape::new(), &hand_batch(0, 2), None);
}

#[test]
#[should_panic(expected = "decode: the batch's target length is 0")]
fn an_empty_target_panics_with_the_function_and_the_argument() {
    let m = small_model(encdec::seq2seq::config::ModelKind::Lstm);
    let _ = m.forward(&Tape::new(), &hand_batch(3, 0), None);
}

#[test]
fn every_model_names_a_malformed_batch() {
    use encdec::seq2seq::config::ModelKind;
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        for (s, t, what) in [(0, 2, "source length is 0"), (3, 0, "target length is 0")] {
            let m = small_model(kind);
            let e = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = m.forward(&Tape::new(), &hand_batch(s, t), None);
            }))
            .unwrap_err();
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            assert!(msg.contains(what), "{kind}: {msg}");
        }
        // Lengths that disagree with the ids.
        let mut b = hand_batch(3, 2);
        b.src_lengths = vec![5];
        let m = small_model(kind);
        let e = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = m.forward(&Tape::new(), &b, None);
        }));
        assert!(
            e.is_err(),
            "{kind}: a source length beyond src_len was accepted"
        );
    }
}

#[test]
fn a_dialogue_model_trained_by_the_command_line_knows_the_turn_token() {
    // Built-in dialogue histories keep their turn marks on the way to the
    // vocabulary, so that a chat of several turns is not "unknown words".
    let p = temp("dialogue-turns.ckpt");
    let o = encdec(&small_training(
        p.to_str().unwrap(),
        &["--task", "dialogue"],
    ));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = Checkpoint::load(&p).unwrap();
    assert!(c.translator.src_vocab.get(encdec::text::TURN).is_some());
    let mut chat = encdec::seq2seq::decode::ChatSession::new();
    chat.respond(&c.translator, "i am in tokyo");
    let second = chat.respond(&c.translator, "what time is it ?");
    assert!(
        matches!(second, encdec::seq2seq::decode::ChatReply::Reply(_)),
        "{second:?}"
    );
}
