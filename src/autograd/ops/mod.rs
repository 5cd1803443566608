//! One file per family of operations. Each file holds, side by side, the
//! public method on [`super::Var`] that records the forward pass (its doc
//! comment gives the formula and the local derivative) and the backward
//! function that inverts it, quoting the forward line it differentiates.

pub(crate) mod arith;
pub(crate) mod attention;
pub(crate) mod cross_entropy;
pub mod custom;
pub(crate) mod dropout;
pub(crate) mod gather;
pub(crate) mod gelu;
pub(crate) mod gru_seq;
pub(crate) mod layer_norm;
pub(crate) mod lstm_seq;
pub(crate) mod masked_fill;
pub(crate) mod matmul;
pub(crate) mod recurrence;
pub(crate) mod reduce;
pub(crate) mod shape;
pub(crate) mod softmax;
pub(crate) mod unary;
