//! The simple recurrent network of tutorial §4.1.

use super::Module;
use super::sequence::{RecurrentOptions, check_input, unroll, zeros_state};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Rng, Tensor};

/// The activation $f$ of an RNN; the tutorial names both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// $\tanh$, the usual choice (PyTorch's and Keras's default).
    Tanh,
    /// The logistic sigmoid $\sigma$.
    Sigmoid,
}

/// One step of a simple RNN, exactly the formula of tutorial §4.1:
///
/// $$ h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h) $$
///
/// With a batch of row vectors this is $h_t = f(x_t W_{xh}^\top + h_{t-1} W_{hh}^\top + b_h)$.
///
/// # Backward
/// With $a = W_{xh}x_t + W_{hh}h_{t-1} + b_h$ and $\bar a = \bar h_t \odot f^\prime(a)$
/// ($f^\prime = 1 - h_t^2$ for tanh, $h_t(1-h_t)$ for the sigmoid):
/// $\bar W_{xh} = \bar a^\top x_t$, $\bar W_{hh} = \bar a^\top h_{t-1}$,
/// $\bar b_h = \sum_{\text{batch}} \bar a$, $\bar x_t = \bar a W_{xh}$,
/// $\bar h_{t-1} = \bar a W_{hh}$ — the last one carries the gradient back
/// through time.
///
/// # Shapes
/// `x_t`: `[batch, input]`, `h_prev`: `[batch, hidden]`, `w_xh`: `[hidden, input]`,
/// `w_hh`: `[hidden, hidden]`, `b_h`: `[hidden]` -> `[batch, hidden]`
///
/// # Panics
/// If the shapes do not fit (the message names `matmul` or `add` and both shapes).
///
/// Checked by `tests/nn/recurrent.rs::rnn_step_by_hand` and `rnn_step_gradcheck`.
pub fn rnn_step<'t>(
    x_t: Var<'t>,
    h_prev: Var<'t>,
    w_xh: Var<'t>,
    w_hh: Var<'t>,
    b_h: Var<'t>,
    f: Activation,
) -> Var<'t> {
    let a = x_t.matmul_nt(w_xh) + h_prev.matmul_nt(w_hh) + b_h;
    match f {
        Activation::Tanh => a.tanh(),
        Activation::Sigmoid => a.sigmoid(),
    }
}

/// The four weights every recurrent layer has, PyTorch's names and layout:
/// `weight_ih` `[gates * hidden, input]`, `weight_hh` `[gates * hidden, hidden]`,
/// `bias_ih` and `bias_hh` `[gates * hidden]`, with the gates stacked along
/// the first axis (1 for the RNN; i, f, g, o for the LSTM; r, z, n for the GRU).
#[derive(Clone, Debug)]
pub struct RecurrentWeights {
    /// Input-to-hidden weights.
    pub weight_ih: Param,
    /// Hidden-to-hidden weights.
    pub weight_hh: Param,
    /// Input-side bias.
    pub bias_ih: Param,
    /// Hidden-side bias.
    pub bias_hh: Param,
}

impl RecurrentWeights {
    /// Weights for `gates` stacked gates, drawn from $U(-1/\sqrt{H}, 1/\sqrt{H})$
    /// as PyTorch's recurrent layers.
    pub fn new(
        prefix: &str,
        gates: usize,
        input: usize,
        hidden: usize,
        rng: &mut Rng,
    ) -> RecurrentWeights {
        RecurrentWeights::with_suffix(prefix, "", gates, input, hidden, rng)
    }

    /// As [`RecurrentWeights::new`], with `suffix` after each name: PyTorch's
    /// `_l1`, `_l0_reverse`, ... for the layers and directions of a stack
    /// ([`super::RecurrentStack`]); `""` gives the names of [`RecurrentWeights::new`].
    pub fn with_suffix(
        prefix: &str,
        suffix: &str,
        gates: usize,
        input: usize,
        hidden: usize,
        rng: &mut Rng,
    ) -> RecurrentWeights {
        let k = 1.0 / (hidden as f64).sqrt();
        let mut p = |name: &str, shape: &[usize]| {
            Param::new(
                &super::join(prefix, &format!("{name}{suffix}")),
                Tensor::rand_uniform(shape, -k, k, rng),
            )
        };
        RecurrentWeights {
            weight_ih: p("weight_ih", &[gates * hidden, input]),
            weight_hh: p("weight_hh", &[gates * hidden, hidden]),
            bias_ih: p("bias_ih", &[gates * hidden]),
            bias_hh: p("bias_hh", &[gates * hidden]),
        }
    }

    /// The hidden size $H$.
    pub fn hidden(&self) -> usize {
        self.weight_hh.shape()[1]
    }

    /// The input size.
    pub fn input(&self) -> usize {
        self.weight_ih.shape()[1]
    }

    /// The input side of every step at once, one product (and the bias):
    /// `x` `[batch, time, input]` -> `x weight_ih^T + bias`,
    /// `[batch, time, gates * hidden]`. The layer chooses the bias:
    /// `bias_ih + bias_hh` for the LSTM, `bias_ih` alone for the GRU (whose
    /// `bias_hh` is partly inside the reset gate's product).
    pub(crate) fn project_inputs<'t>(&self, tape: &'t Tape, x: Var<'t>, bias: Var<'t>) -> Var<'t> {
        let s = x.shape();
        let p = x
            .reshape(&[s[0] * s[1], s[2]])
            .matmul_nt(tape.param(&self.weight_ih))
            + bias;
        p.reshape(&[s[0], s[1], self.weight_ih.shape()[0]])
    }
}

impl Module for RecurrentWeights {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![
            &mut self.weight_ih,
            &mut self.weight_hh,
            &mut self.bias_ih,
            &mut self.bias_hh,
        ]
    }
}

/// A simple RNN over a sequence: [`rnn_step`] at every time step
/// (backpropagation through time is the tape's backward pass over the
/// unrolled steps). Parameters as PyTorch's `nn.RNN`: `weight_ih` is
/// $W_{xh}$, `weight_hh` is $W_{hh}$, and $b_h$ = `bias_ih + bias_hh`.
#[derive(Clone, Debug)]
pub struct Rnn {
    /// $W_{xh}$, $W_{hh}$ and the two halves of $b_h$.
    pub weights: RecurrentWeights,
    /// $f$.
    pub activation: Activation,
}

/// What a recurrent layer returns.
#[derive(Clone, Copy, Debug)]
pub struct RnnOutput<'t> {
    /// Every step's hidden state `[batch, time, hidden]`, when `return_sequences`.
    pub sequence: Option<Var<'t>>,
    /// The final hidden state `[batch, hidden]` (at each sequence's last real step).
    pub h: Var<'t>,
}

impl Rnn {
    /// An RNN `input -> hidden` with activation `f`.
    pub fn new(prefix: &str, input: usize, hidden: usize, f: Activation, rng: &mut Rng) -> Rnn {
        Rnn {
            weights: RecurrentWeights::new(prefix, 1, input, hidden, rng),
            activation: f,
        }
    }

    /// Runs over `x`, starting from `h0` (zeros when `None`, Keras's `initial_state`).
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
        let (batch, _) = check_input("rnn", &x.shape(), w.input(), opts.lengths);
        let w_xh = tape.param(&w.weight_ih);
        let w_hh = tape.param(&w.weight_hh);
        let b_h = tape.param(&w.bias_ih) + tape.param(&w.bias_hh);
        let h0 = h0.unwrap_or_else(|| zeros_state(x, batch, w.hidden()));
        let (sequence, state) = unroll(x, vec![h0], opts, |x_t, s| {
            vec![rnn_step(x_t, s[0], w_xh, w_hh, b_h, self.activation)]
        });
        RnnOutput {
            sequence,
            h: state[0],
        }
    }
}

impl Module for Rnn {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.weights.params_mut()
    }
}
