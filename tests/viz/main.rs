//! The tests of `src/viz` (see the list of modules below).

mod arithmetic;
mod bad_input;
mod dual;
mod explorer;
mod hostile_labels;
mod labels;
#[path = "../support/model_support.rs"]
mod model_support;
mod pictures;
#[path = "../support/plot_support.rs"]
mod plot_support;
mod scatter;
mod teaching;
