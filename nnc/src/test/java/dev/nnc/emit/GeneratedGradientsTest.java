package dev.nnc.emit;

import dev.nnc.lower.TrainerProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated trainers' gradients against the reference evaluator, in f64: for every sample with
 * inline data (and the two without data) and for {@link #MODELS} random networks from
 * {@link NetWriter}, the trainer is generated, compiled in memory and loaded; its
 * {@code gradients(order, from, to)} and {@code gradients()} over the whole data block, and over a
 * permuted sub-batch, equal {@link Reference#run} on the same samples to a relative 1e-10; so do the
 * loss and output of {@code evaluate(s)} and the output of {@code predict(s)} for every sample (the
 * evaluation and prediction programs are lowered apart from the training one).
 */
class GeneratedGradientsTest {

    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");

    static final int MODELS = 240;

    /** Random models per javac run (see {@link LoadedModel#compileTogether}). */
    static final int BLOCK = 24;

    static final double RELATIVE = 1e-10;

    /** Below this, two values count as equal whatever their ratio: an exact zero against rounding noise. */
    static final double FLOOR = 1e-13;

    private static final AtomicInteger MODELS_CHECKED = new AtomicInteger();
    private static final AtomicInteger ELEMENTS_COMPARED = new AtomicInteger();
    private static final AtomicInteger NONZERO_ELEMENTS = new AtomicInteger();
    /** Trainers whose evaluation over rows was compared too: some must be, or that comparison tests nothing. */
    private static final AtomicInteger EVALUATED_IN_ROWS = new AtomicInteger();

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted()
                    .filter(p -> {
                        CheckedModel m = Pipeline.check(p, null);
                        return m.data() != null || m.train().data() == null; // not fashion_mnist (file data)
                    }).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleGradientsEqualTheEvaluator(Path sample) throws IOException {
        CheckedModel model = Pipeline.check(sample, null);
        model = model.withTrain(model.train().withDType(TrainConfig.DType.F64));
        for (Codegen batching : TrajectoryTest.SHAPES) {
            List<String> failures = compare(model, batching);
            if (!failures.isEmpty()) {
                fail(sample + " (batching " + batching + "):\n" + shortList(failures) + "\n" + Files.readString(sample));
            }
        }
    }

    /** The model's trainer generated as {@code codegen} says, compiled, and compared with the evaluator: what differs. */
    static List<String> compare(CheckedModel model, Codegen codegen) {
        TrainerSource source = Pipeline.generate(model, null, null, null, codegen);
        Class<?> type = InMemoryCompiler.compile(source);
        List<String> failures = new ArrayList<>();
        compare(model, type, failures);
        return failures;
    }

    /** A batched trainer evaluates in rows, and those rows agree with the evaluator (compare checks them). */
    @Test
    void batchedTrainersEvaluateInRows() throws IOException {
        for (String sample : List.of("regressor_4642.nn", "net_2321.nn")) {
            CheckedModel model = Pipeline.check(SAMPLES.resolve(sample), null);
            model = model.withTrain(model.train().withDType(TrainConfig.DType.F64));
            TrainerSource source = Pipeline.generate(model, null, null, null, new Codegen(TrainerProgram.Batching.ALWAYS, false));
            Class<?> type = InMemoryCompiler.compile(source);
            assertTrue(LoadedModel.create(type, 1).evaluationRows() > 1, sample + " evaluates sample by sample");
            int before = EVALUATED_IN_ROWS.get();
            List<String> failures = new ArrayList<>();
            compare(model, type, failures);
            assertTrue(failures.isEmpty(), sample + ":\n" + shortList(failures));
            assertEquals(before + 1, EVALUATED_IN_ROWS.get(), sample);
        }
    }

    /**
     * Models that once broke generation: a onehot target read as a whole vector (by a product), a
     * constant tensor read by a product or by logsumexp, logsumexp of a scalar and of a matrix (whose
     * gradient is a softmax over the matrix).
     */
    static final List<String> EDGE_LOSSES = List.of(
            "(c @ W) @ x",
            "sum(W @ c) + s * sum(W' @ c)",
            "cross_entropy([1, 2, 3], c) + s^2",
            "s * logsumexp([1, 1, 1]) + sum([[1, 2, 3], [4, 5, 6]] @ (W @ x)) + sum([[1, 1, 1], [1, 1, 1]] @ x)",
            "logsumexp(s * s)",
            "logsumexp(W) + sum(softmax(W @ x))",
            "logsumexp(s * W @ x) + logsumexp(W' * W) - sum(c * log_softmax(W @ x))");

    static List<String> edgeModels() {
        List<String> models = new ArrayList<>();
        for (String loss : EDGE_LOSSES) {
            models.add("""
                    model edge {
                        input  x[3]
                        target c[3] onehot
                        param  W[3, 3] = [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [0.7, 0.8, -0.9]]
                        param  s = 0.5
                        loss = %s
                        data { x = [[1, 2, 3], [0.5, -1, 0], [-0.2, 0.4, 1.5]]; c = [2, 0, 1] }
                        train { dtype = f64 }
                    }
                    """.formatted(loss));
        }
        models.addAll(FUZZ_FINDINGS);
        return models;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("edgeModels")
    void edgeModelGradientsEqualTheEvaluator(String text) {
        CheckedModel model = Pipeline.check(new SourceFile("edge.nn", text), null);
        for (Codegen batching : TrajectoryTest.SHAPES) {
            List<String> failures = compare(model, batching);
            if (!failures.isEmpty()) {
                fail("batching " + batching + ": " + shortList(failures) + "\n" + text);
            }
        }
    }

    /**
     * Models the fuzzer (WholeChainFuzzTest) found broken, minimized: a product that is the output and
     * is read once, by an elementwise function (its loop was fused into that function's, and evaluate
     * left the output zero); a model without parameters whose optimizer counts steps (its state() was
     * not Java). They run with the edge models.
     */
    static final List<String> FUZZ_FINDINGS = List.of("""
            model found {
                input  x[3]
                target y[2]
                param  W[2, 3] = [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]]
                out = W @ x
                output out
                loss = bce(sigmoid(out), y)
                data { x = [[1, 2, 3], [0.5, -1, 0]]; y = [[1, 0], [0, 1]] }
                train { dtype = f64 }
            }
            """, """
            model found {
                input  x[2]
                loss = sum(x^2)
                data { x = [[1, 2], [3, 4]] }
                train { dtype = f64; optimizer = adam(lr = 0.01) }
            }
            """);

    static IntStream blocks() {
        return IntStream.range(0, MODELS / BLOCK);
    }

    @ParameterizedTest(name = "random models {0}")
    @MethodSource("blocks")
    void randomModelGradientsEqualTheEvaluator(int block) {
        List<String> texts = new ArrayList<>();
        List<CheckedModel> models = new ArrayList<>();
        List<TrainerSource> sources = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            int id = block * BLOCK + i;
            String text = new NetWriter(new Random(id), 5).model("net" + id, "f64", null, null);
            CheckedModel model;
            try {
                model = Pipeline.check(new SourceFile("net" + id + ".nn", text), null);
            } catch (RuntimeException e) {
                throw new AssertionError("the generator wrote a model nnc rejects:\n" + text, e);
            }
            texts.add(text);
            models.add(model);
            // half of the models train batched whenever they can, the other half as nnc chooses; every other
            // block with the Vector API (the models of a block are compiled together, with one runtime)
            TrainerProgram.Batching batching = id % 2 == 0 ? TrainerProgram.Batching.ALWAYS : TrainerProgram.Batching.AUTO;
            sources.add(Pipeline.generate(model, "Net" + id, null, null, new Codegen(batching, block % 2 == 1)));
        }
        List<Class<?>> types = LoadedModel.compileTogether(sources);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            List<String> problems = new ArrayList<>();
            compare(models.get(i), types.get(i), problems);
            if (!problems.isEmpty()) {
                failures.add(shortList(problems) + "\n" + texts.get(i));
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + BLOCK + " models differ from the evaluator; the first:\n" + failures.get(0));
        }
    }

    /** {@link #compare(CheckedModel, Class, List)}: what differs. */
    static List<String> compare(CheckedModel model, Class<?> type) {
        List<String> failures = new ArrayList<>();
        compare(model, type, failures);
        return failures;
    }

    /** Full batch in order, then a permuted sub-batch; each against the evaluator on the same samples. */
    private static void compare(CheckedModel model, Class<?> type, List<String> failures) {
        long seed = model.train().seed();
        LoadedModel trainer = LoadedModel.create(type, seed);
        trainer.withoutDropout(); // the evaluator's masks are all ones (DropoutTest checks drawn ones)
        assertTrue(trainer.f64(), "the trainer of " + model.name() + " is not f64");
        if (model.data() != null) {
            trainer.useInlineData();
        }
        Map<String, Tensor> params = ParamInit.initialize(model, seed);
        List<Map<String, double[]>> all = Reference.samples(model, model.data());
        var gradients = Pipeline.derive(model).simplified();
        String[] names = trainer.paramNames();
        assertEquals(List.copyOf(params.keySet()), Arrays.asList(names), "parameter names of " + model.name());
        // the trainer starts where ParamInit starts
        double[][] weights = trainer.weights();
        for (int p = 0; p < names.length; p++) {
            compareArrays("initial " + names[p], params.get(names[p]).toArray(), weights[p], failures);
        }
        int n = all.size();
        int[] order = IntStream.range(0, n).toArray();
        Reference.Result full = Reference.run(gradients, params, all);
        check("full batch", trainer, order, 0, n, full, names, failures);
        forward(model, trainer, full, failures);
        if (n >= 2) {
            int[] reversed = IntStream.range(0, n).map(k -> n - 1 - k).toArray();
            // samples reversed[1..n): n-1 .. down to 0 without the last sample
            List<Map<String, double[]>> sub = new ArrayList<>();
            for (int k = 1; k < n; k++) {
                sub.add(all.get(reversed[k]));
            }
            check("sub-batch", trainer, reversed, 1, n, Reference.run(gradients, params, sub), names, failures);
        }
        MODELS_CHECKED.incrementAndGet();
    }

    /** The evaluation and prediction programs: every sample's loss and output, as the evaluator has them. */
    private static void forward(CheckedModel model, LoadedModel trainer, Reference.Result expected, List<String> failures) {
        for (int s = 0; s < expected.samples().size(); s++) {
            Reference.SampleTrace trace = expected.samples().get(s);
            double loss = trainer.evaluate(s);
            compareArrays("evaluate(" + s + ") loss", new double[] {trace.loss()}, new double[] {loss}, failures);
            if (model.output() == null) {
                continue;
            }
            double[] output = trace.forward().get(model.output()).toArray();
            compareArrays("evaluate(" + s + ") output", output, trainer.output(), failures);
            trainer.predict(s);
            compareArrays("predict(" + s + ") output", output, trainer.output(), failures);
        }
        int rows = trainer.evaluationRows();
        if (rows == 1) {
            return;
        }
        // the evaluation over rows of a batched trainer: the same losses and outputs, in blocks
        EVALUATED_IN_ROWS.incrementAndGet();
        int n = expected.samples().size();
        for (int from = 0; from < n; from += rows) {
            int nb = Math.min(rows, n - from);
            double sum = 0;
            for (int s = from; s < from + nb; s++) {
                sum += expected.samples().get(s).loss();
            }
            compareArrays("evaluateRows(" + from + ", " + nb + ") loss", new double[] {sum},
                    new double[] {trainer.evaluateRows(from, nb)}, failures);
            for (int r = 0; r < nb && model.output() != null; r++) {
                double[] output = expected.samples().get(from + r).forward().get(model.output()).toArray();
                compareArrays("outputRow(" + r + ") of rows from " + from, output, trainer.outputRow(r), failures);
            }
        }
    }

    private static void check(String what, LoadedModel trainer, int[] order, int from, int to, Reference.Result expected,
            String[] names, List<String> failures) {
        double loss = trainer.gradients(order, from, to);
        compareArrays(what + " loss", new double[] {expected.loss()}, new double[] {loss}, failures);
        double[][] grads = trainer.gradients();
        for (int p = 0; p < names.length; p++) {
            compareArrays(what + " d" + names[p], expected.gradients().get(names[p]).toArray(), grads[p], failures);
        }
    }

    private static void compareArrays(String what, double[] expected, double[] actual, List<String> failures) {
        if (expected.length != actual.length) {
            failures.add(what + ": " + actual.length + " elements, expected " + expected.length);
            return;
        }
        for (int i = 0; i < expected.length; i++) {
            ELEMENTS_COMPARED.incrementAndGet();
            if (expected[i] != 0) {
                NONZERO_ELEMENTS.incrementAndGet();
            }
            if (!close(expected[i], actual[i])) {
                failures.add(what + "[" + i + "]: generated " + actual[i] + ", evaluator " + expected[i]);
            }
        }
    }

    /** The first dozen differences, and how many more. */
    private static String shortList(List<String> problems) {
        int shown = Math.min(12, problems.size());
        return String.join("\n", problems.subList(0, shown))
                + (problems.size() > shown ? "\n(" + (problems.size() - shown) + " more)" : "");
    }

    static boolean close(double expected, double actual) {
        double diff = Math.abs(expected - actual);
        return diff <= RELATIVE * Math.max(Math.abs(expected), Math.abs(actual)) + FLOOR;
    }

    @AfterAll
    static void summary() {
        System.out.printf("GeneratedGradientsTest: %d models, %d elements compared (%d nonzero)%n",
                MODELS_CHECKED.get(), ELEMENTS_COMPARED.get(), NONZERO_ELEMENTS.get());
    }
}
