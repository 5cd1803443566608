//! The fast matrix multiply against the triple-loop reference.

use encdec::tensor::{Tensor, gemm, gemm_reference, matmul_reference, rng};
use proptest::prelude::*;

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Fast and reference agree on an m x k by k x n product, both plain and
/// with transposed operands (read through swapped strides), overwriting and
/// accumulating.
fn agree(m: usize, k: usize, n: usize, seed: u64) {
    let mut r = rng(seed);
    let a = Tensor::randn(&[m * k], 0.0, 1.0, &mut r);
    let b = Tensor::randn(&[k * n], 0.0, 1.0, &mut r);
    let c0 = Tensor::randn(&[m * n], 0.0, 1.0, &mut r);
    // (a strides, b strides): row-major, and each operand stored transposed.
    let layouts = [
        ((k, 1), (n, 1)),
        ((1, m), (n, 1)),
        ((k, 1), (1, k)),
        ((1, m), (1, k)),
    ];
    for (sa, sb) in layouts {
        for accumulate in [false, true] {
            let mut fast = c0.data().to_vec();
            let mut slow = c0.data().to_vec();
            gemm(
                (m, k, n),
                a.data(),
                sa,
                b.data(),
                sb,
                &mut fast,
                (n, 1),
                accumulate,
            );
            gemm_reference(
                (m, k, n),
                a.data(),
                sa,
                b.data(),
                sb,
                &mut slow,
                (n, 1),
                accumulate,
            );
            let tol = 1e-12 * (k as f64 + 1.0) * 10.0;
            let d = max_diff(&fast, &slow);
            assert!(
                d <= tol,
                "{m}x{k}x{n} strides {sa:?} {sb:?} acc {accumulate}: diff {d}"
            );
        }
    }
}

#[test]
fn fast_matches_reference_on_awkward_shapes() {
    let shapes = [
        (1, 1, 1),    // 1x1
        (1, 7, 1),    // a dot product
        (300, 3, 2),  // tall
        (2, 3, 300),  // wide
        (5, 300, 4),  // long inner dimension
        (17, 13, 19), // no multiple of any block size
        (65, 33, 129),
        (4, 8, 8), // exact multiples
        (0, 3, 2), // empty
        (3, 0, 2), // empty inner dimension: C = 0 (or unchanged when accumulating)
    ];
    for (i, &(m, k, n)) in shapes.iter().enumerate() {
        agree(m, k, n, i as u64);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn fast_matches_reference_on_random_shapes(
        m in 1usize..70, k in 1usize..70, n in 1usize..70, seed in any::<u64>()
    ) {
        agree(m, k, n, seed);
    }
}

#[test]
fn matmul_by_hand() {
    // [[1,2,3]] @ [[1],[0],[-1]] = [[1*1 + 2*0 + 3*(-1)]] = [[-2]]
    let a = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[1, 3]);
    let b = Tensor::from_vec(vec![1.0, 0.0, -1.0], &[3, 1]);
    assert_eq!(a.matmul(&b).data(), &[-2.0]);
    assert_eq!(matmul_reference(&a, &b).data(), &[-2.0]);
}

#[test]
fn batched_matmul_is_one_product_per_batch() {
    let mut r = rng(7);
    let a = Tensor::randn(&[3, 4, 5], 0.0, 1.0, &mut r);
    let b = Tensor::randn(&[3, 5, 2], 0.0, 1.0, &mut r);
    let w = Tensor::randn(&[5, 2], 0.0, 1.0, &mut r);
    let batched = a.matmul(&b);
    let shared = a.matmul(&w);
    assert_eq!(batched.shape(), &[3, 4, 2]);
    for i in 0..3 {
        let ai = Tensor::from_vec(a.data()[i * 20..][..20].to_vec(), &[4, 5]);
        let bi = Tensor::from_vec(b.data()[i * 10..][..10].to_vec(), &[5, 2]);
        let yi = matmul_reference(&ai, &bi);
        assert!(max_diff(&batched.data()[i * 8..][..8], yi.data()) < 1e-12);
        let zi = matmul_reference(&ai, &w);
        assert!(max_diff(&shared.data()[i * 8..][..8], zi.data()) < 1e-12);
    }
    // A 2-D left operand shared by a batched right one.
    let left = Tensor::randn(&[4, 5], 0.0, 1.0, &mut r);
    let y = left.matmul(&b);
    for i in 0..3 {
        let bi = Tensor::from_vec(b.data()[i * 10..][..10].to_vec(), &[5, 2]);
        assert!(max_diff(&y.data()[i * 8..][..8], matmul_reference(&left, &bi).data()) < 1e-12);
    }
}

#[test]
fn matmul_t_transposes_without_copying() {
    let mut r = rng(8);
    let a = Tensor::randn(&[2, 6, 3], 0.0, 1.0, &mut r);
    let b = Tensor::randn(&[2, 4, 3], 0.0, 1.0, &mut r);
    let via_flag = a.matmul_t(&b, false, true);
    let via_copy = a.matmul(&b.transpose_last2());
    assert!(via_flag.max_abs_diff(&via_copy) < 1e-12);
    let c = Tensor::randn(&[2, 6, 4], 0.0, 1.0, &mut r);
    let via_flag = a.matmul_t(&c, true, false);
    let via_copy = a.transpose_last2().matmul(&c);
    assert!(via_flag.max_abs_diff(&via_copy) < 1e-12);
}

#[test]
#[should_panic(expected = "matmul: shapes [2, 3] and [4, 5] do not match")]
fn matmul_inner_sizes_must_match() {
    let _ = Tensor::zeros(&[2, 3]).matmul(&Tensor::zeros(&[4, 5]));
}

#[test]
#[should_panic(expected = "matmul: shapes [2, 3, 4] and [5, 4, 2] do not match")]
fn matmul_batches_must_match() {
    let _ = Tensor::zeros(&[2, 3, 4]).matmul(&Tensor::zeros(&[5, 4, 2]));
}

#[test]
#[should_panic(expected = "gemm: a (3x4, strides 4,1) does not fit in 11 elements")]
fn gemm_refuses_a_slice_that_is_too_short() {
    let mut c = vec![0.0; 6];
    gemm(
        (3, 4, 2),
        &[0.0; 11],
        (4, 1),
        &[0.0; 8],
        (2, 1),
        &mut c,
        (2, 1),
        false,
    );
}
