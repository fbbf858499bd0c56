"""Reference learning rates from torch.optim.lr_scheduler for
crates/schedulers/tests/torch_reference.rs.

Run from anywhere:  python3 crates/schedulers/reference/generate.py
Writes schedules.json beside this script.

Each case holds our ScheduleConfig (JSON, as the Rust side deserializes it)
and PyTorch's learning rate at steps 0..n-1: the value get_last_lr() reports
before optimizer step t, i.e. after t calls of scheduler.step().
CosineAnnealingLR is compared on 0..T only: after T PyTorch's cosine turns
back up, ours stays at eta_min (see CosineAnnealing's docs).
"""

import json
import pathlib
import warnings

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, CyclicLR, LinearLR, StepLR

torch.set_default_dtype(torch.float64)


def learning_rates(lr, make_scheduler, steps):
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=lr)
    scheduler = make_scheduler(opt)
    out = []
    for _ in range(steps):
        out.append(scheduler.get_last_lr()[0])
        opt.step()
        scheduler.step()
    return out


def step_lr(eta0, gamma, s, steps):
    return (
        f"StepLR lr={eta0} gamma={gamma} step_size={s}",
        {"schedule": "step_decay", "eta0": eta0, "gamma": gamma, "step_size": s},
        learning_rates(eta0, lambda o: StepLR(o, step_size=s, gamma=gamma), steps),
    )


def cosine(eta_min, eta_max, T):
    return (
        f"CosineAnnealingLR lr={eta_max} eta_min={eta_min} T_max={T}",
        {"schedule": "cosine_annealing", "eta_min": eta_min, "eta_max": eta_max, "total_steps": T},
        learning_rates(eta_max, lambda o: CosineAnnealingLR(o, T_max=T, eta_min=eta_min), T + 1),
    )


def cyclic(base, peak, up, mode, steps, gamma=1.0, down=None):
    policy = {"mode": mode}
    if mode == "exp_range":
        policy["gamma"] = gamma
    config = {"schedule": "cyclic", "base_lr": base, "max_lr": peak, "step_size": up, "policy": policy}
    if down is not None:
        config["step_size_down"] = down
    make = lambda o: CyclicLR(
        o, base_lr=base, max_lr=peak, step_size_up=up, step_size_down=down,
        mode=mode, gamma=gamma, cycle_momentum=False,
    )
    return (
        f"CyclicLR {mode} base={base} max={peak} up={up} down={down} gamma={gamma}",
        config,
        learning_rates(base, make, steps),
    )


def linear(eta, start_factor, W, steps):
    return (
        f"LinearLR lr={eta} start_factor={start_factor} total_iters={W}",
        {
            "schedule": "linear_warmup",
            "warmup_steps": W,
            "start_factor": start_factor,
            "then": {"schedule": "constant", "eta": eta},
        },
        learning_rates(eta, lambda o: LinearLR(o, start_factor=start_factor, total_iters=W), steps),
    )


def main():
    warnings.simplefilter("error")  # no "scheduler.step() before optimizer.step()" surprises
    cases = [
        step_lr(0.1, 0.5, 10, 60),
        step_lr(0.05, 0.9, 3, 40),
        step_lr(1.0, 0.1, 1, 8),
        cosine(0.0, 0.1, 50),
        cosine(0.01, 0.2, 37),
        cosine(1e-4, 1.0, 1),
        cyclic(0.001, 0.1, 5, "triangular", 60),
        cyclic(0.001, 0.1, 4, "triangular2", 60),
        cyclic(0.001, 0.1, 6, "exp_range", 80, gamma=0.98),
        cyclic(0.0, 0.5, 3, "triangular", 40, down=7),
        cyclic(0.01, 0.3, 2, "triangular2", 40, down=5),
        linear(0.1, 0.1, 10, 30),
        linear(0.05, 1.0 / 3.0, 5, 20),
        linear(0.2, 1.0, 4, 10),
    ]
    out = {
        "generator": "crates/schedulers/reference/generate.py",
        "torch": torch.__version__,
        "cases": [{"name": n, "config": c, "learning_rates": lrs} for n, c, lrs in cases],
    }
    path = pathlib.Path(__file__).with_name("schedules.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
