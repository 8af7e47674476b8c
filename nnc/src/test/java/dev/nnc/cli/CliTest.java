package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Mutator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code nnc} through {@link Main#run}: exit codes, what goes to stdout and stderr, and never a stack trace. */
class CliTest {

    static final String TINY = """
            # The 2-2-1 network of the backpropagation walkthrough.
            model tiny {
                input  x[2]
                target y[1]

                param W1[2, 2] = [[0.1, 0.2], [0.3, 0.4]]
                param b1[2]    = [0.1, 0.2]
                param W2[2, 1] = [[0.5], [0.6]]
                param b2[1]    = [0.3]

                h    = relu(x @ W1 + b1)
                out  = h @ W2 + b2
                loss = 0.5 * sum((out - y)^2)
                output out

                data  { x = [[1, 2]]; y = [[0.7]] }
                train { optimizer = sgd(lr = 0.01); epochs = 1; batch = 1 }
            }
            """;

    static final String LAYERS = """
            def swish(z) = z * sigmoid(z)
            model mlp {
                input  x[4]
                target y[3] onehot
                h1   = dense(x, 8, swish)
                out  = dense(h1, 3)
                param s = 0.5
                loss = cross_entropy(out, y) + s^2
            }
            """;

    static final String TWO_MODELS = """
            model lin {
                input  x[3]
                target t
                param  w[3]
                loss = mse(dot(w, x), t)
            }
            model sq {
                param a = 2
                loss = a^2
            }
            """;

    /** Two errors of the checker, one of them on a tab-indented line. */
    static final String BAD = "model bad {\n    input  x[2]\n    param W1[2, 2] = 0.1\n    param b2[3] = 0\n"
            + "\th = relu(W1 @ x + b2)\n    loss = sum(h) + q\n}\n";

    /** Broken inputs of every stage, for the no-stack-trace test (besides src/test/resources/bad/). */
    static final List<String> BROKEN = List.of(
            "",
            "\n\n   \n",
            "model",
            "model m {",
            "model m { }",
            "model m { loss = }",
            "model m { param x = 1; loss = x; loss = x }",
            "model m { param x[2] = [1, 2, 3]; loss = sum(x) }",
            "model m { input x[2]; param W[3, 3]; loss = sum(W @ x) }",
            "model m { param x = 1; loss = frob(x) }",
            "model m { param x = 1; loss = sum(x, x) }",
            "model m { param x[0] = 1; loss = sum(x) }",
            "model m { param x[99999999999] = 1; loss = sum(x) }",
            "model m { param x[65536, 65536] = 1; loss = sum(x) }",
            "model m { param x[2, 2, 2] = 1; loss = sum(x) }",
            "model m { param x = 1e999; loss = x }",
            "model m { param x = 1; loss = x\n train { epochs = -1; batch = 1e308; optimizer = nope(lr = 1) } }",
            "model m { input x[2]; param w[2]; loss = dot(w, x)\n data { x = [[1, 2], [3]] } }",
            "model m { input x; target y[3] onehot; param w = 1; loss = cross_entropy(w * [1,2,3], y)\n data { x = [1]; y = [7] } }",
            "def f(a) = f(a)\nmodel m { param x = 1; loss = f(x) }",
            "def f(a) = g(a)\ndef g(a) = f(a)\nmodel m { param x = 1; loss = f(x) }",
            "model m { h = dense(h, 3); loss = sum(h) }",
            "model m { param x = 1; loss = x }\nmodel m { param y = 1; loss = y }",
            "model m { param x = 1; loss = x'''''' @ x }",
            "model m { param x = 1; loss = \"file.csv\" }",
            "model m { param x = 1; output nope; loss = x }",
            "model m { const k = x; param x = 1; loss = x * k }",
            "model m {\r param x = 1\r loss = y\r}\r",
            "model m { param x = 1; loss = " + "(".repeat(5000) + "x" + ")".repeat(5000) + " }",
            "model m { param x = 1; loss = " + "-".repeat(5000) + "x }",
            "model m { param x = 1; loss = " + "x + ".repeat(5000) + "x }",
            "\u0000\u0001binary",
            "model m { param \u00e9 = 1; loss = \u00e9 }",
            "# \uD83D\uDE00\nmodel m {\n    param x = 1\n    loss x\n}\n");

    static final Pattern HEAD = Pattern.compile("(.+):(\\d+):(\\d+): error: (.+)");

    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    Path write(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- check on good files

    @Test
    void checkListsEveryParameterWithItsShapeAndTheCount() {
        Path f = write("tiny.nn", TINY);
        CliRun r = run("check", f.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        List<String> lines = r.out().lines().toList();
        assertEquals("model tiny", lines.get(0), r.all());
        assertLine(r, "input\\s+x\\s+\\[2\\]");
        assertLine(r, "target\\s+y\\s+\\[1\\]");
        assertLine(r, "param\\s+W1\\s+\\[2, 2\\]\\s+4");
        assertLine(r, "param\\s+b1\\s+\\[2\\]\\s+2");
        assertLine(r, "param\\s+W2\\s+\\[2, 1\\]\\s+2");
        assertLine(r, "param\\s+b2\\s+\\[1\\]\\s+1");
        assertEquals("9 parameters", lines.get(lines.size() - 1).strip(), r.all());
    }

    @Test
    void checkNamesTheParametersOfLayers() {
        Path f = write("mlp.nn", LAYERS);
        CliRun r = run("check", f.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        assertLine(r, "target\\s+y\\s+\\[3\\]\\s+onehot");
        assertLine(r, "param\\s+h1\\.W\\s+\\[8, 4\\]\\s+32");
        assertLine(r, "param\\s+h1\\.b\\s+\\[8\\]\\s+8");
        assertLine(r, "param\\s+out\\.W\\s+\\[3, 8\\]\\s+24");
        assertLine(r, "param\\s+out\\.b\\s+\\[3\\]\\s+3");
        assertLine(r, "param\\s+s\\s+\\[\\]\\s+1");
        assertLine(r, (32 + 8 + 24 + 3 + 1) + " parameters");
    }

    @Test
    void oneParameterIsSingular() {
        CliRun r = run("check", write("one.nn", "model one { param x = -3; loss = ((x + 5)^3 + 1)^2 }").toString());
        assertEquals(0, r.code(), r.all());
        assertLine(r, "1 parameter");
    }

    static void assertLine(CliRun r, String regex) {
        Pattern p = Pattern.compile("\\s*" + regex + "\\s*");
        assertTrue(r.out().lines().anyMatch(l -> p.matcher(l).matches()), () -> "no line matches /" + regex + "/ in\n" + r.all());
    }

    // ---- check --json

    @Test
    void checkJsonGivesModelParamsAndCount() {
        Path f = write("mlp.nn", LAYERS);
        CliRun r = run("check", "--json", f.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        Map<String, Object> doc = JsonReader.object(r.out());
        assertEquals("mlp", doc.get("model"));
        Map<String, List<Long>> params = shapes(doc.get("params"));
        assertEquals(List.of("h1.W", "h1.b", "out.W", "out.b", "s"), List.copyOf(params.keySet()));
        assertEquals(List.of(8L, 4L), params.get("h1.W"));
        assertEquals(List.of(), params.get("s"));
        assertEquals(sizeOf(params), ((Number) doc.get("count")).longValue());
        assertEquals(68L, doc.get("count"));
        assertEquals(Map.of("x", List.of(4L)), doc.get("inputs"));
        assertEquals(Map.of("y", List.of(3L)), doc.get("targets"));
    }

    @Test
    void checkJsonOfTheTinyModel() {
        CliRun r = run("check", write("tiny.nn", TINY).toString(), "--json");
        assertEquals(0, r.code(), r.all());
        Map<String, Object> doc = JsonReader.object(r.out());
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        expected.put("W1", List.of(2L, 2L));
        expected.put("b1", List.of(2L));
        expected.put("W2", List.of(2L, 1L));
        expected.put("b2", List.of(1L));
        assertEquals(expected, doc.get("params"));
        assertEquals(9L, doc.get("count"));
    }

    @Test
    void checkJsonOfABadFilePrintsNothingOnStdout() {
        CliRun r = run("check", "--json", write("bad.nn", BAD).toString());
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out(), r.all());
    }

    /** Every sample that checks: the text and the JSON agree, and the count is the sum of the sizes. */
    @Test
    void textAndJsonAgreeOnEverySample() {
        for (Path f : Mutator.seedFiles()) {
            CliRun json = run("check", "--json", f.toString());
            if (json.code() == 2) {
                continue; // several models: covered below
            }
            noStackTrace(f.toString(), json);
            if (json.code() != 0) {
                continue; // a sample being written; its own tests say what is wrong
            }
            Map<String, Object> doc = JsonReader.object(json.out());
            Map<String, List<Long>> params = shapes(doc.get("params"));
            assertEquals(sizeOf(params), ((Number) doc.get("count")).longValue(), f.toString());
            CliRun text = run("check", f.toString());
            assertEquals(0, text.code(), text.all());
            assertEquals("model " + doc.get("model"), text.out().lines().findFirst().orElse(""), text.all());
            for (Map.Entry<String, List<Long>> p : params.entrySet()) {
                String shape = p.getValue().toString();
                long size = p.getValue().stream().reduce(1L, (a, b) -> a * b);
                assertLine(text, "param\\s+" + Pattern.quote(p.getKey()) + "\\s+" + Pattern.quote(shape) + "\\s+" + size);
            }
            long count = ((Number) doc.get("count")).longValue();
            assertLine(text, count + (count == 1 ? " parameter" : " parameters"));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<Long>> shapes(Object params) {
        assertInstanceOf(Map.class, params);
        Map<String, List<Long>> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) params).entrySet()) {
            assertInstanceOf(List.class, e.getValue(), e.getKey());
            List<Long> dims = new ArrayList<>();
            for (Object d : (List<Object>) e.getValue()) {
                assertInstanceOf(Long.class, d, e.getKey());
                dims.add((Long) d);
            }
            result.put(e.getKey(), dims);
        }
        return result;
    }

    static long sizeOf(Map<String, List<Long>> params) {
        return params.values().stream().mapToLong(s -> s.stream().reduce(1L, (a, b) -> a * b)).sum();
    }

    // ---- bad files

    @Test
    void badFileShowsEveryErrorWithItsLineAndACaret() {
        Path f = write("bad.nn", BAD);
        CliRun r = run("check", f.toString());
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out(), r.all());
        List<String> source = BAD.lines().toList();
        List<String> lines = r.err().lines().toList();
        int errors = 0;
        int i = 0;
        while (i < lines.size() - 1) {
            Matcher m = HEAD.matcher(lines.get(i));
            assertTrue(m.matches(), () -> "expected 'file:line:col: error: message' in\n" + r.all());
            assertEquals(f.toString(), m.group(1));
            int line = Integer.parseInt(m.group(2));
            int col = Integer.parseInt(m.group(3));
            String text = source.get(line - 1);
            String indent = text.substring(0, text.length() - text.stripLeading().length());
            assertEquals("    " + text.strip(), lines.get(i + 1), r.all());
            String caret = lines.get(i + 2);
            assertTrue(caret.matches("[ \t]*\\^"), () -> "expected a caret line in\n" + r.all());
            assertEquals(4 + col - 1 - indent.length(), caret.indexOf('^'), () -> "caret misplaced in\n" + r.all());
            errors++;
            i += 3;
        }
        assertEquals(2, errors, r.all());
        assertEquals(errors + " errors", lines.get(lines.size() - 1), r.all());
        assertTrue(r.err().contains("cannot add [2] and [3]"), r.all());
        assertTrue(r.err().contains("'q'"), r.all());
        // the carets stand under '+' and under 'q'
        assertTrue(r.err().contains("    h = relu(W1 @ x + b2)\n                    ^\n"), r.all());
        assertTrue(r.err().contains("    loss = sum(h) + q\n                    ^\n"), r.all());
    }

    /** A lone \r ends a line for the lexer, so the position and the quoted line agree with an editor's. */
    @Test
    void loneCarriageReturnsEndLines() {
        Path f = write("cr.nn", "model m {\r    param x = 1\r    loss = x + y\r}\r");
        CliRun r = run("check", f.toString());
        assertEquals(1, r.code(), r.all());
        assertEquals(f + ":3:16: error: unknown name 'y'\n    loss = x + y\n               ^\n1 error\n",
                r.err().replaceFirst("unknown name 'y'[^\n]*", "unknown name 'y'"));
    }

    /** Positions count UTF-16 chars, as editors do, even after a character outside the BMP. */
    @Test
    void columnsCountCharsAfterAnEmoji() {
        Path f = write("emoji.nn", "model m {\n    param x = 1\n    loss = x # \uD83D\uDE00\n    loss x\n}\n");
        CliRun r = run("check", f.toString());
        assertEquals(1, r.code(), r.all());
        noStackTrace("emoji", r);
        Path g = write("emoji2.nn", "model m {\n    param x = 1\n    loss = \"\uD83D\uDE00\" + y\n}\n");
        CliRun s = run("check", g.toString());
        assertEquals(1, s.code(), s.all());
        assertTrue(s.err().contains(g + ":3:19: error: unknown name 'y'"), s.all());
    }

    @Test
    void wideShapesStayInTheirColumn() {
        Path f = write("wide.nn", "model wide { input x[12345]; param W[40000, 12345] = 0.5; param b[40000]; loss = sum(W @ x + b) }");
        CliRun r = run("check", f.toString());
        assertEquals(0, r.code(), r.all());
        assertLine(r, "input\\s+x\\s+\\[12345\\]");
        assertLine(r, "param\\s+W\\s+\\[40000, 12345\\]\\s+493800000");
        assertLine(r, "param\\s+b\\s+\\[40000\\]\\s+40000");
        assertLine(r, "493840000 parameters");
    }

    @Test
    void oneErrorIsSingular() {
        CliRun r = run("check", write("one.nn", "model m { param x = 1; loss = y }").toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().endsWith("1 error\n"), r.all());
    }

    @Test
    void missingFileIsAnInputError() {
        Path f = dir.resolve("nope.nn");
        CliRun r = run("check", f.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith(f + ":1:1: error: "), r.all());
        assertTrue(r.err().contains("does not exist"), r.all());
        noStackTrace("missing", r);
    }

    @Test
    void directoryIsAnInputError() {
        CliRun r = run("check", dir.toString());
        assertEquals(1, r.code(), r.all());
        noStackTrace("directory", r);
    }

    // ---- choosing a model

    @Test
    void severalModelsNeedModel() {
        Path f = write("two.nn", TWO_MODELS);
        CliRun r = run("check", f.toString());
        assertEquals(2, r.code(), r.all());
        assertEquals("", r.out(), r.all());
        assertTrue(r.err().contains("lin") && r.err().contains("sq") && r.err().contains("--model"), r.all());
        noStackTrace("two", r);
    }

    @Test
    void modelPicksOne() {
        Path f = write("two.nn", TWO_MODELS);
        CliRun lin = run("check", f.toString(), "--model", "lin");
        assertEquals(0, lin.code(), lin.all());
        assertEquals("model lin", lin.out().lines().findFirst().orElse(""), lin.all());
        assertLine(lin, "param\\s+w\\s+\\[3\\]\\s+3");
        CliRun sq = run("check", "--model=sq", "--json", f.toString());
        assertEquals(0, sq.code(), sq.all());
        assertEquals("sq", JsonReader.object(sq.out()).get("model"));
    }

    @Test
    void unknownModelIsAUsageError() {
        Path f = write("two.nn", TWO_MODELS);
        CliRun r = run("check", f.toString(), "--model", "nope");
        assertEquals(2, r.code(), r.all());
        assertEquals("", r.out(), r.all());
        assertTrue(r.err().contains("'nope'") && r.err().contains("lin") && r.err().contains("sq"), r.all());
        CliRun one = run("check", write("tiny.nn", TINY).toString(), "--model", "nope");
        assertEquals(2, one.code(), one.all());
        assertTrue(one.err().contains("tiny"), one.all());
    }

    // ---- the command line itself

    @Test
    void unknownCommand() {
        CliRun r = run("frobnicate", "x.nn");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("frobnicate"), r.all());
        noStackTrace("unknown command", r);
    }

    @Test
    void unknownOption() {
        CliRun r = run("check", "--frob", write("tiny.nn", TINY).toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--frob"), r.all());
        assertEquals("", r.out(), r.all());
    }

    /**
     * cli.md: an unknown flag gets the nearest valid one suggested, in every command, by the rule
     * the standalone trainer's flags and the .nn file's names use (NncSuggest), in the form of the
     * trainer's message: {@code nnc: unknown flag --ecpochs (did you mean --epochs?)}, exit 2.
     */
    @Test
    void unknownFlagsGetTheNearestFlagInEveryCommand() {
        String f = write("tiny.nn", TINY).toString();
        String[][] typos = {{"check", "--jsn", "--json"}, {"grad", "--latx", "--latex"}, {"trace", "--modle", "--model"},
            {"graph", "--backwrad", "--backward"}, {"compile", "--vectr", "--vector"}, {"train", "--ecpochs", "--epochs"},
            {"train", "--test_data", "--test-data"}, {"eval", "--weigths", "--weights"}, {"predict", "--dat", "--data"},
            {"gradcheck", "--dta", "--data"}, {"bench", "--secnods", "--seconds"}};
        for (String[] t : typos) {
            CliRun r = run(t[0], f, t[1], "3");
            String expected = "nnc: unknown flag " + t[1] + " (did you mean " + t[2] + "?)\n";
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().startsWith(expected), () -> "expected " + expected + r.all());
            assertEquals("", r.out(), r.all());
        }
        CliRun given = run("train", f, "--epoch=3");
        assertTrue(given.err().startsWith("nnc: unknown flag --epoch (did you mean --epochs?)\n"), given.all());
        CliRun none = run("train", f, "--frobnicate");
        assertTrue(none.err().startsWith("nnc: unknown flag --frobnicate\n"), none.all());
        CliRun top = run("--debg", "check", f);
        assertTrue(top.err().startsWith("nnc: unknown flag --debg (did you mean --debug?)\n"), top.all());
    }

    @Test
    void missingFileArgument() {
        CliRun r = run("check");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("FILE"), r.all());
    }

    @Test
    void otherCommandLineErrors() {
        Path f = write("tiny.nn", TINY);
        for (String[] args : new String[][] {{}, {"--debug"}, {"check", f.toString(), f.toString()}, {"check", f.toString(), "--model"},
                {"help", "frobnicate"}, {"--frob"}}) {
            CliRun r = run(args);
            assertEquals(2, r.code(), () -> Arrays.toString(args) + "\n" + r.all());
            noStackTrace(Arrays.toString(args), r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void help(String flag) {
        CliRun r = run(flag);
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        assertTrue(r.out().startsWith("Usage: nnc"), r.all());
        assertTrue(r.out().contains("check"), r.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"check --help", "check -h", "help check", "check --help --json"})
    void commandHelp(String line) {
        CliRun r = run(line.split(" "));
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        assertTrue(r.out().startsWith("Usage: nnc check"), r.all());
        assertTrue(r.out().contains("--model") && r.out().contains("--json") && r.out().contains("FILE"), r.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void version(String flag) {
        CliRun r = run(flag);
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), r.all());
        assertTrue(r.out().strip().matches("nnc \\d+\\.\\d+\\.\\d+(-\\S+)?"), r.all());
    }

    // ---- never a stack trace

    static void noStackTrace(String what, CliRun r) {
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("Error:")
                || r.out().contains("\tat "), () -> what + " shows a stack trace or a Java error:\n" + r.all());
        assertTrue(r.code() != Main.INTERNAL_ERROR, () -> what + " is an internal error:\n" + r.all());
    }

    static Stream<Path> badCorpus() throws IOException {
        Path bad = Path.of(System.getProperty("basedir", ""), "src/test/resources/bad");
        if (!Files.isDirectory(bad)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.walk(bad)) {
            return s.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    /** Every file of the corpus of bad inputs (src/test/resources/bad/), with and without --json. */
    @Test
    void badCorpusIsReportedWithoutAStackTrace() throws IOException {
        for (Path f : badCorpus().toList()) {
            CliRun r = run("check", f.toString());
            assertTrue(r.code() == 1 || r.code() == 2, () -> f + ": expected exit 1 or 2\n" + r.all());
            noStackTrace(f.toString(), r);
            CliRun json = run("check", "--json", f.toString());
            assertEquals(r.code(), json.code(), json.all());
            assertEquals("", json.out(), json.all());
            noStackTrace(f.toString(), json);
        }
    }

    @Test
    void brokenInputsAreReportedWithoutAStackTrace() {
        for (int i = 0; i < BROKEN.size(); i++) {
            String text = BROKEN.get(i);
            Path f = write("broken" + i + ".nn", text);
            CliRun r = run("check", f.toString());
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            assertTrue(r.code() == 1 || r.code() == 2, () -> "broken input " + shown + "\n" + r.all());
            noStackTrace(shown, r);
            if (r.code() == 1) {
                assertTrue(HEAD.matcher(r.err().lines().findFirst().orElse("")).matches(), () -> shown + "\n" + r.all());
                assertTrue(r.err().matches("(?s).*\\d+ errors?\n"), () -> shown + "\n" + r.all());
            }
        }
    }

    @Test
    void fuzzMutantsAreReportedWithoutAStackTrace() throws IOException {
        List<Path> files = Mutator.seedFiles();
        Random pick = new Random(20240601L);
        List<Path> chosen = new ArrayList<>();
        for (int i = 0; i < Math.min(3, files.size()); i++) {
            chosen.add(files.remove(pick.nextInt(files.size())));
        }
        Mutator.Kind[] kinds = Mutator.Kind.values();
        for (Path f : chosen) {
            byte[] original = Files.readAllBytes(f);
            for (int i = 0; i < 100; i++) {
                long seed = 7_000_000L + 1000L * chosen.indexOf(f) + i;
                Mutator.Mutant m = Mutator.mutate(original, seed, kinds[i % kinds.length]);
                Path p = write(f.getFileName().toString(), m.bytes());
                CliRun r = run("check", p.toString());
                String what = "mutant of " + f + ", seed " + seed + ", kind " + kinds[i % kinds.length] + ":\n" + m.printable();
                if (r.code() == 0) {
                    assertEquals("", r.err(), () -> what + "\n" + r.all());
                } else {
                    assertTrue(r.code() == 1 || r.code() == 2, () -> what + "\n" + r.all());
                }
                noStackTrace(what, r);
            }
        }
    }

    // ---- Json

    @Test
    void jsonRefusesNonFiniteNumbers() {
        for (Object bad : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN,
                Float.POSITIVE_INFINITY, List.of(1.0, Double.NaN), Map.of("x", List.of(List.of(Double.NEGATIVE_INFINITY)))}) {
            assertThrows(IllegalArgumentException.class, () -> Json.write(bad), String.valueOf(bad));
        }
    }

    @Test
    void jsonEscapesStrings() {
        String nasty = "quote \" backslash \\ slash / newline \n return \r tab \t nul \u0000 bell \u0007 esc \u001b"
                + " del \u007f e-acute \u00e9 line-sep \u2028 emoji \uD83D\uDE00";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(nasty, nasty);
        doc.put("list", List.of(nasty, ""));
        String json = Json.write(doc);
        for (char c : json.toCharArray()) {
            assertTrue(c >= 0x20, () -> "a raw control character in " + json);
        }
        assertTrue(json.startsWith("{\"quote \\\" backslash \\\\ slash"), json);
        assertTrue(json.contains("\\n") && json.contains("\\t") && json.contains("\\u0000"), json);
        assertEquals(doc, JsonReader.parse(json));
    }

    @Test
    void jsonWritesEveryKindOfValue() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", null);
        doc.put("t", true);
        doc.put("i", 42);
        doc.put("l", Long.MIN_VALUE);
        doc.put("d", 2.5);
        doc.put("whole", 3.0);
        doc.put("nested", List.of(List.of(1, 2), List.of()));
        doc.put("empty", Map.of());
        String json = Json.write(doc);
        assertEquals("{\"n\": null, \"t\": true, \"i\": 42, \"l\": -9223372036854775808, \"d\": 2.5, \"whole\": 3,"
                + " \"nested\": [[1, 2], []], \"empty\": {}}", json);
        assertEquals(Arrays.asList(null, true, 42L, Long.MIN_VALUE, 2.5, 3L, List.of(List.of(1L, 2L), List.of()), Map.of()),
                new ArrayList<>(JsonReader.object(json).values()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void jsonRoundTripsDoublesExactly() {
        Random random = new Random(1234567L);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, Math.PI, 1e15, 1e15 + 1, 1e16,
                -1e15, 999999999999999.9, 123456789012345678.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, Math.nextDown(1.0), Math.nextUp(0.0), 4.35e-321, 2.0e-3, 1e23,
                8.41e21, 5e-324, 9007199254740993.0, (double) Float.MAX_VALUE, (double) 0.1f));
        for (int i = 0; i < 5000; i++) {
            switch (i % 5) {
                case 0 -> values.add(random.nextGaussian());
                case 1 -> values.add(Double.longBitsToDouble(random.nextLong())); // anything, tiny and huge
                case 2 -> values.add((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(600) - 300));
                case 3 -> values.add((double) (random.nextLong() >> random.nextInt(64)));
                default -> values.add(Double.longBitsToDouble(random.nextLong() & 0x000f_ffff_ffff_ffffL)); // subnormal
            }
        }
        for (double d : values) {
            if (!Double.isFinite(d)) {
                assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(d)));
                continue;
            }
            String json = Json.write(List.of(d));
            Object back = ((List<?>) JsonReader.parse(json)).get(0);
            assertTrue(back instanceof Number, json);
            double read = ((Number) back).doubleValue();
            if (back instanceof Long l && (double) l != d) {
                fail(d + " printed as " + json + " reads back as " + l);
            }
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(read),
                    () -> d + " printed as " + json + " reads back as " + read);
        }
    }
}
