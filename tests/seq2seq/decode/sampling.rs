//! Sampling decoding (temperature, top-k, top-p, seeded) and beam search's
//! n best.

use super::{KINDS, model};
use encdec::seq2seq::decode::{draw, temperature_probs, top_k_cut, top_p_cut};
use encdec::seq2seq::{config::*, decode::*};
use encdec::tensor::rng;
use encdec::text::{BOS_ID, EOS_ID, PAD_ID, UNK_ID};
use proptest::prelude::*;

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
}

/// The choosable id with the highest score, the first on ties (greedy's rule).
fn greedy_choice(scores: &[f64]) -> usize {
    (0..scores.len())
        .filter(|&i| choosable(i))
        .fold(
            EOS_ID,
            |best, i| if scores[i] > scores[best] { i } else { best },
        )
}

#[test]
fn temperature_by_hand() {
    // Ids 0, 1, 2 (<pad>, <unk>, <s>) are never chosen: probability 0.
    // Scores of ids 3, 4, 5: ln 1, ln 2, ln 1. At T = 1: 1/4, 2/4, 1/4.
    let z = [5.0, 5.0, 5.0, 0.0, 2f64.ln(), 0.0];
    assert!(close(
        &temperature_probs(&z, 1.0),
        &[0.0, 0.0, 0.0, 0.25, 0.5, 0.25]
    ));
    // At T = 1/2 the scores double: exp(2 ln 2) = 4, so 1/6, 4/6, 1/6.
    assert!(close(
        &temperature_probs(&z, 0.5),
        &[0.0, 0.0, 0.0, 1.0 / 6.0, 4.0 / 6.0, 1.0 / 6.0]
    ));
    // At T = 2 they halve: exp(ln 2 / 2) = sqrt 2, so 1, sqrt 2, 1 over 2 + sqrt 2.
    let s = 2f64.sqrt();
    let t = 2.0 + s;
    assert!(close(
        &temperature_probs(&z, 2.0),
        &[0.0, 0.0, 0.0, 1.0 / t, s / t, 1.0 / t]
    ));
    assert_eq!([PAD_ID, UNK_ID, BOS_ID, EOS_ID], [0, 1, 2, 3]);
}

#[test]
fn top_k_by_hand() {
    // 0.1, 0.4, 0.2, 0.3: the two most probable are 0.4 and 0.3, which
    // become 0.4/0.7 and 0.3/0.7.
    let p = [0.1, 0.4, 0.2, 0.3];
    assert!(close(&top_k_cut(&p, 2), &[0.0, 4.0 / 7.0, 0.0, 3.0 / 7.0]));
    // k at least the vocabulary keeps everything; ties go to the smaller id.
    assert!(close(&top_k_cut(&p, 9), &p));
    assert!(close(&top_k_cut(&[0.5, 0.5], 1), &[1.0, 0.0]));
}

#[test]
fn top_p_by_hand() {
    // Ranked 0.4, 0.3, 0.2, 0.1; running sums 0.4, 0.7, 0.9, 1.0.
    let p = [0.1, 0.4, 0.2, 0.3];
    // p = 0.5: 0.4 falls short, 0.4 + 0.3 reaches it: keep two.
    assert!(close(
        &top_p_cut(&p, 0.5),
        &[0.0, 4.0 / 7.0, 0.0, 3.0 / 7.0]
    ));
    // p = 0.7 is reached exactly by the same two.
    assert!(close(
        &top_p_cut(&p, 0.7),
        &[0.0, 4.0 / 7.0, 0.0, 3.0 / 7.0]
    ));
    // p = 0.3: the first alone reaches it.
    assert!(close(&top_p_cut(&p, 0.3), &[0.0, 1.0, 0.0, 0.0]));
    // p = 1 keeps everything.
    assert!(close(&top_p_cut(&p, 1.0), &p));
}

#[test]
fn settings_out_of_range_are_refused() {
    assert!(Sampling::new(1.0, Some(3), 0.9).is_ok());
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            Sampling::new(t, None, 1.0).map_err(|e| matches!(e, SamplingError::Temperature(_))),
            Err(true)
        );
    }
    assert_eq!(Sampling::new(1.0, Some(0), 1.0), Err(SamplingError::TopK));
    for p in [0.0, 1.5, f64::NAN] {
        assert!(matches!(
            Sampling::new(1.0, None, p),
            Err(SamplingError::TopP(_))
        ));
    }
}

#[test]
fn n_best_starts_with_beam_search_and_falls() {
    for kind in [ModelKind::Attention, ModelKind::Transformer] {
        let m = model(kind, 3);
        let src: &[usize] = &[4, 5, 6];
        let best = beam_search_n_best(m.as_ref(), src, 4, 3, 8, 1.0);
        assert!(!best.is_empty() && best.len() <= 3);
        assert_eq!(best[0].0, beam_search(m.as_ref(), src, 4, 8, 1.0));
        for (h, s) in &best {
            assert_eq!(*s, normalised_score(h.log_prob, h.ids.len(), 1.0));
        }
        // Among the finished ones (which come first), the scores fall.
        let finished: Vec<f64> = best
            .iter()
            .filter(|(h, _)| h.ids.last() == Some(&EOS_ID))
            .map(|(_, s)| *s)
            .collect();
        assert!(finished.windows(2).all(|w| w[0] >= w[1]), "{finished:?}");
        // Distinct sentences.
        for i in 0..best.len() {
            for j in 0..i {
                assert_ne!(best[i].0.ids, best[j].0.ids);
            }
        }
    }
}

proptest! {
    #[test]
    fn probabilities_sum_to_one(
        z in prop::collection::vec(-20.0f64..20.0, 5..30),
        t in 0.05f64..5.0,
        k in 1usize..10,
        p in 0.01f64..=1.0,
    ) {
        let s = Sampling::new(t, Some(k), p).unwrap();
        for probs in [temperature_probs(&z, t), s.probs(&z)] {
            prop_assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!(probs.iter().all(|&x| x >= 0.0));
            for id in [PAD_ID, UNK_ID, BOS_ID] {
                prop_assert_eq!(probs[id], 0.0);
            }
        }
    }

    #[test]
    fn a_temperature_near_zero_gives_greedys_choice(
        z in prop::collection::vec(-5.0f64..5.0, 5..30),
        seed in 0u64..1000,
    ) {
        let best = greedy_choice(&z);
        // Without a near tie, all the mass goes to the best.
        let runner_up = (0..z.len())
            .filter(|&i| choosable(i) && i != best)
            .map(|i| z[i])
            .fold(f64::NEG_INFINITY, f64::max);
        prop_assume!(z[best] - runner_up > 1e-3);
        // Down to the smallest float: z / T overflows to -inf (or +inf),
        // once a panic; the scores' maximum is taken off before dividing.
        for t in [1e-6, 1e-300, 1e-310, 5e-324] {
            let probs = temperature_probs(&z, t);
            prop_assert!((probs[best] - 1.0).abs() < 1e-12, "T = {}: {:?}", t, probs);
            prop_assert_eq!(draw(&probs, &mut rng(seed)), best);
        }
    }

    #[test]
    fn top_k_one_is_greedy(
        z in prop::collection::vec(-5.0f64..5.0, 5..30),
        t in 0.1f64..5.0,
        seed in 0u64..1000,
    ) {
        let s = Sampling::new(t, Some(1), 1.0).unwrap();
        prop_assert_eq!(draw(&s.probs(&z), &mut rng(seed)), greedy_choice(&z));
    }

    #[test]
    fn top_p_keeps_the_smallest_prefix_reaching_p(
        w in prop::collection::vec(0.01f64..1.0, 2..20),
        p in 0.01f64..=1.0,
    ) {
        let total: f64 = w.iter().sum();
        let probs: Vec<f64> = w.iter().map(|x| x / total).collect();
        let kept = top_p_cut(&probs, p);
        let ids: Vec<usize> = (0..probs.len()).filter(|&i| kept[i] > 0.0).collect();
        let mass: f64 = ids.iter().map(|&i| probs[i]).sum();
        // It reaches p...
        prop_assert!(mass + 1e-12 >= p);
        // ...every kept id is at least as probable as every dropped one...
        let least_kept = ids.iter().map(|&i| probs[i]).fold(f64::INFINITY, f64::min);
        prop_assert!((0..probs.len()).all(|i| kept[i] > 0.0 || probs[i] <= least_kept));
        // ...and without its least probable id it would not.
        prop_assert!(ids.len() == 1 || mass - least_kept + 1e-12 < p);
        // Renormalised: the kept ones keep their ratios.
        for &i in &ids {
            prop_assert!((kept[i] - probs[i] / mass).abs() < 1e-12);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_sentence(seed in 0u64..1000, kind in 0usize..3) {
        let kind = KINDS[kind];
        let m = model(kind, 1);
        let sources: [&[usize]; 2] = [&[4, 5, 6], &[7, 8]];
        let s = Sampling::new(1.5, None, 1.0).unwrap();
        let a = sample(m.as_ref(), &sources, 8, &s, &mut rng(seed));
        let b = sample(m.as_ref(), &sources, 8, &s, &mut rng(seed));
        prop_assert_eq!(&a, &b);
        for h in &a {
            prop_assert!(h.ids.len() <= 8 && h.log_prob <= 0.0);
            prop_assert!(h.ids.iter().all(|&y| choosable(y)));
        }
    }

    #[test]
    fn sampling_with_top_k_one_is_greedy_decoding(seed in 0u64..1000, kind in 0usize..3) {
        let kind = KINDS[kind];
        let m = model(kind, 2);
        let sources: [&[usize]; 2] = [&[4, 5, 6], &[]];
        let s = Sampling::new(0.7, Some(1), 1.0).unwrap();
        prop_assert_eq!(
            sample(m.as_ref(), &sources, 8, &s, &mut rng(seed)),
            greedy(m.as_ref(), &sources, 8)
        );
    }
}

#[test]
fn different_seeds_write_different_sentences() {
    // A flattened distribution over an untrained model: 20 seeds do not
    // all draw the same sentence (a test that the seed is used at all).
    let m = model(ModelKind::Attention, 4);
    let s = Sampling::new(3.0, None, 1.0).unwrap();
    let src: [&[usize]; 1] = [&[4, 5, 6]];
    let first = sample(m.as_ref(), &src, 8, &s, &mut rng(0));
    assert!((1..20).any(|seed| sample(m.as_ref(), &src, 8, &s, &mut rng(seed)) != first));
}

#[test]
fn a_prefix_cut_by_the_length_limit_competes_with_an_early_end() {
    // A model that writes word 5 at every step (bias +100), so that no
    // sentence with words ends before the limit. With these seeds `</s>`
    // alone entered the beam at step 1 (log-probability about -100) and
    // was returned as the best ("the model wrote nothing") over prefixes
    // of word 5 cut at the limit with log-probability about 0.
    for seed in [1, 3, 5, 14] {
        let (src, tgt) = crate::model_support::fox_vocabs();
        let config =
            crate::model_support::tiny_config(ModelKind::Attention, src.len(), tgt.len(), 1);
        let mut m = encdec::seq2seq::models::build(&config, &mut rng(seed)).unwrap();
        crate::model_support::raise_output_bias(m.as_mut(), 5, 100.0);
        let best = beam_search(m.as_ref(), &[4, 5, 6], 4, 12, 1.0);
        assert_eq!(best.ids, [5; 12], "seed {seed}: {best:?}");
        let n = beam_search_n_best(m.as_ref(), &[4, 5, 6], 4, 4, 12, 1.0);
        assert_eq!(n[0].0.ids, best.ids, "seed {seed}");
    }
}
