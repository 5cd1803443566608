//! Sinusoidal positional encoding: self-attention alone ignores word order
//! (it is permutation-equivariant), so the Transformer adds to each word
//! vector a vector that depends only on its position.

use crate::autograd::Var;
use crate::tensor::{Float, Tensor};
use std::ops::Range;

/// The sinusoidal positional encoding of "Attention Is All You Need":
///
/// $$ PE_{pos, 2i} = \sin\Big(\frac{pos}{10000^{2i/d_{model}}}\Big), \qquad
///    PE_{pos, 2i+1} = \cos\Big(\frac{pos}{10000^{2i/d_{model}}}\Big) $$
///
/// A constant: it has no parameters and needs no backward pass.
///
/// # Shapes
/// -> `[len, d_model]`
///
/// Checked by `tests/nn/attention.rs::positional_encoding_by_hand`.
pub fn positional_encoding(len: usize, d_model: usize) -> Tensor {
    positional_rows(0..len, d_model)
}

/// Rows `positions` of [`positional_encoding`], `[positions.len(), d_model]`:
/// a cached decoding step at position $t$ adds row $t$ alone
/// ([`crate::nn::KvCache`]).
pub fn positional_rows(positions: Range<usize>, d_model: usize) -> Tensor {
    let mut pe = Tensor::zeros(&[positions.len(), d_model]);
    for (row, pos) in positions.enumerate() {
        for j in 0..d_model {
            let two_i = (j - j % 2) as Float;
            let angle = pos as Float / 10000f64.powf(two_i / d_model as Float);
            pe.data_mut()[row * d_model + j] = if j % 2 == 0 { angle.sin() } else { angle.cos() };
        }
    }
    pe
}

/// Adds [`positional_encoding`] to a batch of sequences: $y_{b,t} = x_{b,t} + PE_t$.
///
/// # Backward
/// The identity: $\bar x = \bar y$.
///
/// # Shapes
/// `[batch, len, d_model]` -> same
///
/// # Panics
/// If `x` is not 3-D.
///
/// Checked by `tests/nn/attention.rs::positional_encoding_by_hand`.
pub fn add_positional_encoding<'t>(x: Var<'t>) -> Var<'t> {
    let s = x.shape();
    assert!(
        s.len() == 3,
        "add_positional_encoding: input of shape {s:?} is not [batch, len, d_model]"
    );
    x + x.tape().constant(positional_encoding(s[1], s[2]))
}
