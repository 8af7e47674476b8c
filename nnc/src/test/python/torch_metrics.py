#!/usr/bin/env python3
"""PyTorch reference fixture (float64) for nnc's classifier metrics (eval's accuracy, precision,
recall, F1 and confusion matrix).

Writes nnc/src/test/resources/torch/metrics.json: a list of cases, each a whole `.nn` model (dtype
f64), fixed weights (as `nnc train --save` writes them), data (inputs and targets, as CSV rows), and
what torch computes for them: the outputs, the mean loss, the predicted and true classes, accuracy,
the confusion matrix (rows the true class), per-class precision, recall, F1 and the macro averages.
The Java test (TorchMetricsTest) runs `nnc eval --json` on exactly these files and compares.

Metric definitions, as scikit-learn's precision_recall_fscore_support(zero_division=0) and
torchmetrics' Multiclass*/Binary* metrics:
  precision = tp / (tp + fp), recall = tp / (tp + fn), f1 = 2 tp / (2 tp + fp + fn), each 0 when its
  denominator is 0; macro = the mean over the classes that occur among the targets or predictions.
Binary: predicted positive when the probability >= 0.5 (a logit >= 0); a target >= 0.5 is positive.

Run from the repository root, with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 nnc/src/test/python/torch_metrics.py

Deterministic (fixed literal weights, data from a seeded generator rounded to 3 decimals), so a rerun
reproduces the file byte for byte for a given torch version. The asserts at the end check the
cases cover what they are meant to: a class never predicted, a class that never occurs, an output
exactly at the threshold, a soft target.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "torch", "metrics.json"))


def data(n, width, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.round((torch.rand(n, width, generator=g) * 4 - 2) * 1000) / 1000
    return x


def confusion(actual, predicted, classes):
    return torch.bincount(actual * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def figures(m):
    m = m.to(torch.float64)
    tp = torch.diagonal(m)
    predicted = m.sum(0)
    actual = m.sum(1)

    def safe(a, b):
        return torch.where(b > 0, a / torch.where(b > 0, b, torch.ones_like(b)), torch.zeros_like(a))

    precision = safe(tp, predicted)
    recall = safe(tp, actual)
    f1 = safe(2 * tp, actual + predicted)
    occurs = (actual + predicted) > 0
    macro = {name: (v[occurs].sum() / occurs.sum()).item()
             for name, v in (("precision", precision), ("recall", recall), ("f1", f1))}
    return precision.tolist(), recall.tolist(), f1.tolist(), macro


W1 = [[0.8, -0.5, 0.3], [-0.4, 0.9, 0.2], [0.6, 0.1, -0.7], [-0.3, -0.6, 0.5], [0.2, 0.4, 0.9]]
B1 = [0.05, -0.1, 0.0, 0.1, -0.05]


def onehot_case():
    """Five classes: class 3 occurs but is never predicted (its bias is -100), class 4 never occurs at all."""
    w2 = [[1.0, -0.5, 0.3, 0.2, -0.1], [-0.6, 1.1, 0.1, -0.3, 0.4], [0.2, 0.3, -0.9, 0.8, 0.5],
          [0.5, 0.5, 0.5, 0.5, 0.5], [0.1, -0.2, 0.3, -0.4, 0.2]]
    b2 = [0.0, 0.1, -0.1, -100.0, -100.0]
    x = data(16, 3, 1)
    w1, b1, W2, B2 = (torch.tensor(v) for v in (W1, B1, w2, b2))
    out = torch.relu(x @ w1.T + b1) @ W2.T + B2
    labels = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 0])
    loss = F.cross_entropy(out, labels).item()
    predicted = torch.argmax(out, dim=1)
    source = """model cls {
    input  x[3]
    target c[5] onehot
    h    = dense(x, 5, relu)
    out  = dense(h, 5)
    loss = cross_entropy(out, c)
    output out
    train { dtype = f64 }
}
"""
    weights = {"h.W": W1, "h.b": B1, "out.W": w2, "out.b": b2}
    rows = [xs + [int(c)] for xs, c in zip(x.tolist(), labels.tolist())]
    return case("onehot", source, weights, rows, out, loss, labels, predicted, 5, False)


def binary_weights():
    # h.b and out.b zero: the sample x = 0 has the logit 0 exactly, on the threshold
    return [[0.8, -0.5, 0.3], [-0.4, 0.9, 0.2], [0.6, 0.1, -0.7], [-0.3, -0.6, 0.5]], [0.0] * 4, [[1.2, -0.8, 0.9, -1.1]], [0.0]


def binary_data():
    x = data(15, 3, 2)
    x = torch.cat([x, torch.zeros(1, 3)])  # the tie
    y = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0], [1.0], [0.0], [1.0], [0.7], [0.0], [1.0], [0.0], [1.0], [0.2], [0.0]])
    return x, y


def binary_case(name, loss_line, output_line, output_name):
    """A 3-4-1 network; the loss on logits or probabilities, the output the logit or the probability."""
    w1, b1, w2, b2 = binary_weights()
    x, y = binary_data()
    logit = torch.tanh(x @ torch.tensor(w1).T + torch.tensor(b1)) @ torch.tensor(w2).T + torch.tensor(b2)
    prob = torch.sigmoid(logit)
    if "bce_logits" in loss_line:  # else bce on sigmoid(z), whichever way it is written
        loss = F.binary_cross_entropy_with_logits(logit, y).item()
    else:
        loss = F.binary_cross_entropy(prob, y).item()
    output = logit if output_name == "z" else prob
    threshold = 0.0 if output_name == "z" else 0.5
    predicted = (output[:, 0] >= threshold).long()
    actual = (y[:, 0] >= 0.5).long()
    source = """model bin {
    input  x[3]
    target y[1]
    h    = dense(x, 4, tanh)
    z    = dense(h, 1)
%s
%s
    output %s
    train { dtype = f64 }
}
""" % (loss_line, output_line, output_name)
    weights = {"h.W": w1, "h.b": b1, "z.W": w2, "z.b": b2}
    rows = [xs + ys for xs, ys in zip(x.tolist(), y.tolist())]
    return case(name, source, weights, rows, output, loss, actual, predicted, 2, True)


def case(name, source, weights, rows, output, loss, actual, predicted, classes, binary):
    m = confusion(actual, predicted, classes)
    precision, recall, f1, macro = figures(m)
    return {
        "name": name,
        "source": source,
        "weights": weights,
        "rows": rows,
        "binary": binary,
        "outputs": output.tolist(),
        "loss": loss,
        "actual": actual.tolist(),
        "predicted": predicted.tolist(),
        "accuracy": (predicted == actual).double().mean().item(),
        "confusion": m.tolist(),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "macro_precision": macro["precision"],
        "macro_recall": macro["recall"],
        "macro_f1": macro["f1"],
    }


def main():
    cases = [
        onehot_case(),
        binary_case("bce_logits_logit", "    loss = bce_logits(z, y)", "", "z"),
        binary_case("bce_logits_probability", "    loss = bce_logits(z, y)", "    p    = sigmoid(z)", "p"),
        binary_case("bce_probability", "    p    = sigmoid(z)\n    loss = bce(p, y)", "", "p"),
        binary_case("bce_sigmoid_logit", "    loss = bce(sigmoid(z), y)", "", "z"),
    ]
    onehot = cases[0]
    assert onehot["confusion"][3][3] == 0 and sum(onehot["confusion"][3]) > 0, "class 3 occurs, never predicted"
    assert sum(onehot["confusion"][4]) == 0 and sum(r[4] for r in onehot["confusion"]) == 0, "class 4 never occurs"
    assert all(sum(r[c] for r in onehot["confusion"]) > 0 for c in range(3)), "classes 0-2 predicted"
    assert 0 < onehot["accuracy"] < 1
    for c in cases[1:]:
        assert c["predicted"][-1] == 1, "the tie (logit 0, probability 0.5) is positive"
        margins = [abs(o[0] - (0 if c["name"].endswith("logit") else 0.5)) for o in c["outputs"][:-1]]
        assert min(margins) > 1e-3, "no other output near the threshold"
        assert 0 < c["accuracy"] < 1 and all(min(r) > 0 for r in c["confusion"]), c["confusion"]
    # the three binary cases are one model read three ways: the same decisions
    assert cases[1]["predicted"] == cases[2]["predicted"] == cases[3]["predicted"] == cases[4]["predicted"]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
