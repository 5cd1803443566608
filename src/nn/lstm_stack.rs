//! Stacked and bidirectional LSTMs: PyTorch's
//! `nn.LSTM(num_layers=L, bidirectional=B, dropout=p, batch_first=True)`,
//! built from one [`Lstm`] per layer and direction. The bidirectional
//! encoder is the one of Bahdanau et al.'s attention model (the tutorial's
//! §2.3 describes attention but not a bidirectional encoder: these formulas
//! are the crate's own).
//!
//! # Parameter names
//! As PyTorch's, with the suffix `_l{layer}` and `_reverse` for the backward
//! direction, except that layer 0's forward direction keeps the names of a
//! single [`Lstm`] (`weight_ih`, not `weight_ih_l0`), so that a one-layer,
//! one-direction stack is exactly today's layer and its checkpoints load:
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
use super::lstm::{Lstm, LstmOutput};
use super::rnn::RecurrentWeights;
use super::sequence::{RecurrentOptions, check_input, reverse_within_lengths};
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Float, Rng, Tensor};

/// A stack of `num_layers` LSTM layers, each with one or two directions.
///
/// The forward direction of layer $l$ reads its input $x_t^{(l)}$ left to right,
/// the backward direction right to left (within each sequence's length):
///
/// $$ \overrightarrow h_t = \mathrm{LSTM}(x_t^{(l)}, \overrightarrow h_{t-1}), \qquad
///    \overleftarrow h_t = \mathrm{LSTM}(x_t^{(l)}, \overleftarrow h_{t+1}) $$
/// $$ h_t^{(l)} = [\overrightarrow h_t; \overleftarrow h_t] $$
///
/// (just $\overrightarrow h_t$ with one direction). Layer 0 reads the input,
/// $x_t^{(0)} = x_t$, and layer $l > 0$ reads the layer below through inverted
/// dropout of rate $p$ in training only,
/// $x_t^{(l)} = \mathrm{dropout}_p(h_t^{(l-1)})$. The output is the top
/// layer's $h_t^{(L-1)}$ at every step.
///
/// # Backward
/// Each direction is an [`Lstm`] (backpropagation through time on the tape);
/// the gradient of $h_t^{(l)}$ splits into its two halves, and flows down
/// into layer $l-1$ through the dropout mask and through
/// [`reverse_within_lengths`] for the backward direction.
///
/// # Shapes
/// See [`LstmStack::forward`].
///
/// Checked by `tests/nn/lstm_stack.rs::stacked_bidirectional_lstm_matches_pytorch`,
/// `three_stacked_lstm_layers_match_pytorch`, `lstm_stack_gradcheck` and
/// `lstm_stack_steps_gradcheck` (the cases of `encdec gradcheck`).
#[derive(Clone, Debug)]
pub struct LstmStack {
    /// One layer per layer and direction, in PyTorch's `h_n` order:
    /// `cells[l * directions + d]`, `d` = 0 forward, 1 backward.
    pub cells: Vec<Lstm>,
    /// $D$: 2 when bidirectional, else 1.
    pub directions: usize,
    /// $p$, the dropout rate between layers (training only).
    pub dropout: Float,
}

/// What [`LstmStack::forward`] returns.
#[derive(Clone, Debug)]
pub struct LstmStackOutput<'t> {
    /// The top layer's $[\overrightarrow h_t; \overleftarrow h_t]$ at every step,
    /// `[batch, time, directions * hidden]`, zero at padded steps.
    pub sequence: Var<'t>,
    /// The final hidden state of each layer and direction, `[batch, hidden]`
    /// each, in PyTorch's `h_n` order (layer-major, direction-minor). The
    /// backward direction's final state is the one after reading the first token.
    pub h: Vec<Var<'t>>,
    /// The final cell states, in the same order.
    pub c: Vec<Var<'t>>,
}

impl LstmStack {
    /// `num_layers` layers `input -> hidden` (layers above the first read
    /// `directions * hidden`), initialised as PyTorch's, named as in the
    /// module documentation.
    ///
    /// # Panics
    /// If `num_layers` is 0 or `dropout` is not in $[0, 1]$.
    pub fn new(
        prefix: &str,
        input: usize,
        hidden: usize,
        (num_layers, bidirectional): (usize, bool),
        dropout: Float,
        rng: &mut Rng,
    ) -> LstmStack {
        assert!(num_layers > 0, "LstmStack: num_layers must be at least 1");
        assert!(
            (0.0..=1.0).contains(&dropout),
            "LstmStack: dropout {dropout} is not in [0, 1]"
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
                let weights =
                    RecurrentWeights::with_suffix(prefix, &suffix, 4, layer_input, hidden, rng);
                cells.push(Lstm { weights });
            }
        }
        LstmStack {
            cells,
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
        self.cells[0].weights.hidden()
    }

    /// The width of the output, $D \cdot H$.
    pub fn output_size(&self) -> usize {
        self.directions * self.hidden()
    }

    /// Runs the stack over `x` with the fused [`Lstm::forward`], from
    /// `initial` (one `(h0, c0)` per layer and direction in `h_n` order;
    /// zeros when `None`). `lengths` marks padding as in [`RecurrentOptions`];
    /// `train` holds the generator for the dropout between layers (`None`:
    /// evaluation, no dropout).
    ///
    /// # Shapes
    /// `x`: `[batch, time, input]`, each `h0`, `c0`: `[batch, hidden]` ->
    /// [`LstmStackOutput`]: `sequence` `[batch, time, directions * hidden]`,
    /// `h`, `c`: `num_layers * directions` of `[batch, hidden]`.
    ///
    /// # Panics
    /// If `x` is not `[batch, time, input]`, the lengths do not fit it, or
    /// `initial` does not hold one state per layer and direction.
    pub fn forward<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<&[(Var<'t>, Var<'t>)]>,
        lengths: Option<&[usize]>,
        train: Option<&mut Rng>,
    ) -> LstmStackOutput<'t> {
        self.run(Lstm::forward, tape, x, initial, lengths, train)
    }

    /// The same with [`Lstm::forward_steps`] in every layer: the step-by-step
    /// reference. Same contract and, to rounding, same results as
    /// [`LstmStack::forward`].
    ///
    /// # Shapes
    /// As [`LstmStack::forward`].
    ///
    /// # Panics
    /// As [`LstmStack::forward`].
    pub fn forward_steps<'t>(
        &self,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<&[(Var<'t>, Var<'t>)]>,
        lengths: Option<&[usize]>,
        train: Option<&mut Rng>,
    ) -> LstmStackOutput<'t> {
        self.run(Lstm::forward_steps, tape, x, initial, lengths, train)
    }

    fn run<'t>(
        &self,
        layer: LayerFn<'t>,
        tape: &'t Tape,
        x: Var<'t>,
        initial: Option<&[(Var<'t>, Var<'t>)]>,
        lengths: Option<&[usize]>,
        mut train: Option<&mut Rng>,
    ) -> LstmStackOutput<'t> {
        let first = &self.cells[0].weights;
        let (batch, time) = check_input("lstm_stack", &x.shape(), first.input(), lengths);
        if let Some(init) = initial {
            assert!(
                init.len() == self.cells.len(),
                "lstm_stack: {} initial states for {} layers x {} directions",
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
                    layer,
                    tape,
                    input,
                    lengths,
                    opts,
                    batch,
                    time,
                };
                let (out, seq) = self.direction(k, initial.map(|s| s[k]), run);
                h.push(out.h);
                c.push(out.c);
                outputs.push(seq);
            }
            input = if outputs.len() == 1 {
                outputs[0]
            } else {
                Var::concat(&outputs, 2)
            };
        }
        LstmStackOutput {
            sequence: input,
            h,
            c,
        }
    }

    /// Runs cell `k` (layer `k / directions`, direction `k % directions`)
    /// over `input`; the backward direction reads each sequence
    /// reversed within its length and its outputs are reversed back.
    fn direction<'t>(
        &self,
        k: usize,
        init: Option<(Var<'t>, Var<'t>)>,
        run: DirectionRun<'_, 't>,
    ) -> (LstmOutput<'t>, Var<'t>) {
        let backward = k % self.directions == 1;
        let read = if backward {
            reverse_within_lengths(run.input, run.lengths)
        } else {
            run.input
        };
        let out = (run.layer)(&self.cells[k], run.tape, read, init, run.opts);
        let seq = out.sequence.unwrap_or_else(|| {
            let zeros = Tensor::zeros(&[run.batch, run.time, self.hidden()]);
            run.tape.constant(zeros)
        });
        let seq = if backward {
            reverse_within_lengths(seq, run.lengths)
        } else {
            seq
        };
        (out, seq)
    }
}

/// What every direction of one layer shares.
struct DirectionRun<'a, 't> {
    layer: LayerFn<'t>,
    tape: &'t Tape,
    input: Var<'t>,
    lengths: Option<&'a [usize]>,
    opts: RecurrentOptions<'a>,
    batch: usize,
    time: usize,
}

type LayerFn<'t> =
    fn(&Lstm, &'t Tape, Var<'t>, Option<(Var<'t>, Var<'t>)>, RecurrentOptions) -> LstmOutput<'t>;

impl Module for LstmStack {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.cells.iter_mut().flat_map(|c| c.params_mut()).collect()
    }
}
