//! The explorer (`src/seq2seq/decode/explore.rs` computes it,
//! `src/viz/explorer/` draws it): what the explorer shows is what the model did. Every
//! attention of every layer and head is there with its labels, each step's
//! probabilities are the ones decoding chose from, the beam tree leads to
//! the sentence beam search returns, and the exported data and the page
//! hold exactly that. (The page in a real browser: `tests/browser.rs`.)

use crate::model_support;

use encdec::corpora::FOX_EN;
use encdec::seq2seq::config::{Arch, Cell, ModelKind};
use encdec::seq2seq::decode::UnknownWords;
use encdec::seq2seq::decode::{AttentionKind, Exploration, ExploreOptions, Translator};
use encdec::seq2seq::decode::{beam_search, beam_search_traced};
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::rng;
use encdec::viz::explorer::{PageModel, attention_csv, attention_json, to_html};
use model_support::{fox_vocabs, tiny_config};

/// An untrained model of `kind` (2 layers, 2 heads for the Transformer) on
/// the fox sentence's vocabularies.
fn checkpoint(kind: ModelKind, seed: u64) -> Checkpoint {
    let (src, tgt) = fox_vocabs();
    let config = tiny_config(kind, src.len(), tgt.len(), 2);
    let model = build(&config, &mut rng(seed)).unwrap();
    Checkpoint::new(Translator::new(model, src, tgt, Task::Translation))
}

fn explore(c: &Checkpoint, beam: usize) -> Exploration {
    let options = ExploreOptions {
        beam,
        top_k: 4,
        allow_unknown: false,
    };
    Exploration::new(&c.translator, FOX_EN, &options).unwrap()
}

const KINDS: [ModelKind; 5] = [
    ModelKind::Rnn,
    ModelKind::Lstm,
    ModelKind::Gru,
    ModelKind::Attention,
    ModelKind::Transformer,
];

#[test]
fn every_attention_of_every_layer_and_head_with_its_labels() {
    for kind in KINDS {
        let e = explore(&checkpoint(kind, 1), 1);
        let (s, n) = (e.src_tokens.len(), e.outputs.len());
        assert_eq!(s, 10, "9 words and </s>");
        assert_eq!(e.decoder_inputs.len(), n);
        assert_eq!(e.decoder_inputs[0], "<s>");
        assert_eq!(&e.decoder_inputs[1..], &e.outputs[..n - 1]);
        // (kind, layers, heads) each model has.
        let expected: &[(AttentionKind, usize, usize)] = match kind {
            ModelKind::Lstm | ModelKind::Gru | ModelKind::Rnn => &[],
            ModelKind::Attention => &[(AttentionKind::Cross, 1, 1)],
            ModelKind::Transformer => &[
                (AttentionKind::EncoderSelf, 2, 2),
                (AttentionKind::DecoderSelf, 2, 2),
                (AttentionKind::Cross, 2, 2),
            ],
        };
        let seen: Vec<(AttentionKind, usize, usize)> = e
            .attention
            .iter()
            .map(|m| (m.kind, m.layer, m.heads()))
            .collect();
        let want: Vec<(AttentionKind, usize, usize)> = expected
            .iter()
            .flat_map(|&(k, layers, heads)| (1..=layers).map(move |l| (k, l, heads)))
            .collect();
        assert_eq!(seen, want, "{kind}");
        for m in &e.attention {
            let (q, k) = (m.queries.len(), m.keys.len());
            assert_eq!(m.weights.shape(), &[m.heads(), q, k]);
            let (rows, cols) = match m.kind {
                AttentionKind::EncoderSelf => (s, s),
                AttentionKind::DecoderSelf => (n, n),
                AttentionKind::Cross => (n, s),
            };
            assert_eq!((q, k), (rows, cols), "{kind} {:?}", m.kind);
            for (r, row) in m.weights.data().chunks(k).enumerate() {
                let sum: f64 = row.iter().sum();
                assert!((sum - 1.0).abs() < 1e-12, "row {r} sums to {sum}");
                if m.kind == AttentionKind::DecoderSelf {
                    // Causal: query i sees keys 0..=i only.
                    let i = r % q;
                    assert!(row[i + 1..].iter().all(|&w| w == 0.0), "{row:?}");
                }
            }
        }
    }
}

#[test]
fn attention_with_gru_or_rnn_cells_shows_its_one_cross_attention() {
    for cell in [Cell::Gru, Cell::Rnn] {
        let (src, tgt) = fox_vocabs();
        let mut config = tiny_config(ModelKind::Attention, src.len(), tgt.len(), 2);
        if let Arch::Attention(r) = &mut config.arch {
            r.cell = cell;
        }
        let model = build(&config, &mut rng(4)).unwrap();
        let c = Checkpoint::new(Translator::new(model, src, tgt, Task::Translation));
        let e = explore(&c, 1);
        let seen: Vec<_> = e
            .attention
            .iter()
            .map(|m| (m.kind, m.layer, m.heads()))
            .collect();
        assert_eq!(seen, [(AttentionKind::Cross, 1, 1)], "{cell:?}");
        let t = c
            .translator
            .decode_text(FOX_EN, 1, UnknownWords::Refuse)
            .unwrap();
        assert_eq!(t.tgt_tokens, e.outputs);
        assert_eq!(e.attention[0].weights.data(), t.attention[0].data());
    }
}

#[test]
fn cross_attention_is_the_one_decoding_returned() {
    for kind in [ModelKind::Attention, ModelKind::Transformer] {
        let c = checkpoint(kind, 2);
        let e = explore(&c, 1);
        let t = c
            .translator
            .decode_text(FOX_EN, 1, UnknownWords::Refuse)
            .unwrap();
        assert_eq!(t.tgt_tokens, e.outputs);
        let cross: Vec<_> = e.of_kind(AttentionKind::Cross).collect();
        assert_eq!(cross.len(), t.attention.len());
        for (m, a) in cross.iter().zip(&t.attention) {
            assert_eq!(m.weights.shape(), a.shape());
            for (x, y) in m.weights.data().iter().zip(a.data()) {
                assert!((x - y).abs() < 1e-12, "{x} vs {y}");
            }
        }
    }
}

#[test]
fn steps_repeat_what_decoding_chose() {
    for kind in KINDS {
        for beam in [1, 3] {
            let c = checkpoint(kind, 3);
            let e = explore(&c, beam);
            assert_eq!(e.steps.len(), e.outputs.len());
            // The teacher-forced pass gives back decoding's own log-probability.
            let sum: f64 = e.steps.iter().map(|s| s.probability.ln()).sum();
            assert!(
                (sum - e.log_prob).abs() < 1e-9,
                "{kind}: {sum} vs {}",
                e.log_prob
            );
            for (t, s) in e.steps.iter().enumerate() {
                assert_eq!(s.chosen, e.outputs[t]);
                assert_eq!(s.read, e.decoder_inputs[t]);
                assert_eq!(s.top.len(), 4);
                assert!(s.top.windows(2).all(|w| w[0].1 >= w[1].1), "{:?}", s.top);
                assert!(
                    s.top
                        .iter()
                        .all(|(w, _)| !["<pad>", "<s>", "<unk>"].contains(&w.as_str()))
                );
                if beam == 1 {
                    // Greedy writes the most probable writable word (§3.2).
                    assert_eq!(s.top[0].0, s.chosen, "{kind} step {t}");
                    assert_eq!(s.top[0].1, s.probability);
                }
            }
        }
    }
}

#[test]
fn the_beam_tree_leads_to_the_sentence_beam_search_returns() {
    for kind in KINDS {
        let c = checkpoint(kind, 4);
        let model = c.translator.model.as_ref();
        let (_, src) = c.translator.prepare(FOX_EN, UnknownWords::Refuse).unwrap();
        let plain = beam_search(model, &src, 3, c.translator.max_output(), 1.0);
        let traced = beam_search_traced(model, &src, 3, c.translator.max_output(), 1.0);
        assert_eq!(traced.best, plain, "{kind}: tracing changed the result");
        let e = explore(&c, 3);
        assert_eq!(e.outputs, c.translator.tgt_vocab.decode(&plain.ids));
        assert!(!e.beam_steps.is_empty());
        for (t, step) in e.beam_steps.iter().enumerate() {
            assert!(step.len() <= 3);
            assert!(step.windows(2).all(|w| w[0].log_prob >= w[1].log_prob));
            for node in step {
                assert_eq!(node.tokens.len(), t + 1);
                assert_eq!(node.finished, node.tokens.last().unwrap() == "</s>");
                if t > 0 {
                    let parent = &node.tokens[..t];
                    assert!(
                        e.beam_steps[t - 1]
                            .iter()
                            .any(|p| p.tokens == parent && !p.finished),
                        "{kind}: no live parent for {:?}",
                        node.tokens
                    );
                }
            }
            let on_path: Vec<_> = step.iter().filter(|n| n.on_best_path).collect();
            if t < e.outputs.len() {
                assert_eq!(on_path.len(), 1, "{kind} step {t}");
                assert_eq!(on_path[0].tokens, e.outputs[..=t]);
            }
        }
    }
}

#[test]
fn json_holds_every_matrix_with_its_labels() {
    let e = explore(&checkpoint(ModelKind::Transformer, 5), 1);
    let v = attention_json(&e);
    let matrices = v["attention"].as_array().unwrap();
    assert_eq!(matrices.len(), 3 * 2 * 2, "3 kinds x 2 layers x 2 heads");
    for m in &e.attention {
        for h in 0..m.heads() {
            let found = matrices
                .iter()
                .find(|j| j["kind"] == m.kind.name() && j["layer"] == m.layer && j["head"] == h + 1)
                .unwrap();
            assert_eq!(found["queries"], serde_json::json!(m.queries));
            assert_eq!(found["keys"], serde_json::json!(m.keys));
            let (q, k) = (m.queries.len(), m.keys.len());
            for i in 0..q {
                for j in 0..k {
                    let w = found["weights"][i][j].as_f64().unwrap();
                    assert_eq!(w, m.weights.data()[(h * q + i) * k + j]);
                }
            }
        }
    }
    assert_eq!(v["outputs"], serde_json::json!(e.outputs));
}

#[test]
fn csv_has_one_row_per_weight() {
    let e = explore(&checkpoint(ModelKind::Transformer, 6), 1);
    let csv = attention_csv(&e);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "kind,layer,head,query_index,query,key_index,key,weight"
    );
    let cells: usize = e.attention.iter().map(|m| m.weights.numel()).sum();
    assert_eq!(lines.len() - 1, cells);
    // The first row: encoder layer 1, head 1, "the" looking at "the".
    let first = e.attention[0].weights.data()[0];
    assert_eq!(
        lines[1],
        format!("encoder self-attention,1,1,0,\"the\",0,\"the\",{first}")
    );
}

#[test]
fn page_is_self_contained_and_a_token_cannot_end_its_script() {
    let c = checkpoint(ModelKind::Transformer, 7);
    let options = ExploreOptions {
        allow_unknown: true,
        ..ExploreOptions::default()
    };
    let input = "the fox </script><script>alert(1)</script> \"dog\" & <!-- x";
    let e = Exploration::new(&c.translator, input, &options).unwrap();
    let html = to_html(&e, &PageModel::Static);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Four script elements of its own (error catcher, data, colours, code), no more.
    assert_eq!(
        html.matches("<script").count(),
        4,
        "a token opened a script"
    );
    assert_eq!(
        html.matches("</script>").count(),
        4,
        "a token closed a script"
    );
    assert!(!html.contains("<!--"));
    // Nothing is loaded: no address but the SVG namespace, no src or href.
    let addresses = html.matches("http").count();
    assert_eq!(
        addresses,
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!html.contains(" src=") && !html.contains("href="));
    // The input survives the escaping, as JSON reads it back.
    let start = html.find("id=\"encdec-data\">").unwrap() + "id=\"encdec-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(data["input"], input);
    assert_eq!(data["attention"].as_array().unwrap().len(), 6);
    assert_eq!(data["steps"].as_array().unwrap().len(), e.steps.len());
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let c = checkpoint(ModelKind::Attention, 8);
    let err = |input: &str, beam: usize| {
        let options = ExploreOptions {
            beam,
            ..ExploreOptions::default()
        };
        Exploration::new(&c.translator, input, &options)
            .unwrap_err()
            .to_string()
    };
    assert!(err("the zebra", 1).contains("zebra"));
    assert!(err("   ", 1).contains("no words"));
    assert!(err(FOX_EN, 0).contains("at least 1"));
    // The page's matrices grow with the square of the length: capped.
    let long = vec!["the dog"; 101].join(" ");
    assert!(
        err(&long, 1)
            .contains("202 tokens; the explorer and the attention exports show at most 200")
    );
    let at_limit = vec!["the dog"; 100].join(" ");
    let e = Exploration::new(&c.translator, &at_limit, &ExploreOptions::default()).unwrap();
    assert_eq!(e.src_tokens.len(), 201, "200 tokens and </s>");
}

#[test]
fn the_greedy_steps_picture_shows_the_explorers_steps() {
    for kind in KINDS {
        let c = checkpoint(kind, 9);
        let e = explore(&c, 1);
        let (_, src) = c.translator.prepare(FOX_EN, UnknownWords::Refuse).unwrap();
        let steps = encdec::seq2seq::decode::greedy_steps(
            c.translator.model.as_ref(),
            &src,
            &c.translator.tgt_vocab,
            4,
            c.translator.max_output(),
        );
        assert_eq!(steps.len(), e.steps.len(), "{kind}");
        for (p, s) in steps.iter().zip(&e.steps) {
            assert_eq!(p.candidates[p.chosen].0, s.chosen);
            assert_eq!(p.candidates, s.top);
        }
    }
}
