//! `encdec tape`: one small computation recorded on a real [`Tape`], its
//! reverse loop replayed step by step ([`Tape::trace_backward`]), and the
//! record drawn as a page you can step through ([`crate::viz::tape_page`]).
//!
//! The three computations: two §4.1 RNN steps sharing their weights, one
//! §4.2 attention head over three words, and any scalar expression in the
//! syntax of [`crate::autograd::expr`]. Each ends in a one-number loss whose
//! gradient is seeded with 1.

use super::train::RunError;
use crate::autograd::{BackwardTrace, NodeRole, Tape, Var, expr, parse_assignments};
use crate::files::check_output;
use crate::nn::{Activation, attention_output, attention_scores, attention_weights, rnn_step};
use crate::tensor::Tensor;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Which computation `encdec tape` records.
#[derive(clap::Subcommand, Clone, Debug, PartialEq)]
pub enum TapeCase {
    /// Two steps of the §4.1 RNN, h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), on
    /// three-number vectors; both steps use the same W_xh, W_hh and b_h. Loss: the sum of h_2.
    RnnStep,
    /// One head of §4.2 scaled dot-product attention over three words:
    /// q, k, v, scores, softmax, weighted sum. Loss: the sum of the output.
    Attention,
    /// A scalar expression you type: numbers, names, + - * /, unary -,
    /// tanh, sigmoid, exp, log, relu, parentheses. Loss: its value.
    Expr {
        /// The expression, e.g. "tanh(a*b + c) * a".
        expression: String,
        /// The value of each name, e.g. a=0.5,b=-1.2,c=0.3.
        #[arg(long, default_value = "")]
        set: String,
    },
}

/// What `encdec tape` is asked.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct TapeJob {
    /// The computation.
    #[command(subcommand)]
    pub case: TapeCase,
    /// The page to write (.html).
    #[arg(long, global = true, default_value = "tape.html")]
    pub out: PathBuf,
}

/// Records `case` on a fresh tape, runs [`Tape::backward`] and
/// [`Tape::trace_backward`] from its loss, and returns the record as the
/// page reads it (JSON), with the gradients `backward` stored.
///
/// # Errors
/// For an expression: a mistake in it or in `--set` (with the column).
pub fn tape_record(case: &TapeCase) -> Result<Value, RunError> {
    let tape = Tape::new();
    let (loss, title) = match case {
        TapeCase::RnnStep => (rnn_steps(&tape), "two RNN steps (§4.1)".to_string()),
        TapeCase::Attention => (
            attention_head(&tape),
            "one attention head (§4.2)".to_string(),
        ),
        TapeCase::Expr { expression, set } => {
            let e = expr::parse(expression)?;
            let values = match set.trim().is_empty() {
                true => vec![],
                false => parse_assignments(set)?,
            };
            (e.record(&tape, &values)?, e.to_string())
        }
    };
    tape.backward(loss);
    let trace = tape.trace_backward(loss);
    Ok(trace_json(&trace, &title, |i| tape.var(i).grad()))
}

/// Writes the page of `job.case` to `job.out` and returns the lines to print.
///
/// # Errors
/// A bad `--out`, a mistake in the expression, or the file system's error.
pub fn tape(job: &TapeJob) -> Result<Vec<String>, RunError> {
    check_output("--out", &job.out, &["html"])?;
    let record = tape_record(&job.case)?;
    crate::viz::tape_page::write_html(&record, &job.out)
        .map_err(|e| format!("cannot write {}: {e}", job.out.display()))?;
    let nodes = record["nodes"].as_array().map_or(0, Vec::len);
    let steps = record["steps"].as_array().map_or(0, Vec::len);
    let mut lines = vec![format!(
        "wrote {}: {nodes} nodes, {steps} backward steps; open it in a browser and press ◀",
        job.out.display()
    )];
    for n in record["nodes"].as_array().into_iter().flatten() {
        if n["role"] == "leaf" {
            let grad: Vec<String> = n["grad"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|g| format!("{:.4}", g.as_f64().unwrap_or(f64::NAN)))
                .collect();
            lines.push(format!(
                "dL/d{} = [{}]",
                n["name"].as_str().unwrap_or("?"),
                grad.join(", ")
            ));
        }
    }
    Ok(lines)
}

/// Two RNN steps on three-number vectors, sharing `w_xh`, `w_hh` and `b_h`;
/// loss $L = \sum_i h_{2,i}$.
fn rnn_steps(tape: &Tape) -> Var<'_> {
    let row = |v: [f64; 3]| Tensor::from_vec(v.to_vec(), &[1, 3]);
    let w_xh = tape
        .leaf(Tensor::from_vec(
            vec![0.5, -0.3, 0.2, 0.1, 0.4, -0.6, -0.2, 0.3, 0.7],
            &[3, 3],
        ))
        .named("w_xh");
    let w_hh = tape
        .leaf(Tensor::from_vec(
            vec![0.3, 0.1, -0.4, -0.2, 0.5, 0.2, 0.6, -0.1, 0.3],
            &[3, 3],
        ))
        .named("w_hh");
    let b_h = tape
        .leaf(Tensor::from_vec(vec![0.1, -0.1, 0.0], &[3]))
        .named("b_h");
    let h_0 = tape.constant(row([0.2, -0.4, 0.1])).named("h_0");
    let x_1 = tape.constant(row([1.0, 0.5, -0.5])).named("x_1");
    let x_2 = tape.constant(row([-0.3, 0.8, 0.6])).named("x_2");
    let h_1 = rnn_step(x_1, h_0, w_xh, w_hh, b_h, Activation::Tanh).named("h_1");
    let h_2 = rnn_step(x_2, h_1, w_xh, w_hh, b_h, Activation::Tanh).named("h_2");
    h_2.sum().named("L")
}

/// One attention head over three words with `d_model = d_k = 2`: the
/// words' vectors `x` feed the queries, the keys and the values (one leaf
/// used three times); loss $L = \sum_{ij} \mathrm{out}_{ij}$.
fn attention_head(tape: &Tape) -> Var<'_> {
    let m = |v: [f64; 4]| Tensor::from_vec(v.to_vec(), &[2, 2]);
    let x = tape
        .leaf(Tensor::from_vec(
            vec![1.0, 0.2, -0.5, 0.8, 0.3, -0.7],
            &[3, 2],
        ))
        .named("x");
    let w_q = tape.leaf(m([0.6, -0.2, 0.3, 0.5])).named("w_q");
    let w_k = tape.leaf(m([0.4, 0.7, -0.3, 0.2])).named("w_k");
    let w_v = tape.leaf(m([0.5, 0.1, -0.4, 0.9])).named("w_v");
    let q = x.matmul(w_q).named("q");
    let k = x.matmul(w_k).named("k");
    let v = x.matmul(w_v).named("v");
    let scores = attention_scores(q, k).named("scores");
    let weights = attention_weights(scores, Some(2), None).named("weights");
    attention_output(weights, v).named("out").sum().named("L")
}

/// The record as JSON: each node (op, name, role, inputs, shape, value,
/// gradient from the replay and from `stored`, [`Tape::backward`]'s), the
/// root, and each step with its contributions.
fn trace_json(
    trace: &BackwardTrace,
    title: &str,
    stored: impl Fn(usize) -> Option<Tensor>,
) -> Value {
    let data = |t: &Tensor| json!(t.data());
    let nodes: Vec<Value> = trace.nodes.iter().enumerate().map(|(i, n)| {
        json!({
            "index": i, "op": n.op, "name": n.name, "inputs": n.inputs,
            "role": match n.role { NodeRole::Leaf => "leaf", NodeRole::Constant => "constant", NodeRole::Operation => "operation" },
            "shape": n.value.shape(), "value": data(&n.value),
            "grad": n.grad.as_ref().map(data), "stored_grad": stored(i).as_ref().map(data),
        })
    }).collect();
    let steps: Vec<Value> = trace
        .steps
        .iter()
        .map(|s| {
            let contributions: Vec<Value> = s
                .contributions
                .iter()
                .map(|c| {
                    json!({
                        "to": c.to, "operand": c.operand, "amount": data(&c.amount),
                        "before": c.before.as_ref().map(data), "after": data(&c.after),
                        "rule": c.rule, "arithmetic": c.arithmetic,
                    })
                })
                .collect();
            json!({"node": s.node, "grad": data(&s.grad), "contributions": contributions})
        })
        .collect();
    json!({"title": title, "root": trace.root, "seed": 1.0, "nodes": nodes, "steps": steps})
}
