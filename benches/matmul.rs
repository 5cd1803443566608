//! f64 matrix-multiply throughput, single thread: the fast kernel
//! (`encdec::tensor::gemm`) and the triple-loop reference.
//!
//! `cargo bench --bench matmul` prints one line per size:
//! `matmul n=256 encdec_gflops=... reference_gflops=...`.
//! `scripts/bench/matmul.py` runs this and numpy/OpenBLAS side by side.

use encdec::tensor::{Tensor, gemm, gemm_reference, rng};
use std::hint::black_box;
use std::time::Instant;

type Kernel = fn(
    (usize, usize, usize),
    &[f64],
    (usize, usize),
    &[f64],
    (usize, usize),
    &mut [f64],
    (usize, usize),
    bool,
);

/// Median GFLOP/s of `kernel` on n x n matrices over a fixed time budget.
fn gflops(kernel: Kernel, n: usize, budget_s: f64) -> f64 {
    let mut r = rng(1);
    let a = Tensor::randn(&[n, n], 0.0, 1.0, &mut r);
    let b = Tensor::randn(&[n, n], 0.0, 1.0, &mut r);
    let mut c = vec![0.0; n * n];
    let flops = 2.0 * (n as f64).powi(3);
    let mut times = vec![];
    let start = Instant::now();
    while times.len() < 3 || (start.elapsed().as_secs_f64() < budget_s && times.len() < 1000) {
        let t = Instant::now();
        kernel(
            (n, n, n),
            a.data(),
            (n, 1),
            b.data(),
            (n, 1),
            &mut c,
            (n, 1),
            false,
        );
        black_box(&c);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    flops / times[times.len() / 2] / 1e9
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    for n in [64, 256, 512] {
        let fast = gflops(gemm, n, 1.0);
        let reference = gflops(gemm_reference, n, 0.5);
        println!("matmul n={n} encdec_gflops={fast:.2} reference_gflops={reference:.2}");
    }
}
