"""Reference values for the `mlp` crate, computed with PyTorch in float64.

Run from anywhere:  python3 crates/mlp/reference/generate.py
Writes backprop.json (losses and gradients of small networks) beside this
script and training.json (a few epochs of Adam and SGD with momentum, no
shuffling; the `trainer` crate's test) into crates/trainer/reference/. The Rust tests read them with gradcheck::reference.

Layout and reductions follow the crate: a layer is torch.nn.Linear
(weight out x in, y = x W^T + b); BCE-type losses sum over the k outputs and
average over the n samples (torch's reduction='sum' divided by n), CE
averages per-sample sums, MSE/Huber average over all n*k entries.
"""

import json
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent

ACTIVATIONS = {
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": F.gelu,  # exact, erf-based
    "elu": F.elu,  # alpha = 1
    "leaky_relu": F.leaky_relu,  # alpha = 0.01
}


def loss_fn(name, z, y):
    n = z.shape[0]
    if name == "ce_logits":
        return -(y * F.log_softmax(z, dim=1)).sum() / n
    if name == "ce":
        return -(y * torch.log(torch.softmax(z, dim=1))).sum() / n
    if name == "bce_logits":
        return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / n
    if name == "bce":
        return F.binary_cross_entropy(torch.sigmoid(z), y, reduction="sum") / n
    if name == "focal":  # alpha = 0.25, gamma = 2 on p = sigmoid(z)
        p = torch.sigmoid(z)
        a, g = 0.25, 2.0
        l = -a * (1 - p) ** g * y * torch.log(p) - (1 - a) * p**g * (1 - y) * torch.log(1 - p)
        return l.sum() / n
    if name == "mse":
        return F.mse_loss(z, y)
    if name == "huber":  # delta = 1
        return F.huber_loss(z, y, delta=1.0)
    raise ValueError(name)


def network(sizes, gen):
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = (torch.rand(fan_out, fan_in, generator=gen) * 2 - 1) * (1.5 / fan_in**0.5)
        b = (torch.rand(fan_out, generator=gen) * 2 - 1) * 0.5
        layers.append((w.requires_grad_(), b.requires_grad_()))
    return layers


def forward(layers, activation, x):
    a = x
    for l, (w, b) in enumerate(layers):
        z = a @ w.T + b
        a = ACTIVATIONS[activation](z) if l < len(layers) - 1 else z
    return a  # logits


def targets(kind, n, k, gen):
    if kind == "one_hot":
        labels = torch.randint(0, k, (n,), generator=gen)
        return F.one_hot(labels, k).to(torch.float64)
    if kind == "binary":
        return torch.randint(0, 2, (n, k), generator=gen).to(torch.float64)
    return torch.randn(n, k, generator=gen)


CASES = [
    # name, sizes, hidden activation, head, loss, target kind
    ("relu_softmax_ce_logits", [4, 5, 3], "relu", "softmax", "ce_logits", "one_hot"),
    ("tanh_sigmoid_bce_logits", [3, 4, 1], "tanh", "sigmoid", "bce_logits", "binary"),
    ("gelu_identity_mse", [2, 6, 4, 2], "gelu", "identity", "mse", "real"),
    ("sigmoid_softmax_ce", [3, 4, 3], "sigmoid", "softmax", "ce", "one_hot"),
    ("elu_identity_huber", [3, 5, 2], "elu", "identity", "huber", "real"),
    ("leaky_relu_sigmoid_focal", [2, 3, 3, 2], "leaky_relu", "sigmoid", "focal", "binary"),
    ("tanh_sigmoid_bce", [2, 3, 2], "tanh", "sigmoid", "bce", "binary"),
]


def backprop_cases():
    out = []
    for i, (name, sizes, act, head, loss, kind) in enumerate(CASES):
        gen = torch.Generator().manual_seed(100 + i)
        n = 6
        layers = network(sizes, gen)
        x = torch.randn(n, sizes[0], generator=gen) * 1.5
        y = targets(kind, n, sizes[-1], gen)
        z = forward(layers, act, x)
        value = loss_fn(loss, z, y)
        value.backward()
        if head == "softmax":
            output = torch.softmax(z, dim=1)
        elif head == "sigmoid":
            output = torch.sigmoid(z)
        else:
            output = z
        out.append({
            "name": name,
            "sizes": sizes,
            "activation": act,
            "head": head,
            "loss": loss,
            "weights": [w.detach().tolist() for w, _ in layers],
            "biases": [b.detach().tolist() for _, b in layers],
            "x": x.tolist(),
            "y": y.tolist(),
            "output": output.detach().tolist(),
            "value": value.item(),
            "weight_grads": [w.grad.tolist() for w, _ in layers],
            "bias_grads": [b.grad.tolist() for _, b in layers],
        })
    return out


def training_cases():
    """Mini-batch training without shuffling: batches are rows 0..b, b..2b, ..."""
    out = []
    configs = [
        ("adam", {"lr": 0.01}, [4, 6, 3], "relu", "ce_logits", "one_hot"),
        ("momentum", {"lr": 0.05, "momentum": 0.9}, [3, 5, 2], "tanh", "mse", "real"),
    ]
    for i, (opt_name, hyper, sizes, act, loss, kind) in enumerate(configs):
        gen = torch.Generator().manual_seed(200 + i)
        n, batch, epochs = 10, 4, 3
        layers = network(sizes, gen)
        x = torch.randn(n, sizes[0], generator=gen)
        y = targets(kind, n, sizes[-1], gen)
        initial_w = [w.detach().tolist() for w, _ in layers]
        initial_b = [b.detach().tolist() for _, b in layers]
        params = [p for layer in layers for p in layer]
        if opt_name == "adam":
            opt = torch.optim.Adam(params, lr=hyper["lr"])
        else:
            opt = torch.optim.SGD(params, lr=hyper["lr"], momentum=hyper["momentum"])
        batch_losses = []
        for _ in range(epochs):
            for start in range(0, n, batch):
                xb, yb = x[start:start + batch], y[start:start + batch]
                opt.zero_grad()
                value = loss_fn(loss, forward(layers, act, xb), yb)
                value.backward()
                opt.step()
                batch_losses.append(value.item())
        out.append({
            "optimizer": opt_name,
            "hyper": hyper,
            "sizes": sizes,
            "activation": act,
            "loss": loss,
            "batch_size": batch,
            "epochs": epochs,
            "x": x.tolist(),
            "y": y.tolist(),
            "initial_weights": initial_w,
            "initial_biases": initial_b,
            "batch_losses": batch_losses,
            "final_weights": [w.detach().tolist() for w, _ in layers],
            "final_biases": [b.detach().tolist() for _, b in layers],
        })
    return out


def main():
    meta = {"torch": torch.__version__, "dtype": "float64"}
    (HERE / "backprop.json").write_text(
        json.dumps({"meta": meta, "cases": backprop_cases()}, indent=1) + "\n")
    (HERE.parent.parent / "trainer" / "reference" / "training.json").write_text(
        json.dumps({"meta": meta, "cases": training_cases()}, indent=1) + "\n")


if __name__ == "__main__":
    main()
