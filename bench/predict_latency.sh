#!/usr/bin/env bash
# Single-sample predict latency of the Fashion-MNIST MLP (784-128-64-10), nnc and PyTorch in one run:
#   bench/predict_latency.sh [--jmh "JMH OPTIONS"] [--calls N] [--no-torch]
# builds nnc-bench/target/benchmarks.jar if it is missing or older than its sources, runs the JMH
# benchmark PredictLatency (the checked-in generated-examples/FashionMnist.java: predict(in, out),
# and predict(float[][]) per sample; JMH options default to "-f 1 -wi 5 -i 10"), then
# bench/torch_predict.py (model(x) on x of shape [1, 784] under no_grad and inference_mode, 1 and 2
# threads, N timed calls each, default 50,000), and prints one table with the ratio. MVN_FLAGS adds
# flags to the build (e.g. -o); PYTHON overrides the interpreter (default: Debian's /usr/bin/python3,
# where python3-torch installs).
set -euo pipefail
cd "$(dirname "$0")/.."

jmh_options="-f 1 -wi 5 -i 10"
calls=50000
torch=1
while (($#)); do
  case "$1" in
    --jmh) jmh_options="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --no-torch) torch=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "predict_latency.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

jar=nnc-bench/target/benchmarks.jar
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}
out=$(mktemp -d "${TMPDIR:-/tmp}/nnc-predict.XXXXXX")
trap 'rm -rf "$out"' EXIT

# Debian's torch with the OpenMP build of OpenBLAS, and OPENBLAS_CORETYPE unset: some environments
# set it to Haswell, whose kernels can run at half speed on an AVX-512 machine.
torch_env=(env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH})

if [ ! -f "$jar" ] || [ -n "$(find generated-examples/FashionMnist.java nnc-runtime/src nnc-bench/src nnc-bench/pom.xml \
    nnc-runtime/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_FLAGS:-} -pl nnc-bench -am package -DskipTests >&2
fi

echo "JMH: PredictLatency $jmh_options ..." >&2
# shellcheck disable=SC2086
java -jar "$jar" PredictLatency $jmh_options -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1 \
  || { cat "$out/jmh.txt" >&2; exit 1; }

have_torch=0
if ((torch)) && "${torch_env[@]}" "$python" -c 'import torch' 2>/dev/null; then
  have_torch=1
  echo "PyTorch: $calls calls per setting ..." >&2
  "${torch_env[@]}" "$python" bench/torch_predict.py --calls "$calls" --json > "$out/torch.json"
fi

model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
"$python" - "$out" "$have_torch" "${model:-unknown}" "$(java -version 2>&1 | head -1)" <<'EOF'
import json, os, sys

out, have_torch, cpu, java = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4]
jmh = json.load(open(os.path.join(out, "jmh.json")))

def metric(name, mode):
    for r in jmh:
        if r["benchmark"].endswith("." + name) and r["mode"] == mode:
            return r["primaryMetric"]
    return None

def nnc_row(name):
    avg, sample = metric(name, "avgt"), metric(name, "sample")
    p = sample["scorePercentiles"] if sample else {}
    return {"mean": avg and avg["score"], "err": avg and avg["scoreError"], "p50": p.get("50.0"), "p99": p.get("99.0")}

one, batch = nnc_row("predictOne"), nnc_row("predictBatch")
torch = json.load(open(os.path.join(out, "torch.json"))) if have_torch else None

def f(x, digits=3):
    return "-" if x is None else f"{x:,.{digits}f}"

print(f"Fashion-MNIST MLP 784-128-64-10, one sample per call, microseconds (lower is better)")
print(f"machine: {cpu}, {os.cpu_count()} cores; {java}" + (f"; torch {torch['torch']}" if torch else ""))
print()
header = ["", "mean", "p50", "p99"]
rows = [["nnc predict(in, out)", f(one["mean"]) + (f" ±{one['err']:.3f}" if one["err"] is not None else ""),
         f(one["p50"]), f(one["p99"])]]
best = None
if torch:
    for r in torch["results"]:
        if "batch" in r:
            continue
        rows.append([f"PyTorch {r['mode']}, {r['threads']} thread{'s' if r['threads'] > 1 else ''}",
                     f(r["mean_us"]), f(r["p50_us"]), f(r["p99_us"])])
        if best is None or r["p50_us"] < best["p50_us"]:
            best = r
    rows.append([f"PyTorch / nnc (best PyTorch setting by p50: {best['mode']}, {best['threads']}T)",
                 f(best["mean_us"] / one["mean"], 1) + "x", f(best["p50_us"] / one["p50"], 1) + "x",
                 f(best["p99_us"] / one["p99"], 1) + "x"])
widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
line = lambda r: "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
print(line(header))
for r in rows:
    print(line(r))
print()
print("batch of 256 in one call, per sample:")
print(f"  nnc predict(float[][])   mean {f(batch['mean'])}  p50 {f(batch['p50'] and batch['p50'])}")
if torch:
    for r in torch["results"]:
        if "batch" in r:
            print(f"  PyTorch, {r['threads']} thread{'s' if r['threads'] > 1 else ' '}       "
                  f"mean {f(r['per_sample_mean_us'])}  p50 {f(r['per_sample_p50_us'])}")
else:
    print()
    print("PyTorch is not installed (or --no-torch), so these are nnc's figures alone. To compare:")
    print("  apt-get install -y python3-torch libopenblas0-openmp")
EOF
