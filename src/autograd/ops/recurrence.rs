//! What the fused recurrences ([`Var::lstm_sequence`] and
//! [`Var::gru_sequence`]) share: which steps are padding, the check of the
//! lengths, the gradient each step sends back to the state it started from
//! through the recurrent product, and the gradient of the recurrent
//! weights, taken after the backward loop as one product over every step.
//!
//! [`Var::lstm_sequence`]: crate::autograd::Var::lstm_sequence
//! [`Var::gru_sequence`]: crate::autograd::Var::gru_sequence

use crate::tensor::{Float, Tensor, gemm};

/// Whether row `b` is a real (not padded) step at time `t`.
pub(crate) fn real(lengths: &Option<Vec<usize>>, b: usize, t: usize) -> bool {
    lengths.as_ref().is_none_or(|l| t < l[b])
}

/// Panics (naming `op`) unless `lengths` has one entry per row of `p`
/// (`[batch, time, ..]`), each at most `time`.
pub(crate) fn check_lengths(op: &str, lengths: Option<&[usize]>, p: &[usize]) {
    if let Some(l) = lengths {
        assert!(
            l.len() == p[0] && l.iter().all(|&n| n <= p[1]),
            "{op}: lengths {l:?} do not fit input of shape {p:?}"
        );
    }
}

/// Adds to `dh` (`[batch, hidden]`) what step `t` sends back through its
/// recurrent product: `da_t U`, with `da` `[batch, time, gates]` the gradient
/// of every step's product and `u` `[gates, hidden]`. Only rows that are real
/// at `t` get it; padded rows keep their gradient. `scratch` is
/// `[batch, hidden]` of any values.
pub(crate) fn add_recurrent_grad(
    (da, t, time): (&[Float], usize, usize),
    u: &Tensor,
    lengths: &Option<Vec<usize>>,
    dh: &mut [Float],
    scratch: &mut [Float],
) {
    let (gates, hid) = (u.shape()[0], u.shape()[1]);
    let Some(batch) = dh.len().checked_div(hid) else {
        return; // hidden size 0: nothing flows back
    };
    gemm(
        (batch, gates, hid),
        &da[t * gates..],
        (time * gates, 1),
        u.data(),
        (hid, 1),
        scratch,
        (hid, 1),
        false,
    );
    for b in 0..batch {
        if real(lengths, b, t) {
            let r = b * hid..(b + 1) * hid;
            for (d, e) in dh[r.clone()].iter_mut().zip(&scratch[r]) {
                *d += e;
            }
        }
    }
}

/// The gradient of the recurrent weights `[gates, hidden]`, summed over all
/// steps and rows in one product: `da` (`[batch, time, gates]`) is the
/// gradient of each step's recurrent product, and the state it multiplied is
/// `h0` (`[batch, hidden]`) at the first step and, after that, the first
/// `hidden` columns of the previous step of the output `y`
/// (`[batch, time, width]`).
pub(crate) fn recurrent_weight_grad(
    da: &[Float],
    gates: usize,
    h0: &Tensor,
    (y, width): (&[Float], usize),
    time: usize,
) -> Tensor {
    let (batch, hid) = (h0.shape()[0], h0.shape()[1]);
    // h_prev [batch, time, hidden]: the state each step started from.
    let mut h_prev = vec![0.0; batch * time * hid];
    for b in 0..batch {
        for t in 0..time {
            let dst = (b * time + t) * hid;
            let src = if t == 0 {
                &h0.data()[b * hid..(b + 1) * hid]
            } else {
                let r = (b * time + t - 1) * width;
                &y[r..r + hid]
            };
            h_prev[dst..dst + hid].copy_from_slice(src);
        }
    }
    let mut du = vec![0.0; gates * hid];
    gemm(
        (gates, batch * time, hid),
        da,
        (1, gates),
        &h_prev,
        (hid, 1),
        &mut du,
        (hid, 1),
        false,
    );
    Tensor::from_vec(du, &[gates, hid])
}
