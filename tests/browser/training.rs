//! The training panel: the demo's run in the page's Web Worker, batch by
//! batch the losses of the same run in Rust, and at the end the demo's BLEU
//! within a minute, the trained model the page's model and a checkpoint the
//! command loads.

use crate::cdp::Browser;
use crate::playground::{checkpoint, encdec, open};
use encdec::pipeline::DemoOptions;
use encdec::pipeline::ParallelOptions;
use encdec::pipeline::TrainSession;
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::train::Phase;
use serde_json::Value;

/// Starts the panel's run of `epochs` with seed 0 and waits until it ends.
fn train_in_page(b: &mut Browser, epochs: u32, seconds: u64) -> f64 {
    b.eval(&format!("(() => {{ const s = document.querySelector('#training input[type=number]'); s.value = {epochs}; document.getElementById('encdec-train').click(); }})()"));
    let begun = std::time::Instant::now();
    b.wait_for(
        "document.querySelector('#training .status').dataset.state === 'done'",
        seconds,
    );
    begun.elapsed().as_secs_f64()
}

/// Every batch loss of the demo's run of `epochs`, in Rust, one thread.
fn native_losses(epochs: usize) -> Vec<f64> {
    let demo = DemoOptions {
        epochs,
        seed: 0,
        out: "attention.png".into(),
        checkpoint: None,
        parallel: ParallelOptions {
            threads: Some(1),
            ..ParallelOptions::default()
        },
    };
    let mut s = TrainSession::new(&demo.training(), &mut |_| {}).unwrap();
    let mut losses = vec![];
    loop {
        match s.phase() {
            Phase::Batch => losses.push(s.step().loss()),
            Phase::EpochEnd => drop(s.end_epoch().unwrap()),
            Phase::Finished => return losses,
        }
    }
}

#[test]
fn one_epoch_in_the_worker_gives_the_losses_of_the_same_run_in_rust() {
    let (model, _) = checkpoint(ModelKind::Transformer, "train1");
    let mut b = open(&model, "", (1000, 1400));
    train_in_page(&mut b, 1, 120);
    let page: Vec<f64> = b
        .eval("window.encdec.training.steps.map(s => s.loss)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let want = native_losses(1);
    assert_eq!(page.len(), want.len(), "batches");
    let worst = page
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    eprintln!(
        "the page's {} batch losses differ from the native run's by at most {worst:e}",
        page.len()
    );
    assert!(worst <= 1e-12, "{worst:e}");
    let snapshots = b
        .eval("window.encdec.training.snapshots.length")
        .as_u64()
        .unwrap();
    assert!(snapshots >= 2, "snapshots of the fox sentence: {snapshots}");
}

#[test]
fn the_demo_trains_to_its_bleu_in_the_page_within_a_minute() {
    let (model, _) = checkpoint(ModelKind::Transformer, "train4");
    let mut b = open(&model, "", (1000, 1400));
    let seconds = train_in_page(&mut b, 4, 150);
    let bleu = b
        .eval("window.encdec.training.result.bleu4")
        .as_f64()
        .unwrap();
    let worker = b.eval("window.encdec.training.seconds").as_f64().unwrap();
    eprintln!("the demo's run in the page: {worker:.1} s in the worker, test BLEU-4 {bleu:.4}");
    assert!(bleu > 0.99, "BLEU-4 {bleu}");
    assert!(seconds <= 60.0, "{seconds:.1} s");
    // The trained model is the page's model now: the fox sentence in French.
    let output: Value = b.eval("window.encdec.data.output");
    assert_eq!(
        output,
        "le renard brun rapide saute par-dessus le chien paresseux"
    );
    // And the page's checkpoint is one the command loads.
    let saved = b
        .eval("window.encdec.training.result.checkpoint")
        .as_str()
        .unwrap()
        .to_string();
    let path = model.with_file_name("playground.ckpt");
    std::fs::write(&path, crate::cdp::decode_base64(&saved)).unwrap();
    let out = encdec(&[
        "translate",
        "--checkpoint",
        path.to_str().unwrap(),
        "the lazy dog sleeps",
    ]);
    assert!(!out.trim().is_empty());
    if let Ok(dir) = std::env::var("ENCDEC_SCREENSHOTS") {
        b.screenshot_of(
            "#training",
            &std::path::Path::new(&dir).join("playground-training.png"),
        );
    }
}
