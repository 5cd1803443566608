//! One SGD step of Word2Vec with negative sampling, written twice: composed
//! from the reference functions [`negative_sampling_loss`] and
//! [`negative_sampling_grads`], as the formulas read, and fused into one pass
//! that allocates nothing, which the trainer uses. Both do the same
//! floating-point operations in the same order, so they agree to the last bit
//! (`tests/text/wordvec.rs::fused_step_equals_the_composed_step`).
//! [`Scratch::train_kept`] runs the fused step over one sentence's centres.

use super::noise::NoiseTable;
use super::word2vec::{
    Word2VecConfig, Word2VecMode, dot, negative_sampling_grads, negative_sampling_loss,
};
use crate::tensor::{Float, Rng};
use rand::RngExt;

/// The two vectors of every word: input vectors $v_w$ in `w` and output
/// vectors $u_w$ in `u`, `[vocab, dim]` each, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Word2VecTables {
    /// Input vectors, one row per word (the vectors Word2Vec hands out).
    pub w: Vec<Float>,
    /// Output vectors, one row per word.
    pub u: Vec<Float>,
    /// The vector size.
    pub dim: usize,
}

/// Scratch space of [`Word2VecTables::step`], reused from step to step.
pub struct StepBuffers {
    h: Vec<Float>,
    grad_h: Vec<Float>,
    /// $\sigma(u_o^\top h) - 1$, then $\sigma(u_j^\top h)$ for each negative.
    g: Vec<Float>,
    /// $\log \sigma(-u_j^\top h)$ for each negative.
    log_noise: Vec<Float>,
}

impl StepBuffers {
    /// Buffers for vectors of size `dim`.
    pub fn new(dim: usize) -> StepBuffers {
        StepBuffers {
            h: vec![0.0; dim],
            grad_h: vec![0.0; dim],
            g: vec![],
            log_noise: vec![],
        }
    }
}

fn row(t: &[Float], i: usize, d: usize) -> &[Float] {
    &t[i * d..(i + 1) * d]
}

/// $x \leftarrow x - \text{scale} \cdot g$, elementwise.
fn sub_scaled(x: &mut [Float], scale: Float, g: &[Float]) {
    x.iter_mut().zip(g).for_each(|(x, g)| *x -= scale * g);
}

/// $\sigma(x)$ and $\sigma(-x)$ from one exponential, each computed exactly
/// as `autograd::sigmoid` computes it (checked by
/// `tests/text/wordvec.rs::fused_step_equals_the_composed_step`).
fn sigmoid_pair(x: Float) -> (Float, Float) {
    if x >= 0.0 {
        let e = (-x).exp();
        (1.0 / (1.0 + e), e / (1.0 + e))
    } else {
        let e = x.exp();
        (e / (1.0 + e), 1.0 / (1.0 + e))
    }
}

impl Word2VecTables {
    /// The mean of the input vectors of `inputs`, $h = \frac{1}{C}\sum_i v_i$, into `h`.
    fn mean_input(&self, inputs: &[usize], h: &mut [Float]) {
        let n = inputs.len() as Float;
        h.fill(0.0);
        for &i in inputs {
            h.iter_mut()
                .zip(row(&self.w, i, self.dim))
                .for_each(|(a, b)| *a += b / n);
        }
    }

    /// One SGD step, composed from the reference functions: the input vector
    /// $h$ is the mean of the input vectors of `inputs` (one word for
    /// skip-gram, the context for CBOW), `o` the true word, `noise` the
    /// negatives. Every gradient is taken at the vectors as they were before
    /// the step. Returns the loss. It allocates a handful of vectors per call;
    /// [`Word2VecTables::step`] does the same without.
    pub fn step_composed(
        &mut self,
        inputs: &[usize],
        o: usize,
        noise: &[usize],
        lr: Float,
    ) -> Float {
        let d = self.dim;
        let mut h = vec![0.0; d];
        self.mean_input(inputs, &mut h);
        let u_neg: Vec<&[Float]> = noise.iter().map(|&j| row(&self.u, j, d)).collect();
        let u_o = row(&self.u, o, d);
        let loss = negative_sampling_loss(&h, u_o, &u_neg);
        let g = negative_sampling_grads(&h, u_o, &u_neg);
        sub_scaled(&mut self.u[o * d..(o + 1) * d], lr, &g.positive);
        for (&j, gj) in noise.iter().zip(&g.negatives) {
            sub_scaled(&mut self.u[j * d..(j + 1) * d], lr, gj);
        }
        // h is the mean of the inputs: each receives 1/C of dL/dh.
        let scale = lr / inputs.len() as Float;
        for &i in inputs {
            sub_scaled(&mut self.w[i * d..(i + 1) * d], scale, &g.input);
        }
        loss
    }

    /// The same step as [`Word2VecTables::step_composed`], fused: one dot
    /// product and one exponential per output word (the loss and the
    /// gradient share them), no allocation. The updates, with learning rate
    /// $\eta$ and $C$ = `inputs.len()`:
    ///
    /// $$ u_o \leftarrow u_o - \eta (\sigma(u_o^\top h) - 1) h,\quad
    ///    u_j \leftarrow u_j - \eta \sigma(u_j^\top h) h,\quad
    ///    v_i \leftarrow v_i - \frac{\eta}{C} \frac{\partial L}{\partial h} $$
    ///
    /// Checked by `tests/text/wordvec.rs::fused_step_equals_the_composed_step`.
    pub fn step(
        &mut self,
        inputs: &[usize],
        o: usize,
        noise: &[usize],
        lr: Float,
        b: &mut StepBuffers,
    ) -> Float {
        let d = self.dim;
        self.mean_input(inputs, &mut b.h);
        b.g.clear();
        b.log_noise.clear();
        // Forward, and dL/dh, all from the output vectors as they are before
        // this step (a word drawn twice is updated twice, by the same amount).
        let u_o = row(&self.u, o, d);
        let (s, _) = sigmoid_pair(dot(u_o, &b.h));
        let positive = -s.ln();
        b.g.push(s - 1.0);
        b.grad_h
            .iter_mut()
            .zip(u_o)
            .for_each(|(gh, u)| *gh = (s - 1.0) * u);
        for &j in noise {
            let u_j = row(&self.u, j, d);
            let (s, s_neg) = sigmoid_pair(dot(u_j, &b.h));
            b.log_noise.push(s_neg.ln());
            b.g.push(s);
            b.grad_h
                .iter_mut()
                .zip(u_j)
                .for_each(|(gh, u)| *gh += s * u);
        }
        let loss = positive - b.log_noise.iter().sum::<Float>();
        // The updates: dL/du = g h for the true word and each negative.
        for (&j, &g) in std::iter::once(&o).chain(noise).zip(&b.g) {
            self.u[j * d..(j + 1) * d]
                .iter_mut()
                .zip(&b.h)
                .for_each(|(u, h)| *u -= lr * (g * h));
        }
        let scale = lr / inputs.len() as Float;
        for &i in inputs {
            sub_scaled(&mut self.w[i * d..(i + 1) * d], scale, &b.grad_h);
        }
        loss
    }
}

/// Buffers reused by every sentence and step: the words a sentence keeps
/// after subsampling, one centre's context and negatives, and the step's.
pub(super) struct Scratch {
    pub(super) kept: Vec<usize>,
    context: Vec<usize>,
    negatives: Vec<usize>,
    buffers: StepBuffers,
}

impl Scratch {
    pub(super) fn new(d: usize) -> Scratch {
        Scratch {
            kept: vec![],
            context: vec![],
            negatives: vec![],
            buffers: StepBuffers::new(d),
        }
    }

    /// Trains on every centre of `self.kept` with a window of random width
    /// $b \in [1, \text{window}]$; returns the summed loss and the number
    /// of steps taken.
    pub(super) fn train_kept(
        &mut self,
        tables: &mut Word2VecTables,
        (noise, r): (&NoiseTable, &mut Rng),
        config: &Word2VecConfig,
        lr: Float,
    ) -> (Float, usize) {
        let (mut loss, mut pairs) = (0.0, 0usize);
        let kept = &self.kept;
        for (pos, &centre) in kept.iter().enumerate() {
            let b = r.random_range(1..=config.window);
            self.context.clear();
            self.context.extend(
                (pos.saturating_sub(b)..(pos + b + 1).min(kept.len()))
                    .filter(|&p| p != pos)
                    .map(|p| kept[p]),
            );
            if self.context.is_empty() {
                continue;
            }
            let mut draw = |negatives: &mut Vec<usize>| {
                negatives.clear();
                negatives.extend((0..config.negatives).map(|_| noise.sample(r)));
            };
            let (negatives, buffers) = (&mut self.negatives, &mut self.buffers);
            match config.mode {
                Word2VecMode::SkipGram => {
                    for &c in &self.context {
                        draw(negatives);
                        loss += tables.step(&[centre], c, negatives, lr, buffers);
                        pairs += 1;
                    }
                }
                Word2VecMode::Cbow => {
                    draw(negatives);
                    loss += tables.step(&self.context, centre, negatives, lr, buffers);
                    pairs += 1;
                }
            }
        }
        (loss, pairs)
    }
}
