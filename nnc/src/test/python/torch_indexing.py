#!/usr/bin/env python3
"""PyTorch reference fixture (float64) for nnc's indexing and slicing (language.md section 9).

Writes nnc/src/test/resources/torch/indexing.json: for each case, a whole `.nn` model that indexes
an input (x[1:5]), a hidden layer feeding another layer (h[1:4]), a parameter's column (W1[:2, 0],
W2[:, 0]), a block (W2[0:2, 1:3]) and the output in the loss (out[0], out[-1]), with the trajectory
torch computes for it: 6 optimizer steps (3 epochs of 6 samples in batches of 4, no shuffle), per
step the batch loss (before the update) and the parameters (after it), plus the first batch's
gradients. TorchIndexingTest compiles each model with nnc and compares.

Run from the repository root, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 nnc/src/test/python/torch_indexing.py

Deterministic (literal values only): rerunning reproduces the file for a given torch version.
"""

import json
import os

import torch

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "torch", "indexing.json"))

XS = [[0.5, -1.0, 2.0, 0.3, -0.7, 1.2],
      [1.5, 0.2, -0.4, 0.9, 0.1, -1.1],
      [-0.3, 0.8, 0.6, -1.2, 0.4, 0.7],
      [0.9, -0.5, 0.1, 0.2, 1.3, -0.2],
      [-1.0, 0.4, -0.8, 0.5, -0.6, 0.3],
      [0.2, 1.1, 0.9, -0.3, 0.8, -0.9]]
YS = [[0.3, -0.2], [0.8, 0.1], [-0.5, 0.4], [0.1, 0.9], [-0.2, -0.6], [0.6, 0.2]]

INIT = {
    "W1": [[0.1, -0.2, 0.3, 0.05], [-0.4, 0.25, 0.1, -0.15], [0.2, 0.3, -0.35, 0.4],
           [-0.1, 0.15, 0.2, -0.3], [0.35, -0.05, -0.2, 0.1]],
    "b1": [0.05, -0.1, 0.15, 0.0, -0.05],
    "W2": [[0.3, -0.25, 0.2], [-0.15, 0.4, 0.1]],
    "b2": [0.1, -0.2],
}

# The forward pass of each case: torch's indexing, as the .nn text writes it.
def forward_a(p, x, y):
    h = torch.tanh(p["W1"] @ x[1:5] + p["b1"])
    out = p["W2"] @ h[1:4] + p["b2"] + p["W1"][:2, 0]
    return (out[0] - y[0]) ** 2 + 0.5 * (out[-1] - y[1]) ** 2


def forward_b(p, x, y):
    h = torch.sigmoid(p["W1"] @ x[-4:] + p["b1"])
    out = p["W2"] @ h[:3] + p["b2"] * p["W2"][:, 0]
    return torch.mean((out - y) ** 2) + 0.1 * torch.sum(p["W2"][0:2, 1:3] ** 2) + 0.05 * h[2] * p["W1"][1].sum()


CASES = [
    ("slices_sgd", forward_a, "sgd", {"lr": 0.1}, """
    h    = tanh(W1 @ x[1:5] + b1)
    out  = W2 @ h[1:4] + b2 + W1[:2, 0]
    loss = (out[0] - y[0])^2 + 0.5 * (out[-1] - y[1])^2"""),
    ("slices_adam", forward_b, "adam", {"lr": 0.05}, """
    h    = sigmoid(W1 @ x[-4:] + b1)
    out  = W2 @ h[:3] + b2 * W2[:, 0]
    loss = mse(out, y) + 0.1 * sum(W2[0:2, 1:3]^2) + 0.05 * h[2] * sum(W1[1])"""),
]


def literal(v):
    if isinstance(v, list):
        return "[" + ", ".join(literal(e) for e in v) + "]"
    return repr(float(v))


def nn_source(name, body, optimizer, options):
    params = "\n".join(
        "    param %s[%s] = %s" % (n, ", ".join(str(d) for d in torch.tensor(v).shape), literal(v))
        for n, v in INIT.items())
    opts = ", ".join("%s = %r" % kv for kv in options.items())
    return """model %s {
    input  x[6]
    target y[2]
%s
%s
    output out

    data {
        x = %s
        y = %s
    }
    train {
        optimizer = %s(%s)
        epochs    = 3
        batch     = 4
        dtype     = f64
    }
}
""" % (name, params, body.strip("\n"), literal(XS), literal(YS), optimizer, opts)


def run_case(name, forward, optimizer, options, body):
    params = {n: torch.tensor(v, requires_grad=True) for n, v in INIT.items()}
    opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[optimizer](list(params.values()), **options)
    xs = torch.tensor(XS)
    ys = torch.tensor(YS)
    losses, snapshots, gradients = [], [], None
    for _ in range(3):
        for start in range(0, len(XS), 4):
            end = min(start + 4, len(XS))
            opt.zero_grad()
            loss = sum(forward(params, xs[i], ys[i]) for i in range(start, end)) / (end - start)
            loss.backward()
            if gradients is None:
                gradients = {n: p.grad.tolist() for n, p in params.items()}
            opt.step()
            losses.append(loss.item())
            snapshots.append({n: p.detach().tolist() for n, p in params.items()})
    return {"name": name, "nn": nn_source(name, body, optimizer, options), "losses": losses,
            "gradients": gradients, "params": snapshots}


def check(cases):
    """Torch's autograd of the slices against central differences, so the fixture is right itself."""
    for name, forward, _, _, _ in CASES:
        params = {n: torch.tensor(v, requires_grad=True) for n, v in INIT.items()}
        x, y = torch.tensor(XS[0]), torch.tensor(YS[0])
        forward(params, x, y).backward()
        for n, p in params.items():
            flat = p.detach().reshape(-1)
            for k in range(flat.numel()):
                def at(delta):
                    q = {m: v.detach().clone() for m, v in params.items()}
                    q[n].view(-1)[k] += delta
                    return forward(q, x, y).item()
                numeric = (at(1e-6) - at(-1e-6)) / 2e-6
                assert abs(numeric - p.grad.reshape(-1)[k].item()) < 1e-7, (name, n, k)
    for c in cases:
        assert len(c["losses"]) == 6 and len(c["params"]) == 6, c["name"]


def main():
    cases = [run_case(*c) for c in CASES]
    check(cases)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1, allow_nan=False))
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
