#!/usr/bin/env bash
# The benchmark suite of issue 5, nnc and PyTorch side by side in one run:
#   bench/run.sh [--seconds S] [--warmup S] [--no-fashion] [--kinds] [--plain]
# builds target/nnc.jar if it is missing or older than the sources, runs `nnc bench` on each
# workload (bench/t1.nn .. t4.nn) and bench/torch_bench.py on the same workloads with 1 and 2
# threads, times one Fashion-MNIST epoch of samples/fashion_mnist.nn in both (whole commands,
# start-up included), and prints one table. Without PyTorch it prints nnc's figures alone and
# says how to install it. PYTHON overrides the interpreter (default: Debian's /usr/bin/python3,
# which is where python3-torch installs). --kinds runs issue 19's three kinds of model instead
# (bench/linear.nn and linear1000.nn: 784-10 softmax at batch 64 and 1000; widetanh.nn: 2-100000-1
# tanh, Adam, batch 4; deepnarrow.nn: eight tanh layers of 32, batch 1), without the epoch;
# --plain measures nnc's default kernels instead of the Vector API's.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=3
warmup=2
fashion=1
workloads=(t1 t2 t3 t3b1 t4)
vector=(--vector)
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --no-fashion) fashion=0; shift ;;
    --kinds) workloads=(linear linear1000 widetanh deepnarrow); fashion=0; shift ;;
    --plain) vector=(); shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

data=/usr/share/datasets/fashion-mnist
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}
out=$(mktemp -d "${TMPDIR:-/tmp}/nnc-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

# Debian's torch with the OpenMP build of OpenBLAS, and OPENBLAS_CORETYPE unset: some environments
# set it to Haswell, whose kernels can run at half speed on an AVX-512 machine.
torch_env=(env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH})

now() { date +%s.%N; }

if [ ! -f target/nnc.jar ] || [ -n "$(find nnc/src nnc/pom.xml nnc-runtime/src nnc-runtime/pom.xml grammar pom.xml -newer target/nnc.jar -print -quit)" ]; then
  echo "building target/nnc.jar ..." >&2
  mvn -q -B package -DskipTests >&2
fi

have_torch=1
if ! "${torch_env[@]}" "$python" -c 'import torch' 2>/dev/null; then
  have_torch=0
fi

echo "nnc bench (${seconds} s each after ${warmup} s of warm-up) ..." >&2
for w in "${workloads[@]}"; do
  for t in 1 2; do
    java -jar target/nnc.jar bench "bench/$w.nn" ${vector[@]+"${vector[@]}"} --threads "$t" --seconds "$seconds" --warmup "$warmup" --json > "$out/nnc-$w-$t.json"
  done
  echo "  $w done" >&2
done

if ((have_torch)); then
  echo "PyTorch, 1 and 2 threads ..." >&2
  "${torch_env[@]}" "$python" bench/torch_bench.py --workloads "$(IFS=,; echo "${workloads[*]}")" --seconds "$seconds" \
    --warmup "$warmup" --json > "$out/torch.json"
fi

if ((fashion)) && [ -d "$data" ]; then
  echo "Fashion-MNIST, one epoch: nnc train ..." >&2
  t0=$(now)
  java -jar target/nnc.jar train samples/fashion_mnist.nn --epochs 1 --vector > "$out/fashion-nnc.out" 2> "$out/fashion-nnc.err"
  t1=$(now)
  echo "{\"start\": $t0, \"end\": $t1}" > "$out/fashion-nnc.json"
  if ((have_torch)); then
    for t in 1 2; do
      echo "Fashion-MNIST, one epoch: PyTorch, $t thread(s) ..." >&2
      t0=$(now)
      "${torch_env[@]}" "$python" bench/torch_bench.py --workloads "" --fashion --threads "$t" --json > "$out/fashion-torch-$t.json"
      t1=$(now)
      echo "{\"start\": $t0, \"end\": $t1}" > "$out/fashion-torch-$t.wall.json"
    done
  fi
elif ((fashion)); then
  echo "no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist): skipping the epoch" >&2
fi

"$python" - "$out" "$have_torch" "${workloads[@]}" <<'EOF'
import json, os, re, sys

out, have_torch, workloads = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]

def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    doc = json.load(open(path))
    if "start" in doc:  # a whole command's wall time, from date +%s.%N before and after
        doc["wall_s"] = doc["end"] - doc["start"]
    return doc

nnc = {(w, t): load(f"nnc-{w}-{t}.json") for w in workloads for t in (1, 2)}
torch = {}
doc = load("torch.json")
if doc:
    for r in doc["workloads"]:
        torch[(r["model"], r["threads"])] = r

def n(x, digits=0):
    return "-" if x is None else f"{x:,.{digits}f}"

def best_of(a, b):
    return max((r for r in (a, b) if r), key=lambda r: r["samples_per_second"], default=None)

header = ["workload", "batch", "nnc 1T samples/s", "nnc 2T samples/s", "nnc best us/step", "nnc best GFLOP/s",
          "nnc setup ms", "torch 1T samples/s", "torch 2T samples/s", "torch best GFLOP/s", "nnc/torch (best of each)"]
rows = []
for w in workloads:
    a1, a2 = nnc[(w, 1)], nnc[(w, 2)]
    a = best_of(a1, a2)
    t1, t2 = torch.get((w, 1)), torch.get((w, 2))
    best = best_of(t1, t2)
    rows.append([w, str(a["batch"]), n(a1 and a1["samples_per_second"]), n(a2 and a2["samples_per_second"]),
                 n(a["us_per_step"], 3), n(a["gflops"], 2), n(a1["setup_ms"]),
                 n(t1 and t1["samples_per_second"]), n(t2 and t2["samples_per_second"]),
                 n(best and best["gflops"], 2),
                 "-" if not best else f"{a['samples_per_second'] / best['samples_per_second']:,.2f}x"])
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
line = lambda r: "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
print(line(header))
print("  ".join("-" * w for w in widths))
for r in rows:
    print(line(r))
kernels = "Vector API kernels" if any(r and r.get("vector") for r in nnc.values()) else "plain Java kernels"
print("(nnc: " + kernels + "; torch " + (doc["torch"] if doc else "not installed") + ")")

fn = load("fashion-nnc.json")
if fn:
    print()
    print("Fashion-MNIST, one epoch of samples/fashion_mnist.nn (Adam, batch 64, shuffled), whole command wall time:")
    err = open(os.path.join(out, "fashion-nnc.err")).read()
    res = open(os.path.join(out, "fashion-nnc.out")).read()
    m = re.search(r"([\d,]+) samples/s.*?test acc ([\d.]+)", err)
    detail = f"  ({m.group(1)} samples/s in the epoch, test accuracy {m.group(2)})" if m else ""
    print(f"  nnc train samples/fashion_mnist.nn --epochs 1   {fn['wall_s']:7.2f} s{detail}")
    best = None
    for t in (1, 2):
        wall, f = load(f"fashion-torch-{t}.wall.json"), load(f"fashion-torch-{t}.json")
        if not wall or not f:
            continue
        e = f["fashion_mnist"][0]
        best = wall["wall_s"] if best is None else min(best, wall["wall_s"])
        print(f"  PyTorch, {t} thread{'s' if t > 1 else ' '}                            {wall['wall_s']:7.2f} s"
              f"  (import torch {e['import_s']:.2f} s, reading {e['load_s']:.2f} s, epoch {e['epoch_s']:.2f} s"
              f" = {e['samples_per_second']:,.0f} samples/s, test {e['test_s']:.2f} s; test accuracy {e['test_accuracy']:.4f})")
    if best:
        print(f"  nnc / best PyTorch wall time: {fn['wall_s'] / best:.2f} (below 1 means nnc is faster)")

if not have_torch:
    print()
    print("PyTorch is not installed, so these are nnc's figures alone. To compare, install Debian's build:")
    print("  apt-get install -y python3-torch libopenblas0-openmp")
    print("and run bench/run.sh again.")
EOF
