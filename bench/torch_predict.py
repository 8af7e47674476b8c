#!/usr/bin/env python3
"""Single-sample predict latency of the Fashion-MNIST MLP in PyTorch, the peer of nnc-bench's
PredictLatency in bench/predict_latency.sh.

The network is samples/fashion_mnist.nn's: Linear(784, 128), ReLU, Linear(128, 64), ReLU,
Linear(64, 10), float32, PyTorch's default initialization, in eval mode. Like the JMH benchmark it
takes 1,024 random inputs (uniform in [0, 1), each of shape [1, 784]) in turn. For each thread count
(torch.set_num_threads) and each of torch.no_grad() and torch.inference_mode() it warms up, then
times every call of model(x) on its own (time.perf_counter_ns around the call): mean, minimum,
median and 99th percentile in microseconds. It also times model(X) on a batch of 256 inputs, per sample
(median of the calls, divided by 256), as the peer of predict(float[][]).

--export-onnx FILE writes the same network, as initialized, with torch.onnx.export (opset 13, input
x of shape [batch, 784]) and exits: the model nnc-bench's OrtPredictLatency runs in ONNX Runtime.

Run it as bench/predict_latency.sh does, with Debian's python3-torch on OpenBLAS:
    env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
        /usr/bin/python3 bench/torch_predict.py [--calls N] [--threads 1,2] [--json]
"""

import argparse
import json
import time

import torch
from torch import nn

INPUTS = 1024  # as PredictLatency.INPUTS
BATCH = 256    # as PredictLatency.BATCH


def network():
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10)).eval()


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def time_single(model, inputs, calls, warmup):
    for c in range(warmup):
        model(inputs[c % INPUTS])
    times = [0] * calls
    clock = time.perf_counter_ns
    for c in range(calls):
        x = inputs[c % INPUTS]
        t0 = clock()
        model(x)
        times[c] = clock() - t0
    times.sort()
    return {
        "mean_us": sum(times) / calls / 1e3,
        "min_us": times[0] / 1e3,
        "p50_us": percentile(times, 0.50) / 1e3,
        "p99_us": percentile(times, 0.99) / 1e3,
        "calls": calls,
    }


def time_batch(model, batch, calls, warmup):
    for _ in range(warmup):
        model(batch)
    times = []
    for _ in range(calls):
        t0 = time.perf_counter_ns()
        model(batch)
        times.append(time.perf_counter_ns() - t0)
    times.sort()
    return {"per_sample_p50_us": percentile(times, 0.50) / 1e3 / BATCH,
            "per_sample_mean_us": sum(times) / calls / 1e3 / BATCH, "batch": BATCH, "calls": calls}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=50_000, help="timed single-sample calls per setting")
    parser.add_argument("--warmup", type=int, default=5_000, help="untimed calls before them")
    parser.add_argument("--batch-calls", type=int, default=2_000, help="timed calls of the batch of 256")
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="one JSON document instead of text")
    parser.add_argument("--export-onnx", metavar="FILE", help="write the network as ONNX to FILE and exit")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = network()
    if args.export_onnx:
        torch.onnx.export(model, torch.rand(1, 784), args.export_onnx, input_names=["x"], output_names=["out"],
                          dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}}, opset_version=13)
        return
    inputs = [torch.rand(1, 784) for _ in range(INPUTS)]
    batch = torch.cat(inputs[:BATCH])
    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for mode, context in (("no_grad", torch.no_grad), ("inference_mode", torch.inference_mode)):
            with context():
                r = time_single(model, inputs, args.calls, args.warmup)
                r.update(threads=threads, mode=mode)
                results.append(r)
        with torch.inference_mode():
            b = time_batch(model, batch, args.batch_calls, args.batch_calls // 10)
            b.update(threads=threads, mode="inference_mode")
            results.append(b)
    doc = {"torch": torch.__version__, "results": results}
    if args.json:
        print(json.dumps(doc, indent=2))
        return
    print(f"torch {doc['torch']}, Fashion-MNIST MLP 784-128-64-10, microseconds per sample")
    for r in results:
        if "batch" in r:
            print(f"  {r['threads']} thread(s)  batch of {r['batch']}, per sample: median {r['per_sample_p50_us']:.3f}"
                  f"  mean {r['per_sample_mean_us']:.3f}")
        else:
            print(f"  {r['threads']} thread(s)  {r['mode']:<15} mean {r['mean_us']:8.2f}  min {r['min_us']:8.2f}  median {r['p50_us']:8.2f}"
                  f"  p99 {r['p99_us']:8.2f}")


if __name__ == "__main__":
    main()
