//! The checks that `encdec gradcheck`, `encdec bench` and the tests share:
//! scaffolding for verifying the crate, not part of the models.
//!
//! - [`ops`]: one gradient check per operation of the tape.
//! - [`layers`]: one gradient check per layer, through all its parameters.
//! - [`modules`]: checking any [`crate::nn::Module`] against finite differences.
//! - [`word_vectors`]: the hand-derived gradients of Word2Vec and GloVe.
//! - [`bench`](mod@bench): timing training steps of fixed models; [`growth`]: how the time grows with the length.
//! - [`heap`]: counting the heap bytes a step holds at its peak.
//! - [`table`]: `encdec gradcheck`'s table of every check.

pub mod bench;
pub mod growth;
pub mod heap;
pub mod layers;
pub mod modules;
pub mod ops;
pub mod table;
pub mod word_vectors;
