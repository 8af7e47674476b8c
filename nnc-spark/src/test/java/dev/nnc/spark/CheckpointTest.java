package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A checkpoint keeps the last finished epoch; a run resumed from it ends where an uninterrupted one does. */
class CheckpointTest extends LocalSparkTest {

    @BeforeAll
    static void start() {
        startSpark(true);
    }

    private static NncEstimator estimator(int epochs) {
        return new NncEstimator().setModelClass(rings.className()).setMode("sync").setEpochs(epochs).setBatchSize(10)
                .setLearningRate(0.02).setSeed(2).setShuffle(true);
    }

    @Test
    void resumingEndsAsTheUninterruptedRun() {
        org.apache.spark.sql.Dataset<Row> data = spark.frame(SparkFixture.rings(40, 5), 2);
        NncSparkModel whole = estimator(4).fit(data);

        String checkpoint = temp.resolve("run.ckpt").toUri().toString();
        estimator(2).setCheckpoint(checkpoint).fit(data);
        assertTrue(Files.isRegularFile(temp.resolve("run.ckpt")), "the checkpoint was written");
        List<Integer> resumed = new ArrayList<>();
        NncSparkModel rest = estimator(4).setCheckpoint(checkpoint).onEpoch(e -> resumed.add(e.epoch())).fit(data);
        assertEquals(List.of(3, 4), resumed, "the second run starts after the checkpoint's epoch");
        SyncTest.assertClose(whole.parameters(), rest.parameters());
    }

    @Test
    void refusesTheCheckpointOfAnotherRun() {
        org.apache.spark.sql.Dataset<Row> data = spark.frame(SparkFixture.rings(20, 5), 1);
        String checkpoint = temp.resolve("other.ckpt").toUri().toString();
        estimator(1).setCheckpoint(checkpoint).fit(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> estimator(2).setBatchSize(5).setCheckpoint(checkpoint).fit(data));
        assertTrue(e.getMessage().contains("is of another run"), e.getMessage());
    }
}
