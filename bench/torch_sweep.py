#!/usr/bin/env python3
"""One point of the shape sweep (bench/sweep.sh) in PyTorch.

The network of the point's .nn file: nn.Sequential of Linear(in, hidden), ReLU, ... (depth hidden
layers), Linear(hidden, out); PyTorch's default Linear initialization; nn.MSELoss (mean); SGD(lr=0.01)
or Adam(lr=0.001); float32. --activation tanh puts Tanh in place of ReLU (bench/widetanh.nn and
bench/deepnarrow.nn, which bench/whole_runs.sh runs as well).

--steady: steady-state samples/s as torch_bench.py measures it (4096 synthetic samples, uniform in
[0, 1), one step per mini-batch in order, a warm-up, then whole steps for --seconds), once per
thread count in --threads; prints one JSON document with a row per thread count.

--whole F: a whole training run: read the CSV file F (the same file `nnc train --data` reads; every
input, then every target, per line) into memory with numpy, train --epochs epochs, shuffled, with
--threads' first count; prints the JSON of where the time went. bench/sweep.sh times the process.

    env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
        /usr/bin/python3 bench/torch_sweep.py --in 64 --hidden 64 --out 64 --depth 1 --batch 8 --steady
"""

import time

_START = time.perf_counter()  # before importing torch, to say what the import cost

import argparse
import json
import math
import sys

import numpy as np
import torch
from torch import nn

_IMPORTED = time.perf_counter()

from torch_bench import SAMPLES, flops_per_sample, network  # noqa: E402 (after the import is timed)


def sizes_of(args):
    return [args.inputs] + [args.hidden] * args.depth + [args.outputs]


def optimizer_of(name, net):
    if name == "sgd":
        return torch.optim.SGD(net.parameters(), lr=0.01)
    return torch.optim.Adam(net.parameters(), lr=0.001)


ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh}


def steady(args, threads):
    sizes = sizes_of(args)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = network(sizes, ACTIVATIONS[args.activation], None)
    loss_fn = nn.MSELoss()
    optimizer = optimizer_of(args.optimizer, net)
    generator = torch.Generator().manual_seed(3)
    n = math.ceil(SAMPLES / args.batch) * args.batch
    x = torch.rand(n, sizes[0], generator=generator)
    y = torch.rand(n, sizes[-1], generator=generator)
    batches = [(x[i:i + args.batch], y[i:i + args.batch]) for i in range(0, n, args.batch)]
    at = 0

    def step():
        nonlocal at
        xb, yb = batches[at]
        at = (at + 1) % len(batches)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        optimizer.step()
        return loss

    end = time.perf_counter() + args.warmup
    while True:
        step()
        if time.perf_counter() >= end:
            break
    count = 0
    start = time.perf_counter()
    while True:
        loss = step()
        count += 1
        now = time.perf_counter()
        if now - start >= args.seconds:
            break
    if not math.isfinite(loss.item()):
        raise SystemExit("torch_sweep.py: training turned non-finite")
    rate = count * args.batch / (now - start)
    return {"threads": threads, "samples_per_second": rate, "steps": count,
            "gflops": flops_per_sample(sizes) * rate / 1e9}


def whole(args, threads):
    sizes = sizes_of(args)
    torch.set_num_threads(threads)
    began = time.perf_counter()
    with open(args.whole) as f:
        text = f.read()
    flat = np.fromstring(text.replace("\n", ","), dtype=np.float32, sep=",")
    table = torch.from_numpy(flat.reshape(-1, sizes[0] + sizes[-1]))
    x, y = table[:, :sizes[0]].contiguous(), table[:, sizes[0]:].contiguous()
    loaded = time.perf_counter()
    torch.manual_seed(1)
    net = network(sizes, ACTIVATIONS[args.activation], None)
    loss_fn = nn.MSELoss()
    optimizer = optimizer_of(args.optimizer, net)
    n = x.shape[0]
    loss = float("nan")
    for _ in range(args.epochs):
        order = torch.randperm(n)
        for i in range(0, n, args.batch):
            index = order[i:i + args.batch]
            optimizer.zero_grad(set_to_none=True)
            out = loss_fn(net(x[index]), y[index])
            out.backward()
            optimizer.step()
        loss = out.item()
    trained = time.perf_counter()
    return {"threads": threads, "import_s": _IMPORTED - _START, "load_s": loaded - began,
            "train_s": trained - loaded, "samples": n, "loss": loss,
            "samples_per_second": n * args.epochs / (trained - loaded)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--in", dest="inputs", type=int, required=True)
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--out", dest="outputs", type=int, required=True)
    p.add_argument("--depth", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu", help="the hidden layers' (default relu)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--steady", action="store_true", help="measure steady-state samples/s")
    p.add_argument("--whole", metavar="F", help="a whole run on the CSV file F")
    p.add_argument("--epochs", type=int, default=5)
    args = p.parse_args()
    threads = [int(t) for t in args.threads.split(",") if t]
    if args.steady:
        print(json.dumps({"torch": torch.__version__, "steady": [steady(args, t) for t in threads]}))
    elif args.whole:
        print(json.dumps({"torch": torch.__version__, "whole": whole(args, threads[0]), "threads": threads[0]}))
    else:
        p.error("one of --steady or --whole F")


if __name__ == "__main__":
    sys.exit(main())
