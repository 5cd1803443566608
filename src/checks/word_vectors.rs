//! The word-vector losses as tape operations with their hand-derived
//! backward passes, so that the gradient checker can test those gradients
//! (`encdec gradcheck` and `tests/text/wordvec.rs`).

use crate::autograd::{CustomOp, GradcheckConfig, GradcheckReport, Mode, Var, gradcheck};
use crate::tensor::{Float, Tensor, rng};
use crate::wordvec::{glove_grads, glove_term, negative_sampling_grads, negative_sampling_loss};
use std::rc::Rc;

fn rows(t: &Tensor) -> Vec<&[Float]> {
    let d = t.shape()[t.ndim() - 1];
    t.data().chunks(d).collect()
}

/// Inputs `[inputs [C, d], u_o [d], u_neg [k, d]]`; the input vector is the
/// mean of the `C` rows (C = 1: skip-gram's centre word; C > 1: CBOW).
struct NegativeSampling;

impl CustomOp for NegativeSampling {
    fn name(&self) -> &str {
        "negative_sampling"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        let h = x[0].mean_rows();
        Tensor::scalar(negative_sampling_loss(&h, x[1].data(), &rows(x[2])))
    }
    fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        let h = x[0].mean_rows();
        let grads = negative_sampling_grads(&h, x[1].data(), &rows(x[2]));
        let c = x[0].shape()[0] as Float;
        let scale = g.item();
        // h is the mean of the rows: each row receives dL/dh / C.
        let d_inputs: Vec<Float> = (0..x[0].shape()[0])
            .flat_map(|_| grads.input.iter().map(|v| scale * v / c))
            .collect();
        let d_neg: Vec<Float> = grads
            .negatives
            .iter()
            .flatten()
            .map(|v| scale * v)
            .collect();
        vec![
            Tensor::from_vec(d_inputs, x[0].shape()),
            Tensor::from_vec(
                grads.positive.iter().map(|v| scale * v).collect(),
                x[1].shape(),
            ),
            Tensor::from_vec(d_neg, x[2].shape()),
        ]
    }
}

/// Inputs `[w_i [d], w~_j [d], b_i [], b~_j []]` for a fixed count and weight.
struct GloveTerm {
    x: Float,
    f: Float,
}

impl CustomOp for GloveTerm {
    fn name(&self) -> &str {
        "glove_term"
    }
    fn forward(&self, x: &[&Tensor]) -> Tensor {
        Tensor::scalar(glove_term(
            x[0].data(),
            x[1].data(),
            x[2].item(),
            x[3].item(),
            self.x,
            self.f,
        ))
    }
    fn backward(&self, x: &[&Tensor], _y: &Tensor, g: &Tensor) -> Vec<Tensor> {
        let gr = glove_grads(
            x[0].data(),
            x[1].data(),
            x[2].item(),
            x[3].item(),
            self.x,
            self.f,
        );
        let s = g.item();
        vec![
            Tensor::from_vec(gr.w.iter().map(|v| s * v).collect(), x[0].shape()),
            Tensor::from_vec(gr.w_tilde.iter().map(|v| s * v).collect(), x[1].shape()),
            Tensor::scalar(s * gr.bias),
            Tensor::scalar(s * gr.bias),
        ]
    }
}

impl Tensor {
    /// The mean of the rows of a `[n, d]` tensor, as a `Vec` of length `d`.
    fn mean_rows(&self) -> Vec<Float> {
        self.sum_axis(0, false)
            .map(|v| v / self.shape()[0] as Float)
            .into_data()
    }
}

fn full() -> GradcheckConfig {
    GradcheckConfig {
        mode: Mode::Full,
        ..GradcheckConfig::default()
    }
}

/// Checks the skip-gram (`context == 1`) or CBOW (`context > 1`) gradients
/// against finite differences on random vectors of size 6 with 4 negatives.
pub fn check_negative_sampling(context: usize, seed: u64) -> GradcheckReport {
    let mut r = rng(seed);
    let inputs = [
        Tensor::randn(&[context, 6], 0.0, 0.5, &mut r),
        Tensor::randn(&[6], 0.0, 0.5, &mut r),
        Tensor::randn(&[4, 6], 0.0, 0.5, &mut r),
    ];
    gradcheck(
        |_, v| Var::custom(Rc::new(NegativeSampling), v),
        &inputs,
        &full(),
    )
}

/// Checks the GloVe gradients against finite differences for a count `x`
/// below and above $x_{max}$.
pub fn check_glove(seed: u64) -> GradcheckReport {
    let mut r = rng(seed);
    let inputs = [
        Tensor::randn(&[6], 0.0, 0.5, &mut r),
        Tensor::randn(&[6], 0.0, 0.5, &mut r),
        Tensor::scalar(0.3),
        Tensor::scalar(-0.2),
    ];
    let x = 2.5 + 50.0 * (seed % 3) as Float;
    let f = crate::wordvec::glove_weight(x, 100.0, 0.75);
    gradcheck(
        move |_, v| Var::custom(Rc::new(GloveTerm { x, f }), v),
        &inputs,
        &full(),
    )
}

/// The word-vector gradient checks of `encdec gradcheck`: (name, report).
pub fn word_vector_checks(seed: u64) -> Vec<(&'static str, GradcheckReport)> {
    vec![
        ("word2vec_skipgram", check_negative_sampling(1, seed)),
        ("word2vec_cbow", check_negative_sampling(4, seed)),
        ("glove", check_glove(seed)),
    ]
}
