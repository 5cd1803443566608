//! One file per family of operations. Each file holds, side by side, the
//! public method on [`super::Var`] that records the forward pass (its doc
//! comment gives the formula and the local derivative) and the backward
//! function that inverts it, quoting the forward line it differentiates.
//!
//! # Adding an operation
//! To try one out, implement [`custom::CustomOp`]: nothing else changes.
//! To make it part of the crate, these are the places, in order:
//! 1. here, in the file of its family (or a new one): the method on
//!    [`super::Var`] that computes the value and records it with
//!    `self.tape.push(Op::YourOp, &[inputs], value)`, and its backward
//!    function, one `+=` per input, next to it;
//! 2. `super::op`: a variant of `Op` (with what the backward pass needs
//!    kept in it), its name in `Op::name`, and one arm of `backward`
//!    there, the dispatch the tape's reverse loop calls;
//! 3. `src/checks/ops.rs`: a gradient-check case with the inputs' domain,
//!    which `encdec gradcheck` prints and `tests/core/ops_gradcheck.rs` runs
//!    against finite differences;
//! 4. a test that the value is right — worked by hand in a comment, or a
//!    PyTorch fixture made by a script in `scripts/fixtures/`;
//! 5. `docs/formulas.md`: the formula, the function and the tests, one row
//!    (`tests/docs/ledger.rs` keeps it and the rustdoc identical).

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
