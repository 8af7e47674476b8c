#!/usr/bin/env bash
# Issue 13's whole runs, nnc and PyTorch side by side in one run:
#   bench/whole_runs.sh [--repeat N] [--plot F.png] [--out DIR] [--cases fashion1,fashion5,wide1] [--dl4j]
# Each case is one whole process, timed from before it starts to after it exits:
#   fashion1  samples/fashion_mnist.nn (784-128-64-10, batch 64, Adam), 1 epoch
#   fashion5  the same, 5 epochs
#   wide1     bench/fashion_wide.nn (784-1024-1024-10, batch 256, Adam), 1 epoch
#   linear5   bench/linear.nn (784-10 softmax, batch 64, SGD), 5 epochs
#   linear1000  the same at --batch 1000, 5 epochs
#   widetanh5   bench/widetanh.nn (2-100000-1 tanh, batch 4, Adam), 5 epochs of 2,000 synthetic rows
#   deepnarrow5 bench/deepnarrow.nn (eight tanh layers of 32, batch 1, SGD), 5 epochs of 4,096 rows
#               (the synthetic cases' PyTorch side is bench/torch_sweep.py --whole --activation tanh)
# on Fashion-MNIST (apt-get install dataset-fashion-mnist), reading the data and the test pass
# included, against bench/torch_runs.py (PyTorch + OpenBLAS, 1 and 2 threads). nnc runs as
#   nnc            java -jar target/nnc.jar train FILE --epochs E, the compiled trainer cached by
#                  an earlier run of the same file (every run after a model's first)
#   nnc, first run the same with NNC_CACHE=0: derive, emit and javac in the run
#   nnc --vector   cached, the Vector API's kernels (a second JVM with the incubator module)
# --dl4j adds DL4J (bench/dl4j, built on first use: 150 MB of jars) with 1 and 2 threads, once per
# case (its runs are long). Every variant runs N times (default 2); the table shows the best (shortest) of each, for PyTorch
# the best over both thread counts, and nnc's setup (process start to the first training step,
# from NNC_TIMELINE). --plot draws samples/s per epoch of the best 5-epoch runs (JFreeChart, through
# nnc-bench's EpochPlot). DIR (default: a temporary folder) keeps every run's JSON.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=2
plot=
out=
cases=fashion1,fashion5,wide1
dl4j=0
while (($#)); do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --plot) plot="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --dl4j) dl4j=1; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "whole_runs.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

data=/usr/share/datasets/fashion-mnist
if [ ! -d "$data" ] && [[ ",$cases," =~ ,(fashion1|fashion5|wide1|linear5|linear1000), ]]; then
  echo "whole_runs.sh: no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist)" >&2
  exit 1
fi
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}
torch_env=(env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH})
have_torch=1
"${torch_env[@]}" "$python" -c 'import torch' 2>/dev/null || have_torch=0
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/nnc-whole-runs.XXXXXX")
fi
mkdir -p "$out"

if [ ! -f target/nnc.jar ] || [ -n "$(find nnc/src nnc/pom.xml nnc-runtime/src nnc-runtime/pom.xml grammar pom.xml -newer target/nnc.jar -print -quit)" ]; then
  echo "building target/nnc.jar ..." >&2
  mvn -q -B package -DskipTests -pl nnc-runtime,nnc >&2
fi

now_ms() { date +%s%3N; }

# run_nnc LABEL FILE EPOCHS REP [env...] [-- extra flags]
run_nnc() {
  local label=$1 file=$2 epochs=$3 rep=$4; shift 4
  local envs=() extra=()
  while (($#)) && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  (($#)) && shift
  extra=("$@")
  local base="$out/$label.$rep"
  local t0 t1
  t0=$(now_ms)
  env "${envs[@]}" NNC_TIMELINE="$t0" java -jar target/nnc.jar train "$file" --epochs "$epochs" --json "${extra[@]}" \
    > "$base.json" 2> "$base.err"
  t1=$(now_ms)
  local setup
  setup=$(sed -n 's/^\[timeline\] \([0-9]*\) ms  first step$/\1/p' "$base.err" | head -1)
  echo "{\"start_ms\": $t0, \"end_ms\": $t1, \"setup_ms\": ${setup:-null}}" > "$base.wall"
}

# run_peer LABEL REP COMMAND...: one whole process of a peer, its JSON on stdout
run_peer() {
  local label=$1 rep=$2; shift 2
  local base="$out/$label.$rep"
  local t0 t1
  t0=$(now_ms)
  "$@" > "$base.json" 2> "$base.err" || true
  t1=$(now_ms)
  echo "{\"start_ms\": $t0, \"end_ms\": $t1, \"setup_ms\": null}" > "$base.wall"
}

# synthetic CSV F with N rows of I inputs in [-1, 1) and one target, tanh of their mean, seed 1
synthetic_csv() {
  "$python" -c '
import sys, numpy as np
f, n, i = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = np.random.default_rng(1)
x = np.round(r.uniform(-1, 1, (n, i)), 4)
y = np.round(np.tanh(x.mean(axis=1, keepdims=True) * 2), 4)
np.savetxt(f, np.hstack([x, y]), delimiter=",", fmt="%.4f")' "$@"
}

IFS=, read -r -a case_list <<< "$cases"
for c in "${case_list[@]}"; do
  peer=()
  case "$c" in
    fashion1) file=samples/fashion_mnist.nn; model=fashion; epochs=1; flags=() ;;
    fashion5) file=samples/fashion_mnist.nn; model=fashion; epochs=5; flags=() ;;
    wide1) file=bench/fashion_wide.nn; model=wide; epochs=1; flags=() ;;
    linear5) file=bench/linear.nn; model=linear; epochs=5; flags=() ;;
    linear1000) file=bench/linear.nn; model=linear1000; epochs=5; flags=(--batch 1000) ;;
    widetanh5) file=bench/widetanh.nn; epochs=5; synthetic_csv "$out/widetanh.csv" 2000 2
      flags=(--data "$out/widetanh.csv")
      peer=(bench/torch_sweep.py --in 2 --hidden 100000 --out 1 --depth 1 --batch 4 --optimizer adam --activation tanh
        --whole "$out/widetanh.csv" --epochs 5) ;;
    deepnarrow5) file=bench/deepnarrow.nn; epochs=5; synthetic_csv "$out/deepnarrow.csv" 4096 32
      flags=(--data "$out/deepnarrow.csv")
      peer=(bench/torch_sweep.py --in 32 --hidden 32 --out 1 --depth 8 --batch 1 --optimizer sgd --activation tanh
        --whole "$out/deepnarrow.csv" --epochs 5) ;;
    *) echo "whole_runs.sh: unknown case $c" >&2; exit 2 ;;
  esac
  echo "$c: priming nnc's trainer cache ..." >&2
  java -jar target/nnc.jar train "$file" --epochs 1 --batch 60000 ${flags[@]+"${flags[@]}"} > /dev/null 2>&1 || true
  java -jar target/nnc.jar train "$file" --epochs 1 --batch 60000 --vector ${flags[@]+"${flags[@]}"} > /dev/null 2>&1 || true
  for ((r = 1; r <= repeat; r++)); do
    echo "$c: round $r/$repeat ..." >&2
    run_nnc "$c.nnc" "$file" "$epochs" "$r" -- ${flags[@]+"${flags[@]}"}
    run_nnc "$c.nnc-first-run" "$file" "$epochs" "$r" NNC_CACHE=0 -- ${flags[@]+"${flags[@]}"}
    run_nnc "$c.nnc-vector" "$file" "$epochs" "$r" -- --vector ${flags[@]+"${flags[@]}"}
    if ((have_torch)); then
      for t in 1 2; do
        if ((${#peer[@]})); then
          run_peer "$c.torch-$t" "$r" "${torch_env[@]}" OMP_NUM_THREADS="$t" "$python" "${peer[@]}" --threads "$t"
        else
          run_peer "$c.torch-$t" "$r" "${torch_env[@]}" OMP_NUM_THREADS="$t" "$python" bench/torch_runs.py --model "$model" \
            --epochs "$epochs" --threads "$t"
        fi
      done
    fi
  done
  if ((dl4j)) && ((${#peer[@]} == 0)); then
    echo "$c: DL4J ..." >&2
    bench/dl4j/run.sh --model "$model" --epochs 1 --threads 1 > /dev/null 2>&1 || true   # builds it, warms the disk cache
    for t in 1 2; do
      run_peer "$c.dl4j-$t" 1 bench/dl4j/run.sh --model "$model" --epochs "$epochs" --threads "$t"
    done
  fi
done
((have_torch)) || echo "no PyTorch (apt-get install python3-torch libopenblas0-openmp): nnc's figures alone" >&2

"$python" bench/whole_runs_table.py "$out" "$cases" ${plot:+--csv "$out/epochs.csv"}
if [ -n "$plot" ]; then
  if [ ! -f nnc-bench/target/benchmarks.jar ] || [ -n "$(find nnc-bench/src nnc-bench/pom.xml -newer nnc-bench/target/benchmarks.jar -print -quit)" ]; then
    echo "building nnc-bench ..." >&2
    mvn -q -B package -DskipTests -pl nnc-runtime,nnc-bench >&2
  fi
  java -cp 'nnc-bench/target/benchmarks.jar:nnc-bench/target/lib/*' dev.nnc.bench.EpochPlot "$out/epochs.csv" "$plot"
  echo "wrote $plot" >&2
fi
echo "runs kept in $out" >&2
