//! Forward values of every op on small examples worked out by hand, and the
//! numerical edge cases: stable softmax, fully masked rows, huge logits,
//! dropout's seeding and scaling.

use approx::assert_abs_diff_eq;
use encdec::autograd::Tape;
use encdec::tensor::{Mask, Tensor, rng};

fn t(data: &[f64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(data.to_vec(), shape)
}

fn close(a: &Tensor, b: &[f64]) {
    assert_eq!(
        a.numel(),
        b.len(),
        "lengths differ: {:?} vs {b:?}",
        a.data()
    );
    for (x, y) in a.data().iter().zip(b) {
        assert_abs_diff_eq!(*x, *y, epsilon = 1e-12);
    }
}

#[test]
fn arithmetic_broadcasts_a_bias_row_and_a_scalar() {
    let tape = Tape::new();
    let x = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]));
    let b = tape.leaf(t(&[10.0, 20.0, 30.0], &[3]));
    let c = tape.leaf(t(&[2.0], &[]));
    // [[1,2,3],[4,5,6]] + [10,20,30] = [[11,22,33],[14,25,36]]
    close(&(x + b).value(), &[11.0, 22.0, 33.0, 14.0, 25.0, 36.0]);
    // [[1,2,3],[4,5,6]] - [10,20,30] = [[-9,-18,-27],[-6,-15,-24]]
    close(&(x - b).value(), &[-9.0, -18.0, -27.0, -6.0, -15.0, -24.0]);
    // times the scalar 2
    close(&(x * c).value(), &[2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    // divided by a column [[2],[4]] (shape [2, 1]): rows /2 and /4
    let col = tape.leaf(t(&[2.0, 4.0], &[2, 1]));
    close(&(x / col).value(), &[0.5, 1.0, 1.5, 1.0, 1.25, 1.5]);
    close(&(-x).value(), &[-1.0, -2.0, -3.0, -4.0, -5.0, -6.0]);
    close(&(x + 0.5).value(), &[1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    close(&(x * -1.0).value(), &[-1.0, -2.0, -3.0, -4.0, -5.0, -6.0]);
}

#[test]
fn broadcast_gradient_sums_over_the_batch() {
    // y = sum(x + b), x [2, 3], b [3]: each b_j is used in 2 rows => db_j = 2.
    let tape = Tape::new();
    let x = tape.leaf(Tensor::zeros(&[2, 3]));
    let b = tape.leaf(Tensor::zeros(&[3]));
    tape.backward((x + b).sum());
    assert_eq!(b.grad().unwrap().data(), &[2.0, 2.0, 2.0]);
}

#[test]
fn matmul_2d_and_batched_by_hand() {
    let tape = Tape::new();
    // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19,22],[43,50]]
    let a = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]));
    let b = tape.leaf(t(&[5.0, 6.0, 7.0, 8.0], &[2, 2]));
    close(&a.matmul(b).value(), &[19.0, 22.0, 43.0, 50.0]);
    // Batch of two: the first is the product above, the second is I @ b = b.
    let a2 = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0, 1.0, 0.0, 0.0, 1.0], &[2, 2, 2]));
    let y = a2.matmul(b);
    assert_eq!(y.shape(), vec![2, 2, 2]);
    close(&y.value(), &[19.0, 22.0, 43.0, 50.0, 5.0, 6.0, 7.0, 8.0]);
}

#[test]
fn transpose_reshape_concat_slice_by_hand() {
    let tape = Tape::new();
    let x = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]));
    // [[1,2,3],[4,5,6]]^T = [[1,4],[2,5],[3,6]]
    close(&x.transpose().value(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    assert_eq!(x.reshape(&[3, 2]).shape(), vec![3, 2]);
    close(&x.reshape(&[3, 2]).value(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let y = tape.leaf(t(&[7.0, 8.0], &[2, 1]));
    // concat along axis 1: [[1,2,3,7],[4,5,6,8]]
    let c = encdec::autograd::Var::concat(&[x, y], 1);
    close(&c.value(), &[1.0, 2.0, 3.0, 7.0, 4.0, 5.0, 6.0, 8.0]);
    // concat along axis 0 of x with itself: the rows stacked
    let r = encdec::autograd::Var::concat(&[x, x], 0);
    assert_eq!(r.shape(), vec![4, 3]);
    // slice columns 1..3 of x: [[2,3],[5,6]]
    close(&x.slice(1, 1, 3).value(), &[2.0, 3.0, 5.0, 6.0]);
}

#[test]
fn gather_rows_is_an_embedding_lookup_and_scatter_adds_its_gradient() {
    let tape = Tape::new();
    let table = tape.leaf(t(&[0.0, 1.0, 10.0, 11.0, 20.0, 21.0], &[3, 2]));
    let y = table.gather_rows(&[2, 0, 2]);
    close(&y.value(), &[20.0, 21.0, 0.0, 1.0, 20.0, 21.0]);
    tape.backward(y.sum());
    // Row 2 looked up twice gets 2, row 0 once gets 1, row 1 never gets 0.
    close(&table.grad().unwrap(), &[1.0, 1.0, 0.0, 0.0, 2.0, 2.0]);
}

#[test]
fn sums_and_means_by_hand() {
    let tape = Tape::new();
    let x = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]));
    assert_eq!(x.sum().item(), 21.0);
    assert_eq!(x.mean().item(), 3.5);
    assert_eq!(x.sum().shape(), Vec::<usize>::new());
    close(&x.sum_axis(0, false).value(), &[5.0, 7.0, 9.0]);
    close(&x.sum_axis(1, false).value(), &[6.0, 15.0]);
    assert_eq!(x.sum_axis(1, true).shape(), vec![2, 1]);
    close(&x.mean_axis(1, true).value(), &[2.0, 5.0]);
    close(&x.mean_axis(0, false).value(), &[2.5, 3.5, 4.5]);
}

#[test]
fn elementwise_functions_by_hand() {
    let tape = Tape::new();
    let x = tape.leaf(t(&[0.0, 1.0, 4.0], &[3]));
    close(&x.exp().value(), &[1.0, 1f64.exp(), 4f64.exp()]);
    close(&x.sqrt().value(), &[0.0, 1.0, 2.0]);
    close(&x.powi(3).value(), &[0.0, 1.0, 64.0]);
    close(
        &x.add_scalar(1.0).log().value(),
        &[0.0, 2f64.ln(), 5f64.ln()],
    );
    close(&x.tanh().value(), &[0.0, 1f64.tanh(), 4f64.tanh()]);
    // sigmoid(0) = 1/2; sigmoid(-x) = 1 - sigmoid(x)
    let s = tape.leaf(t(&[0.0, 2.0, -2.0], &[3])).sigmoid().value();
    close(
        &s,
        &[
            0.5,
            1.0 / (1.0 + (-2f64).exp()),
            1.0 - 1.0 / (1.0 + (-2f64).exp()),
        ],
    );
    close(
        &tape.leaf(t(&[-1.5, 0.0, 2.5], &[3])).relu().value(),
        &[0.0, 0.0, 2.5],
    );
}

#[test]
fn sigmoid_and_tanh_saturate_without_nan() {
    let tape = Tape::new();
    let x = tape.leaf(t(&[-1000.0, 1000.0], &[2]));
    close(&x.sigmoid().value(), &[0.0, 1.0]);
    close(&x.tanh().value(), &[-1.0, 1.0]);
}

#[test]
fn softmax_by_hand_and_stable_for_huge_logits() {
    let tape = Tape::new();
    // softmax([0, ln 3]) = [1/4, 3/4]
    let x = tape.leaf(t(&[0.0, 3f64.ln()], &[1, 2]));
    close(&x.softmax().value(), &[0.25, 0.75]);
    close(&x.log_softmax().value(), &[0.25f64.ln(), 0.75f64.ln()]);
    // exp(1e4) overflows; after subtracting the max it does not.
    let big = tape.leaf(t(&[1e4, 1e4 + 3f64.ln(), -1e4], &[1, 3]));
    close(&big.softmax().value(), &[0.25, 0.75, 0.0]);
    let ls = big.log_softmax().value();
    assert_abs_diff_eq!(ls.data()[0], 0.25f64.ln(), epsilon = 1e-9);
    // entry 2: -1e4 - (1e4 + ln 3) - ln(1 + 1/3) = -2e4 - ln 4
    assert_abs_diff_eq!(ls.data()[2], -2e4 - 4f64.ln(), epsilon = 1e-9);
}

#[test]
fn causal_mask_gives_zero_weight_to_the_future() {
    // scores all zero, causal mask on 3 positions:
    // row 0 sees 1 key -> [1, 0, 0]; row 1 sees 2 -> [1/2, 1/2, 0]; row 2 sees 3 -> thirds.
    let tape = Tape::new();
    let s = tape.leaf(Tensor::zeros(&[3, 3]));
    let w = s.masked_fill(&Mask::causal(3), f64::NEG_INFINITY).softmax();
    let third = 1.0 / 3.0;
    close(
        &w.value(),
        &[1.0, 0.0, 0.0, 0.5, 0.5, 0.0, third, third, third],
    );
}

#[test]
fn a_fully_masked_row_gives_zero_weights_and_zero_gradient_not_nan() {
    let tape = Tape::new();
    let s = tape.leaf(t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]));
    let mask = Mask::from_vec(vec![false, true, true, true], &[2, 2]);
    let w = s.masked_fill(&mask, f64::NEG_INFINITY).softmax();
    close(&w.value(), &[1.0, 0.0, 0.0, 0.0]);
    let v = tape.leaf(t(&[5.0, 6.0, 7.0, 8.0], &[2, 2]));
    tape.backward(w.matmul(v).sum());
    let g = s.grad().unwrap();
    assert!(g.data().iter().all(|x| x.is_finite()), "{g:?}");
    close(&g, &[0.0, 0.0, 0.0, 0.0]);
    assert!(v.grad().unwrap().data().iter().all(|x| x.is_finite()));
}

#[test]
fn masked_fill_with_a_finite_value_and_a_padding_mask() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::ones(&[2, 2, 3]));
    // lengths 3 and 1: batch 1 hides keys 1 and 2, for every query.
    let y = x.masked_fill(&Mask::padding(&[3, 1], 3), 7.0);
    close(
        &y.value(),
        &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 7.0, 7.0, 1.0, 7.0, 7.0],
    );
}

#[test]
fn cross_entropy_by_hand_with_padding_ignored() {
    // Row 0: logits [0, ln 3], target 1: -ln(3/4). Row 1: target 0 = padding, ignored.
    // Row 2: logits [0, 0], target 0: -ln(1/2). Mean over the 2 counted rows.
    let tape = Tape::new();
    let z = tape.leaf(t(&[0.0, 3f64.ln(), 5.0, -5.0, 0.0, 0.0], &[3, 2]));
    let loss = z.cross_entropy(&[1, 0, 0], None);
    let all = (-(0.75f64.ln()) + -((1.0 / (1.0 + (-10f64).exp())).ln()) - 0.5f64.ln()) / 3.0;
    assert_abs_diff_eq!(loss.item(), all, epsilon = 1e-12);
    let masked = z.cross_entropy(&[1, 0, 0], Some(0));
    // Only row 0 has a target other than 0.
    assert_abs_diff_eq!(masked.item(), -(0.75f64.ln()), epsilon = 1e-12);
    tape.backward(masked);
    // d/dz of row 0 = softmax - onehot(1) = [1/4, 3/4 - 1]; ignored rows get 0.
    close(&z.grad().unwrap(), &[0.25, -0.25, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn cross_entropy_is_finite_for_logits_of_1e4() {
    let tape = Tape::new();
    let z = tape.leaf(t(&[1e4, -1e4, -1e4, 1e4], &[2, 2]));
    // Right class by a margin of 2e4: loss ~ e^{-2e4} = 0. Wrong class: loss = 2e4.
    assert_abs_diff_eq!(z.cross_entropy(&[0, 1], None).item(), 0.0, epsilon = 1e-12);
    let wrong = z.cross_entropy(&[1, 0], None);
    assert_abs_diff_eq!(wrong.item(), 2e4, epsilon = 1e-9);
    tape.backward(wrong);
    assert!(z.grad().unwrap().data().iter().all(|g| g.is_finite()));
}

#[test]
fn cross_entropy_with_every_row_ignored_is_zero() {
    let tape = Tape::new();
    let z = tape.leaf(t(&[1.0, 2.0], &[1, 2]));
    let loss = z.cross_entropy(&[0], Some(0));
    assert_eq!(loss.item(), 0.0);
    tape.backward(loss);
    close(&z.grad().unwrap(), &[0.0, 0.0]);
}

#[test]
fn dropout_is_seeded_scaled_and_the_identity_in_evaluation() {
    let tape = Tape::new();
    let x = tape.leaf(Tensor::ones(&[1000]));
    let a = x.dropout(0.25, Some(&mut rng(5))).value();
    let b = x.dropout(0.25, Some(&mut rng(5))).value();
    assert_eq!(a, b, "the same seed must drop the same elements");
    // Kept elements are scaled by 1/(1-p) = 4/3, dropped ones are 0.
    assert!(a.data().iter().all(|&v| v == 0.0 || v == 1.0 / 0.75));
    let kept = a.data().iter().filter(|&&v| v != 0.0).count();
    // Binomial(1000, 0.75): mean 750, sd ~13.7; 6 sd either side.
    assert!((668..=832).contains(&kept), "kept {kept}");
    let eval = x.dropout(0.25, None);
    assert_eq!(eval.index(), x.index(), "evaluation mode records nothing");
    let all = x.dropout(1.0, Some(&mut rng(5))).value();
    assert!(all.data().iter().all(|&v| v == 0.0));
}
