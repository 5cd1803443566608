//! Principal component analysis to two dimensions, for plotting word vectors.

use crate::tensor::{Float, Tensor, rng};

/// Projects the rows of `x` (`[n, d]`) onto its first two principal
/// components: centre the rows, $C = \frac1n X_c^\top X_c$, and take the two
/// leading eigenvectors of $C$ by power iteration (the second after removing
/// the first, $C \leftarrow C - \lambda_1 e_1 e_1^\top$). Returns `[n, 2]`.
///
/// # Panics
/// If `x` is not 2-D.
///
/// Checked by `tests/text/wordvec.rs::pca_finds_the_direction_of_largest_spread`.
pub fn pca_2d(x: &Tensor) -> Tensor {
    assert!(
        x.ndim() == 2,
        "pca_2d: needs [n, d], got shape {:?}",
        x.shape()
    );
    let (n, d) = (x.shape()[0], x.shape()[1]);
    let mean = x.sum_axis(0, true).map(|v| v / n.max(1) as Float);
    let xc = x.broadcast_zip(&mean, "pca_2d", |a, m| a - m);
    let mut c = xc.matmul_t(&xc, true, false).map(|v| v / n.max(1) as Float); // [d, d]
    let mut components = vec![];
    let mut r = rng(0);
    for _ in 0..2 {
        let mut e = Tensor::randn(&[d, 1], 0.0, 1.0, &mut r);
        let mut lambda = 0.0;
        for _ in 0..500 {
            let next = c.matmul(&e);
            let norm = next.data().iter().map(|v| v * v).sum::<Float>().sqrt();
            if norm == 0.0 {
                break;
            }
            lambda = norm;
            e = next.map(|v| v / norm);
        }
        // Deflate: remove the found direction so the next iteration finds the second.
        let outer = e.matmul_t(&e, false, true).map(|v| v * lambda);
        c = c.zip_map(&outer, "pca_2d", |a, b| a - b);
        components.push(e);
    }
    let basis = Tensor::from_vec(
        (0..d)
            .flat_map(|i| [components[0].data()[i], components[1].data()[i]])
            .collect(),
        &[d, 2],
    );
    xc.matmul(&basis)
}
