"""Reference trajectories from torch.optim for crates/optim/tests/torch_reference.rs.

Run from anywhere:  python3 crates/optim/reference/generate.py
Writes trajectories.json beside this script (float64, deterministic).

Each case optimises two parameter tensors at once, a vector (shape [4]) and a
matrix (shape [2, 3]), on the loss

    L(w) = sum_i  1/2 * a_i * (w_i - c_i)^2 + sin(w_i)
    dL/dw_i = a_i * (w_i - c_i) + cos(w_i)

with a, c stored in the file, so the Rust test can compute the same gradient.
Optionally the learning rate changes before every step ("lrs"), as a schedule
would set it, to check that the optimizers apply a new lr as PyTorch does.
"""

import json
import math
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
STEPS = 30

TENSORS = [
    {"shape": [4], "seed": 0},
    {"shape": [2, 3], "seed": 1},
]


def make_tensors():
    out = []
    for spec in TENSORS:
        rng = np.random.default_rng(spec["seed"])
        n = int(np.prod(spec["shape"]))
        out.append(
            {
                "shape": spec["shape"],
                "init": rng.uniform(-2.0, 2.0, n).tolist(),
                "a": rng.uniform(0.5, 5.0, n).tolist(),
                "c": rng.uniform(-1.0, 1.0, n).tolist(),
            }
        )
    return out


def build(config, params):
    """The torch optimizer for one of our OptimizerConfig JSON objects."""
    name = config["optimizer"]
    kw = dict(foreach=False)  # the plain single-tensor loops
    if name == "sgd":
        return torch.optim.SGD(params, lr=config["eta"], **kw)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(
            params, lr=config["eta"], momentum=config["mu"], nesterov=name == "nesterov", **kw
        )
    if name == "rmsprop":
        return torch.optim.RMSprop(
            params, lr=config["eta"], alpha=config["rho"], eps=config["eps"], **kw
        )
    if name == "adam":
        return torch.optim.Adam(
            params, lr=config["eta"], betas=(config["beta1"], config["beta2"]), eps=config["eps"], **kw
        )
    if name == "adamw":
        return torch.optim.AdamW(
            params,
            lr=config["eta"],
            betas=(config["beta1"], config["beta2"]),
            eps=config["eps"],
            weight_decay=config["weight_decay"],
            **kw,
        )
    raise ValueError(name)


def run(config, tensors, lrs):
    params = [
        torch.tensor(t["init"]).reshape(t["shape"]).requires_grad_(True) for t in tensors
    ]
    a = [torch.tensor(t["a"]).reshape(t["shape"]) for t in tensors]
    c = [torch.tensor(t["c"]).reshape(t["shape"]) for t in tensors]
    opt = build(config, params)
    trajectory = []
    for k in range(STEPS):
        if lrs is not None:
            for group in opt.param_groups:
                group["lr"] = lrs[k]
        with torch.no_grad():
            for p, ai, ci in zip(params, a, c):
                p.grad = ai * (p - ci) + torch.cos(p)
        opt.step()
        trajectory.append([p.detach().reshape(-1).tolist() for p in params])
    return trajectory


def adam(eta, beta1=0.9, beta2=0.999, eps=1e-8):
    return {"optimizer": "adam", "eta": eta, "beta1": beta1, "beta2": beta2, "eps": eps}


CASES = [
    ("sgd lr=0.1", {"optimizer": "sgd", "eta": 0.1}, None),
    ("sgd lr=0.02", {"optimizer": "sgd", "eta": 0.02}, None),
    ("momentum lr=0.05 mu=0.9", {"optimizer": "momentum", "eta": 0.05, "mu": 0.9}, None),
    ("momentum lr=0.1 mu=0.5", {"optimizer": "momentum", "eta": 0.1, "mu": 0.5}, None),
    ("nesterov lr=0.05 mu=0.9", {"optimizer": "nesterov", "eta": 0.05, "mu": 0.9}, None),
    ("nesterov lr=0.1 mu=0.3", {"optimizer": "nesterov", "eta": 0.1, "mu": 0.3}, None),
    ("rmsprop lr=0.01 (torch defaults)", {"optimizer": "rmsprop", "eta": 0.01, "rho": 0.99, "eps": 1e-8}, None),
    ("rmsprop lr=0.05 rho=0.9 eps=1e-6", {"optimizer": "rmsprop", "eta": 0.05, "rho": 0.9, "eps": 1e-6}, None),
    ("adam lr=0.1 (torch defaults)", adam(0.1), None),
    ("adam lr=0.05 betas=(0.8,0.99) eps=1e-6", adam(0.05, 0.8, 0.99, 1e-6), None),
    ("adam lr=0.3 betas=(0.5,0.9)", adam(0.3, 0.5, 0.9), None),
    ("adamw lr=0.1 wd=0.01", {**adam(0.1), "optimizer": "adamw", "weight_decay": 0.01}, None),
    ("adamw lr=0.05 wd=0.5 betas=(0.8,0.99)", {**adam(0.05, 0.8, 0.99), "optimizer": "adamw", "weight_decay": 0.5}, None),
    # a schedule changes lr before every step
    ("momentum lr=0.1*0.9^k mu=0.9", {"optimizer": "momentum", "eta": 0.1, "mu": 0.9}, "decay"),
    ("adam lr=0.1*0.9^k", adam(0.1), "decay"),
    ("adamw lr=0.1*0.9^k wd=0.1", {**adam(0.1), "optimizer": "adamw", "weight_decay": 0.1}, "decay"),
]


def main():
    tensors = make_tensors()
    cases = []
    for name, config, schedule in CASES:
        lrs = [config["eta"] * 0.9**k for k in range(STEPS)] if schedule == "decay" else None
        trajectory = run(config, tensors, lrs)
        assert all(math.isfinite(x) for step in trajectory for t in step for x in t)
        cases.append(
            {"name": name, "config": config, "lrs": lrs, "trajectory": trajectory}
        )
    out = {
        "generator": "crates/optim/reference/generate.py",
        "torch": torch.__version__,
        "steps": STEPS,
        "tensors": tensors,
        "cases": cases,
    }
    path = pathlib.Path(__file__).with_name("trajectories.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
