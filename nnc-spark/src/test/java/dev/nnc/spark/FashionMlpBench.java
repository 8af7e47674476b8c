package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark of issue 15: nnc's {@code samples/fashion_mnist.nn} through {@link NncEstimator}
 * against Spark MLlib's {@code MultilayerPerceptronClassifier} (784-128-64-10) on Fashion-MNIST,
 * both on {@code local[2]}: wall time to the first model at or above the target test accuracy.
 * A main class, not a test (surefire does not pick it up); {@code bench/spark_mlp.sh} runs it.
 * It sits in {@code dev.nnc.spark} for the package-private {@code ModelJar} and the
 * {@code onEpoch} listener that hands over each epoch's model.
 * <p>
 * Both read the same DataFrames (features: the pixels / 255 as a dense Vector, label: the class as
 * a double; 2 partitions, cached and counted before any clock starts). Times are fit times: data
 * loading is excluded for both; nnc's test evaluation after each epoch is subtracted from its clock.
 * <pre>
 * FashionMlpBench [--data DIR] [--target 0.85] [--sync-epochs N] [--average-epochs N]
 *                 [--mllib-iters 25,50,75,100] [--only nnc|mllib] [--local-dir D]
 * </pre>
 */
public final class FashionMlpBench {

    private FashionMlpBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        double target = 0.85;
        int syncEpochs = 4;
        int averageEpochs = 10;
        String mllibIters = "25,50,75,100";
        String only = "";
        Path localDir = null;
        for (int i = 0; i < args.length; i++) {
            String v = args[++i];
            switch (args[i - 1]) {
                case "--data" -> data = Path.of(v);
                case "--target" -> target = Double.parseDouble(v);
                case "--sync-epochs" -> syncEpochs = Integer.parseInt(v);
                case "--average-epochs" -> averageEpochs = Integer.parseInt(v);
                case "--mllib-iters" -> mllibIters = v;
                case "--only" -> only = v;
                case "--local-dir" -> localDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + args[i - 1]);
            }
        }
        Path scratch = localDir != null ? localDir : Files.createTempDirectory("nnc-sbench");
        ModelJar jar = ModelJar.compile(Path.of("samples/fashion_mnist.nn"), false, scratch.resolve("fashion_mnist.jar"));
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(jar.loader(saved));
        SparkSession spark = SparkSession.builder().master("local[2]").appName("nnc-spark MLlib benchmark")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.memory", "3g")
                .config("spark.local.dir", scratch.resolve("spark-local").toString())
                .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toUri().toString())
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        spark.sparkContext().addJar(jar.jar().toString());
        List<String> summary = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            double[][] testX = images(data.resolve("t10k-images-idx3-ubyte.gz"));
            int[] testY = labels(data.resolve("t10k-labels-idx1-ubyte.gz"));
            org.apache.spark.sql.Dataset<Row> train = frame(spark, data, "train", 60000).cache();
            org.apache.spark.sql.Dataset<Row> test = frame(spark, data, "t10k", 10000).cache();
            long trainRows = train.count();
            long testRows = test.count();
            say("data: %d train + %d test rows read and cached in %.1f s (not timed below)", trainRows, testRows, secs(t0));
            dev.nnc.runtime.Dataset testSet = dev.nnc.runtime.Dataset.of(testX, testY);
            if (!only.equals("mllib")) {
                summary.add(nnc(jar, "sync", syncEpochs, train, testSet, target));
                summary.add(nnc(jar, "average", averageEpochs, train, testSet, target));
            }
            if (!only.equals("nnc")) {
                summary.add(mllib(mllibIters, train, test, target));
            }
        } finally {
            spark.stop();
            Thread.currentThread().setContextClassLoader(saved);
        }
        say("");
        say("summary (target test accuracy %.2f; fit time, data loading excluded):", target);
        summary.forEach(FashionMlpBench::say);
    }

    /** nnc in one mode: test accuracy after every epoch; the time to the first epoch at or above target. */
    private static String nnc(ModelJar jar, String mode, int epochs, org.apache.spark.sql.Dataset<Row> train,
            dev.nnc.runtime.Dataset test, double target) {
        say("nnc %s: samples/fashion_mnist.nn (Adam lr 0.001, batch 64, shuffle, seed 42), %d epochs", mode, epochs);
        double[] evalSeconds = {0};
        double[] reached = {-1, 0, 0};
        double[] best = {0, 0};
        List<Double> epochSeconds = new ArrayList<>();
        long[] start = {0};
        NncEstimator est = new NncEstimator().setModelClass(jar.className()).setMode(mode).setEpochs(epochs)
                .onEpoch((stats, model) -> {
                    double elapsed = secs(start[0]) - evalSeconds[0];
                    long e0 = System.nanoTime();
                    double acc = ((Model) model).evaluate(test).accuracy();
                    evalSeconds[0] += secs(e0);
                    epochSeconds.add(stats.seconds());
                    if (acc > best[0]) {
                        best[0] = acc;
                        best[1] = elapsed;
                    }
                    if (reached[0] < 0 && acc >= target) {
                        reached[0] = stats.epoch();
                        reached[1] = elapsed;
                        reached[2] = acc;
                    }
                    say("  nnc %s epoch %d: loss %.4f  epoch %.2f s  test acc %.4f  fit time so far %.2f s", mode, stats.epoch(),
                            stats.loss(), stats.seconds(), acc, elapsed);
                });
        start[0] = System.nanoTime();
        est.fit(train);
        double total = secs(start[0]) - evalSeconds[0];
        double mean = epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return reached[0] > 0
                ? String.format(Locale.ROOT, "nnc %-7s reached %.4f after epoch %d at %.2f s (mean epoch %.2f s; %d epochs in %.2f s)",
                        mode, reached[2], (int) reached[0], reached[1], mean, epochSeconds.size(), total)
                : String.format(Locale.ROOT, "nnc %-7s did NOT reach %.2f in %d epochs (%.2f s); best %.4f at %.2f s (mean epoch %.2f s)",
                        mode, target, epochSeconds.size(), total, best[0], best[1], mean);
    }

    /** MLlib: separate fits (same seed) at each maxIter, until one reaches target; fit time of each. */
    private static String mllib(String iters, org.apache.spark.sql.Dataset<Row> train, org.apache.spark.sql.Dataset<Row> test,
            double target) {
        say("MLlib MultilayerPerceptronClassifier: layers 784-128-64-10 (sigmoid hidden, softmax output), l-bfgs, blockSize 128, seed 42");
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        double bestAcc = 0;
        String best = "";
        for (String s : iters.split(",")) {
            int maxIter = Integer.parseInt(s.trim());
            MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(new int[] {784, 128, 64, 10})
                    .setSolver("l-bfgs").setBlockSize(128).setSeed(42L).setMaxIter(maxIter);
            long t = System.nanoTime();
            MultilayerPerceptronClassificationModel model = mlp.fit(train);
            double fit = secs(t);
            int done = model.summary().totalIterations();
            double acc = accuracy.evaluate(model.transform(test));
            say("  MLlib maxIter %d: %d iterations in %.2f s (%.3f s/iteration)  test acc %.4f", maxIter, done, fit, fit / Math.max(1, done), acc);
            if (acc >= target) {
                return String.format(Locale.ROOT, "MLlib l-bfgs reached %.4f with maxIter %d (%d iterations) at %.2f s (%.3f s/iteration)",
                        acc, maxIter, done, fit, fit / Math.max(1, done));
            }
            if (acc > bestAcc) {
                bestAcc = acc;
                best = String.format(Locale.ROOT, "best %.4f with maxIter %d (%d iterations) at %.2f s", acc, maxIter, done, fit);
            }
        }
        return String.format(Locale.ROOT, "MLlib l-bfgs did NOT reach %.2f up to maxIter %s; %s", target, iters, best);
    }

    /** An IDX3 gzip file of unsigned-byte images: one row per image, the pixels / 255. */
    static double[][] images(Path file) throws IOException {
        try (DataInputStream in = idx(file, 0x803)) {
            int n = in.readInt();
            int size = in.readInt() * in.readInt();
            byte[] buf = new byte[size];
            double[][] x = new double[n][size];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                for (int j = 0; j < size; j++) {
                    x[i][j] = (buf[j] & 0xff) / 255.0;
                }
            }
            return x;
        }
    }

    /** An IDX1 gzip file of unsigned-byte labels. */
    static int[] labels(Path file) throws IOException {
        try (DataInputStream in = idx(file, 0x801)) {
            int n = in.readInt();
            byte[] buf = new byte[n];
            in.readFully(buf);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = buf[i] & 0xff;
            }
            return y;
        }
    }

    private static DataInputStream idx(Path file, int magic) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
        int m = in.readInt();
        if (m != magic) {
            in.close();
            throw new IOException(file + ": magic " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
        }
        return in;
    }

    /**
     * features (Vector) and label (double), in file order, in as many partitions as the context's
     * default parallelism (2 on local[2]): each partition reads its range of rows from the IDX files
     * itself, so that no task carries the data (a parallelized list would ride along in every task
     * of every job over it, 185 MB each).
     */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Path dir, String prefix, int n) {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = sc.defaultParallelism();
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            ids.add(p);
        }
        String images = dir.resolve(prefix + "-images-idx3-ubyte.gz").toString();
        String labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz").toString();
        var rows = sc.parallelize(ids, parts).flatMap(p -> {
            double[][] x = images(Path.of(images));
            int[] y = labels(Path.of(labels));
            int from = (int) ((long) x.length * p / parts);
            int to = (int) ((long) x.length * (p + 1) / parts);
            List<Row> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                out.add(RowFactory.create(Vectors.dense(x[i]), (double) y[i]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema);
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
