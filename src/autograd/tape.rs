//! The tape: a Wengert list of nodes in creation order, and one reverse loop.
//!
//! Every operation on a [`Var`] appends a [`Node`] holding the operation, the
//! indices of its inputs and its value. An input is always created before
//! the node that uses it, so creation order is already a topological order:
//! backward visits the nodes once, from last to first, and each node adds its
//! contribution to its inputs' gradients with `+=`. No recursion, no sort: a
//! chain of a million operations needs no stack.

use super::op::{self, Op};
use crate::tensor::{Float, Tensor};
use std::cell::{Ref, RefCell};
use std::collections::HashMap;

/// One entry of the tape.
pub(crate) struct Node {
    /// What computed this value.
    pub op: Op,
    /// Tape indices of the inputs, all smaller than this node's index.
    pub inputs: Vec<usize>,
    /// The forward value.
    pub value: Tensor,
    /// Whether any leaf that needs a gradient lies upstream of this node.
    pub needs_grad: bool,
    /// An optional label for [`Tape::to_dot`].
    pub name: Option<String>,
}

/// A recording of a computation, for reverse-mode differentiation.
///
/// Make one per forward pass: create inputs with [`Tape::leaf`] (needs a
/// gradient) or [`Tape::constant`] (does not), combine them with the
/// methods of [`Var`], then call [`Tape::backward`] on a scalar result and
/// read gradients with [`Tape::grad`].
///
/// ```
/// use encdec::{autograd::Tape, tensor::Tensor};
/// let tape = Tape::new();
/// let x = tape.leaf(Tensor::from_vec(vec![1.0, 2.0], &[2]));
/// let y = (x * x).sum(); // y = x0^2 + x1^2
/// tape.backward(y);
/// assert_eq!(tape.grad(x).unwrap().data(), &[2.0, 4.0]); // dy/dx = 2x
/// ```
#[derive(Default)]
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
    /// Gradients summed over every call of `backward` since the last `zero_grad`.
    grads: RefCell<Vec<Option<Tensor>>>,
    /// Which node holds each [`super::Param`] used on this tape, by the param's id.
    pub(crate) params: RefCell<HashMap<u64, usize>>,
}

/// A handle to one node of a [`Tape`]: an index, plus the tape it indexes.
/// It is `Copy`; the value lives on the tape.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    pub(crate) tape: &'t Tape,
    pub(crate) index: usize,
}

impl std::fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Var(#{} {:?})", self.index, self.shape())
    }
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Tape {
        Tape::default()
    }

    /// The number of nodes recorded so far.
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records an input whose gradient is wanted (a parameter or an input
    /// being checked).
    pub fn leaf(&self, value: Tensor) -> Var<'_> {
        self.push_node(Op::Leaf, vec![], value, true)
    }

    /// Records an input that needs no gradient (data, targets, constants).
    pub fn constant(&self, value: Tensor) -> Var<'_> {
        self.push_node(Op::Constant, vec![], value, false)
    }

    /// Appends the result of an operation; used by every op.
    pub(crate) fn push(&self, op: Op, inputs: &[Var<'_>], value: Tensor) -> Var<'_> {
        let needs_grad = {
            let nodes = self.nodes.borrow();
            inputs.iter().any(|v| nodes[v.index].needs_grad)
        };
        let inputs = inputs.iter().map(|v| v.index).collect();
        self.push_node(op, inputs, value, needs_grad)
    }

    fn push_node(&self, op: Op, inputs: Vec<usize>, value: Tensor, needs_grad: bool) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            op,
            inputs,
            value,
            needs_grad,
            name: None,
        });
        Var {
            tape: self,
            index: nodes.len() - 1,
        }
    }

    /// Read access to the nodes, for ops, the DOT writer and the checker.
    pub(crate) fn nodes(&self) -> Ref<'_, Vec<Node>> {
        self.nodes.borrow()
    }

    pub(crate) fn set_name(&self, index: usize, name: &str) {
        self.nodes.borrow_mut()[index].name = Some(name.to_string());
    }

    /// Back-propagates from a scalar `loss`: seeds $\partial L/\partial L = 1$
    /// and adds $\partial L/\partial v$ to the stored gradient of every node
    /// `v` that `loss` depends on.
    ///
    /// Calling it twice adds the gradients twice, as in PyTorch; call
    /// [`Tape::zero_grad`] in between to start again from zero.
    ///
    /// # Panics
    /// If `loss` holds more than one element, or belongs to another tape.
    pub fn backward(&self, loss: Var<'_>) {
        let shape = loss.shape();
        assert!(
            shape.iter().product::<usize>() == 1,
            "backward: loss must hold one element, got shape {shape:?}; use backward_with for a vector"
        );
        self.backward_with(loss, Tensor::full(&shape, 1.0));
    }

    /// Back-propagates from `out` with the given output gradient
    /// $\bar y = \partial L/\partial y$ (a vector-Jacobian product).
    ///
    /// # Panics
    /// If `seed` does not have the shape of `out`, or `out` belongs to another tape.
    pub fn backward_with(&self, out: Var<'_>, seed: Tensor) {
        assert!(
            std::ptr::eq(out.tape, self),
            "backward: the variable belongs to another tape"
        );
        let nodes = self.nodes.borrow();
        let root = out.index;
        crate::tensor::assert_same_shape("backward_with", nodes[root].value.shape(), seed.shape());
        // This pass's gradients, one slot per node up to the root.
        let mut grads: Vec<Option<Tensor>> = vec![None; root + 1];
        grads[root] = Some(seed);
        // The one reverse loop: each node pushes its gradient to its inputs.
        for i in (0..=root).rev() {
            let node = &nodes[i];
            // Inputs have smaller indices than their node: split the slots so
            // that we read slot i while adding into slots below it.
            let (below, from_i) = grads.split_at_mut(i);
            let Some(g) = from_i[0].as_ref() else {
                continue;
            };
            if node.inputs.is_empty() || !node.needs_grad {
                continue;
            }
            let inputs: Vec<&Tensor> = node.inputs.iter().map(|&j| &nodes[j].value).collect();
            let need: Vec<bool> = node.inputs.iter().map(|&j| nodes[j].needs_grad).collect();
            let contributions = op::backward(&node.op, &inputs, &node.value, g, &need);
            for ((&j, contribution), &need_j) in node.inputs.iter().zip(contributions).zip(&need) {
                if let (Some(c), true) = (contribution, need_j) {
                    accumulate(&mut below[j], c);
                }
            }
        }
        // Add this pass into the gradients kept across passes.
        let mut kept = self.grads.borrow_mut();
        if kept.len() < nodes.len() {
            kept.resize(nodes.len(), None);
        }
        for (i, g) in grads.into_iter().enumerate() {
            if let Some(g) = g.filter(|_| nodes[i].needs_grad) {
                accumulate(&mut kept[i], g);
            }
        }
    }

    /// The gradient of the last `backward` losses with respect to `v`, summed
    /// since the last [`Tape::zero_grad`]; `None` if no gradient reached `v`.
    pub fn grad(&self, v: Var<'_>) -> Option<Tensor> {
        self.grads.borrow().get(v.index).cloned().flatten()
    }

    /// Forgets every stored gradient.
    pub fn zero_grad(&self) {
        self.grads.borrow_mut().clear();
    }

    /// The value of node `index` (for [`Var::value`]).
    pub(crate) fn value_of(&self, index: usize) -> Tensor {
        self.nodes.borrow()[index].value.clone()
    }
}

/// `slot += g`, moving `g` in when the slot is empty.
fn accumulate(slot: &mut Option<Tensor>, g: Tensor) {
    match slot {
        Some(acc) => acc.add_assign(&g),
        None => *slot = Some(g),
    }
}

impl<'t> Var<'t> {
    /// The tape this variable lives on.
    pub fn tape(&self) -> &'t Tape {
        self.tape
    }

    /// The node's index on its tape.
    pub fn index(&self) -> usize {
        self.index
    }

    /// A copy of the value.
    pub fn value(&self) -> Tensor {
        self.tape.value_of(self.index)
    }

    /// The shape of the value.
    pub fn shape(&self) -> Vec<usize> {
        self.tape.nodes()[self.index].value.shape().to_vec()
    }

    /// The single element of a one-element value.
    ///
    /// # Panics
    /// If the value does not hold exactly one element.
    pub fn item(&self) -> Float {
        self.tape.nodes()[self.index].value.item()
    }

    /// The stored gradient, as [`Tape::grad`].
    pub fn grad(&self) -> Option<Tensor> {
        self.tape.grad(*self)
    }

    /// Labels the node (shown by [`Tape::to_dot`]) and returns it.
    pub fn named(self, name: &str) -> Var<'t> {
        self.tape.set_name(self.index, name);
        self
    }

    /// Panics unless `other` is on the same tape; `op` names the caller.
    pub(crate) fn same_tape(&self, other: &Var<'_>, op: &str) {
        assert!(
            std::ptr::eq(self.tape, other.tape),
            "{op}: the operands belong to different tapes"
        );
    }
}
