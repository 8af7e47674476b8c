package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sync mode: it learns, and it takes exactly the steps of single-machine training. */
class SyncTest extends LocalSparkTest {

    @BeforeAll
    static void start() {
        startSpark(true);
    }

    @Test
    void syncLearnsTheRings() {
        List<double[]> train = SparkFixture.rings(240, 1);
        NncSparkModel model = new NncEstimator().setModelClass(rings.className()).setMode("sync")
                .setEpochs(15).setBatchSize(30).setLearningRate(0.05).setSeed(5).fit(spark.frame(train, 2));
        double accuracy = accuracy(model.transform(spark.frame(SparkFixture.rings(200, 2), 2)).collectAsList());
        assertTrue(accuracy >= 0.85, "test accuracy " + accuracy);
    }

    /** In f64 without shuffling, the weights equal Model.fit's with the same batch size at 1e-9 relative. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void syncEqualsSingleMachine(int partitions) {
        List<double[]> rows = SparkFixture.rings(46, 3);
        NncSparkModel spark3 = estimator(false).fit(spark.frame(rows, partitions));
        assertClose(single(rows, false), spark3.parameters());
    }

    /** With shuffling, the k-th batch is still the k-th batch of Model.fit: the same seeded permutation. */
    @Test
    void syncShufflesAsSingleMachine() {
        List<double[]> rows = SparkFixture.rings(46, 4);
        NncSparkModel fitted = estimator(true).fit(spark.frame(rows, 2));
        assertClose(single(rows, true), fitted.parameters());
    }

    private static NncEstimator estimator(boolean shuffle) {
        return new NncEstimator().setModelClass(rings.className()).setMode("sync").setEpochs(3).setBatchSize(8)
                .setLearningRate(0.02).setSeed(11).setShuffle(shuffle);
    }

    private static Map<String, Tensor> single(List<double[]> rows, boolean shuffle) {
        Model m = Models.create(rings.className(), 11);
        m.fit(dataset(rows), TrainOptions.fromModel().epochs(3).batch(8).lr(0.02).seed(11).shuffle(shuffle).threads(1));
        return m.parameters();
    }

    static Dataset dataset(List<double[]> rows) {
        double[][] x = new double[rows.size()][];
        int[] y = new int[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rows.get(i)[0], rows.get(i)[1]};
            y[i] = (int) rows.get(i)[2];
        }
        return Dataset.of(x, y);
    }

    static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            double[] e = expected.get(name).doubleData();
            double[] a = actual.get(name).doubleData();
            for (int i = 0; i < e.length; i++) {
                double scale = Math.max(Math.abs(e[i]), 1e-3);
                assertTrue(Math.abs(e[i] - a[i]) <= 1e-9 * scale, name + "[" + i + "]: single machine " + e[i] + ", spark " + a[i]);
            }
        }
    }

    static double accuracy(List<Row> scored) {
        int right = 0;
        for (Row r : scored) {
            if (r.getDouble(r.fieldIndex("prediction")) == r.getDouble(r.fieldIndex("label"))) {
                right++;
            }
        }
        return right / (double) scored.size();
    }
}
