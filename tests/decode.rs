//! Greedy decoding and beam search (tutorial §3.2).

use encdec::data::EOS_ID;
use encdec::seq2seq::*;
use encdec::tensor::rng;
use proptest::prelude::*;

fn model(kind: ModelKind, seed: u64) -> Box<dyn Seq2Seq> {
    let config = ModelConfig {
        kind,
        src_vocab: 12,
        tgt_vocab: 10,
        emb: 8,
        hidden: 8,
        layers: 1,
        heads: 2,
        dropout: 0.0,
    };
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
    let hs = greedy(m.as_ref(), &[&[4, 5, 6], &[7]], 6);
    for h in &hs {
        assert!(h.ids.len() <= 6);
        let ended = h.ids.last() == Some(&EOS_ID);
        assert!(ended || h.ids.len() == 6, "{:?}", h.ids);
        // </s> appears only at the end.
        assert!(!h.ids[..h.ids.len() - 1].contains(&EOS_ID));
        assert!(h.log_prob <= 0.0);
        assert_eq!(h.attention[0].shape(), &[1, h.ids.len(), 4]);
    }
}

#[test]
fn decoding_a_sentence_alone_or_in_a_batch_gives_the_same_result() {
    let m = model(ModelKind::Transformer, 1);
    let batch = greedy(m.as_ref(), &[&[4, 5, 6, 7, 8], &[9]], 8);
    let alone = greedy(m.as_ref(), &[&[9]], 8);
    assert_eq!(batch[1].ids, alone[0].ids);
    assert!((batch[1].log_prob - alone[0].log_prob).abs() < 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn beam_width_one_is_exactly_greedy(
        seed in any::<u64>(),
        kind in prop::sample::select(vec![ModelKind::Lstm, ModelKind::Attention, ModelKind::Transformer]),
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

/// A model that counts the source rows it is asked to encode.
struct Counting {
    inner: Box<dyn Seq2Seq>,
    rows: std::sync::atomic::AtomicUsize,
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
        self.rows
            .fetch_add(batch.size, std::sync::atomic::Ordering::Relaxed);
        self.inner.encode(tape, batch, train)
    }
    fn decode<'t>(
        &self,
        tape: &'t encdec::autograd::Tape,
        enc: &Encoded<'t>,
        batch: &Batch,
        train: Option<&mut encdec::tensor::Rng>,
    ) -> Decoded<'t> {
        self.inner.decode(tape, enc, batch, train)
    }
    fn embeddings_mut(&mut self) -> (&mut encdec::nn::Embedding, &mut encdec::nn::Embedding) {
        self.inner.embeddings_mut()
    }
}

#[test]
fn beam_search_encodes_its_source_once_per_step_whatever_the_width() {
    // Memory and time of a step grow with the rows encoded: a long source
    // must not be encoded once per beam (a width of 64 on 400 words once
    // took 4.9 GB).
    for kind in [ModelKind::Attention, ModelKind::Transformer] {
        let m = Counting {
            inner: model(kind, 3),
            rows: std::sync::atomic::AtomicUsize::new(0),
        };
        let max_len = 6;
        let _ = beam_search(&m, &[4, 5, 6, 7], 16, max_len, 1.0);
        // One encoding per step, and one more for the chosen sentence's attention.
        assert!(
            m.rows.load(std::sync::atomic::Ordering::Relaxed) <= max_len + 1,
            "{kind}: {} rows",
            m.rows.load(std::sync::atomic::Ordering::Relaxed)
        );
    }
}
