//! The library side of `encdec bench` (`src/checks/bench.rs`,
//! `growth.rs`): the batches it times and the growth of the time with the
//! length (log-log slopes, the count of multiply-adds). The peak heap of a
//! step is a measurement, not a test: `benches/steps.rs` prints it.

use encdec::checks::bench::{BATCH, StepTimes, bench_batch, bench_config};
use encdec::checks::growth::{growth, growth_words, log_log_slope, multiply_adds};
use encdec::seq2seq::config::ModelKind;

#[test]
fn slope_of_two_points_is_the_exponent_between_them() {
    // 10 ms at length 12, 40 ms at 24: ln(40/10) / ln(24/12) = ln 4 / ln 2 = 2.
    assert!((log_log_slope(&[(12.0, 10.0), (24.0, 40.0)]) - 2.0).abs() < 1e-12);
    // A cost y = 3 x^1.5 has slope 1.5 through any lengths.
    let points: Vec<(f64, f64)> = [12.0, 24.0, 48.0, 96.0]
        .iter()
        .map(|&x: &f64| (x, 3.0 * x.powf(1.5)))
        .collect();
    assert!((log_log_slope(&points) - 1.5).abs() < 1e-12);
}

#[test]
fn slope_of_several_points_is_the_least_squares_fit() {
    // Points (1, 1), (e, e²), (e², e²): u = ln x = 0, 1, 2 and w = ln y = 0, 2, 2.
    // Means ū = 1, w̄ = 4/3; Σ(u-ū)(w-w̄) = (-1)(-4/3) + 0 + (1)(2/3) = 2;
    // Σ(u-ū)² = 1 + 0 + 1 = 2; slope = 2 / 2 = 1.
    let e = std::f64::consts::E;
    assert!((log_log_slope(&[(1.0, 1.0), (e, e * e), (e * e, e * e)]) - 1.0).abs() < 1e-12);
}

#[test]
fn multiply_adds_of_the_two_benchmark_models_by_hand() {
    // LSTM, e = 64, h = 128, V = 100: a = 2·4h(e+h) + hV = 196608 + 12800 = 209408
    // per position, no products between positions; n = 12: 32 · 209408 · 12.
    let lstm = bench_config(ModelKind::Lstm);
    assert_eq!(multiply_adds(&lstm, 12), 80_412_672.0);
    // Transformer, d = 64, f = 256, L = 2:
    // a = 2(4d² + 2df) + 2(8d² + 2df) + dV = 98304 + 131072 + 6400 = 235776;
    // b = 2·2d + 2·4d = 768; n = 12: 32 · (235776 · 12 + 768 · 144) = 32 · 2939904.
    let transformer = bench_config(ModelKind::Transformer);
    assert_eq!(multiply_adds(&transformer, 12), 94_076_928.0);
}

/// A run at length `len` whose steps took `ms` (no memory figure).
fn run(len: usize, ms: f64) -> StepTimes {
    StepTimes {
        len,
        ms: vec![ms],
        peak_bytes: None,
    }
}

#[test]
fn growth_reports_each_doubling_then_the_whole_range() {
    let runs = [run(12, 10.0), run(24, 20.0), run(48, 40.0)];
    let all = growth(ModelKind::Lstm, &runs);
    let spans: Vec<_> = all.iter().map(|g| (g.from, g.to)).collect();
    assert_eq!(spans, [(12, 24), (24, 48), (12, 48)]);
    for g in &all {
        // Time doubling with the length is slope 1, and so is the LSTM's count.
        assert!((g.seen - 1.0).abs() < 1e-12 && (g.expected - 1.0).abs() < 1e-12);
    }
    let words = growth_words(ModelKind::Lstm, &all);
    assert!(
        words.contains("about linear") && words.contains("as the count predicts"),
        "{words}"
    );
    assert!(growth(ModelKind::Lstm, &runs[..1]).is_empty());
}

#[test]
fn transformer_count_grows_between_linear_and_quadratic() {
    let runs = [run(12, 10.0), run(24, 40.0), run(48, 160.0), run(96, 640.0)];
    let all = growth(ModelKind::Transformer, &runs);
    // Attention's share of the products grows with the length, so each
    // doubling's expected exponent is above 1, below 2, and larger than the last.
    let expected: Vec<f64> = all[..3].iter().map(|g| g.expected).collect();
    assert!(
        expected
            .windows(2)
            .all(|w| 1.0 < w[0] && w[0] < w[1] && w[1] < 2.0),
        "{expected:?}"
    );
    let words = growth_words(ModelKind::Transformer, &all);
    assert!(words.contains("length^2.00, about quadratic"), "{words}");
    assert!(words.contains("above the count"), "{words}");
}

#[test]
fn bench_batch_has_the_length_asked_for() {
    let b = bench_batch(24, 1);
    assert_eq!((b.size, b.src_len, b.tgt_len), (BATCH, 24, 24));
    assert_eq!((b.src.len(), b.tgt_in.len()), (BATCH * 24, BATCH * 24));
    assert_eq!(b.src_lengths, vec![24; BATCH]);
    // The target is the decoder's input one position ahead.
    assert_eq!(b.tgt_in[1..24], b.tgt_out[..23]);
}
