//! The long short-term memory layer of tutorial §5.1 (Keras's `LSTM`).
//!
//! # Gate order and weight layout
//! The four gates are stacked in the order **i, f, g, o** (input, forget,
//! cell candidate, output) along the first axis of the weights, as in
//! PyTorch's `nn.LSTM` and Keras's `LSTM`:
//!
//! | encdec | PyTorch `nn.LSTM` | Keras `LSTM` |
//! |---|---|---|
//! | `weight_ih` `[4H, I]` | `weight_ih_l0` | `kernel` `[I, 4H]`, transposed |
//! | `weight_hh` `[4H, H]` | `weight_hh_l0` | `recurrent_kernel` `[H, 4H]`, transposed |
//! | `bias_ih + bias_hh` `[4H]` | `bias_ih_l0 + bias_hh_l0` | `bias` (one vector) |
//!
//! Keras's gate order (i, f, c, o) is the same with `c` for our `g`, so a
//! Keras model loads by transposing the two kernels and putting its bias in
//! `bias_ih` with `bias_hh = 0`; [`crate::seq2seq::keras`] does so for the
//! §5.1 model (`encdec import --keras`).

use super::Module;
use super::rnn::RecurrentWeights;
use super::sequence::{RecurrentOptions, check_input, mask_padding, unroll, zeros_state};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::Rng;

/// The LSTM cell-state update:
///
/// $$ c_t = f_t \odot c_{t-1} + i_t \odot g_t $$
///
/// the forget gate decides how much of the old memory to keep, the input
/// gate how much of the candidate $g_t$ to write.
///
/// # Backward
/// $\bar f_t = \bar c_t \odot c_{t-1}$, $\bar c_{t-1} = \bar c_t \odot f_t$,
/// $\bar i_t = \bar c_t \odot g_t$, $\bar g_t = \bar c_t \odot i_t$.
///
/// # Shapes
/// all `[batch, hidden]`
///
/// # Panics
/// If the shapes differ (`mul: shapes .. do not broadcast`).
///
/// Checked by `tests/nn/recurrent.rs::lstm_step_by_hand` and `lstm_steps_gradcheck`.
pub fn lstm_cell_state<'t>(f_t: Var<'t>, c_prev: Var<'t>, i_t: Var<'t>, g_t: Var<'t>) -> Var<'t> {
    f_t * c_prev + i_t * g_t
}

/// The LSTM hidden state, what the layer outputs:
///
/// $$ h_t = o_t \odot \tanh(c_t) $$
///
/// # Backward
/// $\bar o_t = \bar h_t \odot \tanh c_t$, $\bar c_t \mathrel{+}= \bar h_t \odot o_t \odot (1 - \tanh^2 c_t)$.
///
/// # Shapes
/// `[batch, hidden]` both.
///
/// Checked by `tests/nn/recurrent.rs::lstm_step_by_hand` and `lstm_steps_gradcheck`.
pub fn lstm_hidden_state<'t>(o_t: Var<'t>, c_t: Var<'t>) -> Var<'t> {
    o_t * c_t.tanh()
}

/// One LSTM step. With $W$ and $U$ the input and recurrent weights of each gate
/// and $b$ its bias (`bias_ih + bias_hh`):
///
/// $$ i_t = \sigma(W_i x_t + U_i h_{t-1} + b_i) \quad \text{(input gate)} $$
/// $$ f_t = \sigma(W_f x_t + U_f h_{t-1} + b_f) \quad \text{(forget gate)} $$
/// $$ g_t = \tanh(W_g x_t + U_g h_{t-1} + b_g) \quad \text{(cell candidate)} $$
/// $$ o_t = \sigma(W_o x_t + U_o h_{t-1} + b_o) \quad \text{(output gate)} $$
///
/// then [`lstm_cell_state`] and [`lstm_hidden_state`]. The four gates come
/// from one product with the stacked weights, sliced in the order i, f, g, o.
///
/// # Backward
/// Through the two state formulas into the gates, then
/// $\bar a = \bar i \odot i(1-i)$ (likewise $f$, $o$) and $\bar a_g = \bar g \odot (1-g^2)$
/// for the pre-activations, and from those into $W$, $U$, $b$, $x_t$ and $h_{t-1}$
/// exactly as in [`super::rnn_step`].
///
/// # Shapes
/// `x_t`: `[batch, input]`, `h_prev`, `c_prev`: `[batch, hidden]`,
/// `w_ih`: `[4 hidden, input]`, `w_hh`: `[4 hidden, hidden]`, `b`: `[4 hidden]`
/// -> `(h_t, c_t)`, each `[batch, hidden]`
///
/// # Panics
/// If the shapes do not fit.
///
/// Checked by `tests/nn/recurrent.rs::lstm_step_by_hand`, `lstm_steps_gradcheck`
/// and `tests/core/fused.rs::fused_lstm_equals_the_composed_steps`.
pub fn lstm_step<'t>(
    x_t: Var<'t>,
    (h_prev, c_prev): (Var<'t>, Var<'t>),
    w_ih: Var<'t>,
    w_hh: Var<'t>,
    b: Var<'t>,
) -> (Var<'t>, Var<'t>) {
    let hidden = h_prev.shape()[1];
    let gates = x_t.matmul_nt(w_ih) + h_prev.matmul_nt(w_hh) + b;
    let gate = |k: usize| gates.slice(1, k * hidden, (k + 1) * hidden);
    let i_t = gate(0).sigmoid();
    let f_t = gate(1).sigmoid();
    let g_t = gate(2).tanh();
    let o_t = gate(3).sigmoid();
    let c_t = lstm_cell_state(f_t, c_prev, i_t, g_t);
    (lstm_hidden_state(o_t, c_t), c_t)
}

/// An LSTM over a sequence, PyTorch's `nn.LSTM` (one layer, batch first).
#[derive(Clone, Debug)]
pub struct Lstm {
    /// The weights of the gates i, f, g, o stacked (`4 hidden` rows).
    pub weights: RecurrentWeights,
}

/// What [`Lstm::forward`] returns: Keras's `return_sequences` and `return_state`.
#[derive(Clone, Copy, Debug)]
pub struct LstmOutput<'t> {
    /// Every step's $h_t$, `[batch, time, hidden]`, when `return_sequences`.
    pub sequence: Option<Var<'t>>,
    /// The final hidden state `[batch, hidden]`.
    pub h: Var<'t>,
    /// The final cell state `[batch, hidden]`.
    pub c: Var<'t>,
}

impl Lstm {
    /// An LSTM `input -> hidden`, initialised as PyTorch's.
    pub fn new(prefix: &str, input: usize, hidden: usize, rng: &mut Rng) -> Lstm {
        Lstm {
            weights: RecurrentWeights::new(prefix, 4, input, hidden, rng),
        }
    }

    /// Runs over `x` from `initial = (h0, c0)` (zeros when `None`; Keras's
    /// `initial_state`, how the tutorial's decoder starts from the encoder's state).
    ///
    /// The input projections of all steps are one product, and the steps
    /// themselves one fused node ([`Var::lstm_sequence`]); the result equals
    /// [`Lstm::forward_steps`], the step-by-step reference, to rounding
    /// (`tests/core/fused.rs::fused_lstm_equals_the_composed_steps`).
    ///
    /// # Shapes
    /// `x`: `[batch, time, input]`, `h0`, `c0`: `[batch, hidden]` -> [`LstmOutput`]
    ///
    /// # Panics
    /// If `x` is not `[batch, time, input]` or the lengths do not fit it.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<(Var<'t>, Var<'t>)>,
        opts: RecurrentOptions,
    ) -> LstmOutput<'t> {
        let w = &self.weights;
        let (batch, time) = check_input("lstm", &x.shape(), w.input(), opts.lengths);
        let hid = w.hidden();
        let (h0, c0) = initial.unwrap_or_else(|| {
            let z = zeros_state(x, batch, hid);
            (z, z)
        });
        if time == 0 {
            return LstmOutput {
                sequence: None,
                h: h0,
                c: c0,
            };
        }
        let b = tape.param(&w.bias_ih) + tape.param(&w.bias_hh);
        // p = x W_ih^T + b for every step at once: [batch, time, 4h].
        let p = w.project_inputs(tape, x, b);
        let y = p.lstm_sequence((h0, c0), tape.param(&w.weight_hh), opts.lengths);
        let last = y.slice(1, time - 1, time).reshape(&[batch, 2 * hid]);
        LstmOutput {
            sequence: opts
                .return_sequences
                .then(|| mask_padding(y.slice(2, 0, hid), opts.lengths)),
            h: last.slice(1, 0, hid),
            c: last.slice(1, hid, 2 * hid),
        }
    }

    /// The reference: [`lstm_step`] at every time step, each gate and each
    /// state formula a node of the tape, as the tutorial reads. Same
    /// contract and, to rounding, same results as [`Lstm::forward`].
    ///
    /// # Shapes
    /// As [`Lstm::forward`].
    ///
    /// # Panics
    /// As [`Lstm::forward`].
    pub fn forward_steps<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<(Var<'t>, Var<'t>)>,
        opts: RecurrentOptions,
    ) -> LstmOutput<'t> {
        let w = &self.weights;
        let (batch, _) = check_input("lstm", &x.shape(), w.input(), opts.lengths);
        let w_ih = tape.param(&w.weight_ih);
        let w_hh = tape.param(&w.weight_hh);
        let b = tape.param(&w.bias_ih) + tape.param(&w.bias_hh);
        let (h0, c0) = initial.unwrap_or_else(|| {
            let z = zeros_state(x, batch, w.hidden());
            (z, z)
        });
        let (sequence, state) = unroll(x, vec![h0, c0], opts, |x_t, s| {
            let (h, c) = lstm_step(x_t, (s[0], s[1]), w_ih, w_hh, b);
            vec![h, c]
        });
        LstmOutput {
            sequence,
            h: state[0],
            c: state[1],
        }
    }
}

impl Module for Lstm {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.weights.params_mut()
    }
}
