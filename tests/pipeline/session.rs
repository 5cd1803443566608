//! [`TrainSession`]: the main job one batch at a time, as a page in the
//! browser drives it — the same bits as `encdec train`, a checkpoint the
//! command line loads, and the `--watch` snapshot of any moment.

use crate::cli_support::{encdec, temp};
use encdec::pipeline::{TrainOptions, TrainSession, train};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::io::Checkpoint;
use encdec::seq2seq::task::Task;
use encdec::seq2seq::train::{EpochStats, Phase, Progress, Tally};

/// Two epochs of the attention model on 200 built-in pairs, on one thread.
fn options() -> TrainOptions {
    let mut o = TrainOptions::new(Task::Translation, ModelKind::Attention);
    o.data.pairs = Some(200);
    o.run.epochs = 2;
    o.run.batch_size = 16;
    o.run.seed = 5;
    o.run.parallel.threads = Some(1);
    o
}

#[test]
fn a_session_gives_the_bits_of_train_batch_by_batch() {
    let o = options();
    let mut by_train: Vec<Tally> = vec![];
    let mut outcome = train(&o, &mut |p| {
        if let Progress::BatchDone { so_far, .. } = p {
            by_train.push(so_far);
        }
    })
    .unwrap();
    let mut session = TrainSession::new(&o, &mut |_| {}).unwrap();
    let (mut by_session, mut epochs) = (vec![], vec![]);
    loop {
        match session.phase() {
            Phase::Batch => by_session.push(session.step().so_far),
            Phase::EpochEnd => epochs.push(session.end_epoch().unwrap()),
            Phase::Finished => break,
        }
    }
    // Every batch's loss, as the epoch's running counts, exactly.
    assert_eq!(by_session, by_train);
    // Wall-clock time differs between runs; everything else is the same.
    let timeless = |e: &EpochStats| EpochStats {
        seconds: 0.0,
        tokens_per_second: 0.0,
        ..e.clone()
    };
    let expected: Vec<_> = outcome.history.epochs.iter().map(timeless).collect();
    assert_eq!(epochs.iter().map(timeless).collect::<Vec<_>>(), expected);
    assert_eq!(session.history().points, outcome.history.points);
    let mut kept = session.into_checkpoint();
    assert_eq!(kept.to_bytes(), outcome.checkpoint.to_bytes());
}

#[test]
fn a_sessions_checkpoint_as_bytes_loads_in_the_command_line() {
    let mut o = options();
    o.run.epochs = 1;
    let mut session = TrainSession::new(&o, &mut |_| {}).unwrap();
    while session.phase() != Phase::Finished {
        match session.phase() {
            Phase::Batch => {
                session.step();
            }
            _ => {
                session.end_epoch().unwrap();
            }
        }
    }
    let outcome = session.finish(&mut |_| {}).unwrap();
    assert!(outcome.test.bleu4.is_finite());
    let mut c = outcome.checkpoint;
    assert_eq!(c.unsavable(), None);
    let bytes = c.to_bytes();
    let name = std::path::Path::new("in the page");
    let mut back = Checkpoint::from_bytes(&bytes, name).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    let path = temp("session.ckpt");
    std::fs::write(&path, &bytes).unwrap();
    let out = encdec(&[
        "translate",
        "--checkpoint",
        path.to_str().unwrap(),
        "the dog",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&path).unwrap();
    // Cut short, the bytes are refused with the name the page gave them.
    let e = Checkpoint::from_bytes(&bytes[..bytes.len() / 2], name)
        .err()
        .unwrap();
    assert!(e.to_string().contains("in the page"), "{e}");
}

#[test]
fn a_snapshot_says_where_training_is_and_what_the_model_writes() {
    let mut session = TrainSession::new(&options(), &mut |_| {}).unwrap();
    let before = session.snapshot("the dog").unwrap();
    assert_eq!(
        (before["epoch"].as_u64(), before["batch"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(before["loss"].is_null());
    let report = session.step();
    let after = session.snapshot("the dog").unwrap();
    assert_eq!(
        (after["epoch"].as_u64(), after["batch"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(after["step"].as_u64(), Some(1));
    assert_eq!(after["loss"].as_f64(), Some(report.loss()));
    assert_eq!(after["data"]["source"][0], "the");
    // Unknown words are read as <unk>, but a sentence needs one known word.
    assert!(session.snapshot("the zzzq").is_ok());
    let e = session.snapshot("zzzq qqqz").unwrap_err().to_string();
    assert!(e.contains("none of the words"), "{e}");
}

/// The points of the SVG polylines drawn in `colour` (`#RRGGBB`).
fn polyline_points(svg: &str, colour: &str) -> Vec<usize> {
    (svg.split("<polyline").skip(1))
        .filter(|tag| {
            tag.split('>')
                .next()
                .unwrap()
                .contains(&format!("stroke=\"{colour}\""))
        })
        .map(|tag| {
            let points = tag
                .split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            points.split_whitespace().count()
        })
        .collect()
}

#[test]
fn curves_have_a_point_every_few_batches() {
    // With n batches per epoch, a point after every 10th batch and after
    // the last: (n - 1) / 10 + 1 training points per epoch, more than the
    // one point per epoch of the validation curves.
    let mut o = options();
    o.run.batch_size = 8;
    let outcome = train(&o, &mut |_| {}).unwrap();
    let h = &outcome.history;
    assert_eq!(h.epochs.len(), 2);
    let n = h.epochs[0].step;
    assert!(n > 10, "{n} batches per epoch");
    let per_epoch = (n - 1) / 10 + 1;
    assert_eq!(h.points.len(), 2 * per_epoch, "{:?}", h.points);
    let svg = temp("session-curves.svg");
    encdec::pipeline::plot_history(&svg, "curves", h).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    // train loss: the first colour; validation loss: the second. Each
    // colour's first line is its 2-point sample in the legend.
    assert_eq!(polyline_points(&text, "#1F77B4"), [2, 2 * per_epoch]);
    assert_eq!(polyline_points(&text, "#FF7F0E"), [2, 2]);
    for name in ["train loss (left)", "validation accuracy (right, dashed)"] {
        assert!(text.contains(name), "no {name:?}");
    }
    std::fs::remove_file(svg).unwrap();
}
