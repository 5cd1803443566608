//! The options of multi-head attention that PyTorch's `nn.MultiheadAttention`
//! has: key and value sizes (`kdim`, `vdim`), projections without biases
//! (`bias=False`) and float (additive) masks. Parity fixtures were made by
//! `scripts/fixtures/attention.py` (float64, every parameter
//! `0.5 * N(0, 1)`, the loss and gradients as in `tests/nn/parity.rs`); the
//! layer here must match every output and gradient to 1e-9.

use crate::common;
use crate::fixture_support;

use encdec::autograd::Tape;
use encdec::nn::*;
use encdec::tensor::{FloatMask, Mask, Tensor, rng};
use fixture_support::{Fixture, check};

/// The float mask stored in a fixture (JSON `null` stands for $-\infty$).
fn fixture_mask(fx: &Fixture) -> FloatMask {
    let m = fx.tensor("float_masks", "float_mask");
    assert!(
        m.data().contains(&f64::NEG_INFINITY),
        "each fixture mask hides some key with -inf"
    );
    FloatMask::new(m).unwrap()
}

fn options(kdim: Option<usize>, vdim: Option<usize>, bias: bool) -> MhaOptions {
    MhaOptions { kdim, vdim, bias }
}

// PyTorch lines that made tests/fixtures/mha_options_kv_sizes_no_bias.json,
// from `mha_kv_sizes_no_bias()` in scripts/fixtures/attention.py:
//     cfg = {"embed_dim": 6, "num_heads": 2, "kdim": 4, "vdim": 5, "bias": False,
//            "batch_first": True, "dropout": 0.0}
//     m = randomize(nn.MultiheadAttention(**cfg))
//     q, k, v = rand_input(2, 3, 6), rand_input(2, 5, 4), rand_input(2, 5, 5)
//     hidden = torch.zeros(3, 5, dtype=torch.bool)
//     hidden[0, 4] = hidden[1, 0] = hidden[2, 2] = True
//     mask = float_mask(3, 5, hidden=hidden)    # N(0, 1), -inf where hidden
//     out, w = m(q, k, v, attn_mask=mask, need_weights=True, average_attn_weights=False)
#[test]
fn kv_sizes_no_bias_matches_pytorch() {
    let m =
        MultiHeadAttention::with_options("", 6, 2, options(Some(4), Some(5), false), &mut rng(0));
    check("mha_options_kv_sizes_no_bias", m, |m, t, fx, x| {
        let mask = fixture_mask(fx);
        let (y, w) = m.forward_with(t, x["query"], x["key"], x["value"], None, Some(&mask));
        vec![("output", y), ("weights", w)]
    });
}

// PyTorch lines that made tests/fixtures/mha_options_per_head.json,
// from `mha_kv_sizes_per_head()` in scripts/fixtures/attention.py:
//     cfg = {"embed_dim": 6, "num_heads": 2, "kdim": 4, "vdim": 5, "bias": True,
//            "batch_first": True, "dropout": 0.0}
//     m = randomize(nn.MultiheadAttention(**cfg))
//     q, k, v = rand_input(2, 3, 6), rand_input(2, 5, 4), rand_input(2, 5, 5)
//     key_len = [5, 4]
//     mask = float_mask(2 * 2, 3, 5)             # [batch * heads, n_q, n_k]
//     mask[1, 2, 1] = NEG_INF
//     key_padding = torch.zeros(2, 5).masked_fill(padding_mask(key_len, 5), NEG_INF)
//     out, w = m(q, k, v, attn_mask=mask, key_padding_mask=key_padding,
//                need_weights=True, average_attn_weights=False)
#[test]
fn per_head_float_mask_matches_pytorch() {
    let m =
        MultiHeadAttention::with_options("", 6, 2, options(Some(4), Some(5), true), &mut rng(0));
    check("mha_options_per_head", m, |m, t, fx, x| {
        // PyTorch's [batch * heads, n_q, n_k] is [batch, heads, n_q, n_k] read flat.
        let mask = FloatMask::new(fixture_mask(fx).values().reshape(&[2, 2, 3, 5])).unwrap();
        let padding = Mask::padding(&fx.ints("lengths", "key"), 5);
        let (y, w) = m.forward_with(
            t,
            x["query"],
            x["key"],
            x["value"],
            Some(&padding),
            Some(&mask),
        );
        vec![("output", y), ("weights", w)]
    });
}

// PyTorch lines that made tests/fixtures/mha_options_self_no_bias.json,
// from `mha_self_no_bias_causal_float()` in scripts/fixtures/attention.py:
//     cfg = {"embed_dim": 6, "num_heads": 3, "bias": False,
//            "batch_first": True, "dropout": 0.0}
//     m = randomize(nn.MultiheadAttention(**cfg))
//     x = rand_input(2, 4, 6)
//     mask = float_mask(4, 4, hidden=causal_mask(4))  # N(0, 1), -inf above the diagonal
//     out, w = m(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=False)
#[test]
fn self_no_bias_float_mask_matches_pytorch() {
    let m = MultiHeadAttention::with_options("", 6, 3, options(None, None, false), &mut rng(0));
    check("mha_options_self_no_bias", m, |m, t, fx, x| {
        let mask = fixture_mask(fx);
        let (y, w) = m.forward_with(t, x["x"], x["x"], x["x"], None, Some(&mask));
        vec![("output", y), ("weights", w)]
    });
}

#[test]
fn options_name_their_tensors_as_pytorch() {
    let names = |o: MhaOptions| -> Vec<String> {
        let mut m = MultiHeadAttention::with_options("attn", 6, 2, o, &mut rng(0));
        m.params().iter().map(|p| p.name.clone()).collect()
    };
    let today = [
        "attn.in_proj_weight",
        "attn.in_proj_bias",
        "attn.out_proj.weight",
        "attn.out_proj.bias",
    ];
    assert_eq!(names(MhaOptions::default()), today);
    // kdim = vdim = d_model given explicitly is still the packed layout, as PyTorch.
    assert_eq!(names(options(Some(6), Some(6), true)), today);
    assert_eq!(
        names(options(Some(4), None, false)),
        [
            "attn.q_proj_weight",
            "attn.k_proj_weight",
            "attn.v_proj_weight",
            "attn.out_proj.weight"
        ]
    );
    let mut m =
        MultiHeadAttention::with_options("", 6, 2, options(Some(4), Some(5), true), &mut rng(0));
    let shapes: Vec<Vec<usize>> = m.params().iter().map(|p| p.shape().to_vec()).collect();
    assert_eq!(
        shapes,
        [
            vec![6, 6],
            vec![6, 4],
            vec![6, 5],
            vec![18],
            vec![6, 6],
            vec![6]
        ]
    );
}

#[test]
fn default_options_draw_the_same_weights_as_new() {
    let mut a = MultiHeadAttention::new("", 6, 2, &mut rng(3));
    let mut b = MultiHeadAttention::with_options("", 6, 2, MhaOptions::default(), &mut rng(3));
    for (p, q) in a.params().iter().zip(b.params()) {
        assert_eq!(p.value, q.value, "{}", p.name);
    }
}

#[test]
fn float_mask_refuses_rows_hidden_entirely() {
    let inf = f64::NEG_INFINITY;
    let err = FloatMask::new(Tensor::from_vec(vec![0.0, inf, inf, inf], &[2, 2])).unwrap_err();
    assert!(err.contains("row 1") && err.contains("NaN"), "{err}");
    let err = FloatMask::new(Tensor::from_vec(vec![0.0, f64::NAN], &[1, 2])).unwrap_err();
    assert!(err.contains("entry 1"), "{err}");
    assert!(FloatMask::new(Tensor::from_vec(vec![0.0, f64::INFINITY], &[1, 2])).is_err());
    assert!(FloatMask::new(Tensor::from_vec(vec![0.0; 3], &[3])).is_err());
    assert!(FloatMask::new(Tensor::from_vec(vec![-1.0, inf, inf, 2.0], &[2, 2])).is_ok());
    assert!(FloatMask::from_bool(&Mask::causal(3)).is_ok());
}

#[test]
fn zero_and_neg_inf_float_mask_equals_the_boolean_mask() {
    let mut r = rng(5);
    let m = MultiHeadAttention::new("", 6, 2, &mut r);
    let (q, kv) = (
        Tensor::randn(&[2, 4, 6], 0.0, 1.0, &mut r),
        Tensor::randn(&[2, 4, 6], 0.0, 1.0, &mut r),
    );
    let causal = Mask::causal(4);
    let tape = Tape::new();
    let (q, kv) = (tape.constant(q), tape.constant(kv));
    let (y_bool, w_bool) = m.forward(&tape, q, kv, kv, Some(&causal));
    let float = FloatMask::from_bool(&causal).unwrap();
    let (y_float, w_float) = m.forward_with(&tape, q, kv, kv, None, Some(&float));
    assert!(y_bool.value().max_abs_diff(&y_float.value()) < 1e-12);
    assert!(w_bool.value().max_abs_diff(&w_float.value()) < 1e-12);
    // A bias of +1 on key 0 multiplies its unnormalised weight by e:
    // a'_0 = e a_0 / (e a_0 + 1 - a_0), and the other keys share the rest.
    let plus_one = float.values().data().iter().enumerate();
    let plus_one = plus_one.map(|(f, &v)| if f % 4 == 0 { v + 1.0 } else { v });
    let biased = FloatMask::new(Tensor::from_vec(plus_one.collect(), &[4, 4])).unwrap();
    let (_, w_biased) = m.forward_with(&tape, q, kv, kv, None, Some(&biased));
    let (a, b) = (w_bool.value(), w_biased.value());
    let e = 1f64.exp();
    for row in 0..2 * 2 * 4 {
        let a0 = a.data()[row * 4];
        let expected = e * a0 / (e * a0 + 1.0 - a0);
        assert!((b.data()[row * 4] - expected).abs() < 1e-12, "row {row}");
    }
    assert!(a.max_abs_diff(&b) > 1e-3, "the bias changed some weight");
}

#[test]
fn float_mask_gradcheck() {
    common::layer_gradcheck("scaled_dot_float_mask");
    common::layer_gradcheck("mha_float_mask");
}

#[test]
fn options_gradcheck() {
    common::layer_gradcheck("mha_kdim_vdim_no_bias");
}
