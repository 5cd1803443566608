//! The tests of `src/cli` (see the list of modules below).

#[path = "../support/data_support.rs"]
mod data_support;
mod basics;
#[path = "../support/cli_support.rs"]
mod cli_support;
mod hostile;
mod inspect;
mod sampling;
mod tasks;
mod translate;
mod word_vectors;
