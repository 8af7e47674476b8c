package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.Reference;
import dev.nnc.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands that run generated trainers, through {@link Main#run}: {@code compile} (and the
 * written file with a plain javac and java), {@code train --save}, {@code eval} and {@code predict}
 * on a CSV file (their numbers against the reference evaluator), {@code gradcheck} on the samples,
 * and bad data and weights files: exit 1, a message naming the file and the problem, nothing
 * written, never a stack trace.
 */
class TrainerCommandsTest {

    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");

    /** A classifier with inline data (3 inputs, 3 classes), for train, eval and predict. */
    static final String CLASSIFIER = """
            model cls {
                input  x[3]
                target c[3] onehot
                h    = dense(x, 5, tanh)
                out  = dense(h, 3)
                loss = cross_entropy(out, c)
                output out
                data {
                    x = [[1, 0, 0.5], [0, 1, -0.5], [-1, -1, 0], [0.8, 0.2, 0.4], [0.1, 0.9, -0.2], [-0.7, -0.9, 0.3]]
                    c = [0, 1, 2, 0, 1, 2]
                }
                train { optimizer = adam(lr = 0.05); epochs = 30; batch = 2; shuffle = true; seed = 5 }
            }
            """;

    /** The CSV layout of {@link #CLASSIFIER}: x1, x2, x3, then the label. */
    static final String CLASSIFIER_CSV = """
            x1,x2,x3,c
            0.9,0.1,0.3,0
            0.2,0.8,-0.4,1
            -0.8,-1.2,0.1,2
            0.5,0.5,0.5,1
            """;

    /** Four pixels and three classes: small enough for hand-made IDX files. */
    static final String PIXELS = """
            model pixels {
                input  x[4]
                target y[3] onehot
                out  = dense(x, 3)
                loss = cross_entropy(out, y)
                output out
                train { epochs = 1; batch = 2 }
            }
            """;

    /** One SGD step with lr 1e30 makes W about 1e30; the next loss, about 1e60, is infinite in f32. */
    static final String EXPLODES = """
            model explodes {
                input  x[2]
                target y[1]
                param W[1, 2] = [[0.5, -0.3]]
                param b[1]    = [0.1]
                out  = W @ x + b
                loss = mse(out, y)
                output out
                data {
                    x = [[1, 2], [3, -1], [0.5, 0.5]]
                    y = [[1], [0], [2]]
                }
                train { optimizer = sgd(lr = 1e30); epochs = 3; batch = 1 }
            }
            """;

    @TempDir
    Path dir;

    private ChildJava children() {
        return new ChildJava(dir);
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

    /** Runs nnc and checks that nothing it printed is a Java stack trace. */
    static CliRun run(String... args) {
        CliRun r = CliRun.of(args);
        for (String text : List.of(r.out(), r.err())) {
            assertFalse(text.contains("\tat ") || text.contains("Exception") || text.contains("java.lang."),
                    () -> "a stack trace or exception name:\n" + r.all());
        }
        return r;
    }

    // ---- train's run flags

    /** {@code nnc train} takes the run flags of the trainer: history file, validation split, checkpoint and resume. */
    @Test
    void trainTakesTheRunFlags() throws Exception {
        Path history = dir.resolve("h.csv");
        Path ckpt = dir.resolve("x.ckpt");
        String xor = SAMPLES.resolve("xor.nn").toString();
        CliRun first = run("train", xor, "--epochs", "3", "--history", history.toString(), "--checkpoint", ckpt.toString(), "--json");
        assertEquals(0, first.code(), first.all());
        assertEquals(4, Files.readAllLines(history).size(), "a header and three epochs");
        CliRun rest = run("train", xor, "--epochs", "5", "--checkpoint", ckpt.toString(), "--json");
        assertEquals(0, rest.code(), rest.all());
        CliRun whole = run("train", xor, "--epochs", "5", "--json");
        assertEquals(JsonReader.object(whole.out()).get("params"), JsonReader.object(rest.out()).get("params"), "resumed bit for bit");
        CliRun split = run("train", xor, "--epochs", "2", "--validation-split", "0.5", "--early-stopping", "1");
        assertEquals(0, split.code(), split.all());
        assertTrue(split.err().contains("val loss"), split.all());
        CliRun folder = run("train", xor, "--save", dir.toString());
        assertEquals(2, folder.code(), folder.all());
        assertTrue(folder.err().contains("--save " + dir + ": it is a folder"), folder.all());
    }

    // ---- compile

    @Test
    void compileWritesTheTrainer() {
        Path out = dir.resolve("out");
        CliRun r = run("compile", SAMPLES.resolve("tiny_relu.nn").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.all());
        Path file = out.resolve("TinyRelu.java");
        assertTrue(Files.isRegularFile(file), r.all());
        assertTrue(r.out().contains(file.toString()), r.all());
    }

    @Test
    void compileJsonListsTheFiles() {
        Path out = dir.resolve("out");
        CliRun r = run("compile", SAMPLES.resolve("tiny_relu.nn").toString(), "-o", out.toString(), "--json",
                "--class", "Tiny");
        assertEquals(0, r.code(), r.all());
        Map<String, Object> doc = JsonReader.object(r.out());
        assertEquals(List.of("files"), List.copyOf(doc.keySet()), r.all());
        List<?> files = (List<?>) doc.get("files");
        assertEquals(out.resolve("Tiny.java").toString(), files.get(0), r.all());
        assertTrue(files.contains(out.resolve("dev/nnc/runtime/NncDriver.java").toString()), r.all());
        assertFalse(files.contains(out.resolve("dev/nnc/runtime/NncGemmVector.java").toString()),
                "the Vector API kernels only with --vector: " + r.all());
        for (Object f : files) {
            assertTrue(Files.isRegularFile(Path.of((String) f)), f.toString());
        }
    }

    /** {@code --package p} writes p/Name.java beside the runtime's sources; javac (no class path) and {@code java -cp} accept them. */
    @Test
    void compiledPackageBuildsWithJavacAndRuns() throws Exception {
        Path out = dir.resolve("out");
        CliRun r = run("compile", SAMPLES.resolve("sigmoid_121.nn").toString(), "-o", out.toString(), "--package", "p");
        assertEquals(0, r.code(), r.all());
        Path file = out.resolve("p").resolve("Sigmoid121.java");
        assertTrue(Files.isRegularFile(file), r.all());
        assertTrue(Files.readString(file).startsWith("package p;"), "no package line in " + file);
        assertTrue(Files.readString(file).contains("\nimport dev.nnc.runtime.NncModel;\n"), "the class imports the runtime");
        Path classes = children().javac(out);
        assertB2AfterOneStep(classes, "p.Sigmoid121");
    }

    /** Two models in one package and one folder: nothing they write clashes, both build and run. */
    @Test
    void twoModelsCompileIntoOnePackage() throws Exception {
        Path out = dir.resolve("out");
        for (String sample : List.of("sigmoid_121.nn", "xor.nn")) {
            CliRun r = run("compile", SAMPLES.resolve(sample).toString(), "-o", out.toString(), "--package", "com.acme");
            assertEquals(0, r.code(), r.all());
        }
        Path classes = children().javac(out);
        assertB2AfterOneStep(classes, "com.acme.Sigmoid121");
        ChildJava.Exec xor = children().exec(ChildJava.java(), "-cp", classes.toString(), "com.acme.Xor", "--epochs", "2", "--json");
        assertEquals(0, xor.code(), xor.all());
    }

    /** {@code -o DIR/com/acme --package com.acme}: the package's folders are not doubled. */
    @Test
    void anOutputFolderEndingInThePackageIsNotDoubled() {
        Path out = dir.resolve("src").resolve("com").resolve("acme");
        CliRun r = run("compile", SAMPLES.resolve("xor.nn").toString(), "-o", out.toString(), "--package", "com.acme");
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.isRegularFile(out.resolve("Xor.java")), r.all());
        assertFalse(Files.exists(out.resolve("com")), "doubled folders: " + r.all());
        assertTrue(Files.isRegularFile(dir.resolve("src/dev/nnc/runtime/NncDriver.java")), "the runtime at the source root");
    }

    /** {@code --no-runtime}: the class alone; {@code --single-file}: one file that {@code java Name.java} runs. */
    @Test
    void noRuntimeAndSingleFile() throws Exception {
        Path alone = dir.resolve("alone");
        CliRun r = run("compile", SAMPLES.resolve("sigmoid_121.nn").toString(), "-o", alone.toString(), "--no-runtime", "--json");
        assertEquals(0, r.code(), r.all());
        assertEquals(List.of(alone.resolve("Sigmoid121.java").toString()), JsonReader.object(r.out()).get("files"));
        try (var listed = Files.walk(alone)) {
            assertEquals(1, listed.filter(Files::isRegularFile).count(), "only the class");
        }
        Path single = dir.resolve("single");
        r = run("compile", SAMPLES.resolve("sigmoid_121.nn").toString(), "-o", single.toString(), "--single-file");
        assertEquals(0, r.code(), r.all());
        Path file = single.resolve("Sigmoid121.java");
        assertFalse(Files.readString(file).contains("import dev.nnc"), "a single file imports no runtime");
        ChildJava.Exec java = children().exec(ChildJava.java(), file.toString(), "--json");
        assertEquals(0, java.code(), java.all());
        assertB2(java.output());
        CliRun both = run("compile", SAMPLES.resolve("xor.nn").toString(), "-o", single.toString(), "--single-file", "--no-runtime");
        assertEquals(2, both.code(), both.all());
    }

    /** A runtime file that already holds its text is not written again: it keeps its time (incremental builds). */
    @Test
    void anUnchangedRuntimeFileKeepsItsTime() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, run("compile", SAMPLES.resolve("xor.nn").toString(), "-o", out.toString()).code());
        Path driver = out.resolve("dev/nnc/runtime/NncDriver.java");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(driver, old);
        assertEquals(0, run("compile", SAMPLES.resolve("xor.nn").toString(), "-o", out.toString()).code());
        assertEquals(old, Files.getLastModifiedTime(driver));
        Files.writeString(driver, "// changed by hand\n");
        assertEquals(0, run("compile", SAMPLES.resolve("xor.nn").toString(), "-o", out.toString()).code());
        assertTrue(Files.readString(driver).startsWith("package dev.nnc.runtime;"), "a changed file is rewritten");
    }

    /** nnc's trainer commands take the runtime's flags, with the runtime's help, checks and messages. */
    @Test
    void trainerFlagsComeFromTheRuntimesOneTable() {
        CliRun help = run("train", "--help");
        assertEquals(0, help.code(), help.all());
        for (String name : List.of("--data", "--test-data", "--epochs", "--batch", "--lr", "--seed", "--threads", "--save")) {
            dev.nnc.runtime.NncFlags.Flag f = dev.nnc.runtime.NncFlags.flag(name);
            String text = Character.toUpperCase(f.help().charAt(0)) + f.help().substring(1, Math.min(f.help().length(), 30));
            assertTrue(help.out().contains(name + "=" + f.label()) && help.out().contains(text), name + " in\n" + help.out());
        }
        CliRun typo = run("train", SAMPLES.resolve("xor.nn").toString(), "--epoch", "3");
        assertEquals(2, typo.code(), typo.all());
        assertTrue(typo.err().contains("did you mean --epochs?"), typo.all());
        // the value is checked by the trainer's own parser: the message the standalone trainer gives
        CliRun zero = run("train", SAMPLES.resolve("xor.nn").toString(), "--epochs", "0");
        assertEquals(2, zero.code(), zero.all());
        assertTrue(zero.err().contains("--epochs must be at least 1, found 0"), zero.all());
        CliRun missing = run("eval", SAMPLES.resolve("xor.nn").toString(), "--data", "x.csv");
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("--weights"), missing.all());
    }

    /** One epoch of the sigmoid_121 sample in a JVM of its own ends with nnc train's b2 (samples/README.md). */
    private void assertB2AfterOneStep(Path classes, String mainClass) throws Exception {
        ChildJava.Exec java = children().exec(ChildJava.java(), "-cp", classes.toString(), mainClass, "--json");
        assertEquals(0, java.code(), java.all());
        assertB2(java.output());
    }

    private static void assertB2(String json) {
        Map<String, Object> doc = JsonReader.object(json);
        assertEquals(1L, doc.get("epochs"), json);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) doc.get("params");
        assertEquals(0.530436, ((Number) params.get("b2")).doubleValue(), 1e-6, json);
    }

    // ---- train --save, eval, predict

    @Test
    void trainSaveThenEvalAndPredictAgreeWithTheEvaluator() {
        Path model = write("cls.nn", CLASSIFIER);
        Path weights = dir.resolve("W.json");
        CliRun train = run("train", model.toString(), "--save", weights.toString(), "--json");
        assertEquals(0, train.code(), train.all());
        Map<String, Object> trained = JsonReader.object(train.out());
        assertFalse(trained.containsKey("params"), "params printed although --save was given:\n" + train.all());
        assertTrue(Files.isRegularFile(weights), train.all());

        Path csv = write("test.csv", CLASSIFIER_CSV);
        CheckedModel checked = Pipeline.check(new SourceFile(model.toString(), CLASSIFIER), null);
        Map<String, Tensor> params = readWeights(weights, checked);
        List<Map<String, double[]>> samples = csvSamples(checked);
        Reference.Result expected = Reference.run(Pipeline.derive(checked).simplified(), params, samples);

        CliRun eval = run("eval", model.toString(), "--weights", weights.toString(), "--data", csv.toString(), "--json");
        assertEquals(0, eval.code(), eval.all());
        Map<String, Object> doc = JsonReader.object(eval.out());
        assertEquals(4L, doc.get("samples"), eval.all());
        double loss = ((Number) doc.get("loss")).doubleValue();
        assertEquals(expected.loss(), loss, 1e-5 * Math.abs(expected.loss()), eval.all());
        int correct = 0;
        for (int s = 0; s < samples.size(); s++) {
            double[] out = expected.samples().get(s).forward().get("out").toArray();
            correct += argmax(out) == argmax(samples.get(s).get("c")) ? 1 : 0;
        }
        assertEquals(correct / 4.0, ((Number) doc.get("accuracy")).doubleValue(), 1e-12, eval.all());

        CliRun predict = run("predict", model.toString(), "--weights", weights.toString(), "--data", csv.toString());
        assertEquals(0, predict.code(), predict.all());
        List<String> lines = predict.out().lines().toList();
        assertEquals(4, lines.size(), predict.all());
        for (int s = 0; s < 4; s++) {
            String[] cells = lines.get(s).trim().split("\\s+");
            double[] out = expected.samples().get(s).forward().get("out").toArray();
            assertEquals(3, cells.length, predict.all());
            for (int i = 0; i < 3; i++) {
                assertEquals(out[i], Double.parseDouble(cells[i]), 1e-5 * Math.max(1, Math.abs(out[i])), predict.all());
            }
        }
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    /** The weights file as the evaluator's parameters, shapes from the model. */
    private static Map<String, Tensor> readWeights(Path file, CheckedModel model) {
        Map<String, Object> doc;
        try {
            doc = JsonReader.object(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (CheckedModel.Param p : model.params()) {
            List<Double> values = new ArrayList<>();
            flatten(doc.get(p.name()), values);
            params.put(p.name(), new Tensor(p.shape(), values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return params;
    }

    private static void flatten(Object value, List<Double> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, into));
        } else {
            into.add(((Number) value).doubleValue());
        }
    }

    /** {@link #CLASSIFIER_CSV} as the evaluator's samples. */
    private static List<Map<String, double[]>> csvSamples(CheckedModel model) {
        List<String> rows = CLASSIFIER_CSV.lines().skip(1).toList();
        double[][] x = new double[rows.size()][];
        double[][] c = new double[rows.size()][];
        for (int s = 0; s < rows.size(); s++) {
            double[] cells = Stream.of(rows.get(s).split(",")).mapToDouble(Double::parseDouble).toArray();
            x[s] = new double[] {cells[0], cells[1], cells[2]};
            c[s] = new double[] {cells[3]};
        }
        return Reference.samples(model, new CheckedModel.InlineData(List.of("x", "c"), List.of(x, c), rows.size(), null));
    }

    // ---- gradcheck

    static List<Path> samplesWithData() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted()
                    .filter(p -> Pipeline.check(p, null).data() != null).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplesWithData")
    void gradcheckPassesOnEverySample(Path sample) {
        CliRun r = run("gradcheck", sample.toString(), "--json");
        assertEquals(0, r.code(), r.all());
        Map<String, Object> doc = JsonReader.object(r.out());
        double max = ((Number) doc.get("max_rel_error")).doubleValue();
        assertTrue(max < 1e-5, "max_rel_error " + max + "\n" + r.all());
        @SuppressWarnings("unchecked")
        Map<String, Object> perParam = (Map<String, Object>) doc.get("per_param");
        assertEquals(Pipeline.check(sample, null).params().stream().map(CheckedModel.Param::name).toList(),
                List.copyOf(perParam.keySet()), r.all());
    }

    /**
     * A model with a data block and a train block's file: gradcheck checks on the inline data
     * (language-notes.md; the trainer's driver decides it, for nnc and the standalone trainer);
     * {@code --data} over both.
     */
    @Test
    void gradcheckUsesTheInlineDataOverTheTrainBlocksFile() {
        write("three.csv", "x1,x2,x3,c\n1,0,0,0\n0,1,0,1\n0,0,1,2\n");
        Path model = write("cls.nn", CLASSIFIER.replace("seed = 5 }", "seed = 5; data = \"three.csv\" }"));
        CliRun inline = run("gradcheck", model.toString());
        assertEquals(0, inline.code(), inline.all());
        assertTrue(inline.out().contains(" on 6 samples: ok"), inline.all());
        CliRun given = run("gradcheck", model.toString(), "--data", dir.resolve("three.csv").toString());
        assertEquals(0, given.code(), given.all());
        assertTrue(given.out().contains(" on 3 samples: ok"), given.all());
    }

    /**
     * {@code --elements N} checks N elements of a parameter larger than N (the output says how
     * many), {@code all} every one; a bad count, or the flag outside gradcheck, is a usage error.
     */
    @Test
    void gradcheckElementsSetsHowManyAreChecked() {
        Path model = write("wide.nn", """
                model wide {
                    input  x[3]
                    target y[1]
                    param W1[40, 3] ~ xavier
                    param b1[40] = 0.1
                    param W2[1, 40] ~ xavier
                    h = tanh(W1 @ x + b1)
                    loss = mse(W2 @ h, y)
                    data {
                        x = [[0.1, 0.2, 0.3], [0.3, -0.4, 0.5]]
                        y = [[0.1], [0.2]]
                    }
                }
                """);
        CliRun five = run("gradcheck", model.toString(), "--elements", "5");
        assertEquals(0, five.code(), five.all());
        assertTrue(five.out().contains("W1  max rel error ") && five.out().contains("(5 of 120 elements)"), five.all());
        assertTrue(five.out().contains("(5 of 40 elements)"), five.all());
        CliRun all = run("gradcheck", model.toString(), "--elements", "all");
        assertEquals(0, all.code(), all.all());
        assertTrue(all.out().contains("(120 elements)") && all.out().contains("(40 elements)"), all.all());
        CliRun byDefault = run("gradcheck", model.toString());
        assertTrue(byDefault.out().contains("(120 elements)"), "at most 1000 elements are all checked: " + byDefault.all());
        CliRun zero = run("gradcheck", model.toString(), "--elements", "0");
        assertEquals(2, zero.code(), zero.all());
        assertTrue(zero.err().contains("--elements must be at least 1, found 0"), zero.all());
        CliRun word = run("gradcheck", model.toString(), "--elements", "some");
        assertEquals(2, word.code(), word.all());
        assertEquals(2, run("train", model.toString(), "--elements", "5").code(), "train has no --elements");
    }

    // ---- bad data

    /** train with --data bad and --save: exit 1, the message, no weights file, nothing on stdout. */
    private void trainFailsOnData(String data, String... expected) {
        Path model = write("cls.nn", CLASSIFIER);
        Path weights = dir.resolve("never.json");
        CliRun r = run("train", model.toString(), "--data", data, "--save", weights.toString(), "--json");
        assertEquals(1, r.code(), r.all());
        for (String e : expected) {
            assertTrue(r.err().contains(e), () -> "no '" + e + "' in\n" + r.all());
        }
        assertEquals("", r.out(), r.all());
        assertFalse(Files.exists(weights), "a weights file was written:\n" + r.all());
    }

    @Test
    void missingDataFile() {
        Path missing = dir.resolve("missing.csv");
        trainFailsOnData(missing.toString(), missing.toString(), "no such file");
    }

    @Test
    void wrongColumnCount() {
        Path csv = write("short.csv", "x1,x2,x3,c\n1,2,3,0\n1,2,0\n");
        trainFailsOnData(csv.toString(), csv + ":3:", "expected 4 columns, found 3");
    }

    @Test
    void nonNumericCell() {
        Path csv = write("text.csv", "1,2,3,0\n1,two,3,0\n");
        trainFailsOnData(csv.toString(), csv + ":2:", "column 2 is not a number", "two");
    }

    @Test
    void labelOutOfRange() {
        Path csv = write("label.csv", "1,2,3,0\n1,2,3,3\n");
        trainFailsOnData(csv.toString(), csv + ":2:", "label 3 is out of range for onehot[3]");
    }

    static byte[] idx(int magic, int[] dims, int bodyBytes) {
        byte[] b = new byte[4 + 4 * dims.length + bodyBytes];
        putInt(b, 0, magic);
        for (int d = 0; d < dims.length; d++) {
            putInt(b, 4 + 4 * d, dims[d]);
        }
        for (int i = 4 + 4 * dims.length; i < b.length; i++) {
            b[i] = (byte) (i % 3); // also fine as labels of 3 classes
        }
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** The hand-made IDX files work: 3 images of 2x2 pixels and their labels. */
    @Test
    void idxFilesTrain() {
        Path model = write("pixels.nn", PIXELS);
        Path images = write("images", idx(0x803, new int[] {3, 2, 2}, 12));
        Path labels = write("labels", idx(0x801, new int[] {3}, 3));
        CliRun r = run("train", model.toString(), "--data", "idx(\"" + images + "\", \"" + labels + "\")", "--json");
        assertEquals(0, r.code(), r.all());
    }

    @Test
    void idxOfTheWrongKind() {
        Path model = write("pixels.nn", PIXELS);
        Path labels = write("labels", idx(0x801, new int[] {3}, 3));
        Path weights = dir.resolve("never.json");
        CliRun r = run("train", model.toString(), "--data", "idx(\"" + labels + "\", \"" + labels + "\")",
                "--save", weights.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains(labels + ": expected magic 0x00000803 (images), found 0x00000801"), r.all());
        assertFalse(Files.exists(weights), r.all());
    }

    @Test
    void truncatedIdx() {
        Path model = write("pixels.nn", PIXELS);
        Path images = write("images", idx(0x803, new int[] {3, 2, 2}, 10));
        Path labels = write("labels", idx(0x801, new int[] {3}, 3));
        Path weights = dir.resolve("never.json");
        CliRun r = run("train", model.toString(), "--data", "idx(\"" + images + "\", \"" + labels + "\")",
                "--save", weights.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains(images + ": record 2 is truncated"), r.all());
        assertFalse(Files.exists(weights), r.all());
    }

    // ---- bad weights

    /** A weights file of {@link #CLASSIFIER}'s parameters, all zero, with {@code change} applied to the text. */
    private Path weights(String name, String from, String to) {
        String text = "{\"h.W\": " + zeros(5, 3) + ", \"h.b\": " + zeros(5) + ", \"out.W\": " + zeros(3, 5)
                + ", \"out.b\": " + zeros(3) + "}";
        assertTrue(from == null || text.contains(from));
        return write(name, from == null ? text : text.replace(from, to));
    }

    private static String zeros(int n) {
        return "[" + String.join(", ", java.util.Collections.nCopies(n, "0.0")) + "]";
    }

    private static String zeros(int rows, int cols) {
        return "[" + String.join(", ", java.util.Collections.nCopies(rows, zeros(cols))) + "]";
    }

    /** eval and predict with these weights: exit 1 and the messages; nothing on stdout. */
    private void weightsFail(Path weights, String... expected) {
        Path model = write("cls.nn", CLASSIFIER);
        Path csv = write("test.csv", CLASSIFIER_CSV);
        for (String command : List.of("eval", "predict")) {
            CliRun r = run(command, model.toString(), "--weights", weights.toString(), "--data", csv.toString());
            assertEquals(1, r.code(), r.all());
            for (String e : expected) {
                assertTrue(r.err().contains(e), () -> "no '" + e + "' in\n" + r.all());
            }
            assertEquals("", r.out(), r.all());
        }
    }

    @Test
    void goodWeightsFileOfZeros() {
        Path model = write("cls.nn", CLASSIFIER);
        Path csv = write("test.csv", CLASSIFIER_CSV);
        CliRun r = run("eval", model.toString(), "--weights", weights("zeros.json", null, null).toString(),
                "--data", csv.toString(), "--json");
        assertEquals(0, r.code(), r.all());
        // all-zero weights: uniform softmax, loss ln 3
        assertEquals(Math.log(3), ((Number) JsonReader.object(r.out()).get("loss")).doubleValue(), 1e-6, r.all());
    }

    @Test
    void weightsWithAWrongParameterName() {
        Path w = weights("name.json", "\"out.b\"", "\"out.bias\"");
        weightsFail(w, w.toString(), "out.bias");
    }

    @Test
    void weightsWithAWrongShape() {
        Path w = weights("shape.json", "\"h.b\": " + zeros(5), "\"h.b\": " + zeros(4));
        weightsFail(w, w.toString(), "h.b", "[4]", "[5]");
    }

    @Test
    void unreadableWeights() {
        Path w = write("garbage.json", "{\"h.W\": [[0.0, 0.0");
        weightsFail(w, w.toString());
        Path folder = dir.resolve("folder.json");
        try {
            Files.createDirectory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        weightsFail(folder, folder.toString(), "directory");
        Path missing = dir.resolve("missing.json");
        weightsFail(missing, missing.toString(), "no such file");
    }

    // ---- training that turns non-finite

    @Test
    void nonFiniteLossStopsAndNamesTheStep() {
        Path model = write("explodes.nn", EXPLODES);
        CliRun r = run("train", model.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("epoch 1") && r.err().contains("step 2"), r.all());
    }

    @Test
    void nonFiniteLossSavesTheLastFiniteWeights() throws IOException {
        Path model = write("explodes.nn", EXPLODES);
        Path weights = dir.resolve("W.json");
        CliRun r = run("train", model.toString(), "--save", weights.toString(), "--json");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("epoch 1") && r.err().contains("step 2"), r.all());
        assertEquals("", r.out(), r.all());
        assertTrue(Files.isRegularFile(weights), "no weights saved:\n" + r.all());
        Map<String, Object> saved = JsonReader.object(Files.readString(weights));
        List<Double> values = new ArrayList<>();
        saved.values().forEach(v -> flatten(v, values));
        assertEquals(3, values.size(), saved.toString());
        assertTrue(values.stream().allMatch(Double::isFinite), saved.toString());
        // after the one finite step W has left its start by about lr = 1e30
        assertTrue(Math.abs(values.get(0)) > 1e20, saved.toString());
    }

    /**
     * When an update itself would overflow the weights (f32, x = 1e9 makes the first gradient about
     * 1e9, times lr 1e30), the trainer's dry run of the step says so before it is applied: the run
     * stops at that step and saves the weights it had, all finite.
     */
    @Test
    void weightsThatOverflowInAnUpdateStillLeaveTheLastFiniteWeights() throws IOException {
        Path model = write("overflows.nn", EXPLODES.replace("x = [[1, 2]", "x = [[1e9, 2]"));
        Path weights = dir.resolve("W.json");
        CliRun r = run("train", model.toString(), "--save", weights.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("would make W non-finite at epoch 1, step 1"), r.all());
        assertTrue(Files.isRegularFile(weights), "no weights saved:\n" + r.all());
        List<Double> values = new ArrayList<>();
        JsonReader.object(Files.readString(weights)).values().forEach(v -> flatten(v, values));
        assertTrue(values.stream().allMatch(Double::isFinite), values.toString());
    }
}
