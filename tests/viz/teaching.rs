//! The pictures that teach (`encdec::viz::write_teaching_pictures`): their
//! data recomputed, every claim their captions make in docs/ch4-1, docs/ch4-2
//! and the Chinese pages parsed from the markdown and checked against it, and
//! the gradient-norm measurement checked against finite differences.

use std::collections::HashMap;

use encdec::autograd::Tape;
use encdec::nn::{Activation, Gru, Lstm, Rnn, lstm_hidden_gradient_norms, lstm_step};
use encdec::nn::{gru_hidden_gradient_norms, gru_step};
use encdec::nn::{rnn_hidden_gradient_norms, rnn_step};
use encdec::pipeline::{GRADIENT_SETUP, teaching_data};
use encdec::tensor::{Tensor, rng};
use encdec::viz::write_teaching_pictures;

/// A page of the docs, with line breaks and runs of spaces made single spaces
/// (captions are wrapped in the source).
fn page(path: &str) -> String {
    let text = std::fs::read_to_string(format!("{}/docs/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("docs/{path}: {e}"));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every place where `text` follows `template`: literal pieces as written,
/// `{name}` any text up to the next literal piece (at most 300 characters),
/// `{name#}` a number. Returns each match's values by name.
fn claims(text: &str, template: &str) -> Vec<HashMap<String, String>> {
    // Split "a {x} b {y#} c" into literals ["a ", " b ", " c"] and names ["x", "y#"].
    let mut literals = vec![];
    let mut names = vec![];
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("template: unclosed {");
        literals.push(&rest[..open]);
        names.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    assert!(
        !literals[0].is_empty() && !rest.is_empty(),
        "template must start and end with text"
    );
    let mut found = vec![];
    for (start, _) in text.match_indices(literals[0]) {
        let mut at = start + literals[0].len();
        let mut values = HashMap::new();
        let ok = names.iter().zip(&literals[1..]).all(|(name, lit)| {
            let Some(len) = text[at..].find(lit) else {
                return false;
            };
            let value = &text[at..at + len];
            let numeric = name.ends_with('#');
            if value.len() > 300 || numeric && value.trim().parse::<f64>().is_err() {
                return false;
            }
            values.insert(name.trim_end_matches('#').to_string(), value.to_string());
            at += len + lit.len();
            true
        });
        if ok {
            found.push(values);
        }
    }
    found
}

/// The claims of `template` in `text`; at least `min` of them must be there.
fn at_least(min: usize, text: &str, template: &str) -> Vec<HashMap<String, String>> {
    let found = claims(text, template);
    assert!(
        found.len() >= min,
        "expected at least {min} captions of the form `{template}`, found {}",
        found.len()
    );
    found
}

fn num(values: &HashMap<String, String>, name: &str) -> f64 {
    values[name].trim().parse().unwrap()
}

/// The strings between double quotes in `s`.
fn quoted(s: &str) -> Vec<String> {
    s.split('"').skip(1).step_by(2).map(String::from).collect()
}

/// The captions' templates, English then Chinese, in the order:
/// causal row, causal count, padding, cos peaks, above, below, row norm,
/// gradient reference step, gradient claim.
const TEMPLATES: [[&str; 9]; 2] = [
    [
        r#"row {row#} (query "{query}") sees {words} and nothing after"#,
        "the mask hides {hidden#} of the {cells#} cells",
        r#"sentence {b#} ("{text}") has {real#} real tokens and {pad#} padding keys hidden from every query"#,
        "column {c#} = cos(pos) peaks at positions {positions} — ",
        "column {c#} stays above {x#} at every position",
        "column {c#} stays below {x#} at every position",
        "every row has norm {norm#}, that is",
        "relative to each model's own value at t = {last#}:",
        "t = {t#} the RNN's gradient norm has fallen below {rnn#}, the LSTM's below {lstm#}, while the LSTM with forget-gate bias +1 is still above {keras#}.",
    ],
    [
        r#"第 {row#} 行（查询 "{query}"）看到 {words}，之后的词都看不到"#,
        "掩码遮住了 {cells#} 个格子中的 {hidden#} 个",
        r#"第 {b#} 句（"{text}"）有 {real#} 个真实词，{pad#} 个填充位置对所有查询都被遮住"#,
        "第 {c#} 列 = cos(pos) 在位置 {positions} 处达到峰值",
        "第 {c#} 列在每个位置都大于 {x#}，",
        "第 {c#} 列在每个位置都小于 {x#}，",
        "每一行的范数都是 {norm#}，即",
        "相对于各模型自己在 t = {last#} 时的值",
        "在 t = {t#} 时，RNN 的梯度范数已降到 {rnn#} 以下，LSTM 的降到 {lstm#} 以下，而遗忘门偏置 +1 的 LSTM 仍在 {keras#} 以上",
    ],
];

#[test]
fn mask_captions_match_the_masks() {
    let data = teaching_data().unwrap();
    let n = data.sentence.len();
    for (lang, dir) in [(0, ""), (1, "zh/")] {
        let text = page(&format!("{dir}ch4-2-self-attention.md"));
        let t = &TEMPLATES[lang];
        for c in at_least(3, &text, t[0]) {
            // Row i (from 1) of the causal mask: keys 1..=i visible, the rest hidden.
            let i = num(&c, "row") as usize;
            assert_eq!(c["query"], data.sentence[i - 1], "query of row {i}");
            let visible: Vec<String> = (0..n)
                .filter(|&j| !data.causal.data()[(i - 1) * n + j])
                .map(|j| data.sentence[j].clone())
                .collect();
            assert_eq!(quoted(&c["words"]), visible, "what row {i} sees");
            let last_seen = (0..n).rfind(|&j| !data.causal.data()[(i - 1) * n + j]);
            assert_eq!(
                last_seen,
                Some(i - 1),
                "row {i} sees something after itself"
            );
        }
        for c in at_least(1, &text, t[1]) {
            let hidden = data.causal.data().iter().filter(|&&h| h).count();
            assert_eq!(
                (num(&c, "hidden") as usize, num(&c, "cells") as usize),
                (hidden, n * n)
            );
        }
        let max_len = data.padding.shape()[2];
        for c in at_least(3, &text, t[2]) {
            let b = num(&c, "b") as usize - 1;
            assert_eq!(c["text"], data.batch[b].join(" "), "sentence {}", b + 1);
            let row = &data.padding.data()[b * max_len..(b + 1) * max_len];
            let pad = row.iter().filter(|&&h| h).count();
            assert_eq!(
                num(&c, "real") as usize,
                max_len - pad,
                "sentence {}",
                b + 1
            );
            assert_eq!(num(&c, "pad") as usize, pad, "sentence {}", b + 1);
        }
    }
}

#[test]
fn positional_encoding_captions_match_the_matrix() {
    let pe = teaching_data().unwrap().positional;
    let (len, d) = (pe.shape()[0], pe.shape()[1]);
    let column = |c: usize| -> Vec<f64> { (0..len).map(|p| pe.at(&[p, c])).collect() };
    for (lang, dir) in [(0, ""), (1, "zh/")] {
        let text = page(&format!("{dir}ch4-2-self-attention.md"));
        let t = &TEMPLATES[lang];
        for c in at_least(1, &text, t[3]) {
            let col = column(num(&c, "c") as usize);
            let peaks: Vec<usize> = (1..len - 1)
                .filter(|&p| col[p] > col[p - 1] && col[p] > col[p + 1])
                .collect();
            let said: Vec<usize> = (c["positions"].split(|ch: char| !ch.is_ascii_digit()))
                .filter_map(|s| s.parse().ok())
                .collect();
            assert_eq!(said, peaks, "the peaks of column {}", c["c"]);
        }
        for (k, above) in [(4, true), (5, false)] {
            for c in at_least(1, &text, t[k]) {
                let col = column(num(&c, "c") as usize);
                let bound = num(&c, "x");
                let holds = col
                    .iter()
                    .all(|&v| if above { v > bound } else { v < bound });
                assert!(
                    holds,
                    "column {} is not always {} {bound}",
                    c["c"],
                    ["below", "above"][above as usize]
                );
            }
        }
        for c in at_least(1, &text, t[6]) {
            for p in 0..len {
                let norm = (0..d).map(|j| pe.at(&[p, j]).powi(2)).sum::<f64>().sqrt();
                assert_eq!(format!("{norm:.2}"), c["norm"].trim(), "norm of row {p}");
            }
        }
    }
}

#[test]
fn gradient_captions_match_the_norms() {
    let data = teaching_data().unwrap();
    let series: Vec<&[f64]> = data
        .gradient_norms
        .iter()
        .map(|(_, v)| v.as_slice())
        .collect();
    let steps = GRADIENT_SETUP.steps;
    for (lang, dir) in [(0, ""), (1, "zh/")] {
        let text = page(&format!("{dir}ch4-1-rnn.md"));
        let t = &TEMPLATES[lang];
        for c in at_least(1, &text, t[7]) {
            assert_eq!(num(&c, "last") as usize, steps, "the reference step");
        }
        for c in at_least(2, &text, t[8]) {
            let step = num(&c, "t") as usize;
            let relative = |k: usize| series[k][step - 1] / series[k][steps - 1];
            let (rnn, lstm, keras) = (relative(0), relative(1), relative(2));
            assert!(rnn < num(&c, "rnn"), "RNN at t = {step}: {rnn:e}");
            assert!(lstm < num(&c, "lstm"), "LSTM at t = {step}: {lstm:e}");
            assert!(
                keras > num(&c, "keras"),
                "LSTM, forget bias +1, at t = {step}: {keras:e}"
            );
        }
    }
}

#[test]
fn the_picture_files_are_written_with_their_labels() {
    let data = teaching_data().unwrap();
    let dir = std::env::temp_dir().join(format!("encdec-teaching-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svgs = write_teaching_pictures(&dir, &data, "svg").unwrap();
    // plotters writes each label on a line of its own inside <text>.
    let svg = |k: usize| std::fs::read_to_string(&svgs[k]).unwrap().replace('\n', "");
    assert!(svg(0).contains(">brown<") && svg(0).contains("visible (mask false)"));
    assert!(svg(1).contains("&lt;pad&gt;") && svg(1).contains(">sleeps<"));
    assert!(svg(2).contains(">dimension<") && svg(2).contains(">position<"));
    assert!(svg(3).contains("time step t") && svg(3).contains("LSTM, forget-gate bias +1"));
    let pngs = write_teaching_pictures(&dir, &data, "png").unwrap();
    for p in &pngs {
        assert_eq!(
            &std::fs::read(p).unwrap()[..4],
            b"\x89PNG",
            "{}",
            p.display()
        );
    }
    let refused = write_teaching_pictures(&dir, &data, "jpg").unwrap_err();
    assert!(refused.to_string().contains(".png or .svg"), "{refused}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One of the three recurrent layers whose gradient norms are measured.
#[derive(Clone, Copy)]
enum Layer<'a> {
    Rnn(&'a Rnn),
    Lstm(&'a Lstm),
    Gru(&'a Gru),
}

/// Runs steps `from..to` (0-based inputs `x[:, from..to]`) of a layer from
/// the state `(h, c)` on a fresh tape, with nothing needing a gradient;
/// returns the state after step `to`. `c` is ignored but by the LSTM.
fn run(
    layer: Layer,
    x: &Tensor,
    (from, to): (usize, usize),
    (h, c): (Tensor, Tensor),
) -> (Tensor, Tensor) {
    let tape = Tape::new();
    let w = match layer {
        Layer::Rnn(rnn) => &rnn.weights,
        Layer::Lstm(lstm) => &lstm.weights,
        Layer::Gru(gru) => &gru.weights,
    };
    let k = |t: &Tensor| tape.constant(t.clone());
    let (w_ih, w_hh) = (k(&w.weight_ih.value), k(&w.weight_hh.value));
    let (b_ih, b_hh) = (k(&w.bias_ih.value), k(&w.bias_hh.value));
    let (mut h, mut c) = (k(&h), k(&c));
    let xs = k(x);
    for t in from..to {
        let x_t = xs.slice(1, t, t + 1).reshape(&[1, x.shape()[2]]);
        (h, c) = match layer {
            Layer::Rnn(rnn) => (rnn_step(x_t, h, w_ih, w_hh, b_ih + b_hh, rnn.activation), c),
            Layer::Lstm(_) => lstm_step(x_t, (h, c), w_ih, w_hh, b_ih + b_hh),
            Layer::Gru(_) => (gru_step(x_t, h, (w_ih, w_hh), (b_ih, b_hh)), c),
        };
    }
    (h.value(), c.value())
}

/// $\lVert \partial L/\partial h_s \rVert$ by central differences: each unit
/// of $h_s$ moved by $\pm\epsilon$ ($c_s$ held), the steps after $s$ rerun,
/// $L = \sum h_T$.
fn finite_difference_norm(layer: Layer, x: &Tensor, s: usize, hidden: usize) -> f64 {
    let steps = x.shape()[1];
    let zero = Tensor::zeros(&[1, hidden]);
    let (h_s, c_s) = run(layer, x, (0, s), (zero.clone(), zero));
    let eps = 1e-6;
    let loss = |delta: f64, k: usize| {
        let mut h = h_s.clone();
        h.data_mut()[k] += delta;
        run(layer, x, (s, steps), (h, c_s.clone())).0.sum_all()
    };
    let grad = (0..hidden).map(|k| (loss(eps, k) - loss(-eps, k)) / (2.0 * eps));
    grad.map(|g| g * g).sum::<f64>().sqrt()
}

#[test]
fn gradient_norm_matches_finite_differences() {
    // h_3 of a 12-step sequence: 9 steps back from the loss, the gradient is
    // already much smaller than at h_12 yet far above finite-difference noise.
    let mut r = rng(7);
    let (input, hidden, s) = (4, 6, 3);
    let rnn = Rnn::new("", input, hidden, Activation::Tanh, &mut r);
    let lstm = Lstm::new("", input, hidden, &mut r);
    let x = Tensor::randn(&[1, 12, input], 0.0, 1.0, &mut r);
    let gru = Gru::new("", input, hidden, &mut r);
    let tape_norms = [
        rnn_hidden_gradient_norms(&rnn, &x).unwrap(),
        lstm_hidden_gradient_norms(&lstm, &x).unwrap(),
        gru_hidden_gradient_norms(&gru, &x).unwrap(),
    ];
    let layers = [Layer::Rnn(&rnn), Layer::Lstm(&lstm), Layer::Gru(&gru)];
    for (norms, layer) in tape_norms.iter().zip(layers) {
        let numeric = finite_difference_norm(layer, &x, s, hidden);
        let tape = norms[s - 1];
        assert!(
            (tape - numeric).abs() <= 1e-6 * numeric,
            "tape {tape:e}, numeric {numeric:e}"
        );
        // dL/dh_T is all ones.
        assert!((norms[11] - (hidden as f64).sqrt()).abs() < 1e-12);
        assert!(tape < 0.5 * norms[11]);
    }
}

#[test]
fn at_the_first_step_the_rnn_keeps_far_less_gradient_than_the_lstm_with_an_open_forget_gate() {
    // The setup of the picture (T = 100, H = 32, seed 0): relative to t = 100.
    let data = teaching_data().unwrap();
    let first: Vec<f64> = (data.gradient_norms.iter())
        .map(|(_, v)| v[0] / v[v.len() - 1])
        .collect();
    let (rnn, lstm, keras) = (first[0], first[1], first[2]);
    assert!(
        rnn < 1e-6 * keras,
        "RNN {rnn:e}, LSTM with forget bias +1 {keras:e}"
    );
    // Honest about the initialisation: with PyTorch's (forget gate near 0.5)
    // the LSTM's gradient vanishes as fast as the RNN's.
    assert!(lstm < 1e-15 && rnn < 1e-15, "RNN {rnn:e}, LSTM {lstm:e}");
}

#[test]
fn bad_inputs_are_refused_with_the_expected_shape() {
    let rnn = Rnn::new("", 4, 6, Activation::Tanh, &mut rng(0));
    let lstm = Lstm::new("", 4, 6, &mut rng(0));
    let e = rnn_hidden_gradient_norms(&rnn, &Tensor::zeros(&[1, 5, 3])).unwrap_err();
    assert!(e.contains("is not [batch, time, 4]"), "{e}");
    let e = lstm_hidden_gradient_norms(&lstm, &Tensor::zeros(&[1, 0, 4])).unwrap_err();
    assert!(e.contains("no steps"), "{e}");
}

#[test]
fn bad_picture_inputs_are_refused() {
    use encdec::tensor::Mask;
    use encdec::viz::{diverging_heatmap, log_line_chart, mask_grid};
    let dir = std::env::temp_dir();
    let words: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let path = dir.join("encdec-never-written.png");
    // Three row labels and two column labels for a 3 x 3 mask.
    let e = mask_grid(&path, &Mask::causal(3), &words, &words[..2], None, "").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("mask_grid: 3 row and 2 column labels"),
        "{e}"
    );
    let e = mask_grid(&path, &Mask::causal(3), &words, &words, Some(&words), "").unwrap_err();
    assert!(
        e.to_string()
            .contains("3 cell texts for a mask of 9 elements"),
        "{e}"
    );
    let nan = Tensor::from_vec(vec![0.0, f64::NAN], &[1, 2]);
    let e = diverging_heatmap(&path, &nan, "r", "c", "").unwrap_err();
    assert!(e.to_string().contains("the value at [0, 1] is NaN"), "{e}");
    let e = diverging_heatmap(&path, &Tensor::zeros(&[4]), "r", "c", "").unwrap_err();
    assert!(e.to_string().contains("non-empty 2-D tensor"), "{e}");
    let e = log_line_chart(&path, "", "x", "y", &[("g", &[1.0, 0.0])]).unwrap_err();
    assert!(e.to_string().contains("at x = 2"), "{e}");
    let e = log_line_chart(&path, "", "x", "y", &[("g", &[1.0]), ("h", &[1.0, 2.0])]).unwrap_err();
    assert!(
        e.to_string().contains("has 2 values, the first series 1"),
        "{e}"
    );
    assert!(!path.exists(), "a refused picture must not be written");
}
