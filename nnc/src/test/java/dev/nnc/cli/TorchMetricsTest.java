package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Support;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nnc eval}'s classifier figures against PyTorch: every case of {@code torch/metrics.json}
 * (written by {@code src/test/python/torch_metrics.py}) is a whole {@code .nn} model (f64) with fixed
 * weights and data; {@code eval --json} on those files gives torch's loss, accuracy, confusion matrix,
 * precision, recall, F1 and macro averages, the text output prints the same figures, and the
 * generated model's {@link Model#evaluate} gives them through {@link Evaluation}. The cases: five
 * classes, one never predicted and one that never occurs; a binary model read four ways (the logit
 * of {@code bce_logits}, its sigmoid, the probability of {@code bce}, the logit inside
 * {@code bce(sigmoid(z), y)}), with an output exactly on the threshold and soft targets.
 */
class TorchMetricsTest {

    static final Path FILE = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/torch/metrics.json");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) JsonReader.object(
                Files.readString(FILE, StandardCharsets.UTF_8)).get("cases");
        return cases.stream().map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evalGivesTorchsFigures(String name, Map<String, Object> c) {
        Path model = write("m.nn", (String) c.get("source"));
        Path weights = write("w.json", Support.json(c.get("weights")));
        Path data = write("data.csv", csv(rows(c), (Boolean) c.get("binary")));

        CliRun json = TrainerCommandsTest.run("eval", model.toString(), "--weights", weights.toString(), "--data", data.toString(),
                "--json");
        assertEquals(0, json.code(), json.all());
        Map<String, Object> doc = JsonReader.object(json.out());
        assertEquals(List.of("loss", "accuracy", "samples", "precision", "recall", "f1", "macro_precision", "macro_recall", "macro_f1",
                "confusion"), List.copyOf(doc.keySet()), json.all());
        double loss = number(c.get("loss"));
        assertEquals(loss, number(doc.get("loss")), 1e-12 * Math.abs(loss), json.all());
        assertEquals(number(c.get("accuracy")), number(doc.get("accuracy")), 1e-15, json.all());
        assertEquals((long) rows(c).size(), doc.get("samples"));
        assertEquals(c.get("confusion"), doc.get("confusion"), json.all());
        for (String figure : List.of("precision", "recall", "f1")) {
            assertArrayEquals(doubles(c.get(figure)), doubles(doc.get(figure)), 1e-15, figure + "\n" + json.all());
            assertEquals(number(c.get("macro_" + figure)), number(doc.get("macro_" + figure)), 1e-15, figure + "\n" + json.all());
        }

        CliRun text = TrainerCommandsTest.run("eval", model.toString(), "--weights", weights.toString(), "--data", data.toString());
        assertEquals(0, text.code(), text.all());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(0).matches("loss \\d+\\.\\d{6}  accuracy " + fixed(number(c.get("accuracy"))) + "  samples "
                + rows(c).size()), text.all());
        int classes = ((List<?>) c.get("confusion")).size();
        for (int cls = 0; cls < classes; cls++) {
            int k = cls;
            String row = k + " +" + fixed(doubles(c.get("precision"))[k]) + " +" + fixed(doubles(c.get("recall"))[k]) + " +"
                    + fixed(doubles(c.get("f1"))[k]) + " +\\d+";
            assertTrue(lines.stream().anyMatch(l -> l.matches(row)), row + "\n" + text.all());
            String counts = ((List<?>) ((List<?>) c.get("confusion")).get(k)).stream().map(String::valueOf).collect(Collectors.joining(" +"));
            assertTrue(lines.stream().anyMatch(l -> l.matches(k + " +" + counts)), counts + "\n" + text.all());
        }
        assertTrue(lines.contains("macro     " + fixed(number(c.get("macro_precision"))) + "  " + fixed(number(c.get("macro_recall")))
                + "  " + fixed(number(c.get("macro_f1"))) + String.format("%9d", rows(c).size())), text.all());
        boolean binary = (Boolean) c.get("binary");
        assertEquals(binary, lines.stream().anyMatch(l -> l.startsWith("positive class 1: precision " + fixed(doubles(c.get("precision"))[1])
                + "  recall " + fixed(doubles(c.get("recall"))[1]) + "  f1 " + fixed(doubles(c.get("f1"))[1]))), text.all());

        Evaluation e = evaluate(c, model, weights, name);
        assertEquals(binary, e.binary());
        assertEquals(classes, e.classes());
        assertEquals(number(c.get("accuracy")), e.accuracy(), 1e-15);
        for (int k = 0; k < classes; k++) {
            assertEquals(doubles(c.get("precision"))[k], e.precision(k), 1e-15);
            assertEquals(doubles(c.get("recall"))[k], e.recall(k), 1e-15);
            assertEquals(doubles(c.get("f1"))[k], e.f1(k), 1e-15);
            long[] row = ((List<?>) ((List<?>) c.get("confusion")).get(k)).stream().mapToLong(x -> (Long) x).toArray();
            assertEquals(java.util.Arrays.stream(row).sum(), e.support(k));
            assertArrayEquals(java.util.Arrays.stream(row).mapToInt(x -> (int) x).toArray(), e.confusion()[k]);
        }
        assertEquals(number(c.get("macro_f1")), e.macroF1(), 1e-15);
    }

    /** The generated model's own {@code evaluate} on the same weights and data, given as arrays. */
    private static Evaluation evaluate(Map<String, Object> c, Path source, Path weights, String name) {
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile(source.toString(),
                (String) c.get("source")), null), "Metrics_" + name, null, null));
        Model m;
        try {
            m = (Model) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        m.loadWeights(weights);
        List<double[]> rows = rows(c);
        int inputs = 3;
        double[][] x = new double[rows.size()][];
        for (int s = 0; s < rows.size(); s++) {
            x[s] = java.util.Arrays.copyOf(rows.get(s), inputs);
        }
        if ((Boolean) c.get("binary")) {
            double[][] y = rows.stream().map(r -> new double[] {r[inputs]}).toArray(double[][]::new);
            return m.evaluate(Dataset.of(x, y));
        }
        return m.evaluate(Dataset.of(x, rows.stream().mapToInt(r -> (int) r[inputs]).toArray()));
    }

    private static List<double[]> rows(Map<String, Object> c) {
        List<double[]> rows = new ArrayList<>();
        for (Object row : (List<?>) c.get("rows")) {
            rows.add(doubles(row));
        }
        return rows;
    }

    /** One line per sample: the inputs, then the target (a onehot target's label as an integer). */
    private static String csv(List<double[]> rows, boolean binary) {
        StringBuilder b = new StringBuilder();
        for (double[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                boolean label = !binary && i == row.length - 1;
                b.append(i == 0 ? "" : ",").append(label ? Integer.toString((int) row[i]) : Double.toString(row[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** As eval prints a figure: four decimals. */
    private static String fixed(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(TorchMetricsTest::number).toArray();
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
