//! How far back a gradient reaches: the norm of $\partial L/\partial h_t$ at
//! every step of an unrolled recurrent layer, read from the tape.
//!
//! Backpropagation through time multiplies the gradient by one Jacobian
//! $\partial h_t/\partial h_{t-1}$ per step. For the RNN that Jacobian is
//! $\mathrm{diag}(f^\prime(a_t)) W_{hh}$; when its norm stays below 1 the
//! gradient shrinks geometrically — the *vanishing gradient*. The LSTM adds a
//! second path through the cell state, $c_t = f_t \odot c_{t-1} + \dots$,
//! along which the gradient is multiplied only by the forget gate $f_t$, so it
//! shrinks much more slowly when $f_t$ stays near 1.

use super::gru::{Gru, gru_step};
use super::lstm::{Lstm, lstm_step};
use super::rnn::{Activation, RecurrentWeights, Rnn, rnn_step};
use crate::autograd::{Tape, Var};
use crate::tensor::{Tensor, rng};

/// The norm of the loss's gradient with respect to each hidden state of an
/// [`Rnn`] run over `x` from $h_0 = 0$, where the loss reads only the last
/// state:
///
/// $$ L = \sum_{b,j} h_{T,bj}, \qquad g_t = \Big\lVert \frac{\partial L}{\partial h_t} \Big\rVert_2 \quad (t = 1, \dots, T) $$
///
/// The steps are unrolled one [`rnn_step`] at a time, so every $h_t$ is a
/// node of the tape; one backward pass from $L$ leaves
/// $\partial L/\partial h_t$ on each of them ([`Tape::grad`]). $g_T = \sqrt{B H}$
/// ($B$ sequences of $H$ hidden units), since $\partial L/\partial h_T$ is all ones.
///
/// # Shapes
/// `x`: `[batch, time, input]` -> `time` norms, entry `t - 1` for $h_t$.
///
/// # Errors
/// If `x` is not 3-D, has no time steps, or its last axis is not the layer's
/// input size.
///
/// Checked by `tests/viz/teaching.rs::gradient_norm_matches_finite_differences`.
pub fn rnn_hidden_gradient_norms(rnn: &Rnn, x: &Tensor) -> Result<Vec<f64>, String> {
    let tape = Tape::new();
    let (w_xh, w_hh, b_h, h0) = on_tape(&tape, "rnn_hidden_gradient_norms", &rnn.weights, x)?;
    let states = unroll_states(&tape, x, h0, |x_t, h| {
        (rnn_step(x_t, h.0, w_xh, w_hh, b_h, rnn.activation), h.1)
    });
    Ok(norms_from_last(&tape, &states))
}

/// The same measurement for an [`Lstm`], unrolled one [`lstm_step`] at a
/// time (the reference path of [`Lstm::forward_steps`]; the fused sequence
/// node of [`Lstm::forward`] has no separate $h_t$). The loss is again
/// $L = \sum h_T$, and $g_t$ is the gradient with respect to the hidden
/// state $h_t$ alone, the cell state $c_t$ held fixed; the gradient still
/// reaches $h_t$ through both $h_{t+1}$ and $c_{t+1}$.
///
/// # Shapes
/// As [`rnn_hidden_gradient_norms`].
///
/// # Errors
/// As [`rnn_hidden_gradient_norms`].
///
/// Checked by `tests/viz/teaching.rs::gradient_norm_matches_finite_differences`.
pub fn lstm_hidden_gradient_norms(lstm: &Lstm, x: &Tensor) -> Result<Vec<f64>, String> {
    let tape = Tape::new();
    let (w_ih, w_hh, b, zero) = on_tape(&tape, "lstm_hidden_gradient_norms", &lstm.weights, x)?;
    let states = unroll_states(&tape, x, zero, |x_t, (h, c)| {
        lstm_step(x_t, (h, c.unwrap_or(zero)), w_ih, w_hh, b)
    });
    Ok(norms_from_last(&tape, &states))
}

/// The same measurement for a [`Gru`], unrolled one [`gru_step`] at a time
/// (the reference path of [`Gru::forward_steps`]). Its state update
/// $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$ is, like the LSTM's cell
/// state, a path along which the gradient is multiplied only by a gate,
/// $z_t$, so it shrinks slowly where the update gate stays near 1.
///
/// # Shapes
/// As [`rnn_hidden_gradient_norms`].
///
/// # Errors
/// As [`rnn_hidden_gradient_norms`].
///
/// Checked by `tests/viz/teaching.rs::gradient_norm_matches_finite_differences`.
pub fn gru_hidden_gradient_norms(gru: &Gru, x: &Tensor) -> Result<Vec<f64>, String> {
    let tape = Tape::new();
    let w = &gru.weights;
    // on_tape sums the two biases, which the GRU keeps apart (b_hn sits
    // inside the reset gate's product): only its checks and h_0 are used.
    let (w_ih, w_hh, _, h0) = on_tape(&tape, "gru_hidden_gradient_norms", w, x)?;
    let b = (tape.param(&w.bias_ih), tape.param(&w.bias_hh));
    let states = unroll_states(&tape, x, h0, |x_t, (h, c)| {
        (gru_step(x_t, h, (w_ih, w_hh), b), c)
    });
    Ok(norms_from_last(&tape, &states))
}

/// Checks `x` (`[batch, time, input]`, at least one step) and puts the
/// layer on the tape: `weight_ih`, `weight_hh`, `bias_ih + bias_hh`, and a
/// zero state `[batch, hidden]` recorded as a leaf, so that every $h_t$ needs
/// a gradient even when the weights are frozen.
fn on_tape<'t>(
    tape: &'t Tape,
    function: &str,
    w: &RecurrentWeights,
    x: &Tensor,
) -> Result<(Var<'t>, Var<'t>, Var<'t>, Var<'t>), String> {
    let (s, input) = (x.shape(), w.input());
    if s.len() != 3 || s[2] != input {
        return Err(format!(
            "{function}: input of shape {s:?} is not [batch, time, {input}]"
        ));
    }
    if s[1] == 0 || s[0] == 0 {
        return Err(format!(
            "{function}: input of shape {s:?} has no steps to differentiate"
        ));
    }
    Ok((
        tape.param(&w.weight_ih),
        tape.param(&w.weight_hh),
        tape.param(&w.bias_ih) + tape.param(&w.bias_hh),
        tape.leaf(Tensor::zeros(&[s[0], w.hidden()])),
    ))
}

/// Runs `step` over every time step of `x` from `(h0, None)` and returns
/// every $h_t$ as its own node. The step maps `(x_t, (h, c))` to the new
/// `(h, c)`; a layer without a cell state passes its `c` through.
fn unroll_states<'t, C: Into<Option<Var<'t>>>>(
    tape: &'t Tape,
    x: &Tensor,
    h0: Var<'t>,
    step: impl Fn(Var<'t>, (Var<'t>, Option<Var<'t>>)) -> (Var<'t>, C),
) -> Vec<Var<'t>> {
    let s = x.shape();
    let x = tape.constant(x.clone());
    let mut state = (h0, None);
    let mut hs = Vec::with_capacity(s[1]);
    for t in 0..s[1] {
        let x_t = x.slice(1, t, t + 1).reshape(&[s[0], s[2]]);
        let (h, c) = step(x_t, state);
        state = (h, c.into());
        hs.push(h);
    }
    hs
}

/// Back-propagates $L = \sum h_T$ and returns $\lVert \partial L/\partial h_t \rVert_2$ for each state.
fn norms_from_last<'t>(tape: &'t Tape, states: &[Var<'t>]) -> Vec<f64> {
    let last = *states.last().expect("checked: at least one step");
    tape.backward(last.sum());
    states
        .iter()
        .map(|h| {
            h.grad()
                .map_or(0.0, |g| g.data().iter().map(|v| v * v).sum::<f64>().sqrt())
        })
        .collect()
}

/// The setup of [`gradient_norm_curves`].
#[derive(Clone, Copy, Debug)]
pub struct GradientSetup {
    /// Sequence length $T$.
    pub steps: usize,
    /// Size of each input $x_t$.
    pub input: usize,
    /// Hidden size of both layers.
    pub hidden: usize,
    /// Seed of the weights and of the inputs.
    pub seed: u64,
}

/// The gradient norms through time of three layers on one random sequence
/// ($x_t \sim N(0, 1)$, `[1, steps, input]`): an RNN with tanh and an LSTM,
/// both with PyTorch's initialisation $U(-1/\sqrt{H}, 1/\sqrt{H})$, and the same
/// LSTM with 1 added to its forget gate's bias, as Keras's `LSTM` does by
/// default (`unit_forget_bias=True`). See [`rnn_hidden_gradient_norms`].
///
/// # Errors
/// An `input` or `steps` of 0.
pub fn gradient_norm_curves(setup: GradientSetup) -> Result<Vec<(String, Vec<f64>)>, String> {
    let GradientSetup {
        steps,
        input,
        hidden,
        seed,
    } = setup;
    let mut r = rng(seed);
    let rnn = Rnn::new("rnn", input, hidden, Activation::Tanh, &mut r);
    let lstm = Lstm::new("lstm", input, hidden, &mut r);
    let mut keras = lstm.clone();
    // The gates are stacked i, f, g, o: the forget gate's rows are hidden..2 hidden.
    for b in &mut keras.weights.bias_ih.value.data_mut()[hidden..2 * hidden] {
        *b += 1.0;
    }
    let x = Tensor::randn(&[1, steps, input], 0.0, 1.0, &mut r);
    Ok(vec![
        ("RNN (tanh)".into(), rnn_hidden_gradient_norms(&rnn, &x)?),
        ("LSTM".into(), lstm_hidden_gradient_norms(&lstm, &x)?),
        (
            "LSTM, forget-gate bias +1 (Keras)".into(),
            lstm_hidden_gradient_norms(&keras, &x)?,
        ),
    ])
}
