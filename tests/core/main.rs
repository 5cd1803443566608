//! The tests of `src/core` (see the list of modules below).

mod expr;
mod files;
mod fused;
mod gradcheck_checker;
mod loss;
mod matmul;
mod nan;
mod ops_forward;
mod ops_gradcheck;
mod optim;
mod panics;
mod tape;
mod tensor;
mod trace;
