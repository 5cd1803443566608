//! The reverse loop, one node at a time: [`Tape::trace_backward`] replays
//! [`Tape::backward`] and writes down, for every node that passes a
//! gradient on, what it added (`+=`) into each input's gradient, the
//! gradient before and after, and the backward rule with the numbers
//! (`explain.rs`). `encdec tape` draws the record as a page you can step
//! through.
//!
//! The replay calls the same backward functions in the same order as
//! [`Tape::backward`], so its final gradients are the tape's, bit for bit:
//! `tests/core/trace.rs::the_stepping_record_ends_with_the_tapes_gradients`
//! checks it on every node.

use super::explain::{arithmetic, rule};
use super::op::{self, Op};
use super::tape::{Node, Tape, Var};
use crate::tensor::Tensor;

/// What a node of the tape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRole {
    /// An input whose gradient is wanted ([`Tape::leaf`]).
    Leaf,
    /// An input with no gradient ([`Tape::constant`]).
    Constant,
    /// The result of an operation.
    Operation,
}

/// One node, as the stepping record shows it.
#[derive(Clone, Debug)]
pub struct TraceNode {
    /// The operation's name (`"tanh"`, `"matmul_nt"`, `"leaf"`, ...).
    pub op: String,
    /// The name given with [`Var::named`], if any.
    pub name: Option<String>,
    /// Its inputs' indices on the tape.
    pub inputs: Vec<usize>,
    /// The forward value.
    pub value: Tensor,
    /// Leaf, constant or operation.
    pub role: NodeRole,
    /// Its gradient once the loop has ended (`None` if none reached it,
    /// or it needs none).
    pub grad: Option<Tensor>,
}

/// One `+=` of the reverse loop: what a node added into one input's gradient.
#[derive(Clone, Debug)]
pub struct Contribution {
    /// The input's index on the tape.
    pub to: usize,
    /// Which operand of the operation it is (0 for the first).
    pub operand: usize,
    /// The amount added.
    pub amount: Tensor,
    /// The input's gradient before (`None`: this is the first contribution).
    pub before: Option<Tensor>,
    /// The input's gradient after.
    pub after: Tensor,
    /// The backward rule, e.g. `dx += dy * (1 - y²)`.
    pub rule: String,
    /// The rule with the numbers, one line per element (at most a dozen).
    pub arithmetic: Vec<String>,
}

/// One step of the reverse loop: a node reads its gradient and adds into its inputs'.
#[derive(Clone, Debug)]
pub struct TraceStep {
    /// The node's index on the tape.
    pub node: usize,
    /// Its gradient, complete when the loop reaches it.
    pub grad: Tensor,
    /// One `+=` per input that wants a gradient.
    pub contributions: Vec<Contribution>,
}

/// The whole record: every node up to the loss, and the steps, in the
/// loop's order (last node first).
#[derive(Clone, Debug)]
pub struct BackwardTrace {
    /// The nodes `0..=root`, in creation order.
    pub nodes: Vec<TraceNode>,
    /// The loss's index; its gradient is seeded with 1.
    pub root: usize,
    /// The nodes that passed a gradient on, last node first. Leaves,
    /// constants and nodes no gradient reached have nothing to pass.
    pub steps: Vec<TraceStep>,
}

impl Tape {
    /// Replays the reverse loop of [`Tape::backward`] from a one-element
    /// `loss` (seed $\partial L/\partial L = 1$), recording every `+=`. It
    /// leaves the tape's stored gradients alone.
    ///
    /// # Panics
    /// If `loss` holds more than one element, or belongs to another tape.
    ///
    /// Checked by `tests/core/trace.rs::the_stepping_record_ends_with_the_tapes_gradients`.
    pub fn trace_backward(&self, loss: Var<'_>) -> BackwardTrace {
        assert!(
            std::ptr::eq(loss.tape, self),
            "trace_backward: the variable belongs to another tape"
        );
        let nodes = self.nodes();
        let root = loss.index;
        let shape = nodes[root].value.shape().to_vec();
        assert!(
            shape.iter().product::<usize>() == 1,
            "trace_backward: loss must hold one element, got shape {shape:?}"
        );
        let mut grads: Vec<Option<Tensor>> = vec![None; root + 1];
        grads[root] = Some(Tensor::full(&shape, 1.0));
        let mut steps = vec![];
        // The one reverse loop, as in `Tape::backward`.
        for i in (0..=root).rev() {
            let node = &nodes[i];
            let Some(g) = grads[i].clone() else { continue };
            if node.inputs.is_empty() || !node.needs_grad {
                continue;
            }
            let contributions = step(&nodes, node, &g, &mut grads);
            steps.push(TraceStep {
                node: i,
                grad: g,
                contributions,
            });
        }
        let traced = nodes[..=root]
            .iter()
            .zip(grads)
            .map(|(node, grad)| TraceNode {
                op: node.op.name(),
                name: node.name.clone(),
                inputs: node.inputs.clone(),
                value: node.value.clone(),
                role: match node.op {
                    Op::Leaf => NodeRole::Leaf,
                    Op::Constant => NodeRole::Constant,
                    _ => NodeRole::Operation,
                },
                grad: grad.filter(|_| node.needs_grad),
            });
        BackwardTrace {
            nodes: traced.collect(),
            root,
            steps,
        }
    }
}

/// One node's turn in the loop: its backward pass with output gradient `g`,
/// each input's share added (`+=`) into `grads` and written down.
fn step(
    nodes: &[Node],
    node: &Node,
    g: &Tensor,
    grads: &mut [Option<Tensor>],
) -> Vec<Contribution> {
    let x: Vec<&Tensor> = node.inputs.iter().map(|&j| &nodes[j].value).collect();
    let need: Vec<bool> = node.inputs.iter().map(|&j| nodes[j].needs_grad).collect();
    let amounts = op::backward(&node.op, &x, &node.value, g, &need);
    let mut contributions = vec![];
    for (operand, (&j, amount)) in node.inputs.iter().zip(amounts).enumerate() {
        let Some(amount) = amount.filter(|_| need[operand]) else {
            continue;
        };
        let before = grads[j].clone();
        let after = match &before {
            Some(b) => {
                let mut sum = b.clone();
                sum.add_assign(&amount);
                sum
            }
            None => amount.clone(),
        };
        grads[j] = Some(after.clone());
        contributions.push(Contribution {
            to: j,
            operand,
            rule: rule(&node.op, operand),
            arithmetic: arithmetic(&node.op, operand, &x, &node.value, g, &amount),
            amount,
            before,
            after,
        });
    }
    contributions
}
