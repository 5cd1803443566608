//! GloVe (Pennington et al., 2014): word vectors fitted to the logarithm of
//! a co-occurrence matrix by weighted least squares, with AdaGrad, on
//! hand-derived gradients (checked against finite differences in
//! `tests/text/wordvec.rs`).

use super::{CorpusVocab, WordVectors, check_table_size};
use crate::tensor::{Float, Rng, Tensor, rng};
use rand::RngExt;
use std::collections::HashMap;

/// Settings of [`train_glove`].
#[derive(Clone, Debug)]
pub struct GloveConfig {
    /// Vector size.
    pub dim: usize,
    /// Co-occurrence window on each side.
    pub window: usize,
    /// Passes over the non-zero entries.
    pub epochs: usize,
    /// AdaGrad's base learning rate.
    pub lr: Float,
    /// $x_{max}$ of the weighting function. The paper's 100 suits corpora of
    /// billions of words; the default, 10, suits the small corpora encdec
    /// trains on (the `glove` command and notebook 03_1 use it).
    pub x_max: Float,
    /// $\alpha$ of the weighting function.
    pub alpha: Float,
    /// Words seen fewer times are dropped.
    pub min_count: usize,
    /// Seed of the initial vectors and the order of the entries.
    pub seed: u64,
}

impl Default for GloveConfig {
    fn default() -> Self {
        GloveConfig {
            dim: 50,
            window: 5,
            epochs: 25,
            lr: 0.05,
            x_max: 10.0,
            alpha: 0.75,
            min_count: 1,
            seed: 0,
        }
    }
}

/// The co-occurrence counts $X_{ij}$: for every pair of words at distance
/// $d \le$ `window` in a sentence, both $X_{ij}$ and $X_{ji}$ grow by $1/d$
/// (a symmetric window weighted by inverse distance). Returns the non-zero
/// entries as `(i, j, X_ij)`, sorted.
///
/// Checked by `tests/text/wordvec.rs::cooccurrence_by_hand`.
pub fn cooccurrences(ids: &[Vec<usize>], window: usize) -> Vec<(usize, usize, Float)> {
    let mut x: HashMap<(usize, usize), Float> = HashMap::new();
    for sentence in ids {
        for (p, &i) in sentence.iter().enumerate() {
            for d in 1..=window {
                let Some(&j) = sentence.get(p + d) else { break };
                *x.entry((i, j)).or_insert(0.0) += 1.0 / d as Float;
                *x.entry((j, i)).or_insert(0.0) += 1.0 / d as Float;
            }
        }
    }
    let mut entries: Vec<(usize, usize, Float)> =
        x.into_iter().map(|((i, j), v)| (i, j, v)).collect();
    entries.sort_by_key(|e| (e.0, e.1));
    entries
}

/// GloVe's weighting of an entry: $f(x) = (x / x_{max})^\alpha$ below $x_{max}$,
/// 1 above, so rare pairs count less and frequent pairs do not dominate.
///
/// Checked by `tests/text/wordvec.rs::glove_weighting_by_hand`.
pub fn glove_weight(x: Float, x_max: Float, alpha: Float) -> Float {
    if x < x_max {
        (x / x_max).powf(alpha)
    } else {
        1.0
    }
}

/// Gradients of one GloVe term with respect to $w_i$, $\tilde w_j$, $b_i$, $\tilde b_j$.
#[derive(Clone, Debug, PartialEq)]
pub struct GloveGrads {
    /// $\partial J/\partial w_i$.
    pub w: Vec<Float>,
    /// $\partial J/\partial \tilde w_j$.
    pub w_tilde: Vec<Float>,
    /// $\partial J/\partial b_i$ (equal to $\partial J/\partial \tilde b_j$).
    pub bias: Float,
}

/// One term of the GloVe objective
///
/// $$ J = \sum_{i,j} f(X_{ij}) \big(w_i^\top \tilde w_j + b_i + \tilde b_j - \log X_{ij}\big)^2 $$
///
/// for a given weight $f = f(X_{ij})$ and count $X_{ij}$.
///
/// Checked by `tests/text/wordvec.rs::glove_gradcheck`.
pub fn glove_term(
    w: &[Float],
    w_tilde: &[Float],
    b: Float,
    b_tilde: Float,
    x: Float,
    f: Float,
) -> Float {
    let e: Float = w.iter().zip(w_tilde).map(|(a, c)| a * c).sum::<Float>() + b + b_tilde - x.ln();
    f * e * e
}

/// The gradients of [`glove_term`]: with $e = w_i^\top \tilde w_j + b_i + \tilde b_j - \log X_{ij}$,
///
/// $$ \frac{\partial J}{\partial w_i} = 2 f e \tilde w_j, \qquad
///    \frac{\partial J}{\partial \tilde w_j} = 2 f e w_i, \qquad
///    \frac{\partial J}{\partial b_i} = \frac{\partial J}{\partial \tilde b_j} = 2 f e $$
///
/// Checked by `tests/text/wordvec.rs::glove_gradcheck`.
pub fn glove_grads(
    w: &[Float],
    w_tilde: &[Float],
    b: Float,
    b_tilde: Float,
    x: Float,
    f: Float,
) -> GloveGrads {
    let e: Float = w.iter().zip(w_tilde).map(|(a, c)| a * c).sum::<Float>() + b + b_tilde - x.ln();
    let g = 2.0 * f * e;
    GloveGrads {
        w: w_tilde.iter().map(|v| g * v).collect(),
        w_tilde: w.iter().map(|v| g * v).collect(),
        bias: g,
    }
}

/// An AdaGrad step: $G \mathrel{+}= g^2$, $\theta \mathrel{-}= \eta g / \sqrt{G}$
/// (each coordinate gets its own, shrinking step size; $G$ starts at 1 as in GloVe).
fn adagrad(theta: &mut [Float], sum_sq: &mut [Float], g: &[Float], lr: Float) {
    for ((t, s), gi) in theta.iter_mut().zip(sum_sq.iter_mut()).zip(g) {
        *s += gi * gi;
        *t -= lr * gi / s.sqrt();
    }
}

/// Trains GloVe on tokenized sentences. Returns the vectors $w + \tilde w$ and
/// the objective $J$ (mean per entry) of each epoch.
///
/// # Errors
/// If no word occurs at least `min_count` times, no pair co-occurs, or a size is 0.
pub fn train_glove(
    sentences: &[Vec<String>],
    config: &GloveConfig,
) -> Result<(WordVectors, Vec<Float>), String> {
    if config.dim == 0 || config.window == 0 || config.epochs == 0 {
        return Err("glove: dim, window and epochs must be at least 1".into());
    }
    let vocab = CorpusVocab::build(sentences, config.min_count)?;
    // w and w~, AdaGrad's sums for each, and their sum at the end.
    check_table_size(
        "glove",
        (vocab.len(), config.dim, 5),
        "lower --dim or use a smaller corpus",
    )?;
    let ids: Vec<Vec<usize>> = sentences
        .iter()
        .map(|s| s.iter().filter_map(|w| vocab.get(w)).collect())
        .collect();
    let mut entries = cooccurrences(&ids, config.window);
    if entries.is_empty() {
        return Err(
            "glove: no two words co-occur; the corpus needs sentences of at least two words".into(),
        );
    }
    let (v, d) = (vocab.len(), config.dim);
    let mut r = rng(config.seed);
    let mut p = GloveParams::new(v, d, &mut r);
    let mut losses = vec![];
    for _ in 0..config.epochs {
        for k in (1..entries.len()).rev() {
            entries.swap(k, r.random_range(0..=k));
        }
        let mut total = 0.0;
        for &(i, j, x) in &entries {
            let f = glove_weight(x, config.x_max, config.alpha);
            total += p.step((i, j, x), f, config.lr);
        }
        losses.push(total / entries.len() as Float);
    }
    // The final vectors are w + w~, as in the paper.
    let sum: Vec<Float> = p.w.iter().zip(&p.wt).map(|(a, c)| a + c).collect();
    Ok((
        WordVectors::new(vocab.words, Tensor::from_vec(sum, &[v, d]))?,
        losses,
    ))
}

/// GloVe's parameters — word vectors $w$, context vectors $\tilde w$ and
/// their biases, each `[vocab, dim]` or `[vocab]` — and AdaGrad's sums of
/// squared gradients for each, starting at 1.
struct GloveParams {
    d: usize,
    w: Vec<Float>,
    wt: Vec<Float>,
    b: Vec<Float>,
    bt: Vec<Float>,
    sum_w: Vec<Float>,
    sum_wt: Vec<Float>,
    sum_b: Vec<Float>,
    sum_bt: Vec<Float>,
}

impl GloveParams {
    /// Vectors uniform in $\pm 0.5/d$ ($w$ drawn first), biases 0.
    fn new(v: usize, d: usize, r: &mut Rng) -> GloveParams {
        let mut init =
            || Tensor::rand_uniform(&[v * d], -0.5 / d as Float, 0.5 / d as Float, r).into_data();
        let (w, wt) = (init(), init());
        GloveParams {
            d,
            w,
            wt,
            b: vec![0.0; v],
            bt: vec![0.0; v],
            sum_w: vec![1.0; v * d],
            sum_wt: vec![1.0; v * d],
            sum_b: vec![1.0; v],
            sum_bt: vec![1.0; v],
        }
    }

    /// One AdaGrad step on the term of pair $(i, j)$ with count $x$ and
    /// weight $f$; returns the term before the step.
    fn step(&mut self, (i, j, x): (usize, usize, Float), f: Float, lr: Float) -> Float {
        let d = self.d;
        let (wi, wj) = (&self.w[i * d..(i + 1) * d], &self.wt[j * d..(j + 1) * d]);
        let term = glove_term(wi, wj, self.b[i], self.bt[j], x, f);
        let g = glove_grads(wi, wj, self.b[i], self.bt[j], x, f);
        let (rows_i, rows_j) = (i * d..(i + 1) * d, j * d..(j + 1) * d);
        adagrad(
            &mut self.w[rows_i.clone()],
            &mut self.sum_w[rows_i],
            &g.w,
            lr,
        );
        adagrad(
            &mut self.wt[rows_j.clone()],
            &mut self.sum_wt[rows_j],
            &g.w_tilde,
            lr,
        );
        let (b, sum_b) = (&mut self.b[i..=i], &mut self.sum_b[i..=i]);
        adagrad(b, sum_b, &[g.bias], lr);
        let (bt, sum_bt) = (&mut self.bt[j..=j], &mut self.sum_bt[j..=j]);
        adagrad(bt, sum_bt, &[g.bias], lr);
        term
    }
}
