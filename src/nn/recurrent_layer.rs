//! One layer of a recurrent stack, whichever its cell: the LSTM of §5.1,
//! the GRU, or the simple RNN of §4.1. [`super::RecurrentStack`] holds one
//! per layer and direction.
//!
//! [`Cell::Lstm`] ([`Lstm`], gates i, f, g, o) carries two states, $h$ and
//! $c$; [`Cell::Gru`] ([`Gru`], gates r, z, n) and [`Cell::Rnn`] ([`Rnn`]
//! with $f = \tanh$, PyTorch's `nn.RNN(nonlinearity='tanh')`) carry one,
//! $h$. Wherever states travel as one flat list, each layer and direction
//! contributes its cell's states in that order: `[h, c]` per LSTM layer,
//! `[h]` per GRU or RNN layer.

use super::Module;
use super::gru::Gru;
use super::lstm::Lstm;
use super::rnn::{Activation, RecurrentWeights, Rnn};
use super::sequence::RecurrentOptions;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::Rng;

/// The recurrent cell of a stack (and of the models built on it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cell {
    /// The LSTM of §5.1 ([`Lstm`]): states $h$ and $c$.
    #[default]
    Lstm,
    /// The GRU ([`Gru`], PyTorch's r, z, n): state $h$.
    Gru,
    /// The simple RNN of §4.1 ([`Rnn`], $f = \tanh$): state $h$.
    Rnn,
}

impl Cell {
    /// The name used on the command line, in checkpoints and in parameter
    /// names (`encoder.gru.weight_ih`): `lstm`, `gru` or `rnn`.
    pub fn name(self) -> &'static str {
        match self {
            Cell::Lstm => "lstm",
            Cell::Gru => "gru",
            Cell::Rnn => "rnn",
        }
    }

    /// The gates stacked in its weights: 4, 3 or 1.
    pub fn gates(self) -> usize {
        match self {
            Cell::Lstm => 4,
            Cell::Gru => 3,
            Cell::Rnn => 1,
        }
    }

    /// The states it carries from step to step: 2 ($h$, $c$) or 1 ($h$).
    pub fn states(self) -> usize {
        match self {
            Cell::Lstm => 2,
            Cell::Gru | Cell::Rnn => 1,
        }
    }
}

/// One layer and direction of a [`RecurrentStack`](super::RecurrentStack).
#[derive(Clone, Debug)]
pub enum RecurrentLayer {
    /// An LSTM layer.
    Lstm(Lstm),
    /// A GRU layer.
    Gru(Gru),
    /// A tanh RNN layer.
    Rnn(Rnn),
}

/// How a layer runs its steps: one fused node, or a node per gate and step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unroll {
    /// [`Lstm::forward`], [`Gru::forward`].
    Fused,
    /// [`Lstm::forward_steps`], [`Gru::forward_steps`]: the reference.
    Steps,
}

impl RecurrentLayer {
    /// A `cell` layer `input -> hidden` named `{prefix}.weight_ih{suffix}`, ...
    pub(super) fn new(
        cell: Cell,
        (prefix, suffix): (&str, &str),
        input: usize,
        hidden: usize,
        rng: &mut Rng,
    ) -> RecurrentLayer {
        let weights =
            RecurrentWeights::with_suffix(prefix, suffix, cell.gates(), input, hidden, rng);
        match cell {
            Cell::Lstm => RecurrentLayer::Lstm(Lstm { weights }),
            Cell::Gru => RecurrentLayer::Gru(Gru { weights }),
            Cell::Rnn => RecurrentLayer::Rnn(Rnn {
                weights,
                activation: Activation::Tanh,
            }),
        }
    }

    /// Its weights.
    pub fn weights(&self) -> &RecurrentWeights {
        match self {
            RecurrentLayer::Lstm(l) => &l.weights,
            RecurrentLayer::Gru(g) => &g.weights,
            RecurrentLayer::Rnn(r) => &r.weights,
        }
    }

    /// Runs over `x` from `init` (the cell's states, zeros when `None`);
    /// returns every step's $h_t$ (when `opts` asks) and the final states.
    /// The RNN has no fused form: it always runs step by step.
    pub(super) fn run<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        init: Option<&[Var<'t>]>,
        opts: RecurrentOptions,
        unroll: Unroll,
    ) -> (Option<Var<'t>>, Vec<Var<'t>>) {
        match self {
            RecurrentLayer::Lstm(l) => {
                let init = init.map(|s| (s[0], s[1]));
                let out = match unroll {
                    Unroll::Fused => l.forward(tape, x, init, opts),
                    Unroll::Steps => l.forward_steps(tape, x, init, opts),
                };
                (out.sequence, vec![out.h, out.c])
            }
            RecurrentLayer::Gru(g) => {
                let init = init.map(|s| s[0]);
                let out = match unroll {
                    Unroll::Fused => g.forward(tape, x, init, opts),
                    Unroll::Steps => g.forward_steps(tape, x, init, opts),
                };
                (out.sequence, vec![out.h])
            }
            RecurrentLayer::Rnn(r) => {
                let out = r.forward(tape, x, init.map(|s| s[0]), opts);
                (out.sequence, vec![out.h])
            }
        }
    }
}

impl Module for RecurrentLayer {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        match self {
            RecurrentLayer::Lstm(l) => l.params_mut(),
            RecurrentLayer::Gru(g) => g.params_mut(),
            RecurrentLayer::Rnn(r) => r.params_mut(),
        }
    }
}
