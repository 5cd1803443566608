//! What every recurrent layer shares: options in the style of Keras, cutting
//! a batch into time steps, padding, and stacking the outputs.
//!
//! Sequences are batch-first, `[batch, time, features]`, as Keras and
//! PyTorch's `batch_first=True`.

use crate::autograd::Var;
use crate::tensor::Tensor;

/// How a recurrent layer runs over a sequence (Keras's layer options).
#[derive(Clone, Copy, Debug, Default)]
pub struct RecurrentOptions<'a> {
    /// Keras's `return_sequences`: also return the hidden state of every
    /// step, `[batch, time, hidden]`. The final state is always returned
    /// (Keras's `return_state`).
    pub return_sequences: bool,
    /// The true length of each sequence of the batch. Steps at or past a
    /// sequence's length are padding: its state is carried through them
    /// unchanged and its output there is zero, so the final state is the one
    /// at its last real token. `None`: every sequence fills the batch.
    pub lengths: Option<&'a [usize]>,
}

/// The input at step `t`: `x[:, t, :]`, shape `[batch, features]`.
fn step_input<'t>(x: Var<'t>, t: usize) -> Var<'t> {
    let s = x.shape();
    x.slice(1, t, t + 1).reshape(&[s[0], s[2]])
}

/// Checks a batch-first input and returns `(batch, time)`; `op` names the layer.
pub(crate) fn check_input(
    op: &str,
    x: &[usize],
    features: usize,
    lengths: Option<&[usize]>,
) -> (usize, usize) {
    assert!(
        x.len() == 3 && x[2] == features,
        "{op}: input of shape {x:?} is not [batch, time, {features}]"
    );
    if let Some(l) = lengths {
        assert!(
            l.len() == x[0] && l.iter().all(|&n| n <= x[1]),
            "{op}: lengths {l:?} do not fit input of shape {x:?}"
        );
    }
    (x[0], x[1])
}

/// For padded batches: `[batch, 1]` with 1 where step `t` is real and 0 where
/// it is padding; `None` when every sequence is real at `t`.
fn step_mask(lengths: Option<&[usize]>, t: usize) -> Option<Tensor> {
    let l = lengths?;
    if l.iter().all(|&n| t < n) {
        return None;
    }
    let data = l.iter().map(|&n| if t < n { 1.0 } else { 0.0 }).collect();
    Some(Tensor::from_vec(data, &[l.len(), 1]))
}

/// $m \odot \mathrm{new} + (1 - m) \odot \mathrm{old}$: advance the state of real
/// sequences, carry it for padded ones.
fn keep_where<'t>(mask: &Tensor, new: Var<'t>, old: Var<'t>) -> Var<'t> {
    let tape = new.tape();
    let m = tape.constant(mask.clone());
    let not_m = tape.constant(mask.map(|v| 1.0 - v));
    new * m + old * not_m
}

/// The output at a step: the new state, zeroed where the step is padding.
fn step_output<'t>(mask: Option<&Tensor>, h: Var<'t>) -> Var<'t> {
    match mask {
        Some(m) => h * h.tape().constant(m.clone()),
        None => h,
    }
}

/// Zeroes the padded steps of a whole sequence `[batch, time, hidden]`
/// (steps at or past each row's length); unchanged without lengths.
pub(crate) fn mask_padding<'t>(seq: Var<'t>, lengths: Option<&[usize]>) -> Var<'t> {
    let Some(l) = lengths else { return seq };
    let s = seq.shape();
    if l.iter().all(|&n| n >= s[1]) {
        return seq;
    }
    let data = (0..s[0] * s[1])
        .map(|i| if i % s[1] < l[i / s[1]] { 1.0 } else { 0.0 })
        .collect();
    seq * seq
        .tape()
        .constant(Tensor::from_vec(data, &[s[0], s[1], 1]))
}

/// Stacks per-step outputs `[batch, hidden]` into `[batch, time, hidden]`.
fn stack_steps<'t>(steps: &[Var<'t>]) -> Var<'t> {
    let s = steps[0].shape();
    let as_3d: Vec<Var> = steps.iter().map(|h| h.reshape(&[s[0], 1, s[1]])).collect();
    Var::concat(&as_3d, 1)
}

/// A zero initial state `[batch, hidden]` (a constant).
pub(crate) fn zeros_state<'t>(x: Var<'t>, batch: usize, hidden: usize) -> Var<'t> {
    x.tape().constant(Tensor::zeros(&[batch, hidden]))
}

/// Runs a recurrent step over every time step of `x` (batch-first), from
/// `state` (`[h]` or `[h, c]`, each `[batch, hidden]`). The step maps
/// `(x_t, state)` to the new state; `state[0]` is the output $h_t$. Padded
/// steps carry the state and output zero. Returns the stacked outputs (when
/// `return_sequences`) and the final state.
pub(crate) fn unroll<'t>(
    x: Var<'t>,
    mut state: Vec<Var<'t>>,
    opts: RecurrentOptions,
    step: impl Fn(Var<'t>, &[Var<'t>]) -> Vec<Var<'t>>,
) -> (Option<Var<'t>>, Vec<Var<'t>>) {
    let time = x.shape()[1];
    let mut outputs = vec![];
    for t in 0..time {
        let new = step(step_input(x, t), &state);
        let mask = step_mask(opts.lengths, t);
        if opts.return_sequences {
            outputs.push(step_output(mask.as_ref(), new[0]));
        }
        state = match &mask {
            Some(m) => new
                .iter()
                .zip(&state)
                .map(|(&n, &o)| keep_where(m, n, o))
                .collect(),
            None => new,
        };
    }
    let sequence = (opts.return_sequences && time > 0).then(|| stack_steps(&outputs));
    (sequence, state)
}

/// Reverses each sequence of a padded batch in time *within its true length*:
///
/// $$ y_{b,t} = x_{b, n_b - 1 - t} \quad (t < n_b), \qquad y_{b,t} = x_{b,t} \quad (t \ge n_b) $$
///
/// so padding stays at the end, as with PyTorch's packed sequences. Applied
/// twice it gives `x` back.
///
/// # Backward
/// The same permutation: $\bar x_{b, n_b-1-t} = \bar y_{b,t}$ (a
/// [`Var::gather_rows`] whose backward scatters the rows back).
///
/// # Shapes
/// `x`: `[batch, time, features]` -> the same; `lengths`: one per row
/// (`None`: every row is `time` long).
///
/// # Panics
/// If `x` is not 3-D or a length exceeds `time`.
///
/// Checked by `tests/nn/recurrent_stack.rs::reversing_within_lengths_keeps_padding_at_the_end`.
pub fn reverse_within_lengths<'t>(x: Var<'t>, lengths: Option<&[usize]>) -> Var<'t> {
    let s = x.shape();
    assert!(
        s.len() == 3,
        "reverse_within_lengths: x of shape {s:?} is not 3-D"
    );
    let (batch, time, features) = (s[0], s[1], s[2]);
    if time == 0 {
        return x;
    }
    let mut rows = Vec::with_capacity(batch * time);
    for b in 0..batch {
        let n = lengths.map_or(time, |l| l[b]);
        assert!(
            n <= time,
            "reverse_within_lengths: length {n} > time {time}"
        );
        rows.extend((0..time).map(|t| b * time + if t < n { n - 1 - t } else { t }));
    }
    x.reshape(&[batch * time, features])
        .gather_rows(&rows)
        .reshape(&[batch, time, features])
}
