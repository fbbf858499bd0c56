"""micrograd on the same network as benches/scalar_autograd.rs.

Forward + backward of micrograd's MLP(2, [16, 16, 1]) on one sample with the
loss (y_hat - y)**2, timed per graph node (nodes counted as micrograd's own
backward() orders them, leaves included), so that

    cargo bench -p benches --bench scalar_autograd

and

    pip install micrograd==0.1.0
    python3 crates/benches/peers/micrograd_mlp.py

measure the ratio on one machine instead of quoting it.
"""

import gc
import random
import time

from micrograd.nn import MLP


def count_nodes(root):
    """Nodes reachable from root, as micrograd's build_topo visits them."""
    seen, stack = set(), [root]
    while stack:
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(v._prev)
    return len(seen)


def step(model, x, y):
    loss = (model(x) - y) ** 2
    loss.backward()
    return loss.data


def main():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    x, y = [0.5, -1.2], 1.0
    nodes = count_nodes((model(x) - y) ** 2)

    for _ in range(20):  # warm up
        step(model, x, y)
    best = float("inf")
    repeats, rounds = 200, 5
    for _ in range(rounds):
        # micrograd's closures make reference cycles: the collector frees the
        # graphs, and its time is part of the cost, so it is left on.
        gc.collect()
        start = time.perf_counter()
        for _ in range(repeats):
            step(model, x, y)
        best = min(best, (time.perf_counter() - start) / repeats)
    print(f"micrograd 2-16-16-1 MLP: {nodes} graph nodes per sample")
    print(f"forward + backward: {best * 1e6:.1f} µs per sample, "
          f"{best * 1e6 / nodes:.2f} µs per node (best of {rounds} rounds of {repeats})")


if __name__ == "__main__":
    main()
