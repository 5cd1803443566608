//! Trainable parameters: named tensors that outlive any one tape.
//!
//! A model keeps its weights in [`Param`]s. Each forward pass makes a new
//! [`Tape`]; the first time a layer asks the tape for a parameter
//! ([`Tape::param`]) the tape records it as a leaf, and every later use on
//! the same tape (an RNN's `w_hh` at every time step) reuses that one leaf,
//! so its gradient sums over all uses. After `backward`,
//! [`Tape::param_grad`] reads the gradient and an optimizer updates
//! [`Param::value`] in place.

use super::tape::{Tape, Var};
use crate::tensor::Tensor;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// A named, trainable tensor with an identity of its own.
#[derive(Debug)]
pub struct Param {
    id: u64,
    /// The name, PyTorch style (`weight_ih`, `self_attn.in_proj_weight`).
    pub name: String,
    /// The current value.
    pub value: Tensor,
    /// Whether it receives gradients; a frozen parameter enters the tape as a constant.
    pub trainable: bool,
}

impl Param {
    /// A trainable parameter.
    pub fn new(name: &str, value: Tensor) -> Param {
        Param {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            name: name.to_string(),
            value,
            trainable: true,
        }
    }

    /// A unique identity: two parameters never share one, clones included.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The shape of the value.
    pub fn shape(&self) -> &[usize] {
        self.value.shape()
    }
}

impl Clone for Param {
    /// A copy with a fresh identity, so that a cloned model's parameters are
    /// its own on any tape.
    fn clone(&self) -> Param {
        Param {
            trainable: self.trainable,
            ..Param::new(&self.name, self.value.clone())
        }
    }
}

impl Tape {
    /// The variable holding `p` on this tape, recorded on first use (a leaf,
    /// or a constant when `p` is frozen) and reused after.
    pub fn param(&self, p: &Param) -> Var<'_> {
        if let Some(&index) = self.params.borrow().get(&p.id) {
            return Var { tape: self, index };
        }
        let v = if p.trainable {
            self.leaf(p.value.clone())
        } else {
            self.constant(p.value.clone())
        };
        self.params.borrow_mut().insert(p.id, v.index);
        v.named(&p.name)
    }

    /// Makes `v` stand for `p` on this tape: later [`Tape::param`] calls for
    /// `p` return `v`. The gradient checker uses this to perturb a layer's
    /// weights.
    ///
    /// # Panics
    /// If `p` is already on this tape, or `v`'s shape is not `p`'s.
    pub fn bind_param(&self, p: &Param, v: Var<'_>) {
        crate::tensor::assert_same_shape("bind_param", p.shape(), &v.shape());
        let previous = self.params.borrow_mut().insert(p.id, v.index);
        assert!(
            previous.is_none(),
            "bind_param: {} is already on this tape",
            p.name
        );
    }

    /// The gradient of `p` after [`Tape::backward`], `None` if `p` was not
    /// used on this tape or no gradient reached it.
    pub fn param_grad(&self, p: &Param) -> Option<Tensor> {
        self.param_grad_by_id(p.id)
    }

    /// [`Tape::param_grad`] of the parameter whose [`Param::id`] is `id`
    /// (for a thread that holds the model only by shared reference).
    pub fn param_grad_by_id(&self, id: u64) -> Option<Tensor> {
        let index = *self.params.borrow().get(&id)?;
        self.grad(Var { tape: self, index })
    }
}
