"""Reference values for the autograd crate, computed by PyTorch (float64).

Run from anywhere:  python3 crates/autograd/reference/generate.py
It rewrites the JSON files next to it; the tests read them with
gradcheck::reference::load and compare at 1e-9 + 1e-7·|x|.

- lecture.json   the lecture's network y_hat = w2·σ(w1·x + b1) + b2,
                 L = ½(y − y_hat)²: forward values and the four gradients
                 (order w2, b2, w1, b1) at the README's worked example and
                 at random points.
- value_ops.json every scalar operation of autograd::Value: its value and
                 its gradient with respect to each input.
- tape_mlp.json  a one-hidden-layer network in batch, y = x·Wᵀ + b layout,
                 hidden sigmoid / tanh / ReLU, losses MSE (mean over all
                 elements) and cross-entropy with logits (per-sample sums
                 averaged over samples, one-hot and soft targets): the loss
                 and the gradients of W1, b1, W2, b2.
"""

import json
import os

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def leaf(v):
    return torch.tensor(float(v), requires_grad=True)


def lecture():
    points = [dict(x=0.5, y=1.0, w1=0.3, b1=-0.1, w2=0.8, b2=0.2)]
    for _ in range(7):
        r = (torch.rand(6) * 4 - 2).tolist()
        points.append(dict(x=r[0], y=r[1], w1=r[2], b1=r[3], w2=r[4], b2=r[5]))
    cases = []
    for p in points:
        w1, b1, w2, b2 = (leaf(p[k]) for k in ("w1", "b1", "w2", "b2"))
        z = w1 * p["x"] + b1
        sigma_z = torch.sigmoid(z)
        y_hat = w2 * sigma_z + b2
        loss = 0.5 * (p["y"] - y_hat) ** 2
        loss.backward()
        cases.append(dict(p, z=z.item(), sigma_z=sigma_z.item(), y_hat=y_hat.item(),
                          loss=loss.item(),
                          grad=[w2.grad.item(), b2.grad.item(), w1.grad.item(), b1.grad.item()]))
    write("lecture.json", {"cases": cases})


# name -> (number of Value inputs, function of torch scalars, input range)
OPS = {
    "a + b": (2, lambda a, b: a + b, (-3, 3)),
    "a - b": (2, lambda a, b: a - b, (-3, 3)),
    "a * b": (2, lambda a, b: a * b, (-3, 3)),
    "a / b": (2, lambda a, b: a / b, (0.3, 3)),
    "a + 2.5": (1, lambda a: a + 2.5, (-3, 3)),
    "2.5 - a": (1, lambda a: 2.5 - a, (-3, 3)),
    "a * -1.5": (1, lambda a: a * -1.5, (-3, 3)),
    "4 / a": (1, lambda a: 4 / a, (0.3, 3)),
    "-a": (1, lambda a: -a, (-3, 3)),
    "a^3": (1, lambda a: a ** 3, (-3, 3)),
    "a^-2": (1, lambda a: a ** -2, (0.3, 3)),
    "exp a": (1, torch.exp, (-3, 3)),
    "ln a": (1, torch.log, (0.1, 5)),
    "tanh a": (1, torch.tanh, (-3, 3)),
    "sigmoid a": (1, torch.sigmoid, (-6, 6)),
    "relu a": (1, torch.relu, (-3, 3)),
    # a composite, in the spirit of micrograd's test_more_ops
    "composite": (2, lambda a, b: ((a * b + b ** 3).tanh() + (a - b).exp() / (1 + b ** 2)
                                   - torch.log(a * a + 1) * torch.sigmoid(b) + torch.relu(a + b)),
                  (-2, 2)),
}


def value_ops():
    cases = []
    for name, (arity, f, (lo, hi)) in OPS.items():
        for _ in range(4):
            xs = (torch.rand(arity) * (hi - lo) + lo).tolist()
            if name == "relu a" and abs(xs[0]) < 1e-3:
                xs[0] = 0.5
            ins = [leaf(v) for v in xs]
            out = f(*ins)
            out.backward()
            cases.append(dict(op=name, inputs=xs, value=out.item(),
                              grad=[t.grad.item() for t in ins]))
    write("value_ops.json", {"cases": cases})


def tape_mlp():
    n, n_in, n_hidden = 6, 3, 5
    acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
    cases = []
    for act_name, act in acts.items():
        for loss_name in ("mse", "ce_logits", "ce_logits_soft"):
            n_out = 2 if loss_name == "mse" else 4
            x = torch.randn(n, n_in)
            w1 = (torch.randn(n_hidden, n_in) * 0.8).requires_grad_()
            b1 = (torch.randn(n_hidden) * 0.5).requires_grad_()
            w2 = (torch.randn(n_out, n_hidden) * 0.8).requires_grad_()
            b2 = (torch.randn(n_out) * 0.5).requires_grad_()
            if loss_name == "mse":
                target = torch.randn(n, n_out)
            elif loss_name == "ce_logits":
                labels = torch.randint(0, n_out, (n,))
                target = torch.nn.functional.one_hot(labels, n_out).to(torch.float64)
            else:
                target = torch.softmax(torch.randn(n, n_out), dim=1)
            h = act(x @ w1.T + b1)
            out = h @ w2.T + b2
            if loss_name == "mse":
                loss = torch.nn.functional.mse_loss(out, target)  # mean over n·k
            else:
                # probability targets: Σ_k −t log softmax, averaged over n
                loss = torch.nn.functional.cross_entropy(out, target)
            loss.backward()
            cases.append(dict(
                activation=act_name, loss=loss_name.replace("_soft", ""),
                x=x.tolist(), target=target.tolist(),
                w1=w1.tolist(), b1=b1.tolist(), w2=w2.tolist(), b2=b2.tolist(),
                loss_value=loss.item(),
                grad_w1=w1.grad.tolist(), grad_b1=b1.grad.tolist(),
                grad_w2=w2.grad.tolist(), grad_b2=b2.grad.tolist()))
    write("tape_mlp.json", {"cases": cases})


if __name__ == "__main__":
    lecture()
    value_ops()
    tape_mlp()
