#!/usr/bin/env bash
# One whole DL4J training run, the peer of bench/torch_runs.py (see bench/dl4j/README.md):
#   bench/dl4j/run.sh [--model fashion|wide] [--epochs N] [--threads T] [--data DIR]
# Builds bench/dl4j (a standalone Maven project, not in the reactor) if target/ is missing or
# older than its sources, then runs dev.nnc.bench.Dl4jRun from the repository root; one JSON line
# on stdout, logs on stderr. --threads T sets OMP_NUM_THREADS=T, which ND4J's native backend reads
# (without it, OMP_NUM_THREADS from the environment, else ND4J's default: the physical cores).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=bench/dl4j
jar=$dir/target/nnc-dl4j-peer.jar
if [ ! -f "$jar" ] || [ ! -d "$dir/target/lib" ] \
  || [ -n "$(find "$dir/src" "$dir/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  mvn -q -B -f "$dir/pom.xml" package -DskipTests >&2
fi

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--threads" ] && ((i + 1 < ${#args[@]})); then
    export OMP_NUM_THREADS="${args[i + 1]}"
  fi
done
exec java ${DL4J_JAVA_OPTS:-} -cp "$jar:$dir/target/lib/*" dev.nnc.bench.Dl4jRun "$@"
