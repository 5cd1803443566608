//! The saturation statistics of `encdec experiment scale`, worked by hand.

use encdec::nn::{Saturation, row_entropy};
use encdec::tensor::Tensor;

/// $H(a) = -\sum_j a_j \log a_j$:
/// - `[0.5, 0.5]`: $-2 \cdot 0.5 \log 0.5 = \log 2 = 0.693147$
/// - `[0.25; 4]`: $\log 4 = 1.386294$ (uniform over $n$ keys gives $\log n$)
/// - `[0.5, 0.25, 0.25]`: $0.5 \log 2 + 2 \cdot 0.25 \log 4 = 1.5 \log 2 = 1.039721$
/// - `[1, 0]`: one-hot, $-1 \log 1 - 0 = 0$ (a masked key, $0 \log 0$, adds nothing)
#[test]
fn entropy_by_hand() {
    let ln2 = 2f64.ln();
    let cases: [(&[f64], f64); 4] = [
        (&[0.5, 0.5], ln2),
        (&[0.25; 4], 2.0 * ln2),
        (&[0.5, 0.25, 0.25], 1.5 * ln2),
        (&[1.0, 0.0], 0.0),
    ];
    for (row, want) in cases {
        let got = row_entropy(row);
        assert!((got - want).abs() < 1e-12, "{row:?}: {got} != {want}");
    }
}

/// Three rows: one saturated (0.995 > 0.99), one uniform, one hidden
/// entirely (all zeros, left out). Mean entropy
/// $(H([0.995, 0.005]) + \log 2)/2$, saturated share $1/2$.
#[test]
fn saturation_counts_rows() {
    let w = Tensor::from_vec(vec![0.995, 0.005, 0.5, 0.5, 0.0, 0.0], &[3, 2]);
    let s = Saturation::of(&w);
    let h = -(0.995f64 * 0.995f64.ln() + 0.005 * 0.005f64.ln());
    assert_eq!(s.rows, 2);
    assert!((s.saturated_share - 0.5).abs() < 1e-12);
    assert!((s.mean_entropy - (h + 2f64.ln()) / 2.0).abs() < 1e-12);
    let merged = s.merge(Saturation::of(&Tensor::from_vec(vec![0.5, 0.5], &[1, 2])));
    assert_eq!(merged.rows, 3);
    assert!((merged.saturated_share - 1.0 / 3.0).abs() < 1e-12);
}
