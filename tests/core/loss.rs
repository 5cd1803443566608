//! Cross-entropy's options (label smoothing, class weights, reductions)
//! against PyTorch, values and gradients to 1e-9, and by hand.

use encdec::autograd::{CrossEntropyOptions, Reduction, Tape};
use encdec::tensor::Tensor;
use serde_json::Value;

fn tensor(v: &Value) -> Tensor {
    let nums = |k: &str| v[k].as_array().unwrap().iter().map(|d| d.as_f64().unwrap());
    let shape: Vec<usize> = nums("shape").map(|d| d as usize).collect();
    Tensor::from_vec(nums("data").collect(), &shape)
}

// PyTorch lines that made tests/fixtures/loss_cross_entropy.json
// (scripts/fixtures/loss.py):
//     torch.set_default_dtype(torch.float64); torch.manual_seed(31)
//     z = (3 * torch.randn(6, 5)).requires_grad_(True)
//     targets = torch.tensor([1, 4, 0, 2, 3, 1]); weight = torch.rand(5) + 0.25
//     for eps in (0.0, 0.2): for weighted in (False, True):
//         for reduction in ("mean", "sum", "none"):
//             loss = F.cross_entropy(z, targets, weight=weight if weighted else None,
//                                    ignore_index=0, reduction=reduction, label_smoothing=eps)
//             loss.sum().backward()   # compared: loss and z.grad
#[test]
fn cross_entropy_options_match_pytorch() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/loss_cross_entropy.json"
    );
    let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let z = tensor(&fx["logits"]);
    let list = |k: &str| -> Vec<f64> {
        let v = fx[k].as_array().unwrap();
        v.iter().map(|d| d.as_f64().unwrap()).collect()
    };
    let targets: Vec<usize> = list("targets").iter().map(|&t| t as usize).collect();
    let weight = list("weight");
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    for c in cases {
        let o = CrossEntropyOptions {
            ignore_index: Some(0),
            label_smoothing: c["label_smoothing"].as_f64().unwrap(),
            weight: c["weighted"].as_bool().unwrap().then(|| weight.clone()),
            reduction: match c["reduction"].as_str().unwrap() {
                "mean" => Reduction::Mean,
                "sum" => Reduction::Sum,
                _ => Reduction::None,
            },
        };
        let tape = Tape::new();
        let zv = tape.leaf(z.clone());
        let loss = zv.cross_entropy_with(&targets, &o);
        let value = loss.value();
        tape.backward(loss.sum());
        let grad = tape.grad(zv).unwrap();
        let (want, want_grad) = (tensor(&c["loss"]), tensor(&c["grad"]));
        assert_eq!(value.numel(), want.numel(), "{o:?}");
        let err = value.reshape(want.shape()).max_abs_diff(&want);
        let gerr = grad.max_abs_diff(&want_grad);
        assert!(
            err <= 1e-9 && gerr <= 1e-9,
            "{o:?}: loss off by {err:e}, gradient by {gerr:e}"
        );
    }
}

#[test]
fn label_smoothing_by_hand() {
    // Two classes, logits 0 and 0: log p = ln(1/2) for both. With eps = 0.2,
    // l = -(1 - 0.2) ln(1/2) - (0.2/2)(ln(1/2) + ln(1/2)) = ln 2 (smoothing a
    // uniform prediction changes nothing); class weights (1, 3), target 1:
    // l = -0.8 * 3 ln(1/2) - 0.1 * (1 + 3) ln(1/2) = 2.8 ln 2, and the mean
    // divides by the target's weight 3.
    let tape = Tape::new();
    let z = tape.leaf(Tensor::zeros(&[1, 2]));
    let mut o = CrossEntropyOptions {
        label_smoothing: 0.2,
        ..CrossEntropyOptions::default()
    };
    let ln2 = 2f64.ln();
    assert!((z.cross_entropy_with(&[1], &o).value().item() - ln2).abs() < 1e-15);
    o.weight = Some(vec![1.0, 3.0]);
    o.reduction = Reduction::Sum;
    assert!((z.cross_entropy_with(&[1], &o).value().item() - 2.8 * ln2).abs() < 1e-15);
    o.reduction = Reduction::Mean;
    assert!((z.cross_entropy_with(&[1], &o).value().item() - 2.8 * ln2 / 3.0).abs() < 1e-15);
}
