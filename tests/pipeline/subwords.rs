//! BPE-dropout in the main job (`train --subwords N --subword-dropout P`):
//! the training pairs are cut anew each epoch, reproducibly from the seed,
//! into pieces the vocabulary knows; validation and test are not touched.

use encdec::pipeline::{Prepared, TrainOptions, Units, prepare};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::task::Task;
use encdec::text::UNK_ID;

fn prepared(dropout: Option<f64>) -> Prepared {
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Attention);
    o.data.pairs = Some(300);
    o.text.subwords = Some(Units::Merges(80));
    o.text.subword_dropout = dropout;
    prepare(&o, None, &mut |_| {}).unwrap()
}

#[test]
fn dropout_cuts_each_epoch_anew_and_reproducibly_into_known_pieces() {
    let p = prepared(Some(0.3));
    let (one, two) = (p.dropped_train(0, 1), p.dropped_train(0, 2));
    assert_eq!(
        one,
        p.dropped_train(0, 1),
        "the same seed and epoch, the same cut"
    );
    assert_ne!(one, two, "another epoch, another cut");
    assert_eq!(one.len(), p.train.len());
    let longer = one
        .iter()
        .zip(&p.train)
        .filter(|(a, b)| a.src.len() > b.src.len());
    assert!(longer.count() > 0, "dropping merges leaves more pieces");
    let unknown = one.iter().flat_map(|e| e.src.iter().chain(&e.tgt));
    assert_eq!(unknown.filter(|&&id| id == UNK_ID).count(), 0);
}

#[test]
fn without_dropout_the_examples_are_the_plain_cut() {
    let p = prepared(None);
    assert!(p.dropout.is_none());
    assert_eq!(p.dropped_train(0, 3), p.train);
    assert_eq!(prepared(Some(0.0)).train, p.train);
}
