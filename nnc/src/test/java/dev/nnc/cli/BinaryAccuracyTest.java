package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.EpochStats;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Schema;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accuracy of a binary classifier (language.md section 9: a target of one element with {@code bce}
 * or {@code bce_logits}) everywhere accuracy is reported: {@code nnc train}'s per-epoch test and
 * validation figures and {@code --json}, {@code eval}, the standalone trainer, and the Java API's
 * {@code evaluate} and {@code EpochStats.validationAccuracy()}. The expected accuracy is counted here
 * from {@code predict}'s outputs: positive when the output (a logit) is at least 0, a target positive
 * when at least 0.5.
 */
class BinaryAccuracyTest {

    /** Logistic regression on logits, inline data of two overlapping groups. */
    static final String LOGISTIC = """
            model logistic {
                input  x[2]
                target y[1]
                z    = dense(x, 1)
                loss = bce_logits(z, y)
                output z
                data {
                    x = [[1, 2], [2, 1], [1.5, 1.5], [-1, -2], [-2, -1], [-1.5, -0.5], [0.2, -0.1], [-0.3, 0.4], [0.5, 0.5], [-0.5, -0.5]]
                    y = [[1], [1], [1], [0], [0], [0], [0], [1], [0], [1]]
                }
                train { optimizer = sgd(lr = 0.1); epochs = 5; batch = 2; seed = 3 }
            }
            """;

    /** Inputs and targets; 0.8 and 0.3 are soft targets (positive, negative). */
    static final String TEST_CSV = """
            x1,x2,y
            1,1,1
            -1,-1,0
            0.3,0.1,0
            -0.2,0.4,1
            2,-1,0.8
            -2,1,0.3
            """;

    @TempDir
    Path dir;

    @Test
    void trainEvalAndTheStandaloneTrainerReportTheSameBinaryAccuracy() throws Exception {
        Path model = write("logistic.nn", LOGISTIC);
        Path test = write("test.csv", TEST_CSV);
        Path weights = dir.resolve("w.json");
        CliRun train = TrainerCommandsTest.run("train", model.toString(), "--test-data", test.toString(), "--validation-split", "0.2",
                "--save", weights.toString(), "--json");
        assertEquals(0, train.code(), train.all());
        Map<String, Object> doc = JsonReader.object(train.out());
        double accuracy = expectedAccuracy(model, weights, test);
        assertEquals(accuracy, number(doc.get("test_accuracy")), 1e-15, train.all());
        assertTrue(doc.containsKey("val_accuracy"), train.all());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) doc.get("history");
        assertEquals(5, history.size());
        for (Map<String, Object> epoch : history) {
            assertTrue(epoch.containsKey("test_accuracy") && epoch.containsKey("val_accuracy"), epoch.toString());
        }
        assertEquals(5, train.err().lines().filter(l -> l.matches("epoch \\d/5  .*  val acc \\d\\.\\d{4}.*  test acc \\d\\.\\d{4}")).count(),
                train.all());

        CliRun eval = TrainerCommandsTest.run("eval", model.toString(), "--weights", weights.toString(), "--data", test.toString(), "--json");
        assertEquals(0, eval.code(), eval.all());
        assertEquals(accuracy, number(JsonReader.object(eval.out()).get("accuracy")), 1e-15, eval.all());

        // the standalone trainer: the generated class's own run, as its main calls it
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(model, null), "Logistic", null, dir.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = (int) type.getMethod("run", String[].class, PrintStream.class, PrintStream.class).invoke(null,
                new String[] {"--test-data", test.toString(), "--validation-split", "0.2", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Map<String, Object> standalone = JsonReader.object(out.toString(StandardCharsets.UTF_8));
        assertEquals(doc.get("test_accuracy"), standalone.get("test_accuracy"));
        assertEquals(doc.get("val_accuracy"), standalone.get("val_accuracy"));
    }

    /** The share of samples of {@code data} whose logit, as {@code predict} prints it, is on the side of their target. */
    private double expectedAccuracy(Path model, Path weights, Path data) throws IOException {
        CliRun predict = TrainerCommandsTest.run("predict", model.toString(), "--weights", weights.toString(), "--data", data.toString());
        assertEquals(0, predict.code(), predict.all());
        List<String> logits = predict.out().lines().toList();
        List<String> rows = Files.readAllLines(data).subList(1, 7);
        int right = 0;
        for (int s = 0; s < rows.size(); s++) {
            String[] cells = rows.get(s).split(",");
            boolean positive = Double.parseDouble(logits.get(s).trim()) >= 0;
            right += positive == (Double.parseDouble(cells[2]) >= 0.5) ? 1 : 0;
        }
        assertTrue(right > 0 && right < rows.size(), "the test data has right and wrong answers: " + right);
        return right / (double) rows.size();
    }

    @Test
    void theApiReportsBinaryAccuracyAndPerClassFigures() throws Exception {
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile("logistic.nn", LOGISTIC), null),
                "LogisticApi", null, null));
        Schema schema = (Schema) type.getField("SCHEMA").get(null);
        assertEquals("y", schema.binary().orElseThrow().target());
        assertTrue(schema.binary().orElseThrow().logit());
        assertEquals(0.0, schema.binary().orElseThrow().threshold());
        Model m = (Model) type.getConstructor().newInstance();
        m.setParameter("z.W", new float[] {1, -1});
        m.setParameter("z.b", new float[] {0});
        // logits x1 - x2: 1, -1, 0 (on the threshold: positive), 0.5, -0.5; targets 1, 1, 0, 0.6, 0.4
        Dataset d = Dataset.of(new float[][] {{2, 1}, {0, 1}, {3, 3}, {1, 0.5f}, {0, 0.5f}},
                new float[][] {{1}, {1}, {0}, {0.6f}, {0.4f}});
        Evaluation e = m.evaluate(d);
        assertTrue(e.classifier() && e.binary());
        assertEquals(2, e.classes());
        assertEquals(0.6, e.accuracy(), 1e-15);
        // true 0: samples 3, 5 -> predicted 1, 0; true 1: samples 1, 2, 4 -> predicted 1, 0, 1
        assertEquals(List.of(List.of(1, 1), List.of(1, 2)), List.of(List.of(e.confusion()[0][0], e.confusion()[0][1]),
                List.of(e.confusion()[1][0], e.confusion()[1][1])));
        assertEquals(2 / 3.0, e.precision(1), 1e-15);
        assertEquals(2 / 3.0, e.recall(1), 1e-15);
        assertEquals(0.5, e.precision(0), 1e-15);
        assertEquals(0.5, e.f1(0), 1e-15);
        assertEquals((0.5 + 2 / 3.0) / 2, e.macroF1(), 1e-15);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> e.recall(2));
        assertEquals("class 2 is out of range: the model has 2 classes (0 to 1)", range.getMessage());

        TrainResult r = m.fit(d, TrainOptions.fromModel().epochs(2).validation(d));
        for (EpochStats stats : r.history()) {
            assertFalse(Double.isNaN(stats.validationAccuracy()), stats.toString());
        }
        assertEquals(m.evaluate(d).accuracy(), r.history().get(1).validationAccuracy(), 0.0);
    }

    @Test
    void aModelThatIsNoClassifierHasNoClassFigures() {
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile("reg.nn",
                LOGISTIC.replace("bce_logits", "mse")), null), "Regression", null, null));
        Model m;
        try {
            m = (Model) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        Evaluation e = m.evaluate(Dataset.of(new float[][] {{1, 2}}, new float[][] {{1}}));
        assertFalse(e.classifier() || e.binary());
        assertEquals(0, e.classes());
        assertTrue(Double.isNaN(e.accuracy()) && Double.isNaN(e.macroF1()) && Double.isNaN(e.macroPrecision()));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> e.precision(0));
        assertEquals("class 0: not a classifier, the evaluation has no classes", none.getMessage());
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
