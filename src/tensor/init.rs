//! Seeded random tensors and the Xavier/Glorot initialisation.
//!
//! Every random number in encdec comes from an [`Rng`] made by [`rng`] from a
//! `u64` seed, so the same seed gives bit-identical tensors, losses and
//! models on every run.

use super::{Float, Tensor, numel};
use rand::{RngExt, SeedableRng};

/// The crate's random number generator (`rand`'s `StdRng`), always seeded.
pub type Rng = rand::rngs::StdRng;

/// A generator seeded with `seed`: the only way encdec makes randomness.
pub fn rng(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// One standard normal sample by the Box–Muller transform:
/// $z = \sqrt{-2 \ln u_1} \cos(2\pi u_2)$ with $u_1 \in (0, 1]$, $u_2 \in [0, 1)$.
fn standard_normal(rng: &mut Rng) -> Float {
    let u1: Float = 1.0 - rng.random::<Float>(); // in (0, 1]: ln(u1) is finite
    let u2: Float = rng.random::<Float>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl Tensor {
    /// Samples from the normal distribution $\mathcal N(\mathrm{mean}, \mathrm{std}^2)$.
    pub fn randn(shape: &[usize], mean: Float, std: Float, rng: &mut Rng) -> Tensor {
        let data = (0..numel(shape))
            .map(|_| mean + std * standard_normal(rng))
            .collect();
        Tensor::from_vec(data, shape)
    }

    /// Samples uniformly from $[\mathrm{low}, \mathrm{high})$.
    ///
    /// # Panics
    /// If `low > high`.
    pub fn rand_uniform(shape: &[usize], low: Float, high: Float, rng: &mut Rng) -> Tensor {
        assert!(low <= high, "rand_uniform: low {low} > high {high}");
        let data = (0..numel(shape))
            .map(|_| low + (high - low) * rng.random::<Float>())
            .collect();
        Tensor::from_vec(data, shape)
    }

    /// Xavier/Glorot uniform initialisation of a weight of shape `[fan_out, fan_in]`
    /// (the PyTorch layout: one row per output):
    /// $W_{ij} \sim U(-a, a)$ with $a = \sqrt{6 / (n_{in} + n_{out})}$,
    /// so that $\mathrm{Var}(W_{ij}) = 2 / (n_{in} + n_{out})$, with $n_{in}$ = `fan_in`, $n_{out}$ = `fan_out`.
    ///
    /// # Panics
    /// If `shape` does not have exactly 2 axes.
    pub fn xavier_uniform(shape: &[usize], rng: &mut Rng) -> Tensor {
        let a = (6.0 / fan_sum(shape) as Float).sqrt();
        Tensor::rand_uniform(shape, -a, a, rng)
    }

    /// PyTorch's start for `nn.Linear` (Kaiming-uniform with $a = \sqrt 5$, which
    /// reduces to this): $W_{ij}, b_j \sim U(-k, k)$ with $k = 1/\sqrt{n_{in}}$, so
    /// $\mathrm{Var}(W_{ij}) = 1 / (3 n_{in})$. The bound depends on `fan_in` only,
    /// never on the number of outputs, so a 9,056-word output layer on 96 inputs
    /// starts at $\pm 0.102$ where Xavier gives $\pm 0.026$. `shape` may be a
    /// weight `[fan_out, fan_in]` or its bias `[fan_out]`, drawn with the weight's `fan_in`.
    ///
    /// # Panics
    /// If `fan_in` is 0.
    ///
    /// Checked by `tests/core/tensor.rs::fan_in_bounds_and_variance`.
    pub fn fan_in_uniform(shape: &[usize], fan_in: usize, rng: &mut Rng) -> Tensor {
        assert!(
            fan_in > 0,
            "fan_in_uniform: fan_in must be at least 1, got 0"
        );
        let k = 1.0 / (fan_in as Float).sqrt();
        Tensor::rand_uniform(shape, -k, k, rng)
    }

    /// Xavier/Glorot normal initialisation of a `[fan_out, fan_in]` weight:
    /// $W_{ij} \sim \mathcal N(0, 2 / (n_{in} + n_{out}))$.
    ///
    /// # Panics
    /// If `shape` does not have exactly 2 axes.
    pub fn xavier_normal(shape: &[usize], rng: &mut Rng) -> Tensor {
        let std = (2.0 / fan_sum(shape) as Float).sqrt();
        Tensor::randn(shape, 0.0, std, rng)
    }
}

fn fan_sum(shape: &[usize]) -> usize {
    assert!(
        shape.len() == 2,
        "xavier: needs a 2-axis weight [fan_out, fan_in], got shape {shape:?}"
    );
    (shape[0] + shape[1]).max(1)
}
