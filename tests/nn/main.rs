//! The tests of `src/nn` (see the list of modules below).

mod attention;
mod attention_options;
#[path = "../support/common.rs"]
mod common;
#[path = "../support/fixture_support.rs"]
mod fixture_support;
mod layers_basic;
#[path = "../support/model_support.rs"]
mod model_support;
mod params;
mod parity;
mod properties;
mod recurrent;
mod recurrent_stack;
mod saturation;
mod transformer;
mod transformer_options;
