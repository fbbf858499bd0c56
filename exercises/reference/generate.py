#!/usr/bin/env python3
"""Reference values for the labs' tests, computed by PyTorch in float64.

Run from anywhere:  python3 exercises/reference/generate.py
It writes exercises/labNN/tests/reference.json for the labs that compare
with PyTorch. The JSON sits next to the tests (the solutions' tests are the
same files), so a handout carries it; CI does not run Python.

Every derivative here comes from torch.autograd, never from a hand-written
formula, so the reference is independent of the code it checks.
"""

import json
import math
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = pathlib.Path(__file__).resolve().parent.parent


def write(lab, data):
    path = ROOT / lab / "tests" / "reference.json"
    path.write_text(json.dumps(data, indent=1) + "\n")
    print("wrote", path.relative_to(ROOT.parent))


def floats(t):
    return t.detach().reshape(-1).tolist() if t.dim() > 0 else [t.item()]


def value_and_derivative(f, xs):
    """f at each x and df/dx by autograd, one point at a time."""
    values, derivatives = [], []
    for x in xs:
        t = torch.tensor(x, requires_grad=True)
        y = f(t)
        (g,) = torch.autograd.grad(y, t)
        values.append(y.item())
        derivatives.append(g.item())
    return values, derivatives


# ---------------------------------------------------------------- lab01
def lab01():
    xs = [-1000.0, -30.0, -5.0, -2.0, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 30.0, 1000.0]
    out = {"x": xs}
    alpha_leaky, alpha_elu = 0.1, 0.7
    out["leaky_alpha"] = alpha_leaky
    out["elu_alpha"] = alpha_elu
    table = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, alpha_leaky),
        "elu": lambda t: F.elu(t, alpha_elu),
        "gelu": lambda t: F.gelu(t, approximate="none"),
        "gelu_sigmoid": lambda t: t * torch.sigmoid(1.702 * t),
    }
    for name, f in table.items():
        v, d = value_and_derivative(f, xs)
        out[name] = v
        out[name + "_derivative"] = d

    gen = torch.Generator().manual_seed(1)
    cases = [
        torch.tensor([1.0, 2.0, 3.0]),
        torch.tensor([0.0, 0.0, 0.0, 0.0]),
        torch.tensor([-1.5, 0.25, 4.0, -0.75, 2.0]),
        torch.randn(6, generator=gen) * 3.0,
        torch.tensor([1000.0, 1001.0, 1002.0]),
        torch.tensor([-1000.0, 0.0, 1000.0]),
    ]
    softmax_cases = []
    for z in cases:
        s = torch.softmax(z, dim=0)
        jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z)
        softmax_cases.append({"z": floats(z), "s": floats(s), "jacobian": jac.tolist()})
    out["softmax"] = softmax_cases
    write("lab01", out)


# ---------------------------------------------------------------- lab02
def clamped_log(t):
    return torch.clamp(torch.log(t), min=-100.0)


def lab02():
    gen = torch.Generator().manual_seed(2)
    n, k = 4, 3
    y_hat = torch.randn(n, k, generator=gen) * 2.0
    y = torch.randn(n, k, generator=gen) * 2.0
    p = torch.rand(n, k, generator=gen) * 0.9 + 0.05
    labels = (torch.rand(n, k, generator=gen) > 0.5).double()
    z = torch.randn(n, 5, generator=gen) * 3.0
    onehot = F.one_hot(torch.tensor([0, 3, 4, 1]), 5).double()
    soft = torch.softmax(torch.randn(n, 5, generator=gen), dim=1)
    probs = torch.softmax(torch.randn(n, 5, generator=gen) * 2.0, dim=1)

    def with_grad(f, x, *rest):
        x = x.clone().requires_grad_(True)
        value = f(x, *rest)
        (g,) = torch.autograd.grad(value, x)
        return {"value": value.item(), "gradient": g.tolist()}

    def huber(yh, t, delta):
        # PyTorch's HuberLoss is exactly the lecture's formula, averaged
        return F.huber_loss(yh, t, delta=delta)

    def focal(pp, t, alpha, gamma):
        per = -alpha * (1 - pp) ** gamma * t * clamped_log(pp) - (1 - alpha) * pp ** gamma * (
            1 - t
        ) * clamped_log(1 - pp)
        return per.sum() / pp.shape[0]

    out = {
        "regression": {"y_hat": y_hat.tolist(), "y": y.tolist()},
        "mse": with_grad(F.mse_loss, y_hat, y),
        "mae": with_grad(F.l1_loss, y_hat, y),
        "huber_1": with_grad(huber, y_hat, y, 1.0),
        "huber_0.5": with_grad(huber, y_hat, y, 0.5),
        "binary": {"p": p.tolist(), "y": labels.tolist()},
        # PyTorch's mean divides by n·k; the lecture sums over the k labels
        "bce": with_grad(lambda a, b: F.binary_cross_entropy(a, b, reduction="sum") / n, p, labels),
        "focal_0.25_2": with_grad(focal, p, labels, 0.25, 2.0),
        "focal_0.5_0": with_grad(focal, p, labels, 0.5, 0.0),
        "categorical": {"p": probs.tolist(), "y_onehot": onehot.tolist(), "y_soft": soft.tolist(), "z": z.tolist()},
        "cross_entropy_onehot": with_grad(lambda a, b: -(b * clamped_log(a)).sum() / n, probs, onehot),
        "cross_entropy_soft": with_grad(lambda a, b: -(b * clamped_log(a)).sum() / n, probs, soft),
        # F.cross_entropy takes logits and (since 1.10) probability targets
        "softmax_cross_entropy_onehot": with_grad(F.cross_entropy, z, onehot),
        "softmax_cross_entropy_soft": with_grad(F.cross_entropy, z, soft),
    }
    write("lab02", out)


# ---------------------------------------------------------------- lab03
def lab03():
    def network(x, y, w1, b1, w2, b2):
        params = [torch.tensor(v, requires_grad=True) for v in (w1, b1, w2, b2)]
        w1t, b1t, w2t, b2t = params
        z = w1t * x + b1t
        h = torch.sigmoid(z)
        y_hat = w2t * h + b2t
        loss = 0.5 * (y - y_hat) ** 2
        grads = torch.autograd.grad(loss, params)
        return {
            "x": x, "y": y, "w1": w1, "b1": b1, "w2": w2, "b2": b2,
            "z": z.item(), "h": h.item(), "y_hat": y_hat.item(), "loss": loss.item(),
            "dw1": grads[0].item(), "db1": grads[1].item(),
            "dw2": grads[2].item(), "db2": grads[3].item(),
        }

    out = {
        # the lecture's worked example (lecture/README.md, correction 3)
        "lecture": network(0.5, 1.0, 0.3, -0.1, 0.8, 0.2),
        "other": network(-1.7, -0.4, 1.3, 0.6, -2.1, 0.35),
    }
    write("lab03", out)


# ---------------------------------------------------------------- lab04
def lab04():
    gen = torch.Generator().manual_seed(4)
    w0 = torch.randn(5, generator=gen)
    grads = [torch.randn(5, generator=gen) * (0.1 + i) for i in range(8)]
    grads[3][2] = 0.0  # a zero gradient component: RMSProp/Adam must not divide by zero

    def run(make):
        w = w0.clone().requires_grad_(True)
        opt = make([w])
        trajectory = []
        for g in grads:
            w.grad = g.clone()
            opt.step()
            trajectory.append(w.detach().tolist())
        return trajectory

    cases = {
        "sgd": ({"eta": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
        "momentum": ({"eta": 0.05, "mu": 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        "rmsprop": (
            {"eta": 0.01, "rho": 0.9, "eps": 1e-8},
            lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
        ),
        "adam": (
            {"eta": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
            lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
        ),
        "adam_custom": (
            {"eta": 0.2, "beta1": 0.5, "beta2": 0.8, "eps": 1e-3},
            lambda p: torch.optim.Adam(p, lr=0.2, betas=(0.5, 0.8), eps=1e-3),
        ),
    }
    out = {"w0": w0.tolist(), "grads": [g.tolist() for g in grads]}
    for name, (hyper, make) in cases.items():
        out[name] = {"hyper": hyper, "trajectory": run(make)}
    write("lab04", out)


# ---------------------------------------------------------------- lab05
def lab05():
    def trace(make, base_lr, steps):
        """Learning rates of a torch scheduler at t = 0 .. steps-1."""
        w = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([w], lr=base_lr)
        sched = make(opt)
        rates = []
        for _ in range(steps):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return rates

    sch = torch.optim.lr_scheduler
    out = {
        "step_decay": {
            "eta0": 0.1, "gamma": 0.5, "step_size": 3,
            "rates": trace(lambda o: sch.StepLR(o, step_size=3, gamma=0.5), 0.1, 12),
        },
        "cosine": {
            "eta_min": 0.001, "eta_max": 0.1, "t_max": 20,
            # t ≤ T only: past T PyTorch's cosine turns back up, ours stays at eta_min
            "rates": trace(lambda o: sch.CosineAnnealingLR(o, T_max=20, eta_min=0.001), 0.1, 21),
        },
        "linear_warmup": {
            "eta": 0.3, "warmup_steps": 5, "start_factor": 0.1,
            "rates": trace(lambda o: sch.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5), 0.3, 9),
        },
    }
    for name, policy, extra in [
        ("triangular", "triangular", {}),
        ("triangular2", "triangular2", {}),
        ("exp_range", "exp_range", {"gamma": 0.97}),
    ]:
        out["cyclic_" + name] = {
            "base_lr": 0.01, "max_lr": 0.1, "step_size": 4, **extra,
            "rates": trace(
                lambda o: sch.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4, mode=policy,
                                       cycle_momentum=False, **extra),
                0.01,
                26,
            ),
        }
    write("lab05", out)


# ---------------------------------------------------------------- lab06
def lab06():
    gen = torch.Generator().manual_seed(6)
    logits = torch.randn(5, 10, generator=gen) * 4.0
    labels = [3, 0, 9, 9, 5]
    z = logits.clone().requires_grad_(True)
    loss = F.cross_entropy(z, torch.tensor(labels))
    (grad,) = torch.autograd.grad(loss, z)
    # one Linear layer in PyTorch's layout: y = x W^T + b
    x = torch.randn(4, 3, generator=gen)
    w = torch.randn(2, 3, generator=gen)
    b = torch.randn(2, generator=gen)
    out = {
        "cross_entropy": {
            "logits": logits.tolist(), "labels": labels,
            "loss": loss.item(), "gradient": grad.tolist(),
        },
        "linear": {
            "x": x.tolist(), "weight": w.tolist(), "bias": b.tolist(),
            "y": F.linear(x, w, b).tolist(),
        },
    }
    write("lab06", out)


if __name__ == "__main__":
    lab01()
    lab02()
    lab03()
    lab04()
    lab05()
    lab06()
