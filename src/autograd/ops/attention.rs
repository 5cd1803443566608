// Long file: the fused attention op, its hand-written backward and the reference it is tested against, side by side.
//! Fused scaled dot-product attention over several heads: scores, scale,
//! mask, softmax and the weighted sum of the values in one node with one
//! hand-written backward.
//!
//! The composed version, [`crate::nn::scaled_dot_product_attention`] (the
//! §4.2 functions: a product, a scale, a masked fill, a softmax, a product,
//! and for several heads three slices per head and a concatenation), is the
//! reference the tests compare this op with. The fused op reads each head
//! in place through strides instead of slicing it out, so it makes no copies
//! and no zero-filled slice gradients.

use crate::autograd::op::Op;
use crate::autograd::ops::softmax::softmax_row;
use crate::autograd::tape::Var;
use crate::tensor::{Float, Mask, Tensor, gemm};

/// The sizes of one fused attention: `[batch, n_q, d]` queries,
/// `[batch, n_k, d]` keys, `[batch, n_k, d_v]` values, `heads` heads.
#[derive(Clone, Copy)]
struct Dims {
    batch: usize,
    n_q: usize,
    n_k: usize,
    d: usize,
    d_v: usize,
    heads: usize,
}

impl Dims {
    fn of(q: &[usize], k: &[usize], v: &[usize], heads: usize) -> Dims {
        let ok = q.len() == 3
            && k.len() == 3
            && v.len() == 3
            && k[0] == q[0]
            && v[0] == q[0]
            && k[2] == q[2]
            && v[1] == k[1]
            && heads > 0
            && q[2].is_multiple_of(heads)
            && v[2].is_multiple_of(heads);
        assert!(
            ok,
            "attention: shapes q {q:?}, k {k:?}, v {v:?} do not fit {heads} heads \
             ([batch, n_q, d], [batch, n_k, d], [batch, n_k, d_v], d and d_v multiples of heads)"
        );
        Dims {
            batch: q[0],
            n_q: q[1],
            n_k: k[1],
            d: q[2],
            d_v: v[2],
            heads,
        }
    }

    /// Offsets of head `h` of batch row `b` in q (or k: `n` rows), and in v (or z).
    fn at(&self, b: usize, h: usize, n: usize, width: usize) -> usize {
        b * n * width + h * (width / self.heads)
    }

    /// Offset of the `[n_q, n_k]` weights of batch row `b`, head `h`.
    fn w_at(&self, b: usize, h: usize) -> usize {
        (b * self.heads + h) * self.n_q * self.n_k
    }
}

/// What the backward pass of the output node reads.
pub(crate) struct AttentionSaved {
    /// The attention weights `[batch, heads, n_q, n_k]`.
    weights: Tensor,
    heads: usize,
    scale: Float,
}

impl<'t> Var<'t> {
    /// Multi-head scaled dot-product attention in one node. For each head $h$
    /// (columns `h d/heads .. (h+1) d/heads` of `self` = $Q$, `k` = $K$ and
    /// `v` = $V$):
    ///
    /// $$ A_h = \mathrm{softmax}\big(\mathrm{mask}(s \cdot Q_h K_h^\top)\big), \qquad Z_h = A_h V_h $$
    ///
    /// with $s$ = `scale` ($1/\sqrt{d_k}$ for the Transformer, 1 for dot
    /// attention) and masked scores set to $-\infty$ (a row with every key
    /// masked gets zero weights). Returns $Z = [Z_1; \dots; Z_h]$ and the
    /// weights $A$, which is a second node of the tape sharing the values, so
    /// that a loss may use either.
    ///
    /// # Backward
    /// $\bar V_h = A_h^\top \bar Z_h$, $\bar A_h = \bar Z_h V_h^\top$ (plus the
    /// gradient of the weights node), then the softmax's
    /// $\bar S = A \odot (\bar A - \mathrm{rowsum}(A \odot \bar A))$ (zero where
    /// masked), $\bar Q_h = s \cdot \bar S K_h$, $\bar K_h = s \cdot \bar S^\top Q_h$.
    ///
    /// # Shapes
    /// `self` (queries) `[batch, n_q, d]`, `k` `[batch, n_k, d]`, `v`
    /// `[batch, n_k, d_v]`, `mask` broadcasting to `[batch, n_q, n_k]` ->
    /// (`[batch, n_q, d_v]`, weights `[batch, heads, n_q, n_k]`)
    ///
    /// # Panics
    /// If the shapes do not fit (`attention: shapes ...`), `heads` does not
    /// divide `d` and `d_v`, or the mask does not broadcast.
    ///
    /// Checked by `tests/core/ops_gradcheck.rs::attention_gradcheck` and
    /// `tests/core/fused.rs::fused_multi_head_attention_equals_the_composed_heads`.
    pub fn attention(
        self,
        k: Var<'t>,
        v: Var<'t>,
        heads: usize,
        scale: Float,
        mask: Option<&Mask>,
    ) -> (Var<'t>, Var<'t>) {
        self.same_tape(&k, "attention");
        self.same_tape(&v, "attention");
        let (z, weights) = {
            let nodes = self.tape.nodes();
            let val = |x: Var| &nodes[x.index].value;
            attention_forward(val(self), val(k), val(v), heads, scale, mask)
        };
        let saved = AttentionSaved {
            weights: weights.clone(),
            heads,
            scale,
        };
        let z = self
            .tape
            .push(Op::Attention(Box::new(saved)), &[self, k, v], z);
        let a = self
            .tape
            .push(Op::AttentionWeights { heads, scale }, &[self, k], weights);
        (z, a)
    }
}

/// The forward pass: `(Z, A)`.
fn attention_forward(
    q: &Tensor,
    k: &Tensor,
    v: &Tensor,
    heads: usize,
    scale: Float,
    mask: Option<&Mask>,
) -> (Tensor, Tensor) {
    let s = Dims::of(q.shape(), k.shape(), v.shape(), heads);
    let (d_k, d_vh) = (s.d / heads, s.d_v / heads);
    let hidden = mask.map(|m| m.broadcast_to(&[s.batch, s.n_q, s.n_k], "attention"));
    let mut w = vec![0.0; s.batch * heads * s.n_q * s.n_k];
    let mut z = vec![0.0; s.batch * s.n_q * s.d_v];
    let mut row = vec![0.0; s.n_k];
    for b in 0..s.batch {
        for h in 0..heads {
            let wa = s.w_at(b, h);
            // scores = Q_h K_h^T: [n_q, d_k] x [d_k, n_k], K read transposed through strides.
            gemm(
                (s.n_q, d_k, s.n_k),
                &q.data()[s.at(b, h, s.n_q, s.d)..],
                (s.d, 1),
                &k.data()[s.at(b, h, s.n_k, s.d)..],
                (1, s.d),
                &mut w[wa..],
                (s.n_k, 1),
                false,
            );
            for i in 0..s.n_q {
                let scores = &w[wa + i * s.n_k..wa + (i + 1) * s.n_k];
                for (j, (r, &x)) in row.iter_mut().zip(scores).enumerate() {
                    let masked = hidden
                        .as_ref()
                        .is_some_and(|m| m[(b * s.n_q + i) * s.n_k + j]);
                    *r = if masked {
                        Float::NEG_INFINITY
                    } else {
                        x * scale
                    };
                }
                softmax_row(&row, &mut w[wa + i * s.n_k..wa + (i + 1) * s.n_k]);
            }
            // Z_h = A_h V_h: [n_q, n_k] x [n_k, d_v/heads], written into Z's columns of head h.
            gemm(
                (s.n_q, s.n_k, d_vh),
                &w[wa..],
                (s.n_k, 1),
                &v.data()[s.at(b, h, s.n_k, s.d_v)..],
                (s.d_v, 1),
                &mut z[s.at(b, h, s.n_q, s.d_v)..],
                (s.d_v, 1),
                false,
            );
        }
    }
    (
        Tensor::from_vec(z, &[s.batch, s.n_q, s.d_v]),
        Tensor::from_vec(w, &[s.batch, heads, s.n_q, s.n_k]),
    )
}

/// From the gradient of the weights `da` (overwritten by the gradient of
/// the scaled scores), adds $\bar Q$ and $\bar K$ into `dq`, `dk`.
#[allow(clippy::too_many_arguments)]
fn scores_backward(
    s: &Dims,
    w: &[Float],
    da: &mut [Float],
    q: &[Float],
    k: &[Float],
    scale: Float,
    dq: &mut [Float],
    dk: &mut [Float],
) {
    let d_k = s.d / s.heads;
    for b in 0..s.batch {
        for h in 0..s.heads {
            let wa = s.w_at(b, h);
            // forward: A = softmax(S)  =>  dS = A * (dA - rowsum(A * dA)), times s for the scale.
            for i in 0..s.n_q {
                let r = wa + i * s.n_k..wa + (i + 1) * s.n_k;
                let dot: Float = w[r.clone()]
                    .iter()
                    .zip(&da[r.clone()])
                    .map(|(a, g)| a * g)
                    .sum();
                for (g, &a) in da[r.clone()].iter_mut().zip(&w[r]) {
                    *g = scale * a * (*g - dot);
                }
            }
            let (qa, ka) = (s.at(b, h, s.n_q, s.d), s.at(b, h, s.n_k, s.d));
            // forward: S = Q K^T  =>  dQ += dS K,  dK += dS^T Q
            gemm(
                (s.n_q, s.n_k, d_k),
                &da[wa..],
                (s.n_k, 1),
                &k[ka..],
                (s.d, 1),
                &mut dq[qa..],
                (s.d, 1),
                true,
            );
            gemm(
                (s.n_k, s.n_q, d_k),
                &da[wa..],
                (1, s.n_k),
                &q[qa..],
                (s.d, 1),
                &mut dk[ka..],
                (s.d, 1),
                true,
            );
        }
    }
}

/// Backward of the output node $Z$: gradients for `q`, `k`, `v`.
pub(crate) fn attention_backward(
    saved: &AttentionSaved,
    x: &[&Tensor],
    gz: &Tensor,
) -> Vec<Option<Tensor>> {
    let (q, k, v) = (x[0], x[1], x[2]);
    let s = Dims::of(q.shape(), k.shape(), v.shape(), saved.heads);
    let d_vh = s.d_v / s.heads;
    let w = saved.weights.data();
    let mut da = vec![0.0; w.len()];
    let mut dv = vec![0.0; v.numel()];
    for b in 0..s.batch {
        for h in 0..s.heads {
            let (wa, za, va) = (
                s.w_at(b, h),
                s.at(b, h, s.n_q, s.d_v),
                s.at(b, h, s.n_k, s.d_v),
            );
            // forward: Z_h = A_h V_h  =>  dA_h = dZ_h V_h^T,  dV_h = A_h^T dZ_h
            gemm(
                (s.n_q, d_vh, s.n_k),
                &gz.data()[za..],
                (s.d_v, 1),
                &v.data()[va..],
                (1, s.d_v),
                &mut da[wa..],
                (s.n_k, 1),
                false,
            );
            gemm(
                (s.n_k, s.n_q, d_vh),
                &w[wa..],
                (1, s.n_k),
                &gz.data()[za..],
                (s.d_v, 1),
                &mut dv[va..],
                (s.d_v, 1),
                false,
            );
        }
    }
    let (mut dq, mut dk) = (vec![0.0; q.numel()], vec![0.0; k.numel()]);
    scores_backward(
        &s,
        w,
        &mut da,
        q.data(),
        k.data(),
        saved.scale,
        &mut dq,
        &mut dk,
    );
    vec![
        Some(Tensor::from_vec(dq, q.shape())),
        Some(Tensor::from_vec(dk, k.shape())),
        Some(Tensor::from_vec(dv, v.shape())),
    ]
}

/// Backward of the weights node $A$: gradients for `q` and `k`.
pub(crate) fn attention_weights_backward(
    x: &[&Tensor],
    w: &Tensor,
    ga: &Tensor,
    heads: usize,
    scale: Float,
) -> Vec<Option<Tensor>> {
    let (q, k) = (x[0], x[1]);
    let s = Dims::of(q.shape(), k.shape(), k.shape(), heads);
    let mut da = ga.data().to_vec();
    let (mut dq, mut dk) = (vec![0.0; q.numel()], vec![0.0; k.numel()]);
    scores_backward(
        &s,
        w.data(),
        &mut da,
        q.data(),
        k.data(),
        scale,
        &mut dq,
        &mut dk,
    );
    vec![
        Some(Tensor::from_vec(dq, q.shape())),
        Some(Tensor::from_vec(dk, k.shape())),
    ]
}
