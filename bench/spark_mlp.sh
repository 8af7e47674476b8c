#!/usr/bin/env bash
# The Spark benchmark of issue 15: nnc (samples/fashion_mnist.nn through NncEstimator, sync and
# average modes) against Spark MLlib's MultilayerPerceptronClassifier (784-128-64-10, l-bfgs) on
# Fashion-MNIST, both on local[2]: wall time (fit time) to the first model at or above 0.85 test
# accuracy. Builds the modules if nnc-spark's jar or test classes are missing.
#   bench/spark_mlp.sh [--target 0.85] [--sync-epochs 4] [--average-epochs 10]
#                      [--mllib-iters 25,50,75,100] [--only nnc|mllib]
# Needs Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f nnc-spark/target/nnc-spark.jar ] || [ ! -f nnc-spark/target/test-classes/dev/nnc/spark/FashionMlpBench.class ]; then
  mvn -B -q package -DskipTests -pl nnc-runtime,nnc,nnc-spark
fi

# Spark on JDK 17: the opens of spark.jvm.opens in nnc-spark/pom.xml
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' nnc-spark/pom.xml)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/nnc-sbench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

export OMP_NUM_THREADS=1
# shellcheck disable=SC2086
java -Xmx6g --add-modules jdk.incubator.vector $opens \
  -Dlog4j2.configurationFile=nnc-spark/src/main/resources/dev/nnc/spark/train-log4j2.properties \
  -cp 'nnc-spark/target/test-classes:nnc-spark/target/classes:nnc-spark/target/nnc-spark.jar:nnc-spark/target/lib/*' \
  dev.nnc.spark.FashionMlpBench --local-dir "$scratch" "$@"
