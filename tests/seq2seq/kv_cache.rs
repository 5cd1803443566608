//! The key/value cache of the Transformer's decoder: decoding with it
//! (each step runs the new position only, over the cached keys and values)
//! writes what decoding without it writes (each step re-runs the whole
//! prefix), for every option of the Transformer's config.

use crate::model_support::sized;
use encdec::nn::{FfnActivation, append_positions};
use encdec::seq2seq::{config::*, decode::*, models::*};
use encdec::tensor::{Tensor, rng};
use proptest::prelude::*;

/// A Transformer with these options: `d_model` 8, `d_ff` 12, target vocabulary 10.
fn transformer(
    seed: u64,
    (layers, heads): (usize, usize),
    options: (bool, bool, bool),
) -> Box<dyn Seq2Seq> {
    let (norm_first, gelu, final_norm) = options;
    let mut config = sized(
        ModelKind::Transformer,
        (12, 10),
        (8, 12),
        (layers, heads),
        0.0,
    );
    if let Arch::Transformer(t) = &mut config.arch {
        t.layer.norm_first = norm_first;
        t.layer.activation = if gelu {
            FfnActivation::Gelu
        } else {
            FfnActivation::Relu
        };
        t.final_norm = final_norm;
    }
    build(&config, &mut rng(seed)).unwrap()
}

/// `None` if the cached hypothesis `c` equals the recomputed `r`: the same
/// ids, log-probability and attention to 1e-12; else what differs.
fn difference(c: &Hypothesis, r: &Hypothesis) -> Option<String> {
    if c.ids != r.ids {
        return Some(format!("ids {:?} cached, {:?} recomputed", c.ids, r.ids));
    }
    if (c.log_prob - r.log_prob).abs() > 1e-12 {
        return Some(format!(
            "log p {} cached, {} recomputed",
            c.log_prob, r.log_prob
        ));
    }
    let same_attention = c.attention.len() == r.attention.len()
        && (c.attention.iter().zip(&r.attention))
            .all(|(x, y)| x.shape() == y.shape() && x.max_abs_diff(y) < 1e-12);
    (!same_attention).then(|| "attention differs".to_string())
}

/// Every pair of hypotheses the same, or the first difference.
fn all_same(cached: &[Hypothesis], recomputed: &[Hypothesis]) -> Result<(), String> {
    assert_eq!(cached.len(), recomputed.len());
    for (i, (c, r)) in cached.iter().zip(recomputed).enumerate() {
        if let Some(d) = difference(c, r) {
            return Err(format!("sentence {i}: {d}"));
        }
    }
    Ok(())
}

#[test]
fn append_positions_by_hand() {
    // Two rows of one position each, [[1, 2]] and [[3, 4]]; the next step
    // continues row 1 twice (beam search kept two extensions of it):
    // out_0 = [old_1; new_0] = [[3, 4], [5, 6]], out_1 = [old_1; new_1] = [[3, 4], [7, 8]].
    let old = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 1, 2]);
    let new = Tensor::from_vec(vec![5.0, 6.0, 7.0, 8.0], &[2, 1, 2]);
    let out = append_positions(Some(&old), &[1, 1], &new, 1);
    assert_eq!(out.shape(), &[2, 2, 2]);
    assert_eq!(out.data(), &[3.0, 4.0, 5.0, 6.0, 3.0, 4.0, 7.0, 8.0]);
    // Along axis 2 of [rows, heads, t, src] (the attention kept): each head grows.
    let old = Tensor::from_vec(vec![1.0, 2.0], &[1, 2, 1, 1]);
    let new = Tensor::from_vec(vec![3.0, 4.0], &[1, 2, 1, 1]);
    let out = append_positions(Some(&old), &[0], &new, 2);
    assert_eq!(out.data(), &[1.0, 3.0, 2.0, 4.0]);
    // Before the first position there is nothing to continue.
    assert_eq!(append_positions(None, &[0], &new, 2).data(), new.data());
}

#[test]
fn the_default_decoding_of_a_transformer_is_the_cached_one() {
    let m = transformer(3, (2, 2), (false, false, false));
    let sources: [&[usize]; 2] = [&[4, 5, 6, 7], &[8]];
    let plain = greedy(m.as_ref(), &sources, 9);
    let cached = greedy_by(m.as_ref(), &sources, 9, Steps::Cached);
    assert_eq!(plain, cached, "greedy must use the cache");
    let plain = beam_search_batch(m.as_ref(), &sources, 3, 9, 1.0);
    let cached = beam_search_batch_by(m.as_ref(), &sources, 3, 9, 1.0, Steps::Cached);
    assert_eq!(plain, cached, "beam search must use the cache");
}

#[test]
fn models_without_a_cache_decode_as_before() {
    let config = sized(ModelKind::Attention, (12, 10), (8, 8), (1, 1), 0.0);
    let m = build(&config, &mut rng(1)).unwrap();
    let sources: [&[usize]; 2] = [&[4, 5, 6], &[]];
    let cached = beam_search_batch_by(m.as_ref(), &sources, 2, 6, 1.0, Steps::Cached);
    let recomputed = beam_search_batch_by(m.as_ref(), &sources, 2, 6, 1.0, Steps::Recomputed);
    assert_eq!(cached, recomputed);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn cached_decoding_equals_recomputing_the_prefix(
        seed in any::<u64>(),
        layers in 1usize..4,
        heads in prop::sample::select(vec![1usize, 2, 4]),
        options in any::<(bool, bool, bool)>(),
        sources in prop::collection::vec(prop::collection::vec(4usize..12, 0..7), 1..4),
        width in 1usize..5,
        max_len in 0usize..12,
    ) {
        let m = transformer(seed, (layers, heads), options);
        let sources: Vec<&[usize]> = sources.iter().map(Vec::as_slice).collect();
        let cached = greedy_by(m.as_ref(), &sources, max_len, Steps::Cached);
        let recomputed = greedy_by(m.as_ref(), &sources, max_len, Steps::Recomputed);
        prop_assert_eq!(all_same(&cached, &recomputed), Ok(()), "greedy");
        let beam = |steps| beam_search_batch_by(m.as_ref(), &sources, width, max_len, 1.0, steps);
        let (cached, recomputed) = (beam(Steps::Cached), beam(Steps::Recomputed));
        prop_assert_eq!(all_same(&cached, &recomputed), Ok(()), "beam of width {}", width);
    }

    #[test]
    fn cached_sampling_draws_what_recomputed_sampling_draws(
        seed in any::<u64>(),
        options in any::<(bool, bool, bool)>(),
        src in prop::collection::vec(4usize..12, 1..6),
    ) {
        let m = transformer(seed, (2, 2), options);
        let sampling = Sampling::new(1.5, None, 1.0).unwrap();
        let draw = |steps| sample_by(m.as_ref(), &[&src], 10, &sampling, &mut rng(seed), steps);
        prop_assert_eq!(all_same(&draw(Steps::Cached), &draw(Steps::Recomputed)), Ok(()));
    }
}
