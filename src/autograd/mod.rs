//! Reverse-mode automatic differentiation on a tape (a Wengert list).
//!
//! - [`Tape`] records nodes in creation order; [`Var`] is an index into it.
//! - The methods of [`Var`] are the operations; each lives with its backward
//!   pass in a file of `ops/` (`src/autograd/ops/mod.rs` lists them; the
//!   tape's record of each is an `Op`, in `src/autograd/op.rs`).
//! - [`Tape::backward`] is one reverse loop over the nodes.
//! - [`gradcheck()`] checks any function's gradients against finite differences;
//!   [`crate::checks::ops::op_cases`] holds one check per operation.
//! - [`Param`] is a named weight that outlives tapes; [`Tape::param`] puts it on one.
//! - [`Tape::to_dot`] draws the graph; [`Var::inputs`], [`Var::op_name`] and
//!   [`Tape::var`] read it back (`edges.rs`).
//! - [`Tape::trace_backward`] replays the reverse loop and records every `+=`
//!   (`trace.rs`, with each rule's arithmetic in `explain.rs`), for `encdec tape`;
//!   [`expr`] parses the tiny expression syntax that page can differentiate.

mod dot;
mod edges;
mod explain;
pub mod expr;
mod expr_record;
pub mod gradcheck;
mod op;
mod ops;
mod param;
mod tape;
mod trace;

pub use expr_record::{MAX_VALUE, MAX_VARIABLES, parse_assignments};
pub use gradcheck::{GradcheckConfig, GradcheckReport, InputReport, Mode, Worst, gradcheck};
pub use ops::cross_entropy::{CrossEntropyOptions, Reduction};
pub use ops::custom::CustomOp;
pub use ops::gelu::{erf, erf_fast};
pub(crate) use ops::unary::sigmoid;
pub use param::Param;
pub use tape::{Tape, Var};
pub use trace::{BackwardTrace, Contribution, NodeRole, TraceNode, TraceStep};
