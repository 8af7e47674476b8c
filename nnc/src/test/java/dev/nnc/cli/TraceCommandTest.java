package dev.nnc.cli;

import static dev.nnc.cli.GradCommandTest.assertClose;
import static dev.nnc.cli.GradCommandTest.assertTensor;
import static dev.nnc.cli.GradCommandTest.json;
import static dev.nnc.cli.GradCommandTest.map;
import static dev.nnc.cli.GradCommandTest.run;
import static dev.nnc.cli.GradCommandTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code nnc trace}: the worked examples of the tutorials, in text and JSON. */
class TraceCommandTest {

    @TempDir
    Path dir;

    @Test
    void linregOneShowsTheTutorialsIntermediateValues() {
        CliRun r = run("trace", sample("linreg_one"));
        assertEquals(0, r.code(), r.all());
        String out = r.out();
        for (String line : List.of("  x = -3\n", "  w = 3\n", "  c    = w * x   = -9\n", "  f    = c + b   = -8\n",
                "  d    = f - y   = -13\n", "  J    = d^2 / 2 = 84.5\n", "  loss = J       = 84.5\n",
                "  dloss/dJ = 1\n", "  dloss/dd = -13\n", "  dloss/df = -13\n", "  dloss/dc = -13\n",
                "  dloss/dw = 39\n", "  dloss/db = -13\n")) {
            assertTrue(out.contains(line), "missing " + line.strip() + "\n" + r.all());
        }
        assertTrue(out.indexOf("forward") < out.indexOf("backward"), r.all());
        assertTrue(out.indexOf("dloss/dJ") < out.indexOf("dloss/dc"), "backward runs from the loss down: " + r.all());
    }

    @Test
    void linregOneJson() {
        Map<String, Object> doc = json("trace", sample("linreg_one"), "--json");
        assertEquals(List.of("model", "samples", "forward", "backward", "loss", "gradients"), List.copyOf(doc.keySet()));
        assertEquals(1L, doc.get("samples"));
        Map<String, Object> fwd = map(doc.get("forward"));
        assertEquals(List.of("c", "f", "d", "J", "loss"), List.copyOf(fwd.keySet()));
        assertClose(-9, fwd.get("c"), "c");
        assertClose(-8, fwd.get("f"), "f");
        assertClose(-13, fwd.get("d"), "d");
        assertClose(84.5, fwd.get("J"), "J");
        assertClose(84.5, fwd.get("loss"), "loss");
        Map<String, Object> bwd = map(doc.get("backward"));
        assertEquals(List.of("J", "d", "f", "c", "w", "b"), List.copyOf(bwd.keySet()));
        for (String name : List.of("d", "f", "c", "b")) {
            assertClose(-13, bwd.get(name), "dJ/d" + name);
        }
        assertClose(39, bwd.get("w"), "dJ/dw");
    }

    @Test
    void tinyReluForwardValues() {
        Map<String, Object> doc = json("trace", sample("tiny_relu"), "--json");
        Map<String, Object> fwd = map(doc.get("forward"));
        assertTensor(List.of(0.8, 1.2), fwd.get("h"), "h");
        assertTensor(List.of(1.42), fwd.get("out"), "out");
        assertClose(0.2592, fwd.get("loss"), "loss");
        assertTensor(List.of(0.72), map(doc.get("backward")).get("out"), "dloss/dout");
    }

    @Test
    void sigmoid121GivesTheTutorialsDeltas() {
        Map<String, Object> doc = json("trace", sample("sigmoid_121"), "--json");
        Map<String, Object> bwd = map(doc.get("backward"));
        assertEquals(0.139129, ((Number) bwd.get("z2")).doubleValue(), 1e-6); // the tutorial's delta2
        List<?> dz1 = (List<?>) bwd.get("z1");                               // and its delta1
        assertEquals(0.013078, ((Number) dz1.get(0)).doubleValue(), 1e-6);
        assertEquals(0.014324, ((Number) dz1.get(1)).doubleValue(), 1e-6);
        // the text names them as the tutorial and the gradient listing do
        CliRun r = run("trace", sample("sigmoid_121"));
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().map(String::strip).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("delta2 = dloss/dz2 +=  ?0\\.139129")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("delta1 = dloss/dz1 += \\[0\\.0130783, 0\\.0143237\\]")), r.out());
        assertTrue(lines.contains("dloss/da1   = [0.0556515, 0.0626079]") || lines.stream().anyMatch(
                l -> l.matches("dloss/da1 += \\[0\\.0556515, 0\\.0626079\\]")), "other adjoints keep their labels: " + r.out());
    }

    @Test
    void severalSamplesGiveAListPerValueAndTheBatchMean() {
        Map<String, Object> doc = json("trace", sample("net_2321"), "--json");
        assertEquals(2L, doc.get("samples"));
        Map<String, Object> fwd = map(doc.get("forward"));
        assertTensor(List.of(List.of(2, 12, 3), List.of(4, 30, 9)), fwd.get("a1"), "a1 per sample");
        List<?> losses = (List<?>) fwd.get("loss");
        assertEquals(0.185644, ((Number) losses.get(0)).doubleValue(), 1e-6);
        assertEquals(0.637425, ((Number) losses.get(1)).doubleValue(), 1e-6);
        assertEquals(0.411535, ((Number) doc.get("loss")).doubleValue(), 1e-6);
        List<?> w3 = (List<?>) map(doc.get("backward")).get("W3");
        assertEquals(2, w3.size(), "one W3 gradient per sample");

        CliRun r = run("trace", sample("net_2321"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("\nsample 1\n") && r.out().contains("\nsample 2\n"), r.all());
        assertTrue(r.out().contains("\nbatch: the mean over the 2 samples\n  loss      = 0.411535\n"), r.all());
    }

    @Test
    void aBindingTheLossDoesNotUseHasNoAdjoint() {
        Map<String, Object> doc = json("trace", sample("xor"), "--json");
        assertTrue(map(doc.get("forward")).containsKey("p"));
        assertFalse(map(doc.get("backward")).containsKey("p"), "p = sigmoid(out) comes after the loss");
    }

    @Test
    void withoutDataTraceIsAnErrorAtTheModelName() {
        CliRun r = run("trace", sample("fashion_mnist"));
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out());
        assertTrue(r.err().contains("fashion_mnist.nn:" + GradCommandTest.modelLine("fashion_mnist") + ":7: error: expected a data block to evaluate the trace, found none"),
                r.all());
    }

    @Test
    void aLogOfANegativeNumberIsAnErrorAtTheLog() throws IOException {
        Path f = Files.writeString(dir.resolve("neg.nn"), """
                model neglog {
                    input x
                    param a = 1
                    z = a * x
                    loss = log(z)
                    data { x = [1, -0.5] }
                }
                """);
        CliRun r = run("trace", f.toString(), "--json");
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out(), r.all());
        assertTrue(r.err().contains("neg.nn:5:12: error: log of a negative number (-0.5) in sample 2\n"), r.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nnc.cli.GradGoldenTest#samples")
    void everySampleWithDataTraces(Path sample) {
        CliRun r = run("trace", sample.toString(), "--json");
        boolean hasData = !sample.getFileName().toString().equals("fashion_mnist.nn");
        assertEquals(hasData ? 0 : 1, r.code(), r.all());
        if (hasData) {
            JsonReader.object(r.out());
        }
    }

    // ---- trace --data F --rows N

    /** A two-class model whose data block holds the same three samples as {@code rows.csv}. */
    private static final String CLASSIFIER = """
            model pick {
                input  x[2]
                target c[2] onehot
                param W[2, 2] = [[0.5, -0.25], [0.125, 1]]
                param b[2]    = [0.1, -0.1]
                out  = W @ x + b
                loss = cross_entropy(out, c)
                %s
            }
            """;

    private Path model(boolean withData) throws IOException {
        String data = withData ? "data { x = [[1, 2], [-1, 0.5], [3, -2]]\n c = [1, 0, 1] }" : "";
        return Files.writeString(dir.resolve(withData ? "inline.nn" : "plain.nn"), CLASSIFIER.formatted(data));
    }

    /** Everything after the heading line, which names where the samples came from. */
    private static String body(CliRun r) {
        return r.out().substring(r.out().indexOf('\n'));
    }

    @Test
    void rowsOfADataFileTraceAsTheSameRowsInline() throws IOException {
        Path csv = Files.writeString(dir.resolve("rows.csv"), "x0,x1,c\n1,2,1\n-1,0.5,0\n3,-2,1\n");
        CliRun two = run("trace", model(false).toString(), "--data", csv.toString(), "--rows", "2");
        assertEquals(0, two.code(), two.all());
        assertTrue(two.out().startsWith("pick: the worked example, at the initial parameters, on rows 1 to 2 of " + csv
                + " (one batch)\n"), two.all());
        CliRun inlineTwo = run("trace", model(true).toString(), "--rows", "2");
        assertEquals(0, inlineTwo.code(), inlineTwo.all());
        assertTrue(inlineTwo.out().startsWith("pick: the worked example, at the initial parameters, on the first 2 samples of"
                + " the data block's 3 (one batch)\n"), inlineTwo.all());
        assertEquals(body(inlineTwo), body(two), "the file's rows give the numbers of the same rows inline");
        assertTrue(two.out().contains("batch: the mean over the 2 samples"), two.all());

        CliRun one = run("trace", model(false).toString(), "--data", csv.toString());
        assertTrue(one.out().startsWith("pick: the worked example, at the initial parameters, on row 1 of " + csv + "\n"),
                one.all());
        CliRun inlineOne = run("trace", model(true).toString(), "--rows", "1");
        assertEquals(body(inlineOne), body(one), "one row by default");

        CliRun all = run("trace", model(false).toString(), "--data", csv.toString(), "--rows", "50");
        CliRun inlineAll = run("trace", model(true).toString());
        assertTrue(all.out().contains("rows 1 to 3 of "), "no more rows than the file has: " + all.all());
        assertEquals(body(inlineAll), body(all));
        Map<String, Object> doc = json("trace", model(false).toString(), "--data", csv.toString(), "--rows", "3", "--json");
        assertEquals(3L, doc.get("samples"));
    }

    @Test
    void idxRowsTraceWithTheirLabels() throws IOException {
        byte[] images = java.nio.ByteBuffer.allocate(16 + 2 * 2).putInt(0x803).putInt(2).putInt(1).putInt(2)
                .put(new byte[] {(byte) 255, 0, 51, 102}).array();
        byte[] labels = java.nio.ByteBuffer.allocate(8 + 2).putInt(0x801).putInt(2).put(new byte[] {1, 0}).array();
        Files.write(dir.resolve("i.idx"), images);
        Files.write(dir.resolve("l.idx"), labels);
        Path csv = Files.writeString(dir.resolve("same.csv"), "1,0,1\n0.2,0.4,0\n");
        String idx = "idx(" + dir.resolve("i.idx") + ", " + dir.resolve("l.idx") + ")";
        CliRun fromIdx = run("trace", model(false).toString(), "--data", idx, "--rows", "2");
        assertEquals(0, fromIdx.code(), fromIdx.all());
        CliRun fromCsv = run("trace", model(false).toString(), "--data", csv.toString(), "--rows", "2");
        assertEquals(body(fromCsv), body(fromIdx), "pixels scaled to [0, 1], labels as onehot targets");
    }

    @Test
    void badRowsOrDataAreClearErrors() throws IOException {
        CliRun zero = run("trace", model(true).toString(), "--rows", "0");
        assertEquals(2, zero.code(), zero.all());
        assertTrue(zero.err().contains("--rows must be at least 1, found 0"), zero.all());
        Path missing = dir.resolve("missing.csv");
        CliRun none = run("trace", model(false).toString(), "--data", missing.toString());
        assertEquals(1, none.code(), none.all());
        assertTrue(none.err().contains("nnc: cannot read " + missing + ": no such file"), none.all());
        Path wide = Files.writeString(dir.resolve("wide.csv"), "1,2,3,4\n");
        CliRun columns = run("trace", model(false).toString(), "--data", wide.toString());
        assertEquals(1, columns.code(), columns.all());
        assertTrue(columns.err().startsWith("nnc: " + wide), columns.all());
        CliRun noData = run("trace", model(false).toString());
        assertEquals(1, noData.code(), noData.all());
        assertTrue(noData.err().contains("expected a data block to evaluate the trace"), noData.all());
    }

    /** A layer of 40 x 30 weights (1,200 elements) prints abbreviated; --full prints it all; --json is whole either way. */
    @Test
    void largeTensorsAbbreviatedUnlessFull() throws IOException {
        Path wide = Files.writeString(dir.resolve("wide.nn"), """
                model wide {
                    input  x[30]
                    target y[40]
                    out  = dense(x, 40)
                    loss = mse(out, y)
                    data { x = [[%s]]
                           y = [[%s]] }
                }
                """.formatted("0.5, ".repeat(29) + "0.5", "1, ".repeat(39) + "1"));
        CliRun shortly = run("trace", wide.toString());
        assertEquals(0, shortly.code(), shortly.all());
        assertTrue(shortly.out().contains(", ...,") && shortly.out().contains("\n           ...,\n"), shortly.all());
        CliRun full = run("trace", wide.toString(), "--full");
        assertFalse(full.out().contains("..."), full.all());
        assertTrue(full.out().length() > 3 * shortly.out().length(), "the whole of out.W and its gradient");
        CliRun grad = run("grad", wide.toString());
        assertTrue(grad.out().contains(", ...,"), grad.all());
        assertFalse(run("grad", wide.toString(), "--full").out().contains("..."));
        assertFalse(run("trace", wide.toString(), "--json").out().contains("..."));
    }
}
