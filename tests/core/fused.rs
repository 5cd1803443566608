//! The fused ops equal the composed formulas the tutorial reader reads:
//! same values and same gradients, to rounding, on random inputs with
//! padding. (Each fused op is also gradient-checked against finite
//! differences in `tests/core/ops_gradcheck.rs`.)

use encdec::autograd::{Tape, Var};
use encdec::nn::{Gru, LayerNorm, Lstm, Module, MultiHeadAttention, RecurrentOptions, layer_norm};
use encdec::tensor::{Mask, Tensor, rng};
use proptest::prelude::*;

/// Outputs and every gradient (inputs first, then parameters) of `f` on a
/// fresh tape, back-propagating a fixed random weighting of the outputs.
fn values_and_grads<M: Module>(
    m: &mut M,
    inputs: &[Tensor],
    f: impl for<'t> Fn(&M, &'t Tape, &[Var<'t>]) -> Vec<Var<'t>>,
) -> (Vec<Tensor>, Vec<Tensor>) {
    let tape = Tape::new();
    let xs: Vec<Var> = inputs.iter().map(|x| tape.leaf(x.clone())).collect();
    let outs = f(m, &tape, &xs);
    let mut r = rng(99);
    let loss = outs
        .iter()
        .map(|o| (*o * tape.constant(Tensor::rand_uniform(&o.shape(), -1.0, 1.0, &mut r))).sum())
        .reduce(|a, b| a + b)
        .unwrap();
    tape.backward(loss);
    let mut grads: Vec<Tensor> = xs.iter().map(|x| x.grad().unwrap()).collect();
    grads.extend(m.params().iter().map(|p| tape.param_grad(p).unwrap()));
    (outs.iter().map(Var::value).collect(), grads)
}

fn assert_close(what: &str, a: &[Tensor], b: &[Tensor], tol: f64) {
    assert_eq!(a.len(), b.len(), "{what}: counts differ");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert_eq!(x.shape(), y.shape(), "{what} {k}: shapes");
        let d = x.max_abs_diff(y);
        assert!(d <= tol, "{what} {k}: differ by {d:e}");
    }
}

/// Random inputs for a recurrent layer: `x` `[batch, time, input]`, then
/// `states` initial states `[batch, hidden]`.
fn recurrent_inputs(
    [batch, time, input, hidden]: [usize; 4],
    states: usize,
    seed: u64,
) -> Vec<Tensor> {
    let mut r = rng(seed);
    let mut inputs = vec![Tensor::rand_uniform(
        &[batch, time, input],
        -2.0,
        2.0,
        &mut r,
    )];
    for _ in 0..states {
        inputs.push(Tensor::rand_uniform(&[batch, hidden], -1.0, 1.0, &mut r));
    }
    inputs
}

/// Every step's output, and `lengths` (row b has length time - b, at least
/// 0) when `padded`.
fn options(lengths: &[usize], padded: bool) -> RecurrentOptions<'_> {
    RecurrentOptions {
        return_sequences: true,
        lengths: padded.then_some(lengths),
    }
}

fn shrinking_lengths(batch: usize, time: usize) -> Vec<usize> {
    (0..batch).map(|b| time.saturating_sub(b)).collect()
}

/// Runs a recurrent layer fused (`steps` false) and step by step (`steps`
/// true), and asserts equal values (to 1e-13) and gradients (to 1e-12).
fn assert_fused_equals_steps<M: Module>(
    m: &mut M,
    inputs: &[Tensor],
    f: impl for<'t> Fn(bool, &M, &'t Tape, &[Var<'t>]) -> Vec<Var<'t>>,
) {
    let (v_fused, g_fused) = values_and_grads(m, inputs, |m, t, x| f(false, m, t, x));
    let (v_steps, g_steps) = values_and_grads(m, inputs, |m, t, x| f(true, m, t, x));
    assert_close("value", &v_fused, &v_steps, 1e-13);
    assert_close("gradient", &g_fused, &g_steps, 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fused_lstm_equals_the_composed_steps(
        batch in 1usize..4, time in 1usize..6, input in 1usize..4, hidden in 1usize..5,
        seed in 0u64..1000, padded in any::<bool>(),
    ) {
        let mut lstm = Lstm::new("", input, hidden, &mut rng(seed));
        let inputs = recurrent_inputs([batch, time, input, hidden], 2, seed + 1);
        let lengths = shrinking_lengths(batch, time);
        let opts = options(&lengths, padded);
        assert_fused_equals_steps(&mut lstm, &inputs, |steps, m, t, x| {
            let f = if steps { Lstm::forward_steps } else { Lstm::forward };
            let out = f(m, t, x[0], Some((x[1], x[2])), opts);
            vec![out.sequence.unwrap(), out.h, out.c]
        });
    }

    #[test]
    fn fused_gru_equals_the_composed_steps(
        batch in 1usize..4, time in 1usize..6, input in 1usize..4, hidden in 1usize..5,
        seed in 0u64..1000, padded in any::<bool>(),
    ) {
        let mut gru = Gru::new("", input, hidden, &mut rng(seed));
        let inputs = recurrent_inputs([batch, time, input, hidden], 1, seed + 1);
        let lengths = shrinking_lengths(batch, time);
        let opts = options(&lengths, padded);
        assert_fused_equals_steps(&mut gru, &inputs, |steps, m, t, x| {
            let f = if steps { Gru::forward_steps } else { Gru::forward };
            let out = f(m, t, x[0], Some(x[1]), opts);
            vec![out.sequence.unwrap(), out.h]
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fused_multi_head_attention_equals_the_composed_heads(
        batch in 1usize..3, n_q in 1usize..5, n_k in 1usize..5, heads in 1usize..4,
        d_k in 1usize..4, seed in 0u64..1000, mask_kind in 0usize..3,
    ) {
        let d = heads * d_k;
        let mut mha = MultiHeadAttention::new("", d, heads, &mut rng(seed));
        let mut r = rng(seed + 1);
        mha.in_proj_bias.as_mut().unwrap().value = Tensor::rand_uniform(&[3 * d], -0.5, 0.5, &mut r);
        let inputs = [
            Tensor::rand_uniform(&[batch, n_q, d], -2.0, 2.0, &mut r),
            Tensor::rand_uniform(&[batch, n_k, d], -2.0, 2.0, &mut r),
        ];
        // No mask, padding (row b keeps n_k - b keys, maybe none), or causal.
        let lengths: Vec<usize> = (0..batch).map(|b| n_k.saturating_sub(b)).collect();
        let mask = match mask_kind {
            0 => None,
            1 => Some(Mask::padding(&lengths, n_k)),
            _ => Some(Mask::from_vec((0..n_q * n_k).map(|f| f % n_k > f / n_k).collect(), &[n_q, n_k])),
        };
        let run = |composed: bool, m: &mut MultiHeadAttention| {
            values_and_grads(m, &inputs, |m, t, x| {
                let f = if composed { MultiHeadAttention::forward_composed } else { MultiHeadAttention::forward };
                let (y, a) = f(m, t, x[0], x[1], x[1], mask.as_ref());
                vec![y, a]
            })
        };
        let (v_fused, g_fused) = run(false, &mut mha);
        let (v_comp, g_comp) = run(true, &mut mha);
        assert_close("value", &v_fused, &v_comp, 1e-13);
        assert_close("gradient", &g_fused, &g_comp, 1e-12);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fused_layer_norm_equals_the_composed_formula(
        rows in 1usize..5, d in 1usize..7, seed in 0u64..1000, offset in -1e3f64..1e3,
    ) {
        let mut ln = LayerNorm::new("", d);
        let mut r = rng(seed);
        ln.weight.value = Tensor::rand_uniform(&[d], -2.0, 2.0, &mut r);
        ln.bias.value = Tensor::rand_uniform(&[d], -1.0, 1.0, &mut r);
        let x = Tensor::rand_uniform(&[2, rows, d], -2.0, 2.0, &mut r).map(|v| v + offset);
        let run = |composed: bool, m: &mut LayerNorm| {
            values_and_grads(m, std::slice::from_ref(&x), |m, t, x| {
                vec![if composed {
                    layer_norm(x[0], t.param(&m.weight), t.param(&m.bias), m.eps)
                } else {
                    m.forward(t, x[0])
                }]
            })
        };
        let (v_fused, g_fused) = run(false, &mut ln);
        let (v_comp, g_comp) = run(true, &mut ln);
        assert_close("value", &v_fused, &v_comp, 1e-12);
        assert_close("gradient", &g_fused, &g_comp, 1e-10);
    }
}
