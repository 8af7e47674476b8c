#!/usr/bin/env bash
# Single-sample predict latency of the Fashion-MNIST MLP (784-128-64-10), nnc and PyTorch in one run:
#   bench/predict_latency.sh [--jmh "JMH OPTIONS"] [--calls N] [--no-torch] [--no-ort]
# builds nnc-bench/target/benchmarks.jar if it is missing or older than its sources, runs the JMH
# benchmark PredictLatency (the checked-in generated-examples/FashionMnist.java: predict(in, out),
# and predict(float[][]) per sample) and, in the same JMH run, OrtPredictLatency (ONNX Runtime's
# Java API, 1 and 2 threads, on the network exported by torch.onnx.export); JMH options default to
# "-f 1 -wi 5 -i 10". Then bench/torch_predict.py (model(x) on x of shape [1, 784] under no_grad and
# inference_mode, 1 and 2 threads, N timed calls each, default 50,000), and one table with the
# ratios. MVN_FLAGS adds flags to the build (e.g. -o); PYTHON overrides the interpreter (default:
# Debian's /usr/bin/python3, where python3-torch installs).
set -euo pipefail
cd "$(dirname "$0")/.."

jmh_options="-f 1 -wi 5 -i 10"
calls=50000
torch=1
ort=1
while (($#)); do
  case "$1" in
    --jmh) jmh_options="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --no-torch) torch=0; shift ;;
    --no-ort) ort=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)
have_torch=0
if ((torch)) && "${torch_env[@]}" "$python" -c 'import torch' 2>/dev/null; then
  have_torch=1
fi

# ONNX Runtime runs the network torch.onnx.export writes, so it needs PyTorch too
benchmarks='^dev\.nnc\.bench\.PredictLatency\.'
ort_params=()
if ((ort && have_torch)) && ls nnc-bench/target/lib/onnxruntime-*.jar > /dev/null 2>&1; then
  "${torch_env[@]}" "$python" bench/torch_predict.py --export-onnx "$out/fashion_mnist.onnx"
  benchmarks='^dev\.nnc\.bench\.(Ort)?PredictLatency\.'
  ort_params=(-p "model=$out/fashion_mnist.onnx")
fi

echo "JMH: $benchmarks $jmh_options ..." >&2
# shellcheck disable=SC2086
java -cp "$jar:nnc-bench/target/lib/*" org.openjdk.jmh.Main "$benchmarks" "${ort_params[@]}" $jmh_options \
  -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1 || { cat "$out/jmh.txt" >&2; exit 1; }

if ((have_torch)); then
  echo "PyTorch: $calls calls per setting ..." >&2
  "${torch_env[@]}" "$python" bench/torch_predict.py --calls "$calls" --json > "$out/torch.json"
fi

model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)
ort_version=$(ls nnc-bench/target/lib/ 2>/dev/null | sed -n 's/^onnxruntime-\(.*\)\.jar$/\1/p' | head -1)
"$python" - "$out" "$have_torch" "${model:-unknown}" "$(java -version 2>&1 | head -1)" "${ort_version:--}" "$load_before" "$load_after" <<'EOF'
import json, os, sys

out, have_torch, cpu, java, ort_version, load_before, load_after = sys.argv[1], sys.argv[2] == "1", *sys.argv[3:8]
jmh = json.load(open(os.path.join(out, "jmh.json")))

def metric(name, mode, threads=None):
    for r in jmh:
        if r["benchmark"].endswith("." + name) and r["mode"] == mode \
                and (threads is None or r.get("params", {}).get("threads") == str(threads)):
            return r["primaryMetric"]
    return None

def nnc_row(name, threads=None):
    avg, sample = metric(name, "avgt", threads), metric(name, "sample", threads)
    if avg is None and sample is None:
        return None
    p = sample["scorePercentiles"] if sample else {}
    return {"mean": avg and avg["score"], "err": avg and avg["scoreError"], "min": p.get("0.0"), "p50": p.get("50.0"),
            "p99": p.get("99.0")}

one, batch = nnc_row("PredictLatency.predictOne"), nnc_row("PredictLatency.predictBatch")
ort = {t: nnc_row("OrtPredictLatency.predictOne", t) for t in (1, 2)}
torch = json.load(open(os.path.join(out, "torch.json"))) if have_torch else None

def f(x, digits=3):
    return "-" if x is None else f"{x:,.{digits}f}"

def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:,.1f}x"

print(f"Fashion-MNIST MLP 784-128-64-10, one sample per call, microseconds (lower is better)")
print(f"machine: {cpu}, {os.cpu_count()} cores; {java}" + (f"; torch {torch['torch']}" if torch else "")
      + (f"; ONNX Runtime {ort_version}" if any(ort.values()) else ""))
print(f"load average (1, 5, 15 min) before: {load_before}, after: {load_after}; on a shared machine min and p50 say most")
print()
header = ["", "mean", "min", "p50", "p99"]
rows = [["nnc predict(in, out)", f(one["mean"]) + (f" ±{one['err']:.3f}" if one["err"] is not None else ""),
         f(one["min"]), f(one["p50"]), f(one["p99"])]]
best = None
if torch:
    for r in torch["results"]:
        if "batch" in r:
            continue
        rows.append([f"PyTorch {r['mode']}, {r['threads']} thread{'s' if r['threads'] > 1 else ''}",
                     f(r["mean_us"]), f(r["min_us"]), f(r["p50_us"]), f(r["p99_us"])])
        if best is None or r["p50_us"] < best["p50_us"]:
            best = r
    rows.append([f"PyTorch / nnc (best PyTorch setting by p50: {best['mode']}, {best['threads']}T)",
                 ratio(best["mean_us"], one["mean"]), ratio(best["min_us"], one["min"]), ratio(best["p50_us"], one["p50"]),
                 ratio(best["p99_us"], one["p99"])])
ort_best = None
for t, r in ort.items():
    if r is None:
        continue
    rows.append([f"ONNX Runtime (Java API), {t} thread{'s' if t > 1 else ''}",
                 f(r["mean"]) + (f" ±{r['err']:.3f}" if r["err"] is not None else ""), f(r["min"]), f(r["p50"]), f(r["p99"])])
    if ort_best is None or (r["p50"] or 1e9) < (ort_best[1]["p50"] or 1e9):
        ort_best = (t, r)
if ort_best:
    t, r = ort_best
    rows.append([f"ONNX Runtime / nnc (best by p50: {t}T)", ratio(r["mean"], one["mean"]), ratio(r["min"], one["min"]),
                 ratio(r["p50"], one["p50"]), ratio(r["p99"], one["p99"])])
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
line = lambda r: "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
print(line(header))
for r in rows:
    print(line(r))
print()
print("batch of 256 in one call, per sample:")
print(f"  nnc predict(float[][])   mean {f(batch['mean'])}  p50 {f(batch['p50'])}")
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
