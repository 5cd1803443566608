//! `fit` cut open: [`Fitting`] runs one batch or one epoch's end at a
//! time, and gives the bits of the plain loop that `fit` was before it:
//! per epoch, batches drawn with the seeded generator, then one
//! `train_step` per batch, the same generator giving dropout.

use crate::data_support;
use encdec::seq2seq::config::{ModelConfig, ModelKind};
use encdec::seq2seq::models::{Seq2Seq, build};
use encdec::seq2seq::train::{
    Fitting, Phase, Tally, TrainConfig, batches, fit, fit_with, train_step,
};
use encdec::tensor::{Tensor, rng};

/// A fresh attention model for `data`'s vocabularies, with dropout (so
/// the generator's draws matter).
fn model(data: &encdec::pipeline::Prepared) -> Box<dyn Seq2Seq> {
    let mut c = ModelConfig::new(
        ModelKind::Attention,
        data.src_vocab.len(),
        data.tgt_vocab.len(),
    );
    c.dropout = 0.2;
    build(&c, &mut rng(3)).unwrap()
}

fn values(m: &mut dyn Seq2Seq) -> Vec<Tensor> {
    m.params().iter().map(|p| p.value.clone()).collect()
}

fn config() -> TrainConfig {
    let mut c = data_support::training(ModelKind::Attention, 2, 16, 7);
    c.threads = 1;
    c
}

/// The loop `fit` ran before it was cut open, written out: each batch's counts.
fn plain_loop(m: &mut dyn Seq2Seq, train: &[encdec::seq2seq::batch::Example]) -> Vec<Tally> {
    let config = config();
    let mut opt = config.optimizer.build();
    let mut r = rng(config.seed);
    let (mut step, mut tallies) = (0, vec![]);
    for _ in 0..config.epochs {
        for batch in batches(train, config.batch_size, Some(&mut r)) {
            step += 1;
            tallies.push(train_step(m, &batch, opt.as_mut(), &config, step, &mut r));
        }
    }
    tallies
}

#[test]
fn fitting_batch_by_batch_gives_the_plain_loops_bits() {
    let data = data_support::prepared(encdec::seq2seq::task::Task::Translation, 200, 0);
    let mut reference = model(&data);
    let expected = plain_loop(reference.as_mut(), &data.train);

    let config = config();
    let mut m = model(&data);
    let mut opt = config.optimizer.build();
    let mut f = Fitting::new(&config, None, &data.train);
    let (mut got, mut ends) = (vec![], vec![]);
    loop {
        match f.phase() {
            Phase::Batch => got.push(f.step(m.as_mut(), opt.as_mut()).tally),
            Phase::EpochEnd => ends.push(f.end_epoch(m.as_ref(), (&data.train, &data.valid))),
            Phase::Finished => break,
        }
    }
    assert_eq!(got, expected, "every batch's loss and counts, exactly");
    assert_eq!(values(m.as_mut()), values(reference.as_mut()));
    // 180 training pairs in batches of 16: 12 batches per epoch.
    assert_eq!(got.len(), 2 * data.train.len().div_ceil(16));
    assert_eq!(ends.iter().map(|e| e.epoch).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(ends[1].step, got.len());
}

#[test]
fn fit_is_a_loop_over_fitting() {
    let data = data_support::prepared(encdec::seq2seq::task::Task::Translation, 200, 0);
    let config = config();
    let mut a = model(&data);
    let history = fit(a.as_mut(), &data.train, &data.valid, &config);
    let mut b = model(&data);
    let mut opt = config.optimizer.build();
    let mut so_far = vec![];
    let again = fit_with(
        b.as_mut(),
        (&data.train, &data.valid),
        &config,
        (None, opt.as_mut()),
        &mut |p| {
            if let encdec::seq2seq::train::Progress::BatchDone { so_far: t, .. } = p {
                so_far.push(t);
            }
        },
        |_, _, _| Ok::<(), String>(()),
    )
    .unwrap();
    assert_eq!(values(a.as_mut()), values(b.as_mut()));
    let losses = |h: &encdec::seq2seq::train::History| {
        h.epochs
            .iter()
            .map(|e| (e.train_loss, e.valid_loss))
            .collect::<Vec<_>>()
    };
    assert_eq!(losses(&history), losses(&again));
    let mut c = model(&data);
    assert_eq!(plain_loop(c.as_mut(), &data.train).len(), so_far.len());
}

#[test]
#[should_panic(expected = "Fitting::end_epoch: the epoch is not done")]
fn ending_an_epoch_before_its_batches_panics() {
    let data = data_support::prepared(encdec::seq2seq::task::Task::Translation, 200, 0);
    let m = model(&data);
    let mut f = Fitting::new(&config(), None, &data.train);
    f.end_epoch(m.as_ref(), (&data.train, &data.valid));
}

#[test]
#[should_panic(expected = "Fitting::step: no batch is due")]
fn stepping_a_finished_run_panics() {
    let data = data_support::prepared(encdec::seq2seq::task::Task::Translation, 200, 0);
    let mut m = model(&data);
    let mut none = config();
    none.epochs = 0;
    let mut f = Fitting::new(&none, None, &data.train);
    assert_eq!(f.phase(), Phase::Finished);
    f.step(m.as_mut(), none.optimizer.build().as_mut());
}

#[test]
fn history_has_points_between_epochs() {
    // A point after every 10th batch of an epoch and after its last one:
    // with n batches per epoch (n between 11 and 20), 2 epochs give 4
    // points, after batches 10 and n of each.
    let data = data_support::prepared(encdec::seq2seq::task::Task::Translation, 400, 0);
    let n = data.train.len().div_ceil(16);
    assert!((11..=20).contains(&n), "{n} batches per epoch");
    let mut m = model(&data);
    let history = fit(m.as_mut(), &data.train, &data.valid, &config());
    assert_eq!(encdec::seq2seq::train::POINT_EVERY, 10);
    assert_eq!(history.epochs.len(), 2);
    let at: Vec<f64> = history.points.iter().map(|p| p.at).collect();
    let tenth = 10.0 / n as f64;
    assert_eq!(at, [tenth, 1.0, 1.0 + tenth, 2.0]);
    let steps: Vec<usize> = history.points.iter().map(|p| p.step).collect();
    assert_eq!(steps, [10, n, n + 10, 2 * n]);
    // Each point is the mean over the batches since the previous one.
    let mut reference = model(&data);
    let tallies = plain_loop(reference.as_mut(), &data.train);
    let mean = |from: usize, to: usize| {
        let mut t = Tally::default();
        tallies[from..to].iter().for_each(|b| t.add(b));
        (t.loss(), t.accuracy())
    };
    let spans = [(0, 10), (10, n), (n, n + 10), (n + 10, 2 * n)];
    for (p, (from, to)) in history.points.iter().zip(spans) {
        assert_eq!((p.loss, p.accuracy), mean(from, to), "batches {from}..{to}");
    }
}
