//! The fused LSTM recurrence: every time step of [`crate::nn::lstm_step`] in
//! one forward loop and one hand-written backward loop through time.
//!
//! The composed version (two products, four slices, four nonlinearities and
//! the two state formulas per step, each a node of the tape) is what the
//! tutorial reader reads, and it stays as the reference:
//! [`crate::nn::Lstm::forward_steps`]. This op computes the same numbers with
//! one node for the whole sequence, which saves the tape's bookkeeping, the
//! zero-filled gradients of the gate slices, and most matrix products: the
//! input projection of all steps is one product before the op, and the
//! recurrent weights' gradient is one product after the backward loop,
//! $\bar W_{hh} = \sum_t \bar a_t^\top h_{t-1}$, instead of one per step.

use super::recurrence::{add_recurrent_grad, check_lengths, real, recurrent_weight_grad};
use crate::autograd::op::Op;
use crate::autograd::ops::unary::sigmoid;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor, gemm};

/// What the backward pass of [`Var::lstm_sequence`] reads: the gate
/// activations $i, f, g, o$ of every step `[batch, time, 4 hidden]` and
/// $\tanh c_t$ `[batch, time, hidden]` (zeros at padded steps), and the lengths.
pub(crate) struct LstmSaved {
    gates: Vec<Float>,
    tanh_c: Vec<Float>,
    lengths: Option<Vec<usize>>,
}

impl<'t> Var<'t> {
    /// All the steps of an LSTM layer at once. With the input projections
    /// $p_t = W x_t + b$ already computed for every step (one product),
    /// each step is
    ///
    /// $$ [a_i; a_f; a_g; a_o] = p_t + U h_{t-1}, \quad i,f,o = \sigma(a_{i,f,o}),\ g = \tanh a_g $$
    /// $$ c_t = f \odot c_{t-1} + i \odot g, \qquad h_t = o \odot \tanh c_t $$
    ///
    /// which is [`crate::nn::lstm_step`] with its input product taken out. At
    /// a padded step (`t >= lengths[b]`) row `b` keeps its state:
    /// $h_t = h_{t-1}$, $c_t = c_{t-1}$.
    ///
    /// # Backward
    /// One loop from the last step to the first, carrying $\bar h$ and $\bar c$
    /// back in time: $\bar h = \bar y^h_t + \bar h_{\text{next}}$,
    /// $\bar c = \bar y^c_t + \bar c_{\text{next}} + \bar h \odot o (1 - \tanh^2 c_t)$, then
    /// $\bar a_i = \bar c \odot g \odot i(1-i)$, $\bar a_f = \bar c \odot c_{t-1} \odot f(1-f)$,
    /// $\bar a_g = \bar c \odot i \odot (1-g^2)$, $\bar a_o = \bar h \odot \tanh c_t \odot o(1-o)$,
    /// $\bar c_{\text{next}} = \bar c \odot f$, $\bar h_{\text{next}} = \bar a U$.
    /// After the loop $\bar p = \bar a$ (all steps) and
    /// $\bar U = \sum_t \bar a_t^\top h_{t-1}$, one product. A padded step passes
    /// $\bar h$, $\bar c$ straight through and gives $\bar a = 0$.
    ///
    /// # Shapes
    /// `p`: `[batch, time, 4 hidden]`, `h0`, `c0`: `[batch, hidden]`,
    /// `u` (`weight_hh`): `[4 hidden, hidden]` -> `[batch, time, 2 hidden]`,
    /// holding $h_t$ in the first `hidden` columns and $c_t$ in the rest.
    ///
    /// # Panics
    /// If the shapes do not fit (`lstm_sequence: ...` with the shapes), or
    /// `lengths` does not have one entry per row, each at most `time`.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::lstm_sequence_gradcheck`,
    /// `tests/core/fused.rs::fused_lstm_equals_the_composed_steps` and
    /// `tests/nn/parity.rs::lstm_matches_pytorch` (the layer runs this op).
    pub fn lstm_sequence(
        self,
        (h0, c0): (Var<'t>, Var<'t>),
        u: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> Var<'t> {
        let (value, saved) = {
            let nodes = self.tape.nodes();
            let v = |x: Var| &nodes[x.index].value;
            lstm_sequence_forward(v(self), v(h0), v(c0), v(u), lengths)
        };
        self.tape
            .push(Op::LstmSequence(Box::new(saved)), &[self, h0, c0, u], value)
    }
}

fn check_shapes(p: &[usize], h0: &[usize], c0: &[usize], u: &[usize], lengths: Option<&[usize]>) {
    let ok = p.len() == 3
        && u.len() == 2
        && u[0] == 4 * u[1]
        && p[2] == u[0]
        && h0 == [p[0], u[1]]
        && c0 == h0;
    assert!(
        ok,
        "lstm_sequence: shapes p {p:?}, h0 {h0:?}, c0 {c0:?}, weight_hh {u:?} do not fit \
         ([batch, time, 4h], [batch, h], [batch, h], [4h, h])"
    );
    check_lengths("lstm_sequence", lengths, p);
}

/// The forward loop: returns the output `[batch, time, 2 hidden]` and what
/// the backward pass reads.
// Long function: the LSTM recurrence, gates to state, one step per loop turn, as the backward pass mirrors it.
fn lstm_sequence_forward(
    p: &Tensor,
    h0: &Tensor,
    c0: &Tensor,
    u: &Tensor,
    lengths: Option<&[usize]>,
) -> (Tensor, LstmSaved) {
    check_shapes(p.shape(), h0.shape(), c0.shape(), u.shape(), lengths);
    let (batch, time, hid) = (p.shape()[0], p.shape()[1], u.shape()[1]);
    let g4 = 4 * hid;
    let lengths = lengths.map(<[usize]>::to_vec);
    // gates [batch, time, 4h]: starts as p, gets U h_{t-1} added, then the nonlinearities.
    let mut gates = p.data().to_vec();
    let mut tanh_c = vec![0.0; batch * time * hid];
    // y [batch, time, 2h]: h_t then c_t.
    let mut y = vec![0.0; batch * time * 2 * hid];
    for t in 0..time {
        // a_t += h_{t-1} U^T: rows of the previous step's h (or h0), written into gates[:, t, :].
        let (h_prev, rs_h) = if t == 0 {
            (h0.data(), hid)
        } else {
            (&y[(t - 1) * 2 * hid..], time * 2 * hid)
        };
        gemm(
            (batch, hid, g4),
            h_prev,
            (rs_h, 1),
            u.data(),
            (1, hid),
            &mut gates[t * g4..],
            (time * g4, 1),
            true,
        );
        for b in 0..batch {
            let at = (b * time + t) * g4;
            let out = (b * time + t) * 2 * hid;
            // The state this step starts from: h0, c0, or the previous step's output.
            let (before, rest) = y.split_at_mut(out);
            let (h_t, c_t) = rest[..2 * hid].split_at_mut(hid);
            let (prev_h, prev_c) = if t == 0 {
                let r = b * hid..(b + 1) * hid;
                (&h0.data()[r.clone()], &c0.data()[r])
            } else {
                let r = out - 2 * hid;
                (&before[r..r + hid], &before[r + hid..out])
            };
            if !real(&lengths, b, t) {
                // Padding: carry the state, and leave the gates at zero for backward.
                gates[at..at + g4].fill(0.0);
                h_t.copy_from_slice(prev_h);
                c_t.copy_from_slice(prev_c);
                continue;
            }
            let a = &mut gates[at..at + g4];
            for j in 0..hid {
                let i = sigmoid(a[j]);
                let f = sigmoid(a[hid + j]);
                let g = a[2 * hid + j].tanh();
                let o = sigmoid(a[3 * hid + j]);
                (a[j], a[hid + j], a[2 * hid + j], a[3 * hid + j]) = (i, f, g, o);
                let c = f * prev_c[j] + i * g;
                let tc = c.tanh();
                tanh_c[(b * time + t) * hid + j] = tc;
                h_t[j] = o * tc;
                c_t[j] = c;
            }
        }
    }
    let saved = LstmSaved {
        gates,
        tanh_c,
        lengths,
    };
    (Tensor::from_vec(y, &[batch, time, 2 * hid]), saved)
}

/// Backward of [`Var::lstm_sequence`]: gradients for `p`, `h0`, `c0` and `u`
/// (only those in `need` are computed; the others are `None`).
///
/// `x` holds the inputs' values, `y` the output, `gy` its gradient.
// Long function: the forward loop reversed step by step; splitting it would part each gate from its gradient.
pub(crate) fn lstm_sequence_backward(
    saved: &LstmSaved,
    x: &[&Tensor],
    y: &Tensor,
    gy: &Tensor,
    need: &[bool],
) -> Vec<Option<Tensor>> {
    let (h0, c0, u) = (x[1], x[2], x[3]);
    let (batch, time, hid) = (x[0].shape()[0], x[0].shape()[1], u.shape()[1]);
    let g4 = 4 * hid;
    let (y, gy) = (y.data(), gy.data());
    // da [batch, time, 4h]: the gradient of every step's pre-activations, = gradient of p.
    let mut da = vec![0.0; batch * time * g4];
    // The gradients flowing back from step t+1 into step t's state.
    let mut dh_next = vec![0.0; batch * hid];
    let mut dc_next = vec![0.0; batch * hid];
    let mut scratch = vec![0.0; batch * hid];
    for t in (0..time).rev() {
        for b in 0..batch {
            let out = (b * time + t) * 2 * hid;
            let s = b * hid;
            // dh, dc: this step's output gradient plus what step t+1 sent back.
            for j in 0..hid {
                dh_next[s + j] += gy[out + j];
                dc_next[s + j] += gy[out + hid + j];
            }
            if !real(&saved.lengths, b, t) {
                continue; // padding: h_t = h_{t-1}, c_t = c_{t-1}; the gradients pass through.
            }
            let at = (b * time + t) * g4;
            let gates = &saved.gates[at..at + g4];
            let c_prev = if t == 0 {
                &c0.data()[s..s + hid]
            } else {
                let r = (b * time + t - 1) * 2 * hid + hid;
                &y[r..r + hid]
            };
            let d = &mut da[at..at + g4];
            for j in 0..hid {
                let (i, f, g, o) = (
                    gates[j],
                    gates[hid + j],
                    gates[2 * hid + j],
                    gates[3 * hid + j],
                );
                let tc = saved.tanh_c[(b * time + t) * hid + j];
                let dh = dh_next[s + j];
                // forward: h_t = o * tanh(c_t)  =>  dc += dh * o * (1 - tanh^2 c_t), do = dh * tanh c_t
                let dc = dc_next[s + j] + dh * o * (1.0 - tc * tc);
                // forward: c_t = f * c_{t-1} + i * g
                d[j] = dc * g * i * (1.0 - i);
                d[hid + j] = dc * c_prev[j] * f * (1.0 - f);
                d[2 * hid + j] = dc * i * (1.0 - g * g);
                d[3 * hid + j] = dh * tc * o * (1.0 - o);
                dc_next[s + j] = dc * f;
                dh_next[s + j] = 0.0; // h_{t-1} reaches h_t only through a_t: added below
            }
        }
        // forward: a_t = p_t + h_{t-1} U^T  =>  dh_{t-1} += da_t U  (real rows; padded rows keep dh)
        add_recurrent_grad(
            (&da, t, time),
            u,
            &saved.lengths,
            &mut dh_next,
            &mut scratch,
        );
    }
    // dU = sum_t da_t^T h_{t-1}: one product over all (row, step) pairs.
    let du = need[3].then(|| recurrent_weight_grad(&da, g4, h0, (y, 2 * hid), time));
    vec![
        need[0].then(|| Tensor::from_vec(da, &[batch, time, g4])),
        need[1].then(|| Tensor::from_vec(dh_next, h0.shape())),
        need[2].then(|| Tensor::from_vec(dc_next, c0.shape())),
        du,
    ]
}
