#!/usr/bin/env python3
"""The table of bench/whole_runs.sh: reads DIR/<case>.<variant>.<round>.{json,wall}, prints one
markdown table (best of the rounds per variant, PyTorch's best over its thread counts) and, with
--csv, writes samples/s per epoch of the best run of each variant of the 5-epoch case."""

import argparse
import glob
import json
import os
import sys

VARIANTS = [
    ("nnc", "nnc"),
    ("nnc-first-run", "nnc, first run"),
    ("nnc-vector", "nnc --vector"),
    ("torch", "PyTorch"),
    ("dl4j", "DL4J"),
]
# variants run with 1 and 2 threads (files <case>.<variant>-<threads>.<round>): the best of both counts
THREADED = {"torch", "dl4j"}
CASES = {"fashion1": "Fashion-MNIST, 1 epoch", "fashion5": "Fashion-MNIST, 5 epochs", "wide1": "wide 784-1024-1024-10, 1 epoch",
         "linear5": "linear 784-10, batch 64, 5 epochs", "linear1000": "linear 784-10, batch 1000, 5 epochs",
         "widetanh5": "wide 2-100000-1 tanh, batch 4, Adam, 5 epochs", "deepnarrow5": "deep narrow 8 x 32 tanh, batch 1, 5 epochs"}


def threads(run):
    """The thread count a run reports (a number, or DL4J's OMP_NUM_THREADS as text), 0 when unknown."""
    try:
        return int(run.get("threads") or 0)
    except (TypeError, ValueError):
        return 0


def runs(out, case, variant):
    found = []
    for wall in sorted(glob.glob(os.path.join(out, f"{case}.{variant}*.wall"))):
        base = wall[:-len(".wall")]
        name = os.path.basename(base)[len(case) + 1:]
        if variant not in THREADED and name.rsplit(".", 1)[0] != variant:
            continue
        with open(wall) as f:
            w = json.load(f)
        try:
            with open(base + ".json") as f:
                r = json.load(f)
        except (OSError, ValueError):
            continue  # a run that failed: its .err says why
        r["_seconds"] = (w["end_ms"] - w["start_ms"]) / 1000
        r["_setup_ms"] = w.get("setup_ms")
        r["_name"] = name
        found.append(r)
    return found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("cases")
    p.add_argument("--csv")
    a = p.parse_args()
    cases = [c for c in a.cases.split(",") if c]
    print("| run | " + " | ".join(label for _, label in VARIANTS) + " | PyTorch / best nnc |")
    print("| --- " * (len(VARIANTS) + 2) + "|")
    best = {}
    for case in cases:
        cells = []
        for key, _ in VARIANTS:
            rs = runs(a.out, case, key)
            if not rs:
                cells.append("-")
                continue
            b = min(rs, key=lambda r: r["_seconds"])
            best[(case, key)] = b
            acc = b.get("test_accuracy")
            extra = [f"acc {acc:.4f}" if acc is not None else None]
            if b.get("_setup_ms") is not None:
                extra.append(f"setup {b['_setup_ms'] / 1000:.2f} s")
            if key in THREADED:
                extra.append(f"{threads(b)} thr")
            cells.append(f"{b['_seconds']:.2f} s ({', '.join(e for e in extra if e)})")
        t = best.get((case, "torch"))
        d = best.get((case, "dl4j"))
        n = min((best[(case, k)] for k, _ in VARIANTS[:3] if (case, k) in best), key=lambda r: r["_seconds"], default=None)
        ratio = f"{t['_seconds'] / n['_seconds']:.2f}x ({n['_name'].rsplit('.', 1)[0]})" if t and n else "-"
        if d and n:
            ratio += f"; DL4J / nnc {d['_seconds'] / n['_seconds']:.2f}x"
        print(f"| {CASES[case]} | " + " | ".join(cells) + f" | {ratio} |")
    if a.csv:
        with open(a.csv, "w") as f:
            f.write("series,epoch,samples_per_second\n")
            for key, label in VARIANTS:
                b = best.get(("fashion5", key))
                if not b:
                    continue
                name = label if key not in THREADED else f"{label} ({threads(b)} thread{'s' if threads(b) > 1 else ''})"
                for h in b.get("history", []):
                    f.write(f"{name},{h['epoch']},{h['samples_per_second']:.1f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
