//! `loss_accuracy_chart` (two y axes) and `greedy_steps_chart`, read back
//! from the SVG, and `save_data`.

use crate::plot_support;

use encdec::seq2seq::decode::GreedyStep;
use encdec::viz::{
    LINE_CHART_SIZE, greedy_steps_chart, greedy_steps_data, json, loss_accuracy_chart,
    loss_accuracy_curves, probability_label, save_data,
};
use plot_support::{TempFile, message, png_size, svg_texts};

const LOSS: [f64; 4] = [3.9, 1.6, 0.7, 0.4];
const ACC: [f64; 4] = [0.31, 0.72, 0.91, 0.95];

#[test]
fn loss_is_on_the_left_and_accuracy_on_the_right_axis() {
    let out = TempFile::new("dual.svg");
    let loss: &[(&str, &[f64])] = &[("train loss", &LOSS)];
    let acc: &[(&str, &[f64])] = &[("validation accuracy", &ACC)];
    loss_accuracy_chart(&out.0, "training", loss, acc).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = svg_texts(&svg);
    for want in [
        "loss",
        "accuracy",
        "epoch",
        "train loss (left)",
        "validation accuracy (right, dashed)",
    ] {
        assert!(
            texts.contains(&want.to_string()),
            "no {want:?} in {texts:?}"
        );
    }
    // the right axis runs 0.0 .. 1.0 whatever the loss is
    for tick in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
        assert!(texts.contains(&tick.to_string()), "no right tick {tick}");
    }
    // the left axis reaches the largest loss
    let left: Vec<f64> = texts.iter().filter_map(|t| t.parse().ok()).collect();
    assert!(left.iter().any(|&v| v >= 3.5), "{left:?}");
    let png = TempFile::new("dual.png");
    loss_accuracy_chart(&png.0, "", loss, acc).unwrap();
    assert_eq!(png_size(&std::fs::read(&png.0).unwrap()), LINE_CHART_SIZE);
}

#[test]
fn an_accuracy_above_one_is_refused() {
    let out = TempFile::new("dual-bad.png");
    let msg = message(loss_accuracy_chart(
        &out.0,
        "",
        &[("l", &LOSS)],
        &[("a", &[0.5, 1.5, 0.2, 0.1])],
    ));
    assert_eq!(
        msg,
        "loss_accuracy_chart: accuracy series \"a\" has the value 1.5 at epoch 2; an accuracy lies between 0 and 1"
    );
    let msg = message(loss_accuracy_chart(&out.0, "", &[("l", &LOSS)], &[]));
    assert!(
        msg.contains("at least one loss series and one accuracy series"),
        "{msg}"
    );
    assert!(!out.0.exists());
}

fn steps() -> Vec<GreedyStep> {
    let step = |c: &[(&str, f64)]| GreedyStep {
        candidates: c.iter().map(|(w, p)| (w.to_string(), *p)).collect(),
        chosen: 0,
    };
    vec![
        step(&[("le", 0.97), ("la", 0.02), ("un", 0.01)]),
        step(&[("renard", 0.61), ("chien", 0.30), ("chat", 0.05)]),
        step(&[("</s>", 0.99), ("le", 0.01), ("la", 0.0)]),
    ]
}

#[test]
fn greedy_steps_chart_marks_the_chosen_words() {
    let out = TempFile::new("greedy.svg");
    greedy_steps_chart(&out.0, &steps(), "greedy decoding").unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let texts = svg_texts(&svg);
    for want in [
        "probability",
        "step 1",
        "step 3",
        "rank 1",
        "renard 0.610",
        "chien 0.300",
        "chat 0.0500",
        "&lt;/s&gt; 0.990",
        "la 0",
    ] {
        assert!(
            texts.contains(&want.to_string()),
            "no {want:?} in {texts:?}"
        );
    }
    assert!(!texts.contains(&"attention weight".to_string()));
    // one orange frame per step
    assert_eq!(svg.matches("stroke=\"#E66101\"").count(), 3, "{svg}");
    let png = TempFile::new("greedy.png");
    greedy_steps_chart(&png.0, &steps(), "").unwrap();
    assert!(png_size(&std::fs::read(&png.0).unwrap()).0 > 300);
}

#[test]
fn curves_take_points_between_epochs() {
    let out = TempFile::new("dual-points.svg");
    // Training points every half epoch, validation points per epoch.
    let train: Vec<(f64, f64)> = [(0.5, 3.0), (1.0, 2.0), (1.5, 1.2), (2.0, 0.9)].to_vec();
    let valid: Vec<(f64, f64)> = [(1.0, 1.8), (2.0, 1.0)].to_vec();
    let acc: Vec<(f64, f64)> = [(0.5, 0.2), (1.0, 0.5), (1.5, 0.7), (2.0, 0.8)].to_vec();
    let loss = [("train loss", train), ("validation loss", valid)];
    loss_accuracy_curves(&out.0, "", &loss, &[("train accuracy", acc.clone())]).unwrap();
    let svg = std::fs::read_to_string(&out.0).unwrap();
    let lines: Vec<usize> = (svg.split("<polyline").skip(1))
        .map(|t| {
            t.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .map(|p| p.split_whitespace().count())
        .collect();
    assert!(lines.contains(&4) && lines.contains(&2), "{lines:?}");
    let bad = [("train loss", vec![(f64::NAN, 1.0)])];
    let msg = message(loss_accuracy_curves(&out.0, "", &bad, &[("a", acc)]));
    assert!(msg.contains("the point (NaN, 1)"), "{msg}");
}

#[test]
fn probability_labels_keep_three_significant_digits() {
    // Two decimals printed 0.00312 as "0.00": a runner-up's probability
    // could not be read off the picture. Three significant digits keep it.
    assert_eq!(probability_label(0.00312), "0.00312");
    assert_eq!(probability_label(0.0007123), "0.000712");
    assert_eq!(probability_label(0.99712), "0.997");
    assert_eq!(probability_label(0.5), "0.500");
    // 0.99996 rounds up to 1: still three digits, not "1.000".
    assert_eq!(probability_label(0.99996), "1.00");
    assert_eq!(probability_label(1.0), "1.00");
    assert_eq!(probability_label(0.0000312), "3.12e-5");
    assert_eq!(probability_label(0.0), "0");
}

#[test]
fn greedy_steps_chart_refuses_bad_steps() {
    let out = TempFile::new("greedy-bad.svg");
    assert_eq!(
        message(greedy_steps_chart(&out.0, &[], "")),
        "greedy_steps_chart: no steps to draw"
    );
    let mut bad = steps();
    bad[1].chosen = 3;
    assert!(
        message(greedy_steps_chart(&out.0, &bad, ""))
            .contains("step 2 has 3 candidates and chosen = 3")
    );
    let mut bad = steps();
    bad[2].candidates[0].1 = f64::NAN;
    assert!(
        message(greedy_steps_chart(&out.0, &bad, ""))
            .contains("step 3: the probability of \"</s>\" is NaN")
    );
    assert!(!out.0.exists());
}

#[test]
fn save_data_rounds_and_writes_json() {
    let out = TempFile::new("data.json");
    save_data(&out.0, &greedy_steps_data(&steps()[..1])).unwrap();
    let text = std::fs::read_to_string(&out.0).unwrap();
    assert_eq!(
        text,
        r#"{"steps":[{"candidates":[["le",0.97],["la",0.02],["un",0.01]],"chosen":0}]}"#
    );
    save_data(&out.0, &json!({ "x": [1.0 / 3.0, 2] })).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out.0).unwrap(),
        r#"{"x":[0.3333,2]}"#
    );
    let bad = TempFile::new("data.txt");
    assert!(message(save_data(&bad.0, &json!(1))).contains("must end in .json"));
    assert!(!bad.0.exists());
}
