//! The expression syntax of `encdec tape expr` (`src/autograd/expr.rs`):
//! a worked example, gradients against finite differences for random
//! expressions, and a clear error for each kind of mistake.

use encdec::autograd::expr::{MAX_CHARS, MAX_DEPTH, parse};
use encdec::autograd::{Tape, parse_assignments};
use proptest::prelude::*;

fn values(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs.iter().map(|&(n, v)| (n.to_string(), v)).collect()
}

/// The value and the gradient of each variable, by the tape.
fn value_and_grads(text: &str, vals: &[(String, f64)]) -> (f64, Vec<f64>) {
    let e = parse(text).unwrap();
    let tape = Tape::new();
    let loss = e.record(&tape, vals).unwrap();
    tape.backward(loss);
    let grads = (0..vals.len())
        .map(|i| tape.var(i).grad().map_or(0.0, |g| g.item()))
        .collect();
    (loss.item(), grads)
}

// a = 0.5, b = -1.2, c = 0.3:
//   u = a*b + c = -0.6 + 0.3 = -0.3;  t = tanh(u) = -0.29131;  L = t * a = -0.14566
//   dL/dt = a = 0.5;  dL/du = 0.5 * (1 - 0.29131²) = 0.45757
//   dL/da = t + dL/du * b = -0.29131 - 0.54908 = -0.84040   (a is used twice: two contributions)
//   dL/db = dL/du * a = 0.22878;  dL/dc = dL/du = 0.45757
#[test]
fn tanh_of_a_times_b_plus_c_times_a_by_hand() {
    let (v, g) = value_and_grads(
        "tanh(a*b + c) * a",
        &values(&[("a", 0.5), ("b", -1.2), ("c", 0.3)]),
    );
    assert!((v - -0.145_656).abs() < 1e-6, "{v}");
    for (got, want) in g.iter().zip([-0.840_395, 0.228_784, 0.457_568]) {
        assert!((got - want).abs() < 1e-6, "{g:?}");
    }
}

#[test]
fn precedence_and_unary_minus_read_as_in_school() {
    let (v, _) = value_and_grads(
        "-a*b + c/2 - -1",
        &values(&[("a", 2.0), ("b", 3.0), ("c", 4.0)]),
    );
    assert_eq!(v, -6.0 + 2.0 + 1.0);
    assert_eq!(parse("a - (b - c)").unwrap().to_string(), "a - (b - c)");
    assert_eq!(parse(" ( a-b )-c ").unwrap().to_string(), "a - b - c");
    assert_eq!(
        parse("relu(-x) * sigmoid(2)").unwrap().to_string(),
        "relu(-x) * sigmoid(2)"
    );
}

/// Random expressions over a, b, c; `log` and `/` get safe arguments.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string()),
        (1u32..300).prop_map(|n| format!("{}", n as f64 / 100.0)),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x} + {y})")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x} - {y})")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("{x} * {y}")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x}) / (2 + sigmoid({y}))")),
            inner.clone().prop_map(|x| format!("-({x})")),
            inner.clone().prop_map(|x| format!("tanh({x})")),
            inner.clone().prop_map(|x| format!("exp(tanh({x}))")),
            inner.clone().prop_map(|x| format!("log(2 + tanh({x}))")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gradients_of_random_expressions_match_finite_differences(
        text in expression(), a in -1.5f64..1.5, b in -1.5f64..1.5, c in -1.5f64..1.5,
    ) {
        let e = parse(&text).unwrap();
        let all = values(&[("a", a), ("b", b), ("c", c)]);
        // Only the variables the expression uses, in its order (one leaf each).
        let vals: Vec<(String, f64)> = e.variables().iter()
            .map(|(n, _)| all.iter().find(|(m, _)| m == n).unwrap().clone()).collect();
        let (_, grads) = value_and_grads(&text, &vals);
        let h = 1e-6;
        for (i, g) in grads.iter().enumerate() {
            let shifted = |d: f64| {
                let mut v = vals.clone();
                v[i].1 += d;
                value_and_grads(&text, &v).0
            };
            let fd = (shifted(h) - shifted(-h)) / (2.0 * h);
            prop_assert!((fd - g).abs() <= 1e-5 * (1.0 + g.abs()), "{text}: d/d{} tape {g}, finite differences {fd}", vals[i].0);
        }
        // Written back, it reads as the same expression.
        prop_assert_eq!(parse(&e.to_string()).unwrap().to_string(), e.to_string());
    }

    #[test]
    fn the_stepping_record_of_any_expression_ends_with_the_tapes_gradients(
        text in expression(), a in -1.5f64..1.5, b in -1.5f64..1.5, c in -1.5f64..1.5,
    ) {
        let e = parse(&text).unwrap();
        let all = values(&[("a", a), ("b", b), ("c", c)]);
        let vals: Vec<(String, f64)> = e.variables().iter()
            .map(|(n, _)| all.iter().find(|(m, _)| m == n).unwrap().clone()).collect();
        let tape = Tape::new();
        let loss = e.record(&tape, &vals).unwrap();
        tape.backward(loss);
        let trace = tape.trace_backward(loss);
        for (i, node) in trace.nodes.iter().enumerate() {
            let stored = tape.var(i).grad().map(|g| g.item());
            prop_assert_eq!(node.grad.as_ref().map(|g| g.item()), stored, "node #{} of {}", i, text);
        }
    }
}

#[test]
fn each_mistake_names_its_column_and_echoes_no_control_character() {
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let long = "a+".repeat(MAX_CHARS);
    let cases: [(&str, &str); 11] = [
        ("", "column 1: the expression ends"),
        ("tanh(a*", "column 8: the expression ends"),
        (
            "foo(a)",
            "column 1: unknown function `foo`; the functions are tanh, sigmoid, exp, log, relu",
        ),
        (
            "a +* b",
            "column 4: expected a number, a name or `(`, found `*`",
        ),
        (
            "a\u{7}b",
            "column 2: the character U+0007 is not part of the syntax",
        ),
        ("a + é", "column 5: the character U+00E9"),
        (
            "(a + b",
            "column 7: expected `)` to close the `(` of column 1",
        ),
        (
            "a b",
            "column 3: unexpected `b` after a complete expression",
        ),
        ("1.2.3", "column 1: `1.2.3` is not a number"),
        (&deep, "nested deeper than"),
        (&long, "characters long; at most 200"),
    ];
    for (text, want) in cases {
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains(want), "{text:?}: {message}");
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
}

#[test]
fn values_that_do_not_fit_the_expression_are_refused() {
    let tape = Tape::new();
    let record = |text: &str, set: &[(&str, f64)]| {
        parse(text)
            .unwrap()
            .record(&tape, &values(set))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert!(
        record("log(a)", &[("a", -1.0)]).contains("column 1: `log(a)` is NaN for these values")
    );
    assert!(record("a / b", &[("a", 1.0), ("b", 0.0)]).contains("`a / b` is inf"));
    assert!(
        record("a * b", &[("a", 1.0)])
            .contains("column 5: `b` has no value; give it with --set b=...")
    );
    assert!(
        record("a", &[("a", 1.0), ("z", 2.0)])
            .contains("--set gives `z`, which the expression does not use")
    );
}

#[test]
fn assignments_are_read_and_each_mistake_is_named() {
    assert_eq!(
        parse_assignments("a=0.5, b = -1.2").unwrap(),
        values(&[("a", 0.5), ("b", -1.2)])
    );
    for (text, want) in [
        ("a", "has no `=`"),
        ("1a=2", "is not letters, digits and _"),
        ("a=x", "--set a: not a number"),
        ("a=1e7", "--set a: not a number between -1e6 and 1e6"),
        ("a=NaN", "--set a: not a number"),
        ("a=1,a=2", "gives `a` twice"),
        ("\u{1b}[2J=1", "is not letters, digits and _"),
    ] {
        let message = parse_assignments(text).unwrap_err().to_string();
        assert!(message.contains(want), "{text:?}: {message}");
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
}
