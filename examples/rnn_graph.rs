//! Prints the tape of one RNN step (tutorial §4.1) as Graphviz DOT, the
//! forward graph only (no values, no gradients). Rendering it needs
//! Graphviz (`apt install graphviz`):
//!
//! ```sh
//! cargo run --release --example rnn_graph | dot -Tpng -o rnn_step.png
//! ```
//!
//! Without Graphviz, and with every value and gradient, step by step through
//! the backward pass: `cargo run --release -- tape rnn-step --out tape.html`.

use encdec::autograd::Tape;
use encdec::nn::{Activation, rnn_step};
use encdec::tensor::{Tensor, rng};

fn main() {
    let mut r = rng(0);
    let tape = Tape::new();
    let x_t = tape
        .constant(Tensor::randn(&[1, 3], 0.0, 1.0, &mut r))
        .named("x_t");
    let h_prev = tape.constant(Tensor::zeros(&[1, 4])).named("h_prev");
    let w_xh = tape
        .leaf(Tensor::xavier_uniform(&[4, 3], &mut r))
        .named("w_xh");
    let w_hh = tape
        .leaf(Tensor::xavier_uniform(&[4, 4], &mut r))
        .named("w_hh");
    let b_h = tape.leaf(Tensor::zeros(&[4])).named("b_h");
    rnn_step(x_t, h_prev, w_xh, w_hh, b_h, Activation::Tanh).named("h_t");
    print!("{}", tape.to_dot());
}
