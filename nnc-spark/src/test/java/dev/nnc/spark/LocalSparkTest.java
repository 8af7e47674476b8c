package dev.nnc.spark;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class with one lean local Spark ({@link SparkFixture}) and the rings model (rings.nn)
 * compiled into a jar its executors load: {@code @BeforeAll} calls {@link #startSpark}; the
 * session stops after the class.
 */
abstract class LocalSparkTest {

    @TempDir
    static Path temp;
    static SparkFixture spark;
    static ModelJar rings;

    /** Compiles rings.nn ({@code f64} forced or not) and starts Spark with it. */
    static void startSpark(boolean f64) {
        rings = SparkFixture.compile("rings.nn", f64, temp);
        spark = new SparkFixture(temp, rings);
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }
}
