//! Tensor constructors, seeded randomness, Xavier init, broadcasting rules.

use encdec::tensor::{Mask, Tensor, broadcast_shape, rng};
use proptest::prelude::*;

#[test]
fn constructors_and_accessors() {
    let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]);
    assert_eq!(x.shape(), &[2, 3]);
    assert_eq!(x.ndim(), 2);
    assert_eq!(x.numel(), 6);
    // Row-major: [1, 2] is at 1 * 3 + 2 = 5.
    assert_eq!(x.at(&[1, 2]), 6.0);
    assert_eq!(x.at(&[0, 1]), 2.0);
    assert_eq!(Tensor::zeros(&[2, 2]).data(), &[0.0; 4]);
    assert_eq!(Tensor::ones(&[3]).data(), &[1.0; 3]);
    assert_eq!(Tensor::full(&[2], 7.5).data(), &[7.5, 7.5]);
    let s = Tensor::scalar(4.0);
    assert_eq!(s.shape(), &[] as &[usize]);
    assert_eq!(s.item(), 4.0);
}

#[test]
#[should_panic(expected = "Tensor::from_vec: 5 elements cannot have shape [2, 3] (6 elements)")]
fn from_vec_checks_the_length() {
    let _ = Tensor::from_vec(vec![0.0; 5], &[2, 3]);
}

#[test]
fn the_same_seed_gives_bit_identical_tensors() {
    let bits = |t: Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let a = Tensor::randn(&[50], 0.0, 1.0, &mut rng(42));
    let b = Tensor::randn(&[50], 0.0, 1.0, &mut rng(42));
    let c = Tensor::randn(&[50], 0.0, 1.0, &mut rng(43));
    assert_eq!(bits(a.clone()), bits(b));
    assert_ne!(bits(a), bits(c));
    let u1 = Tensor::rand_uniform(&[7], -1.0, 1.0, &mut rng(1));
    let u2 = Tensor::rand_uniform(&[7], -1.0, 1.0, &mut rng(1));
    assert_eq!(bits(u1), bits(u2));
    let x1 = Tensor::xavier_uniform(&[4, 9], &mut rng(9));
    let x2 = Tensor::xavier_uniform(&[4, 9], &mut rng(9));
    assert_eq!(bits(x1), bits(x2));
}

fn mean_var(t: &Tensor) -> (f64, f64) {
    let n = t.numel() as f64;
    let mean = t.sum_all() / n;
    let var = t.data().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

#[test]
fn randn_has_the_requested_mean_and_spread() {
    // 100,000 samples: the sample mean has sd 2/sqrt(1e5) = 0.0063.
    let x = Tensor::randn(&[100_000], 3.0, 2.0, &mut rng(0));
    let (mean, var) = mean_var(&x);
    assert!((mean - 3.0).abs() < 0.04, "mean {mean}");
    assert!((var - 4.0).abs() < 0.08, "var {var}");
}

#[test]
fn uniform_stays_in_range() {
    let x = Tensor::rand_uniform(&[10_000], -0.5, 2.0, &mut rng(3));
    assert!(x.data().iter().all(|&v| (-0.5..2.0).contains(&v)));
    let (mean, _) = mean_var(&x);
    assert!((mean - 0.75).abs() < 0.03, "mean {mean}");
}

#[test]
fn xavier_bounds_and_variance() {
    // fan_in 300, fan_out 200: a = sqrt(6/500), Var = 2/500 = 0.004.
    let w = Tensor::xavier_uniform(&[200, 300], &mut rng(11));
    let a = (6.0f64 / 500.0).sqrt();
    assert!(w.data().iter().all(|v| v.abs() <= a));
    let (_, var) = mean_var(&w);
    assert!((var - 0.004).abs() < 0.0002, "var {var}");
    let n = Tensor::xavier_normal(&[200, 300], &mut rng(12));
    let (_, var) = mean_var(&n);
    assert!((var - 0.004).abs() < 0.0002, "var {var}");
}

#[test]
fn fan_in_bounds_and_variance() {
    // fan_in 300: k = 1/sqrt(300) = 0.0577, Var = k^2/3 = 1/900 = 0.00111, whatever fan_out is.
    let k = 1.0 / 300f64.sqrt();
    for fan_out in [2, 200, 9000] {
        let w = Tensor::fan_in_uniform(&[fan_out, 300], 300, &mut rng(13));
        assert!(w.data().iter().all(|v| v.abs() <= k));
        assert!(
            w.data().iter().any(|v| v.abs() > 0.95 * k),
            "fan_out {fan_out}"
        );
        if fan_out > 2 {
            let (mean, var) = mean_var(&w);
            assert!(mean.abs() < 0.002, "mean {mean}");
            assert!((var - 1.0 / 900.0).abs() < 0.00006, "var {var}");
        }
    }
    // Xavier's bound shrinks with fan_out; this one does not: 0.102 against 0.026 at 96 -> 9056.
    let wide = Tensor::fan_in_uniform(&[9056, 96], 96, &mut rng(14));
    let xavier = Tensor::xavier_uniform(&[9056, 96], &mut rng(14));
    let max = |t: &Tensor| t.data().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!((max(&wide) - 0.102).abs() < 0.001, "{}", max(&wide));
    assert!((max(&xavier) - 0.0256).abs() < 0.001, "{}", max(&xavier));
    // A bias [fan_out] takes the weight's fan_in.
    let b = Tensor::fan_in_uniform(&[500], 4, &mut rng(15));
    assert!(b.data().iter().all(|v| v.abs() <= 0.5) && b.data().iter().any(|v| v.abs() > 0.45));
}

#[test]
fn broadcast_shapes_follow_numpy() {
    assert_eq!(broadcast_shape(&[2, 3], &[3]), Some(vec![2, 3]));
    assert_eq!(broadcast_shape(&[2, 1, 4], &[3, 1]), Some(vec![2, 3, 4]));
    assert_eq!(broadcast_shape(&[], &[5]), Some(vec![5]));
    assert_eq!(broadcast_shape(&[2, 3], &[3, 2]), None);
    assert_eq!(broadcast_shape(&[0, 3], &[1, 3]), Some(vec![0, 3]));
}

#[test]
fn broadcast_zip_by_hand_general_case() {
    // [[1],[2]] (2x1) + [10, 20, 30] (3) = [[11,21,31],[12,22,32]]
    let a = Tensor::from_vec(vec![1.0, 2.0], &[2, 1]);
    let b = Tensor::from_vec(vec![10.0, 20.0, 30.0], &[3]);
    let y = a.broadcast_zip(&b, "add", |x, y| x + y);
    assert_eq!(y.shape(), &[2, 3]);
    assert_eq!(y.data(), &[11.0, 21.0, 31.0, 12.0, 22.0, 32.0]);
    // Summing back: to [2, 1] sums each row; to [3] sums each column.
    assert_eq!(y.sum_to_shape(&[2, 1]).data(), &[63.0, 66.0]);
    assert_eq!(y.sum_to_shape(&[3]).data(), &[23.0, 43.0, 63.0]);
    assert_eq!(y.sum_to_shape(&[]).data(), &[129.0]);
}

#[test]
#[should_panic(expected = "mul: shapes [2, 3] and [3, 2] do not broadcast")]
fn shapes_that_do_not_broadcast_panic_with_both_shapes() {
    let _ = Tensor::zeros(&[2, 3]).broadcast_zip(&Tensor::zeros(&[3, 2]), "mul", |a, b| a * b);
}

#[test]
fn masks_by_hand() {
    // causal(3): hide j > i
    let c = Mask::causal(3);
    let expected = [false, true, true, false, false, true, false, false, false];
    assert_eq!(c.data(), &expected);
    let p = Mask::padding(&[2, 3], 3);
    assert_eq!(p.shape(), &[2, 1, 3]);
    assert_eq!(p.data(), &[false, false, true, false, false, false]);
}

proptest! {
    /// Broadcasting then summing back is multiplication by the number of copies.
    #[test]
    fn sum_to_shape_undoes_broadcast_up_to_the_copy_count(
        rows in 1usize..5, cols in 1usize..5, v in prop::collection::vec(-5.0f64..5.0, 4)
    ) {
        let b = Tensor::from_vec((0..cols).map(|j| v[j % 4]).collect(), &[cols]);
        let stretched = Tensor::zeros(&[rows, cols]).broadcast_zip(&b, "add", |_, y| y);
        let back = stretched.sum_to_shape(&[cols]);
        for (x, y) in back.data().iter().zip(b.data()) {
            prop_assert!((x - rows as f64 * y).abs() < 1e-12);
        }
    }

    /// The general (odometer) path agrees with the row fast path.
    #[test]
    fn general_broadcast_agrees_with_the_row_fast_path(
        rows in 1usize..5, cols in 1usize..5, seed in any::<u64>()
    ) {
        let a = Tensor::randn(&[rows, cols], 0.0, 1.0, &mut rng(seed));
        let b = Tensor::randn(&[cols], 0.0, 1.0, &mut rng(seed ^ 1));
        let fast = a.broadcast_zip(&b, "add", |x, y| x + y);
        let b_row = b.reshape(&[1, cols]); // [1, cols] takes the general path
        let a_t = a.reshape(&[rows, 1, cols]);
        let general = a_t.broadcast_zip(&b_row, "add", |x, y| x + y).reshape(&[rows, cols]);
        prop_assert_eq!(fast, general);
    }
}
