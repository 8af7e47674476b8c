#!/usr/bin/env python3
"""One whole training run in PyTorch, as bench/whole_runs.sh times it against `nnc train`.

The models of samples/fashion_mnist.nn (784-128-64-10, ReLU, batch 64) and bench/fashion_wide.nn
(784-1024-1024-10, ReLU, batch 256), both Adam(lr=0.001), and bench/linear.nn (784-10, batch 64,
or 1000 as --model linear1000, SGD(lr=0.01)), softmax cross-entropy, float32, on
Fashion-MNIST: read the IDX files (gzip, numpy), train --epochs epochs reshuffled each epoch, then
the test set's loss and accuracy after the last, as `nnc train` reports them. The JSON says where
the time went (import torch, reading, each epoch, the test pass); bench/whole_runs.sh times the
whole process from outside.

    env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
        /usr/bin/python3 bench/torch_runs.py --model fashion --epochs 5 --threads 1
"""

import time

_START = time.perf_counter()  # before importing torch, to say what the import cost

import argparse
import json
import sys

import torch
from torch import nn

_IMPORTED = time.perf_counter()

from torch_bench import network, read_fashion, test, train_epoch  # noqa: E402 (after the import is timed; the same reader as torch_bench.py)

# name: (layer sizes, batch, optimizer) as in the .nn files
MODELS = {
    "fashion": ([784, 128, 64, 10], 64, "adam"),
    "wide": ([784, 1024, 1024, 10], 256, "adam"),
    "linear": ([784, 10], 64, "sgd"),        # bench/linear.nn
    "linear1000": ([784, 10], 1000, "sgd"),  # bench/linear.nn --batch 1000
}


def run(model, epochs, threads, root):
    torch.set_num_threads(threads)
    sizes, batch, kind = MODELS[model]
    start = time.perf_counter()
    x, y, xt, yt = read_fashion(root)
    loaded = time.perf_counter()

    torch.manual_seed(42)
    net = network(sizes, nn.ReLU, None)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = (torch.optim.Adam(net.parameters(), lr=0.001) if kind == "adam"
                 else torch.optim.SGD(net.parameters(), lr=0.01))
    n = x.shape[0]
    history = []
    for epoch in range(1, epochs + 1):
        began = time.perf_counter()
        loss = train_epoch(net, loss_fn, optimizer, x, y, batch)
        seconds = time.perf_counter() - began
        history.append({"epoch": epoch, "loss": loss, "seconds": seconds, "samples_per_second": n / seconds})
    trained = time.perf_counter()
    test_loss, test_accuracy = test(net, loss_fn, xt, yt)
    end = time.perf_counter()
    return {
        "torch": torch.__version__,
        "model": model,
        "threads": threads,
        "epochs": epochs,
        "import_s": _IMPORTED - _START,
        "load_s": loaded - start,
        "train_s": trained - loaded,
        "test_s": end - trained,
        "history": history,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=sorted(MODELS), default="fashion")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="the IDX files (default %(default)s)")
    args = p.parse_args()
    print(json.dumps(run(args.model, args.epochs, args.threads, args.data)))


if __name__ == "__main__":
    sys.exit(main())
