//! Every number of one attention row, for the explorer's arithmetic view: a
//! learner picks a cell $(i, j)$ of an attention matrix and sees the query
//! $q_i$, every key $k_j$ and value $v_j$, the scores, the scale, the softmax
//! and the output, with the model's own numbers.
//!
//! The vectors, the weights and the output are read from the tape of one
//! teacher-forced pass over the exploration's output (`tapped.rs`); only
//! the scores $s_{ij} = q_i^\top k_j$ are computed here, for the fused
//! attention keeps none.

use super::Translator;
use super::explore::{AttentionKind, AttentionMap, Exploration};
use super::tapped::{Tapped, tapped_pass};
use crate::tensor::{Float, Tensor};
use serde_json::{Value, json};

/// Which row to show: query position `row` of head `head` of the `layer`-th
/// attention of `kind` (layer and head from 1, as the page numbers them;
/// the row from 0, as the matrix's rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttentionRow {
    /// Which attention.
    pub kind: AttentionKind,
    /// The layer, from 1.
    pub layer: usize,
    /// The head, from 1.
    pub head: usize,
    /// The query position $i$, from 0.
    pub row: usize,
}

/// How the scores become weights. The Transformer (§4.2.1) divides them by
/// $\sqrt{d_k}$; the dot-product attention of the LSTM over its encoder
/// (§2.3, Luong's) does not:
///
/// $$ a_{ij} = \frac{\exp(s_{ij})}{\sum_{k=1}^{n} \exp(s_{ik})} $$
///
/// No model scores additively: Bahdanau's score
/// ([`crate::nn::AdditiveAttention`]) is a layer of `nn`, which no model
/// configuration uses, so it has no variant here.
///
/// Checked by `tests/viz/arithmetic.rs::the_formulas_are_the_ledgers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    /// $s_{ij}/\sqrt{d_k}$, with the head's width $d_k$.
    ScaledDot {
        /// The width of one head's queries and keys.
        d_k: usize,
    },
    /// $s_{ij}$ unscaled.
    Dot,
}

impl Score {
    /// What the scores are divided by: $\sqrt{d_k}$, or 1.
    pub fn divisor(self) -> Float {
        match self {
            Score::ScaledDot { d_k } => (d_k as Float).sqrt(),
            Score::Dot => 1.0,
        }
    }

    /// The tutorial's section: §4.2 for the Transformer, §2.3 for the LSTM.
    pub fn section(self) -> &'static str {
        match self {
            Score::ScaledDot { .. } => "§4.2",
            Score::Dot => "§2.3",
        }
    }

    /// The LaTeX the page typesets for the score, the weights and the
    /// output, each exactly as its row of `docs/formulas.md` writes it.
    pub fn formulas(self) -> Vec<Formula> {
        let weights = match self {
            Score::ScaledDot { .. } => Formula {
                name: "weights",
                latex: r"a_{ij} = \frac{\exp(s_{ij}/\sqrt{d_k})}{\sum_{k=1}^{n} \exp(s_{ik}/\sqrt{d_k})}",
                section: "§4.2.1",
            },
            Score::Dot => Formula {
                name: "weights",
                latex: r"a_{ij} = \frac{\exp(s_{ij})}{\sum_{k=1}^{n} \exp(s_{ik})}",
                section: "§2.3",
            },
        };
        let score = Formula {
            name: "score",
            latex: r"s_{ij} = q_i^\top k_j",
            section: "§4.2.1",
        };
        let output = Formula {
            name: "output",
            latex: r"z_i = \sum_{j=1}^{n} a_{ij} v_j",
            section: "§4.2.2",
        };
        vec![score, weights, output]
    }
}

/// A formula the page typesets: what it computes, its LaTeX (a row of
/// `docs/formulas.md`), and the tutorial's section that states it (or
/// describes it in words: §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formula {
    /// `"score"`, `"weights"` or `"output"`.
    pub name: &'static str,
    /// The LaTeX, without delimiters.
    pub latex: &'static str,
    /// The tutorial's section.
    pub section: &'static str,
}

/// Every number of one attention row. Keys run over every position of the
/// matrix's columns; those the model hides ([`RowArithmetic::masked`]: the
/// future of the decoder's masked self-attention) have no score and weight 0.
#[derive(Clone, Debug, PartialEq)]
pub struct RowArithmetic {
    /// The row shown.
    pub at: AttentionRow,
    /// How the scores became weights (and $d_k$).
    pub score: Score,
    /// The word of the query position.
    pub query_label: String,
    /// The words of the key positions.
    pub key_labels: Vec<String>,
    /// $q_i$: the head's slice of the projected query ($d_k$ numbers); the
    /// LSTM's decoder state $s_i$.
    pub query: Vec<Float>,
    /// $k_j$ for every key position: the head's slices; the LSTM's encoder states $h_j$.
    pub keys: Vec<Vec<Float>>,
    /// $v_j$ for every key position (the LSTM: $h_j$ again).
    pub values: Vec<Vec<Float>>,
    /// Whether key $j$ is hidden from this query.
    pub masked: Vec<bool>,
    /// $s_{ij} = q_i^\top k_j$; `None` where masked.
    pub scores: Vec<Option<Float>>,
    /// $s_{ij}/\sqrt{d_k}$ (the LSTM: $s_{ij}$); `None` where masked.
    pub scaled: Vec<Option<Float>>,
    /// $a_{ij}$, the model's softmax row (0 where masked).
    pub weights: Vec<Float>,
    /// $z_i = \sum_j a_{ij} v_j$ as the model computed it: the head's slice
    /// of the attention's output before the output projection $W^O$; the
    /// LSTM's context $c_i$.
    pub output: Vec<Float>,
    /// What the page typesets: score, weights, output.
    pub formulas: Vec<Formula>,
}

impl RowArithmetic {
    /// The form the WebAssembly module hands to the page: the row's place,
    /// the scale, the query, one entry per key (masked keys with `null`
    /// scores and weight 0), the output and the formulas.
    pub fn to_json(&self) -> Value {
        let keys: Vec<Value> = (0..self.keys.len())
            .map(|j| {
                json!({
                    "label": self.key_labels[j], "key": self.keys[j], "value": self.values[j],
                    "masked": self.masked[j], "score": self.scores[j],
                    "scaled": self.scaled[j], "weight": self.weights[j],
                })
            })
            .collect();
        let (name, d_k) = match self.score {
            Score::ScaledDot { d_k } => ("scaled dot product", Some(d_k)),
            Score::Dot => ("dot product", None),
        };
        let formulas: Vec<Value> = self
            .formulas
            .iter()
            .map(|f| json!({"name": f.name, "latex": f.latex, "section": f.section}))
            .collect();
        json!({
            "kind": self.at.kind.name(), "layer": self.at.layer, "head": self.at.head,
            "row": self.at.row, "section": self.score.section(),
            "score": {"kind": name, "d_k": d_k, "divisor": self.score.divisor()},
            "query": {"label": self.query_label, "vector": self.query},
            "keys": keys, "output": self.output, "formulas": formulas,
        })
    }
}

/// Every number of row `at.row` of one attention of the model `c` ran for
/// the exploration `e` (its source and its output, teacher-forced, as
/// [`Exploration::new`]; the weights are the exploration's matrix row):
///
/// $$ s_{ij} = q_i^\top k_j $$
///
/// $$ a_{ij} = \frac{\exp(s_{ij}/\sqrt{d_k})}{\sum_{k=1}^{n} \exp(s_{ik}/\sqrt{d_k})} $$
///
/// $$ z_i = \sum_{j=1}^{n} a_{ij} v_j $$
///
/// (without $\sqrt{d_k}$ for the LSTM's attention: [`Score`]).
///
/// # Shapes
/// `query` $d_k$, `keys` $n_k \times d_k$, `values` $n_k \times d_v$, the
/// score rows $n_k$, `output` $d_v$ (the head's share of the value width).
///
/// # Errors
/// If the model has no such attention, layer, head or row, or its numbers
/// are not the exploration's (an exploration made with another model).
///
/// Checked by `tests/viz/arithmetic.rs::weights_are_the_explorations_rows`,
/// `scores_softmax_and_output_add_up` and
/// `tests/viz/arithmetic/model.rs::outputs_are_the_models_before_the_output_projection`.
pub fn attention_arithmetic(
    c: &Translator,
    e: &Exploration,
    at: AttentionRow,
) -> Result<RowArithmetic, String> {
    let map = e
        .of_kind(at.kind)
        .find(|m| m.layer == at.layer)
        .ok_or_else(|| format!("the model has no {} in layer {}", at.kind.name(), at.layer))?;
    check_cell(map, at)?;
    let src: Vec<usize> = e.src_tokens[..e.src_tokens.len() - 1]
        .iter()
        .map(|t| c.src_vocab.id(t))
        .collect();
    let ids: Vec<usize> = e.outputs.iter().map(|t| c.tgt_vocab.id(t)).collect();
    let t = tapped_pass(c.model.as_ref(), (&src, &ids), at.kind, at.layer)?;
    if t.weights.shape() != map.weights.shape() || t.weights.max_abs_diff(&map.weights) > 1e-9 {
        return Err("the exploration was not made with this model".into());
    }
    Ok(row_of(&t, map, at))
}

/// Refuses a head or row the matrix does not have.
fn check_cell(map: &AttentionMap, at: AttentionRow) -> Result<(), String> {
    if !(1..=map.heads()).contains(&at.head) {
        return Err(format!("head {} of {} (from 1)", at.head, map.heads()));
    }
    if at.row >= map.queries.len() {
        return Err(format!("row {} of {} (from 0)", at.row, map.queries.len()));
    }
    Ok(())
}

/// The row's numbers from the tapped attention.
fn row_of(t: &Tapped, map: &AttentionMap, at: AttentionRow) -> RowArithmetic {
    let (h, i, heads) = (at.head - 1, at.row, t.heads());
    let n_k = map.keys.len();
    let slice = |x: &Tensor, r: usize| {
        let w = x.shape()[1] / heads;
        x.data()[r * x.shape()[1] + h * w..][..w].to_vec()
    };
    let query = slice(&t.query, i);
    let keys: Vec<Vec<Float>> = (0..n_k).map(|j| slice(&t.key, j)).collect();
    let masked: Vec<bool> = (0..n_k)
        .map(|j| at.kind == AttentionKind::DecoderSelf && j > i)
        .collect();
    let (scores, scaled) = row_scores(&query, &keys, &masked, t.score);
    let weights = t.weights.data()[(h * map.queries.len() + i) * n_k..][..n_k].to_vec();
    RowArithmetic {
        at,
        score: t.score,
        query_label: map.queries[i].clone(),
        key_labels: map.keys.clone(),
        query,
        keys,
        values: (0..n_k).map(|j| slice(&t.value, j)).collect(),
        masked,
        scores,
        scaled,
        weights,
        output: slice(&t.output, i),
        formulas: t.score.formulas(),
    }
}

/// The scores of one query against every key, $s_{ij} = q_i^\top k_j$, and
/// the same divided by [`Score::divisor`]; `None` where `masked`.
///
/// # Panics
/// If `keys` and `masked` differ in length, or a key is not as long as the query.
pub fn row_scores(
    query: &[Float],
    keys: &[Vec<Float>],
    masked: &[bool],
    score: Score,
) -> (Vec<Option<Float>>, Vec<Option<Float>>) {
    assert_eq!(keys.len(), masked.len(), "row_scores: a mask entry per key");
    let dot = |k: &Vec<Float>| {
        assert_eq!(
            k.len(),
            query.len(),
            "row_scores: keys as long as the query"
        );
        query.iter().zip(k).map(|(a, b)| a * b).sum::<Float>()
    };
    let scores: Vec<Option<Float>> = keys
        .iter()
        .zip(masked)
        .map(|(k, &m)| (!m).then(|| dot(k)))
        .collect();
    let scaled = scores
        .iter()
        .map(|s| s.map(|s| s / score.divisor()))
        .collect();
    (scores, scaled)
}
