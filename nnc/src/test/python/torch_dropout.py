#!/usr/bin/env python3
"""PyTorch reference fixture (float64) for nnc's dropout: dropout.json.

Given explicit masks, torch's loss and gradients of a small model with two dropouts, each written as
torch's nn.Dropout computes it in training (inverted dropout): x * keep / (1 - p), keep 0 or 1.

    h1  = tanh(h1.W @ x + h1.b);   d1 = dropout(h1, 0.25)
    h2  = relu(h2.W @ d1 + h2.b);  d2 = dropout(h2, 0.5)
    out = out.W @ d2 + out.b;      loss = mse(out, y), the batch mean

The keep decisions are in the order nnc draws them: sample by sample, in each sample d1's mask then
d2's, elements in order. The fixture holds the parameters, the batch, the keeps, the batch's mean
loss and mean gradients; the Java test (DropoutTest) sets those parameters, scripts those keeps into
the generated trainer and compares. The script also checks nn.Dropout itself: with torch's own
random mask, its output is exactly x * keep / (1 - p).

Run from the repository root, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 nnc/src/test/python/torch_dropout.py
Deterministic (a seeded torch.Generator), so rerunning reproduces the file for a torch version.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "torch", "dropout.json"))

P1, P2 = 0.25, 0.5
SAMPLES, N_IN, N_H1, N_H2, N_OUT = 5, 6, 8, 5, 3

g = torch.Generator().manual_seed(17)


def uniform(*shape, scale=1.0):
    return (torch.rand(*shape, generator=g) * 2 - 1) * scale


params = {
    "h1.W": uniform(N_H1, N_IN, scale=0.6),
    "h1.b": uniform(N_H1, scale=0.2),
    "h2.W": uniform(N_H2, N_H1, scale=0.6),
    "h2.b": uniform(N_H2, scale=0.2) + 0.1,
    "out.W": uniform(N_OUT, N_H2, scale=0.6),
    "out.b": uniform(N_OUT, scale=0.2),
}
x = uniform(SAMPLES, N_IN, scale=1.5)
y = uniform(SAMPLES, N_OUT)
keep1 = (torch.rand(SAMPLES, N_H1, generator=g) >= P1).double()
keep2 = (torch.rand(SAMPLES, N_H2, generator=g) >= P2).double()


def loss_of(p, keep1, keep2):
    h1 = torch.tanh(x @ p["h1.W"].T + p["h1.b"])
    d1 = h1 * keep1 / (1 - P1)
    h2 = torch.relu(d1 @ p["h2.W"].T + p["h2.b"])
    d2 = h2 * keep2 / (1 - P2)
    out = d2 @ p["out.W"].T + p["out.b"]
    per_sample = ((out - y) ** 2).mean(dim=1)
    return per_sample.mean(), h2


leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
loss, h2 = loss_of(leaves, keep1, keep2)
loss.backward()
# relu's kinks: no pre-activation sits at 0, so the derivative is the same from both sides
assert (h2.detach() != 0).any()

# nn.Dropout in training is x * keep / (1 - p) with a 0/1 keep: the formula the fixture uses
drop = torch.nn.Dropout(P2)
drop.train()
z = torch.rand(1000, generator=g) + 0.5
torch.manual_seed(3)
dz = drop(z)
kept = dz != 0
assert torch.equal(dz[kept], z[kept] / (1 - P2))
assert 0.4 < kept.double().mean().item() < 0.6
drop.eval()
assert torch.equal(drop(z), z)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


doc = {
    "about": "nnc/src/test/python/torch_dropout.py: mse of a 6-8-5-3 net with dropout 0.25 after tanh and 0.5 after relu; "
             "keeps in nnc's draw order (per sample: d1's mask, then d2's); float64; torch " + torch.__version__,
    "p": [P1, P2],
    "samples": SAMPLES,
    "x": [flat(r) for r in x],
    "y": [flat(r) for r in y],
    "keeps": [flat(keep1[s]) + flat(keep2[s]) for s in range(SAMPLES)],
    "params": {k: flat(v) for k, v in params.items()},
    "loss": float(loss.item()),
    "gradients": {k: flat(v.grad) for k, v in leaves.items()},
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print("wrote", OUT, "loss", doc["loss"])
