#!/usr/bin/env bash
# A Jazzer fuzzing session of one fuzz test (docs/reliability.md, "Fuzzing"):
#   bench/fuzz.sh front-end|whole-chain [--runs N] [--time 10m]
# front-end fuzzes FrontEndFuzzTest.parseAndCheck (bytes -> parse and check), whole-chain
# WholeChainFuzzTest.trainerPassesGradcheck (a model from the bytes -> check, generate, compile,
# trainer against the reference evaluator and gradcheck). The session ends after N executions or
# the time (default: 10 minutes, no bound on executions), whichever comes first, or at the first
# finding: the input is saved as nnc/src/test/resources/dev/nnc/<Test>Inputs/<method>/crash-<sha1>,
# where every later `mvn verify` runs it again. The corpus the session grows stays in
# nnc/.cifuzz-corpus/ (not committed) and seeds the next session. libFuzzer's progress lines
# (executions, exec/s, cov: coverage edges) go to the terminal; the test's own summary (inputs,
# and for the whole chain javac runs and how the inputs ended) is the last lines of
# nnc/target/surefire-reports/dev.nnc.<Test>-output.txt, printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
  front-end) test=FrontEndFuzzTest ;;
  whole-chain) test=WholeChainFuzzTest ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
shift
runs=0
time=10m
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --time) time="$2"; shift 2 ;;
    *) echo "fuzz.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

# Fuzzing mode runs one fuzz test per JVM; the reactor builds nnc-runtime for it (never from ~/.m2).
status=0
JAZZER_FUZZ=1 mvn -B -o test -pl nnc-runtime,nnc -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_executions="$runs" -Djazzer.max_duration="$time" || status=$?
tail -n 3 "nnc/target/surefire-reports/dev.nnc.$test-output.txt" 2>/dev/null | grep "^$test:" || true
exit "$status"
