//! Properties of the layers, stated in the test names and checked by
//! proptest on random inputs.

use encdec::autograd::Tape;
use encdec::nn::*;
use encdec::tensor::{Mask, Tensor, rng};
use proptest::prelude::*;

fn randn(shape: &[usize], seed: u64) -> Tensor {
    Tensor::randn(shape, 0.0, 1.0, &mut rng(seed))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn softmax_rows_sum_to_one_and_ignore_shifts(
        rows in 1usize..5, cols in 1usize..8, seed in any::<u64>(), shift in -50.0f64..50.0
    ) {
        let tape = Tape::new();
        let x = randn(&[rows, cols], seed).map(|v| 5.0 * v);
        let a = tape.constant(x.clone()).softmax().value();
        let b = tape.constant(x.map(|v| v + shift)).softmax().value();
        for row in a.data().chunks(cols) {
            prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!(row.iter().all(|&p| p >= 0.0));
        }
        prop_assert!(a.max_abs_diff(&b) < 1e-12);
    }

    #[test]
    fn attention_output_is_in_the_convex_hull_of_the_values(
        n_q in 1usize..5, n_k in 1usize..6, d in 1usize..5, seed in any::<u64>()
    ) {
        let tape = Tape::new();
        let q = tape.constant(randn(&[n_q, d], seed));
        let k = tape.constant(randn(&[n_k, d], seed ^ 1));
        let v_t = randn(&[n_k, d], seed ^ 2);
        let (z, a) = scaled_dot_product_attention(q, k, tape.constant(v_t.clone()), None);
        // z_i = sum_j a_ij v_j with a_ij >= 0 and sum_j a_ij = 1: a convex combination,
        // so each coordinate of z_i lies between the smallest and largest v_j there.
        let (z, a) = (z.value(), a.value());
        for row in a.data().chunks(n_k) {
            prop_assert!(row.iter().all(|&w| w >= 0.0));
            prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        for i in 0..n_q {
            for c in 0..d {
                let col: Vec<f64> = (0..n_k).map(|j| v_t.at(&[j, c])).collect();
                let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let zi = z.at(&[i, c]);
                prop_assert!(lo - 1e-12 <= zi && zi <= hi + 1e-12, "{zi} not in [{lo}, {hi}]");
            }
        }
    }

    #[test]
    fn causal_mask_hides_the_future(len in 2usize..6, cut in 1usize..5, seed in any::<u64>()) {
        // Decoder self-attention: changing tokens at positions >= cut must leave
        // the outputs at positions < cut unchanged.
        let cut = cut.min(len - 1);
        let layer = DecoderLayer::new("", 4, 2, 8, 0.0, &mut rng(seed));
        let memory = randn(&[1, 3, 4], seed ^ 3);
        let x1 = randn(&[1, len, 4], seed ^ 4);
        let mut x2 = x1.clone();
        for v in &mut x2.data_mut()[cut * 4..] {
            *v += 1.0;
        }
        let run = |x: &Tensor| {
            let tape = Tape::new();
            let m = tape.constant(memory.clone());
            let out = layer.forward(&tape, tape.constant(x.clone()), m, (Some(&Mask::causal(len)), None), None);
            out.y.value()
        };
        let (y1, y2) = (run(&x1), run(&x2));
        let early = cut * 4;
        for (a, b) in y1.data()[..early].iter().zip(&y2.data()[..early]) {
            prop_assert!((a - b).abs() < 1e-12);
        }
        prop_assert!(y1.data()[early..].iter().zip(&y2.data()[early..]).any(|(a, b)| (a - b).abs() > 1e-9));
    }

    #[test]
    fn padded_positions_do_not_change_real_outputs(len in 1usize..5, pad in 1usize..4, seed in any::<u64>()) {
        // A sequence of `len` real tokens and `pad` padding tokens: whatever the
        // padding holds, the real positions' outputs are the same, for the
        // Transformer encoder layer, the LSTM, and §2.3 attention.
        let total = len + pad;
        let enc = EncoderLayer::new("", 4, 2, 8, 0.0, &mut rng(seed));
        let lstm = Lstm::new("", 4, 3, &mut rng(seed ^ 5));
        let x1 = randn(&[1, total, 4], seed ^ 6);
        let mut x2 = x1.clone();
        for v in &mut x2.data_mut()[len * 4..] {
            *v = 100.0 * *v + 7.0;
        }
        let lengths = [len];
        let run = |x: &Tensor| {
            let tape = Tape::new();
            let xv = tape.constant(x.clone());
            let (y, _) = enc.forward(&tape, xv, Some(&Mask::padding(&lengths, total)), None);
            let opts = RecurrentOptions { return_sequences: true, lengths: Some(&lengths) };
            let l = lstm.forward(&tape, xv, None, opts);
            let q = tape.constant(randn(&[1, 1, 4], seed ^ 8));
            let (c, _) = DotAttention.forward(q, xv, Some(&lengths));
            (y.value(), l.h.value(), c.value())
        };
        let ((y1, h1, c1), (y2, h2, c2)) = (run(&x1), run(&x2));
        let real = len * 4;
        prop_assert!(y1.data()[..real].iter().zip(&y2.data()[..real]).all(|(a, b)| (a - b).abs() < 1e-12));
        prop_assert!(h1.max_abs_diff(&h2) < 1e-12);
        prop_assert!(c1.max_abs_diff(&c2) < 1e-12);
    }

    #[test]
    fn self_attention_without_positions_is_permutation_equivariant(n in 2usize..6, seed in any::<u64>()) {
        // MHA(P x) = P MHA(x) for a permutation P of the positions: without a
        // positional encoding, self-attention cannot see word order.
        let mha = MultiHeadAttention::new("", 4, 2, &mut rng(seed));
        let x = randn(&[1, n, 4], seed ^ 9);
        let perm: Vec<usize> = (0..n).rev().map(|i| (i + 1) % n).collect(); // a shuffle
        let permute = |t: &Tensor| {
            let mut out = t.clone();
            for (i, &p) in perm.iter().enumerate() {
                out.data_mut()[i * 4..(i + 1) * 4].copy_from_slice(&t.data()[p * 4..(p + 1) * 4]);
            }
            out
        };
        let run = |t: &Tensor| {
            let tape = Tape::new();
            let v = tape.constant(t.clone());
            mha.forward(&tape, v, v, v, None).0.value()
        };
        prop_assert!(run(&permute(&x)).max_abs_diff(&permute(&run(&x))) < 1e-12);
    }

    #[test]
    fn scaling_keeps_the_score_variance_near_one(d_k in prop::sample::select(vec![16usize, 64, 256]), seed in any::<u64>()) {
        // With q, k ~ N(0, 1) entries, s = q . k has variance d_k; s / sqrt(d_k) has variance 1.
        let tape = Tape::new();
        let q = tape.constant(randn(&[64, d_k], seed));
        let k = tape.constant(randn(&[64, d_k], seed ^ 10));
        let s = attention_scores(q, k).value();
        let var = |t: &Tensor, scale: f64| {
            let n = t.numel() as f64;
            let m = t.sum_all() / n * scale;
            t.data().iter().map(|v| (v * scale - m).powi(2)).sum::<f64>() / n
        };
        let scaled = var(&s, 1.0 / (d_k as f64).sqrt());
        prop_assert!((0.75..1.25).contains(&scaled), "scaled variance {scaled}");
        let raw = var(&s, 1.0);
        prop_assert!(raw > 0.6 * d_k as f64, "unscaled variance {raw} for d_k {d_k}");
    }

    #[test]
    fn lstm_with_forget_gate_at_one_and_input_gate_at_zero_carries_c(seed in any::<u64>(), steps in 1usize..6) {
        // Biases of +60 on the forget gate and -60 on the input gate saturate
        // sigma(f) = 1 and sigma(i) = 0 (to 1e-26), so c_t = c_{t-1} exactly in f64.
        let mut lstm = Lstm::new("", 3, 2, &mut rng(seed));
        let h = 2;
        let mut bias = vec![0.0; 4 * h];
        bias[..h].iter_mut().for_each(|b| *b = -60.0); // i
        bias[h..2 * h].iter_mut().for_each(|b| *b = 60.0); // f
        lstm.weights.bias_ih.value = Tensor::from_vec(bias, &[4 * h]);
        lstm.weights.bias_hh.value = Tensor::zeros(&[4 * h]);
        let tape = Tape::new();
        let x = tape.constant(randn(&[2, steps, 3], seed ^ 11));
        let c0 = randn(&[2, h], seed ^ 12);
        let h0 = tape.constant(randn(&[2, h], seed ^ 13));
        let out = lstm.forward(&tape, x, Some((h0, tape.constant(c0.clone()))), RecurrentOptions::default());
        prop_assert!(out.c.value().max_abs_diff(&c0) < 1e-12);
    }
}
