//! The gated recurrent unit: not in the tutorial, but the usual companion
//! of the LSTM. Gate order and formulas as PyTorch's `nn.GRU`: r, z, n.

use super::Module;
use super::rnn::{RecurrentWeights, RnnOutput};
use super::sequence::{RecurrentOptions, check_input, mask_padding, unroll, zeros_state};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::Rng;

/// One GRU step (PyTorch's formulation, gates stacked r, z, n):
///
/// $$ r_t = \sigma(W_r x_t + b_{ir} + U_r h_{t-1} + b_{hr}) \quad \text{(reset gate)} $$
/// $$ z_t = \sigma(W_z x_t + b_{iz} + U_z h_{t-1} + b_{hz}) \quad \text{(update gate)} $$
/// $$ n_t = \tanh\big(W_n x_t + b_{in} + r_t \odot (U_n h_{t-1} + b_{hn})\big) \quad \text{(candidate)} $$
/// $$ h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1} $$
///
/// The two biases cannot be merged: $b_{hn}$ sits inside the reset gate's product.
///
/// # Backward
/// $\bar n_t = \bar h_t \odot (1 - z_t)$, $\bar z_t = \bar h_t \odot (h_{t-1} - n_t)$,
/// $\bar h_{t-1} \mathrel{+}= \bar h_t \odot z_t$; then through $\tanh$ and $\sigma$ as
/// in the LSTM, with $\bar r_t = \bar a_n \odot (U_n h_{t-1} + b_{hn})$.
///
/// # Shapes
/// `x_t`: `[batch, input]`, `h_prev`: `[batch, hidden]`, `w_ih`: `[3 hidden, input]`,
/// `w_hh`: `[3 hidden, hidden]`, `b_ih`, `b_hh`: `[3 hidden]` -> `[batch, hidden]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/nn/recurrent.rs::gru_step_by_hand`, `gru_steps_gradcheck`
/// and `tests/core/fused.rs::fused_gru_equals_the_composed_steps`, which ties it
/// to the fused layer that `tests/nn/parity.rs::gru_matches_pytorch` compares
/// with PyTorch.
pub fn gru_step<'t>(
    x_t: Var<'t>,
    h_prev: Var<'t>,
    w: (Var<'t>, Var<'t>),
    b: (Var<'t>, Var<'t>),
) -> Var<'t> {
    let hidden = h_prev.shape()[1];
    let gi = x_t.matmul_nt(w.0) + b.0; // [batch, 3 hidden]: input parts of r, z, n
    let gh = h_prev.matmul_nt(w.1) + b.1; // [batch, 3 hidden]: recurrent parts
    let part = |g: Var<'t>, k: usize| g.slice(1, k * hidden, (k + 1) * hidden);
    let r_t = (part(gi, 0) + part(gh, 0)).sigmoid();
    let z_t = (part(gi, 1) + part(gh, 1)).sigmoid();
    let n_t = (part(gi, 2) + r_t * part(gh, 2)).tanh();
    // h_t = (1 - z) n + z h_prev = n + z (h_prev - n)
    n_t + z_t * (h_prev - n_t)
}

/// A GRU over a sequence, PyTorch's `nn.GRU` (one layer, batch first).
#[derive(Clone, Debug)]
pub struct Gru {
    /// The weights of the gates r, z, n stacked (`3 hidden` rows).
    pub weights: RecurrentWeights,
}

impl Gru {
    /// A GRU `input -> hidden`, initialised as PyTorch's.
    pub fn new(prefix: &str, input: usize, hidden: usize, rng: &mut Rng) -> Gru {
        Gru {
            weights: RecurrentWeights::new(prefix, 3, input, hidden, rng),
        }
    }

    /// Runs over `x` from `h0` (zeros when `None`).
    ///
    /// The input projections of all steps are one product, and the steps
    /// themselves one fused node ([`Var::gru_sequence`]); the result equals
    /// [`Gru::forward_steps`], the step-by-step reference, to rounding
    /// (`tests/core/fused.rs::fused_gru_equals_the_composed_steps`).
    ///
    /// # Shapes
    /// `x`: `[batch, time, input]`, `h0`: `[batch, hidden]` -> [`RnnOutput`]
    ///
    /// # Panics
    /// If `x` is not `[batch, time, input]` or the lengths do not fit it.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        h0: Option<Var<'t>>,
        opts: RecurrentOptions,
    ) -> RnnOutput<'t> {
        let w = &self.weights;
        let (batch, time) = check_input("gru", &x.shape(), w.input(), opts.lengths);
        let hid = w.hidden();
        let h0 = h0.unwrap_or_else(|| zeros_state(x, batch, hid));
        if time == 0 {
            return RnnOutput {
                sequence: None,
                h: h0,
            };
        }
        // p = x W_ih^T + b_ih for every step at once: [batch, time, 3h].
        let p = w.project_inputs(tape, x, tape.param(&w.bias_ih));
        let (u, b_hh) = (tape.param(&w.weight_hh), tape.param(&w.bias_hh));
        let y = p.gru_sequence(h0, u, b_hh, opts.lengths);
        RnnOutput {
            sequence: opts.return_sequences.then(|| mask_padding(y, opts.lengths)),
            h: y.slice(1, time - 1, time).reshape(&[batch, hid]),
        }
    }

    /// The reference: [`gru_step`] at every time step, each gate and the
    /// state update a node of the tape. Same contract and, to rounding, same
    /// results as [`Gru::forward`].
    ///
    /// # Shapes
    /// As [`Gru::forward`].
    ///
    /// # Panics
    /// As [`Gru::forward`].
    pub fn forward_steps<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        h0: Option<Var<'t>>,
        opts: RecurrentOptions,
    ) -> RnnOutput<'t> {
        let p = &self.weights;
        let (batch, _) = check_input("gru", &x.shape(), p.input(), opts.lengths);
        let w = (tape.param(&p.weight_ih), tape.param(&p.weight_hh));
        let b = (tape.param(&p.bias_ih), tape.param(&p.bias_hh));
        let h0 = h0.unwrap_or_else(|| zeros_state(x, batch, p.hidden()));
        let (sequence, state) = unroll(x, vec![h0], opts, |x_t, s| vec![gru_step(x_t, s[0], w, b)]);
        RnnOutput {
            sequence,
            h: state[0],
        }
    }
}

impl Module for Gru {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.weights.params_mut()
    }
}
