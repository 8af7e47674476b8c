#!/usr/bin/env python3
"""The workloads of bench/*.nn in PyTorch, for the side-by-side table of bench/run.sh.

Each workload is the same network as its .nn file (nn.Sequential of Linear layers and
activations, PyTorch's default Linear initialization, which is the .nn files' dense default),
the same loss with mean reduction, torch.optim.SGD(lr=0.01), float32, the same batch size, on
synthetic data of the same shapes as `nnc bench` uses: 4096 samples (rounded up to whole
batches), inputs uniform in [0, 1), targets uniform in [0, 1) or random class labels. A training
step is zero_grad, forward, loss, backward, optimizer step, over the next mini-batch in order.
It warms up, then times whole steps for the measured time, once per thread count
(torch.set_num_threads).

--fashion times one epoch of samples/fashion_mnist.nn's setup on the real data set: read the IDX
files (gzip, numpy), Adam(lr=0.001), batch 64, reshuffled, then the test set's loss and
accuracy as `nnc train` reports them after an epoch; the time includes reading the data.

Run it as bench/run.sh does, with Debian's python3-torch on OpenBLAS:
    env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
        /usr/bin/python3 bench/torch_bench.py [--json]
"""

import time

_START = time.perf_counter()  # before importing torch, so --fashion can say what the import cost

import argparse
import gzip
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

_IMPORTED = time.perf_counter()

SAMPLES = 4096  # as nnc bench (dev.nnc.bench.Bench.SAMPLES)

# name: (layer sizes, hidden activation, output activation, loss, batch[, optimizer]) as in bench/NAME.nn;
# the optimizer is SGD(lr=0.01) unless it says Adam(lr=0.001)
WORKLOADS = {
    "t1": ([2, 2, 1], nn.ReLU, None, "mse", 1),
    "t2": ([2, 8, 1], nn.Tanh, nn.Sigmoid, "bce", 4),
    "t3": ([784, 128, 64, 10], nn.ReLU, None, "cross_entropy", 64),
    "t3b1": ([784, 128, 64, 10], nn.ReLU, None, "cross_entropy", 1),
    "t4": ([1024, 1024, 1024, 10], nn.ReLU, None, "cross_entropy", 256),
    # issue 19's three kinds of model (bench/run.sh --kinds)
    "linear": ([784, 10], nn.ReLU, None, "cross_entropy", 64),
    "linear1000": ([784, 10], nn.ReLU, None, "cross_entropy", 1000),
    "widetanh": ([2, 100000, 1], nn.Tanh, None, "mse", 4, "adam"),
    "deepnarrow": ([32] * 9 + [1], nn.Tanh, None, "mse", 1),
}

FASHION = "/usr/share/datasets/fashion-mnist"


def network(sizes, hidden, output):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(hidden())
    if output is not None:
        layers.append(output())
    return nn.Sequential(*layers)


def loss_function(kind):
    return {"mse": nn.MSELoss(), "bce": nn.BCELoss(), "cross_entropy": nn.CrossEntropyLoss()}[kind]


def flops_per_sample(sizes):
    """6 x in x out per layer and sample, as nnc bench counts."""
    return sum(6 * a * b for a, b in zip(sizes, sizes[1:]))


def synthetic(sizes, kind, batch, generator):
    n = math.ceil(SAMPLES / batch) * batch
    x = torch.rand(n, sizes[0], generator=generator)
    if kind == "cross_entropy":
        y = torch.randint(0, sizes[-1], (n,), generator=generator)
    else:
        y = torch.rand(n, sizes[-1], generator=generator)
    return x, y


def bench(name, threads, seconds, warmup):
    sizes, hidden, output, kind, batch = WORKLOADS[name][:5]
    adam = WORKLOADS[name][5:] == ("adam",)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = network(sizes, hidden, output)
    loss_fn = loss_function(kind)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001) if adam else torch.optim.SGD(net.parameters(), lr=0.01)
    x, y = synthetic(sizes, kind, batch, torch.Generator().manual_seed(3))
    batches = [(x[i:i + batch], y[i:i + batch]) for i in range(0, x.shape[0], batch)]

    def steps(count, at):
        loss = None
        for _ in range(count):
            xb, yb = batches[at]
            at = (at + 1) % len(batches)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            optimizer.step()
        return at, loss

    at = 0
    end = time.perf_counter() + warmup
    while True:
        at, loss = steps(1, at)
        if time.perf_counter() >= end:
            break
    count = 0
    start = time.perf_counter()
    end = start + seconds
    while True:
        at, loss = steps(1, at)
        count += 1
        now = time.perf_counter()
        if now >= end:
            break
    elapsed = now - start
    if not math.isfinite(loss.item()):
        raise SystemExit(f"{name}: training turned non-finite")
    rate = count * batch / elapsed
    return {
        "model": name,
        "batch": batch,
        "threads": threads,
        "samples_per_second": rate,
        "us_per_step": elapsed * 1e6 / count,
        "gflops": flops_per_sample(sizes) * rate / 1e9,
        "steps": count,
        "seconds": elapsed,
    }


def read_idx(path, images):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    data = np.frombuffer(raw, dtype=np.uint8, offset=16 if images else 8)
    if images:
        count = int.from_bytes(raw[4:8], "big")
        return data.reshape(count, -1)
    return data


def read_fashion(root):
    """Fashion-MNIST's training and test sets as tensors: images / 255 in float32, labels in int64."""
    def images(name):
        return torch.from_numpy(read_idx(os.path.join(root, name), True).astype(np.float32) / 255)

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(root, name), False).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def train_epoch(net, loss_fn, optimizer, x, y, batch):
    """One pass over (x, y) in a fresh random order, a step per mini-batch; the mean training loss."""
    n = x.shape[0]
    order = torch.randperm(n)
    total = 0.0
    for i in range(0, n, batch):
        index = order[i:i + batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[index]), y[index])
        loss.backward()
        optimizer.step()
        total += loss.item() * index.shape[0]
    return total / n


def test(net, loss_fn, xt, yt):
    """The test set's mean loss and accuracy, as nnc train reports them after an epoch."""
    with torch.no_grad():
        logits = net(xt)
        return loss_fn(logits, yt).item(), (logits.argmax(dim=1) == yt).float().mean().item()


def fashion_epoch(root, threads):
    """One epoch of samples/fashion_mnist.nn in PyTorch, reading the data included, then the test pass."""
    torch.set_num_threads(threads)
    start = time.perf_counter()
    x, y, xt, yt = read_fashion(root)
    loaded = time.perf_counter()

    torch.manual_seed(42)
    net = network([784, 128, 64, 10], nn.ReLU, None)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    n = x.shape[0]
    loss = train_epoch(net, loss_fn, optimizer, x, y, 64)
    trained = time.perf_counter()
    test_loss, test_accuracy = test(net, loss_fn, xt, yt)
    end = time.perf_counter()
    return {
        "threads": threads,
        "import_s": _IMPORTED - _START,
        "load_s": loaded - start,
        "epoch_s": trained - loaded,
        "test_s": end - trained,
        "total_s": end - start,
        "samples_per_second": n / (trained - loaded),
        "loss": loss,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workloads", default=",".join(WORKLOADS),
                   help="comma-separated workloads (default: all; an empty string runs none)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--seconds", type=float, default=3.0, help="measured time per workload and thread count")
    p.add_argument("--warmup", type=float, default=1.0, help="warm-up time before it")
    p.add_argument("--fashion", action="store_true", help="also time one Fashion-MNIST epoch per thread count")
    p.add_argument("--data", default=FASHION, help="the Fashion-MNIST IDX files (default %(default)s)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    args = p.parse_args()
    names = [w for w in args.workloads.split(",") if w]
    for w in names:
        if w not in WORKLOADS:
            p.error(f"unknown workload {w}; known: {', '.join(WORKLOADS)}")
    threads = [int(t) for t in args.threads.split(",") if t]

    results = []
    for w in names:
        for t in threads:
            r = bench(w, t, args.seconds, args.warmup)
            results.append(r)
            if not args.json:
                print(f"{w:5} batch {r['batch']:3}  {t} thread{'s' if t > 1 else ' '}  "
                      f"{r['samples_per_second']:14,.0f} samples/s  {r['us_per_step']:12,.1f} us/step  "
                      f"{r['gflops']:8.2f} GFLOP/s", flush=True)
    fashion = []
    if args.fashion:
        for t in threads:
            f = fashion_epoch(args.data, t)
            fashion.append(f)
            if not args.json:
                print(f"fashion-mnist, one epoch, {t} thread{'s' if t > 1 else ''}: {f['total_s']:.2f} s "
                      f"(reading {f['load_s']:.2f} s, training {f['epoch_s']:.2f} s = "
                      f"{f['samples_per_second']:,.0f} samples/s, test {f['test_s']:.2f} s; "
                      f"import torch {f['import_s']:.2f} s before), test accuracy {f['test_accuracy']:.4f}", flush=True)
    if args.json:
        doc = {"torch": torch.__version__, "workloads": results}
        if args.fashion:
            doc["fashion_mnist"] = fashion
        print(json.dumps(doc))


if __name__ == "__main__":
    sys.exit(main())
