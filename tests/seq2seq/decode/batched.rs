//! Decoding many sentences at once gives each the result it gets alone:
//! the same ids, the same log-probability and attention up to rounding
//! (padding is masked, finished sentences leave the batch, each prefix
//! reads its own source).

use super::{KINDS, SOURCES, model};
use encdec::seq2seq::{config::*, decode::*, models::*};
use encdec::text::EOS_ID;
use proptest::prelude::*;

const MAX_LEN: usize = 8;

/// Whether `hs` holds a sentence that wrote `</s>` before the length limit
/// and another that went on longer: the case where finished rows leave.
pub fn ends_at_different_steps(hs: &[Hypothesis], max_len: usize) -> bool {
    let early = hs
        .iter()
        .filter(|h| h.ids.last() == Some(&EOS_ID) && h.ids.len() < max_len)
        .map(|h| h.ids.len())
        .min();
    early.is_some_and(|n| hs.iter().any(|h| h.ids.len() > n))
}

/// `None` if hypothesis `b` of a batch equals `a`, decoded alone; else what differs.
fn difference(b: &Hypothesis, a: &Hypothesis) -> Option<String> {
    if b.ids != a.ids {
        return Some(format!("ids {:?} in the batch, {:?} alone", b.ids, a.ids));
    }
    if (b.log_prob - a.log_prob).abs() > 1e-12 {
        return Some(format!("log p {} vs {}", b.log_prob, a.log_prob));
    }
    let same_attention = b.attention.len() == a.attention.len()
        && (b.attention.iter().zip(&a.attention))
            .all(|(x, y)| x.shape() == y.shape() && x.max_abs_diff(y) < 1e-12);
    (!same_attention).then(|| "attention differs".to_string())
}

/// Decodes `sources` in one batch and each alone, with `width` (1: greedy).
fn batch_and_alone(
    m: &dyn Seq2Seq,
    sources: &[&[usize]],
    width: usize,
) -> (Vec<Hypothesis>, Vec<Hypothesis>) {
    let decode = |s: &[&[usize]]| {
        if width == 1 {
            greedy(m, s, MAX_LEN)
        } else {
            beam_search_batch(m, s, width, MAX_LEN, 1.0)
        }
    };
    let alone = sources.iter().map(|s| decode(&[s]).remove(0)).collect();
    (decode(sources), alone)
}

#[test]
fn batched_greedy_and_beam_search_equal_decoding_each_sentence_alone() {
    let mut early_endings = 0;
    for kind in KINDS {
        for seed in 0..4 {
            let m = model(kind, seed);
            for width in [1, 2, 3] {
                let (batch, alone) = batch_and_alone(m.as_ref(), &SOURCES, width);
                for (i, (b, a)) in batch.iter().zip(&alone).enumerate() {
                    let d = difference(b, a);
                    assert!(
                        d.is_none(),
                        "{kind} seed {seed} width {width} sentence {i}: {d:?}"
                    );
                }
                early_endings += ends_at_different_steps(&batch, MAX_LEN) as usize;
            }
        }
    }
    // The cases above must include batches where one sentence ends early.
    assert!(
        early_endings >= 3,
        "only {early_endings} batches ended unevenly"
    );
}

#[test]
fn beam_search_of_width_one_in_a_batch_is_batched_greedy() {
    for kind in KINDS {
        let m = model(kind, 7);
        let g = greedy(m.as_ref(), &SOURCES, MAX_LEN);
        let b = beam_search_batch(m.as_ref(), &SOURCES, 1, MAX_LEN, 1.0);
        for (i, (g, b)) in g.iter().zip(&b).enumerate() {
            assert_eq!(difference(b, g), None, "{kind} sentence {i}");
        }
    }
}

#[test]
fn decode_in_batches_keeps_input_order_whatever_the_batch_size() {
    let sources: Vec<Vec<usize>> = SOURCES.iter().map(|s| s.to_vec()).collect();
    let m = model(ModelKind::Attention, 2);
    for beam in [1, 3] {
        let one_batch = decode_in_batches(m.as_ref(), &sources, beam, MAX_LEN, 64);
        for batch_size in [1, 2, 5] {
            let small = decode_in_batches(m.as_ref(), &sources, beam, MAX_LEN, batch_size);
            for (i, (s, o)) in small.iter().zip(&one_batch).enumerate() {
                assert_eq!(
                    difference(s, o),
                    None,
                    "beam {beam} batch {batch_size}, {i}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_batch_decodes_each_sentence_as_alone(
        seed in any::<u64>(),
        kind in prop::sample::select(KINDS.to_vec()),
        width in 1usize..4,
        sources in prop::collection::vec(prop::collection::vec(4usize..12, 0..7), 1..5),
    ) {
        let m = model(kind, seed);
        let sources: Vec<&[usize]> = sources.iter().map(Vec::as_slice).collect();
        let (batch, alone) = batch_and_alone(m.as_ref(), &sources, width);
        for (i, (b, a)) in batch.iter().zip(&alone).enumerate() {
            prop_assert_eq!(difference(b, a), None, "sentence {}", i);
        }
    }
}
