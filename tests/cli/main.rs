//! The tests of `src/bin/encdec`: the command line driven as a user would
//! drive it, good input and bad.

mod basics;
mod bounds;
#[path = "../support/cli_support.rs"]
mod cli_support;
mod corpus;
#[path = "../support/data_support.rs"]
mod data_support;
mod experiments;
mod hostile;
mod inspect;
mod knows;
#[path = "../support/model_support.rs"]
mod model_support;
mod outputs;
mod reading;
mod sampling;
mod subwords;
mod tasks;
mod translate;
mod watch;
mod word_vectors;
