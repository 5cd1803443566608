//! The tests of `src/pipeline` (see the list of modules below).

mod applications;
#[path = "../support/cli_support.rs"]
mod cli_support;
#[path = "../support/data_support.rs"]
mod data_support;
mod decode;
#[path = "../support/model_support.rs"]
mod model_support;
mod options;
mod playground;
mod session;
mod splits;
mod subwords;
mod tape;
mod train;
