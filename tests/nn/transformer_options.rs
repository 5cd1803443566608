//! The Transformer's options (issue 15): GELU in the feed-forward block,
//! pre-norm layers (`norm_first`) and a final layer norm per stack: the
//! error function, gradient checks, and parity with PyTorch (float64, 1e-9)
//! on fixtures made by `scripts/fixtures/transformer.py`.

use crate::common;
use crate::fixture_support;

use encdec::autograd::{Param, Tape, Var, erf, erf_fast};
use encdec::nn::*;
use encdec::tensor::{Mask, Tensor, rng};
use fixture_support::{Fixture, check, undocumented_parity_tests};

/// Every option at once, as the fixtures' `OPTIONS_CFG`.
const PRE_NORM_GELU: LayerOptions = LayerOptions {
    norm_first: true,
    activation: FfnActivation::Gelu,
};

/// GELU has no parameters; the parity checker wants a module.
struct Gelu;

impl Module for Gelu {
    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![]
    }
}

fn stack(layers: usize, options: LayerOptions, final_norm: bool) -> StackConfig {
    StackConfig {
        layers,
        d_model: 6,
        n_heads: 2,
        d_ff: 8,
        dropout: 0.0,
        options,
        final_norm,
    }
}

// erf(1) = 0.842700792949714869341... (Abramowitz & Stegun, table 7.1);
// the fixture holds torch.erf at 22 points on both sides of the switch at
// |x| = 3 between the series and the continued fraction.
#[test]
fn erf_matches_known_values() {
    assert!((erf(1.0) - 0.842_700_792_949_715).abs() < 1e-15);
    assert_eq!(erf(0.0), 0.0);
    assert!(erf(f64::NAN).is_nan());
    let fx = Fixture::load("erf");
    let (x, want) = (fx.tensor("inputs", "x"), fx.tensor("outputs", "erf"));
    assert_eq!(x.data().len(), 22);
    let mut worst = 0.0f64;
    for (&x, &want) in x.data().iter().zip(want.data()) {
        worst = worst.max((erf(x) - want).abs());
        assert_eq!(erf(-x), -erf(x), "erf is odd at {x}");
    }
    eprintln!("erf: max abs error against torch.erf {worst:.3e}");
    assert!(worst <= 1e-14, "erf off by {worst:e}");
}

// GELU evaluates erf_fast (libm's rational approximations); the reference
// erf above (series and continued fraction) must give the same numbers on
// a dense grid over [-7, 7], across the switch at |x| = 3 and libm's own
// interval ends (0.84375, 1.25, 2.857, 6), and at the torch.erf fixture.
#[test]
fn erf_fast_equals_the_reference() {
    let mut worst = 0.0f64;
    for i in -70_000..=70_000 {
        let x = i as f64 * 1e-4;
        worst = worst.max((erf_fast(x) - erf(x)).abs());
    }
    eprintln!("erf_fast: max abs difference from the reference {worst:.3e}");
    assert!(worst <= 2e-15, "erf_fast differs by {worst:e}");
    let fx = Fixture::load("erf");
    let (x, want) = (fx.tensor("inputs", "x"), fx.tensor("outputs", "erf"));
    for (&x, &want) in x.data().iter().zip(want.data()) {
        assert!((erf_fast(x) - want).abs() <= 1e-15, "{x}");
    }
    assert!(erf_fast(f64::NAN).is_nan());
}

// GELU(x) = x Phi(x): GELU(0) = 0, GELU(x) -> x for large x, -> 0 for very
// negative x; its minimum is about -0.17 near x = -0.75.
#[test]
fn gelu_has_its_shape() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(vec![0.0, 10.0, -10.0, -0.75], &[4]));
    let y = x.gelu().value();
    let y = y.data();
    assert_eq!(y[0], 0.0);
    assert!((y[1] - 10.0).abs() < 1e-15);
    assert!(y[2].abs() < 1e-20);
    assert!(y[3] < -0.16 && y[3] > -0.18);
}

// PyTorch lines that made tests/fixtures/gelu.json,
// from `gelu()` in scripts/fixtures/transformer.py:
//     torch.manual_seed(20)
//     m = nn.GELU()
//     x = torch.cat([torch.linspace(-6.0, 6.0, 25), torch.randn(15)]).requires_grad_(True)
//     return write_fixture("gelu", m, {"approximate": "none"}, {"x": x}, {"y": m(x)})
//     # write_fixture (scripts/fixtures/layers.py) draws loss weights W, runs
//     # loss = (y * W).sum(); loss.backward(), and stores y and x.grad
#[test]
fn gelu_matches_pytorch() {
    check("gelu", Gelu, |_, _, _, x| vec![("y", x["x"].gelu())]);
}

#[test]
fn gelu_gradcheck_is_in_the_op_suite() {
    let cases = encdec::checks::ops::op_cases();
    let case = cases.iter().find(|c| c.name == "gelu").unwrap();
    let raw: Vec<f64> = (0..12).map(|i| -2.0 + 0.33 * i as f64).collect();
    assert!(case.check(&case.inputs([3, 4, 1], &raw)).ok());
}

#[test]
fn encoder_layer_pre_norm_gelu_gradcheck() {
    common::layer_gradcheck("encoder_layer_pre_norm_gelu");
}

#[test]
fn decoder_layer_pre_norm_gelu_gradcheck() {
    common::layer_gradcheck("decoder_layer_pre_norm_gelu");
}

#[test]
fn encoder_stack_final_norm_gradcheck() {
    common::layer_gradcheck("encoder_stack_final_norm");
}

#[test]
fn decoder_stack_final_norm_gradcheck() {
    common::layer_gradcheck("decoder_stack_final_norm");
}

/// Parity of an encoder (layer or stack) with a fixture of
/// `encoder_fixture` in the script: padded batch, lengths 4 and 2.
fn encoder_parity<M: Module>(name: &str, m: M, forward: EncoderForward<M>) {
    check(name, m, |m, t, fx, x| {
        let mask = Mask::padding(&fx.ints("lengths", "src"), 4);
        vec![("y", forward(m, t, x["x"], &mask))]
    });
}

type EncoderForward<M> = for<'t> fn(&M, &'t Tape, Var<'t>, &Mask) -> Var<'t>;

/// Parity of a decoder (layer or stack) with a fixture of `decoder_fixture`:
/// causal target, memory padded to lengths 4 and 2.
fn decoder_parity<M: Module>(name: &str, m: M, forward: DecoderForward<M>) {
    check(name, m, |m, t, fx, x| {
        let memory_mask = Mask::padding(&fx.ints("lengths", "memory"), 4);
        let masks = (&Mask::causal(3), &memory_mask);
        vec![("y", forward(m, t, (x["tgt"], x["memory"]), masks))]
    });
}

type DecoderForward<M> = for<'t> fn(&M, &'t Tape, (Var<'t>, Var<'t>), (&Mask, &Mask)) -> Var<'t>;

// PyTorch lines that made tests/fixtures/pre_norm_encoder_layer.json,
// from scripts/fixtures/transformer.py:
//     OPTIONS_CFG = {"d_model": 6, "nhead": 2, "dim_feedforward": 8, "dropout": 0.0,
//                    "activation": "gelu", "batch_first": True, "norm_first": True}
//     lambda: encoder_fixture("pre_norm_encoder_layer", 21, lambda: nn.TransformerEncoderLayer(**OPTIONS_CFG)),
//     # encoder_fixture(name, seed, make) runs, on a randomized make():
//     x = rand_input(2, 4, 6)
//     src_len = [4, 2]
//     y = m(x, src_key_padding_mask=padding_mask(src_len, 4))
#[test]
fn pre_norm_encoder_layer_matches_pytorch() {
    let layer = EncoderLayer::new("", 6, 2, 8, 0.0, &mut rng(0)).with_options(PRE_NORM_GELU);
    encoder_parity("pre_norm_encoder_layer", layer, |m, t, x, mask| {
        m.forward(t, x, Some(mask), None).0
    });
}

// PyTorch lines that made tests/fixtures/pre_norm_decoder_layer.json,
// from scripts/fixtures/transformer.py:
//     lambda: decoder_fixture("pre_norm_decoder_layer", 22, lambda: nn.TransformerDecoderLayer(**OPTIONS_CFG)),
//     # decoder_fixture(name, seed, make) runs, on a randomized make():
//     tgt, memory = rand_input(2, 3, 6), rand_input(2, 4, 6)
//     mem_len = [4, 2]
//     y = m(tgt, memory, tgt_mask=causal_mask(3),
//           memory_key_padding_mask=padding_mask(mem_len, 4))
#[test]
fn pre_norm_decoder_layer_matches_pytorch() {
    let layer = DecoderLayer::new("", 6, 2, 8, 0.0, &mut rng(0)).with_options(PRE_NORM_GELU);
    decoder_parity("pre_norm_decoder_layer", layer, |m, t, (y, mem), (a, b)| {
        m.forward(t, y, mem, (Some(a), Some(b)), None).y
    });
}

// PyTorch lines that made tests/fixtures/pre_norm_encoder_stack.json,
// from scripts/fixtures/transformer.py (encoder_fixture as above):
//     lambda: encoder_fixture("pre_norm_encoder_stack", 23, lambda: nn.TransformerEncoder(
//         nn.TransformerEncoderLayer(**OPTIONS_CFG), 2, norm=nn.LayerNorm(6), enable_nested_tensor=False)),
#[test]
fn pre_norm_encoder_stack_matches_pytorch() {
    let m = TransformerEncoder::new("", stack(2, PRE_NORM_GELU, true), &mut rng(0));
    encoder_parity("pre_norm_encoder_stack", m, |m, t, x, mask| {
        m.forward(t, x, Some(mask), None).0
    });
}

// PyTorch lines that made tests/fixtures/pre_norm_decoder_stack.json,
// from scripts/fixtures/transformer.py (decoder_fixture as above):
//     lambda: decoder_fixture("pre_norm_decoder_stack", 24, lambda: nn.TransformerDecoder(
//         nn.TransformerDecoderLayer(**OPTIONS_CFG), 2, norm=nn.LayerNorm(6))),
#[test]
fn pre_norm_decoder_stack_matches_pytorch() {
    let m = TransformerDecoder::new("", stack(2, PRE_NORM_GELU, true), &mut rng(0));
    decoder_parity("pre_norm_decoder_stack", m, |m, t, (y, mem), (a, b)| {
        m.forward(t, y, mem, (Some(a), Some(b)), None).y
    });
}

// PyTorch lines that made tests/fixtures/post_norm_encoder_stack_with_norm.json,
// from scripts/fixtures/transformer.py (the flags are independent:
// post-norm ReLU layers, then a final norm; encoder_fixture as above):
//     POST_NORM_CFG = dict(OPTIONS_CFG, activation="relu", norm_first=False)
//     lambda: encoder_fixture("post_norm_encoder_stack_with_norm", 25, lambda: nn.TransformerEncoder(
//         nn.TransformerEncoderLayer(**POST_NORM_CFG), 2, norm=nn.LayerNorm(6), enable_nested_tensor=False), POST_NORM_CFG),
#[test]
fn post_norm_encoder_stack_with_norm_matches_pytorch() {
    let m = TransformerEncoder::new("", stack(2, LayerOptions::default(), true), &mut rng(0));
    encoder_parity("post_norm_encoder_stack_with_norm", m, |m, t, x, mask| {
        m.forward(t, x, Some(mask), None).0
    });
}

#[test]
fn default_options_add_no_parameter_and_the_final_norm_is_named_as_pytorch() {
    let names = |final_norm| {
        let mut m =
            TransformerEncoder::new("encoder", stack(1, PRE_NORM_GELU, final_norm), &mut rng(0));
        m.params_mut()
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
    };
    let (without, with) = (names(false), names(true));
    assert_eq!(with.len(), without.len() + 2);
    assert_eq!(
        &with[without.len()..],
        ["encoder.norm.weight", "encoder.norm.bias"]
    );
    assert!(!without.iter().any(|n| n.contains(".norm.")));
}

// Pre-norm: the residual path carries x itself, so a layer whose sub-layers
// output zero (all their weights and biases zero) is the identity; post-norm
// would still normalise x.
#[test]
fn pre_norm_layer_with_silent_sublayers_is_the_identity() {
    let tape = Tape::new();
    let mut layer = EncoderLayer::new("", 4, 2, 6, 0.0, &mut rng(5)).with_options(PRE_NORM_GELU);
    for p in layer.params_mut() {
        if !p.name.starts_with("norm") {
            p.value = p.value.map(|_| 0.0);
        }
    }
    let x = tape.leaf(Tensor::randn(&[2, 3, 4], 1.0, 2.0, &mut rng(6)));
    let y = layer.forward(&tape, x, None, None).0;
    assert_eq!(y.value().max_abs_diff(&x.value()), 0.0);
    let post = layer.clone().with_options(LayerOptions::default());
    assert!(
        post.forward(&tape, x, None, None)
            .0
            .value()
            .max_abs_diff(&x.value())
            > 0.1
    );
}

#[test]
fn every_options_parity_test_shows_the_pytorch_lines_that_made_its_fixture() {
    let source = include_str!("transformer_options.rs");
    let script = include_str!("../../scripts/fixtures/transformer.py");
    let problems = undocumented_parity_tests(source, script, "make_transformer_fixtures.py");
    assert!(problems.is_empty(), "{problems:#?}");
}
