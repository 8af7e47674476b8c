package dev.nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Golden;
import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.diag.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lower stage on its own: golden dumps of the trainer program of every sample (train block and
 * optimizer update, variables, parameter starts, the three loop programs) and of its steps over rows
 * where it has them ({@code golden/lower/}), and the decisions it makes, one test each (those of the
 * steps over rows in {@link BatchLoweringTest}).
 */
class LoweringTest {

    /**
     * Which models train over rows: a weight of 256 elements at any batch of several samples; one of
     * 100 (10 x 10) only from a batch of 32; XOR's 2 x 8 never; a batch of 1 never.
     */
    @ParameterizedTest(name = "in {0}, hidden {1}, batch {2}: over rows {3}")
    @org.junit.jupiter.params.provider.CsvSource({
        "10, 10, 64, true", "10, 10, 32, true", "10, 10, 16, false", "10, 10, 8, false",
        "2, 8, 64, false", "16, 16, 4, true", "16, 16, 1, false", "9, 11, 64, false"})
    void theBatchAndTheWeightsDecideWhetherAModelTrainsOverRows(int in, int hidden, int batch, boolean rows) {
        String nn = """
                model m {
                    input  x[%d]
                    target y[%d]
                    h    = dense(x, %d, relu)
                    out  = dense(h, %d)
                    loss = mse(out, y)
                    train { optimizer = sgd(lr = 0.01); batch = %d }
                }
                """.formatted(in, in, hidden, in, batch);
        TrainerProgram program = Lowering.trainer(Pipeline.derive(Pipeline.check(new SourceFile("m.nn", nn), null)));
        assertEquals(rows, program.batched(), "trains over rows");
    }

    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");
    static final Path GOLDEN = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/golden/lower");

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
    }

    /** The trainer program with its steps over rows wherever the program allows them (nnc takes them by default only for large products). */
    static String dump(Derivation d) {
        return LoopPrinter.print(Lowering.trainer(d, TrainerProgram.Batching.ALWAYS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void loopProgramsOfTheSamplesAreCurrent(Path sample) throws IOException {
        Derivation d = Pipeline.derive(Pipeline.check(sample, null));
        String name = sample.getFileName().toString().replace(".nn", ".txt");
        Golden.check(GOLDEN.resolve(name), dump(d), "the loop programs of " + sample);
    }

    private static LoopProgram lower(String body, Lowering.Purpose purpose) {
        String text = "model m {\n" + body + "\n}\n";
        return Lowering.lower(Pipeline.derive(Pipeline.check(new SourceFile("m.nn", text), null)), purpose);
    }

    private static final String LAYER = """
            input x[3]
            target y[2]
            param W1[4, 3] = 0.1
            param b1[4] = 0.2
            param W2[2, 4] = 0.3
            h1 = relu(W1 @ x + b1)
            out = W2 @ h1
            loss = mse(out, y)
            output out
            """;

    /** {@code h1 = relu(W1 @ x + b1)}: one product whose epilogue adds the bias and applies relu, no buffer for the sum. */
    @Test
    void aLayerIsOneProductWithItsBiasAndActivationFused() {
        LoopProgram p = lower(LAYER, Lowering.Purpose.PREDICT);
        Step.MatMul layer = (Step.MatMul) p.steps().stream().filter(s -> s.out().name().equals("h1")).findFirst().orElseThrow();
        assertEquals("W1", layer.a().name());
        assertEquals("x", layer.b().name());
        assertEquals("relu((product + b1))", LoopPrinter.elem(layer.epilogue()));
        assertEquals(List.of("h1", "out"), p.steps().stream().map(s -> s.out().name()).toList(), "two loop nests in all");
        assertTrue(p.targets().isEmpty(), "a prediction does not read the targets");
        assertEquals(null, p.loss());
    }

    /** Training: the pre-activation is kept for relu', named z1; a gradient read once accumulates into its buffer. */
    @Test
    void trainingKeepsThePreActivationAndAccumulatesGradientsDirectly() {
        LoopProgram p = lower(LAYER, Lowering.Purpose.TRAIN);
        List<String> temps = p.temps().stream().map(Var::name).toList();
        assertTrue(temps.contains("z1"), "h1's pre-activation is z1: " + temps);
        List<Step.Outer> outers = p.steps().stream().filter(s -> s instanceof Step.Outer).map(s -> (Step.Outer) s).toList();
        assertEquals(List.of("dW2", "dW1"), outers.stream().map(o -> o.out().name()).toList());
        assertTrue(outers.stream().allMatch(Step.Outer::accumulate), "dW += ... straight into the gradient buffers");
        for (Step s : p.steps()) {
            assertFalse(s.out().role() == Var.Role.GRAD && !(s instanceof Step.Outer) && !accumulates(s),
                    "a gradient buffer is only ever added to: " + LoopPrinter.step(s));
        }
    }

    private static boolean accumulates(Step s) {
        return s instanceof Step.Elementwise e ? e.accumulate() : s instanceof Step.MatMul m && m.accumulate();
    }

    /** A value read by two consumers gets a buffer; one read once inside an elementwise chain does not. */
    @Test
    void onlyValuesReadTwiceGetBuffers() {
        LoopProgram p = lower("""
                input x[3]
                param w[3] = 0.5
                a = exp(w * x)
                loss = sum(a * a) + sum(tanh(a))
                """, Lowering.Purpose.INFER);
        List<String> temps = p.temps().stream().map(Var::name).toList();
        assertTrue(temps.contains("a"), "a is read twice: " + temps);
        assertTrue(temps.size() <= 4, "w * x is fused into a's loop, not a buffer of its own: " + temps);
        assertTrue(p.steps().stream().anyMatch(s -> s instanceof Step.Elementwise e && e.out().name().equals("a")
                && LoopPrinter.elem(e.value()).equals("exp((w * x))")), LoopPrinter.print(p, Lowering.Purpose.INFER));
    }

    /** The gradient listing's names reach the program: delta2 for the output layer's error. */
    @Test
    void sharedGradientTermsKeepTheListingsNames() {
        LoopProgram p = lower("""
                input x[2]
                target y[1]
                param W1[2, 2] = [[0.1, 0.2], [0.3, 0.4]]
                param b1[2] = [0.1, 0.2]
                param W2[2, 1] = [[0.5], [0.6]]
                param b2[1] = [0.3]
                h = relu(x @ W1 + b1)
                out = h @ W2 + b2
                loss = 0.5 * sum((out - y)^2)
                """, Lowering.Purpose.TRAIN);
        List<String> temps = p.temps().stream().map(Var::name).toList();
        assertTrue(temps.containsAll(List.of("z_h", "delta2", "delta1")), temps.toString());
    }

    /** xavier and he become the uniform and normal they stand for, from the parameter's fans. */
    @Test
    void initializersAreResolvedToWhatIsDrawn() {
        TrainerProgram t = Lowering.trainer(Pipeline.derive(Pipeline.check(new SourceFile("m.nn", """
                model m {
                    input x[3]
                    param A[2, 3] ~ xavier
                    param B[4, 2] ~ he
                    param c[4] = 0.5
                    loss = sum(B @ (A @ x) + c)
                }
                """), null)));
        assertEquals(List.of("A", "B", "c"), t.init().stream().map(ParamInit::name).toList());
        ParamInit.Distribution.Uniform a = (ParamInit.Distribution.Uniform) t.init().get(0).distribution();
        assertEquals(Math.sqrt(6.0 / 5), a.high(), 1e-15);
        assertEquals(-a.high(), a.low());
        ParamInit.Distribution.Normal b = (ParamInit.Distribution.Normal) t.init().get(1).distribution();
        assertEquals(0.0, b.mean());
        assertEquals(Math.sqrt(2.0 / 2), b.std(), 1e-15, "he: fan-in is the second dimension");
        assertEquals(new ParamInit.Distribution.Fill(0.5), t.init().get(2).distribution());
    }

    /**
     * A model's own name is never taken for a derived one: its z1 stays z1, and h1's pre-activation
     * (kept for relu') gets a name of its own, not z1 nor a renamed z12.
     */
    @Test
    void derivedNamesGiveWayToTheModelsOwn() {
        LoopProgram p = lower("""
                input x[3]
                param W1[2, 3] = 0.1
                z1 = sum(x)
                h1 = relu(W1 @ x)
                loss = sum(h1) * z1 + z1
                """, Lowering.Purpose.TRAIN);
        List<Var> z1 = p.temps().stream().filter(v -> v.name().startsWith("z1")).toList();
        assertEquals(1, z1.size(), "one z1, no renamed second: " + p.temps());
        assertEquals("z1", z1.get(0).name());
        assertTrue(z1.get(0).isScalar(), "z1 is the model's own sum(x), not h1's pre-activation: " + p.temps());
    }

    /** The constants' fields are declared in the order the program found them, the same in every JVM. */
    @Test
    void constantsKeepTheOrderTheyWereFoundIn() {
        java.util.Map<String, dev.nnc.tensor.Tensor> found = new java.util.LinkedHashMap<>();
        for (int i = 12; i > 0; i--) {
            found.put("c" + i, dev.nnc.tensor.Tensor.scalar(i));
        }
        LoopProgram p = new LoopProgram("m", dev.nnc.check.TrainConfig.DType.F64, List.of(), List.of(), List.of(),
                List.of(), found, List.of(), List.of(), null, null);
        assertEquals(List.copyOf(found.keySet()), List.copyOf(p.constants().keySet()));
    }
}
