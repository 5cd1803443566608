//! Attention: §2.3 (scores against the encoder, weights, context),
//! §4.2.1–§4.2.2 (scaled dot-product self-attention), multi-head attention
//! and the positional encoding.

use crate::common;

use approx::assert_abs_diff_eq;
use encdec::autograd::Tape;
use encdec::nn::*;
use encdec::tensor::{Mask, Tensor, rng};

fn t(data: &[f64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(data.to_vec(), shape)
}

#[test]
fn dot_attention_by_hand() {
    // One decoder state q = [1, 0]; encoder states h = [1, 0], [0, 1], [1, 1].
    // e = [1, 0, 1]; alpha = [e, 1, e] / (2e + 1) (with e = exp 1), no
    // scaling by sqrt(d_k) in §2.3; c = sum alpha_j h_j = [2e, 1 + e] / (2e + 1).
    let tape = Tape::new();
    let q = tape.leaf(t(&[1.0, 0.0], &[1, 1, 2]));
    let h = tape.leaf(t(&[1.0, 0.0, 0.0, 1.0, 1.0, 1.0], &[1, 3, 2]));
    assert_eq!(attention_scores(q, h).value().data(), &[1.0, 0.0, 1.0]);
    let (c, a) = DotAttention.forward(q, h, None);
    let e = 1f64.exp();
    let z = 2.0 * e + 1.0;
    for (x, y) in a.value().data().iter().zip([e / z, 1.0 / z, e / z]) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-15);
    }
    for (x, y) in c.value().data().iter().zip([2.0 * e / z, (1.0 + e) / z]) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-15);
    }
    // With length 2 the third state is padding: alpha = [e, 1] / (e + 1), 0.
    let (_, a) = DotAttention.forward(q, h, Some(&[2]));
    let a = a.value();
    assert_abs_diff_eq!(a.data()[0], e / (e + 1.0), epsilon = 1e-15);
    assert_eq!(a.data()[2], 0.0);
}

#[test]
fn dot_attention_gradcheck() {
    common::layer_gradcheck("dot_attention");
}

#[test]
fn additive_attention_by_hand() {
    // units 1: W_q = [[1, 0]], W_k = [[2]], v = [3]; q = [0.5, 9], keys h = [0.25], [-0.25]
    // e_j = 3 tanh(0.5 + 2 h_j) = [3 tanh 1, 3 tanh 0] = [2.2848, 0]
    let mut att = AdditiveAttention::new("", 2, 1, 1, &mut rng(0));
    att.w_query.value = t(&[1.0, 0.0], &[1, 2]);
    att.w_key.value = t(&[2.0], &[1, 1]);
    att.v.value = t(&[3.0], &[1]);
    let tape = Tape::new();
    let q = tape.constant(t(&[0.5, 9.0], &[1, 1, 2]));
    let h = tape.constant(t(&[0.25, -0.25], &[1, 2, 1]));
    let (c, a) = att.forward(&tape, q, h, None);
    let e0 = 3.0 * 1f64.tanh();
    let a0 = e0.exp() / (e0.exp() + 1.0);
    assert_abs_diff_eq!(a.value().data()[0], a0, epsilon = 1e-15);
    assert_abs_diff_eq!(c.item(), a0 * 0.25 - (1.0 - a0) * 0.25, epsilon = 1e-15);
}

#[test]
fn additive_attention_gradcheck() {
    common::layer_gradcheck("additive_attention");
}

#[test]
fn self_attention_by_hand() {
    // q = k = [[1, 0], [0, 1]], v = [[1, 2], [3, 4]], d_k = 2.
    // s = q k^T = I; s / sqrt 2 = I / sqrt 2; each row's softmax puts
    // p = e^{1/sqrt 2} / (e^{1/sqrt 2} + 1) on its own position and 1 - p on the other.
    // z_0 = p [1, 2] + (1 - p) [3, 4]; z_1 = (1 - p) [1, 2] + p [3, 4].
    let tape = Tape::new();
    let q = tape.leaf(t(&[1.0, 0.0, 0.0, 1.0], &[2, 2]));
    let v = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]));
    let s = attention_scores(q, q);
    assert_eq!(s.value().data(), &[1.0, 0.0, 0.0, 1.0]);
    let a = attention_weights(s, Some(2), None);
    let p = (0.5f64.sqrt()).exp() / ((0.5f64.sqrt()).exp() + 1.0);
    for (x, y) in a.value().data().iter().zip([p, 1.0 - p, 1.0 - p, p]) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-15);
    }
    let z = attention_output(a, v).value();
    let expected = [
        p + 3.0 * (1.0 - p),
        2.0 * p + 4.0 * (1.0 - p),
        (1.0 - p) + 3.0 * p,
        2.0 * (1.0 - p) + 4.0 * p,
    ];
    for (x, y) in z.data().iter().zip(expected) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-14);
    }
    let (z2, a2) = scaled_dot_product_attention(q, q, v, None);
    assert_eq!(z2.value(), z);
    assert_eq!(a2.value(), a.value());
}

#[test]
fn attention_scores_gradcheck() {
    // s = q k^T: its gradient is checked as part of the composition and on its own.
    let report = encdec::autograd::gradcheck(
        |_, x| attention_scores(x[0], x[1]),
        &[
            Tensor::randn(&[2, 3, 4], 0.0, 1.0, &mut rng(1)),
            Tensor::randn(&[2, 5, 4], 0.0, 1.0, &mut rng(2)),
        ],
        &Default::default(),
    );
    assert!(report.ok(), "{report}");
}

#[test]
fn attention_weights_gradcheck() {
    let mask = Mask::causal(4);
    let report = encdec::autograd::gradcheck(
        |_, x| attention_weights(x[0], Some(4), Some(&mask)),
        &[Tensor::randn(&[2, 4, 4], 0.0, 2.0, &mut rng(3))],
        &Default::default(),
    );
    assert!(report.ok(), "{report}");
}

#[test]
fn attention_output_gradcheck() {
    let report = encdec::autograd::gradcheck(
        |_, x| attention_output(x[0].softmax(), x[1]),
        &[
            Tensor::randn(&[2, 3, 5], 0.0, 1.0, &mut rng(4)),
            Tensor::randn(&[2, 5, 2], 0.0, 1.0, &mut rng(5)),
        ],
        &Default::default(),
    );
    assert!(report.ok(), "{report}");
}

#[test]
fn scaled_dot_product_attention_gradcheck() {
    common::layer_gradcheck("scaled_dot_product");
}

#[test]
fn multi_head_attention_gradcheck() {
    common::layer_gradcheck("multi_head_attention");
}

#[test]
fn multi_head_attention_returns_per_head_weights() {
    let mha = MultiHeadAttention::new("", 8, 4, &mut rng(6));
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[2, 3, 8], 0.0, 1.0, &mut rng(7)));
    let m = tape.constant(Tensor::randn(&[2, 5, 8], 0.0, 1.0, &mut rng(8)));
    let (y, w) = mha.forward(&tape, x, m, m, None);
    assert_eq!(y.shape(), vec![2, 3, 8]);
    assert_eq!(w.shape(), vec![2, 4, 3, 5]);
    // Every head's every row is a distribution over the 5 keys.
    for row in w.value().data().chunks(5) {
        assert_abs_diff_eq!(row.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
    }
}

#[test]
#[should_panic(expected = "MultiHeadAttention: d_model 6 is not a multiple of n_heads 4")]
fn heads_must_divide_the_width() {
    MultiHeadAttention::new("", 6, 4, &mut rng(0));
}

#[test]
fn positional_encoding_by_hand() {
    // d_model = 4: the frequencies are 1/10000^(0/4) = 1 and 1/10000^(2/4) = 1/100.
    // PE(0) = [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1]
    // PE(1) = [sin 1, cos 1, sin 0.01, cos 0.01]
    let pe = positional_encoding(2, 4);
    let expected = [
        0.0,
        1.0,
        0.0,
        1.0,
        1f64.sin(),
        1f64.cos(),
        0.01f64.sin(),
        0.01f64.cos(),
    ];
    for (x, y) in pe.data().iter().zip(expected) {
        assert_abs_diff_eq!(*x, y, epsilon = 1e-15);
    }
    let tape = Tape::new();
    let x = tape.leaf(Tensor::zeros(&[3, 2, 4]));
    let y = add_positional_encoding(x);
    // Every sequence of the batch gets the same encoding.
    assert_eq!(&y.value().data()[8..16], pe.data());
    tape.backward(y.sum());
    assert!(x.grad().unwrap().data().iter().all(|&g| g == 1.0));
}

#[test]
fn positional_encoding_gradcheck() {
    common::layer_gradcheck("positional_encoding");
}
