//! The Transformer's pieces that `encdec experiment` switches off
//! ([`Pieces`]): without positional encoding the encoder is
//! permutation-equivariant; without the causal mask teacher forcing sees
//! the next word; every decoding path honours the switches.

use crate::model_support::{sized, tiny_batch};
use encdec::autograd::Tape;
use encdec::seq2seq::{batch::*, config::*, decode::*, models::*};
use encdec::tensor::{Tensor, rng};
use proptest::prelude::*;

/// A dropout-free Transformer of width 8, two heads, two layers, with `pieces`.
fn model(seed: u64, pieces: Pieces) -> Box<dyn Seq2Seq> {
    let mut c = sized(ModelKind::Transformer, (14, 12), (8, 16), (2, 2), 0.0);
    if let Arch::Transformer(t) = &mut c.arch {
        t.pieces = pieces;
    }
    build(&c, &mut rng(seed)).unwrap()
}

/// The encoder's outputs for one source, `[len + 1, d_model]` (`</s>` last).
fn memory(m: &dyn Seq2Seq, ids: &[usize]) -> Tensor {
    let tape = Tape::new();
    let enc = m.encode(&tape, &Batch::sources(&[ids]), None);
    enc.memory.unwrap().value()
}

/// The largest $|\mathrm{enc}(\pi x)_i - \mathrm{enc}(x)_{\pi(i)}|$ over
/// positions and features.
fn equivariance_gap(m: &dyn Seq2Seq, ids: &[usize], perm: &[usize]) -> f64 {
    let shuffled: Vec<usize> = perm.iter().map(|&j| ids[j]).collect();
    let (a, b) = (memory(m, ids), memory(m, &shuffled));
    let d = a.shape()[2];
    let mut gap: f64 = 0.0;
    for (i, &j) in perm.iter().enumerate() {
        for c in 0..d {
            gap = gap.max((b.data()[i * d + c] - a.data()[j * d + c]).abs());
        }
    }
    gap
}

fn no_positions() -> Pieces {
    Pieces {
        positions: Positions::None,
        ..Pieces::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// Self-attention sees a set: with no positional encoding, permuting
    /// the source words permutes the encoder's outputs, to 1e-12.
    #[test]
    fn encoder_without_positions_is_permutation_equivariant(
        seed in any::<u64>(),
        (ids, perm) in (2usize..8).prop_flat_map(|n| (
            prop::collection::vec(4usize..14, n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        )),
    ) {
        let m = model(seed, no_positions());
        let gap = equivariance_gap(m.as_ref(), &ids, &perm);
        prop_assert!(gap < 1e-12, "gap {}", gap);
    }
}

/// The same check fails with the positional encoding on: reversing four
/// different words changes the outputs by far more than rounding.
#[test]
fn encoder_with_positions_is_not_permutation_equivariant() {
    let m = model(3, Pieces::default());
    let gap = equivariance_gap(m.as_ref(), &[4, 5, 6, 7], &[3, 2, 1, 0]);
    assert!(gap > 1e-3, "gap {gap}");
}

/// The logits at position 0 of each target, after changing the last
/// decoder input of the longer target (`tiny_batch`'s second row).
fn first_logits_after_changing_the_future(m: &dyn Seq2Seq) -> (Tensor, Tensor) {
    let b = tiny_batch();
    let mut changed = b.clone();
    let last = changed.tgt_len * 2 - 1;
    changed.tgt_in[last] = if b.tgt_in[last] == 9 { 10 } else { 9 };
    let first = |b: &Batch| {
        let tape = Tape::new();
        let out = m.forward(&tape, b, None).logits.value();
        let v = out.shape()[2];
        Tensor::from_vec(out.data()[b.tgt_len * v..b.tgt_len * v + v].to_vec(), &[v])
    };
    (first(&b), first(&changed))
}

/// With the causal mask position 0 cannot see a later word; without it, it can.
#[test]
fn without_the_causal_mask_teacher_forcing_sees_the_future() {
    let causal = model(5, Pieces::default());
    let (a, b) = first_logits_after_changing_the_future(causal.as_ref());
    assert!(a.max_abs_diff(&b) < 1e-12);
    let open = Pieces {
        decoder_mask: DecoderMask::None,
        ..Pieces::default()
    };
    let peeking = model(5, open);
    let (a, b) = first_logits_after_changing_the_future(peeking.as_ref());
    assert!(a.max_abs_diff(&b) > 1e-6);
}

/// The cached decoding step honours the scale and the positions: it writes
/// what recomputing each prefix writes. (Without the causal mask the two
/// differ on purpose: a recomputed prefix lets earlier words see later
/// ones, a cache never does; `experiment causal` decodes with the cache.)
#[test]
fn cached_decoding_honours_the_scale_and_the_positions() {
    let both_off = Pieces {
        scale: AttentionScale::None,
        positions: Positions::None,
        decoder_mask: DecoderMask::Causal,
    };
    let sources: [&[usize]; 2] = [&[4, 5, 6], &[7, 8]];
    for pieces in [no_positions(), both_off] {
        let m = model(7, pieces);
        let cached = greedy_by(m.as_ref(), &sources, 6, Steps::Cached);
        let recomputed = greedy_by(m.as_ref(), &sources, 6, Steps::Recomputed);
        for (c, r) in cached.iter().zip(&recomputed) {
            assert_eq!(c.ids, r.ids);
            assert!((c.log_prob - r.log_prob).abs() < 1e-9);
        }
    }
}

/// Without the scale the fused heads and the composed §4.2 functions still agree.
#[test]
fn unscaled_fused_attention_equals_the_composed_heads() {
    use encdec::nn::MultiHeadAttention;
    let mut mha = MultiHeadAttention::new("a", 8, 2, &mut rng(2));
    mha.scale = AttentionScale::None;
    let tape = Tape::new();
    let x = tape.constant(Tensor::randn(&[2, 3, 8], 0.0, 1.0, &mut rng(4)));
    let (fused, wf) = mha.forward(&tape, x, x, x, None);
    let (composed, wc) = mha.forward_composed(&tape, x, x, x, None);
    assert!(fused.value().max_abs_diff(&composed.value()) < 1e-12);
    assert!(wf.value().max_abs_diff(&wc.value()) < 1e-12);
}
