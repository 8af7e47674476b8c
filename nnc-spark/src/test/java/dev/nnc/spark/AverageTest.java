package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Model;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** average mode learns; a fitted model saves, loads and serves locally; bad columns are refused by name. */
class AverageTest extends LocalSparkTest {

    @BeforeAll
    static void start() {
        startSpark(false);
    }

    @Test
    void averageLearnsTheRings() {
        NncSparkModel model = new NncEstimator().setModelClass(rings.className()).setMode("average")
                .setEpochs(30).setBatchSize(16).setLearningRate(0.03).setSeed(5).fit(spark.frame(SparkFixture.rings(240, 1), 2));
        double accuracy = SyncTest.accuracy(model.transform(spark.frame(SparkFixture.rings(200, 2), 2)).collectAsList());
        assertTrue(accuracy >= 0.85, "test accuracy " + accuracy);
    }

    @Test
    void averagesEveryFewBatches() {
        List<Double> losses = new java.util.ArrayList<>();
        new NncEstimator().setModelClass(rings.className()).setMode("average").setAveragingFrequency(2)
                .setEpochs(4).setBatchSize(16).setSeed(5).onEpoch(e -> losses.add(e.loss()))
                .fit(spark.frame(SparkFixture.rings(120, 1), 2));
        assertEquals(4, losses.size());
        assertTrue(losses.get(3) < losses.get(0), "losses " + losses);
    }

    @Test
    void savesLoadsAndServesLocally() throws java.io.IOException {
        org.apache.spark.sql.Dataset<Row> data = spark.frame(SparkFixture.rings(60, 3), 2);
        NncSparkModel model = new NncEstimator().setModelClass(rings.className()).setEpochs(2).setBatchSize(20).fit(data);
        String path = temp.resolve("saved-model").toUri().toString();
        model.write().overwrite().save(path);
        NncSparkModel loaded = NncSparkModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(rings.className(), loaded.getModelClass());
        List<Row> before = model.transform(data).collectAsList();
        List<Row> after = loaded.transform(data).collectAsList();
        Model local = loaded.toLocal();
        for (int i = 0; i < before.size(); i++) {
            Vector out = before.get(i).getAs("output");
            assertArrayEquals(out.toArray(), ((Vector) after.get(i).getAs("output")).toArray(), 0);
            double[] x = ((Vector) before.get(i).getAs("features")).toArray();
            assertArrayEquals(out.toArray(), local.predict(x), 0);
            assertEquals(out.argmax(), before.get(i).getDouble(before.get(i).fieldIndex("prediction")), 0);
        }
        assertTrue(temp.resolve("saved-model").resolve(NncModelIO.WEIGHTS).toFile().isFile());
    }

    @Test
    void refusesAMissingColumnByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NncEstimator()
                .setModelClass(rings.className()).setFeaturesCol("pixels").fit(spark.frame(SparkFixture.rings(10, 3), 1)));
        assertTrue(e.getMessage().contains("featuresCol names column pixels"), e.getMessage());
    }

    @Test
    void refusesFeaturesOfTheWrongWidthWithTheSizes() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType()).add("label", "double");
        org.apache.spark.sql.Dataset<Row> wide = spark.spark.createDataFrame(
                List.of(org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(1, 2, 3), 1.0)), schema);
        Exception e = assertThrows(Exception.class, () -> new NncEstimator().setModelClass(rings.className()).setEpochs(1).fit(wide));
        String all = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(all.contains("featuresCol column features of row 0 has 3 values; the model takes 2 inputs"), all);
    }
}
