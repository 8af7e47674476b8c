#!/usr/bin/env bash
# The shape sweep of issue 19, nnc against PyTorch in one run:
#   bench/sweep.sh [--widths 10,64,...] [--batches 1,8,...] [--depths 1,3] [--optimizers sgd,adam]
#                  [--seconds S] [--warmup S] [--threads 1,2] [--epochs E] [--max-samples N]
#                  [--plain] [--no-torch] [--smoke] [--out DIR]
# Each point is a dense ReLU MLP, input = output = width, depth hidden layers of the width (512 above
# 4096), mse, f32, sgd(lr = 0.01) or adam(lr = 0.001). For each: steady-state samples/s
# (`nnc bench --json`, best of --threads; bench/torch_sweep.py --steady with 1 and 2 threads) and a
# whole `nnc train --epochs 5` process against bench/torch_sweep.py --whole on the same synthetic CSV.
# Writes DIR/results.csv, results.md (table, worst five points) and heatmap.png (JFreeChart);
# `bench/sweep.sh --help` lists every option. Builds target/nnc.jar and nnc-bench when missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f target/nnc.jar ] || [ -n "$(find nnc/src nnc/pom.xml nnc-runtime/src nnc-runtime/pom.xml grammar pom.xml -newer target/nnc.jar -print -quit)" ] \
   || [ ! -f nnc-bench/target/benchmarks.jar ] || [ -n "$(find nnc-bench/src nnc-bench/pom.xml -newer nnc-bench/target/benchmarks.jar -print -quit)" ]; then
  echo "building target/nnc.jar and nnc-bench ..." >&2
  mvn -q -B package -DskipTests -pl nnc-runtime,nnc,nnc-bench >&2
fi
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}
torch=()
if ! env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp "$python" -c 'import torch' 2>/dev/null; then
  echo "no PyTorch (apt-get install python3-torch libopenblas0-openmp): nnc's figures alone" >&2
  torch=(--no-torch)
fi
exec java -cp 'nnc-bench/target/benchmarks.jar:nnc-bench/target/lib/*' dev.nnc.bench.Sweep --nnc target/nnc.jar --python "$python" "$@" ${torch[@]+"${torch[@]}"}
