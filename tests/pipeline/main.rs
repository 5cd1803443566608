//! The tests of `src/pipeline` (see the list of modules below).

#[path = "../support/data_support.rs"]
mod data_support;
mod applications;
#[path = "../support/cli_support.rs"]
mod cli_support;
mod train;
