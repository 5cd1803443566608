//! Additive (float) attention masks: a matrix $M$ added to the scores
//! before the softmax, as PyTorch's float `attn_mask`.

use super::{Float, Tensor};

/// An additive attention mask: $M_{ij}$ is added to the scaled score of
/// query $i$ and key $j$ before the softmax (the formula is at
/// [`crate::nn::attention_weights_biased`]).
///
/// An entry of $-\infty$ hides key $j$ from query $i$ (weight exactly 0),
/// a finite entry biases the score (ALiBi-style distance penalties, soft
/// masks). Next to the boolean [`super::Mask`], which only hides.
///
/// # Rows hidden entirely
/// A row whose entries are all $-\infty$ has no defined softmax (PyTorch's
/// `nn.MultiheadAttention` returns NaN there). [`FloatMask::new`] refuses
/// such a row with an error naming it, so a hidden-everything row is never
/// silently turned into zeros or NaN; hide whole rows with a boolean
/// [`super::Mask`] instead, whose convention (all-zero weights) is stated.
///
/// # Shapes
/// `[n_q, n_k]` or `[batch, n_q, n_k]` (the same for every head), or
/// `[batch, n_heads, n_q, n_k]` (one per head); any axis may be 1 to
/// broadcast. PyTorch's `[batch·n_heads, n_q, n_k]` is the last one reshaped.
///
/// Checked by `tests/nn/attention_options.rs::float_mask_refuses_rows_hidden_entirely`
/// and `per_head_float_mask_matches_pytorch`.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatMask {
    values: Tensor,
}

impl FloatMask {
    /// A float mask holding `values`.
    ///
    /// # Errors
    /// If `values` has fewer than 2 or more than 4 axes, holds a NaN or
    /// $+\infty$, or has a row (last axis) that is $-\infty$ everywhere; the
    /// message names the entry or row and says what to do.
    pub fn new(values: Tensor) -> Result<FloatMask, String> {
        let shape = values.shape().to_vec();
        if !(2..=4).contains(&shape.len()) {
            return Err(format!(
                "float mask: shape {shape:?} must be [n_q, n_k], [batch, n_q, n_k] \
                 or [batch, n_heads, n_q, n_k]"
            ));
        }
        let n_k = shape[shape.len() - 1];
        if let Some(i) = values
            .data()
            .iter()
            .position(|v| v.is_nan() || *v == Float::INFINITY)
        {
            return Err(format!(
                "float mask: entry {i} (row {}, column {}) is {}; entries must be finite or -inf",
                i / n_k.max(1),
                i % n_k.max(1),
                values.data()[i]
            ));
        }
        if n_k > 0 {
            let rows = values.data().chunks(n_k);
            if let Some(r) = rows
                .into_iter()
                .position(|r| r.iter().all(|v| *v == Float::NEG_INFINITY))
            {
                return Err(format!(
                    "float mask: row {r} (of shape {shape:?} read as rows of {n_k}) is -inf \
                     everywhere, so its softmax is undefined (PyTorch gives NaN); leave at \
                     least one key finite in each row, or hide the row with a boolean Mask"
                ));
            }
        }
        Ok(FloatMask { values })
    }

    /// A mask from a boolean one: $-\infty$ where hidden, 0 elsewhere.
    ///
    /// # Errors
    /// As [`FloatMask::new`] (a row hidden entirely).
    pub fn from_bool(mask: &super::Mask) -> Result<FloatMask, String> {
        let data = mask
            .data()
            .iter()
            .map(|&h| if h { Float::NEG_INFINITY } else { 0.0 })
            .collect();
        FloatMask::new(Tensor::from_vec(data, mask.shape()))
    }

    /// The values $M$.
    pub fn values(&self) -> &Tensor {
        &self.values
    }

    /// The part of the mask that head `h` of `n_heads` adds, with at most 3
    /// axes (it broadcasts to `[batch, n_q, n_k]`).
    ///
    /// # Panics
    /// If a 4-axis mask's head axis is neither 1 nor `n_heads`.
    pub fn head(&self, h: usize, n_heads: usize) -> Tensor {
        let s = self.values.shape();
        if s.len() < 4 {
            return self.values.clone();
        }
        assert!(
            s[1] == 1 || s[1] == n_heads,
            "float mask: head axis of shape {s:?} is neither 1 nor n_heads = {n_heads}"
        );
        let part = s[2] * s[3];
        let pick = if s[1] == 1 { 0 } else { h };
        let data = (0..s[0])
            .flat_map(|b| {
                let at = (b * s[1] + pick) * part;
                self.values.data()[at..at + part].to_vec()
            })
            .collect();
        Tensor::from_vec(data, &[s[0], s[2], s[3]])
    }
}
