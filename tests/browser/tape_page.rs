//! The tape page (`encdec tape`) in headless Chromium: ◀ walks the whole
//! reverse loop, every gradient the page then shows is the one
//! `Tape::backward` stored, and a weight used twice shows both
//! contributions.

use crate::cdp::Browser;
use encdec::pipeline::{TapeCase, tape_record};
use encdec::viz::tape_page::to_html;
use serde_json::Value;

/// The gradients the page shows, node by node: each grid cell's `data-v`.
const SHOWN: &str = "Array.from(document.querySelectorAll('g.node')).map(g => Array.from(g.querySelectorAll('text.g')).map(t => t.hasAttribute('data-v') ? +t.getAttribute('data-v') : null))";

fn walk(case: TapeCase, name: &str, screenshot_at: Option<(&str, &str)>) -> (Value, Browser) {
    let record = tape_record(&case).unwrap();
    let mut b = Browser::open(&to_html(&record), name, "", (2800, 1100));
    b.wait_for("document.getElementById('tape').dataset.ready === '1'", 20);
    let steps = record["steps"].as_array().unwrap().len();
    for s in 1..=steps {
        b.eval("document.getElementById('tape-step').click()");
        assert_eq!(b.eval("+document.getElementById('tape').dataset.step"), s);
        let node = record["steps"][s - 1]["node"].clone();
        let current = b.eval("+document.querySelector('g.node.current').dataset.index");
        assert_eq!(current, node, "step {s} lights its node");
        // The screenshot: the step that adds a second share into the leaf `sum`.
        let sums = |sum: &str| {
            record["steps"][s - 1]["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| {
                    !c["before"].is_null()
                        && record["nodes"][c["to"].as_u64().unwrap() as usize]["name"] == sum
                })
        };
        if let (Ok(dir), Some((sum, file))) = (std::env::var("ENCDEC_SCREENSHOTS"), screenshot_at)
            && sums(sum)
        {
            b.screenshot_of(".controls, .layout", &std::path::Path::new(&dir).join(file));
        }
    }
    assert_eq!(
        b.eval("document.getElementById('tape-step').disabled"),
        true
    );
    let shown = b.eval(SHOWN);
    // To 1e-12: the page holds the tape's exact numbers (JSON.parse rounds
    // correctly), but serde_json, reading them back, may miss the last bit.
    for (i, n) in record["nodes"].as_array().unwrap().iter().enumerate() {
        let shown = shown[i].as_array().unwrap();
        match n["stored_grad"].as_array() {
            None => assert!(shown.iter().all(Value::is_null), "node #{i}: {shown:?}"),
            Some(want) => {
                assert_eq!(shown.len(), want.len());
                for (s, w) in shown.iter().zip(want) {
                    let (s, w) = (s.as_f64().unwrap(), w.as_f64().unwrap());
                    assert!(
                        (s - w).abs() <= 1e-12 * (1.0 + w.abs()),
                        "node #{i}: {s} against {w}"
                    );
                }
            }
        }
    }
    let errors = b.eval("document.documentElement.getAttribute('data-errors')");
    assert!(errors.is_null(), "script errors: {errors}");
    (record, b)
}

fn contributions_shown(b: &mut Browser, record: &Value, name: &str) -> Value {
    let i = record["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|n| n["name"] == name)
        .unwrap();
    b.eval(&format!(
        "+document.querySelector('g.node[data-index=\"{i}\"]').dataset.contribs"
    ))
}

#[test]
fn stepping_through_two_rnn_steps_ends_with_the_tapes_gradients_and_w_hh_summed() {
    let (record, mut b) = walk(
        TapeCase::RnnStep,
        "tape-rnn",
        Some(("w_hh", "tape-rnn-step.png")),
    );
    assert_eq!(contributions_shown(&mut b, &record, "w_hh"), 2);
    // Back to the start: only the loss holds a gradient, the seed 1.
    b.eval("document.getElementById('tape-reset').click()");
    let shown = b.eval(SHOWN);
    let with_grad: Vec<usize> = (0..record["nodes"].as_array().unwrap().len())
        .filter(|&i| shown[i].as_array().unwrap().iter().any(|v| !v.is_null()))
        .collect();
    assert_eq!(with_grad, [record["root"].as_u64().unwrap() as usize]);
    // ▶ takes one step back.
    b.eval("document.getElementById('tape-step').click(); document.getElementById('tape-step').click(); document.getElementById('tape-back').click()");
    assert_eq!(b.eval("+document.getElementById('tape').dataset.step"), 1);
}

#[test]
fn stepping_through_an_attention_head_and_an_expression_ends_with_the_tapes_gradients() {
    let (record, mut b) = walk(TapeCase::Attention, "tape-attention", None);
    assert_eq!(contributions_shown(&mut b, &record, "x"), 3);
    b.eval("document.getElementById('tape-lang').click()");
    assert_eq!(
        b.eval("document.getElementById('tape-reset').textContent"),
        "重来"
    );
    let expr = TapeCase::Expr {
        expression: "tanh(a*b + c) * a".into(),
        set: "a=0.5,b=-1.2,c=0.3".into(),
    };
    let (record, mut b) = walk(expr, "tape-expr", None);
    assert_eq!(contributions_shown(&mut b, &record, "a"), 2);
}
