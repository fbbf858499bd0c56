"""Reference values for the `losses` crate, from PyTorch (float64, autograd).

Run from anywhere:  python3 crates/losses/reference/generate.py
Writes losses.json beside this file. Tests read it with
gradcheck::reference::load and compare at 1e-9 + 1e-7·|x|.

Every value uses *our* reduction (see DESIGN.md): MSE/MAE/Huber average over
all n·k entries (torch's default 'mean'); the classification losses sum over
the k outputs of a sample and average over the n samples, i.e. torch's
reduction='sum' divided by n. Gradients are d(value)/d(prediction) from
torch.autograd.

Each case's "loss" field is the serde form of losses::LossKind, so the Rust
test builds the loss from it.
"""

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

torch.manual_seed(11)  # Lecture 11
DT = torch.float64
SHAPES = [(5, 1), (4, 3), (2, 7)]


def clamped_log(x):
    # the clamp at -100 that torch's BCELoss applies, for the losses that
    # torch has no built-in for (CE on probabilities, focal)
    return torch.log(x).clamp(min=-100.0)


def value_and_grad(fn, pred, target):
    pred = pred.clone().requires_grad_(True)
    value = fn(pred, target)
    (grad,) = torch.autograd.grad(value, pred)
    return value.item(), grad


# --- the losses, with our reductions ------------------------------------------

def mse(p, y):
    return F.mse_loss(p, y)  # mean over n·k


def mae(p, y):
    return F.l1_loss(p, y)  # mean over n·k; d|a|/da at 0 is 0 in torch


def huber(delta):
    return lambda p, y: F.huber_loss(p, y, delta=delta)  # mean over n·k


def bce(p, y):
    return F.binary_cross_entropy(p, y, reduction="sum") / p.shape[0]


def ce(p, y):
    return -(y * clamped_log(p)).sum() / p.shape[0]


def focal(alpha, gamma):
    def f(p, y):
        pos = alpha * (1 - p) ** gamma * y * clamped_log(p)
        neg = (1 - alpha) * p**gamma * (1 - y) * clamped_log(1 - p)
        return -(pos + neg).sum() / p.shape[0]

    return f


def focal_multiclass(gamma):
    return lambda p, y: -(y * (1 - p) ** gamma * clamped_log(p)).sum() / p.shape[0]


def bce_logits(z, y):
    return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / z.shape[0]


def ce_logits(z, y):
    return F.cross_entropy(z, y, reduction="sum") / z.shape[0]


# --- inputs ---------------------------------------------------------------------

def normal(shape, scale):
    return torch.randn(shape, dtype=DT) * scale


def uniform(shape, lo, hi):
    return lo + (hi - lo) * torch.rand(shape, dtype=DT)


def binary(shape):
    return (torch.rand(shape, dtype=DT) < 0.5).to(DT)


def one_hot(shape):
    n, k = shape
    return F.one_hot(torch.randint(0, k, (n,)), k).to(DT)


def soft(shape):
    y = uniform(shape, 0.05, 1.0)
    return y / y.sum(dim=1, keepdim=True)


def rows(t):
    return t.tolist()


cases = []


def add(kind, fn, pred, target, note):
    value, grad = value_and_grad(fn, pred, target)
    assert math.isfinite(value) and torch.isfinite(grad).all(), (kind, note)
    cases.append(
        {
            "loss": kind,
            "note": note,
            "pred": rows(pred),
            "target": rows(target),
            "value": value,
            "gradient": rows(grad),
        }
    )


for shape in SHAPES:
    label = f"{shape[0]}x{shape[1]}"
    # regression
    add({"name": "mse"}, mse, normal(shape, 2.0), normal(shape, 2.0), label)
    add({"name": "mae"}, mae, normal(shape, 2.0), normal(shape, 2.0), label)
    for delta in (0.5, 1.0, 2.0):
        while True:  # resample until both branches of Huber are present
            pred, target = normal(shape, 2.0), normal(shape, 2.0)
            inside = ((target - pred).abs() <= delta).sum().item()
            if 0 < inside < pred.numel():
                break
        add({"name": "huber", "delta": delta}, huber(delta), pred, target, label)

    # probabilities: binary targets for n×1, multi-label for n×k, soft too
    p = uniform(shape, 0.02, 0.98)
    add({"name": "bce"}, bce, p, binary(shape), label + " binary labels")
    add({"name": "bce"}, bce, uniform(shape, 0.02, 0.98), uniform(shape, 0, 1), label + " soft labels")

    p = torch.softmax(normal(shape, 1.5), dim=1) if shape[1] > 1 else uniform(shape, 0.02, 0.98)
    add({"name": "ce"}, ce, p, one_hot(shape), label + " one-hot")
    add({"name": "ce"}, ce, p, soft(shape), label + " soft")

    for alpha, gamma in ((0.25, 2.0), (0.5, 0.0), (0.75, 0.5), (0.4, 3.0)):
        kind = {"name": "focal", "alpha": alpha, "gamma": gamma}
        add(kind, focal(alpha, gamma), uniform(shape, 0.02, 0.98), binary(shape), label)
    add({"name": "focal", "alpha": 0.6, "gamma": 1.5}, focal(0.6, 1.5),
        uniform(shape, 0.02, 0.98), uniform(shape, 0, 1), label + " soft labels")

    for gamma in (2.0, 0.0, 0.5):
        kind = {"name": "focal_multiclass", "gamma": gamma}
        p = torch.softmax(normal(shape, 1.5), dim=1) if shape[1] > 1 else uniform(shape, 0.02, 0.98)
        add(kind, focal_multiclass(gamma), p, one_hot(shape), label + " one-hot")
        add(kind, focal_multiclass(gamma), p, soft(shape), label + " soft")

    # logits
    add({"name": "bce_logits"}, bce_logits, normal(shape, 3.0), binary(shape), label + " binary labels")
    add({"name": "bce_logits"}, bce_logits, normal(shape, 3.0), uniform(shape, 0, 1), label + " soft labels")
    z = normal(shape, 3.0)
    y = one_hot(shape)
    add({"name": "ce_logits"}, ce_logits, z, y, label + " one-hot")
    # with class indices torch computes the same thing
    by_index = F.cross_entropy(z, y.argmax(dim=1), reduction="sum") / shape[0]
    assert abs(by_index.item() - ce_logits(z, y).item()) < 1e-12
    add({"name": "ce_logits"}, ce_logits, normal(shape, 3.0), soft(shape), label + " soft")
    add({"name": "ce_logits"}, ce_logits, normal(shape, 3.0), uniform(shape, 0, 1),
        label + " unnormalised targets")

# probabilities close to 0 and 1 where no log is clamped and p(1-p) >= 1e-12:
# torch's BCE backward (p - y)/max(p(1-p), 1e-12) is the exact derivative there
near = torch.tensor([[1e-8, 1 - 1e-8, 1e-6], [1 - 1e-6, 0.5, 1e-4]], dtype=DT)
near_y = torch.tensor([[1.0, 0.0, 0.0], [1.0, 0.3, 1.0]], dtype=DT)
add({"name": "bce"}, bce, near, near_y, "near 0 and 1")
add({"name": "ce"}, ce, near, near_y, "near 0 and 1")
add({"name": "focal", "alpha": 0.25, "gamma": 2.0}, focal(0.25, 2.0), near, near_y, "near 0 and 1")
add({"name": "focal_multiclass", "gamma": 2.0}, focal_multiclass(2.0), near, near_y, "near 0 and 1")

# extreme logits: sigma(z) and softmax(z) are exactly 0 or 1 in float64
extreme = torch.tensor([[500.0, -500.0, 0.0], [-500.0, 500.0, 40.0]], dtype=DT)
add({"name": "bce_logits"}, bce_logits, extreme,
    torch.tensor([[0.0, 1.0, 1.0], [0.0, 1.0, 0.5]], dtype=DT), "logits +-500")
add({"name": "ce_logits"}, ce_logits, extreme,
    torch.tensor([[0.0, 1.0, 0.0], [0.2, 0.0, 0.8]], dtype=DT), "logits +-500")

# p exactly 0 or 1: torch's clamped values are finite. Its BCE gradient there
# is (p - y)/1e-12 (the eps floor) and autograd of log(p).clamp gives NaN at
# p = 0, so only the value is a reference; the Rust tests check the gradient
# entries where p(1 - p) >= 1e-12.
edges = []
edge_p = torch.tensor([[0.0, 1.0, 0.3], [1.0, 0.0, 0.7]], dtype=DT)
edge_y = torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 0.5]], dtype=DT)
for kind, fn in (
    ({"name": "bce"}, bce),
    ({"name": "ce"}, ce),
    ({"name": "focal", "alpha": 0.25, "gamma": 2.0}, focal(0.25, 2.0)),
    ({"name": "focal_multiclass", "gamma": 2.0}, focal_multiclass(2.0)),
):
    value = fn(edge_p, edge_y).item()
    assert math.isfinite(value)
    entry = {"loss": kind, "pred": rows(edge_p), "target": rows(edge_y), "value": value}
    if kind["name"] == "bce":
        p = edge_p.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(bce(p, edge_y), p)
        entry["torch_gradient"] = rows(grad)
    edges.append(entry)

# torch's default reductions, to back the doc comments' claims: BCELoss and
# BCEWithLogitsLoss 'mean' divide by n·k (ours by n); CrossEntropyLoss 'mean'
# divides by n, like ours, for probability targets.
shape = (3, 4)
p, y, z = uniform(shape, 0.05, 0.95), binary(shape), normal(shape, 2.0)
y_soft = soft(shape)
torch_means = {
    "pred": rows(p),
    "logits": rows(z),
    "target": rows(y),
    "soft_target": rows(y_soft),
    "bce_mean": F.binary_cross_entropy(p, y).item(),
    "bce_logits_mean": F.binary_cross_entropy_with_logits(z, y).item(),
    "ce_logits_mean": F.cross_entropy(z, y_soft).item(),
}

out = {
    "generator": "crates/losses/reference/generate.py",
    "torch": torch.__version__,
    "seed": 11,
    "cases": cases,
    "edges": edges,
    "torch_means": torch_means,
}
path = Path(__file__).with_name("losses.json")
# one case per line: readable diffs, and floats keep repr's round-trip digits
lines = ["{"]
for key in ("generator", "torch", "seed"):
    lines.append(f"{json.dumps(key)}: {json.dumps(out[key])},")
for key in ("cases", "edges"):
    lines.append(f"{json.dumps(key)}: [")
    lines.append(",\n".join(json.dumps(c) for c in out[key]))
    lines.append("],")
lines.append(f'"torch_means": {json.dumps(out["torch_means"])}')
lines.append("}")
path.write_text("\n".join(lines) + "\n")
json.loads(path.read_text())  # still valid JSON
print(f"wrote {len(cases)} cases and {len(edges)} edge cases to {path}")
