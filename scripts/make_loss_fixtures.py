"""Generate PyTorch reference values for encdec's cross-entropy options.

One fixture, tests/fixtures/loss_cross_entropy.json, holds float64 logits
`z` of shape [6, 5], targets (row 2 is padding, class 0) and, for each case,
the options and what torch.nn.functional.cross_entropy gives:

    {"torch_version": "...", "logits": T, "targets": [...], "weight": [...],
     "cases": [{"label_smoothing": e, "weighted": bool, "reduction": "mean",
                "loss": T, "grad": T}, ...]}

where `grad` is d(sum of the loss)/dz and every tensor T is
{"shape": [...], "data": [flat row-major floats]}. The cases cross label
smoothing 0 and 0.2, with and without class weights, and the reductions
mean, sum and none; every case ignores class 0.

The Rust test (tests/loss.rs) only reads the JSON file. Run from the crate
root (requires PyTorch) with

    python3 scripts/make_loss_fixtures.py

The seed is fixed, so re-running produces the same file for a given PyTorch
version.
"""

import json
from pathlib import Path

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "loss_cross_entropy.json"
PAD = 0


def tensor_json(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def main():
    torch.manual_seed(31)
    z = (3 * torch.randn(6, 5)).requires_grad_(True)
    targets = torch.tensor([1, 4, PAD, 2, 3, 1])
    weight = torch.rand(5) + 0.25
    cases = []
    for eps in (0.0, 0.2):
        for weighted in (False, True):
            for reduction in ("mean", "sum", "none"):
                z.grad = None
                loss = F.cross_entropy(z, targets, weight=weight if weighted else None,
                                       ignore_index=PAD, reduction=reduction,
                                       label_smoothing=eps)
                loss.sum().backward()
                cases.append({"label_smoothing": eps, "weighted": weighted,
                              "reduction": reduction, "loss": tensor_json(loss),
                              "grad": tensor_json(z.grad)})
    doc = {"torch_version": torch.__version__, "logits": tensor_json(z),
           "targets": targets.tolist(), "ignore_index": PAD,
           "weight": weight.tolist(), "cases": cases}
    OUT.write_text(json.dumps(doc) + "\n")
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)}")


if __name__ == "__main__":
    main()
