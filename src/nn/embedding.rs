//! Word vectors as a lookup table (tutorial §3.1 step 2, §5.1's `Embedding`).

use super::Module;
use crate::autograd::{Param, Tape, Var};
use crate::tensor::{Rng, Tensor};

/// Looks up one row of $E$ per token id: $y_{t} = E_{\mathrm{id}_t,:}$.
///
/// # Backward
/// Only the rows that were looked up receive gradient:
/// $\bar E_{i,:} = \sum_{t : \mathrm{id}(t) = i} \bar y_t$ (a token seen twice adds twice).
///
/// # Shapes
/// `table`: `[vocab, dim]`; `ids` laid out as `shape` (e.g. `[batch, len]`)
/// -> `[..shape, dim]`.
///
/// # Panics
/// If an id is not below `vocab`, or `ids.len()` is not the product of `shape`.
///
/// Checked by `tests/nn/layers_basic.rs::embedding_gradcheck` and
/// `tests/nn/parity.rs::embedding_matches_pytorch`.
pub fn embedding<'t>(table: Var<'t>, ids: &[usize], shape: &[usize]) -> Var<'t> {
    assert!(
        ids.len() == shape.iter().product::<usize>(),
        "embedding: {} ids cannot have shape {shape:?}",
        ids.len()
    );
    let rows = table.gather_rows(ids);
    let mut out = shape.to_vec();
    out.push(rows.shape()[1]);
    rows.reshape(&out)
}

/// An embedding table with PyTorch's name `weight`, `[vocab, dim]`.
#[derive(Clone, Debug)]
pub struct Embedding {
    /// $E$, `[vocab, dim]`, standard normal at creation (as PyTorch).
    pub weight: Param,
}

impl Embedding {
    /// A table of `vocab` vectors of size `dim`, named `{prefix}.weight`.
    pub fn new(prefix: &str, vocab: usize, dim: usize, rng: &mut Rng) -> Embedding {
        let w = Tensor::randn(&[vocab, dim], 0.0, 1.0, rng);
        Embedding {
            weight: Param::new(&super::join(prefix, "weight"), w),
        }
    }

    /// A table holding given vectors (e.g. from Word2Vec or GloVe); frozen
    /// tables take no gradient.
    pub fn from_vectors(prefix: &str, vectors: Tensor, trainable: bool) -> Embedding {
        let mut weight = Param::new(&super::join(prefix, "weight"), vectors);
        weight.trainable = trainable;
        Embedding { weight }
    }

    /// The vocabulary size.
    pub fn vocab(&self) -> usize {
        self.weight.shape()[0]
    }

    /// Applies [`embedding`] with this table.
    ///
    /// # Shapes
    /// `ids` as `shape` -> `[..shape, dim]`
    pub fn forward<'t>(&self, tape: &'t Tape, ids: &[usize], shape: &[usize]) -> Var<'t> {
        embedding(tape.param(&self.weight), ids, shape)
    }
}

impl Module for Embedding {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.weight]
    }
}
