//! # encdec
//!
//! The encoder–decoder architecture of language models, built from scratch
//! on a hand-written reverse-mode autodiff tape, as a companion to a
//! tutorial on encoders, decoders and attention.
//!
//! | module | what it holds |
//! |---|---|
//! | [`tensor`] | plain `f64` N-dimensional arrays: constructors, seeded random init, broadcasting, reductions, matrix multiply (reference and fast) |
//! | [`autograd`] | the tape, every differentiable operation with its backward pass, the gradient checker |
//! | [`nn`] | the tutorial's formulas as functions, and the layers built on them: embedding, linear, RNN, LSTM, GRU, attention, multi-head attention, layer norm, Transformer layers |
//!
//! Every operation documents its formula and its local derivative, and is
//! gradient-checked in `tests/ops_gradcheck.rs`; `encdec gradcheck` runs the
//! same checks from the command line.
#![warn(missing_docs)]

pub mod autograd;
pub mod nn;
pub mod tensor;

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
