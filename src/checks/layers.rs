// Long file: the table of every layer's gradient check, one case each.
//! One gradient check per layer and per tutorial formula, shared by
//! `encdec gradcheck` and the tests. Each case builds its layer from a seed,
//! moves every parameter away from its initial value (so that no weight is
//! conveniently 0 or 1), and checks a weighted sum of all its outputs with
//! respect to its inputs and all its parameters.

use super::modules::{detached_params, gradcheck_module, weighted_sum};
use crate::autograd::{GradcheckReport, Tape, Var};
use crate::nn::*;
use crate::tensor::{Float, FloatMask, Mask, Tensor, rng};

/// The result of one layer case.
pub struct LayerCheck {
    /// The gradient check over inputs and parameters.
    pub report: GradcheckReport,
    /// Parameters left without gradient by one backward pass (should be none).
    pub detached: Vec<String>,
}

/// A named layer case, run with a seed.
#[derive(Clone, Copy)]
pub struct LayerCase {
    /// The layer or formula checked.
    pub name: &'static str,
    /// Runs the case.
    pub run: fn(u64) -> LayerCheck,
}

/// For the functions that have no parameters of their own.
struct NoParams;

impl Module for NoParams {
    fn params_mut(&mut self) -> Vec<&mut crate::autograd::Param> {
        vec![]
    }
}

/// Sets every parameter to fresh $\mathcal N(0, 0.5^2)$ values.
fn randomize<M: Module>(mut m: M, seed: u64) -> M {
    let mut r = rng(seed ^ 0x5eed);
    for p in m.params_mut() {
        p.value = Tensor::randn(p.value.shape(), 0.0, 0.5, &mut r);
    }
    m
}

fn inputs(shapes: &[&[usize]], seed: u64) -> Vec<Tensor> {
    let mut r = rng(seed);
    shapes
        .iter()
        .map(|s| Tensor::randn(s, 0.0, 1.0, &mut r))
        .collect()
}

fn check<M, F>(mut m: M, xs: &[Tensor], loss: F) -> LayerCheck
where
    M: Module,
    F: for<'t> Fn(&M, &'t Tape, &[Var<'t>]) -> Var<'t> + Copy,
{
    LayerCheck {
        report: gradcheck_module(&mut m, xs, loss),
        detached: detached_params(&mut m, xs, loss),
    }
}

const LENGTHS: [usize; 2] = [5, 3];

fn seq_opts() -> RecurrentOptions<'static> {
    RecurrentOptions {
        return_sequences: true,
        lengths: Some(&LENGTHS),
    }
}

fn linear_case(seed: u64) -> LayerCheck {
    let m = randomize(Linear::new("", 4, 3, true, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 5, 4]], seed), |m, t, x| {
        weighted_sum(m.forward(t, x[0]), 1)
    })
}

fn embedding_case(seed: u64) -> LayerCheck {
    let m = Embedding::new("", 7, 3, &mut rng(seed));
    check(m, &[], |m, t, _| {
        weighted_sum(m.forward(t, &[1, 3, 3, 0, 6, 1, 2, 3], &[2, 4]), 1)
    })
}

fn rnn_case(f: Activation, seed: u64) -> LayerCheck {
    let m = randomize(Rnn::new("", 3, 4, f, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 5, 3], &[2, 4]], seed), |m, t, x| {
        let out = m.forward(t, x[0], Some(x[1]), seq_opts());
        weighted_sum(out.sequence.unwrap(), 1) + weighted_sum(out.h, 2)
    })
}

/// The LSTM layer, fused ([`Lstm::forward`]) or step by step
/// ([`Lstm::forward_steps`], the reference).
fn lstm_case(seed: u64, steps: bool) -> LayerCheck {
    let m = randomize(Lstm::new("", 3, 4, &mut rng(seed)), seed);
    check(
        m,
        &inputs(&[&[2, 5, 3], &[2, 4], &[2, 4]], seed),
        move |m, t, x| {
            let run = if steps {
                Lstm::forward_steps
            } else {
                Lstm::forward
            };
            let out = run(m, t, x[0], Some((x[1], x[2])), seq_opts());
            weighted_sum(out.sequence.unwrap(), 1) + weighted_sum(out.h, 2) + weighted_sum(out.c, 3)
        },
    )
}

/// Two stacked bidirectional layers of `cell` ([`RecurrentStack`]) over a
/// padded batch, with initial states and the dropout between layers (its
/// mask drawn from a fixed seed, so every evaluation drops the same
/// elements); fused ([`RecurrentStack::forward`]) or step by step
/// ([`RecurrentStack::forward_steps`]).
fn stack_case(cell: Cell, seed: u64, steps: bool) -> LayerCheck {
    let m = RecurrentStack::new(("", cell), 3, 2, (2, true), 0.3, &mut rng(seed));
    let m = randomize(m, seed);
    // x, then the cell's states of each of the 2 layers x 2 directions, in h_n order.
    let states = 4 * cell.states();
    let mut shapes: Vec<&[usize]> = vec![&[2, 5, 3]];
    shapes.extend(std::iter::repeat_n(&[2usize, 2][..], states));
    check(m, &inputs(&shapes, seed), move |m, t, x| {
        let run = if steps {
            RecurrentStack::forward_steps
        } else {
            RecurrentStack::forward
        };
        let mut dropout = rng(seed ^ 0xd20);
        let init = &x[1..=states];
        let out = run(m, t, x[0], Some(init), Some(&LENGTHS), Some(&mut dropout));
        let finals = Var::concat(&[out.h, out.c].concat(), 1);
        weighted_sum(out.sequence, 1) + weighted_sum(finals, 2)
    })
}

/// The GRU layer, fused ([`Gru::forward`]) or step by step
/// ([`Gru::forward_steps`], the reference).
fn gru_case(seed: u64, steps: bool) -> LayerCheck {
    let m = randomize(Gru::new("", 3, 4, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 5, 3], &[2, 4]], seed), move |m, t, x| {
        let run = if steps {
            Gru::forward_steps
        } else {
            Gru::forward
        };
        let out = run(m, t, x[0], Some(x[1]), seq_opts());
        weighted_sum(out.sequence.unwrap(), 1) + weighted_sum(out.h, 2)
    })
}

fn dot_attention_case(seed: u64) -> LayerCheck {
    check(
        NoParams,
        &inputs(&[&[2, 3, 4], &[2, 5, 4]], seed),
        |_, _, x| {
            let (c, a) = DotAttention.forward(x[0], x[1], Some(&LENGTHS));
            weighted_sum(c, 1) + weighted_sum(a, 2)
        },
    )
}

fn additive_attention_case(seed: u64) -> LayerCheck {
    let m = randomize(AdditiveAttention::new("", 4, 3, 5, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 3, 4], &[2, 5, 3]], seed), |m, t, x| {
        let (c, a) = m.forward(t, x[0], x[1], Some(&LENGTHS));
        weighted_sum(c, 1) + weighted_sum(a, 2)
    })
}

fn sdpa_case(seed: u64) -> LayerCheck {
    check(
        NoParams,
        &inputs(&[&[2, 3, 4], &[2, 5, 4], &[2, 5, 2]], seed),
        |_, _, x| {
            let (z, a) =
                scaled_dot_product_attention(x[0], x[1], x[2], Some(&Mask::padding(&LENGTHS, 5)));
            weighted_sum(z, 1) + weighted_sum(a, 2)
        },
    )
}

fn mha_case(seed: u64) -> LayerCheck {
    let m = randomize(MultiHeadAttention::new("", 6, 2, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 3, 6], &[2, 5, 6]], seed), |m, t, x| {
        let (y, a) = m.forward(t, x[0], x[1], x[1], Some(&Mask::padding(&LENGTHS, 5)));
        weighted_sum(y, 1) + weighted_sum(a, 2)
    })
}

/// Finite $\mathcal N(0, 1)$ biases with $-\infty$ where $(i + j) \bmod 3 = 2$
/// (query $i$, key $j$): never a whole row once there are 3 keys.
fn float_mask(shape: &[usize], seed: u64) -> FloatMask {
    let (n_q, n_k) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    let t = Tensor::randn(shape, 0.0, 1.0, &mut rng(seed ^ 0xf10a7));
    let data = t.data().iter().enumerate().map(|(f, &v)| {
        let (i, j) = ((f / n_k) % n_q, f % n_k);
        if (i + j) % 3 == 2 {
            Float::NEG_INFINITY
        } else {
            v
        }
    });
    FloatMask::new(Tensor::from_vec(data.collect(), shape)).expect("float_mask keeps a key per row")
}

fn sdpa_float_mask_case(seed: u64) -> LayerCheck {
    let m = float_mask(&[3, 5], seed);
    check(
        NoParams,
        &inputs(&[&[2, 3, 4], &[2, 5, 4], &[2, 5, 2]], seed),
        |_, t, x| {
            let bias = Some(t.constant(m.values().clone()));
            let padding = Mask::padding(&LENGTHS, 5);
            let (z, a) =
                scaled_dot_product_attention_biased(x[0], x[1], x[2], Some(&padding), bias);
            weighted_sum(z, 1) + weighted_sum(a, 2)
        },
    )
}

/// `kdim`, `vdim`, no biases and a per-head float mask, or (`options =
/// false`) today's layer with one float mask for every head.
fn mha_options_case(seed: u64, options: bool) -> LayerCheck {
    let (opts, kv, mask) = if options {
        let o = MhaOptions {
            kdim: Some(4),
            vdim: Some(5),
            bias: false,
        };
        (o, [4, 5], float_mask(&[2, 2, 3, 5], seed))
    } else {
        (MhaOptions::default(), [6, 6], float_mask(&[3, 5], seed))
    };
    let m = randomize(
        MultiHeadAttention::with_options("", 6, 2, opts, &mut rng(seed)),
        seed,
    );
    let shapes: [&[usize]; 3] = [&[2, 3, 6], &[2, 5, kv[0]], &[2, 5, kv[1]]];
    check(m, &inputs(&shapes, seed), |m, t, x| {
        let padding = Mask::padding(&LENGTHS, 5);
        let (y, a) = m.forward_with(t, x[0], x[1], x[2], Some(&padding), Some(&mask));
        weighted_sum(y, 1) + weighted_sum(a, 2)
    })
}

fn positional_case(seed: u64) -> LayerCheck {
    check(NoParams, &inputs(&[&[2, 3, 4]], seed), |_, _, x| {
        weighted_sum(add_positional_encoding(x[0]), 1)
    })
}

fn layer_norm_case(seed: u64) -> LayerCheck {
    let m = randomize(LayerNorm::new("", 5), seed);
    check(m, &inputs(&[&[2, 3, 5]], seed), |m, t, x| {
        weighted_sum(m.forward(t, x[0]), 1)
    })
}

fn feed_forward_case(seed: u64) -> LayerCheck {
    let m = randomize(FeedForward::new("", 4, 6, &mut rng(seed)), seed);
    check(m, &inputs(&[&[2, 3, 4]], seed), |m, t, x| {
        weighted_sum(m.forward(t, x[0], 0.0, None), 1)
    })
}

/// Pre-norm with GELU: the other wiring of a layer ([`LayerOptions`]).
const PRE_NORM_GELU: LayerOptions = LayerOptions {
    norm_first: true,
    activation: FfnActivation::Gelu,
};

fn encoder_layer_case(seed: u64, options: LayerOptions) -> LayerCheck {
    let layer = EncoderLayer::new("", 4, 2, 6, 0.0, &mut rng(seed)).with_options(options);
    let m = randomize(layer, seed);
    check(m, &inputs(&[&[2, 5, 4]], seed), |m, t, x| {
        let (y, a) = m.forward(t, x[0], Some(&Mask::padding(&LENGTHS, 5)), None);
        weighted_sum(y, 1) + weighted_sum(a, 2)
    })
}

fn decoder_layer_case(seed: u64, options: LayerOptions) -> LayerCheck {
    let layer = DecoderLayer::new("", 4, 2, 6, 0.0, &mut rng(seed)).with_options(options);
    let m = randomize(layer, seed);
    check(m, &inputs(&[&[2, 3, 4], &[2, 5, 4]], seed), |m, t, x| {
        let masks = (Some(&Mask::causal(3)), Some(&Mask::padding(&LENGTHS, 5)));
        let out = m.forward(t, x[0], x[1], (masks.0, masks.1), None);
        weighted_sum(out.y, 1)
            + weighted_sum(out.self_weights, 2)
            + weighted_sum(out.cross_weights, 3)
    })
}

/// Two small layers; `pre_norm` adds every option: pre-norm, GELU, final norm.
fn stack_config(pre_norm: bool) -> StackConfig {
    StackConfig {
        layers: 2,
        d_model: 4,
        n_heads: 2,
        d_ff: 5,
        dropout: 0.0,
        options: if pre_norm {
            PRE_NORM_GELU
        } else {
            LayerOptions::default()
        },
        final_norm: pre_norm,
    }
}

fn encoder_stack_case(seed: u64, pre_norm: bool) -> LayerCheck {
    let m = randomize(
        TransformerEncoder::new("encoder", stack_config(pre_norm), &mut rng(seed)),
        seed,
    );
    check(m, &inputs(&[&[2, 5, 4]], seed), |m, t, x| {
        let (y, _) = m.forward(t, x[0], Some(&Mask::padding(&LENGTHS, 5)), None);
        weighted_sum(y, 1)
    })
}

fn decoder_stack_case(seed: u64, pre_norm: bool) -> LayerCheck {
    let m = randomize(
        TransformerDecoder::new("decoder", stack_config(pre_norm), &mut rng(seed)),
        seed,
    );
    check(m, &inputs(&[&[2, 3, 4], &[2, 5, 4]], seed), |m, t, x| {
        let masks = (Some(&Mask::causal(3)), Some(&Mask::padding(&LENGTHS, 5)));
        let y = m.forward(t, x[0], x[1], (masks.0, masks.1), None).y;
        weighted_sum(y, 1)
    })
}

/// Every layer case.
pub fn layer_cases() -> Vec<LayerCase> {
    let case = |name, run| LayerCase { name, run };
    vec![
        case("linear", linear_case),
        case("embedding", embedding_case),
        case("rnn_tanh", |s| rnn_case(Activation::Tanh, s)),
        case("rnn_sigmoid", |s| rnn_case(Activation::Sigmoid, s)),
        case("lstm", |s| lstm_case(s, false)),
        case("lstm_steps", |s| lstm_case(s, true)),
        case("lstm_stack", |s| stack_case(Cell::Lstm, s, false)),
        case("lstm_stack_steps", |s| stack_case(Cell::Lstm, s, true)),
        case("gru_stack", |s| stack_case(Cell::Gru, s, false)),
        case("rnn_stack", |s| stack_case(Cell::Rnn, s, false)),
        case("gru", |s| gru_case(s, false)),
        case("gru_steps", |s| gru_case(s, true)),
        case("dot_attention", dot_attention_case),
        case("additive_attention", additive_attention_case),
        case("scaled_dot_product", sdpa_case),
        case("multi_head_attention", mha_case),
        case("scaled_dot_float_mask", sdpa_float_mask_case),
        case("mha_float_mask", |s| mha_options_case(s, false)),
        case("mha_kdim_vdim_no_bias", |s| mha_options_case(s, true)),
        case("positional_encoding", positional_case),
        case("layer_norm", layer_norm_case),
        case("feed_forward", feed_forward_case),
        case("encoder_layer", |s| {
            encoder_layer_case(s, LayerOptions::default())
        }),
        case("decoder_layer", |s| {
            decoder_layer_case(s, LayerOptions::default())
        }),
        case("encoder_stack", |s| encoder_stack_case(s, false)),
        case("decoder_stack", |s| decoder_stack_case(s, false)),
        case("encoder_layer_pre_norm_gelu", |s| {
            encoder_layer_case(s, PRE_NORM_GELU)
        }),
        case("decoder_layer_pre_norm_gelu", |s| {
            decoder_layer_case(s, PRE_NORM_GELU)
        }),
        case("encoder_stack_final_norm", |s| encoder_stack_case(s, true)),
        case("decoder_stack_final_norm", |s| decoder_stack_case(s, true)),
    ]
}
