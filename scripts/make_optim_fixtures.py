"""Generate PyTorch reference trajectories for encdec's optimizer tests.

Each fixture records a few steps of one torch.optim optimizer in float64 on
two small parameters, `w` (shape [3, 2]) and `b` (shape [2]):

    initial values -> for each step: set .grad to a stored tensor,
                      call opt.step(), record every parameter

so a Rust test can replay the same gradients through encdec's optimizer and
compare the parameters after every step. Gradients are random normals scaled
by 10**uniform(-2, 1), drawn separately per step and per parameter, so their
size changes by up to three orders of magnitude between steps; without that,
Adam's second-moment estimate would barely matter.

Two more fixtures use weight decay with two parameter groups, as encdec's
`optim::decays` rule does: `w` (two axes) decays, `b` (one axis, a bias)
does not. `adam_wd` is torch.optim.Adam (L2 added to the gradient) and
`adamw` is torch.optim.AdamW (decoupled decay).

Writes tests/fixtures/optim_{adam,sgd,adam_wd,adamw}.json:

    {"optimizer": "adam", "torch_version": "...", "hyper": {...},
     "initial": {"w": T, "b": T},
     "steps": [{"grads": {"w": T, "b": T}, "after": {"w": T, "b": T}}, ...]}

where every tensor T is {"shape": [...], "data": [flat row-major floats]}.

The Rust tests only read the JSON files. This script is needed only to
(re)generate them and requires PyTorch (`pip install torch`). Run from the
crate root with

    python3 scripts/make_optim_fixtures.py

Seeds are fixed, so re-running produces identical files for a given PyTorch
version. Before writing, the script replays each trajectory with the textbook
update rule (see `adam_reference` / `sgd_reference`) and stops if PyTorch
disagrees with it.
"""

import json
import math
from pathlib import Path

import torch

torch.set_default_dtype(torch.float64)

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SHAPES = {"w": (3, 2), "b": (2,)}
STEPS = 6

ADAM_HYPER = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
SGD_HYPER = {"lr": 0.1, "momentum": 0.9}
WD_HYPER = {**ADAM_HYPER, "lr": 0.05, "weight_decay": 0.1}


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def scaled_grad(shape):
    """N(0, 1) noise times 10**u with u ~ uniform(-2, 1)."""
    exponent = torch.empty(()).uniform_(-2.0, 1.0)
    return torch.randn(shape) * 10.0 ** exponent


def make_adam(params):
    h = ADAM_HYPER
    return torch.optim.Adam(params, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                            weight_decay=0, amsgrad=False)


def decay_groups(params, weight_decay):
    """encdec's rule: decay parameters of two or more axes, not biases or LayerNorm."""
    return [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]


def make_adam_wd(params):
    h = WD_HYPER
    return torch.optim.Adam(decay_groups(params, h["weight_decay"]), lr=h["lr"],
                            betas=(h["beta1"], h["beta2"]), eps=h["eps"], amsgrad=False)


def make_adamw(params):
    h = WD_HYPER
    return torch.optim.AdamW(decay_groups(params, h["weight_decay"]), lr=h["lr"],
                             betas=(h["beta1"], h["beta2"]), eps=h["eps"], amsgrad=False)


def make_sgd(params):
    h = SGD_HYPER
    return torch.optim.SGD(params, lr=h["lr"], momentum=h["momentum"], dampening=0,
                           nesterov=False, weight_decay=0)


def run(make_optimizer, seed):
    """Initial values, then (grads, params after step) for each of STEPS steps."""
    torch.manual_seed(seed)
    params = {k: torch.randn(s).requires_grad_(True) for k, s in SHAPES.items()}
    initial = {k: p.detach().clone() for k, p in params.items()}
    opt = make_optimizer(list(params.values()))
    steps = []
    for _ in range(STEPS):
        grads = {k: scaled_grad(s) for k, s in SHAPES.items()}
        for k, p in params.items():
            p.grad = grads[k].clone()
        opt.step()
        steps.append((grads, {k: p.detach().clone() for k, p in params.items()}))
    return initial, steps


def adam_reference(p, grads, h, l2=0.0, decoupled=0.0):
    """Adam trajectory of one parameter, written out as in the paper, with
    L2 decay `l2` added to the gradient or decoupled decay `decoupled`."""
    m, v, out = torch.zeros_like(p), torch.zeros_like(p), []
    for t, g in enumerate(grads, start=1):
        p = p * (1 - h["lr"] * decoupled)
        g = g + l2 * p
        m = h["beta1"] * m + (1 - h["beta1"]) * g
        v = h["beta2"] * v + (1 - h["beta2"]) * g * g
        m_hat = m / (1 - h["beta1"] ** t)
        v_hat = v / (1 - h["beta2"] ** t)
        p = p - h["lr"] * m_hat / (v_hat.sqrt() + h["eps"])
        out.append(p)
    return out


def adam_wd_reference(p, grads, h):
    return adam_reference(p, grads, h, l2=h["weight_decay"] if p.dim() >= 2 else 0.0)


def adamw_reference(p, grads, h):
    return adam_reference(p, grads, h, decoupled=h["weight_decay"] if p.dim() >= 2 else 0.0)


def sgd_reference(p, grads, h):
    """SGD with (heavy-ball) momentum; the buffer starts as the first gradient."""
    buf, out = None, []
    for g in grads:
        buf = g.clone() if buf is None else h["momentum"] * buf + g
        p = p - h["lr"] * buf
        out.append(p)
    return out


def check(name, initial, steps, reference, hyper):
    for k, p0 in initial.items():
        expected = reference(p0, [g[k] for g, _ in steps], hyper)
        for i, ((_, after), want) in enumerate(zip(steps, expected)):
            err = (after[k] - want).abs().max().item()
            assert err < 1e-12, f"{name}: step {i} {k} differs from reference by {err:g}"


def write_fixture(name, hyper, initial, steps):
    doc = {
        "optimizer": name,
        "torch_version": torch.__version__,
        "hyper": hyper,
        "initial": {k: tensor_json(v) for k, v in initial.items()},
        "steps": [{"grads": {k: tensor_json(v) for k, v in grads.items()},
                   "after": {k: tensor_json(v) for k, v in after.items()}}
                  for grads, after in steps],
    }
    for step in doc["steps"]:
        for part in step.values():
            for k, t in part.items():
                assert all(math.isfinite(v) for v in t["data"]), f"{name}: non-finite {k}"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"optim_{name}.json"
    path.write_text(json.dumps(doc) + "\n")
    return path


FIXTURES = [
    ("adam", make_adam, ADAM_HYPER, adam_reference, 21),
    ("sgd", make_sgd, SGD_HYPER, sgd_reference, 22),
    ("adam_wd", make_adam_wd, WD_HYPER, adam_wd_reference, 23),
    ("adamw", make_adamw, WD_HYPER, adamw_reference, 24),
]


def main():
    for name, make_optimizer, hyper, reference, seed in FIXTURES:
        initial, steps = run(make_optimizer, seed)
        check(name, initial, steps, reference, hyper)
        path = write_fixture(name, hyper, initial, steps)
        print(f"wrote {path.relative_to(OUT_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
