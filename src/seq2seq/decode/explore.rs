// Long file: the exploration's data types and the one teacher-forced pass that fills them, read together.
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
//!   chose from (checked by `tests/viz/explorer.rs::steps_repeat_what_decoding_chose`).
//!
//! With a beam wider than one, the prefixes the beam kept at each step are
//! kept too ([`crate::seq2seq::beam_search_traced`]).
//!
//! What an exploration becomes is drawn by [`crate::viz::explorer`]: one
//! self-contained page (`encdec explore`), or the attention matrices with
//! their labels as JSON or CSV (`encdec heatmap --format`).
//!
//! Layers and heads are numbered from 1 everywhere a person reads them (the
//! page, the exported data, the pictures).

use super::beam::{BeamTrace, beam_search_traced};
use super::forced::{teacher_forced, top_k};
use super::greedy::{Hypothesis, greedy};
use super::{DecodeError, Mark, Translator, UnknownWords};
use crate::seq2seq::config::ModelConfig;
use crate::seq2seq::task::Task;
use crate::tensor::{Float, Tensor};
use crate::text::EOS_ID;

/// The longest input an exploration takes, in tokens: a Transformer's page
/// holds layers × heads matrices of this size squared, so 200 tokens with
/// 2+2 layers and 4 heads are already about 1 million numbers.
pub const MAX_SHOWN_TOKENS: usize = 200;

/// How to explore.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct ExploreOptions {
    /// Beam width, 1 to 64: 1 decodes greedily (§3.2); more keeps that many
    /// prefixes and shows them as a tree.
    #[arg(long, default_value_t = 1)]
    pub beam: usize,
    /// How many candidate next words each step shows, 1 to 50.
    #[arg(long, default_value_t = 5)]
    pub top_k: usize,
    /// Read words the model does not know as `<unk>` instead of refusing the input.
    #[arg(long)]
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

impl ExploreOptions {
    /// Checks the beam width and the number of candidates.
    ///
    /// # Errors
    /// A beam outside `1..=64` or a top-k outside `1..=50`, naming the flag.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=64).contains(&self.beam) {
            return Err("--beam must be from 1 to 64".into());
        }
        if !(1..=50).contains(&self.top_k) {
            return Err("--top-k must be from 1 to 50".into());
        }
        Ok(())
    }

    /// What to do with words the model does not know.
    pub fn unknown(&self) -> UnknownWords {
        match self.allow_unknown {
            true => UnknownWords::AsUnk,
            false => UnknownWords::Refuse,
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
    /// The most probable writable tokens ([`choosable`](super::choosable)) and their
    /// probabilities, most probable first.
    pub top: Vec<(String, Float)>,
    /// The log-probability of every target token at this step, `[tgt_vocab]`:
    /// what the playground's temperature, top-k and top-p reshape.
    pub log_probs: Vec<Float>,
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
    /// What to know about the input before trusting the output
    /// ([`Translator::marks`]): rare words, outside the training sources.
    pub marks: Vec<Mark>,
}

impl Exploration {
    /// Decodes `input` with the translator's model and gathers what it did.
    ///
    /// # Errors
    /// The input's problems as [`DecodeError`] (empty, unknown words, more
    /// than [`MAX_SHOWN_TOKENS`] tokens), a beam of 0, and a model whose
    /// scores are not finite.
    pub fn new(
        c: &Translator,
        input: &str,
        options: &ExploreOptions,
    ) -> Result<Exploration, DecodeError> {
        let (src_tokens, src) = shown_source(c, input, options)?;
        let model = c.model.as_ref();
        let (hyp, trace) = if options.beam == 1 {
            (greedy(model, &[&src], c.max_output()).remove(0), None)
        } else {
            let t = beam_search_traced(model, &src, options.beam, c.max_output(), 1.0);
            (t.best.clone(), Some(t))
        };
        Exploration::of_output(c, input, options, (src_tokens, src), (hyp, trace))
    }

    /// Explores `input` as [`Exploration::new`] does, with the output chosen
    /// by `decode` (given the model and the source ids), as the playground
    /// does for sampling ([`super::sample`]).
    ///
    /// # Errors
    /// As [`Exploration::new`].
    pub fn with_decoder(
        c: &Translator,
        input: &str,
        options: &ExploreOptions,
        decode: impl FnOnce(&dyn crate::seq2seq::models::Seq2Seq, &[usize]) -> Hypothesis,
    ) -> Result<Exploration, DecodeError> {
        let (src_tokens, src) = shown_source(c, input, options)?;
        let hyp = decode(c.model.as_ref(), &src);
        Exploration::of_output(c, input, options, (src_tokens, src), (hyp, None))
    }

    /// The exploration of the output `hyp` of the source (its tokens and
    /// ids), and the beam that found it.
    fn of_output(
        c: &Translator,
        input: &str,
        options: &ExploreOptions,
        (src_tokens, src): (Vec<String>, Vec<usize>),
        (hyp, trace): (Hypothesis, Option<BeamTrace>),
    ) -> Result<Exploration, DecodeError> {
        let model = c.model.as_ref();
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
                log_probs: row.clone(),
            })
            .collect();
        let words: Vec<String> = ids.iter().filter(|&&y| y != EOS_ID).map(token).collect();
        let (_, set_aside) = c.set_aside_final_marks(input);
        Ok(Exploration {
            task: c.task,
            config: model.config().clone(),
            input: input.to_string(),
            output: c.put_back_final_marks(&c.detokenize(&words), &set_aside),
            marks: c.marks(input),
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

/// The source's tokens (ending in `</s>`, as the encoder reads them) and
/// ids, refused when the beam is 0 or there are too many tokens to show.
fn shown_source(
    c: &Translator,
    input: &str,
    options: &ExploreOptions,
) -> Result<(Vec<String>, Vec<usize>), DecodeError> {
    if options.beam == 0 {
        return Err(DecodeError::BadBeam);
    }
    // A final `.`, `?` or `!` the model was not trained with is set aside
    // (and put back on the output), as `translate` does.
    let (text, _) = c.set_aside_final_marks(input);
    let (mut src_tokens, src) = c.prepare(&text, options.unknown())?;
    if src_tokens.len() > MAX_SHOWN_TOKENS {
        return Err(DecodeError::TooLongToShow(
            src_tokens.len(),
            MAX_SHOWN_TOKENS,
        ));
    }
    src_tokens.push(c.src_vocab.token(EOS_ID).to_string());
    Ok((src_tokens, src))
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
