//! From the encoder's final states to the decoder's first: the bridge of the
//! recurrent models, which matters when the encoder is bidirectional (Bahdanau
//! et al.'s encoder; not in the tutorial) and its states are twice as wide.
//!
//! The decoder is unidirectional with as many layers as the encoder, and
//! its layer $l$ starts from the encoder's layer $l$. Each encoder layer
//! ends with $(\overrightarrow h, \overrightarrow c)$ and, when
//! bidirectional, $(\overleftarrow h, \overleftarrow c)$ (with GRU and
//! RNN cells $h$ alone, and everything below said of $c$ does not apply):
//!
//! - one direction: the decoder (hidden $H$) starts from $(h, c)$ as the
//!   §5.1 model always did ([`Directions::Forward`] has no bridge to choose);
//! - [`Bridge::Concat`]: the decoder is $2H$ wide and starts from
//!   $[\overrightarrow h; \overleftarrow h]$ and
//!   $[\overrightarrow c; \overleftarrow c]$; attention reads the
//!   memory $[B, S, 2H]$ as it is;
//! - [`Bridge::Project`]: the decoder keeps hidden $H$ and starts from
//!   [`project_state`]; attention reads the memory through one more
//!   [`Linear`] $2H \to H$, `bridge.memory`.
//!
//! The projections are **shared by all layers** (one `bridge.h` and, for
//! the LSTM, one `bridge.c`), PyTorch names `bridge.h.weight`, `bridge.h.bias`,
//! `bridge.c.*`, `bridge.memory.*`; they are drawn from the seed after
//! every other parameter, so models without them are unchanged.

use crate::autograd::{Param, Tape, Var};
use crate::nn::{Linear, Module, RecurrentStackOutput};
use crate::seq2seq::config::{Bridge, Cell, Directions, RnnConfig};
use crate::tensor::Rng;

/// The decoder's hidden size: $2H$ for a bidirectional encoder with
/// [`Bridge::Concat`], else $H$ (`rnn.hidden`).
pub fn decoder_hidden(rnn: &RnnConfig) -> usize {
    match rnn.directions {
        Directions::Both(Bridge::Concat) => 2 * rnn.hidden,
        _ => rnn.hidden,
    }
}

/// What the decoder reads from the encoder besides its final state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecoderReads {
    /// Only the final state (the §5.1 model).
    FinalState,
    /// Also every encoder output, the memory that attention looks at (§2.3).
    Memory,
}

/// The learnt maps of [`Bridge::Project`].
#[derive(Clone, Debug)]
pub struct StateBridge {
    /// $W_h, b_h$: $[\overrightarrow h; \overleftarrow h]$ ($2H$) → $H$ (`bridge.h.*`).
    pub h: Linear,
    /// $W_c, b_c$: $[\overrightarrow c; \overleftarrow c]$ ($2H$) → $H$
    /// (`bridge.c.*`); `None` for GRU and RNN cells, which have no $c$.
    pub c: Option<Linear>,
    /// The attention model's memory $2H \to H$ (`bridge.memory.*`); `None`
    /// for the §5.1 model, which keeps no memory.
    pub memory: Option<Linear>,
}

impl StateBridge {
    /// The bridge `rnn` asks for: `Some` with [`Bridge::Project`] on a
    /// bidirectional encoder (with a map of the memory when the decoder
    /// `reads` it), else `None`.
    pub fn new(rnn: &RnnConfig, reads: DecoderReads, rng: &mut Rng) -> Option<StateBridge> {
        if rnn.directions != Directions::Both(Bridge::Project) {
            return None;
        }
        let h = rnn.hidden;
        let mut map = |name: &str| Linear::new(name, 2 * h, h, true, rng);
        let h_map = map("bridge.h");
        Some(StateBridge {
            h: h_map,
            c: (rnn.cell == Cell::Lstm).then(|| map("bridge.c")),
            memory: (reads == DecoderReads::Memory).then(|| map("bridge.memory")),
        })
    }
}

/// The decoder's first state from a bidirectional encoder layer's two:
///
/// $$ h_0 = \tanh\big(W_h [\overrightarrow h; \overleftarrow h] + b_h\big), \qquad
///    c_0 = W_c [\overrightarrow c; \overleftarrow c] + b_c $$
///
/// ($\tanh$ keeps $h_0$ in the range of an LSTM's hidden state; the cell
/// state has no such bound and is mapped linearly.)
///
/// (the GRU and the RNN have no $c$: their `state` is `[h]` and only
/// $h_0$ is made).
///
/// # Backward
/// $\bar a = \bar h_0 \odot (1 - h_0^2)$ into $W_h$, $b_h$ and the two
/// $h$ halves as [`crate::nn::linear`]; $\bar c_0$ straight into $W_c$, $b_c$.
///
/// # Shapes
/// `state`: `[h, c]` (or `[h]`), each `[batch, 2 hidden]` -> `[h0, c0]`
/// (or `[h0]`), each `[batch, hidden]`.
///
/// # Panics
/// If the widths are not the bridge's $2H$, or `state` holds a $c$ the
/// bridge has no map for.
///
/// Checked by `tests/seq2seq/rnn_models.rs::projected_bridge_by_hand` and
/// `tests/seq2seq/rnn_models.rs::tiny_stacked_bidirectional_models_pass_gradcheck`.
pub fn project_state<'t>(bridge: &StateBridge, tape: &'t Tape, state: &[Var<'t>]) -> Vec<Var<'t>> {
    let mut out = vec![bridge.h.forward(tape, state[0]).tanh()];
    if let Some(&c) = state.get(1) {
        let map = bridge
            .c
            .as_ref()
            .expect("project_state: a c without bridge.c");
        out.push(map.forward(tape, c));
    }
    out
}

/// The decoder's initial state per layer, `[h_0, c_0, h_1, c_1, ..]`
/// (`[h_0, h_1, ..]` with GRU or RNN cells), from
/// the encoder stack's final states (module documentation: one direction
/// as they are, two concatenated, then projected when `bridge` is `Some`).
///
/// # Shapes
/// `out.h`, `out.c`: `layers * directions` of `[batch, hidden]` ->
/// `2 layers` of `[batch, decoder hidden]`.
pub(super) fn decoder_start<'t>(
    out: &RecurrentStackOutput<'t>,
    directions: usize,
    bridge: Option<&StateBridge>,
    tape: &'t Tape,
) -> Vec<Var<'t>> {
    let join = |v: &[Var<'t>]| {
        if v.len() == 1 {
            v[0]
        } else {
            Var::concat(v, 1)
        }
    };
    let mut state = vec![];
    for (l, h) in out.h.chunks(directions).enumerate() {
        let c = out.c.get(l * directions..(l + 1) * directions);
        let layer: Vec<Var<'t>> = [Some(join(h)), c.map(join)].into_iter().flatten().collect();
        match bridge {
            Some(b) => state.extend(project_state(b, tape, &layer)),
            None => state.extend(layer),
        }
    }
    state
}

impl Module for StateBridge {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut p = self.h.params_mut();
        if let Some(c) = &mut self.c {
            p.extend(c.params_mut());
        }
        if let Some(m) = &mut self.memory {
            p.extend(m.params_mut());
        }
        p
    }
}
