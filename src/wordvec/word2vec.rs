//! Word2Vec (Mikolov et al., 2013): skip-gram and CBOW with negative
//! sampling, trained by SGD with a linearly decaying learning rate, on
//! hand-derived gradients (each checked against finite differences in
//! `tests/text/wordvec.rs`). The SGD step itself, composed and fused, is in
//! `step.rs`; the noise distribution in `noise.rs`.

use super::noise::NoiseTable;
use super::step::{Scratch, Word2VecTables};
use super::{CorpusVocab, WordVectors, check_table_size};
use crate::autograd::sigmoid;
use crate::tensor::{Float, Tensor, rng};
use rand::RngExt;

/// Skip-gram predicts each context word from the centre word; CBOW predicts
/// the centre word from the mean of its context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word2VecMode {
    /// Centre → context.
    SkipGram,
    /// Context → centre.
    Cbow,
}

/// Settings of [`train_word2vec`].
#[derive(Clone, Debug)]
pub struct Word2VecConfig {
    /// Skip-gram or CBOW.
    pub mode: Word2VecMode,
    /// Vector size.
    pub dim: usize,
    /// Largest distance between centre and context (each position draws its own window 1..=window).
    pub window: usize,
    /// Negative samples per positive pair, $k$.
    pub negatives: usize,
    /// Passes over the corpus.
    pub epochs: usize,
    /// Initial learning rate $\eta_0$, decayed linearly to $10^{-4}\eta_0$.
    pub lr: Float,
    /// Words seen fewer times are dropped.
    pub min_count: usize,
    /// Subsampling threshold $t$.
    pub subsample: Float,
    /// Seed of the initial vectors, the windows, subsampling and negatives.
    pub seed: u64,
}

impl Word2VecConfig {
    /// The defaults for `mode`: as word2vec's own, the learning rate starts
    /// at 0.025 for skip-gram and at 0.05 for CBOW (whose update averages
    /// the context). `encdec word2vec` uses these.
    pub fn new(mode: Word2VecMode) -> Word2VecConfig {
        Word2VecConfig {
            mode,
            lr: match mode {
                Word2VecMode::SkipGram => 0.025,
                Word2VecMode::Cbow => 0.05,
            },
            ..Word2VecConfig::default()
        }
    }
}

impl Default for Word2VecConfig {
    /// Skip-gram's defaults ([`Word2VecConfig::new`]).
    fn default() -> Self {
        Word2VecConfig {
            mode: Word2VecMode::SkipGram,
            dim: 50,
            window: 4,
            negatives: 5,
            epochs: 5,
            lr: 0.025,
            min_count: 1,
            subsample: 1e-3,
            seed: 0,
        }
    }
}

/// Probability of keeping one occurrence of a word of relative frequency
/// $f = \mathrm{count}/N$ when subsampling frequent words (word2vec's rule):
///
/// $$ P_{keep}(w) = \min\Big(1,\ \sqrt{t / f} + t / f\Big) $$
///
/// Frequent words ("the", "a") are dropped often, rare ones never. A
/// threshold $t = 0$ switches subsampling off (every word is kept), as in
/// word2vec and gensim.
///
/// Checked by `tests/text/wordvec.rs::subsampling_and_noise_by_hand` and
/// `a_subsampling_threshold_of_zero_keeps_every_word`.
pub fn keep_probability(count: usize, total: usize, t: Float) -> Float {
    let f = count as Float / total.max(1) as Float;
    if f == 0.0 || t <= 0.0 {
        return 1.0;
    }
    ((t / f).sqrt() + t / f).min(1.0)
}

/// $a^\top b$, summed from the first entry to the last.
pub(super) fn dot(a: &[Float], b: &[Float]) -> Float {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Gradients of a negative-sampling loss: for the input vector, the positive
/// output vector, and each negative output vector.
#[derive(Clone, Debug, PartialEq)]
pub struct NegativeSamplingGrads {
    /// $\partial L / \partial h$ (the centre vector, or the context mean for CBOW).
    pub input: Vec<Float>,
    /// $\partial L / \partial u_o$.
    pub positive: Vec<Float>,
    /// $\partial L / \partial u_k$, one per negative.
    pub negatives: Vec<Vec<Float>>,
}

/// The negative-sampling loss of one positive pair (input vector $h$, output
/// vector $u_o$ of the true word) and $k$ noise words $u_1..u_k$:
///
/// $$ L = -\log \sigma(u_o^\top h) - \sum_{j=1}^{k} \log \sigma(-u_j^\top h) $$
///
/// For skip-gram $h = v_c$, the centre word's input vector; for CBOW $h$ is
/// the mean of the context words' input vectors.
///
/// Checked by `tests/text/wordvec.rs::negative_sampling_gradcheck`.
pub fn negative_sampling_loss(h: &[Float], u_o: &[Float], u_neg: &[&[Float]]) -> Float {
    let positive = -sigmoid(dot(u_o, h)).ln();
    positive
        - u_neg
            .iter()
            .map(|u| sigmoid(-dot(u, h)).ln())
            .sum::<Float>()
}

/// The gradients of [`negative_sampling_loss`]:
///
/// $$ \frac{\partial L}{\partial h} = (\sigma(u_o^\top h) - 1) u_o + \sum_j \sigma(u_j^\top h) u_j,\quad
///    \frac{\partial L}{\partial u_o} = (\sigma(u_o^\top h) - 1) h,\quad
///    \frac{\partial L}{\partial u_j} = \sigma(u_j^\top h) h $$
///
/// Checked by `tests/text/wordvec.rs::negative_sampling_gradcheck`.
pub fn negative_sampling_grads(
    h: &[Float],
    u_o: &[Float],
    u_neg: &[&[Float]],
) -> NegativeSamplingGrads {
    let g_pos = sigmoid(dot(u_o, h)) - 1.0;
    let mut input: Vec<Float> = u_o.iter().map(|u| g_pos * u).collect();
    let mut negatives = vec![];
    for u in u_neg {
        let g = sigmoid(dot(u, h));
        input
            .iter_mut()
            .zip(u.iter())
            .for_each(|(d, ui)| *d += g * ui);
        negatives.push(h.iter().map(|x| g * x).collect());
    }
    NegativeSamplingGrads {
        input,
        positive: h.iter().map(|x| g_pos * x).collect(),
        negatives,
    }
}

/// The errors of a config that [`train_word2vec`] refuses before reading any text.
fn check(config: &Word2VecConfig) -> Result<(), String> {
    if config.dim == 0 || config.window == 0 || config.epochs == 0 {
        return Err("word2vec: dim, window and epochs must be at least 1".into());
    }
    if !(config.lr.is_finite() && config.lr > 0.0) {
        return Err(format!(
            "word2vec: the learning rate (--lr) must be a positive number, not {}",
            config.lr
        ));
    }
    if !(config.subsample.is_finite() && config.subsample >= 0.0) {
        return Err(format!(
            "word2vec: the subsampling threshold (--subsample) must be a finite number at least 0, not {}",
            config.subsample
        ));
    }
    Ok(())
}

/// Trains Word2Vec on tokenized sentences. Returns the input vectors and the
/// mean loss per positive pair of each epoch.
///
/// Sentence by sentence, each word is kept with its [`keep_probability`];
/// each kept word then draws its window $b$ from 1 to `window` and is
/// trained against the kept words within $b$ positions, with `negatives`
/// noise words from [`NoiseTable`] per positive pair, by
/// [`Word2VecTables::step`] (the fused form of the reference functions). The
/// learning rate falls linearly with the words seen, once per sentence, to
/// $10^{-4}$ of its start. All the randomness comes from one generator
/// seeded with `seed`, drawn in a fixed order, so a seed gives the same
/// vectors to the last bit.
///
/// # Errors
/// If no word occurs at least `min_count` times, a size is 0, the learning
/// rate is not a positive number or the subsampling threshold not a finite
/// one at least 0, or an epoch has no (centre, context) pair to train on.
pub fn train_word2vec(
    sentences: &[Vec<String>],
    config: &Word2VecConfig,
) -> Result<(WordVectors, Vec<Float>), String> {
    check(config)?;
    let vocab = CorpusVocab::build(sentences, config.min_count)?;
    let (v, d) = (vocab.len(), config.dim);
    // Two tables, w and u; plain SGD carries no state.
    check_table_size(
        "word2vec",
        (v, d, 2),
        "lower --dim, raise --min-count or use a smaller corpus",
    )?;
    let mut r = rng(config.seed);
    let mut tables = Word2VecTables {
        w: Tensor::rand_uniform(&[v * d], -0.5 / d as Float, 0.5 / d as Float, &mut r).into_data(),
        u: vec![0.0; v * d],
        dim: d,
    };
    let noise = NoiseTable::new(&vocab.counts);
    let ids: Vec<Vec<usize>> = sentences
        .iter()
        .map(|s| s.iter().filter_map(|w| vocab.get(w)).collect())
        .collect();
    let total: usize = vocab.counts.iter().sum();
    let keep: Vec<Float> = (vocab.counts.iter())
        .map(|&c| keep_probability(c, total, config.subsample))
        .collect();
    let steps = (config.epochs * total).max(1) as Float;
    let mut seen = 0usize;
    let mut losses = vec![];
    let mut scratch = Scratch::new(d);
    for _ in 0..config.epochs {
        let (mut loss, mut pairs) = (0.0, 0usize);
        for sentence in &ids {
            seen += sentence.len();
            let lr = config.lr * (1.0 - seen as Float / steps).max(1e-4);
            scratch.kept.clear();
            (scratch.kept)
                .extend((sentence.iter().copied()).filter(|&w| r.random::<Float>() < keep[w]));
            let (l, p) = scratch.train_kept(&mut tables, (&noise, &mut r), config, lr);
            loss += l;
            pairs += p;
        }
        if pairs == 0 {
            return Err(format!(
                "word2vec: nothing to train on in epoch {}: no kept word has a neighbour within the window (too little text, or subsampling dropped it); give more text, or lower --subsample or --min-count",
                losses.len() + 1
            ));
        }
        losses.push(loss / pairs as Float);
    }
    let vectors = Tensor::from_vec(tables.w, &[v, d]);
    Ok((WordVectors::new(vocab.words, vectors)?, losses))
}
