//! The operations a node can record, and the thin dispatch to their backward
//! passes. Each operation's forward and backward code sit side by side in
//! one file of [`super::ops`]; this file only routes.

use super::ops::{
    arith, attention, cross_entropy, custom::CustomOp, dropout, gather, gelu, gru_seq, layer_norm,
    lstm_seq, masked_fill, matmul, reduce, shape, softmax, unary,
};
use crate::tensor::{Float, Tensor};
use std::rc::Rc;

/// Which axis a reduction runs over (`None`: the whole tensor).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reduce {
    pub axis: Option<usize>,
    pub keepdim: bool,
}

/// Everything a node can be. Data an op needs for its backward pass (an
/// axis, a mask, the targets) is stored in the variant.
pub(crate) enum Op {
    Leaf,
    Constant,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    AddScalar,
    MulScalar(Float),
    MatMul,
    MatMulNT,
    Transpose,
    Reshape,
    Concat {
        axis: usize,
    },
    Slice {
        axis: usize,
        start: usize,
    },
    GatherRows {
        indices: Vec<usize>,
    },
    Sum(Reduce),
    Mean(Reduce),
    Exp,
    Log,
    Sqrt,
    Powi(i32),
    Tanh,
    Sigmoid,
    Relu,
    Gelu,
    Softmax,
    LogSoftmax,
    MaskedFill {
        mask: Vec<bool>,
    },
    Dropout {
        scale: Vec<Float>,
    },
    CrossEntropy {
        targets: Vec<usize>,
        options: Box<cross_entropy::CrossEntropyOptions>,
    },
    LstmSequence(Box<lstm_seq::LstmSaved>),
    GruSequence(Box<gru_seq::GruSaved>),
    Attention(Box<attention::AttentionSaved>),
    LayerNorm(Box<layer_norm::LayerNormSaved>),
    AttentionWeights {
        heads: usize,
        scale: Float,
    },
    Custom(Rc<dyn CustomOp>),
}

impl Op {
    /// A short name, used by the DOT writer and in reports.
    pub(crate) fn name(&self) -> String {
        match self {
            Op::Leaf => "leaf".into(),
            Op::Constant => "constant".into(),
            Op::Add => "add".into(),
            Op::Sub => "sub".into(),
            Op::Mul => "mul".into(),
            Op::Div => "div".into(),
            Op::Neg => "neg".into(),
            Op::AddScalar => "add_scalar".into(),
            Op::MulScalar(c) => format!("mul_scalar({c})"),
            Op::MatMul => "matmul".into(),
            Op::MatMulNT => "matmul_nt".into(),
            Op::Transpose => "transpose".into(),
            Op::Reshape => "reshape".into(),
            Op::Concat { axis } => format!("concat(axis={axis})"),
            Op::Slice { axis, start } => format!("slice(axis={axis}, start={start})"),
            Op::GatherRows { indices } => format!("gather_rows({} rows)", indices.len()),
            Op::Sum(r) => format!("sum{}", reduce_label(r)),
            Op::Mean(r) => format!("mean{}", reduce_label(r)),
            Op::Exp => "exp".into(),
            Op::Log => "log".into(),
            Op::Sqrt => "sqrt".into(),
            Op::Powi(n) => format!("powi({n})"),
            Op::Tanh => "tanh".into(),
            Op::Sigmoid => "sigmoid".into(),
            Op::Relu => "relu".into(),
            Op::Gelu => "gelu".into(),
            Op::Softmax => "softmax".into(),
            Op::LogSoftmax => "log_softmax".into(),
            Op::MaskedFill { .. } => "masked_fill".into(),
            Op::Dropout { .. } => "dropout".into(),
            Op::CrossEntropy { .. } => "cross_entropy".into(),
            Op::LstmSequence(_) => "lstm_sequence".into(),
            Op::GruSequence(_) => "gru_sequence".into(),
            Op::Attention(_) => "attention".into(),
            Op::LayerNorm(_) => "layer_norm".into(),
            Op::AttentionWeights { .. } => "attention_weights".into(),
            Op::Custom(c) => c.name().to_string(),
        }
    }
}

fn reduce_label(r: &Reduce) -> String {
    match r.axis {
        Some(axis) if r.keepdim => format!("(axis={axis}, keepdim)"),
        Some(axis) => format!("(axis={axis})"),
        None => String::new(),
    }
}

/// Routes a node's output gradient `g` to its op's backward function.
///
/// `x` are the inputs' values, `y` the node's value, `need[i]` whether input
/// `i` wants a gradient. Returns one optional contribution per input, to be
/// added (`+=`) into that input's gradient by the tape.
// Long function: one match arm per op, the dispatch table of the reverse loop.
pub(crate) fn backward(
    op: &Op,
    x: &[&Tensor],
    y: &Tensor,
    g: &Tensor,
    need: &[bool],
) -> Vec<Option<Tensor>> {
    let one = |t: Tensor| vec![Some(t)];
    let two = |(a, b): (Tensor, Tensor)| vec![Some(a), Some(b)];
    match op {
        Op::Leaf | Op::Constant => vec![],
        Op::Add => two(arith::add_backward(g, x[0], x[1])),
        Op::Sub => two(arith::sub_backward(g, x[0], x[1])),
        Op::Mul => two(arith::mul_backward(g, x[0], x[1])),
        Op::Div => two(arith::div_backward(g, x[0], x[1])),
        Op::Neg => one(arith::neg_backward(g)),
        Op::AddScalar => one(g.clone()),
        Op::MulScalar(c) => one(arith::mul_scalar_backward(g, *c)),
        Op::MatMul | Op::MatMulNT => {
            let trans_b = matches!(op, Op::MatMulNT);
            let (ga, gb) = matmul::matmul_backward(g, x[0], x[1], trans_b, (need[0], need[1]));
            vec![ga, gb]
        }
        Op::Transpose => one(g.transpose_last2()),
        Op::Reshape => one(g.reshape(x[0].shape())),
        Op::Concat { axis } => shape::concat_backward(g, x, *axis)
            .into_iter()
            .map(Some)
            .collect(),
        Op::Slice { axis, start } => one(shape::slice_backward(g, x[0].shape(), *axis, *start)),
        Op::GatherRows { indices } => one(gather::gather_rows_backward(g, x[0].shape(), indices)),
        Op::Sum(r) => one(reduce::sum_backward(g, x[0].shape(), r)),
        Op::Mean(r) => one(reduce::mean_backward(g, x[0].shape(), r)),
        Op::Exp => one(unary::exp_backward(g, y)),
        Op::Log => one(unary::log_backward(g, x[0])),
        Op::Sqrt => one(unary::sqrt_backward(g, y)),
        Op::Powi(n) => one(unary::powi_backward(g, x[0], *n)),
        Op::Tanh => one(unary::tanh_backward(g, y)),
        Op::Sigmoid => one(unary::sigmoid_backward(g, y)),
        Op::Relu => one(unary::relu_backward(g, x[0])),
        Op::Gelu => one(gelu::gelu_backward(g, x[0])),
        Op::Softmax => one(softmax::softmax_backward(g, y)),
        Op::LogSoftmax => one(softmax::log_softmax_backward(g, y)),
        Op::MaskedFill { mask } => one(masked_fill::masked_fill_backward(g, mask)),
        Op::Dropout { scale } => one(dropout::dropout_backward(g, scale)),
        Op::CrossEntropy { targets, options } => one(cross_entropy::cross_entropy_backward(
            g, x[0], targets, options,
        )),
        Op::LstmSequence(saved) => lstm_seq::lstm_sequence_backward(saved, x, y, g, need),
        Op::GruSequence(saved) => gru_seq::gru_sequence_backward(saved, x, y, g, need),
        Op::Attention(saved) => attention::attention_backward(saved, x, g),
        Op::LayerNorm(saved) => layer_norm::layer_norm_backward(saved, x, g),
        Op::AttentionWeights { heads, scale } => {
            attention::attention_weights_backward(x, y, g, *heads, *scale)
        }
        Op::Custom(c) => {
            let grads = c.backward(x, y, g);
            // Zipped with the inputs later, a short list would drop gradients silently.
            assert!(
                grads.len() == x.len(),
                "custom op `{}`: backward returned {} gradients for {} inputs",
                c.name(),
                grads.len(),
                x.len()
            );
            for (i, (gi, xi)) in grads.iter().zip(x).enumerate() {
                assert!(
                    gi.shape() == xi.shape(),
                    "custom op `{}`: gradient {i} has shape {:?}, input {i} has shape {:?}",
                    c.name(),
                    gi.shape(),
                    xi.shape()
                );
            }
            grads.into_iter().map(Some).collect()
        }
    }
}
