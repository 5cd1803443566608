//! # encdec
//!
//! The encoder–decoder architecture of language models, built from scratch
//! on a hand-written reverse-mode autodiff tape, as a companion to a
//! tutorial on encoders, decoders and attention.
//!
//! ## The crate, in reading order
//!
//! | floor | module | what it holds | tutorial |
//! |---|---|---|---|
//! | core | [`tensor`] | plain `f64` N-dimensional arrays: seeded init, broadcasting, reductions, masks, matrix multiply (a reference and a fast kernel) | |
//! | core | [`autograd`] | the tape, every operation with its backward pass beside it, the gradient checker | |
//! | core | [`nn`] | the tutorial's formulas as functions, and the layers built on them | §2.3, §4.1, §4.2, §5.1 |
//! | core | [`optim`] | SGD, Adam, clipping, learning-rate schedules | §5.1 |
//! | text | [`text`] | the tokenizer, the vocabulary, corpus-file readers | §3.1 |
//! | text | [`wordvec`] | Word2Vec and GloVe | §3.1 |
//! | models | [`seq2seq`] | model configs, the three encoder–decoders, training, decoding, scores, files | §3.2, §4.3, §5, §6 |
//! | job | [`pipeline`] | the main job, one way for the command line, the notebooks and the tests: options → prepare → train | §5 |
//! | leaves | [`corpora`] | every generated data set | §4.3, §6 |
//! | leaves | [`viz`] | pictures and the explorer page, drawn from the numbers they are given | |
//! | checks | [`checks`] | what `encdec gradcheck` and `encdec bench` run: a gradient check per op and layer, step timing | |
//! | | [`files`] | writing outputs whole or not at all; checking output paths first; reading inputs up to a cap | |
//!
//! ## Principles
//!
//! 1. **A folder is a role, a file is one idea.** Files stay under about
//!    300 lines and functions under about 60; a longer one says why in its
//!    first line.
//! 2. **Imports point down only:** the binary → [`pipeline`] →
//!    [`seq2seq`] → [`nn`], [`optim`], [`text`], [`wordvec`] →
//!    [`autograd`] → [`tensor`]. [`corpora`] and [`viz`] are leaves: nothing
//!    below the pipeline imports them. `tests/docs/architecture.rs` reads every
//!    `use crate::` line and fails on an import that points up or a circle
//!    between folders.
//! 3. **One way to do the main job:** the command line, every notebook and
//!    every test train through [`pipeline`].
//! 4. **One name, one meaning;** enums, not boolean parameters.
//! 5. **The binary parses and prints.** Every check lives once, on the
//!    library's option type; the flags are derived from the library's types.
//! 6. **Say it once:** one n-gram counter, one score report, one config per
//!    concept with its defaults.
//!
//! Every operation documents its formula, its backward pass and the test
//! that checks it; `docs/formulas.md` maps each formula to its function
//! and test, and a test keeps the two identical.
#![warn(missing_docs)]

pub mod autograd;
pub mod checks;
pub mod corpora;
pub mod files;
pub mod nn;
pub mod optim;
pub mod pipeline;
pub mod seq2seq;
pub mod tensor;
pub mod text;
pub mod viz;
pub mod wordvec;

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
