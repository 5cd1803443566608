//! Decoding inputs as `encdec translate` and `encdec summarize` are asked
//! to (tutorial §3.2): greedy or beam search in batches, the n best of a
//! beam, or sampling — every flag checked once, here.
//!
//! Checked by `tests/pipeline/decode.rs`.

use crate::seq2seq::decode::{DecodeError, Mark, Sampling, Translator, UnknownWords};
use crate::seq2seq::io::Checkpoint;
use crate::seq2seq::task::Task;
use crate::tensor::rng;
use std::path::Path;

/// How to decode, as the command line's flags say.
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct DecodeOptions {
    /// Beam width, 1 to 64 (default 1: greedy decoding).
    #[arg(long)]
    pub beam: Option<usize>,
    /// Read words the model does not know as `<unk>` instead of refusing the input.
    #[arg(long)]
    pub allow_unknown: bool,
    /// Draw each next word at random from the model's distribution instead of taking the best.
    #[arg(long)]
    pub sample: bool,
    /// With --sample: divide the scores by this before the softmax (above 0; default 1).
    #[arg(long, allow_negative_numbers = true)]
    pub temperature: Option<f64>,
    /// With --sample: draw only among the K most probable words (K ≥ 1).
    #[arg(long)]
    pub top_k: Option<usize>,
    /// With --sample: draw only among the fewest most probable words whose probability reaches P (0 < P ≤ 1).
    #[arg(long, allow_negative_numbers = true)]
    pub top_p: Option<f64>,
    /// With --sample: the seed of the draws (default 0); the same seed writes the same output.
    #[arg(long)]
    pub seed: Option<u64>,
    /// With --beam B: the N best outputs (N ≤ B), best first, each after its score.
    #[arg(long)]
    pub n_best: Option<usize>,
}

/// The largest beam the command line takes.
pub const MAX_BEAM: usize = 64;

/// A decoding the flags ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Decoding {
    /// Greedy decoding (`beam == 1`) or beam search, in batches.
    Search {
        /// The beam width.
        beam: usize,
    },
    /// The `n` best outputs of a beam of width `beam`.
    NBest {
        /// The beam width.
        beam: usize,
        /// How many outputs.
        n: usize,
    },
    /// Sampling, with a seeded generator shared by the inputs in turn.
    Sample {
        /// Temperature, top-k, top-p.
        sampling: Sampling,
        /// The seed.
        seed: u64,
    },
}

impl DecodeOptions {
    /// What to do with unknown words.
    pub fn unknown(&self) -> UnknownWords {
        match self.allow_unknown {
            true => UnknownWords::AsUnk,
            false => UnknownWords::Refuse,
        }
    }

    /// The beam width (1 when not given).
    pub fn beam(&self) -> usize {
        self.beam.unwrap_or(1)
    }

    /// The decoding the flags ask for, or a one-line error naming the flag.
    ///
    /// # Errors
    /// A beam outside `1..=64`, sampling flags without `--sample` or with a
    /// beam, `--n-best` outside `1..=beam`, a bad temperature, top-k or top-p.
    pub fn decoding(&self) -> Result<Decoding, String> {
        let beam = self.beam();
        if !(1..=MAX_BEAM).contains(&beam) {
            return Err(format!("--beam must be from 1 to {MAX_BEAM}"));
        }
        if !self.sample {
            let needs_sample = [
                ("--temperature", self.temperature.is_some()),
                ("--top-k", self.top_k.is_some()),
                ("--top-p", self.top_p.is_some()),
                ("--seed", self.seed.is_some()),
            ];
            if let Some((flag, _)) = needs_sample.iter().find(|(_, given)| *given) {
                return Err(format!("{flag} shapes sampling: add --sample"));
            }
            return match self.n_best {
                None => Ok(Decoding::Search { beam }),
                Some(n) if (1..=beam).contains(&n) => Ok(Decoding::NBest { beam, n }),
                Some(n) => Err(format!(
                    "--n-best {n} must be at least 1 and at most the beam width (--beam {beam})"
                )),
            };
        }
        if beam > 1 || self.n_best.is_some() {
            return Err(
                "--sample draws one output word by word; it does not mix with --beam or --n-best"
                    .into(),
            );
        }
        let sampling = Sampling::new(
            self.temperature.unwrap_or(1.0),
            self.top_k,
            self.top_p.unwrap_or(1.0),
        )
        .map_err(|e| e.to_string())?;
        Ok(Decoding::Sample {
            sampling,
            seed: self.seed.unwrap_or(0),
        })
    }
}

/// The outputs of one input, best first, each with its score when the
/// decoding gives one (n-best); `None` for an input without words.
pub type Outputs = Option<Vec<(String, Option<f64>)>>;

/// An input that could not be decoded: its position (from 0) and why;
/// no position when the model failed on a whole batch.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// Which input.
    pub index: Option<usize>,
    /// Why.
    pub error: DecodeError,
}

/// Decodes each input (a sentence, a document or a conversation) as
/// `decoding` says. An input without words gives `None`; every input is
/// checked before any is decoded; greedy and beam search run in batches of
/// about 64 decoder rows. Sentence-final marks the source vocabulary lacks
/// are set aside before decoding and put back on each output
/// ([`Translator::set_aside_final_marks`]; [`input_marks`] says so). An
/// output without words is an empty string; in
/// an n-best list the outputs with words come first, best first, and an
/// empty one (the model wrote `</s>` first) last, whatever its score
/// (`tests/cli/outputs.rs::an_empty_output_is_never_printed_or_drawn_as_one`).
///
/// # Errors
/// The first input that cannot be decoded (unknown words refused, too
/// long, non-finite scores), with its position.
pub fn decode_inputs(
    t: &Translator,
    inputs: &[String],
    decoding: &Decoding,
    unknown: UnknownWords,
) -> Result<Vec<Outputs>, InputError> {
    let at = |index: Option<usize>| move |error: DecodeError| InputError { index, error };
    let set_aside: Vec<(String, Vec<String>)> =
        inputs.iter().map(|i| t.set_aside_final_marks(i)).collect();
    let texts: Vec<String> = set_aside.iter().map(|(text, _)| text.clone()).collect();
    let mut sources = vec![];
    for (i, input) in texts.iter().enumerate() {
        // A line without words (blank, or only invisible characters) has no output.
        if !crate::text::visible(input) {
            sources.push(None);
            continue;
        }
        sources.push(Some(t.prepare(input, unknown).map_err(at(Some(i)))?.1));
    }
    let mut all = match decoding {
        Decoding::Search { beam } => {
            let real: Vec<Vec<usize>> = sources.iter().flatten().cloned().collect();
            let mut outputs = t
                .decode_all(&real, *beam, 64)
                .map_err(at(None))?
                .into_iter();
            sources
                .iter()
                .map(|s| {
                    s.as_ref()
                        .map(|_| vec![(outputs.next().unwrap_or_default(), None)])
                })
                .collect()
        }
        Decoding::NBest { beam, n } => each_input(&texts, &sources, |input| {
            let best = t.n_best_text(input, *beam, *n, unknown)?;
            // Outputs with words first: an empty one is never shown as the best.
            let (words, empty): (Vec<_>, Vec<_>) =
                best.into_iter().partition(|(text, _)| !text.is_empty());
            let listed = words.into_iter().chain(empty);
            Ok(listed.map(|(text, s)| (text, Some(s))).collect())
        })?,
        Decoding::Sample { sampling, seed } => {
            let mut draws = rng(*seed);
            each_input(&texts, &sources, |input| {
                let out = t.sample_text(input, sampling, &mut draws, unknown)?;
                Ok(vec![(out.text, None)])
            })?
        }
    };
    for (outputs, (_, marks)) in all.iter_mut().zip(&set_aside) {
        for (text, _) in outputs.iter_mut().flatten() {
            *text = t.put_back_final_marks(text, marks);
        }
    }
    Ok(all)
}

/// What to tell about each input before trusting its output
/// ([`Translator::marks`]): final marks set aside, rare words, the first
/// word trigram no training source held; nothing for an input without words.
pub fn input_marks(t: &Translator, inputs: &[String]) -> Vec<Vec<Mark>> {
    inputs
        .iter()
        .map(|i| match crate::text::visible(i) {
            true => t.marks(i),
            false => vec![],
        })
        .collect()
}

/// `decode` on each input that has words, in order.
fn each_input(
    inputs: &[String],
    sources: &[Option<Vec<usize>>],
    mut decode: impl FnMut(&str) -> Result<Vec<(String, Option<f64>)>, DecodeError>,
) -> Result<Vec<Outputs>, InputError> {
    let mut all = vec![];
    for (index, (input, source)) in inputs.iter().zip(sources).enumerate() {
        all.push(match source {
            None => None,
            Some(_) => Some(decode(input).map_err(|error| InputError {
                index: Some(index),
                error,
            })?),
        });
    }
    Ok(all)
}

/// Loads the translator of a checkpoint trained for `task`; `command` names
/// the command asking, for the error.
///
/// # Errors
/// An unreadable checkpoint, or one trained for another task.
pub fn load_for_task(
    path: &Path,
    task: Task,
    command: &str,
) -> Result<Translator, Box<dyn std::error::Error>> {
    let t = Checkpoint::load(path)?.translator;
    if t.task != task {
        return Err(format!("{} holds a {} model; `encdec {command}` needs a {task} model (train one with --task {task})", path.display(), t.task).into());
    }
    Ok(t)
}
