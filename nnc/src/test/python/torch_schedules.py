#!/usr/bin/env python3
"""PyTorch reference fixture (float64) for nnc's learning rate schedules and clip_norm.

Writes nnc/src/test/resources/torch/schedules.json:
  rates  the learning rate of every epoch under each schedule, from torch.optim.lr_scheduler
         stepped once per epoch, for a base rate; beyond a cosine's `epochs` torch's rate climbs
         back up, so `clamped_after` says from which epoch on nnc holds min_lr instead.
  cases  trajectories of the network of torch_reference.py (h = tanh(W1 @ x + b1),
         out = W2 @ h + b2, loss = mse(out, y); 6 samples, batches of 4, no shuffle) under a
         schedule and/or clip_norm: per step the batch loss (before the update), the global
         gradient norm (before clipping) and the parameters (after the update); per epoch its
         learning rate; and the model's `.nn` source, so a Java test compiles exactly that model.

The torch compositions nnc's schedules equal (N = steps of the warmup):
  step(every, gamma)         StepLR(step_size=every, gamma=gamma)
  cosine(epochs, min_lr)     CosineAnnealingLR(T_max=epochs, eta_min=min_lr), held at min_lr
                             from epoch `epochs` on (0-based; torch's would rise again)
  warmup(steps = N, then=S)  SequentialLR([LinearLR(start_factor=1/(N+1), end_factor=1,
                             total_iters=N), S], milestones=[N])
  warmup(steps = N)          the same with S = ConstantLR(factor=1.0, total_iters=0)
clip_norm = c is torch.nn.utils.clip_grad_norm_(params, c) between backward() and step().

Run from the repository root, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 nnc/src/test/python/torch_schedules.py

The JSON file is checked in; the Java tests read it and do not need Python. Everything is
deterministic, so rerunning the script reproduces the file for a given torch version. The checks
at the end (asserts) verify it against the closed forms and a hand-written clipping.
"""

import json
import math
import os
import warnings

import torch

from torch_reference import (B1_INIT, B2_INIT, DATA_X, DATA_Y, PARAM_NAMES, W1_INIT, W2_INIT, batch_loss,
                             batches, fresh_params, literal, num, torch_optimizer)

torch.set_default_dtype(torch.float64)
# SequentialLR calls step(0) on the scheduler at a milestone, which torch warns about
warnings.filterwarnings("ignore", category=UserWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "torch", "schedules.json"))

L = torch.optim.lr_scheduler


def make(spec, opt):
    """The torch scheduler of a schedule written as a tuple: ("step", every, gamma),
    ("cosine", epochs, min_lr), ("warmup", steps, then or None)."""
    kind = spec[0]
    if kind == "step":
        return L.StepLR(opt, step_size=spec[1], gamma=spec[2])
    if kind == "cosine":
        return L.CosineAnnealingLR(opt, T_max=spec[1], eta_min=spec[2])
    n, then = spec[1], spec[2]
    linear = L.LinearLR(opt, start_factor=1 / (n + 1), end_factor=1.0, total_iters=n)
    after = make(then, opt) if then is not None else L.ConstantLR(opt, factor=1.0, total_iters=0)
    return L.SequentialLR(opt, [linear, after], milestones=[n])


def nn_schedule(spec):
    kind = spec[0]
    if kind == "step":
        return f"step(every = {spec[1]}, gamma = {num(spec[2])})"
    if kind == "cosine":
        return f"cosine(epochs = {spec[1]}, min_lr = {num(spec[2])})"
    then = "" if spec[2] is None else ", then = " + nn_schedule(spec[2])
    return f"warmup(steps = {spec[1]}{then})"


def clamp_epoch(spec):
    """The first epoch (1-based) whose rate nnc holds at min_lr while torch's cosine climbs, or None."""
    if spec[0] == "cosine":
        return spec[1] + 2
    if spec[0] == "warmup" and spec[2] is not None and spec[2][0] == "cosine":
        return spec[1] + spec[2][1] + 2
    return None


def torch_rates(spec, base, epochs):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    sched = make(spec, opt)
    rates = []
    for _ in range(epochs):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return rates


RATE_CASES = [
    (("step", 3, 0.5), 0.1, 20),
    (("step", 1, 0.9), 0.05, 12),
    (("cosine", 10, 0.001), 0.05, 25),
    (("cosine", 7, 0.0), 0.3, 10),
    (("cosine", 1, 0.01), 0.1, 4),
    (("warmup", 4, ("cosine", 10, 0.0)), 0.1, 20),
    (("warmup", 3, None), 0.01, 10),
    (("warmup", 1, None), 0.2, 4),
    (("warmup", 2, ("step", 3, 0.1)), 0.5, 12),
    (("warmup", 5, ("cosine", 3, 0.002)), 0.02, 12),
]


def rates_fixture():
    out = []
    for spec, base, epochs in RATE_CASES:
        out.append({"schedule": nn_schedule(spec), "base": base, "rates": torch_rates(spec, base, epochs),
                    "clamped_after": clamp_epoch(spec)})
    return out


# (name, optimizer, options in .nn order, schedule or None, clip_norm or None, epochs)
CASES = [
    ("sgd_step", "sgd", [("lr", 0.2)], ("step", 2, 0.5), None, 6),
    ("adam_cosine", "adam", [("lr", 0.05)], ("cosine", 5, 0.001), None, 5),
    ("sgd_momentum_warmup_cosine", "sgd", [("lr", 0.1), ("momentum", 0.9)], ("warmup", 2, ("cosine", 4, 0.0)), None, 6),
    ("sgd_cosine_held", "sgd", [("lr", 0.2)], ("cosine", 2, 0.01), None, 5),  # held at min_lr from epoch 4
    ("adam_warmup", "adam", [("lr", 0.02)], ("warmup", 3, None), None, 5),
    ("sgd_warmup_step", "sgd", [("lr", 0.3)], ("warmup", 2, ("step", 2, 0.1)), None, 6),
    ("sgd_clip", "sgd", [("lr", 0.1)], None, 0.1, 3),
    ("adam_no_clip", "adam", [("lr", 0.01)], None, 100.0, 3),
    ("sgd_wd_clip_cosine", "sgd", [("lr", 0.1), ("momentum", 0.9), ("weight_decay", 0.01)], ("cosine", 4, 0.0), 0.5, 4),
    ("adamw_clip_step", "adamw", [("lr", 0.02), ("weight_decay", 0.1)], ("step", 1, 0.7), 0.2, 4),
    ("rmsprop_clip", "rmsprop", [("lr", 0.01)], None, 0.3, 3),
]


def nn_source(optimizer, schedule, clip, epochs):
    lines = [
        "model sched {",
        "    input  x[3]",
        "    target y[2]",
        f"    param W1[4, 3] = {literal(W1_INIT)}",
        f"    param b1[4]    = {literal(B1_INIT)}",
        f"    param W2[2, 4] = {literal(W2_INIT)}",
        f"    param b2[2]    = {literal(B2_INIT)}",
        "    h    = tanh(W1 @ x + b1)",
        "    out  = W2 @ h + b2",
        "    loss = mse(out, y)",
        "    output out",
        "    data {",
        f"        x = {literal(DATA_X)}",
        f"        y = {literal(DATA_Y)}",
        "    }",
        "    train {",
        f"        optimizer = {optimizer}",
        f"        epochs    = {epochs}",
        "        batch     = 4",
        "        shuffle   = false",
        "        dtype     = f64",
    ]
    if schedule is not None:
        lines.append(f"        schedule  = {nn_schedule(schedule)}")
    if clip is not None:
        lines.append(f"        clip_norm = {num(clip)}")
    return "\n".join(lines + ["    }", "}", ""])


def run_case(name, opt, options, schedule, clip, epochs):
    params = fresh_params()
    optimizer = torch_optimizer(opt, options, params)
    sched = make(schedule, optimizer) if schedule is not None else None
    clamp = clamp_epoch(schedule) if schedule is not None else None
    losses, norms, snapshots, rates = [], [], [], []
    for epoch in range(1, epochs + 1):
        if clamp is not None and epoch >= clamp:
            optimizer.param_groups[0]["lr"] = schedule[2] if schedule[0] == "cosine" else schedule[2][2]
        rates.append(optimizer.param_groups[0]["lr"])
        for xs, ys in batches():
            optimizer.zero_grad()
            loss = batch_loss(params, "tanh", xs, ys)
            loss.backward()
            losses.append(loss.item())
            if clip is not None:
                norms.append(torch.nn.utils.clip_grad_norm_(params, clip).item())
            else:
                norms.append(torch.norm(torch.stack([torch.norm(p.grad) for p in params])).item())
            optimizer.step()
            snapshots.append({n: p.detach().tolist() for n, p in zip(PARAM_NAMES, params)})
        if sched is not None:
            sched.step()
    spelled = opt + "(" + ", ".join(f"{k} = {num(v)}" for k, v in options) + ")"
    return {
        "name": name,
        "nn": nn_source(spelled, schedule, clip, epochs),
        "clip_norm": clip,
        "rates": rates,
        "losses": losses,
        "norms": norms,
        "params": snapshots,
    }


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=1, allow_nan=False))
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------------------------

def closed_form(spec, base, e):
    """The rate of epoch e (0-based) from the formulas nnc documents."""
    kind = spec[0]
    if kind == "step":
        return base * spec[2] ** (e // spec[1])
    if kind == "cosine":
        t, lo = spec[1], spec[2]
        return lo + (base - lo) * (1 + math.cos(math.pi * min(e, t) / t)) / 2
    n, then = spec[1], spec[2]
    if e < n:
        return base * (e + 1) / (n + 1)
    return base if then is None else closed_form(then, base, e - n)


def check(fixture):
    for r, (spec, base, epochs) in zip(fixture["rates"], RATE_CASES):
        clamp = r["clamped_after"]
        for e, rate in enumerate(r["rates"]):
            if clamp is not None and e + 1 >= clamp:
                continue
            want = closed_form(spec, base, e)
            assert abs(rate - want) <= 1e-15 * base, (r["schedule"], e, rate, want)
        if clamp is not None and clamp <= epochs:
            # torch's cosine climbs back up where nnc holds: the test needs a case that shows it
            assert r["rates"][clamp - 1] > r["rates"][clamp - 2], r["schedule"]
    assert any(r["clamped_after"] is not None and r["clamped_after"] <= len(r["rates"]) for r in fixture["rates"])

    cases = {c["name"]: c for c in fixture["cases"]}
    for c in cases.values():
        steps = 2 * len(c["rates"])
        assert len(c["losses"]) == steps and len(c["params"]) == steps and len(c["norms"]) == steps, c["name"]
        assert all(math.isfinite(v) for v in c["losses"])
    # clipping really happens in the clipping cases, and never in adam_no_clip
    for name in ("sgd_clip", "sgd_wd_clip_cosine", "adamw_clip_step", "rmsprop_clip"):
        c = cases[name]
        assert sum(n > c["clip_norm"] for n in c["norms"]) >= 2, name
    assert all(n < 100.0 for n in cases["adam_no_clip"]["norms"])

    # sgd_clip, first step by hand: p1 = p0 - lr * g * c / (|g| + 1e-6), with g from autograd
    c = cases["sgd_clip"]
    ps = [torch.tensor(v).requires_grad_() for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT)]
    xs, ys = batches()[0]
    grads = torch.autograd.grad(batch_loss(ps, "tanh", xs, ys), ps)
    total = math.sqrt(sum((g ** 2).sum().item() for g in grads))
    assert abs(total - c["norms"][0]) < 1e-14 * total
    coef = 0.1 / (total + 1e-6)
    assert coef < 1
    for n, p, g in zip(PARAM_NAMES, ps, grads):
        want = (p - 0.1 * g * coef).detach()
        diff = (want - torch.tensor(c["params"][0][n])).abs().max().item()
        assert diff < 1e-15, (n, diff)

    # adam_no_clip equals adam without clipping: the same as a plain run of the same optimizer
    plain = run_case("plain", "adam", [("lr", 0.01)], None, None, 3)
    assert plain["params"] == cases["adam_no_clip"]["params"]
    # the schedules change the trajectory: sgd_step's rates are not all the same
    assert len(set(cases["sgd_step"]["rates"])) == 3
    assert cases["sgd_cosine_held"]["rates"][2:] == [0.01, 0.01, 0.01]


def main():
    fixture = {
        "generated_by": "nnc/src/test/python/torch_schedules.py",
        "torch": torch.__version__,
        "rates": rates_fixture(),
        "cases": [run_case(*c) for c in CASES],
    }
    write_json(OUT, fixture)
    with open(OUT, encoding="utf-8") as f:
        check(json.load(f))
    print("wrote", OUT, "(torch", torch.__version__ + "); all checks passed")


if __name__ == "__main__":
    main()
