#!/usr/bin/env python3
"""PyTorch reference fixtures (float64) for nnc's Java tests.

Writes, into nnc/src/test/resources/torch/:
  activations.json   value and autograd derivative of gelu (erf form), silu, elu (alpha 1 and
                     0.5), leaky_relu (slope 0.01 and 0.2) and softplus at fixed points.
  trajectories.json  6 optimizer steps (3 epochs, batch 4, no shuffle, partial last batch) of the
                     network  h = ACT(W1 @ x + b1), out = W2 @ h + b2, loss = mse(out, y)  for
                     several optimizers and activations: per step the batch loss (before the
                     update) and the parameters (after it), plus the first batch's gradients and
                     the model's full `.nn` source, so a Java test compiles exactly that model.

Run from the repository root, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 nnc/src/test/python/torch_reference.py

The JSON files are checked in; the Java tests read them and do not need Python. Everything is
deterministic (fixed literal values, no random numbers), so rerunning the script reproduces the
files byte for byte for a given torch version. The checks at the end of the script (asserts)
verify the output against hand-written formulas and finite differences.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "torch"))

# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------

POINTS = [-30.0, -5.0, -2.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.0, 5.0, 30.0]

# name -> function of a tensor; the names are the keys of activations.json.
ACTIVATIONS = [
    ("gelu", lambda z: F.gelu(z, approximate="none")),
    ("silu", lambda z: F.silu(z)),
    ("elu", lambda z: F.elu(z, alpha=1.0)),
    ("elu_0.5", lambda z: F.elu(z, alpha=0.5)),
    ("leaky_relu", lambda z: F.leaky_relu(z, 0.01)),
    ("leaky_relu_0.2", lambda z: F.leaky_relu(z, 0.2)),
    ("softplus", lambda z: F.softplus(z)),  # beta 1, threshold 20
]
ACT_FN = dict(ACTIVATIONS)
ACT_FN["tanh"] = torch.tanh


def value_and_derivative(fn, points):
    x = torch.tensor(points, requires_grad=True)
    y = fn(x)
    # Elementwise function: the gradient of sum(f(x)) is f'(x) at each point.
    (g,) = torch.autograd.grad(y.sum(), x)
    return y.detach().tolist(), g.tolist()


def activations_fixture():
    functions = {}
    for name, fn in ACTIVATIONS:
        value, derivative = value_and_derivative(fn, POINTS)
        functions[name] = {"value": value, "derivative": derivative}
    return {"points": POINTS, "functions": functions}


# ---------------------------------------------------------------------------------------------
# Training trajectories
# ---------------------------------------------------------------------------------------------

W1_INIT = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.15, -0.25, 0.35]]
B1_INIT = [0.01, -0.02, 0.03, -0.04]
W2_INIT = [[0.2, -0.3, 0.4, -0.5], [0.6, 0.7, -0.8, 0.9]]
B2_INIT = [0.05, -0.05]

DATA_X = [[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.8, 0.9, 0.1],
          [0.3, 0.3, 0.3], [2.0, -1.5, 0.5], [-0.2, -0.4, 1.2]]
DATA_Y = [[0.1, 0.9], [0.5, -0.5], [1.0, 0.0], [-0.3, 0.2], [0.7, 0.7], [0.0, -1.0]]

EPOCHS = 3
BATCH = 4
PARAM_NAMES = ["W1", "b1", "W2", "b2"]

# Activation key -> (its spelling in the fixture's "activation" field, the hidden layer in .nn).
ACT_NN = {
    "tanh": ("tanh", "tanh(W1 @ x + b1)"),
    "gelu": ("gelu", "gelu(W1 @ x + b1)"),
    "silu": ("silu", "silu(W1 @ x + b1)"),
    "elu": ("elu", "elu(W1 @ x + b1)"),
    "elu_0.5": ("elu(z, 0.5)", "elu(W1 @ x + b1, 0.5)"),
    "leaky_relu": ("leaky_relu", "leaky_relu(W1 @ x + b1)"),
    "leaky_relu_0.2": ("leaky_relu(z, 0.2)", "leaky_relu(W1 @ x + b1, 0.2)"),
    "softplus": ("softplus", "softplus(W1 @ x + b1)"),
}

# Optimizers: nnc name -> torch class. Options are written once, with their nnc names, and both
# the torch constructor arguments and the .nn spelling are derived from them.
OPT_CLASS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
}

# (case name, activation key, optimizer name, [(option, value), ...] in .nn order)
CASES = [
    ("sgd_wd", "tanh", "sgd", [("lr", 0.1), ("weight_decay", 0.1)]),
    ("sgd_momentum_wd", "tanh", "sgd", [("lr", 0.1), ("momentum", 0.9), ("weight_decay", 0.01)]),
    ("sgd_nesterov", "tanh", "sgd",
     [("lr", 0.1), ("momentum", 0.9), ("nesterov", True), ("weight_decay", 0.01)]),
    ("adam_wd", "tanh", "adam", [("lr", 0.01), ("weight_decay", 0.01)]),
    ("adamw", "tanh", "adamw", [("lr", 0.01)]),  # torch's AdamW default weight_decay is 0.01
    ("adamw_custom", "tanh", "adamw",
     [("lr", 0.01), ("beta1", 0.8), ("beta2", 0.9), ("eps", 1e-6), ("weight_decay", 0.1)]),
    ("rmsprop", "tanh", "rmsprop", [("lr", 0.01)]),  # alpha 0.99, eps 1e-8, momentum 0
    ("rmsprop_momentum", "tanh", "rmsprop", [("lr", 0.01), ("alpha", 0.9), ("momentum", 0.9)]),
    ("act_gelu", "gelu", "sgd", [("lr", 0.1)]),
    ("act_silu", "silu", "sgd", [("lr", 0.1)]),
    ("act_elu", "elu", "sgd", [("lr", 0.1)]),
    ("act_elu_0.5", "elu_0.5", "sgd", [("lr", 0.1)]),
    ("act_leaky_relu", "leaky_relu", "sgd", [("lr", 0.1)]),
    ("act_leaky_relu_0.2", "leaky_relu_0.2", "sgd", [("lr", 0.1)]),
    ("act_softplus", "softplus", "sgd", [("lr", 0.1)]),
]


def num(v):
    """A number as the .nn source writes it: Python's repr, which round-trips exactly."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(float(v))


def literal(v):
    if isinstance(v, list):
        return "[" + ", ".join(literal(e) for e in v) + "]"
    return num(v)


def nn_optimizer(opt, options):
    return opt + "(" + ", ".join(f"{k} = {num(v)}" for k, v in options) + ")"


def torch_optimizer(opt, options, params):
    kwargs = dict(options)
    if "beta1" in kwargs or "beta2" in kwargs:
        kwargs["betas"] = (kwargs.pop("beta1", 0.9), kwargs.pop("beta2", 0.999))
    return OPT_CLASS[opt](params, **kwargs)


def nn_source(act, optimizer):
    _, hidden = ACT_NN[act]
    return "\n".join([
        "model traj {",
        "    input  x[3]",
        "    target y[2]",
        f"    param W1[4, 3] = {literal(W1_INIT)}",
        f"    param b1[4]    = {literal(B1_INIT)}",
        f"    param W2[2, 4] = {literal(W2_INIT)}",
        f"    param b2[2]    = {literal(B2_INIT)}",
        f"    h    = {hidden}",
        "    out  = W2 @ h + b2",
        "    loss = mse(out, y)",
        "    output out",
        "    data {",
        f"        x = {literal(DATA_X)}",
        f"        y = {literal(DATA_Y)}",
        "    }",
        "    train {",
        f"        optimizer = {optimizer}",
        f"        epochs    = {EPOCHS}",
        f"        batch     = {BATCH}",
        "        shuffle   = false",
        "        dtype     = f64",
        "    }",
        "}",
        "",
    ])


def batch_loss(params, act, xs, ys):
    """Mean over the batch of each sample's mse (mean over its 2 outputs)."""
    W1, b1, W2, b2 = params
    fn = ACT_FN[act]
    losses = []
    for x, y in zip(xs, ys):
        h = fn(W1 @ x + b1)
        out = W2 @ h + b2
        losses.append(torch.mean((out - y) ** 2))
    return torch.stack(losses).mean()


def batches():
    n = len(DATA_X)
    X = torch.tensor(DATA_X)
    Y = torch.tensor(DATA_Y)
    return [(X[i:i + BATCH], Y[i:i + BATCH]) for i in range(0, n, BATCH)]


def fresh_params():
    return [torch.nn.Parameter(torch.tensor(v)) for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT)]


def run_case(name, act, opt, options):
    params = fresh_params()
    optimizer = torch_optimizer(opt, options, params)
    losses, snapshots, first_grads = [], [], None
    for _ in range(EPOCHS):
        for xs, ys in batches():
            optimizer.zero_grad()
            loss = batch_loss(params, act, xs, ys)
            loss.backward()
            losses.append(loss.item())
            if first_grads is None:
                first_grads = {n: p.grad.tolist() for n, p in zip(PARAM_NAMES, params)}
            optimizer.step()
            snapshots.append({n: p.detach().tolist() for n, p in zip(PARAM_NAMES, params)})
    spelled = nn_optimizer(opt, options)
    return {
        "name": name,
        "activation": ACT_NN[act][0],
        "optimizer": spelled,
        "nn": nn_source(act, spelled),
        "losses": losses,
        "gradients": first_grads,
        "params": snapshots,
    }


def trajectories_fixture():
    return {
        "generated_by": "nnc/src/test/python/torch_reference.py",
        "torch": torch.__version__,
        "cases": [run_case(*c) for c in CASES],
    }


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=1, allow_nan=False))
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------------------------

def reference_step(opt, o, p, g, s, t):
    """One update of one element p with gradient g, the optimizer state s (a dict) and step
    count t (1, 2, ...): torch's single-tensor update rules (dampening 0, amsgrad off, centered
    off), written out. Returns the new p."""
    lr, wd = o["lr"], o.get("weight_decay", 0.01 if opt == "adamw" else 0.0)
    if opt == "sgd":
        mom = o.get("momentum", 0.0)
        d = g + wd * p
        if mom != 0:
            s["buf"] = d if t == 1 else mom * s["buf"] + d   # buffer starts as the first d
            d = d + mom * s["buf"] if o.get("nesterov", False) else s["buf"]
        return p - lr * d
    if opt in ("adam", "adamw"):
        b1, b2, eps = o.get("beta1", 0.9), o.get("beta2", 0.999), o.get("eps", 1e-8)
        if opt == "adam":
            g = g + wd * p                  # L2: decay added to the gradient
        else:
            p = p * (1 - lr * wd)           # decoupled: parameter shrunk first
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        step_size = lr / (1 - b1 ** t)
        denom = math.sqrt(s["v"]) / math.sqrt(1 - b2 ** t) + eps
        return p - step_size * s["m"] / denom
    if opt == "rmsprop":
        alpha, eps, mom = o.get("alpha", 0.99), o.get("eps", 1e-8), o.get("momentum", 0.0)
        g = g + wd * p
        s["sq"] = alpha * s.get("sq", 0.0) + (1 - alpha) * g * g
        avg = math.sqrt(s["sq"]) + eps      # eps outside the square root
        if mom > 0:
            s["buf"] = mom * s.get("buf", 0.0) + g / avg
            return p - lr * s["buf"]
        return p - lr * g / avg
    raise ValueError(opt)


def replay_case(c):
    name, act, opt, options = next(k for k in CASES if k[0] == c["name"])
    o = dict(options)
    values = [torch.tensor(v).reshape(-1).tolist() for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT)]
    shapes = [torch.tensor(v).shape for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT)]
    states = [[{} for _ in v] for v in values]
    t = 0
    for _ in range(EPOCHS):
        for xs, ys in batches():
            t += 1
            ps = [torch.tensor(v).reshape(sh).requires_grad_() for v, sh in zip(values, shapes)]
            loss = batch_loss(ps, act, xs, ys)
            grads = torch.autograd.grad(loss, ps)
            assert abs(loss.item() - c["losses"][t - 1]) < 1e-14, (name, t)
            values = [[reference_step(opt, o, p, g, s, t)
                       for p, g, s in zip(v, gr.reshape(-1).tolist(), st)]
                      for v, gr, st in zip(values, grads, states)]
            for n, v in zip(PARAM_NAMES, values):
                want = torch.tensor(c["params"][t - 1][n]).reshape(-1).tolist()
                diff = max(abs(a - b) for a, b in zip(v, want))
                assert diff < 1e-14, (name, t, n, diff)


def check(activations, trajectories):
    cases = {c["name"]: c for c in trajectories["cases"]}
    assert len(cases) == len(CASES)
    for c in cases.values():
        assert len(c["losses"]) == 6 and len(c["params"]) == 6, c["name"]

    # sgd_wd, first step by hand: p1 = p0 - lr * (g + wd * p0), with g from autograd ...
    # torch computes both steps as add(a, b, alpha=k), which its vectorized CPU kernels (AVX2)
    # evaluate as a fused multiply-add a + k*b with one rounding. So the result is bit-equal to
    # those torch ops, and within 1 ulp of the unfused formula (with AVX2 here it is exactly
    # fma(-lr, fma(wd, p0, g), p0); one element of W2 differs from the unfused one by 1 ulp).
    c = cases["sgd_wd"]
    init = dict(zip(PARAM_NAMES, (W1_INIT, B1_INIT, W2_INIT, B2_INIT)))
    for n in PARAM_NAMES:
        p0 = torch.tensor(init[n])
        g = torch.tensor(c["gradients"][n])
        got = torch.tensor(c["params"][0][n])
        same_ops = p0.add(g.add(p0, alpha=0.1), alpha=-0.1)
        assert torch.equal(got, same_ops), n
        formula = p0 - 0.1 * (g + 0.1 * p0)
        for a, b in zip(got.reshape(-1).tolist(), formula.reshape(-1).tolist()):
            assert abs(a - b) <= math.ulp(b), (n, a, b)

    # ... and g itself by hand-written backpropagation (no autograd) on samples 0-3.
    W1, b1, W2, b2 = (torch.tensor(v) for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT))
    X, Y = torch.tensor(DATA_X[:4]), torch.tensor(DATA_Y[:4])
    z = X @ W1.T + b1                      # [4 samples, 4 hidden]
    h = torch.tanh(z)
    out = h @ W2.T + b2                    # [4, 2]
    loss = ((out - Y) ** 2).mean()
    dout = 2 * (out - Y) / out.numel()     # d loss / d out: mean over 2 outputs and 4 samples
    dz = (dout @ W2) * (1 - h ** 2)
    hand = {"W1": dz.T @ X, "b1": dz.sum(0), "W2": dout.T @ h, "b2": dout.sum(0)}
    assert abs(loss.item() - c["losses"][0]) < 1e-15
    for n in PARAM_NAMES:
        diff = (hand[n] - torch.tensor(c["gradients"][n])).abs().max().item()
        assert diff < 1e-15, (n, diff)

    # act_gelu: gelu' at the points and the first batch's gradients against central differences.
    d = activations["functions"]["gelu"]["derivative"]
    for x, dx in zip(POINTS, d):
        eps = 1e-6
        fd = (F.gelu(torch.tensor(x + eps)) - F.gelu(torch.tensor(x - eps))).item() / (2 * eps)
        assert abs(fd - dx) < 1e-8, (x, fd, dx)
    c = cases["act_gelu"]
    xs, ys = batches()[0]
    for k, n in enumerate(PARAM_NAMES):
        g = torch.tensor(c["gradients"][n]).reshape(-1)
        for i in range(g.numel()):
            def loss_at(delta):
                ps = [torch.tensor(v) for v in (W1_INIT, B1_INIT, W2_INIT, B2_INIT)]
                ps[k].view(-1)[i] += delta
                return batch_loss(ps, "gelu", xs, ys).item()
            eps = 1e-6
            fd = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
            assert abs(fd - g[i].item()) < 1e-8, (n, i, fd, g[i].item())

    # Every case replayed with the update rules written out below (plain floats, only the
    # gradients come from autograd), as read from torch/optim/{sgd,adam,adamw,rmsprop}.py.
    for c in cases.values():
        replay_case(c)

    # No accidental reuse: every case ends somewhere else, and every activation case has its own
    # first loss and gradients (the tanh cases share those: same start, same data).
    finals = [json.dumps(c["params"][-1]) for c in cases.values()]
    assert len(set(finals)) == len(finals)
    for c in cases.values():
        assert len(set(json.dumps(p) for p in c["params"])) == 6, c["name"]
    act_cases = [c for c in cases.values() if c["name"].startswith("act_")]
    assert len({c["losses"][0] for c in act_cases}) == len(act_cases)
    assert len({json.dumps(c["gradients"]) for c in act_cases}) == len(act_cases)
    tanh_cases = [c for c in cases.values() if c["activation"] == "tanh"]
    assert len({c["losses"][0] for c in tanh_cases}) == 1
    assert len({c["losses"][1] for c in tanh_cases}) == len(tanh_cases)
    values = [json.dumps(f["value"]) for f in activations["functions"].values()]
    derivs = [json.dumps(f["derivative"]) for f in activations["functions"].values()]
    assert len(set(values)) == len(values) and len(set(derivs)) == len(derivs)
    for c in cases.values():
        assert f"optimizer = {c['optimizer']}" in c["nn"]
        assert all(math.isfinite(v) for v in c["losses"])


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    activations = activations_fixture()
    trajectories = trajectories_fixture()
    write_json(os.path.join(OUT_DIR, "activations.json"), activations)
    write_json(os.path.join(OUT_DIR, "trajectories.json"), trajectories)
    # Check what was written, read back from the files.
    with open(os.path.join(OUT_DIR, "activations.json"), encoding="utf-8") as f:
        activations = json.load(f)
    with open(os.path.join(OUT_DIR, "trajectories.json"), encoding="utf-8") as f:
        trajectories = json.load(f)
    check(activations, trajectories)
    print("wrote", OUT_DIR, "(torch", torch.__version__ + "); all checks passed")


if __name__ == "__main__":
    main()
