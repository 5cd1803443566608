//! Reading PyTorch fixtures (`tests/fixtures/*.json`, written by the
//! scripts in `scripts/`) and comparing a layer's outputs and gradients
//! with them; shared by the parity tests (which also declare `mod common`),
//! with the checker that each parity test shows the PyTorch lines that made
//! its fixture.
#![allow(dead_code)]

use encdec::autograd::{Tape, Var};
use encdec::nn::Module;
use encdec::tensor::Tensor;
use serde_json::Value;
use std::collections::BTreeMap;

pub const TOL: f64 = 1e-9;

/// One fixture file, parsed.
pub struct Fixture(pub Value);

impl Fixture {
    /// Reads `tests/fixtures/{name}.json`.
    pub fn load(name: &str) -> Fixture {
        let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Fixture(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    /// The tensor `section.name` (JSON `null`, which the float masks use
    /// for $-\infty$, reads as `f64::NEG_INFINITY`).
    pub fn tensor(&self, section: &str, name: &str) -> Tensor {
        let t = &self.0[section][name];
        assert!(t.is_object(), "fixture has no {section}.{name}");
        let shape: Vec<usize> = t["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let data: Vec<f64> = t["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap_or(f64::NEG_INFINITY))
            .collect();
        Tensor::from_vec(data, &shape)
    }

    /// The names in `section`.
    pub fn names(&self, section: &str) -> Vec<String> {
        self.0[section]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The integers `section.name`.
    pub fn ints(&self, section: &str, name: &str) -> Vec<usize> {
        let v = &self.0[section][name];
        let arr = if v.is_object() { &v["data"] } else { v };
        arr.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    }

    /// The number `config.key`.
    pub fn config(&self, key: &str) -> f64 {
        self.0["config"][key]
            .as_f64()
            .unwrap_or_else(|| panic!("config has no {key}"))
    }
}

/// Loads PyTorch's weights into `m`; every parameter must be in the fixture
/// and every fixture parameter must be used.
pub fn load_params<M: Module>(m: &mut M, fx: &Fixture) {
    crate::common::load_params(m, fx.names("params"), |n| fx.tensor("params", n));
}

/// Largest absolute difference, after checking the shapes.
pub fn max_err(name: &str, ours: &Tensor, theirs: &Tensor) -> f64 {
    assert_eq!(ours.shape(), theirs.shape(), "shape of {name}");
    ours.max_abs_diff(theirs)
}

/// Runs `forward` on the fixture's inputs, compares outputs and gradients,
/// and returns the largest absolute difference seen.
pub fn check<M, F>(layer: &str, mut m: M, forward: F) -> f64
where
    M: Module,
    F: for<'t> Fn(
        &M,
        &'t Tape,
        &Fixture,
        &BTreeMap<String, Var<'t>>,
    ) -> Vec<(&'static str, Var<'t>)>,
{
    let fx = Fixture::load(layer);
    load_params(&mut m, &fx);
    let tape = Tape::new();
    let inputs: BTreeMap<String, Var> = fx
        .names("inputs")
        .into_iter()
        .map(|n| (n.clone(), tape.leaf(fx.tensor("inputs", &n))))
        .collect();
    let outputs = forward(&m, &tape, &fx, &inputs);
    assert_eq!(
        outputs.len(),
        fx.names("outputs").len(),
        "{layer}: outputs compared"
    );
    let mut worst = 0.0f64;
    let mut loss = None;
    for (name, y) in &outputs {
        worst = worst.max(max_err(name, &y.value(), &fx.tensor("outputs", name)));
        let term = (*y * tape.constant(fx.tensor("loss_weights", name))).sum();
        loss = Some(loss.map_or(term, |l: Var| l + term));
    }
    tape.backward(loss.unwrap());
    for p in m.params() {
        let g = tape
            .param_grad(p)
            .unwrap_or_else(|| panic!("{layer}: no gradient for {}", p.name));
        worst = worst.max(max_err(&p.name, &g, &fx.tensor("grads", &p.name)));
    }
    for (name, x) in &inputs {
        worst = worst.max(max_err(name, &x.grad().unwrap(), &fx.tensor("grads", name)));
    }
    eprintln!("parity {layer}: max abs error {worst:.3e}");
    assert!(worst <= TOL, "{layer}: max abs error {worst:e} > {TOL:e}");
    worst
}

fn python_code(comment_line: &str) -> Option<&str> {
    let code = comment_line.strip_prefix("//     ")?;
    let code = code.find(" #").map_or(code, |i| &code[..i]).trim();
    (!code.is_empty() && !code.starts_with('#')).then_some(code)
}

/// Problems with the comment blocks above the `*_matches_pytorch` tests of
/// `source`, checked against the fixture script `script` (file name
/// `script_name`); empty when fine.
pub fn undocumented_parity_tests(source: &str, script: &str, script_name: &str) -> Vec<String> {
    let script_lines: Vec<&str> = script
        .lines()
        .map(|l| l.find(" #").map_or(l, |i| &l[..i]).trim())
        .collect();
    let lines: Vec<&str> = source.lines().collect();
    let mut problems = Vec::new();
    let mut tested = Vec::new();
    for (i, pair) in lines.windows(2).enumerate() {
        let Some(name) = pair[1]
            .strip_prefix("fn ")
            .and_then(|f| f.split_once("_matches_pytorch()"))
            .map(|(name, _)| name)
        else {
            continue;
        };
        if pair[0].trim() != "#[test]" {
            continue;
        }
        tested.push(name.to_string());
        let body: String = lines[i + 1..]
            .iter()
            .take_while(|l| *l != &"}")
            .copied()
            .collect();
        if !body.contains(&format!("\"{name}\"")) {
            problems.push(format!("{name}: the test does not load fixture \"{name}\""));
        }
        let block: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("//") && !l.starts_with("///") && !l.starts_with("//!"))
            .copied()
            .collect();
        let text = block.join("\n");
        if !text.contains("nn.") || !text.contains(&format!("\"{name}\"")) {
            problems.push(format!(
                "{name}: no `//` block above the test naming nn.* and \"{name}\""
            ));
            continue;
        }
        let code: Vec<&str> = block.iter().rev().filter_map(|l| python_code(l)).collect();
        if !code.iter().any(|c| c.contains("nn.")) {
            problems.push(format!("{name}: no module-constructor (nn.*) line"));
        }
        for c in code {
            if !script_lines.contains(&c) {
                problems.push(format!("{name}: not a line of {script_name}: {c}"));
            }
        }
    }
    for line in script.lines() {
        if let Some((_, rest)) = line.split_once("write_fixture(\"") {
            let fixture = rest.split('"').next().unwrap();
            if !tested.iter().any(|t| t == fixture) {
                problems.push(format!(
                    "fixture {fixture} has no {fixture}_matches_pytorch test"
                ));
            }
        }
    }
    problems
}
