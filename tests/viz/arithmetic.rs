//! The arithmetic view (`src/seq2seq/decode/arithmetic.rs`): every number of
//! one attention row is the model's. The weights are the explorer's matrix
//! rows, the scores, the softmax and the output add up, and the outputs are
//! what the model's own attention layers compute before $W^O$ (`model.rs`).

mod model;

use crate::model_support::{fox_vocabs, tiny_config};

use encdec::corpora::FOX_EN;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{
    AttentionKind, AttentionRow, Exploration, ExploreOptions, RowArithmetic, Score, Translator,
    attention_arithmetic, row_scores,
};
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::{Float, rng};

/// An untrained model of `kind` (2 layers, 2 heads of 4 for the Transformer)
/// on the fox sentence's vocabularies, and its exploration of the fox sentence.
fn explored(kind: ModelKind, seed: u64) -> (Translator, Exploration) {
    let (src, tgt) = fox_vocabs();
    let config = tiny_config(kind, src.len(), tgt.len(), 2);
    let model = build(&config, &mut rng(seed)).unwrap();
    let c = Translator::new(model, src, tgt, Task::Translation);
    let e = Exploration::new(&c, FOX_EN, &ExploreOptions::default()).unwrap();
    (c, e)
}

/// Row `row` (from 0) of head `head` of the `layer`-th attention of `kind` (both from 1).
fn cell(kind: AttentionKind, layer: usize, head: usize, row: usize) -> AttentionRow {
    AttentionRow {
        kind,
        layer,
        head,
        row,
    }
}

/// Every row of every head of every attention the exploration holds.
fn every_row(c: &Translator, e: &Exploration) -> Vec<RowArithmetic> {
    let mut rows = vec![];
    for m in &e.attention {
        for head in 1..=m.heads() {
            for row in 0..m.queries.len() {
                let (kind, layer) = (m.kind, m.layer);
                let at = cell(kind, layer, head, row);
                rows.push(attention_arithmetic(c, e, at).unwrap());
            }
        }
    }
    rows
}

fn close(a: &[Float], b: &[Float], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-12, "{what}: {a:?} vs {b:?}");
    }
}

#[test]
fn weights_are_the_explorations_rows() {
    for kind in [ModelKind::Attention, ModelKind::Transformer] {
        let (c, e) = explored(kind, 3);
        let rows = every_row(&c, &e);
        assert_eq!(
            rows.len(),
            match kind {
                ModelKind::Attention => e.outputs.len(),
                _ => 2 * 2 * (e.src_tokens.len() + 2 * e.outputs.len()),
            }
        );
        for r in &rows {
            let m = e
                .of_kind(r.at.kind)
                .find(|m| m.layer == r.at.layer)
                .unwrap();
            let n_k = m.keys.len();
            let at = ((r.at.head - 1) * m.queries.len() + r.at.row) * n_k;
            close(&r.weights, &m.weights.data()[at..at + n_k], "weights");
            assert_eq!(r.query_label, m.queries[r.at.row]);
            assert_eq!(r.key_labels, m.keys);
            // The decoder's future is hidden: no score, weight exactly 0.
            for j in 0..n_k {
                let hidden = r.at.kind == AttentionKind::DecoderSelf && j > r.at.row;
                assert_eq!(r.masked[j], hidden);
                assert_eq!(r.scores[j].is_none(), hidden);
                if hidden {
                    assert_eq!(r.weights[j], 0.0);
                }
            }
        }
    }
}

/// The softmax of the visible scaled scores, 0 where hidden.
fn softmax(scaled: &[Option<Float>]) -> Vec<Float> {
    let max = scaled
        .iter()
        .flatten()
        .fold(Float::NEG_INFINITY, |m, &s| m.max(s));
    let e: Vec<Float> = scaled
        .iter()
        .map(|s| s.map_or(0.0, |s| (s - max).exp()))
        .collect();
    let sum: Float = e.iter().sum();
    e.iter().map(|x| x / sum).collect()
}

#[test]
fn scores_softmax_and_output_add_up() {
    for kind in [ModelKind::Attention, ModelKind::Transformer] {
        let (c, e) = explored(kind, 5);
        for r in every_row(&c, &e) {
            let d_k = r.query.len();
            let divisor = match kind {
                ModelKind::Transformer => (d_k as Float).sqrt(),
                _ => 1.0,
            };
            assert_eq!(r.score.divisor(), divisor);
            for (j, k) in r.keys.iter().enumerate() {
                assert_eq!(k.len(), d_k);
                let mut s = 0.0;
                for (q_t, k_t) in r.query.iter().zip(k) {
                    s += q_t * k_t;
                }
                if let Some(score) = r.scores[j] {
                    assert!((score - s).abs() < 1e-12, "s_ij = q_i . k_j");
                    assert!((r.scaled[j].unwrap() - s / divisor).abs() < 1e-12);
                }
            }
            close(
                &softmax(&r.scaled),
                &r.weights,
                "softmax of the scaled scores",
            );
            let mut z = vec![0.0; r.output.len()];
            for (a, v) in r.weights.iter().zip(&r.values) {
                for (z, v) in z.iter_mut().zip(v) {
                    *z += a * v;
                }
            }
            close(&z, &r.output, "z_i = sum_j a_ij v_j");
        }
    }
}

// By hand, d_k = 2: q = (1, 2), k_1 = (1, 0), k_2 = (0, 1), k_3 = (3, 3) hidden.
//   s_11 = 1*1 + 2*0 = 1,  s_12 = 1*0 + 2*1 = 2,  s_13: none (masked)
//   scaled: 1/sqrt 2 = 0.70711,  2/sqrt 2 = 1.41421
//   softmax: e^0.70711 = 2.02811, e^1.41421 = 4.11325, sum 6.14136
//            a = (0.33024, 0.66976, 0)
//   with v_1 = (1, 0), v_2 = (0, 1): z = 0.33024 v_1 + 0.66976 v_2 = (0.33024, 0.66976)
#[test]
fn row_scores_by_hand() {
    let keys = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![3.0, 3.0]];
    let masked = [false, false, true];
    let (s, scaled) = row_scores(&[1.0, 2.0], &keys, &masked, Score::ScaledDot { d_k: 2 });
    assert_eq!(s, vec![Some(1.0), Some(2.0), None]);
    let r2 = (2.0 as Float).sqrt();
    assert_eq!(scaled, vec![Some(1.0 / r2), Some(2.0 / r2), None]);
    let a = softmax(&scaled);
    assert!((a[0] - 0.33024).abs() < 1e-5 && (a[1] - 0.66976).abs() < 1e-5 && a[2] == 0.0);
    let (s, scaled) = row_scores(&[1.0, 2.0], &keys, &[false; 3], Score::Dot);
    assert_eq!(s, scaled, "no scale for §2.3");
    assert_eq!(s[2], Some(9.0));
}

/// The inline formulas (`$..$`) of `docs/formulas.md`, whitespace removed.
fn ledger_formulas() -> Vec<String> {
    let ledger = std::fs::read_to_string("docs/formulas.md").unwrap();
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    ledger.split('$').skip(1).step_by(2).map(squeeze).collect()
}

#[test]
fn the_formulas_are_the_ledgers() {
    let ledger = ledger_formulas();
    for score in [Score::ScaledDot { d_k: 4 }, Score::Dot] {
        let names: Vec<&str> = score.formulas().iter().map(|f| f.name).collect();
        assert_eq!(names, ["score", "weights", "output"]);
        for f in score.formulas() {
            let latex: String = f.latex.split_whitespace().collect();
            assert!(
                ledger.contains(&latex),
                "{} is not a row of docs/formulas.md",
                f.latex
            );
        }
    }
    assert_eq!(Score::ScaledDot { d_k: 4 }.section(), "§4.2");
    assert_eq!(Score::Dot.section(), "§2.3");
}

#[test]
fn json_has_one_entry_per_key_and_nulls_where_masked() {
    let (c, e) = explored(ModelKind::Transformer, 3);
    let at = cell(AttentionKind::DecoderSelf, 2, 2, 0);
    let r = attention_arithmetic(&c, &e, at).unwrap();
    let j = r.to_json();
    assert_eq!(j["kind"], "decoder self-attention");
    assert_eq!(
        (j["layer"].as_u64(), j["head"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(j["score"]["d_k"], 4);
    assert_eq!(j["score"]["divisor"], 2.0);
    assert_eq!(j["query"]["vector"].as_array().unwrap().len(), 4);
    let keys = j["keys"].as_array().unwrap();
    assert_eq!(keys.len(), e.decoder_inputs.len());
    assert_eq!(
        keys[0]["weight"], 1.0,
        "the first position sees only itself"
    );
    assert!(
        keys[1..]
            .iter()
            .all(|k| k["score"].is_null() && k["weight"] == 0.0)
    );
    assert_eq!(j["formulas"][0]["latex"], r"s_{ij} = q_i^\top k_j");
    assert_eq!(j["section"], "§4.2");
}

#[test]
fn cells_the_model_lacks_are_refused() {
    let (c, e) = explored(ModelKind::Transformer, 3);
    let at = cell;
    let n = e.outputs.len();
    for bad in [
        at(AttentionKind::Cross, 3, 1, 0),
        at(AttentionKind::Cross, 0, 1, 0),
        at(AttentionKind::Cross, 1, 3, 0),
        at(AttentionKind::Cross, 1, 0, 0),
        at(AttentionKind::DecoderSelf, 1, 1, n),
    ] {
        assert!(attention_arithmetic(&c, &e, bad).is_err(), "{bad:?}");
    }
    let (lstm, e_lstm) = explored(ModelKind::Lstm, 3);
    assert!(attention_arithmetic(&lstm, &e_lstm, at(AttentionKind::Cross, 1, 1, 0)).is_err());
    // An exploration made with another model is refused, not mixed.
    let (other, _) = explored(ModelKind::Transformer, 4);
    assert!(attention_arithmetic(&other, &e, at(AttentionKind::Cross, 1, 1, 0)).is_err());
}
