//! The three encoder–decoder models: batching, shapes, gradients through a
//! whole model, determinism, and the tutorial's translation end to end.

use crate::data_support;
use encdec::autograd::Tape;
use encdec::checks::modules::{detached_params, gradcheck_module};
use encdec::corpora::{FOX_EN, FOX_FR};
use encdec::optim::Schedule;
use encdec::seq2seq::{config::*, decode::*, eval::*, io::*, models::*, task::*, train::*};
use encdec::tensor::rng;
use encdec::text::{BOS_ID, EOS_ID, PAD_ID};

use crate::model_support;

use model_support::{tiny_batch, tiny_batch_loss as loss_of};

fn tiny(kind: ModelKind) -> ModelConfig {
    model_support::sized(kind, (9, 8), (4, 5), (1, 2), 0.0)
}

#[test]
fn batches_are_padded_and_shifted_for_teacher_forcing() {
    let b = tiny_batch();
    // Sources end with </s> (3) and are padded with <pad> (0) to length 4.
    assert_eq!(b.src, vec![4, 5, 6, EOS_ID, 8, EOS_ID, PAD_ID, PAD_ID]);
    assert_eq!(b.src_lengths, vec![4, 2]);
    // The decoder reads <s> y and predicts y </s>.
    assert_eq!(b.tgt_in, vec![BOS_ID, 7, 4, PAD_ID, BOS_ID, 5, 6, 7]);
    assert_eq!(b.tgt_out, vec![7, 4, EOS_ID, PAD_ID, 5, 6, 7, EOS_ID]);
    assert_eq!((b.size, b.src_len, b.tgt_len), (2, 4, 4));
}

fn check_model<M: Seq2Seq>(mut m: M) {
    let b = tiny_batch();
    let tape = Tape::new();
    let out = m.forward(&tape, &b, None);
    assert_eq!(out.logits.shape(), vec![2, 4, 8]);
    let report = gradcheck_module(&mut m, &[], loss_of::<M>);
    assert!(report.ok(), "{report}");
    let detached = detached_params(&mut m, &[], loss_of::<M>);
    assert!(detached.is_empty(), "no gradient reaches {detached:?}");
}

#[test]
fn lstm_model_gradients_are_right_end_to_end() {
    check_model(LstmSeq2Seq::new(tiny(ModelKind::Lstm), &mut rng(1)));
}

#[test]
fn attention_model_gradients_are_right_end_to_end() {
    let m = AttentionSeq2Seq::new(tiny(ModelKind::Attention), &mut rng(2));
    let tape = Tape::new();
    let out = m.forward(&tape, &tiny_batch(), None);
    let w = out.attention[0].value();
    assert_eq!(w.shape(), &[2, 1, 4, 4]);
    // Sentence 2 has 2 real source tokens: no weight on positions 2 and 3.
    assert_eq!((w.at(&[1, 0, 0, 2]), w.at(&[1, 0, 3, 3])), (0.0, 0.0));
    check_model(m);
}

#[test]
fn transformer_model_gradients_are_right_end_to_end() {
    let m = TransformerSeq2Seq::new(tiny(ModelKind::Transformer), &mut rng(3));
    let tape = Tape::new();
    let out = m.forward(&tape, &tiny_batch(), None);
    assert_eq!(out.attention.len(), 1);
    assert_eq!(out.attention[0].shape(), vec![2, 2, 4, 4]);
    check_model(m);
}

#[test]
fn parameter_names_are_unique() {
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        let mut m = build(&tiny(kind), &mut rng(0)).unwrap();
        let mut names: Vec<&str> = m.params().iter().map(|p| p.name.as_str()).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "{kind}: duplicate parameter names");
    }
}

#[test]
fn invalid_configs_are_errors() {
    let mut c = tiny(ModelKind::Transformer);
    if let Arch::Transformer(t) = &mut c.arch {
        t.heads = 3;
    }
    assert!(build(&c, &mut rng(0)).err().unwrap().contains("heads"));
    let mut c = tiny(ModelKind::Lstm);
    if let Arch::Lstm(r) = &mut c.arch {
        r.hidden = 0;
    }
    assert!(
        build(&c, &mut rng(0))
            .err()
            .unwrap()
            .contains("hidden must be at least 1")
    );
}

#[test]
fn the_same_seed_gives_bit_identical_losses() {
    let data = data_support::prepared(Task::Translation, 400, 5);
    let run = || {
        let config = ModelConfig::new(
            ModelKind::Transformer,
            data.src_vocab.len(),
            data.tgt_vocab.len(),
        );
        let mut model = build(&config, &mut rng(9)).unwrap();
        let h = fit(
            model.as_mut(),
            &data.train,
            &data.valid,
            &data_support::training(ModelKind::Transformer, 2, 32, 9),
        );
        h.epochs
            .iter()
            .map(|e| (e.train_loss.to_bits(), e.valid_loss.to_bits()))
            .collect::<Vec<_>>()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
}

#[test]
fn training_lowers_the_loss_for_every_model() {
    let data = data_support::prepared(Task::Translation, 300, 1);
    for kind in [
        ModelKind::Lstm,
        ModelKind::Attention,
        ModelKind::Transformer,
    ] {
        let config = ModelConfig::new(kind, data.src_vocab.len(), data.tgt_vocab.len());
        let mut model = build(&config, &mut rng(4)).unwrap();
        let (before, _) = evaluate(model.as_ref(), &data.train, 64);
        // A fixed rate: the Transformer's warm-up would still be warming up.
        let mut train = data_support::training(kind, 6, 16, 4);
        train.schedule = Schedule::Constant(3e-3);
        fit(model.as_mut(), &data.train, &data.valid, &train);
        let (after, _) = evaluate(model.as_ref(), &data.train, 64);
        assert!(after < 0.7 * before, "{kind}: loss {before} -> {after}");
    }
}

#[test]
fn the_attention_model_translates_the_held_out_fox_sentence() {
    // The recipe of the picture in docs/ch4-3 (notebook 04_3, 3 epochs): the
    // fox sentence is in the test split, never seen in training.
    let data = data_support::prepared(Task::Translation, 6000, 0);
    assert!(data.test.iter().any(|p| p.source == FOX_EN));
    let config = ModelConfig::new(
        ModelKind::Attention,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    let mut model = build(&config, &mut rng(0)).unwrap();
    fit(
        model.as_mut(),
        &data.train,
        &data.valid,
        &data_support::training(ModelKind::Attention, 3, 32, 0),
    );
    let c = Checkpoint::new(Translator::new(
        model,
        data.src_vocab,
        data.tgt_vocab,
        Task::Translation,
    ));
    let score = evaluate_pairs(&c.translator, &data.test, 1, 64)
        .unwrap()
        .bleu4;
    assert!(score >= 0.9, "test BLEU {score}");
    let t = c
        .translator
        .decode_text(FOX_EN, 1, UnknownWords::Refuse)
        .unwrap();
    assert_eq!(t.text, FOX_FR);
    assert_eq!(
        c.translator
            .decode_text(FOX_EN, 4, UnknownWords::Refuse)
            .unwrap()
            .text,
        FOX_FR
    );
    // What the caption of docs/img/fox_attention.png (docs/ch4-3, README)
    // says, checked on the weights of this model, the one the picture shows.
    let a = &t.attention[0];
    let looks_at = |i: usize| -> &str {
        let row: Vec<f64> = (0..a.shape()[2]).map(|j| a.at(&[0, i, j])).collect();
        let best = (0..row.len()).fold(0, |b, j| if row[j] > row[b] { j } else { b });
        &t.src_tokens[best]
    };
    // French:  le renard brun rapide saute par-dessus le chien paresseux </s>
    // English: the quick brown fox jumps over the lazy dog </s>
    let seen: Vec<(&str, &str)> = (0..t.tgt_tokens.len())
        .map(|i| (t.tgt_tokens[i].as_str(), looks_at(i)))
        .collect();
    for (fr, en) in [
        ("renard", "fox"),
        ("brun", "brown"),
        ("rapide", "quick"),
        ("chien", "dog"),
        ("paresseux", "lazy"),
        ("par-dessus", "over"),
    ] {
        assert!(
            seen.contains(&(fr, en)),
            "{fr} should look at {en}: {seen:?}"
        );
    }
    // The function words do not look at the words they translate.
    assert_eq!(seen[0], ("le", "fox"), "{seen:?}");
    assert!(a.at(&[0, 0, 0]) < 0.05, "le -> the = {}", a.at(&[0, 0, 0]));
    assert_eq!(seen[4], ("saute", "over"), "{seen:?}");
    assert_eq!(seen[6], ("le", "</s>"), "{seen:?}");
    assert_eq!(seen[9], ("</s>", "</s>"), "{seen:?}");
}

#[test]
fn predict_gives_a_distribution_per_position() {
    let m = build(&tiny(ModelKind::Attention), &mut rng(6)).unwrap();
    let b = tiny_batch();
    let p = predict(m.as_ref(), &b);
    assert_eq!(p.shape(), &[2, 4, 8]);
    for row in p.data().chunks(8) {
        assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(row.iter().all(|&x| x > 0.0));
    }
    // The same argmax as the logits: predict and token accuracy agree.
    let tape = encdec::autograd::Tape::new();
    let logits = m.forward(&tape, &b, None).logits.value();
    assert_eq!(
        token_accuracy(&p, &b.tgt_out),
        token_accuracy(&logits, &b.tgt_out)
    );
}

#[test]
fn frozen_pretrained_embeddings_do_not_change_and_fine_tuned_ones_do() {
    use encdec::wordvec::WordVectors;
    let data = data_support::prepared(Task::Translation, 300, 2);
    let config = ModelConfig::new(
        ModelKind::Attention,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    // Vectors for every English word but the specials: [words, emb].
    let words: Vec<String> = data.src_vocab.tokens()[4..].to_vec();
    let emb = config.src_embedding_width();
    let table = encdec::tensor::Tensor::randn(&[words.len(), emb], 0.0, 0.3, &mut rng(8));
    let vectors = WordVectors::new(words.clone(), table).unwrap();
    for trainable in [false, true] {
        let mut model = build(&config, &mut rng(3)).unwrap();
        let copied = load_vectors(
            model.embeddings_mut().0,
            &data.src_vocab,
            &vectors,
            trainable,
        )
        .unwrap();
        assert_eq!(copied, words.len());
        let before = model.embeddings_mut().0.weight.value.clone();
        assert_eq!(
            &before.data()[4 * emb..5 * emb],
            vectors.get(&words[0]).unwrap()
        );
        fit(
            model.as_mut(),
            &data.train,
            &data.valid,
            &data_support::training(ModelKind::Attention, 1, 32, 3),
        );
        let after = model.embeddings_mut().0.weight.value.clone();
        if trainable {
            assert!(
                after.max_abs_diff(&before) > 1e-3,
                "fine-tuned vectors did not move"
            );
        } else {
            assert_eq!(after, before, "frozen vectors changed");
        }
    }
    let mut model = build(&config, &mut rng(3)).unwrap();
    let small =
        WordVectors::new(vec!["fox".into()], encdec::tensor::Tensor::zeros(&[1, 7])).unwrap();
    let e = load_vectors(model.embeddings_mut().0, &data.src_vocab, &small, true).unwrap_err();
    assert!(
        e.contains("have 7 dimensions but the model's embeddings have 48"),
        "{e}"
    );
}
