//! The fused GRU recurrence: every time step of [`crate::nn::gru_step`] in
//! one forward loop and one hand-written backward loop through time.
//!
//! The composed version (two products, six slices, three nonlinearities and
//! the state update per step, each a node of the tape) is what the tutorial
//! reader reads, and it stays as the reference:
//! [`crate::nn::Gru::forward_steps`]. This op computes the same numbers with
//! one node for the whole sequence. The input projection of all steps is one
//! product before the op; the recurrent weights' and bias's gradients are one
//! product and one sum after the backward loop, instead of one per step.
//!
//! The hidden-side bias is an input of its own because the GRU cannot merge
//! it into the input-side one: its candidate part $b_{hn}$ is multiplied by
//! the reset gate.

use super::recurrence::{add_recurrent_grad, check_lengths, real, recurrent_weight_grad};
use crate::autograd::op::Op;
use crate::autograd::ops::unary::sigmoid;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Tensor, gemm};

/// What the backward pass of [`Var::gru_sequence`] reads: the gates $r, z, n$
/// of every step `[batch, time, 3 hidden]`, the recurrent part of the
/// candidate $g_n$ `[batch, time, hidden]` (both zeros at padded steps), and
/// the lengths.
pub(crate) struct GruSaved {
    gates: Vec<Float>,
    g_n: Vec<Float>,
    lengths: Option<Vec<usize>>,
}

impl<'t> Var<'t> {
    /// All the steps of a GRU layer at once. With the input projections
    /// $p_t = W x_t + b_{ih}$ already computed for every step (one product),
    /// each step is
    ///
    /// $$ [g_r; g_z; g_n] = U h_{t-1} + b_{hh}, \qquad r = \sigma(p_r + g_r),\ z = \sigma(p_z + g_z) $$
    /// $$ n = \tanh(p_n + r \odot g_n), \qquad h_t = (1 - z) \odot n + z \odot h_{t-1} $$
    ///
    /// which is [`crate::nn::gru_step`] with its input product taken out. At
    /// a padded step (`t >= lengths[b]`) row `b` keeps its state:
    /// $h_t = h_{t-1}$.
    ///
    /// # Backward
    /// One loop from the last step to the first, carrying $\bar h$ back in
    /// time: $\bar h = \bar y_t + \bar h_{\text{next}}$, then
    /// $\bar a_n = \bar h \odot (1 - z) \odot (1 - n^2)$,
    /// $\bar a_z = \bar h \odot (h_{t-1} - n) \odot z(1-z)$,
    /// $\bar a_r = \bar a_n \odot g_n \odot r(1-r)$;
    /// the input side gets $\bar p_t = [\bar a_r; \bar a_z; \bar a_n]$, the
    /// recurrent side $\bar g_t = [\bar a_r; \bar a_z; \bar a_n \odot r]$, and
    /// $\bar h_{\text{next}} = \bar h \odot z + \bar g_t U$.
    /// After the loop $\bar U = \sum_t \bar g_t^\top h_{t-1}$, one product, and
    /// $\bar b_{hh} = \sum_t \sum_{\text{batch}} \bar g_t$, one sum. A padded
    /// step passes $\bar h$ straight through and gives $\bar p = \bar g = 0$.
    ///
    /// # Shapes
    /// `p`: `[batch, time, 3 hidden]`, `h0`: `[batch, hidden]`,
    /// `u` (`weight_hh`): `[3 hidden, hidden]`, `b_hh`: `[3 hidden]`
    /// -> `[batch, time, hidden]`, $h_t$ of every step (padded steps
    /// included, holding the carried state).
    ///
    /// # Panics
    /// If the shapes do not fit (`gru_sequence: ...` with the shapes), or
    /// `lengths` does not have one entry per row, each at most `time`.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::gru_sequence_gradcheck`,
    /// `tests/core/fused.rs::fused_gru_equals_the_composed_steps` and
    /// `tests/nn/parity.rs::gru_matches_pytorch`.
    pub fn gru_sequence(
        self,
        h0: Var<'t>,
        u: Var<'t>,
        b_hh: Var<'t>,
        lengths: Option<&[usize]>,
    ) -> Var<'t> {
        let (value, saved) = {
            let nodes = self.tape.nodes();
            let v = |x: Var| &nodes[x.index].value;
            gru_sequence_forward(v(self), v(h0), v(u), v(b_hh), lengths)
        };
        self.tape.push(
            Op::GruSequence(Box::new(saved)),
            &[self, h0, u, b_hh],
            value,
        )
    }
}

fn check_shapes(p: &[usize], h0: &[usize], u: &[usize], b: &[usize], lengths: Option<&[usize]>) {
    let ok = p.len() == 3
        && u.len() == 2
        && u[0] == 3 * u[1]
        && p[2] == u[0]
        && h0 == [p[0], u[1]]
        && b == [u[0]];
    assert!(
        ok,
        "gru_sequence: shapes p {p:?}, h0 {h0:?}, weight_hh {u:?}, bias_hh {b:?} do not fit \
         ([batch, time, 3h], [batch, h], [3h, h], [3h])"
    );
    check_lengths("gru_sequence", lengths, p);
}

/// The forward loop: returns the output `[batch, time, hidden]` and what
/// the backward pass reads.
// Long function: the GRU recurrence, gates to state, one step per loop turn, as the backward pass mirrors it.
fn gru_sequence_forward(
    p: &Tensor,
    h0: &Tensor,
    u: &Tensor,
    b_hh: &Tensor,
    lengths: Option<&[usize]>,
) -> (Tensor, GruSaved) {
    check_shapes(p.shape(), h0.shape(), u.shape(), b_hh.shape(), lengths);
    let (batch, time, hid) = (p.shape()[0], p.shape()[1], u.shape()[1]);
    let g3 = 3 * hid;
    let lengths = lengths.map(<[usize]>::to_vec);
    let p = p.data();
    let mut gates = vec![0.0; batch * time * g3];
    let mut g_n = vec![0.0; batch * time * hid];
    // gh [batch, 3h]: one step's recurrent part, h_{t-1} U^T + b_hh.
    let mut gh = vec![0.0; batch * g3];
    let mut y = vec![0.0; batch * time * hid];
    for t in 0..time {
        for b in 0..batch {
            gh[b * g3..(b + 1) * g3].copy_from_slice(b_hh.data());
        }
        let (h_prev, rs_h) = if t == 0 {
            (h0.data(), hid)
        } else {
            (&y[(t - 1) * hid..], time * hid)
        };
        gemm(
            (batch, hid, g3),
            h_prev,
            (rs_h, 1),
            u.data(),
            (1, hid),
            &mut gh,
            (g3, 1),
            true,
        );
        for b in 0..batch {
            let out = (b * time + t) * hid;
            // The state this step starts from: h0 or the previous step's output.
            let (before, rest) = y.split_at_mut(out);
            let h_t = &mut rest[..hid];
            let prev = if t == 0 {
                &h0.data()[b * hid..(b + 1) * hid]
            } else {
                &before[out - hid..]
            };
            if !real(&lengths, b, t) {
                h_t.copy_from_slice(prev); // padding: carry the state
                continue;
            }
            let at = (b * time + t) * g3;
            let (p_t, gh_t) = (&p[at..at + g3], &gh[b * g3..(b + 1) * g3]);
            let s = &mut gates[at..at + g3];
            for j in 0..hid {
                let r = sigmoid(p_t[j] + gh_t[j]);
                let z = sigmoid(p_t[hid + j] + gh_t[hid + j]);
                let n = (p_t[2 * hid + j] + r * gh_t[2 * hid + j]).tanh();
                (s[j], s[hid + j], s[2 * hid + j]) = (r, z, n);
                g_n[out + j] = gh_t[2 * hid + j];
                // h_t = (1 - z) n + z h_{t-1}, written as gru_step writes it.
                h_t[j] = n + z * (prev[j] - n);
            }
        }
    }
    let saved = GruSaved {
        gates,
        g_n,
        lengths,
    };
    (Tensor::from_vec(y, &[batch, time, hid]), saved)
}

/// Backward of [`Var::gru_sequence`]: gradients for `p`, `h0`, `u` and
/// `b_hh` (only those in `need` are computed; the others are `None`).
///
/// `x` holds the inputs' values, `y` the output, `gy` its gradient.
// Long function: the forward loop reversed step by step; splitting it would part each gate from its gradient.
pub(crate) fn gru_sequence_backward(
    saved: &GruSaved,
    x: &[&Tensor],
    y: &Tensor,
    gy: &Tensor,
    need: &[bool],
) -> Vec<Option<Tensor>> {
    let (h0, u) = (x[1], x[2]);
    let (batch, time, hid) = (x[0].shape()[0], x[0].shape()[1], u.shape()[1]);
    let g3 = 3 * hid;
    let (y, gy) = (y.data(), gy.data());
    // dp, dgh [batch, time, 3h]: the gradients of the input and recurrent parts.
    let mut dp = vec![0.0; batch * time * g3];
    let mut dgh = vec![0.0; batch * time * g3];
    // The gradient flowing back from step t+1 into step t's state.
    let mut dh_next = vec![0.0; batch * hid];
    let mut scratch = vec![0.0; batch * hid];
    for t in (0..time).rev() {
        for b in 0..batch {
            let out = (b * time + t) * hid;
            let s = b * hid;
            // dh: this step's output gradient plus what step t+1 sent back.
            for j in 0..hid {
                dh_next[s + j] += gy[out + j];
            }
            if !real(&saved.lengths, b, t) {
                continue; // padding: h_t = h_{t-1}; the gradient passes through.
            }
            let at = (b * time + t) * g3;
            let gates = &saved.gates[at..at + g3];
            let h_prev = if t == 0 {
                &h0.data()[s..s + hid]
            } else {
                &y[out - hid..out]
            };
            let (dp_t, dgh_t) = (&mut dp[at..at + g3], &mut dgh[at..at + g3]);
            for j in 0..hid {
                let (r, z, n) = (gates[j], gates[hid + j], gates[2 * hid + j]);
                let dh = dh_next[s + j];
                // forward: h_t = n + z (h_{t-1} - n), n = tanh(a_n)
                let da_n = dh * (1.0 - z) * (1.0 - n * n);
                let da_z = dh * (h_prev[j] - n) * z * (1.0 - z);
                // forward: a_n = p_n + r * g_n
                let da_r = da_n * saved.g_n[out + j] * r * (1.0 - r);
                (dp_t[j], dp_t[hid + j], dp_t[2 * hid + j]) = (da_r, da_z, da_n);
                (dgh_t[j], dgh_t[hid + j], dgh_t[2 * hid + j]) = (da_r, da_z, da_n * r);
                dh_next[s + j] = dh * z; // the direct path; dgh U is added below
            }
        }
        // forward: gh_t = h_{t-1} U^T + b_hh  =>  dh_{t-1} += dgh_t U  (real rows only)
        add_recurrent_grad(
            (&dgh, t, time),
            u,
            &saved.lengths,
            &mut dh_next,
            &mut scratch,
        );
    }
    // dU = sum_t dgh_t^T h_{t-1}: one product; db_hh = sum of dgh over rows and steps.
    let du = need[2].then(|| recurrent_weight_grad(&dgh, g3, h0, (y, hid), time));
    let db = need[3].then(|| {
        let mut db = vec![0.0; g3];
        for (k, e) in dgh.iter().enumerate() {
            db[k % g3] += e;
        }
        Tensor::from_vec(db, &[g3])
    });
    vec![
        need[0].then(|| Tensor::from_vec(dp, &[batch, time, g3])),
        need[1].then(|| Tensor::from_vec(dh_next, h0.shape())),
        du,
        db,
    ]
}
