//! Layer norm, the feed-forward block, and the Transformer encoder and
//! decoder layers and stacks (post-norm).

use crate::common;

use approx::assert_abs_diff_eq;
use encdec::autograd::Tape;
use encdec::nn::*;
use encdec::tensor::{Mask, Tensor, rng};

#[test]
fn layer_norm_by_hand() {
    // x = [1, 2, 3]: mean 2, biased variance ((1)^2 + 0 + (1)^2) / 3 = 2/3.
    // With eps = 0, gamma = 1, beta = 0: y = [-1, 0, 1] / sqrt(2/3) = [-1.2247, 0, 1.2247].
    let tape = Tape::new();
    let x = tape.leaf(Tensor::from_vec(vec![1.0, 2.0, 3.0], &[1, 3]));
    let gamma = tape.leaf(Tensor::ones(&[3]));
    let beta = tape.leaf(Tensor::zeros(&[3]));
    let y = layer_norm(x, gamma, beta, 0.0).value();
    let s = (2.0f64 / 3.0).sqrt();
    for (a, b) in y.data().iter().zip([-1.0 / s, 0.0, 1.0 / s]) {
        assert_abs_diff_eq!(*a, b, epsilon = 1e-15);
    }
    assert_abs_diff_eq!(y.data()[2], 1.224_744_871, epsilon = 1e-9);
    // gamma scales and beta shifts: gamma = 2, beta = 1 gives 2y + 1.
    let y2 = layer_norm(
        x,
        tape.leaf(Tensor::full(&[3], 2.0)),
        tape.leaf(Tensor::ones(&[3])),
        0.0,
    )
    .value();
    assert_abs_diff_eq!(y2.data()[0], 1.0 - 2.0 / s, epsilon = 1e-15);
}

#[test]
fn layer_norm_gradcheck() {
    common::layer_gradcheck("layer_norm");
}

#[test]
fn feed_forward_by_hand() {
    // d_model 1, d_ff 2: W1 = [[1], [-1]], b1 = [0, 0.5], W2 = [[2, 3]], b2 = [0.25];
    // x = 1: hidden = relu([1, -0.5]) = [1, 0]; y = 2 * 1 + 3 * 0 + 0.25 = 2.25.
    let tape = Tape::new();
    let x = tape.constant(Tensor::from_vec(vec![1.0], &[1, 1]));
    let w1 = tape.leaf(Tensor::from_vec(vec![1.0, -1.0], &[2, 1]));
    let b1 = tape.leaf(Tensor::from_vec(vec![0.0, 0.5], &[2]));
    let w2 = tape.leaf(Tensor::from_vec(vec![2.0, 3.0], &[1, 2]));
    let b2 = tape.leaf(Tensor::from_vec(vec![0.25], &[1]));
    assert_eq!(
        feed_forward(x, (w1, b1), (w2, b2), FfnActivation::Relu, 0.0, None).item(),
        2.25
    );
}

#[test]
fn feed_forward_gradcheck() {
    common::layer_gradcheck("feed_forward");
}

#[test]
fn encoder_layer_gradcheck() {
    common::layer_gradcheck("encoder_layer");
}

#[test]
fn decoder_layer_gradcheck() {
    common::layer_gradcheck("decoder_layer");
}

#[test]
fn encoder_stack_gradcheck() {
    common::layer_gradcheck("encoder_stack");
}

#[test]
fn decoder_stack_gradcheck() {
    common::layer_gradcheck("decoder_stack");
}

#[test]
fn encoder_layer_is_post_norm() {
    // Post-norm ends with a layer norm: with gamma = 1 and beta = 0 (as created)
    // every output vector has mean 0 and variance 1 - eps/(var + eps), whatever
    // the input. A pre-norm layer would end with a residual add instead.
    let layer = EncoderLayer::new("", 8, 2, 16, 0.0, &mut rng(1));
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[2, 5, 8], 3.0, 4.0, &mut rng(2)));
    let (y, _) = layer.forward(&tape, x, None, None);
    for row in y.value().data().chunks(8) {
        let mean = row.iter().sum::<f64>() / 8.0;
        let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 8.0;
        assert_abs_diff_eq!(mean, 0.0, epsilon = 1e-12);
        assert_abs_diff_eq!(var, 1.0, epsilon = 1e-3);
    }
}

#[test]
fn decoder_stack_names_match_pytorch() {
    let c = StackConfig {
        layers: 2,
        d_model: 4,
        n_heads: 2,
        d_ff: 8,
        dropout: 0.1,
        options: LayerOptions::default(),
        final_norm: false,
    };
    let mut dec = TransformerDecoder::new("decoder", c, &mut rng(0));
    let names: Vec<String> = dec.params().iter().map(|p| p.name.clone()).collect();
    assert_eq!(names.len(), 2 * (4 + 4 + 4 + 6));
    for n in [
        "decoder.layers.0.self_attn.in_proj_weight",
        "decoder.layers.0.multihead_attn.out_proj.bias",
        "decoder.layers.1.linear2.weight",
        "decoder.layers.1.norm3.bias",
    ] {
        assert!(names.iter().any(|m| m == n), "{n} not in {names:?}");
    }
}

#[test]
fn dropout_is_seeded_in_training_and_off_in_evaluation() {
    let layer = EncoderLayer::new("", 4, 2, 8, 0.5, &mut rng(3));
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[1, 3, 4], 0.0, 1.0, &mut rng(4)));
    let eval1 = layer.forward(&tape, x, None, None).0.value();
    let eval2 = layer.forward(&tape, x, None, None).0.value();
    assert_eq!(eval1, eval2);
    let train1 = layer.forward(&tape, x, None, Some(&mut rng(9))).0.value();
    let train2 = layer.forward(&tape, x, None, Some(&mut rng(9))).0.value();
    assert_eq!(train1, train2, "the same seed drops the same units");
    assert!(
        train1.max_abs_diff(&eval1) > 1e-3,
        "dropout changed nothing in training"
    );
}

#[test]
fn decoder_returns_cross_attention_weights_per_layer_and_head() {
    let c = StackConfig {
        layers: 3,
        d_model: 4,
        n_heads: 2,
        d_ff: 8,
        dropout: 0.0,
        options: LayerOptions::default(),
        final_norm: false,
    };
    let dec = TransformerDecoder::new("", c, &mut rng(5));
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[2, 3, 4], 0.0, 1.0, &mut rng(6)));
    let memory = tape.constant(Tensor::randn(&[2, 6, 4], 0.0, 1.0, &mut rng(7)));
    let src_mask = Mask::padding(&[6, 4], 6);
    let out = dec.forward(
        &tape,
        x,
        memory,
        (Some(&Mask::causal(3)), Some(&src_mask)),
        None,
    );
    let (y, cross) = (out.y, out.cross_weights);
    assert_eq!(y.shape(), vec![2, 3, 4]);
    assert_eq!(cross.len(), 3);
    // Every layer's masked self-attention: nothing after the query's own position.
    assert_eq!(out.self_weights.len(), 3);
    for sw in &out.self_weights {
        let sw = sw.value();
        assert_eq!(sw.shape(), &[2, 2, 3, 3]);
        for (b, h, i) in
            (0..2).flat_map(|b| (0..2).flat_map(move |h| (0..3).map(move |i| (b, h, i))))
        {
            for j in i + 1..3 {
                assert_eq!(sw.at(&[b, h, i, j]), 0.0);
            }
        }
    }
    let w = cross[0].value();
    assert_eq!(w.shape(), &[2, 2, 3, 6]);
    // Batch 1 has 4 real source words: no weight on positions 4 and 5.
    for h in 0..2 {
        for i in 0..3 {
            assert_eq!(w.at(&[1, h, i, 4]), 0.0);
            assert_eq!(w.at(&[1, h, i, 5]), 0.0);
        }
    }
}

#[test]
fn layer_norm_keeps_its_precision_on_rows_with_a_large_offset() {
    // x_i = 1e8 + u_i. Subtracting 1e8 from a stored x_i is exact (the two
    // are within a factor of 2), and the layer norm of a row does not change
    // when a constant is added, so LN(x - 1e8) computed on the small values
    // is the reference. A mean summed in one pass over values near 1e8 loses
    // about 1e-8; a second pass over x - mean(x) recovers it.
    let u = Tensor::rand_uniform(&[4, 64], -1.0, 1.0, &mut rng(5));
    let x = u.map(|v| 1e8 + v);
    let small = x.map(|v| v - 1e8);
    let ln = |t: &Tensor| {
        let tape = Tape::new();
        let (g, b) = (
            tape.leaf(Tensor::ones(&[64])),
            tape.leaf(Tensor::zeros(&[64])),
        );
        layer_norm(tape.leaf(t.clone()), g, b, 1e-5).value()
    };
    let err = ln(&x).max_abs_diff(&ln(&small));
    assert!(err < 1e-12, "error {err:e}");
}

#[test]
#[should_panic(expected = "layer_norm: gamma has shape [1], expected [4]")]
fn layer_norm_refuses_a_gamma_that_is_not_one_per_feature() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::zeros(&[2, 4]));
    let _ = layer_norm(
        x,
        tape.leaf(Tensor::ones(&[1])),
        tape.leaf(Tensor::zeros(&[4])),
        1e-5,
    );
}
