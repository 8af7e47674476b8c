package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import dev.nnc.cli.JsonReader;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import dev.nnc.eval.Reference;
import dev.nnc.lower.TrainerProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropout(h, p)} (language.md section 9) on generated trainers, sample by sample and over rows:
 * with scripted masks the gradients equal PyTorch's ({@code torch_dropout.py}), the reference
 * evaluator's with the same masks and central differences of it; drawn masks keep 1 - p of the
 * elements, scaled by exactly 1 / (1 - p); evaluation, prediction and gradcheck are the model without
 * dropout; p = 0 trains bit for bit as without; runs are reproducible from the seed, for any thread
 * count, and resume from a checkpoint bit for bit.
 */
class DropoutTest {

    static final Path TORCH = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/torch/dropout.json");

    /** The network of torch_dropout.py; %s: the rates, then more of the train block. */
    static final String NET = """
            model dropnet {
                input  x[6]
                target y[3]

                h1   = dense(x, 8, tanh)
                d1   = dropout(h1, %s)
                h2   = dense(d1, 5, relu)
                d2   = dropout(h2, %s)
                out  = dense(d2, 3)
                loss = mse(out, y)
                output out

                train {
                    optimizer = adam(lr = 0.01)
                    epochs    = 3
                    batch     = 4
                    shuffle   = false
                    seed      = 5
                    %s
                }
            }
            """;

    static String net(String p1, String p2, String train) {
        return String.format(NET, p1, p2, train);
    }

    /** The same network without dropout: the same parameters, drawn the same from a seed. */
    static String plain(String train) {
        return net("0", "0", train).replace("dropout(h1, 0)", "h1").replace("dropout(h2, 0)", "h2");
    }

    static Class<?> compile(String text, TrainerProgram.Batching batching) {
        CheckedModel model = Pipeline.check(new SourceFile("dropnet.nn", text), null);
        TrainerSource source = Pipeline.generate(model, "Dropnet", null, null, new Codegen(batching, false));
        return InMemoryCompiler.compile(source);
    }

    static Model create(Class<?> type, long seed) {
        try {
            return (Model) type.getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Dataset data(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][6];
        float[][] y = new float[n][3];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 6; i++) {
                x[s][i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < 3; i++) {
                y[s][i] = (float) (0.5 * x[s][i] - 0.3 * x[s][i + 3]);
            }
        }
        return Dataset.of(x, y);
    }

    static double[][] params(Model m) {
        return m.parameters().values().stream().map(Tensor::doubleData).toArray(double[][]::new);
    }

    static void assertSameParams(Model expected, Model actual, String what) {
        double[][] e = params(expected);
        double[][] a = params(actual);
        for (int p = 0; p < e.length; p++) {
            assertArrayEquals(e[p], a[p], 0.0, what + ": parameter " + p);
        }
    }

    static boolean sameParams(Model a, Model b) {
        double[][] x = params(a);
        double[][] y = params(b);
        for (int p = 0; p < x.length; p++) {
            if (!java.util.Arrays.equals(x[p], y[p])) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ the fixture of torch_dropout.py

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture() throws Exception {
        return JsonReader.object(Files.readString(TORCH));
    }

    static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    static double[][] rows(Object list) {
        return ((List<?>) list).stream().map(DropoutTest::doubles).toArray(double[][]::new);
    }

    static double relError(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-12, Math.max(Math.abs(a), Math.abs(b)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void withScriptedMasksTheGradientsAreTorchsTheEvaluatorsAndCentralDifferences() throws Exception {
        Map<String, Object> f = fixture();
        double[] p = doubles(f.get("p"));
        int n = ((Number) f.get("samples")).intValue();
        double[][] x = rows(f.get("x"));
        double[][] y = rows(f.get("y"));
        double[][] keeps = rows(f.get("keeps"));
        Map<String, Object> torchParams = (Map<String, Object>) f.get("params");
        Map<String, Object> torchGrads = (Map<String, Object>) f.get("gradients");
        String text = net(String.valueOf(p[0]), String.valueOf(p[1]), "dtype = f64");
        boolean[] script = new boolean[n * keeps[0].length];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < keeps[s].length; i++) {
                script[s * keeps[s].length + i] = keeps[s][i] != 0;
            }
        }

        // the reference evaluator with the same masks: mask1 of d1, mask2 of d2, 1 / (1 - p) where kept
        CheckedModel checked = Pipeline.check(new SourceFile("dropnet.nn", text), null);
        Derivation d = Pipeline.derive(checked);
        assertEquals(List.of("mask1", "mask2"), d.forward().masks().stream().map(m -> m.name()).toList());
        Map<String, dev.nnc.tensor.Tensor> params = new LinkedHashMap<>();
        for (CheckedModel.Param param : checked.params()) {
            params.put(param.name(), new dev.nnc.tensor.Tensor(param.shape(), doubles(torchParams.get(param.name()))));
        }
        List<Map<String, double[]>> samples = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            Map<String, double[]> leaves = new LinkedHashMap<>();
            leaves.put("x", x[s]);
            leaves.put("y", y[s]);
            leaves.put("mask1", mask(keeps[s], 0, 8, p[0]));
            leaves.put("mask2", mask(keeps[s], 8, 5, p[1]));
            samples.add(leaves);
        }
        Reference.Result reference = Reference.run(d.simplified(), params, samples);
        assertTrue(relError(reference.loss(), ((Number) f.get("loss")).doubleValue()) < 1e-12, "evaluator's loss vs torch's");
        for (String name : params.keySet()) {
            double[] expected = doubles(torchGrads.get(name));
            double[] evaluator = reference.gradients().get(name).toArray();
            for (int i = 0; i < expected.length; i++) {
                assertTrue(relError(evaluator[i], expected[i]) < 1e-10, "evaluator d" + name + "[" + i + "] " + evaluator[i] + " vs torch " + expected[i]);
                // central differences of the evaluator's loss, with the masks fixed
                double w = params.get(name).get(i);
                double h = 1e-6 * Math.max(1, Math.abs(w));
                double numeric = (lossWith(d, params, samples, name, i, w + h) - lossWith(d, params, samples, name, i, w - h)) / (2 * h);
                assertEquals(evaluator[i], numeric, 1e-6 * Math.max(1, Math.abs(numeric)), "central differences of d" + name + "[" + i + "]");
            }
        }

        // the generated trainers, sample by sample and over rows (chunks of 4 and 1 samples: the draw order is kept)
        for (TrainerProgram.Batching batching : List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS)) {
            Model model = create(compile(text, batching), 1);
            NncModel work = dev.nnc.runtime.Support.trainer(model);
            double[][] w = new double[params.size()][];
            int k = 0;
            for (String name : work.paramNames()) {
                w[k++] = doubles(torchParams.get(name));
            }
            work.setWeights(w);
            double[][] flat = {flatten(x), flatten(y)};
            work.useData(new NncSupport.Dataset(n, null, flat, new int[2][]));
            work.dropout().script(script);
            double loss = work.gradients(java.util.stream.IntStream.range(0, n).toArray(), 0, n);
            assertTrue(relError(loss, ((Number) f.get("loss")).doubleValue()) < 1e-12, batching + ": loss " + loss);
            double[][] g = work.gradients();
            k = 0;
            for (String name : work.paramNames()) {
                double[] expected = doubles(torchGrads.get(name));
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(relError(g[k][i], expected[i]) < 1e-10, batching + ": d" + name + "[" + i + "] " + g[k][i] + " vs torch " + expected[i]);
                }
                k++;
            }
        }
    }

    /** A scalar value's mask (one draw) and a matrix's (a mask per row, sample by sample only). */
    static final String SHAPES = """
            model shapes {
                input  x[3]
                target y[2]
                param  W[2, 3] = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
                param  a = 0.7
                M    = dropout(W, 0.5)
                s    = dropout(a * sum(x), 0.2)
                out  = tanh(M @ x) * s
                loss = mse(out, y)
                train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 2; seed = 4; dtype = f64 }
            }
            """;

    @Test
    void scalarAndMatrixMasksGiveTheEvaluatorsGradients() {
        CheckedModel checked = Pipeline.check(new SourceFile("shapes.nn", SHAPES), null);
        Derivation d = Pipeline.derive(checked);
        double[][] x = {{0.5, -1, 2}, {1.5, 0.25, -0.75}, {-0.3, 0.8, 0.1}};
        double[][] y = {{0.2, -0.1}, {0.4, 0.3}, {-0.5, 0.6}};
        // per sample: M's 6 keeps (row-major), then s's one
        boolean[][] keeps = {{true, false, true, true, true, false, true}, {false, true, true, false, true, true, false},
            {true, true, false, true, false, true, true}};
        Map<String, dev.nnc.tensor.Tensor> params = new LinkedHashMap<>();
        params.put("W", new dev.nnc.tensor.Tensor(dev.nnc.tensor.Shape.of(2, 3), new double[] {0.1, -0.2, 0.3, 0.4, 0.5, -0.6}));
        params.put("a", dev.nnc.tensor.Tensor.scalar(0.7));
        List<Map<String, double[]>> samples = new ArrayList<>();
        List<Boolean> script = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            double[] m1 = new double[6];
            for (int i = 0; i < 6; i++) {
                m1[i] = keeps[s][i] ? 2 : 0;
                script.add(keeps[s][i]);
            }
            script.add(keeps[s][6]);
            samples.add(Map.of("x", x[s], "y", y[s], "mask1", m1, "mask2", new double[] {keeps[s][6] ? 1 / (1 - 0.2) : 0}));
        }
        Reference.Result reference = Reference.run(d.simplified(), params, samples);
        Model model = create(compile(SHAPES, TrainerProgram.Batching.AUTO), 1);
        NncModel work = dev.nnc.runtime.Support.trainer(model);
        work.setWeights(new double[][] {params.get("W").toArray(), {0.7}});
        work.useData(new NncSupport.Dataset(3, null, new double[][] {flatten(x), flatten(y)}, new int[2][]));
        boolean[] keep = new boolean[script.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = script.get(i);
        }
        work.dropout().script(keep);
        double loss = work.gradients(new int[] {0, 1, 2}, 0, 3);
        assertEquals(reference.loss(), loss, 1e-14 * Math.abs(loss));
        double[][] g = work.gradients();
        assertArrayEquals(reference.gradients().get("W").toArray(), g[0], 1e-14);
        assertArrayEquals(reference.gradients().get("a").toArray(), g[1], 1e-14);
        // and with every element kept the masks are 2 and 1.25: not the evaluator's identity
        assertNotEquals(Reference.run(d.simplified(), params, List.of(Map.of("x", x[0], "y", y[0]))).loss(),
                Reference.run(d.simplified(), params, List.of(samples.get(0))).loss());
    }

    private static double[] mask(double[] keeps, int from, int length, double p) {
        double[] m = new double[length];
        for (int i = 0; i < length; i++) {
            m[i] = keeps[from + i] != 0 ? 1 / (1 - p) : 0;
        }
        return m;
    }

    private static double[] flatten(double[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static double lossWith(Derivation d, Map<String, dev.nnc.tensor.Tensor> params, List<Map<String, double[]>> samples,
            String name, int i, double value) {
        Map<String, dev.nnc.tensor.Tensor> changed = new LinkedHashMap<>(params);
        double[] v = params.get(name).toArray();
        v[i] = value;
        changed.put(name, new dev.nnc.tensor.Tensor(params.get(name).shape(), v));
        return Reference.run(d.simplified(), changed, samples).loss();
    }

    // ------------------------------------------------------------------ drawn masks

    /** dloss/dw of sum(w * dropout(x, 0.3)) at x = 1 is the mask itself. */
    static final String PROBE = """
            model probe {
                input  x[400]
                target y[1]
                param  w[400] = 1
                param  b[1] = 0
                loss = sum(w * dropout(x, 0.3)) + mse(b, y)
                train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 1; seed = 9 }
            }
            """;

    @Test
    void drawnMasksKeepOneMinusPOfTheElementsScaledByExactlyOneOverOneMinusP() {
        Model model = create(compile(PROBE, TrainerProgram.Batching.AUTO), 9);
        float[][] ones = new float[2][400];
        java.util.Arrays.fill(ones[0], 1f);
        java.util.Arrays.fill(ones[1], 1f);
        Dataset one = Dataset.of(new float[][] {ones[0]}, new float[][] {{0}});
        float scale = 1f / (1f - 0.3f);
        int kept = 0;
        int total = 0;
        float[] previous = null;
        for (int step = 0; step < 50; step++) {
            float[] mask = model.gradients(one).mean("w").data();
            for (float m : mask) {
                assertTrue(m == 0f || m == scale, "a mask element is 0 or exactly 1 / (1 - p), found " + m);
                kept += m != 0 ? 1 : 0;
            }
            total += mask.length;
            assertFalse(java.util.Arrays.equals(mask, previous), "a fresh mask every step");
            previous = mask;
        }
        double fraction = (double) kept / total;
        double sigma = Math.sqrt(0.3 * 0.7 / total);
        assertEquals(0.7, fraction, 5 * sigma, "kept fraction over " + total + " elements");

        // two samples of one step draw two masks: their mean has halves where exactly one of them kept
        float[] mean = model.gradients(Dataset.of(ones, new float[][] {{0}, {0}})).mean("w").data();
        boolean half = false;
        for (float m : mean) {
            half |= m == scale / 2;
        }
        assertTrue(half, "a fresh mask per sample");
    }

    // ------------------------------------------------------------------ outside training

    @Test
    void evaluationAndPredictionAreTheModelWithoutDropout(@TempDir Path dir) {
        for (TrainerProgram.Batching batching : List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS)) {
            Model dropping = create(compile(net("0.5", "0.25", ""), batching), 4);
            Model without = create(compile(plain(""), batching), 4);
            Dataset train = data(40, 1);
            Dataset test = data(30, 2);
            dropping.fit(train);
            Path weights = dir.resolve("w-" + batching + ".json");
            dropping.save(weights);
            without.loadWeights(weights);
            Evaluation a = dropping.evaluate(test);
            Evaluation b = without.evaluate(test);
            assertEquals(b.loss(), a.loss(), 0.0, batching + ": evaluate");
            assertEquals(a.loss(), dropping.evaluate(test).loss(), 0.0, batching + ": evaluate again");
            Random r = new Random(3);
            for (int s = 0; s < 20; s++) {
                float[] in = new float[6];
                for (int i = 0; i < 6; i++) {
                    in[i] = (float) r.nextGaussian();
                }
                assertArrayEquals(without.predict(in), dropping.predict(in), batching + ": predict");
                assertArrayEquals(dropping.predict(in), dropping.predict(in), batching + ": predict again");
            }
        }
    }

    @Test
    void gradcheckSeesTheModelWithoutDropoutAndLeavesDropoutOn() {
        Model model = create(compile(net("0.5", "0.5", "dtype = f64"), TrainerProgram.Batching.AUTO), 2);
        NncModel work = dev.nnc.runtime.Support.trainer(model);
        Random r = new Random(8);
        double[][] values = new double[2][];
        values[0] = r.doubles(6 * 10, -1, 1).toArray();
        values[1] = r.doubles(3 * 10, -1, 1).toArray();
        GradcheckProbe.Outcome outcome = GradcheckProbe.check(work, GradcheckProbe.dataset(10, values, new int[2][]), 1);
        assertEquals(GradcheckProbe.Verdict.PASSED, outcome.verdict(), outcome.detail());
        assertTrue(work.dropout().active(), "training still drops after gradcheck");
    }

    @Test
    void theListingNamesTheMasksAndTheModelWithoutDropoutHasNone() {
        Derivation d = Pipeline.derive(Pipeline.check(new SourceFile("dropnet.nn", net("0.25", "0.5", "")), null));
        GradientListing listing = GradientListing.of(d);
        assertTrue(listing.text().contains("mask1"), listing.text());
        assertTrue(listing.notes().contains("mask1 is the mask of dropout(..., 0.25): 1 / (1 - 0.25) = 1.3333333333333333 where a"
                + " training step keeps an element, 0 where it drops it (drawn afresh per sample and step); all ones outside training"),
                String.join("\n", listing.notes()));
        assertTrue(listing.notes().stream().anyMatch(s -> s.startsWith("mask2 is the mask of dropout(..., 0.5): 1 / (1 - 0.5) = 2 ")));
        Derivation none = Pipeline.derive(Pipeline.check(new SourceFile("dropnet.nn", net("0", "0", "")), null));
        assertTrue(none.forward().masks().isEmpty(), "dropout(h, 0) is h");
        Model model = create(compile(net("0", "0", ""), TrainerProgram.Batching.AUTO), 1);
        assertNull(dev.nnc.runtime.Support.trainer(model).dropout(), "no generator without a mask");
    }

    // ------------------------------------------------------------------ training runs

    @Test
    void pZeroTrainsBitForBitAsWithoutDropout() {
        for (TrainerProgram.Batching batching : List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS)) {
            Model zero = create(compile(net("0", "0.0", ""), batching), 6);
            Model without = create(compile(plain(""), batching), 6);
            Dataset train = data(37, 5);
            zero.fit(train);
            without.fit(train);
            assertSameParams(without, zero, batching + ": p = 0");
        }
    }

    @Test
    void runsAreReproducibleFromTheSeedForAnyThreadCount() {
        Dataset train = data(64, 7);
        for (TrainerProgram.Batching batching : List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS)) {
            Class<?> type = compile(net("0.5", "0.5", ""), batching);
            Model a = create(type, 1);
            Model b = create(type, 1);
            Model c = create(type, 1);
            a.fit(train, TrainOptions.fromModel().seed(11));
            b.fit(train, TrainOptions.fromModel().seed(11));
            c.fit(train, TrainOptions.fromModel().seed(12)); // no shuffle: only the masks differ
            assertSameParams(a, b, batching + ": the same seed");
            assertFalse(sameParams(a, c), batching + ": another seed, other masks");
            Model plain = create(compile(plain(""), batching), 1);
            plain.fit(train, TrainOptions.fromModel().seed(11));
            assertFalse(sameParams(a, plain), batching + ": the masks change the weights");
        }
        // products split over threads (the threshold lowered so that these small ones split): the same weights
        Class<?> wide = compile(net("0.5", "0.5", "").replace("dense(x, 8, tanh)", "dense(x, 64, tanh)"), TrainerProgram.Batching.ALWAYS);
        int threads = NncPool.threads();
        NncPool.minParallelWork = 1L << 6;
        try {
            Model one = create(wide, 1);
            Model two = create(wide, 1);
            one.fit(train, TrainOptions.fromModel().threads(1));
            two.fit(train, TrainOptions.fromModel().threads(2));
            assertSameParams(one, two, "--threads 1 and 2");
        } finally {
            NncPool.minParallelWork = NncPool.MIN_PARALLEL_WORK;
            NncPool.setThreads(threads);
        }
    }

    @Test
    void aResumedRunDrawsTheMasksOfTheUninterruptedOne(@TempDir Path dir) {
        Dataset train = data(30, 9);
        for (TrainerProgram.Batching batching : List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS)) {
            Class<?> type = compile(net("0.5", "0.3", ""), batching);
            TrainOptions options = TrainOptions.fromModel().epochs(4).shuffle(true);
            Model whole = create(type, 3);
            whole.fit(train, options);
            Path ckpt = dir.resolve("part-" + batching + ".ckpt");
            create(type, 3).fit(train, options.epochs(2).checkpoint(ckpt));
            Model resumed = create(type, 50); // other weights and another generator: the checkpoint replaces both
            resumed.fit(train, options.checkpoint(ckpt));
            assertSameParams(whole, resumed, batching + ": resumed after epoch 2");
            // the generator's state came back too: one more training step agrees
            whole.apply(whole.gradients(train));
            resumed.apply(resumed.gradients(train));
            assertSameParams(whole, resumed, batching + ": the next masks");
            assertNotNull(dev.nnc.runtime.Support.trainer(whole).dropout());
        }
    }
}
