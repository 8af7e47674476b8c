package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TrainOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nnc compile --predictor --weights W.json}: for samples and test models, weights trained or
 * drawn by the full model and saved through the runtime, the predictor (compiled by a plain javac,
 * loaded with nothing but the JDK) gives the full model's {@code predict} bit for bit, from one
 * thread or eight; it refuses bad arguments, allocates nothing once warm; the command refuses bad
 * weights files (exit 1) and flags that do not go together (exit 2).
 */
class PredictorCommandTest {

    static final Path ROOT = Path.of(System.getProperty("nnc.root", "."));
    static final Path SAMPLES = ROOT.resolve("samples");
    static final Path MODELS = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/predictor");

    /**
     * A model to predict with: its file and name, and how many epochs of its inline data the full
     * model trains before its weights are saved (0: the initializers' values, seed 7).
     */
    record Case(Path file, String model, int epochs) {
        @Override
        public String toString() {
            return model != null ? model : file.getFileName().toString();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case(SAMPLES.resolve("xor.nn"), null, 300), new Case(SAMPLES.resolve("tiny_relu.nn"), null, 1),
                new Case(SAMPLES.resolve("net_2321.nn"), null, 5), new Case(SAMPLES.resolve("fashion_mnist.nn"), null, 0),
                new Case(MODELS.resolve("functions.nn"), "functions32", 0), new Case(MODELS.resolve("functions.nn"), "functions64", 0),
                new Case(MODELS.resolve("shapes.nn"), "shapes", 0), new Case(MODELS.resolve("shapes.nn"), "names", 0));
    }

    /** The full model of a case with its weights, and those weights saved in {@code dir/w.json}. */
    private record Trained(Model full, Path weights, boolean f64) {}

    private static Trained train(Case c, Path dir) throws ReflectiveOperationException {
        CheckedModel checked = Pipeline.check(c.file(), c.model());
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(checked, null, null, null));
        Model full = (Model) type.getConstructor(long.class).newInstance(7L);
        if (c.epochs() > 0) {
            full.fit(full.dataReader().inline(), TrainOptions.fromModel().epochs(c.epochs()));
        }
        Path weights = dir.resolve("w.json");
        full.save(weights);
        return new Trained(full, weights, checked.train().dtype() == TrainConfig.DType.F64);
    }

    private static CompiledPredictor predictor(Case c, Trained t, Path dir) throws IOException, ReflectiveOperationException {
        return CompiledPredictor.build(c.file(), c.model(), t.weights(), dir, t.f64());
    }

    /** Seeded inputs: mostly uniform in [-3, 3), a few zeros and large values. */
    private static double[][] inputs(int size, int count, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[count][size];
        for (int s = 0; s < count; s++) {
            for (int i = 0; i < size; i++) {
                x[s][i] = s == 0 ? 0 : s == 1 ? 40 * random.nextGaussian() : 6 * random.nextDouble() - 3;
            }
        }
        return x;
    }

    private static double[] fullPredict(Trained t, double[] x) {
        return t.f64() ? t.full().predict(x) : CompiledPredictor.widen(t.full().predict(CompiledPredictor.narrow(x)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictsAsTheFullModelBitForBit(Case c, @TempDir Path dir) throws Throwable {
        Trained t = train(c, dir);
        CompiledPredictor p = predictor(c, t, dir);
        CompiledPredictor.assertNoRuntime(p.source);
        assertEquals(t.full().schema().inputSize(), p.constant("INPUT_SIZE"));
        assertEquals(t.full().schema().outputSize(), p.constant("OUTPUT_SIZE"));
        double[][] x = inputs(p.constant("INPUT_SIZE"), 200, 11);
        double[][] batch = p.predict(x);
        for (int s = 0; s < x.length; s++) {
            double[] expected = fullPredict(t, x[s]);
            assertArrayEquals(expected, p.predict(x[s]), "sample " + s + " of " + c);
            assertArrayEquals(expected, batch[s], "sample " + s + " of " + c + " in predict(inputs)");
        }
    }

    @Test
    void eightThreadsPredictAsOne(@TempDir Path dir) throws Throwable {
        Case c = new Case(SAMPLES.resolve("fashion_mnist.nn"), null, 0);
        CompiledPredictor p = predictor(c, train(c, dir), dir);
        double[][] x = inputs(p.constant("INPUT_SIZE"), 400, 5);
        double[][] alone = new double[x.length][];
        for (int s = 0; s < x.length; s++) {
            alone[s] = p.predict(x[s]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<double[][]>> work = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                int offset = k * 50;
                work.add(() -> {
                    double[][] out = new double[x.length][];
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < x.length; i++) {
                            int s = (i + offset) % x.length; // each thread starts elsewhere, so the calls overlap on different samples
                            out[s] = p.predict(x[s]);
                        }
                    }
                    return out;
                });
            }
            for (Future<double[][]> f : pool.invokeAll(work)) {
                double[][] out = f.get();
                for (int s = 0; s < x.length; s++) {
                    assertArrayEquals(alone[s], out[s], "sample " + s + " predicted on 8 threads");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsThrowIllegalArgumentNamingThemAndTheSizes(@TempDir Path dir) throws Throwable {
        Case c = new Case(SAMPLES.resolve("xor.nn"), null, 0);
        CompiledPredictor p = predictor(c, train(c, dir), dir);
        var one = p.type.getMethod("predict", float[].class);
        var into = p.type.getMethod("predict", float[].class, float[].class);
        var many = p.type.getMethod("predict", float[][].class);
        assertMessage("input has length 3; expected 2 (x[2])", () -> p.call(one, (Object) new float[3]));
        assertMessage("input must not be null", () -> p.call(one, (Object) null));
        assertMessage("output has length 2; expected 1 (p[1])", () -> p.call(into, new float[2], new float[2]));
        assertMessage("output must not be null", () -> p.call(into, new float[2], null));
        assertMessage("inputs[1] has length 1; expected 2 (x[2])", () -> p.call(many, (Object) new float[][] {{0, 1}, {0}}));
        assertMessage("inputs[0] must not be null", () -> p.call(many, (Object) new float[][] {null}));
        assertMessage("inputs must not be null", () -> p.call(many, (Object) null));
        assertEquals(0, ((float[][]) p.call(many, (Object) new float[0][])).length);
    }

    private interface Call {
        void run() throws Throwable;
    }

    private static void assertMessage(String expected, Call call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(expected, e.getMessage());
    }

    /**
     * Allocation counts of this thread: twice as many warm calls allocate what half as many do, within
     * less than a byte a call (one object a call would be 16 bytes or more; the rest is the JIT's and
     * the counter's own noise).
     */
    @ParameterizedTest
    @ValueSource(strings = {"xor.nn", "fashion_mnist.nn"})
    void predictIntoAnArrayAllocatesNothingOnceWarm(String sample, @TempDir Path dir) throws Throwable {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Case c = new Case(SAMPLES.resolve(sample), null, 0);
        CompiledPredictor p = predictor(c, train(c, dir), dir);
        double[] x = inputs(p.constant("INPUT_SIZE"), 3, 1)[2];
        int times = sample.equals("xor.nn") ? 20_000 : 2_000;
        p.loop(x, 2 * times); // class loading, the JIT
        long id = Thread.currentThread().getId();
        long start = threads.getThreadAllocatedBytes(id);
        p.loop(x, times);
        long once = threads.getThreadAllocatedBytes(id) - start;
        start = threads.getThreadAllocatedBytes(id);
        p.loop(x, 2 * times);
        long twice = threads.getThreadAllocatedBytes(id) - start;
        assertTrue(twice - once < times, times + " more calls allocated " + (twice - once) + " bytes (" + once + " for " + times
                + ", " + twice + " for " + 2 * times + ")");
    }

    // ----------------------------------------------------------------------------- the command

    @Test
    void packageClassAndJsonAsForCompile(@TempDir Path dir) throws Throwable {
        Case c = new Case(SAMPLES.resolve("xor.nn"), null, 0);
        Trained t = train(c, dir);
        CompiledPredictor p = CompiledPredictor.build(c.file(), null, t.weights(), dir, false, "--package", "com.acme",
                "--class", "Gate");
        assertEquals(dir.resolve("src/com/acme/Gate.java"), p.file);
        assertEquals("com.acme.Gate", p.type.getName());
        assertArrayEquals(fullPredict(t, new double[] {1, 0}), p.predict(new double[] {1, 0}));
        CliRun again = CliRun.of("compile", c.file().toString(), "-o", dir.resolve("other").toString(), "--predictor", "--weights",
                t.weights().toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(Files.isRegularFile(dir.resolve("other/XorPredictor.java")), "the default name is the model's + Predictor");
        assertEquals(p.source.replace("package com.acme;\n\n", "").replace("Gate", "XorPredictor"),
                Files.readString(dir.resolve("other/XorPredictor.java")), "the same class under another name and package");
    }

    static Stream<Arguments> flagMisuse() {
        return Stream.of(Arguments.of(List.of("--weights", "w.json"), "--weights goes with --predictor"),
                Arguments.of(List.of("--predictor"), "--predictor needs --weights W.json"),
                Arguments.of(List.of("--predictor", "--weights", "w.json", "--single-file"), "--single-file does not apply to --predictor"),
                Arguments.of(List.of("--predictor", "--weights", "w.json", "--no-runtime"), "--no-runtime does not apply to --predictor"),
                Arguments.of(List.of("--predictor", "--weights", "w.json", "--vector"), "--vector does not apply to --predictor"));
    }

    @ParameterizedTest
    @MethodSource("flagMisuse")
    void flagsThatDoNotGoTogetherAreUsageErrors(List<String> flags, String message, @TempDir Path dir) {
        List<String> args = new ArrayList<>(List.of("compile", SAMPLES.resolve("xor.nn").toString(), "-o", dir.resolve("out").toString()));
        args.addAll(flags);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.code(), run.all());
        assertTrue(run.err().contains(message), run.all());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written");
    }

    static Stream<Arguments> badWeights() {
        String xorShapes = "\"h.b\": [0, 0, 0, 0, 0, 0, 0, 0], \"out.W\": [[0, 0, 0, 0, 0, 0, 0, 0]], \"out.b\": [0]";
        String hW = "\"h.W\": [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]";
        return Stream.of(
                Arguments.of("{\"h.W\": [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]], " + xorShapes + "}",
                        "parameter h.W has shape [2, 8], the model expects [8, 2]"),
                Arguments.of("{" + xorShapes + "}", "parameter h.W is missing"),
                Arguments.of("{" + hW + ", " + xorShapes + ", \"W9\": [1]}", "unknown parameter W9"),
                Arguments.of("{" + hW.replace("[0, 0]]", "[0, 1e39]]") + ", " + xorShapes + "}",
                        "parameter h.W holds 1.0E39 at element 15, beyond float's range"),
                Arguments.of("{" + hW.replace("[0, 0]]", "[0, \"a\"]]") + ", " + xorShapes + "}", "parameter h.W holds"),
                Arguments.of("{\"h.W\": ", ""),
                Arguments.of(null, "no such file"));
    }

    @ParameterizedTest
    @MethodSource("badWeights")
    void badWeightsFilesAreInputErrorsNamingFileAndReason(String text, String reason, @TempDir Path dir) throws IOException {
        Path weights = dir.resolve("bad.json");
        if (text != null) {
            Files.writeString(weights, text);
        }
        CliRun run = CliRun.of("compile", SAMPLES.resolve("xor.nn").toString(), "-o", dir.resolve("out").toString(), "--predictor",
                "--weights", weights.toString());
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().startsWith("nnc: ") && run.err().contains(weights.toString()), run.all());
        assertTrue(run.err().contains(reason), run.all());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), "no stack trace: " + run.all());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written");
    }

    @Test
    void aModelWithoutOutputHasNothingToPredict(@TempDir Path dir) throws IOException {
        Path weights = Files.writeString(dir.resolve("w.json"), "{\"x\": 1}");
        CliRun run = CliRun.of("compile", SAMPLES.resolve("cube.nn").toString(), "-o", dir.resolve("out").toString(), "--predictor",
                "--weights", weights.toString());
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("model cube declares no output, so there is nothing to predict"), run.all());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written");
    }
}
