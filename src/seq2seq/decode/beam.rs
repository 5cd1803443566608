//! Beam search (tutorial §3.2): keep the `width` most probable partial
//! sentences instead of one, for many sentences at once.

use super::beam_step::Beam;
use super::cached::{Stepper, Steps};
use super::greedy::{Hypothesis, attention_of};
use crate::nn::StepRows;
use crate::seq2seq::models::Seq2Seq;
use crate::tensor::Float;

/// The length-normalised score of beam search: $\log p / \lvert y\rvert^\alpha$.
/// With $\alpha = 0$ it is the plain log-probability, which favours short
/// sentences; $\alpha = 1$ is the mean log-probability per token.
///
/// Checked by `tests/seq2seq/decode.rs::length_normalisation_by_hand`.
pub fn normalised_score(log_prob: Float, len: usize, alpha: Float) -> Float {
    log_prob / (len.max(1) as Float).powf(alpha)
}

/// A prefix that beam search kept at one step.
#[derive(Clone, Debug, PartialEq)]
pub struct BeamEntry {
    /// The ids written so far (without `<s>`); the last one was added at this step.
    pub ids: Vec<usize>,
    /// Its total log-probability $\sum_t \log p(y_t \mid y_{<t}, x)$.
    pub log_prob: Float,
    /// Whether its last id is `</s>` (it leaves the beam).
    pub finished: bool,
}

/// What beam search did for one source: the `width` best extensions it
/// kept at each step (best first; an entry's parent is the entry of the
/// step before whose ids are its ids without the last), and its result.
#[derive(Clone, Debug, PartialEq)]
pub struct BeamTrace {
    /// `steps[t]`: the prefixes kept after writing `t + 1` ids.
    pub steps: Vec<Vec<BeamEntry>>,
    /// The sentence [`beam_search`] returns.
    pub best: Hypothesis,
}

/// Beam search for many sources at once: for each, keep the `width` best
/// prefixes by total log-probability; a prefix that emits `</s>` is
/// finished. A sentence stops when `width` of its sentences are finished or
/// no prefix is left; all stop at `max_len`. Returns, per source, the
/// finished sentence (a prefix cut at `max_len` counts) with the best
/// [`normalised_score`].
///
/// The sources are encoded once; each step decodes one row per live prefix
/// of every unfinished sentence (at most sentences × `width` rows). Each
/// result is the one the sentence would get alone (scores equal to
/// rounding). With `width == 1` it makes the choices of [`super::greedy`];
/// `max_len = 0` writes nothing; no sources give no hypotheses.
///
/// # Shapes
/// `sources`: each a sentence's ids without `</s>` → one [`Hypothesis`]
/// per source, in order.
///
/// # Panics
/// If `width` is 0.
pub fn beam_search_batch(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    width: usize,
    max_len: usize,
    alpha: Float,
) -> Vec<Hypothesis> {
    beam_search_batch_by(model, sources, width, max_len, alpha, Steps::Cached)
}

/// [`beam_search_batch`] with its steps run as `steps` says: the two agree
/// (`tests/seq2seq/kv_cache.rs::cached_decoding_equals_recomputing_the_prefix`).
///
/// # Panics
/// If `width` is 0.
pub fn beam_search_batch_by(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    width: usize,
    max_len: usize,
    alpha: Float,
    steps: Steps,
) -> Vec<Hypothesis> {
    run_beams(model, sources, (width, max_len, steps), Trace::Off)
        .into_iter()
        .map(|b| b.best(alpha))
        .collect()
}

/// [`beam_search`], keeping what the beam held at every step (for
/// `encdec explore`'s beam tree).
///
/// # Panics
/// If `width` is 0.
pub fn beam_search_traced(
    model: &dyn Seq2Seq,
    source: &[usize],
    width: usize,
    max_len: usize,
    alpha: Float,
) -> BeamTrace {
    let mut beam =
        run_beams(model, &[source], (width, max_len, Steps::Cached), Trace::On).remove(0);
    let steps = beam.trace.take().unwrap_or_default();
    BeamTrace {
        steps,
        best: beam.best(alpha),
    }
}

/// The `n` best sentences of beam search for one source, best first, each
/// with its [`normalised_score`]: the finished ones by score, then (if
/// fewer than `n` finished) the live prefixes by score. The first is
/// [`beam_search`]'s result
/// (`tests/seq2seq/decode/sampling.rs::n_best_starts_with_beam_search_and_falls`). Fewer
/// than `n` come back when the beam held fewer.
///
/// # Panics
/// If `width` is 0, or `n` is 0 or above `width` (the beam keeps at most
/// `width` sentences).
pub fn beam_search_n_best(
    model: &dyn Seq2Seq,
    source: &[usize],
    width: usize,
    n: usize,
    max_len: usize,
    alpha: Float,
) -> Vec<(Hypothesis, Float)> {
    assert!(
        n >= 1 && n <= width,
        "beam_search_n_best: n = {n} must be in 1..={width} (the beam width)"
    );
    run_beams(
        model,
        &[source],
        (width, max_len, Steps::Cached),
        Trace::Off,
    )
    .remove(0)
    .n_best(alpha, n)
}

/// Whether [`run_beams`] keeps what each beam kept at every step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trace {
    Off,
    On,
}

/// The loop of [`beam_search_batch`]: every source's beam when it stopped.
fn run_beams(
    model: &dyn Seq2Seq,
    sources: &[&[usize]],
    (width, max_len, steps): (usize, usize, Steps),
    trace: Trace,
) -> Vec<Beam> {
    assert!(width > 0, "beam_search: width must be at least 1");
    if sources.is_empty() {
        return vec![];
    }
    let mut stepper = Stepper::new(model, sources, steps);
    let mut beams: Vec<Beam> = (0..sources.len())
        .map(|_| Beam {
            live: vec![Hypothesis::start()],
            parents: vec![0],
            finished: vec![],
            trace: (trace == Trace::On).then(Vec::new),
        })
        .collect();
    // The decoder row of each beam's first live prefix at the last step.
    let mut first_row_of: Vec<usize> = (0..sources.len()).collect();
    for step in 0..max_len {
        let active: Vec<usize> = (0..beams.len())
            .filter(|&s| !beams[s].done(width))
            .collect();
        if active.is_empty() {
            break;
        }
        // One decoder row per live prefix, against its own source.
        let (mut prefixes, mut parents, mut source_of) = (vec![], vec![], vec![]);
        for &s in &active {
            prefixes.extend(beams[s].live.iter().map(Hypothesis::prefix));
            parents.extend(beams[s].parents.iter().map(|&h| first_row_of[s] + h));
            source_of.extend(std::iter::repeat_n(s, beams[s].live.len()));
        }
        let rows = StepRows {
            parents: &parents,
            sources: &source_of,
        };
        let (scores, attention) = stepper.next_scores(&prefixes, rows);
        let mut first_row = 0;
        for &s in &active {
            let rows = beams[s].live.len();
            let mine = &scores[first_row..first_row + rows];
            let src_len = stepper.src_len(s);
            let of_row = |h, len| attention_of(&attention, first_row + h, len, src_len);
            beams[s].advance(mine, width, step + 1 == max_len, of_row);
            first_row_of[s] = first_row;
            first_row += rows;
        }
    }
    beams
}

/// Beam search for one source: [`beam_search_batch`] of one sentence.
///
/// # Panics
/// If `width` is 0.
pub fn beam_search(
    model: &dyn Seq2Seq,
    source: &[usize],
    width: usize,
    max_len: usize,
    alpha: Float,
) -> Hypothesis {
    beam_search_batch(model, &[source], width, max_len, alpha).remove(0)
}
