package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc grad}: the tutorials' numbers, the JSON document, and what happens without data or with bad values. */
class GradCommandTest {

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static String sample(String name) {
        return GradGoldenTest.SAMPLES.resolve(name + ".nn").toString();
    }

    static Map<String, Object> json(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        return JsonReader.object(r.out());
    }

    /** Relative closeness, so that large and small values are held to the same standard. */
    static void assertClose(double expected, Object actual, String what) {
        double a = ((Number) actual).doubleValue();
        double scale = Math.max(Math.abs(expected), 1e-300);
        assertTrue(Math.abs(a - expected) / scale <= 1e-12, what + ": expected " + expected + ", got " + a);
    }

    @SuppressWarnings("unchecked")
    static void assertTensor(Object expected, Object actual, String what) {
        if (expected instanceof List<?> e) {
            List<Object> a = (List<Object>) actual;
            assertEquals(e.size(), a.size(), what + " has the wrong length: " + actual);
            for (int i = 0; i < e.size(); i++) {
                assertTensor(e.get(i), a.get(i), what + "[" + i + "]");
            }
        } else {
            assertClose(((Number) expected).doubleValue(), actual, what);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void tinyReluGivesTheWalkthroughsGradients() {
        Map<String, Object> doc = json("grad", sample("tiny_relu"), "--json");
        assertEquals(List.of("model", "loss", "gradients", "expressions"), List.copyOf(doc.keySet()));
        assertEquals("tiny_relu", doc.get("model"));
        assertClose(0.2592, doc.get("loss"), "loss");
        Map<String, Object> g = map(doc.get("gradients"));
        assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(g.keySet()));
        assertTensor(List.of(List.of(0.36, 0.432), List.of(0.72, 0.864)), g.get("W1"), "W1");
        assertTensor(List.of(0.36, 0.432), g.get("b1"), "b1");
        assertTensor(List.of(List.of(0.576), List.of(0.864)), g.get("W2"), "W2");
        assertTensor(List.of(0.72), g.get("b2"), "b2");
        Map<String, Object> e = map(doc.get("expressions"));
        assertEquals("x outer (relu'(x @ W1 + b1) * (W2 @ (out - y)))", e.get("W1"), "inline, bindings by name");
        assertEquals("out - y", e.get("b2"));
    }

    @Test
    void cubeGivesEightyOneAndTwoHundredSixteen() {
        Map<String, Object> doc = json("grad", sample("cube"), "--json");
        assertClose(81, doc.get("loss"), "loss");
        assertClose(216, map(doc.get("gradients")).get("x"), "dloss/dx");
    }

    @Test
    void linregOneGivesTheTutorialsNumbers() {
        Map<String, Object> doc = json("grad", sample("linreg_one"), "--json");
        assertClose(84.5, doc.get("loss"), "J");
        assertClose(39, map(doc.get("gradients")).get("w"), "dJ/dw");
        assertClose(-13, map(doc.get("gradients")).get("b"), "dJ/db");
    }

    @Test
    void net2321GivesTheBatchMean() {
        Map<String, Object> doc = json("grad", sample("net_2321"), "--json");
        double loss = ((Number) doc.get("loss")).doubleValue();
        assertEquals(0.411535, loss, 1e-6);
        List<?> w3 = (List<?>) ((List<?>) map(doc.get("gradients")).get("W3")).get(0);
        assertEquals(-0.232129, ((Number) w3.get(0)).doubleValue(), 1e-6);
        assertEquals(-0.007426, ((Number) w3.get(1)).doubleValue(), 1e-6);
    }

    @Test
    void statsAddNodeCountsAndTime() {
        Map<String, Object> doc = json("grad", sample("tiny_relu"), "--json", "--stats");
        Map<String, Object> nodes = map(doc.get("nodes"));
        long before = ((Number) nodes.get("before")).longValue();
        long after = ((Number) nodes.get("after")).longValue();
        assertTrue(after > 0 && after <= before, "nodes " + nodes);
        assertTrue(((Number) doc.get("seconds")).doubleValue() >= 0);

        CliRun text = run("grad", sample("tiny_relu"), "--stats");
        assertEquals(0, text.code(), text.all());
        assertTrue(text.out().contains("simplified from " + before + " nodes to " + after + " in "), text.all());
    }

    @Test
    void textNamesSharedSubtermsAfterTheAdjoints() {
        CliRun r = run("grad", sample("tiny_relu"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("  delta2 = out - y\n"), r.all());
        assertTrue(r.out().contains("  delta1 = (W2 @ delta2) * relu'(x @ W1 + b1)\n"), r.all());
        assertTrue(r.out().contains("  dloss/dW1 = x outer delta1\n"), r.all());
        assertTrue(r.out().contains("  dloss/dW1 = [[0.36, 0.432],\n               [0.72, 0.864]]\n"), r.all());
    }

    @Test
    void latexJsonGivesLatexExpressions() {
        Map<String, Object> doc = json("grad", sample("tiny_relu"), "--json", "--latex");
        String w1 = (String) map(doc.get("expressions")).get("W1");
        assertTrue(w1.contains("\\otimes"), w1);
    }

    @Test
    void withoutDataTheListingStandsAndANoteSaysWhy() {
        CliRun r = run("grad", sample("fashion_mnist"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("dloss/dout.b = delta3"), r.all());
        assertFalse(r.out().contains("initial parameters"), r.all());
        assertTrue(r.err().contains("note: fashion_mnist has no data block"), r.all());
    }

    @Test
    void withoutDataJsonIsAnErrorAtTheModelName() {
        CliRun r = run("grad", sample("fashion_mnist"), "--json");
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out(), r.all());
        assertTrue(r.err().contains("fashion_mnist.nn:" + modelLine("fashion_mnist") + ":7: error: expected a data block to evaluate the gradients, "
                + "found none"), r.all());
    }

    @Test
    void aLogOfANegativeNumberIsAnErrorAtTheLog() throws IOException {
        Path f = write("neg.nn", """
                model neglog {
                    input x
                    param a = 1
                    z = a * x
                    loss = log(z)
                    data { x = [1, -0.5] }
                }
                """);
        for (String[] args : List.of(new String[] {"grad", f.toString()}, new String[] {"grad", f.toString(), "--json"})) {
            CliRun r = run(args);
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("neg.nn:5:12: error: log of a negative number (-0.5) in sample 2\n"), r.all());
            assertFalse(r.out().contains("NaN") || r.out().contains("Infinity"), r.all());
            assertFalse(r.out().startsWith("{"), "no JSON for a failed evaluation: " + r.all());
        }
    }

    @Test
    void aDivisionByZeroInsideTheGradientSaysSo() throws IOException {
        Path f = write("root.nn", """
                model root {
                    param a = 0
                    loss = a^0.5
                }
                """);
        CliRun r = run("grad", f.toString(), "--json");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("root.nn:3:13: error: division by zero (0.5 / 0) in the gradient\n"), r.all());
    }

    /** The line of a sample's {@code model} statement, where model-level errors point. */
    static int modelLine(String sample) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(GradGoldenTest.SAMPLES.resolve(sample + ".nn"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("model ")) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no model line in " + sample);
    }
}
