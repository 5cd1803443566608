//! `encdec demo` and `encdec train`.

use crate::print::{CliResult, TrainingPrinter, print_line};
use encdec::corpora::FOX_EN;
use encdec::pipeline::{DemoOptions, TrainOptions};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::DecodeError;
use std::time::Instant;

/// `encdec train`: trains, printing the progress and the test scores.
pub fn train(o: &TrainOptions) -> CliResult {
    let mut printer = TrainingPrinter::default();
    let outcome = encdec::pipeline::train(o, &mut |p| printer.show(p))?;
    for line in outcome.score_lines(o) {
        print_line(&line);
    }
    Ok(())
}

/// `encdec demo`: trains, translates the fox sentence and draws its attention.
pub fn demo(o: &DemoOptions) -> CliResult {
    let start = Instant::now();
    let mut printer = TrainingPrinter::default();
    let (outcome, fox) = encdec::pipeline::demo(o, &mut |p| printer.show(p))?;
    for line in outcome.score_lines(&o.training()) {
        print_line(&line);
    }
    if fox.text.is_empty() {
        return Err(format!("{FOX_EN}: {}", DecodeError::NothingWritten).into());
    }
    print_line(FOX_EN);
    print_line(&format!("  -> {}", fox.text));
    encdec::viz::decoded_attention(&o.out, &fox, None, ModelKind::Attention)?;
    print_line(&format!("wrote {}", o.out.display()));
    print_line(&format!(
        "demo finished in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    Ok(())
}
