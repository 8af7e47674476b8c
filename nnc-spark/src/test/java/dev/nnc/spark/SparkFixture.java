package dev.nnc.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;

/**
 * One lean local Spark for a test class ({@code local[2]}, no UI, 127.0.0.1, its scratch space in
 * the test's folder), with the test models compiled into a jar that the executors load, and data.
 */
final class SparkFixture implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("nnc.root", ".."));

    final SparkSession spark;
    private final ClassLoader saved;

    SparkFixture(Path temp, ModelJar... jars) {
        saved = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = saved;
        for (ModelJar jar : jars) {
            loader = jar.loader(loader);
        }
        Thread.currentThread().setContextClassLoader(loader);
        spark = session(temp);
        spark.sparkContext().setLogLevel("WARN");
        for (ModelJar jar : jars) {
            spark.sparkContext().addJar(jar.jar().toString());
        }
    }

    static SparkSession session(Path temp) {
        return SparkSession.builder().master("local[2]").appName("nnc-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.local.dir", temp.resolve("spark-local").toString())
                .config("spark.jars.ivy", temp.resolve("ivy").toString())
                .config("spark.sql.warehouse.dir", temp.resolve("warehouse").toUri().toString())
                .getOrCreate();
    }

    static ModelJar compile(String nn, boolean f64, Path temp) {
        Path file = nn.startsWith("samples/") ? ROOT.resolve(nn) : Path.of("nnc-spark/src/test/resources").resolve(nn);
        if (!file.isAbsolute()) {
            file = ROOT.resolve(file);
        }
        String name = file.getFileName().toString().replace(".nn", "") + (f64 ? "-f64" : "") + ".jar";
        return ModelJar.compile(file, f64, temp.resolve(name));
    }

    /** {@code n} points of the rings problem (rings.nn), seeded: features x[2], label the ring. */
    static List<double[]> rings(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = r.nextDouble() * 3 - 1.5;
            double y = r.nextDouble() * 3 - 1.5;
            double radius = Math.hypot(x, y);
            rows.add(new double[] {x, y, radius < 0.6 ? 0 : radius < 1.1 ? 1 : 2});
        }
        return rows;
    }

    /** Rows {features, label} as a DataFrame of {@code partitions} partitions, in the list's order. */
    org.apache.spark.sql.Dataset<Row> frame(List<double[]> rows, int partitions) {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        List<Row> list = new ArrayList<>();
        for (double[] r : rows) {
            list.add(RowFactory.create(Vectors.dense(r[0], r[1]), r[2]));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(list, partitions), schema);
    }

    @Override
    public void close() {
        spark.stop();
        Thread.currentThread().setContextClassLoader(saved);
    }
}
