package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A train block's {@code schedule} and {@code clip_norm} on Spark: {@code sync} takes Model.fit's
 * steps (each epoch at its scheduled rate, each summed batch clipped) to 1e-9 in f64, and
 * {@code average} on one partition is fit as well (a round is an epoch at that epoch's rate).
 */
class ScheduleClipTest {

    @TempDir
    static Path temp;
    static SparkFixture spark;
    static ModelJar scheduled;

    @BeforeAll
    static void start() {
        scheduled = SparkFixture.compile("rings_scheduled.nn", true, temp);
        spark = new SparkFixture(temp, scheduled);
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static NncEstimator estimator(String mode) {
        return new NncEstimator().setModelClass(scheduled.className()).setMode(mode).setShuffle(false).setSeed(11);
    }

    private static Map<String, Tensor> single(List<double[]> rows, TrainOptions options) {
        Model m = Models.create(scheduled.className(), 11);
        m.fit(SyncTest.dataset(rows), options.seed(11).shuffle(false).threads(1));
        return m.parameters();
    }

    @Test
    void syncSchedulesAndClipsAsSingleMachine() {
        List<double[]> rows = SparkFixture.rings(46, 6);
        Map<String, Tensor> expected = single(rows, TrainOptions.fromModel());
        SyncTest.assertClose(expected, estimator("sync").fit(spark.frame(rows, 2)).parameters());
        // and the settings matter: without them fit ends elsewhere
        Map<String, Tensor> plain = single(rows, TrainOptions.fromModel().schedule(LearningRateSchedule.constant()).noClipNorm());
        double[] a = expected.get("h.W").doubleData();
        double[] b = plain.get("h.W").doubleData();
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        assertTrue(largest > 1e-3, "schedule and clip_norm change h.W by " + largest);
    }

    @Test
    void averageOnOnePartitionIsFit() {
        List<double[]> rows = SparkFixture.rings(40, 7);
        SyncTest.assertClose(single(rows, TrainOptions.fromModel()), estimator("average").fit(spark.frame(rows, 1)).parameters());
    }
}
