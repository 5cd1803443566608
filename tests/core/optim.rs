//! Optimizers against PyTorch, step for step, and clipping and schedules by hand.
//!
//! The fixtures come from `scripts/fixtures/optim.py`:
//! ```python
//! opt = torch.optim.Adam([w, b], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
//! for grads in fixed_gradients:          # 6 steps, scales from 1e-2 to 10
//!     w.grad, b.grad = grads; opt.step() # record w and b after each step
//! ```

use approx::assert_abs_diff_eq;
use encdec::autograd::Param;
use encdec::optim::{Adam, Optimizer, Schedule, Sgd, clip_grad_norm, decays, global_norm};
use encdec::tensor::Tensor;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn tensor(v: &Value) -> Tensor {
    let shape: Vec<usize> = v["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    let data: Vec<f64> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_f64().unwrap())
        .collect();
    Tensor::from_vec(data, &shape)
}

/// Replays the fixture's gradients through `opt` and compares every step.
fn replay(name: &str, opt: &mut dyn Optimizer, lr: f64) -> f64 {
    let fx = load(name);
    let mut w = Param::new("w", tensor(&fx["initial"]["w"]));
    let mut b = Param::new("b", tensor(&fx["initial"]["b"]));
    let mut worst = 0.0f64;
    for step in fx["steps"].as_array().unwrap() {
        let grads = [
            Some(tensor(&step["grads"]["w"])),
            Some(tensor(&step["grads"]["b"])),
        ];
        opt.step(&mut [&mut w, &mut b], &grads, lr);
        worst = worst.max(w.value.max_abs_diff(&tensor(&step["after"]["w"])));
        worst = worst.max(b.value.max_abs_diff(&tensor(&step["after"]["b"])));
    }
    assert_eq!(fx["steps"].as_array().unwrap().len(), 6);
    worst
}

// PyTorch lines that made tests/fixtures/optim_adam.json,
// from `run(make_adam, 21)` and `make_adam` in scripts/fixtures/optim.py:
//     torch.set_default_dtype(torch.float64)
//     SHAPES = {"w": (3, 2), "b": (2,)}
//     STEPS = 6
//     ADAM_HYPER = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
//     torch.manual_seed(seed)  # 21
//     params = {k: torch.randn(s).requires_grad_(True) for k, s in SHAPES.items()}
//     opt = make_optimizer(list(params.values()))  # make_adam(params), which does:
//     h = ADAM_HYPER
//     return torch.optim.Adam(params, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
//                             weight_decay=0, amsgrad=False)
//     for _ in range(STEPS):
//         grads = {k: scaled_grad(s) for k, s in SHAPES.items()}  # N(0,1) * 10**U(-2, 1)
//         for k, p in params.items():
//             p.grad = grads[k].clone()
//         opt.step()  # compared: w and b after every step (no loss: .grad is set directly)
#[test]
fn adam_matches_pytorch_step_for_step() {
    let fx = load("optim_adam");
    let h = &fx["hyper"];
    let mut adam = Adam::new(
        h["beta1"].as_f64().unwrap(),
        h["beta2"].as_f64().unwrap(),
        h["eps"].as_f64().unwrap(),
    );
    let worst = replay("optim_adam", &mut adam, h["lr"].as_f64().unwrap());
    assert!(
        worst <= 1e-12,
        "Adam differs from torch.optim.Adam by {worst:e}"
    );
}

// PyTorch lines that made tests/fixtures/optim_sgd.json,
// from `run(make_sgd, 22)` and `make_sgd` in scripts/fixtures/optim.py:
//     torch.set_default_dtype(torch.float64)
//     SHAPES = {"w": (3, 2), "b": (2,)}
//     STEPS = 6
//     SGD_HYPER = {"lr": 0.1, "momentum": 0.9}
//     torch.manual_seed(seed)  # 22
//     params = {k: torch.randn(s).requires_grad_(True) for k, s in SHAPES.items()}
//     opt = make_optimizer(list(params.values()))  # make_sgd(params), which does:
//     h = SGD_HYPER
//     return torch.optim.SGD(params, lr=h["lr"], momentum=h["momentum"], dampening=0,
//                            nesterov=False, weight_decay=0)
//     for _ in range(STEPS):
//         grads = {k: scaled_grad(s) for k, s in SHAPES.items()}  # N(0,1) * 10**U(-2, 1)
//         for k, p in params.items():
//             p.grad = grads[k].clone()
//         opt.step()  # compared: w and b after every step (no loss: .grad is set directly)
#[test]
fn sgd_momentum_matches_pytorch_step_for_step() {
    let fx = load("optim_sgd");
    let h = &fx["hyper"];
    let mut sgd = Sgd::new(h["momentum"].as_f64().unwrap());
    let worst = replay("optim_sgd", &mut sgd, h["lr"].as_f64().unwrap());
    assert!(
        worst <= 1e-12,
        "SGD differs from torch.optim.SGD by {worst:e}"
    );
}

/// Replays a weight-decay fixture (`w` decays, `b` does not) through `opt`.
fn replay_decay(name: &str, opt: &mut Adam) -> f64 {
    let h = load(name)["hyper"].clone();
    opt.weight_decay = h["weight_decay"].as_f64().unwrap();
    opt.eps = h["eps"].as_f64().unwrap();
    replay(name, opt, h["lr"].as_f64().unwrap())
}

// PyTorch lines that made tests/fixtures/optim_adam_wd.json and optim_adamw.json,
// from `run(make_adam_wd, 23)`, `run(make_adamw, 24)` in scripts/fixtures/optim.py
// (same SHAPES, STEPS and gradients as above):
//     WD_HYPER = {**ADAM_HYPER, "lr": 0.05, "weight_decay": 0.1}
//     groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
//               {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
//     torch.optim.Adam(groups, lr=0.05, betas=(0.9, 0.999), eps=1e-8, amsgrad=False)
//     torch.optim.AdamW(groups, lr=0.05, betas=(0.9, 0.999), eps=1e-8, amsgrad=False)
#[test]
fn adam_weight_decay_matches_pytorch_step_for_step() {
    let worst = replay_decay("optim_adam_wd", &mut Adam::with_weight_decay(0.0));
    assert!(
        worst <= 1e-12,
        "Adam(weight_decay) differs from torch by {worst:e}"
    );
    // Without the decay the trajectory is far from PyTorch's: the check can fail.
    let plain = replay("optim_adam_wd", &mut Adam::default(), 0.05);
    assert!(plain > 1e-6, "{plain:e}");
}

#[test]
fn adamw_matches_pytorch_step_for_step() {
    let worst = replay_decay("optim_adamw", &mut Adam::adamw(0.0));
    assert!(
        worst <= 1e-12,
        "AdamW differs from torch.optim.AdamW by {worst:e}"
    );
    // L2 decay in place of decoupled decay does not match AdamW.
    let l2 = replay_decay("optim_adamw", &mut Adam::with_weight_decay(0.0));
    assert!(l2 > 1e-6, "{l2:e}");
}

#[test]
fn only_matrices_decay() {
    // AdamW with a zero gradient: a matrix shrinks by 1 - lr*wd = 1 - 0.1*0.5
    // = 0.95; a bias (one axis) stays put.
    let mut w = Param::new("linear.weight", Tensor::ones(&[2, 2]));
    let mut b = Param::new("norm.bias", Tensor::ones(&[2]));
    assert!(decays(&w) && !decays(&b));
    let zero = |p: &Param| Some(Tensor::zeros(p.shape()));
    let grads = [zero(&w), zero(&b)];
    Adam::adamw(0.5).step(&mut [&mut w, &mut b], &grads, 0.1);
    assert_eq!(w.value.data(), &[0.95; 4]);
    assert_eq!(b.value.data(), &[1.0; 2]);
}

#[test]
fn adam_first_step_by_hand() {
    // After one step m = 0.1 g, v = 0.001 g^2; with the bias corrections
    // m / (1 - 0.9) = g and sqrt(v / (1 - 0.999)) = |g|, so the step is
    // lr * g / (|g| + eps) = lr * sign(g) (to 1e-8): Adam's first step has size lr.
    let mut p = Param::new("p", Tensor::from_vec(vec![1.0, 1.0], &[2]));
    Adam::default().step(
        &mut [&mut p],
        &[Some(Tensor::from_vec(vec![3.0, -0.02], &[2]))],
        0.1,
    );
    assert_abs_diff_eq!(p.value.data()[0], 0.9, epsilon = 1e-8);
    assert_abs_diff_eq!(p.value.data()[1], 1.1, epsilon = 1e-6);
}

#[test]
fn plain_sgd_by_hand() {
    // No momentum: theta <- theta - lr g = 1 - 0.5 * 4 = -1; twice: -1 - 2 = -3.
    let mut p = Param::new("p", Tensor::scalar(1.0));
    let mut sgd = Sgd::new(0.0);
    sgd.step(&mut [&mut p], &[Some(Tensor::scalar(4.0))], 0.5);
    assert_eq!(p.value.item(), -1.0);
    sgd.step(&mut [&mut p], &[Some(Tensor::scalar(4.0))], 0.5);
    assert_eq!(p.value.item(), -3.0);
}

#[test]
fn a_parameter_without_gradient_is_left_alone() {
    let mut p = Param::new("p", Tensor::scalar(2.0));
    Adam::default().step(&mut [&mut p], &[None], 0.1);
    assert_eq!(p.value.item(), 2.0);
}

#[test]
fn clipping_caps_the_global_norm() {
    // grads [3, 4] and [12]: global norm sqrt(9 + 16 + 144) = 13.
    let mut grads = vec![
        Some(Tensor::from_vec(vec![3.0, 4.0], &[2])),
        None,
        Some(Tensor::from_vec(vec![12.0], &[1])),
    ];
    assert_eq!(global_norm(&grads), 13.0);
    let before = clip_grad_norm(&mut grads, 1.3);
    assert_eq!(before, 13.0);
    // scaled by 1.3 / (13 + 1e-6): the norm becomes 1.3, the direction is kept
    assert_abs_diff_eq!(global_norm(&grads), 1.3, epsilon = 1e-6);
    assert_abs_diff_eq!(grads[0].as_ref().unwrap().data()[0], 0.3, epsilon = 1e-7);
    // Under the cap nothing changes.
    let mut small = vec![Some(Tensor::from_vec(vec![0.3, 0.4], &[2]))];
    clip_grad_norm(&mut small, 1.0);
    assert_eq!(small[0].as_ref().unwrap().data(), &[0.3, 0.4]);
}

#[test]
fn warmup_schedule_by_hand() {
    // d_model 64 (64^-1/2 = 1/8), warm-up 4 (4^-3/2 = 1/8):
    // step 1: min(1, 1/8) / 8 = 1/64; step 4: min(1/2, 1/2) / 8 = 1/16 (the peak);
    // step 16: min(1/4, 2) / 8 = 1/32.
    let s = Schedule::Warmup {
        d_model: 64,
        warmup: 4,
        factor: 1.0,
    };
    assert_eq!(s.lr(1), 1.0 / 64.0);
    assert_eq!(s.lr(4), 1.0 / 16.0);
    assert_eq!(s.lr(16), 1.0 / 32.0);
    assert!(s.lr(3) < s.lr(4) && s.lr(5) < s.lr(4));
    let d = Schedule::StepDecay {
        lr: 1.0,
        gamma: 0.5,
        every: 10,
    };
    assert_eq!(
        (d.lr(1), d.lr(10), d.lr(11), d.lr(21)),
        (1.0, 1.0, 0.5, 0.25)
    );
    assert_eq!(Schedule::Constant(0.3).lr(1000), 0.3);
}

/// An optimizer restored from its saved state (onto new parameters, as
/// after loading a checkpoint) takes exactly the steps the original takes.
fn resumes_exactly(mut first: Box<dyn Optimizer>, mut second: Box<dyn Optimizer>) {
    let fx = load("optim_adam");
    let steps = fx["steps"].as_array().unwrap();
    let mut w = Param::new("w", tensor(&fx["initial"]["w"]));
    let grads = |k: usize| [Some(tensor(&steps[k]["grads"]["w"]))];
    for k in 0..3 {
        first.step(&mut [&mut w], &grads(k), 0.01);
    }
    let mut w2 = w.clone(); // a new identity, as a loaded checkpoint's parameter
    second.set_state(&[&w2], first.state(&[&w])).unwrap();
    for k in 3..6 {
        first.step(&mut [&mut w], &grads(k), 0.01);
        second.step(&mut [&mut w2], &grads(k), 0.01);
    }
    assert_eq!(w.value, w2.value);
    // Without the state the steps differ: the check can fail.
    let mut fresh = Param::new("w", tensor(&fx["initial"]["w"]));
    let mut third = Adam::default();
    for k in 3..6 {
        third.step(&mut [&mut fresh], &grads(k), 0.01);
    }
    assert_ne!(fresh.value, w.value);
}

#[test]
fn adam_and_sgd_resume_exactly_from_their_state() {
    resumes_exactly(Box::new(Adam::default()), Box::new(Adam::default()));
    resumes_exactly(Box::new(Sgd::new(0.9)), Box::new(Sgd::new(0.9)));
}

#[test]
fn a_state_that_does_not_fit_is_refused() {
    let w = Param::new("w", Tensor::zeros(&[2, 3]));
    let wrong = vec![Some(vec![
        Tensor::scalar(1.0),
        Tensor::zeros(&[3, 2]),
        Tensor::zeros(&[2, 3]),
    ])];
    let e = Adam::default().set_state(&[&w], wrong).unwrap_err();
    assert!(e.contains("adam state of w does not fit"), "{e}");
    let bad_t = vec![Some(vec![
        Tensor::scalar(0.5),
        Tensor::zeros(&[2, 3]),
        Tensor::zeros(&[2, 3]),
    ])];
    assert!(Adam::default().set_state(&[&w], bad_t).is_err());
    assert!(Sgd::new(0.9).set_state(&[&w], vec![Some(vec![])]).is_err());
}
