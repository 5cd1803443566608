// Long file: the stack over every cell, its two run modes sharing one loop, and the direction runner.
//! Stacked and bidirectional recurrent layers of any cell ([`Cell`]):
//! PyTorch's `nn.LSTM`, `nn.GRU` or `nn.RNN(nonlinearity='tanh')` with
//! `(num_layers=L, bidirectional=B, dropout=p, batch_first=True)`, built
//! from one [`RecurrentLayer`] per layer and direction. The bidirectional
//! encoder is the one of Bahdanau et al.'s attention model (the tutorial's
//! §2.3 describes attention but not a bidirectional encoder: these formulas
//! are the crate's own).
//!
//! # Parameter names
//! As PyTorch's, with the suffix `_l{layer}` and `_reverse` for the backward
//! direction, except that layer 0's forward direction keeps the names of a
//! single layer (`weight_ih`, not `weight_ih_l0`), so that a one-layer,
//! one-direction stack is exactly that layer and its checkpoints load:
//!
//! | layer, direction | encdec | PyTorch |
//! |---|---|---|
//! | 0, forward | `weight_ih` | `weight_ih_l0` |
//! | 0, backward | `weight_ih_l0_reverse` | `weight_ih_l0_reverse` |
//! | 1, forward | `weight_ih_l1` | `weight_ih_l1` |
//! | 1, backward | `weight_ih_l1_reverse` | `weight_ih_l1_reverse` |
//!
//! (likewise `weight_hh`, `bias_ih`, `bias_hh`), drawn from the seed in that
//! order, layer-major and direction-minor, as PyTorch creates them.

use super::Module;
use super::recurrent_layer::{Cell, RecurrentLayer, Unroll};
use super::sequence::{RecurrentOptions, check_input, reverse_within_lengths};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Rng, Tensor};

/// A stack of `num_layers` recurrent layers of one [`Cell`], each with one
/// or two directions.
///
/// The forward direction of layer $l$ reads its input $x_t^{(l)}$ left to right,
/// the backward direction right to left (within each sequence's length),
/// each with the cell's step (LSTM, GRU or RNN, with its own weights):
///
/// $$ \overrightarrow h_t = \mathrm{cell}(x_t^{(l)}, \overrightarrow h_{t-1}), \qquad
///    \overleftarrow h_t = \mathrm{cell}(x_t^{(l)}, \overleftarrow h_{t+1}) $$
/// $$ h_t^{(l)} = [\overrightarrow h_t; \overleftarrow h_t] $$
///
/// (just $\overrightarrow h_t$ with one direction). Layer 0 reads the input,
/// $x_t^{(0)} = x_t$, and layer $l > 0$ reads the layer below through inverted
/// dropout of rate $p$ in training only,
/// $x_t^{(l)} = \mathrm{dropout}_p(h_t^{(l-1)})$. The output is the top
/// layer's $h_t^{(L-1)}$ at every step.
///
/// # Backward
/// Each direction is a recurrent layer (backpropagation through time on
/// the tape); the gradient of $h_t^{(l)}$ splits into its two halves, and
/// flows down into layer $l-1$ through the dropout mask and through
/// [`reverse_within_lengths`] for the backward direction.
///
/// # Shapes
/// See [`RecurrentStack::forward`].
///
/// Checked by `tests/nn/recurrent_stack.rs::stacked_bidirectional_lstm_matches_pytorch`,
/// `three_stacked_lstm_layers_match_pytorch`, `lstm_stack_gradcheck`,
/// `gru_and_rnn_stacks_pass_gradcheck` and `lstm_stack_steps_gradcheck`
/// (the cases of `encdec gradcheck`).
#[derive(Clone, Debug)]
pub struct RecurrentStack {
    /// One layer per layer and direction, in PyTorch's `h_n` order:
    /// `cells[l * directions + d]`, `d` = 0 forward, 1 backward.
    pub cells: Vec<RecurrentLayer>,
    /// The cell every layer is made of.
    pub cell: Cell,
    /// $D$: 2 when bidirectional, else 1.
    pub directions: usize,
    /// $p$, the dropout rate between layers (training only).
    pub dropout: Float,
}

/// What [`RecurrentStack::forward`] returns.
#[derive(Clone, Debug)]
pub struct RecurrentStackOutput<'t> {
    /// The top layer's $[\overrightarrow h_t; \overleftarrow h_t]$ at every step,
    /// `[batch, time, directions * hidden]`, zero at padded steps.
    pub sequence: Var<'t>,
    /// The final hidden state of each layer and direction, `[batch, hidden]`
    /// each, in PyTorch's `h_n` order (layer-major, direction-minor). The
    /// backward direction's final state is the one after reading the first token.
    pub h: Vec<Var<'t>>,
    /// The LSTM's final cell states, in the same order; empty for the GRU
    /// and the RNN, which have none.
    pub c: Vec<Var<'t>>,
}

impl RecurrentStack {
    /// `num_layers` layers of `cell`, `input -> hidden` (layers above the
    /// first read `directions * hidden`), initialised as PyTorch's, named as
    /// in the module documentation.
    ///
    /// # Panics
    /// If `num_layers` is 0 or `dropout` is not in $[0, 1]$.
    pub fn new(
        (prefix, cell): (&str, Cell),
        input: usize,
        hidden: usize,
        (num_layers, bidirectional): (usize, bool),
        dropout: Float,
        rng: &mut Rng,
    ) -> RecurrentStack {
        assert!(
            num_layers > 0,
            "RecurrentStack: num_layers must be at least 1"
        );
        assert!(
            (0.0..=1.0).contains(&dropout),
            "RecurrentStack: dropout {dropout} is not in [0, 1]"
        );
        let directions = if bidirectional { 2 } else { 1 };
        let mut cells = Vec::with_capacity(num_layers * directions);
        for l in 0..num_layers {
            let layer_input = if l == 0 { input } else { directions * hidden };
            for d in 0..directions {
                let suffix = match (l, d) {
                    (0, 0) => String::new(),
                    (_, 0) => format!("_l{l}"),
                    _ => format!("_l{l}_reverse"),
                };
                let names = (prefix, suffix.as_str());
                cells.push(RecurrentLayer::new(cell, names, layer_input, hidden, rng));
            }
        }
        RecurrentStack {
            cells,
            cell,
            directions,
            dropout,
        }
    }

    /// $L$, the number of layers.
    pub fn num_layers(&self) -> usize {
        self.cells.len() / self.directions
    }

    /// $H$, each direction's hidden size.
    pub fn hidden(&self) -> usize {
        self.cells[0].weights().hidden()
    }

    /// The width of the output, $D \cdot H$.
    pub fn output_size(&self) -> usize {
        self.directions * self.hidden()
    }

    /// Runs the stack over `x` with the fused layers (the RNN runs step by
    /// step, having no fused form), from `initial`: for each layer and
    /// direction in `h_n` order, the cell's states (`h, c` for the LSTM,
    /// `h` for the others; zeros when `None`). `lengths` marks padding as in
    /// [`RecurrentOptions`]; `train` holds the generator for the dropout
    /// between layers (`None`: evaluation, no dropout).
    ///
    /// # Shapes
    /// `x`: `[batch, time, input]`, each initial state `[batch, hidden]` ->
    /// [`RecurrentStackOutput`]: `sequence` `[batch, time, directions * hidden]`,
    /// `h` (and the LSTM's `c`): `num_layers * directions` of `[batch, hidden]`.
    ///
    /// # Panics
    /// If `x` is not `[batch, time, input]`, the lengths do not fit it, or
    /// `initial` does not hold the cell's states for every layer and direction.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<&[Var<'t>]>,
        lengths: Option<&[usize]>,
        train: Option<&mut Rng>,
    ) -> RecurrentStackOutput<'t> {
        self.run(Unroll::Fused, tape, x, (initial, lengths), train)
    }

    /// The same with every layer step by step ([`crate::nn::Lstm::forward_steps`],
    /// [`crate::nn::Gru::forward_steps`]): the reference. Same contract and,
    /// to rounding, same results as [`RecurrentStack::forward`].
    ///
    /// # Shapes
    /// As [`RecurrentStack::forward`].
    ///
    /// # Panics
    /// As [`RecurrentStack::forward`].
    pub fn forward_steps<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<&[Var<'t>]>,
        lengths: Option<&[usize]>,
        train: Option<&mut Rng>,
    ) -> RecurrentStackOutput<'t> {
        self.run(Unroll::Steps, tape, x, (initial, lengths), train)
    }

    fn run<'t>(
        &self,
        unroll: Unroll,
        tape: &'t Tape,
        x: Var<'t>,
        (initial, lengths): (Option<&[Var<'t>]>, Option<&[usize]>),
        mut train: Option<&mut Rng>,
    ) -> RecurrentStackOutput<'t> {
        let first = self.cells[0].weights();
        let (batch, time) = check_input("recurrent_stack", &x.shape(), first.input(), lengths);
        let per_cell = self.cell.states();
        if let Some(init) = initial {
            assert!(
                init.len() == self.cells.len() * per_cell,
                "recurrent_stack: {} initial states for {} layers x {} directions x {per_cell} states",
                init.len(),
                self.num_layers(),
                self.directions
            );
        }
        let opts = RecurrentOptions {
            return_sequences: true,
            lengths,
        };
        let (mut h, mut c) = (vec![], vec![]);
        let mut input = x;
        for l in 0..self.num_layers() {
            if l > 0 {
                input = input.dropout(self.dropout, train.as_deref_mut());
            }
            let mut outputs = vec![];
            for d in 0..self.directions {
                let k = l * self.directions + d;
                let run = DirectionRun {
                    unroll,
                    tape,
                    input,
                    lengths,
                    opts,
                    batch,
                    time,
                };
                let init = initial.map(|s| &s[k * per_cell..(k + 1) * per_cell]);
                let (states, seq) = self.direction(k, init, run);
                h.push(states[0]);
                c.extend(states.get(1));
                outputs.push(seq);
            }
            input = if outputs.len() == 1 {
                outputs[0]
            } else {
                Var::concat(&outputs, 2)
            };
        }
        RecurrentStackOutput {
            sequence: input,
            h,
            c,
        }
    }

    /// Runs layer `k` (layer `k / directions`, direction `k % directions`)
    /// over `input`; the backward direction reads each sequence
    /// reversed within its length and its outputs are reversed back.
    /// Returns the final states and the outputs.
    fn direction<'t>(
        &self,
        k: usize,
        init: Option<&[Var<'t>]>,
        run: DirectionRun<'_, 't>,
    ) -> (Vec<Var<'t>>, Var<'t>) {
        let backward = k % self.directions == 1;
        let read = if backward {
            reverse_within_lengths(run.input, run.lengths)
        } else {
            run.input
        };
        let (seq, states) = self.cells[k].run(run.tape, read, init, run.opts, run.unroll);
        let seq = seq.unwrap_or_else(|| {
            let zeros = Tensor::zeros(&[run.batch, run.time, self.hidden()]);
            run.tape.constant(zeros)
        });
        let seq = if backward {
            reverse_within_lengths(seq, run.lengths)
        } else {
            seq
        };
        (states, seq)
    }
}

/// What every direction of one layer shares.
struct DirectionRun<'a, 't> {
    unroll: Unroll,
    tape: &'t Tape,
    input: Var<'t>,
    lengths: Option<&'a [usize]>,
    opts: RecurrentOptions<'a>,
    batch: usize,
    time: usize,
}

impl Module for RecurrentStack {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.cells.iter_mut().flat_map(|c| c.params_mut()).collect()
    }
}
