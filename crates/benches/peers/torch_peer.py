"""PyTorch running the workloads of WORKLOADS.md, one JSON line per result.

    python3 crates/benches/peers/torch_peer.py                 # everything
    python3 crates/benches/peers/torch_peer.py mlp784 --dtype f64
    python3 crates/benches/peers/torch_peer.py moons gemm

Each line is a JSON object with at least
``{"peer", "workload", "case", "dtype", "unit", "best", "median", "rounds"}``
(``unit`` is ``"s/epoch"``, ``"s/step"`` or ``"GFLOP/s"``; for GFLOP/s the
best is the highest). ``cargo run -p benches --release --bin compare`` reads
these lines and prints them beside ours.

Two ways of feeding batches are timed, because they differ a lot on small
networks and a fair comparison should name which one it uses:

* ``index``  — the data stay one tensor; each step slices a shuffled index
  (``x[perm[i:i + b]]``), the fastest plain-PyTorch loop;
* ``loader`` — ``DataLoader(TensorDataset(x, y), batch_size, shuffle=True)``,
  what tutorials write and students copy.
"""

import argparse
import json
import math
import platform
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 8
THREADS = 2
DTYPES = {"f64": torch.float64, "f32": torch.float32}


# ---------------------------------------------------------------- data


def gaussian_blobs(n=60_000, d=784, k=10, centre_std=0.1, seed=SEED):
    """WORKLOADS.md §1: centres N(0, 0.1²) first, then x = centre + N(0, 1)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, centre_std, size=(k, d))
    labels = np.arange(n) % k
    x = centres[labels] + rng.normal(0.0, 1.0, size=(n, d))
    return x, labels


def two_moons(n=1000, noise=0.1, seed=SEED):
    """WORKLOADS.md §2: class i mod 2, t ~ U[0, π), sklearn's layout, noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    t = rng.uniform(0.0, math.pi, size=n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(labels[:, None] == 0, upper, lower)
    x = x + rng.normal(0.0, noise, size=(n, 2))
    return x, labels


# ---------------------------------------------------------------- timing


def rounds_of(run, rounds):
    """One warm-up call, then `rounds` timed calls; returns (times, last result)."""
    result = run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def emit(**fields):
    base = {
        "peer": "pytorch",
        "torch": torch.__version__.split("+")[0],
        "threads": torch.get_num_threads(),
    }
    print(json.dumps({**base, **fields}), flush=True)


# ---------------------------------------------------------------- training


def epoch_runner(model, loss_fn, x, y, batch, variant, seed):
    """A function running one epoch (WORKLOADS.md) and returning (mean loss, steps)."""
    opt = torch.optim.Adam(model.parameters())  # PyTorch's defaults
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    if variant == "index":

        def run():
            perm = torch.randperm(n, generator=gen)
            total, steps = torch.zeros((), dtype=x.dtype), 0
            for i in range(0, n, batch):
                idx = perm[i : i + batch]
                total += step(x[idx], y[idx]).detach()
                steps += 1
            return total.item() / steps, steps

    else:
        loader = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True, generator=gen)

        def run():
            total, steps = torch.zeros((), dtype=x.dtype), 0
            for xb, yb in loader:
                total += step(xb, yb).detach()
                steps += 1
            return total.item() / steps, steps

    return run


def bench_mlp784(dtype_name, variant, rounds):
    dtype = DTYPES[dtype_name]
    x_np, labels = gaussian_blobs()
    x = torch.tensor(x_np, dtype=dtype)
    y = torch.tensor(labels, dtype=torch.long)
    torch.manual_seed(SEED)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(dtype)
    run = epoch_runner(model, nn.CrossEntropyLoss(), x, y, 128, variant, SEED)
    times, (loss, steps) = rounds_of(run, rounds)
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).double().mean().item()
    emit(
        workload="mlp784",
        case=f"784-256-10 epoch, {variant}",
        dtype=dtype_name,
        variant=variant,
        unit="s/epoch",
        best=min(times),
        median=statistics.median(times),
        rounds=rounds,
        steps=steps,
        last_epoch_loss=loss,
        train_accuracy=accuracy,
    )


def bench_moons(variant, rounds):
    x_np, labels = two_moons()
    x = torch.tensor(x_np, dtype=torch.float64)
    y = torch.tensor(labels, dtype=torch.float64).unsqueeze(1)
    torch.manual_seed(SEED)
    model = nn.Sequential(
        nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)
    ).double()
    run = epoch_runner(model, nn.BCEWithLogitsLoss(), x, y, 32, variant, SEED)
    times, (loss, steps) = rounds_of(run, rounds)
    emit(
        workload="moons",
        case=f"2-16-16-1 step, {variant}",
        dtype="f64",
        variant=variant,
        unit="s/step",
        best=min(times) / steps,
        median=statistics.median(times) / steps,
        rounds=rounds,
        steps=steps,
        last_epoch_loss=loss,
    )


# ---------------------------------------------------------------- GEMM

# (name, m, k, n, how to form the operands from the stored layout)
GEMM_SHAPES = [
    ("fwd1", 128, 784, 256),
    ("grad_w1", 256, 128, 784),
    ("fwd2", 128, 256, 10),
    ("grad_w2", 10, 128, 256),
    ("grad_h", 128, 10, 256),
    ("square", 1024, 1024, 1024),
]


def gemm_operands(name, m, k, n, gen):
    """Operands stored as the MLP stores them (WORKLOADS.md §3)."""

    def r(*shape):
        return torch.randn(*shape, dtype=torch.float64, generator=gen)

    if name in ("fwd1", "fwd2"):  # X (m×k) · Wᵀ, W stored out × in = n × k
        return r(m, k), r(n, k).t()
    if name in ("grad_w1", "grad_w2"):  # δᵀ · X, δ stored batch × out = k × m
        return r(k, m).t(), r(k, n)
    return r(m, k), r(k, n)  # grad_h: δ (m×k) · W (k×n); square


def bench_gemm(rounds):
    gen = torch.Generator().manual_seed(SEED)
    for name, m, k, n in GEMM_SHAPES:
        a, b = gemm_operands(name, m, k, n, gen)
        out = torch.empty(m, n, dtype=torch.float64)
        flops = 2.0 * m * k * n
        # enough repetitions for ~0.1 s per round
        reps = max(1, int(2e9 / flops))

        def run():
            for _ in range(reps):
                torch.mm(a, b, out=out)

        times, _ = rounds_of(run, rounds)
        emit(
            workload="gemm",
            case=f"{name} {m}x{k}x{n}",
            dtype="f64",
            unit="GFLOP/s",
            best=flops * reps / min(times) / 1e9,
            median=flops * reps / statistics.median(times) / 1e9,
            rounds=rounds,
        )


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "workloads", nargs="*", default=["mlp784", "moons", "gemm"],
        choices=["mlp784", "moons", "gemm"],
    )
    parser.add_argument("--dtype", choices=["f64", "f32", "both"], default="both")
    parser.add_argument(
        "--variant", choices=["index", "loader", "both"], default="both",
        help="how batches are fed (see the module doc)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after one warm-up")
    args = parser.parse_args()

    torch.set_num_threads(THREADS)
    dtypes = ["f64", "f32"] if args.dtype == "both" else [args.dtype]
    variants = ["index", "loader"] if args.variant == "both" else [args.variant]
    print(
        json.dumps({"peer": "pytorch", "info": "machine", "python": platform.python_version(),
                    "torch": torch.__version__, "threads": THREADS,
                    "mkldnn": torch.backends.mkldnn.is_available()}),
        file=sys.stderr,
    )
    for workload in args.workloads:
        if workload == "mlp784":
            for dtype in dtypes:
                for variant in variants:
                    bench_mlp784(dtype, variant, args.rounds)
        elif workload == "moons":
            for variant in variants:
                bench_moons(variant, max(args.rounds, 20))
        else:
            bench_gemm(args.rounds)


if __name__ == "__main__":
    main()
