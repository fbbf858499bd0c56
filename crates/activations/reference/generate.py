#!/usr/bin/env python3
"""Reference values for the `activations` crate, computed by PyTorch.

Run from anywhere:  python3 crates/activations/reference/generate.py
Writes activations.json next to this script. CI does not run Python; the
JSON is committed and read by crates/activations/tests/reference.rs.

Every function and derivative comes from PyTorch in float64: the value from
the torch function, the derivative from autograd (y.sum().backward(), which
for an element-wise f gives f'(x) at every x). The keys are the names that
`ActivationKind::from_name` reads, so the Rust test can build each one from
its key. `elu` and `leaky_relu` are torch's functions called WITHOUT alpha,
so the test also checks that our defaults are torch's defaults.

Where torch itself returns a non-finite value (GELU-tanh's derivative at
|x| >= 1e300: 0 * inf in its backward), the point is left out of that
function's grid and listed under "torch_nonfinite" with torch's answer; the
Rust tests check that the crate is finite there.
"""

import json
import pathlib
import sys

import torch

torch.manual_seed(11)
torch.set_default_dtype(torch.float64)
F = torch.nn.functional

MAX = sys.float_info.max
# the kinks (0), both sides of them, the usual range, and large |x|
GRID = [
    -MAX, -1e300, -1e3, -50.0, -20.0, -10.0, -5.0, -3.0, -2.0, -1.5, -1.0,
    -0.75, -0.5, -0.1, -1e-8, 0.0, 1e-8, 0.1, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0,
    5.0, 10.0, 20.0, 50.0, 1e3, 1e300, MAX,
]

# name as ActivationKind reads it -> (how torch is called, function)
ACTIVATIONS = {
    "sigmoid": ("torch.sigmoid(x)", torch.sigmoid),
    "tanh": ("torch.tanh(x)", torch.tanh),
    "relu": ("torch.relu(x)", torch.relu),
    "leaky_relu": ("torch.nn.functional.leaky_relu(x)", lambda x: F.leaky_relu(x)),
    "leaky_relu(0.2)": (
        "torch.nn.functional.leaky_relu(x, negative_slope=0.2)",
        lambda x: F.leaky_relu(x, negative_slope=0.2),
    ),
    "elu": ("torch.nn.functional.elu(x)", lambda x: F.elu(x)),
    "elu(0.5)": ("torch.nn.functional.elu(x, alpha=0.5)", lambda x: F.elu(x, alpha=0.5)),
    "gelu": ("torch.nn.functional.gelu(x)", lambda x: F.gelu(x)),
    # the lecture's approximation has no torch function; its derivative
    # still comes from autograd
    "gelu_sigmoid": ("x * torch.sigmoid(1.702 * x)", lambda x: x * torch.sigmoid(1.702 * x)),
    "gelu_tanh": (
        "torch.nn.functional.gelu(x, approximate='tanh')",
        lambda x: F.gelu(x, approximate="tanh"),
    ),
    "identity": ("x", lambda x: x),
}


def as_json(v):
    """floats, with non-finite ones as the strings gradcheck::reference reads"""
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return v


def activation_case(call, f):
    x = torch.tensor(GRID, requires_grad=True)
    y = f(x)
    y.sum().backward()
    keep, dropped = [], []
    for xi, yi, di in zip(GRID, y.tolist(), x.grad.tolist()):
        finite = all(abs(v) != float("inf") and v == v for v in (yi, di))
        (keep if finite else dropped).append((xi, yi, di))
    return {
        "torch_call": call,
        "x": [p[0] for p in keep],
        "forward": [p[1] for p in keep],
        "derivative": [p[2] for p in keep],
        "torch_nonfinite": [
            {"x": p[0], "forward": as_json(p[1]), "derivative": as_json(p[2])} for p in dropped
        ],
    }


def softmax_case(z, g):
    z = torch.tensor(z, requires_grad=True)
    g = torch.tensor(g)
    s = torch.softmax(z, dim=0)
    jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=0), z.detach())
    (vjp,) = torch.autograd.grad(s, z, grad_outputs=g)
    return {
        "z": z.tolist(),
        "softmax": s.tolist(),
        "log_softmax": torch.log_softmax(z, dim=0).tolist(),
        "logsumexp": torch.logsumexp(z, dim=0).item(),
        "jacobian": jac.tolist(),
        "g": g.tolist(),
        "vjp": vjp.tolist(),
    }


def softmax_cases():
    cases = [
        ([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]),
        ([1000.0, 0.0, -1000.0], [0.5, -1.0, 2.0]),
        ([500.0, 499.0, -3.0, 0.0], [1.0, 2.0, 3.0, 4.0]),
        ([7.0], [3.0]),
        ([0.0, 0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 0.0, 2.0, -2.0]),
    ]
    for k in (4, 7):
        z = torch.randn(k) * 3.0
        g = torch.randn(k)
        cases.append((z.tolist(), g.tolist()))
    return [softmax_case(z, g) for z, g in cases]


def softmax_rows_case():
    z = torch.randn(5, 6) * 4.0
    z[3] = torch.tensor([1e3, -1e3, 0.0, 1e3, 2.0, -5.0])
    z.requires_grad_(True)
    g = torch.randn(5, 6)
    s = torch.softmax(z, dim=1)
    (vjp,) = torch.autograd.grad(s, z, grad_outputs=g)
    return {"z": z.tolist(), "softmax": s.tolist(), "g": g.tolist(), "vjp": vjp.tolist()}


def main():
    out = {
        "generator": "crates/activations/reference/generate.py",
        "torch_version": torch.__version__,
        "dtype": "float64",
        "activations": {name: activation_case(call, f) for name, (call, f) in ACTIVATIONS.items()},
        "softmax": softmax_cases(),
        "softmax_rows": softmax_rows_case(),
    }
    path = pathlib.Path(__file__).with_name("activations.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    dropped = {k: len(v["torch_nonfinite"]) for k, v in out["activations"].items() if v["torch_nonfinite"]}
    print(f"wrote {path} (points where torch is not finite: {dropped})")


if __name__ == "__main__":
    main()
