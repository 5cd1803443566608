//! Reading one attention back from the tape of a teacher-forced pass: the
//! weights a model returns lead, along the tape's edges, to the queries,
//! keys and values it was computed from and to the output it gave. The
//! arithmetic view ([`super::attention_arithmetic`]) shows these numbers.

use super::arithmetic::Score;
use super::explore::AttentionKind;
use crate::autograd::{Tape, Var};
use crate::seq2seq::batch::{Batch, Example};
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::Tensor;

/// One attention of one layer as the model computed it, all heads.
pub(super) struct Tapped {
    /// Queries after the projection, `[n_q, d]` (head $h$: columns `h d_k .. (h+1) d_k`).
    pub query: Tensor,
    /// Keys, `[n_k, d]`.
    pub key: Tensor,
    /// Values, `[n_k, d_v]`.
    pub value: Tensor,
    /// The output before any output projection, `[n_q, d_v]`.
    pub output: Tensor,
    /// The weights, `[heads, n_q, n_k]`.
    pub weights: Tensor,
    /// How its scores became weights.
    pub score: Score,
}

impl Tapped {
    /// The number of heads.
    pub fn heads(&self) -> usize {
        self.weights.shape()[0]
    }
}

/// Runs `model` on `src` with `ids` as its target (teacher forcing, as
/// [`super::Exploration::new`] does) and reads back the attention of `kind`
/// in `layer` (from 1).
///
/// # Errors
/// If the model has no such attention, or its weights were not computed by
/// one of the two ways this reads (the fused multi-head op or §2.3's
/// dot-product attention).
pub(super) fn tapped_pass(
    model: &dyn Seq2Seq,
    (src, ids): (&[usize], &[usize]),
    kind: AttentionKind,
    layer: usize,
) -> Result<Tapped, String> {
    let Some((_, before)) = ids.split_last() else {
        return Err("no output to look at".into());
    };
    // Batch::new appends </s>: the decoder reads <s> y_1 .. y_{n-1}.
    let example = Example {
        src: src.to_vec(),
        tgt: before.to_vec(),
    };
    let batch = Batch::new(&[&example]);
    let tape = Tape::new();
    let enc = model.encode(&tape, &batch, None);
    let dec = model.decode(&tape, &enc, &batch, None);
    let layers = match kind {
        AttentionKind::EncoderSelf => &enc.attention,
        AttentionKind::DecoderSelf => &dec.self_attention,
        AttentionKind::Cross => &dec.attention,
    };
    let weights = layer
        .checked_sub(1)
        .and_then(|l| layers.get(l))
        .ok_or_else(|| format!("the model has no {} in layer {layer}", kind.name()))?;
    tapped(*weights)
}

/// The queries, keys, values and output behind `weights` (`[1, heads, n_q,
/// n_k]`, or the `[1, n_q, n_k]` of §2.3 reshaped to one head).
fn tapped(weights: Var<'_>) -> Result<Tapped, String> {
    let (q, k, v, z, score) = match weights.op_name().as_str() {
        "attention_weights" => fused(weights)?,
        "reshape" => dot(weights.inputs()[0])?,
        other => {
            return Err(format!(
                "attention weights computed by {other}, not read here"
            ));
        }
    };
    let w = weights.value();
    let s = w.shape();
    let rows = |x: Var<'_>| {
        let x = x.value();
        Tensor::from_vec(x.data().to_vec(), &x.shape()[1..])
    };
    Ok(Tapped {
        query: rows(q),
        key: rows(k),
        value: rows(v),
        output: rows(z),
        weights: Tensor::from_vec(w.data().to_vec(), &s[s.len() - 3..]),
        score,
    })
}

type Nodes<'t> = (Var<'t>, Var<'t>, Var<'t>, Var<'t>, Score);

/// The fused multi-head op ([`Var::attention`]): the weights node's inputs
/// are $Q$ and $K$; the output $Z$ is the node pushed just before it, whose
/// inputs are $Q$, $K$, $V$.
fn fused(weights: Var<'_>) -> Result<Nodes<'_>, String> {
    let (qk, heads) = (weights.inputs(), weights.shape()[1]);
    let z = weights.tape().var(weights.index() - 1);
    let qkv = z.inputs();
    let index = |v: &[Var<'_>]| v.iter().map(Var::index).collect::<Vec<_>>();
    if z.op_name() != "attention" || qkv.len() != 3 || index(&qkv[..2]) != index(&qk) {
        return Err("the attention weights are not beside their output on the tape".into());
    }
    let d_k = qk[0].shape()[2] / heads;
    Ok((qk[0], qk[1], qkv[2], z, Score::ScaledDot { d_k }))
}

/// §2.3's dot-product attention ([`crate::nn::DotAttention`]): the weights
/// are a softmax of (masked) scores `matmul_nt(states, memory)`, and the
/// context is the product of the weights and the memory, later on the tape.
fn dot(weights: Var<'_>) -> Result<Nodes<'_>, String> {
    let mut scores = weights;
    while scores.op_name() != "matmul_nt" {
        match scores.op_name().as_str() {
            "softmax" | "masked_fill" => scores = scores.inputs()[0],
            other => {
                return Err(format!(
                    "attention scores computed by {other}, not read here"
                ));
            }
        }
    }
    let qk = scores.inputs();
    let tape = weights.tape();
    let wanted = [weights.index(), qk[1].index()];
    let context = (weights.index() + 1..tape.len())
        .map(|i| tape.var(i))
        .find(|n| {
            n.op_name() == "matmul" && n.inputs().iter().map(Var::index).eq(wanted.iter().copied())
        })
        .ok_or("no context computed from the attention weights on the tape")?;
    Ok((qk[0], qk[1], qk[1], context, Score::Dot))
}
