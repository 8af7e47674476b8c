package dev.nnc.spark;

import dev.nnc.runtime.DataParallel;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.EpochStats;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code nnc train} on Spark: compiles a {@code .nn} on the driver, ships the generated classes
 * (and this jar, which holds nnc and its runtime) to the executors, trains with
 * {@link NncEstimator}, and reports as {@code nnc train} does.
 * <pre>
 *   java -cp 'nnc-spark/target/nnc-spark.jar:nnc-spark/target/lib/*' dev.nnc.spark.Train samples/xor.nn --master local[2] --mode sync
 *   spark-submit --class dev.nnc.spark.Train nnc-spark.jar model.nn --data train.csv --test-data test.csv --save w.json
 * </pre>
 * Exit status as {@code nnc}'s: 0 success, 1 the input is wrong, 2 the command line is wrong, 3 anything else.
 */
public final class Train {

    private Train() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", Train.class.getResource("train-log4j2.properties").toString());
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one training; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        TrainFlags flags;
        try {
            flags = TrainFlags.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("nnc-spark: " + e.getMessage());
            err.println(TrainFlags.USAGE);
            return 2;
        }
        Path scratch = null;
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try {
            scratch = Files.createTempDirectory("nnc-spark");
            ModelJar jar = ModelJar.compile(flags.model(), false, scratch.resolve("model.jar"));
            Thread.currentThread().setContextClassLoader(jar.loader(saved));
            return train(flags, jar, out, err);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("nnc-spark: " + e.getMessage());
            return 1;
        } catch (RuntimeException | IOException e) {
            err.println("nnc-spark: " + e);
            return flags.model() != null && e.getClass().getName().startsWith("dev.nnc") ? 1 : 3;
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
            deleteTree(scratch);
        }
    }

    private static int train(TrainFlags flags, ModelJar jar, PrintStream out, PrintStream err) {
        Model model = Model.of(jar.className());
        Dataset train = flags.data() != null ? DataParallel.read(model, flags.data()) : model.dataReader().train();
        Dataset test = flags.testData() != null ? DataParallel.read(model, flags.testData()) : namedTest(model);
        SparkSession.Builder builder = SparkSession.builder().appName("nnc-spark " + flags.model().getFileName());
        if (flags.master() != null) {
            builder.master(flags.master());
        }
        flags.conf().forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        try {
            spark.sparkContext().addJar(jar.jar().toString());
            String own = ownJar();
            if (own != null && !spark.sparkContext().listJars().contains(own)) {
                spark.sparkContext().addJar(own);
            }
            int epochs = flags.epochs() != null ? flags.epochs() : DataParallel.epochs(model);
            List<EpochStats> history = new ArrayList<>();
            NncEstimator estimator = new NncEstimator().setModelClass(jar.className()).setMode(flags.mode()).setEpochs(epochs)
                    .onEpoch((stats, trained) -> {
                        EpochStats e = test == null ? stats : tested(stats, trained, test);
                        history.add(e);
                        err.println(DataParallel.epochLine(e, epochs));
                    });
            if (flags.batch() != null) {
                estimator.setBatchSize(flags.batch());
            }
            if (flags.lr() != null) {
                estimator.setLearningRate(flags.lr());
            }
            if (flags.checkpoint() != null) {
                estimator.setCheckpoint(flags.checkpoint());
            }
            long start = System.nanoTime();
            NncSparkModel fitted = estimator.fit(frame(spark, model, train));
            double seconds = (System.nanoTime() - start) / 1e9;
            Model result = fitted.toLocal();
            if (flags.save() != null) {
                result.save(flags.save());
                err.println("saved the weights to " + flags.save());
            }
            double trained = 0;
            double stepSeconds = 0;
            for (EpochStats e : history) {
                trained += train.size();
                stepSeconds += e.seconds();
            }
            double samplesPerSecond = trained / Math.max(1e-9, stepSeconds);
            if (flags.json()) {
                out.println(DataParallel.trainJson(history, seconds, samplesPerSecond, flags.save() == null ? result : null));
            } else if (!history.isEmpty()) {
                out.println(DataParallel.epochLine(history.get(history.size() - 1), epochs).replaceFirst("^epoch \\d+/\\d+  ", "")
                        + "  (" + history.size() + (history.size() == 1 ? " epoch, " : " epochs, ") + String.format("%.2f", seconds) + " s)");
            } else {
                out.println("nothing to train: the checkpoint " + flags.checkpoint() + " is already at epoch " + epochs);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The epoch's figures with the test set's loss and accuracy, evaluated on the driver. */
    private static EpochStats tested(EpochStats stats, Model trained, Dataset test) {
        Evaluation e = trained.evaluate(test);
        return DataParallel.epoch(stats.epoch(), stats.loss(), stats.seconds(), stats.samplesPerSecond(), e.loss(), e.accuracy());
    }

    private static Dataset namedTest(Model model) {
        try {
            return model.dataReader().test();
        } catch (IllegalStateException e) {
            return null; // the train block names no test data
        }
    }

    /** The training data as a DataFrame of {@code features} (Vector) and {@code label} (a number, or a Vector of the targets). */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Model model, Dataset data) {
        double[][][] rows = DataParallel.rows(model, data);
        boolean scalar = rows[1].length > 0 && rows[1][0].length == 1;
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", scalar ? DataTypes.DoubleType : SQLDataTypes.VectorType());
        List<Row> list = new ArrayList<>(rows[0].length);
        for (int s = 0; s < rows[0].length; s++) {
            list.add(RowFactory.create(Vectors.dense(rows[0][s]), scalar ? (Object) rows[1][s][0] : Vectors.dense(rows[1][s])));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(list, sc.defaultParallelism()), schema);
    }

    /** The jar this class was loaded from (nnc-spark.jar, with nnc and its runtime inside), or null when run from classes. */
    private static String ownJar() {
        try {
            Path p = Path.of(Train.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.toUri().toString() : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the OS cleans up after us
        }
    }
}
