//! Greedy decoding and beam search (tutorial §3.2).

use crate::model_support::sized;
use encdec::seq2seq::{batch::*, config::*, decode::*, models::*};
use encdec::tensor::rng;
use encdec::text::EOS_ID;
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

mod batched;
mod sampling;

const KINDS: [ModelKind; 3] = [
    ModelKind::Lstm,
    ModelKind::Attention,
    ModelKind::Transformer,
];

/// Sources of different lengths, an empty one among them.
const SOURCES: [&[usize]; 4] = [&[4, 5, 6, 7, 8, 9], &[10], &[], &[11, 4, 5]];

fn model(kind: ModelKind, seed: u64) -> Box<dyn Seq2Seq> {
    let config = sized(kind, (12, 10), (8, 8), (1, 2), 0.0);
    build(&config, &mut rng(seed)).unwrap()
}

#[test]
fn length_normalisation_by_hand() {
    // log p = -6 over 3 tokens: alpha 0 keeps -6, alpha 1 gives -2, alpha 0.5 gives -6/sqrt(3).
    assert_eq!(normalised_score(-6.0, 3, 0.0), -6.0);
    assert_eq!(normalised_score(-6.0, 3, 1.0), -2.0);
    assert!((normalised_score(-6.0, 3, 0.5) + 6.0 / 3f64.sqrt()).abs() < 1e-15);
}

#[test]
fn greedy_stops_at_the_end_symbol_or_the_length_limit() {
    let m = model(ModelKind::Attention, 0);
    let sources: [&[usize]; 2] = [&[4, 5, 6], &[7]];
    let hs = greedy(m.as_ref(), &sources, 6);
    for (h, src) in hs.iter().zip(sources) {
        assert!(h.ids.len() <= 6);
        let ended = h.ids.last() == Some(&EOS_ID);
        assert!(ended || h.ids.len() == 6, "{:?}", h.ids);
        // </s> appears only at the end.
        assert!(!h.ids[..h.ids.len() - 1].contains(&EOS_ID));
        assert!(h.log_prob <= 0.0);
        // One row per output token, one column per source token and </s>.
        assert_eq!(h.attention[0].shape(), &[1, h.ids.len(), src.len() + 1]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn beam_width_one_is_exactly_greedy(
        seed in any::<u64>(),
        kind in prop::sample::select(KINDS.to_vec()),
        src in prop::collection::vec(4usize..12, 1..6),
    ) {
        let m = model(kind, seed);
        let g = greedy(m.as_ref(), &[&src], 7).remove(0);
        let b = beam_search(m.as_ref(), &src, 1, 7, 1.0);
        prop_assert_eq!(&g.ids, &b.ids);
        prop_assert!((g.log_prob - b.log_prob).abs() < 1e-12);
    }

    #[test]
    fn wider_beams_return_a_finished_or_full_length_sentence(seed in any::<u64>(), width in 2usize..5) {
        let m = model(ModelKind::Attention, seed);
        let b = beam_search(m.as_ref(), &[4, 5, 6], width, 7, 1.0);
        prop_assert!(b.ids.last() == Some(&EOS_ID) || b.ids.len() == 7);
        prop_assert!(b.log_prob <= 0.0);
    }
}

/// A count that a shared model can add to (a `Seq2Seq` is `Sync`).
#[derive(Default)]
struct Count(AtomicUsize);

impl Count {
    fn add(&self, n: usize) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
    fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// A model that counts the source rows it encodes and the prefix rows it decodes.
struct Counting {
    inner: Box<dyn Seq2Seq>,
    encoded: Count,
    decoded: Count,
}

impl Counting {
    fn new(inner: Box<dyn Seq2Seq>) -> Counting {
        Counting {
            inner,
            encoded: Count::default(),
            decoded: Count::default(),
        }
    }
}

impl encdec::nn::Module for Counting {
    fn params_mut(&mut self) -> Vec<&mut encdec::autograd::Param> {
        self.inner.params_mut()
    }
}

impl Seq2Seq for Counting {
    fn config(&self) -> &ModelConfig {
        self.inner.config()
    }
    fn encode<'t>(
        &self,
        tape: &'t encdec::autograd::Tape,
        batch: &Batch,
        train: Option<&mut encdec::tensor::Rng>,
    ) -> Encoded<'t> {
        self.encoded.add(batch.size);
        self.inner.encode(tape, batch, train)
    }
    fn decode<'t>(
        &self,
        tape: &'t encdec::autograd::Tape,
        enc: &Encoded<'t>,
        batch: &Batch,
        train: Option<&mut encdec::tensor::Rng>,
    ) -> Decoded<'t> {
        self.decoded.add(batch.size);
        self.inner.decode(tape, enc, batch, train)
    }
    fn decode_next<'t>(
        &self,
        tape: &'t encdec::autograd::Tape,
        enc: &Encoded<'t>,
        batch: &Batch,
    ) -> Decoded<'t> {
        self.decoded.add(batch.size);
        self.inner.decode_next(tape, enc, batch)
    }
    fn embeddings_mut(&mut self) -> (&mut encdec::nn::Embedding, &mut encdec::nn::Embedding) {
        self.inner.embeddings_mut()
    }
    fn output_mut(&mut self) -> &mut encdec::nn::Linear {
        self.inner.output_mut()
    }
}

#[test]
fn decoding_encodes_each_source_once_whatever_the_width() {
    // Memory and time grow with the rows encoded: a long source must not be
    // encoded once per beam (a width of 64 on 400 words once took 4.9 GB),
    // nor once per step.
    let sources: [&[usize]; 3] = [&[4, 5, 6, 7], &[8], &[9, 10]];
    for kind in KINDS {
        let m = Counting::new(model(kind, 3));
        let _ = beam_search(&m, &[4, 5, 6, 7], 16, 6, 1.0);
        assert_eq!(m.encoded.get(), 1, "{kind}: beam search of one source");
        m.encoded.reset();
        let _ = beam_search_batch(&m, &sources, 4, 6, 1.0);
        assert_eq!(m.encoded.get(), 3, "{kind}: beam search of three sources");
        m.encoded.reset();
        let _ = greedy(&m, &sources, 6);
        assert_eq!(
            m.encoded.get(),
            3,
            "{kind}: greedy decoding of three sources"
        );
    }
}

#[test]
fn finished_sentences_are_no_longer_decoded() {
    // A sentence of n output tokens takes one decoder row at each of its n
    // steps, and none after its </s>.
    for kind in KINDS {
        // The first seed whose sentences end at different steps.
        let (m, hs) = (0..20)
            .map(|seed| {
                let m = Counting::new(model(kind, seed));
                let hs = greedy(&m, &SOURCES, 8);
                (m, hs)
            })
            .find(|(_, hs)| batched::ends_at_different_steps(hs, 8))
            .expect("a seed whose sentences end at different steps");
        let written: usize = hs.iter().map(|h| h.ids.len()).sum();
        assert_eq!(m.decoded.get(), written, "{kind}");
    }
}

#[test]
fn decode_next_is_the_last_position_of_decode() {
    // Two sources of different lengths (padding masked), prefixes of 3 tokens.
    let examples = [
        Example {
            src: vec![4, 5, 6],
            tgt: vec![5, 6],
        },
        Example {
            src: vec![7],
            tgt: vec![8, 4],
        },
    ];
    let batch = Batch::new(&[&examples[0], &examples[1]]);
    for kind in KINDS {
        let m = model(kind, 4);
        let tape = encdec::autograd::Tape::new();
        let enc = m.encode(&tape, &batch, None);
        let all = m.decode(&tape, &enc, &batch, None);
        let next = m.decode_next(&tape, &enc, &batch);
        let t = batch.tgt_len;
        let last = all.logits.slice(1, t - 1, t).value();
        assert_eq!(next.logits.shape(), last.shape(), "{kind}");
        assert!(next.logits.value().max_abs_diff(&last) < 1e-12, "{kind}");
        for (a, b) in all.attention.iter().zip(&next.attention) {
            assert!(a.value().max_abs_diff(&b.value()) < 1e-12, "{kind}");
        }
    }
}
