//! Looking inside a trained model: every attention it has and its decoding,
//! step by step, for one input.
//!
//! [`Exploration::new`] decodes the input as `encdec translate` does (greedy,
//! §3.2, or beam search), then runs the model once more with teacher
//! forcing on its own output, which gives, in one pass:
//! - every attention matrix of every layer and head: the encoder's
//!   self-attention, the decoder's masked self-attention and the
//!   cross-attention over the source (the Transformer has all three, the
//!   LSTM with attention only the cross-attention of §2.3, the plain LSTM
//!   none);
//! - at each step, the probability of every next word: the decoder is
//!   causal, so position $t$ of the teacher-forced pass sees exactly what
//!   step $t$ of decoding saw, and its distribution is the one decoding
//!   chose from (checked by `tests/explore.rs::steps_repeat_what_decoding_chose`).
//!
//! With a beam wider than one, the prefixes the beam kept at each step are
//! kept too ([`crate::seq2seq::beam_search_traced`]).
//!
//! What an exploration becomes:
//! - [`Exploration::to_html`]: one self-contained page (`encdec explore`),
//!   see [`html`];
//! - [`Exploration::attention_json`], [`Exploration::attention_csv`]: the
//!   attention matrices with their labels (`encdec heatmap --format`).
//!
//! Layers and heads are numbered from 1 everywhere a person reads them (the
//! page, the exported data, the pictures).

mod export;
pub mod html;

use crate::autograd::Tape;
use crate::seq2seq::{
    Batch, BeamTrace, Checkpoint, DecodeError, Example, ModelConfig, Task, beam_search_traced,
    choosable, greedy,
};
use crate::tensor::{Float, Tensor};
use crate::text::EOS_ID;

/// The longest input an exploration takes, in tokens: a Transformer's page
/// holds layers × heads matrices of this size squared, so 200 tokens with
/// 2+2 layers and 4 heads are already about 1 million numbers.
pub const MAX_SHOWN_TOKENS: usize = 200;

/// How to explore.
#[derive(Clone, Debug, PartialEq)]
pub struct ExploreOptions {
    /// Beam width: 1 decodes greedily (§3.2); more keeps that many prefixes
    /// and shows them as a tree.
    pub beam: usize,
    /// How many candidate next words each step shows.
    pub top_k: usize,
    /// Unknown words become `<unk>` instead of being refused.
    pub allow_unknown: bool,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            beam: 1,
            top_k: 5,
            allow_unknown: false,
        }
    }
}

/// Which attention a matrix belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttentionKind {
    /// The encoder's self-attention: source words over source words.
    EncoderSelf,
    /// The decoder's masked self-attention: each decoder position over itself
    /// and the positions before it.
    DecoderSelf,
    /// Cross-attention: each word written over the source words (§2.3, §4.3).
    Cross,
}

impl AttentionKind {
    /// The name used in the page and the exported data.
    pub fn name(self) -> &'static str {
        match self {
            AttentionKind::EncoderSelf => "encoder self-attention",
            AttentionKind::DecoderSelf => "decoder self-attention",
            AttentionKind::Cross => "cross-attention",
        }
    }
}

/// One layer's attention of one kind, every head.
#[derive(Clone, Debug, PartialEq)]
pub struct AttentionMap {
    /// Which attention.
    pub kind: AttentionKind,
    /// The layer, from 1.
    pub layer: usize,
    /// The label of each row (the position that looks).
    pub queries: Vec<String>,
    /// The label of each column (the positions looked at).
    pub keys: Vec<String>,
    /// `[heads, queries, keys]`; each row sums to 1.
    pub weights: Tensor,
}

impl AttentionMap {
    /// The number of heads.
    pub fn heads(&self) -> usize {
        self.weights.shape()[0]
    }
}

/// One decoding step: what the decoder read, what it wrote, and the words
/// it could have written.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The token the decoder read at this step (`<s>`, then the word before).
    pub read: String,
    /// The token written.
    pub chosen: String,
    /// $p(\text{chosen} \mid y_{<t}, x)$.
    pub probability: Float,
    /// The most probable writable tokens ([`choosable`]) and their
    /// probabilities, most probable first.
    pub top: Vec<(String, Float)>,
}

/// A prefix the beam kept, with its words.
#[derive(Clone, Debug, PartialEq)]
pub struct BeamNode {
    /// The tokens written so far; the last was added at this step.
    pub tokens: Vec<String>,
    /// Total log-probability.
    pub log_prob: Float,
    /// Whether it ended with `</s>`.
    pub finished: bool,
    /// Whether it is a prefix of the returned sentence.
    pub on_best_path: bool,
}

/// Everything the explorer shows for one input.
#[derive(Clone, Debug, PartialEq)]
pub struct Exploration {
    /// What the model was trained for.
    pub task: Task,
    /// The model's sizes.
    pub config: ModelConfig,
    /// The input as given.
    pub input: String,
    /// The output as text.
    pub output: String,
    /// Source tokens, `</s>` included.
    pub src_tokens: Vec<String>,
    /// What the decoder read: `<s>` and the words written but the last.
    pub decoder_inputs: Vec<String>,
    /// The words written, `</s>` included when written.
    pub outputs: Vec<String>,
    /// Total log-probability of the output.
    pub log_prob: Float,
    /// Every attention matrix: encoder, decoder self, cross; each by layer.
    pub attention: Vec<AttentionMap>,
    /// One entry per word written.
    pub steps: Vec<Step>,
    /// The beam width used.
    pub beam: usize,
    /// With a beam wider than one: what it kept at each step.
    pub beam_steps: Vec<Vec<BeamNode>>,
}

impl Exploration {
    /// Decodes `input` with `c`'s model and gathers what it did.
    ///
    /// # Errors
    /// The input's problems as [`DecodeError`] (empty, unknown words, more
    /// than [`MAX_SHOWN_TOKENS`] tokens), a beam of 0, and a model whose
    /// scores are not finite.
    pub fn new(
        c: &Checkpoint,
        input: &str,
        options: &ExploreOptions,
    ) -> Result<Exploration, DecodeError> {
        if options.beam == 0 {
            return Err(DecodeError::BadBeam);
        }
        let (mut src_tokens, src) = c.prepare_with(input, options.allow_unknown)?;
        if src_tokens.len() > MAX_SHOWN_TOKENS {
            return Err(DecodeError::TooLongToShow(
                src_tokens.len(),
                MAX_SHOWN_TOKENS,
            ));
        }
        src_tokens.push(c.src_vocab.token(EOS_ID).to_string());
        let model = c.model.as_ref();
        let (hyp, trace) = if options.beam == 1 {
            (greedy(model, &[&src], c.max_output()).remove(0), None)
        } else {
            let t = beam_search_traced(model, &src, options.beam, c.max_output(), 1.0);
            (t.best.clone(), Some(t))
        };
        if !hyp.log_prob.is_finite() {
            return Err(DecodeError::NonFinite);
        }
        let ids = hyp.ids;
        let token = |y: &usize| c.tgt_vocab.token(*y).to_string();
        let outputs: Vec<String> = ids.iter().map(token).collect();
        let read: Vec<usize> = std::iter::once(crate::text::BOS_ID)
            .chain(ids[..ids.len() - 1].iter().copied())
            .collect();
        let decoder_inputs: Vec<String> = read.iter().map(token).collect();
        let (attention, log_probs) =
            teacher_forced(model, &src, &ids, &src_tokens, &decoder_inputs, &outputs);
        let steps = log_probs
            .iter()
            .enumerate()
            .map(|(t, row)| Step {
                read: decoder_inputs[t].clone(),
                chosen: outputs[t].clone(),
                probability: row[ids[t]].exp(),
                top: top_k(row, options.top_k)
                    .into_iter()
                    .map(|(y, p)| (token(&y), p))
                    .collect(),
            })
            .collect();
        let words: Vec<String> = ids.iter().filter(|&&y| y != EOS_ID).map(token).collect();
        Ok(Exploration {
            task: c.task,
            config: model.config().clone(),
            input: input.to_string(),
            output: c.detokenize(&words),
            src_tokens,
            decoder_inputs,
            outputs,
            log_prob: hyp.log_prob,
            attention,
            steps,
            beam: options.beam,
            beam_steps: trace.map_or(vec![], |t| beam_nodes(&t, &ids, &token)),
        })
    }

    /// The attention maps of one kind, first layer first.
    pub fn of_kind(&self, kind: AttentionKind) -> impl Iterator<Item = &AttentionMap> {
        self.attention.iter().filter(move |m| m.kind == kind)
    }
}

/// Runs the model on `src` with `ids` as the target (teacher forcing): each
/// layer's attention as [`AttentionMap`]s, and the log-probabilities of the
/// next word at every position, `[len(ids)][vocab]`.
fn teacher_forced(
    model: &dyn crate::seq2seq::Seq2Seq,
    src: &[usize],
    ids: &[usize],
    src_tokens: &[String],
    decoder_inputs: &[String],
    outputs: &[String],
) -> (Vec<AttentionMap>, Vec<Vec<Float>>) {
    let (layers, rows) = forced_pass(model, src, ids);
    let mut maps = vec![];
    for (kind, weights) in layers {
        let (queries, keys) = match kind {
            AttentionKind::EncoderSelf => (src_tokens, src_tokens),
            AttentionKind::DecoderSelf => (decoder_inputs, decoder_inputs),
            AttentionKind::Cross => (outputs, src_tokens),
        };
        for (i, w) in weights.into_iter().enumerate() {
            maps.push(AttentionMap {
                kind,
                layer: i + 1,
                queries: queries.to_vec(),
                keys: keys.to_vec(),
                weights: w,
            });
        }
    }
    (maps, rows)
}

/// One kind of attention, each layer's weights `[heads, queries, keys]`.
pub(crate) type LayersOfKind = (AttentionKind, Vec<Tensor>);

/// One pass of the model over its own output `ids` (teacher forcing): each
/// kind's attention per layer, `[heads, queries, keys]` each, and the
/// log-probabilities of the next word at every position,
/// `[len(ids)][vocab]`. The decoder is causal, so position $t$ sees what
/// step $t$ of decoding saw.
///
/// # Panics
/// If `ids` is empty.
pub(crate) fn forced_pass(
    model: &dyn crate::seq2seq::Seq2Seq,
    src: &[usize],
    ids: &[usize],
) -> (Vec<LayersOfKind>, Vec<Vec<Float>>) {
    // Batch::new appends </s> to the target: the decoder then reads
    // <s> y_1 .. y_{n-1}, one position per word written.
    let example = Example {
        src: src.to_vec(),
        tgt: ids[..ids.len() - 1].to_vec(),
    };
    let batch = Batch::new(&[&example]);
    let tape = Tape::new();
    let enc = model.encode(&tape, &batch, None);
    let dec = model.decode(&tape, &enc, &batch, None);
    let v = dec.logits.shape()[2];
    let log_probs = dec.logits.reshape(&[ids.len(), v]).log_softmax().value();
    let rows = log_probs.data().chunks(v).map(<[Float]>::to_vec).collect();
    let values = |layers: &[crate::autograd::Var]| -> Vec<Tensor> {
        layers
            .iter()
            .map(|w| {
                let w = w.value();
                Tensor::from_vec(w.data().to_vec(), &w.shape()[1..])
            })
            .collect()
    };
    let layers = vec![
        (AttentionKind::EncoderSelf, values(&enc.attention)),
        (AttentionKind::DecoderSelf, values(&dec.self_attention)),
        (AttentionKind::Cross, values(&dec.attention)),
    ];
    (layers, rows)
}

/// The `k` most probable writable ids of a row of log-probabilities, with
/// their probabilities, most probable first (the smaller id on ties).
pub(crate) fn top_k(row: &[Float], k: usize) -> Vec<(usize, Float)> {
    let mut ids: Vec<usize> = (0..row.len()).filter(|&y| choosable(y)).collect();
    ids.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
    ids.into_iter().take(k).map(|y| (y, row[y].exp())).collect()
}

/// The beam's steps with words, marking the prefixes of the chosen sentence.
fn beam_nodes(
    trace: &BeamTrace,
    best: &[usize],
    token: &impl Fn(&usize) -> String,
) -> Vec<Vec<BeamNode>> {
    trace
        .steps
        .iter()
        .map(|step| {
            step.iter()
                .map(|e| BeamNode {
                    tokens: e.ids.iter().map(token).collect(),
                    log_prob: e.log_prob,
                    finished: e.finished,
                    on_best_path: best.starts_with(&e.ids),
                })
                .collect()
        })
        .collect()
}
