package dev.nnc.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.EpochStats;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Gradients;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Schema;
import dev.nnc.runtime.Tensor;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API of a generated model (api.md, "The Java API of a generated model") on real
 * generated classes: what it computes is checked against the trainer the command line runs, and
 * every bad argument against its message.
 */
class ModelApiTest {

    /** A small classifier: 4 inputs, 3 classes, trained with Adam. */
    static final String BLOBS = """
            model blobs {
                input  x[4]
                target y[3] onehot

                h    = dense(x, 16, tanh)
                out  = dense(h, 3)
                loss = cross_entropy(out, y)
                output out

                train {
                    optimizer = adam(lr = 0.01)
                    epochs    = 6
                    batch     = 8
                    shuffle   = true
                    seed      = 3
                    %s
                }
            }
            """;

    private static final Class<?> BLOBS32 = compile(String.format(BLOBS, ""), "Blobs");
    private static final Class<?> BLOBS64 = compile(String.format(BLOBS, "dtype = f64"), "Blobs64");
    private static final Class<?> XOR = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(Path.of("samples", "xor.nn"), null),
            null, null, "samples"));
    private static final Class<?> QUADRATIC = InMemoryCompiler.compile(Pipeline.generate(
            Pipeline.check(Path.of("samples", "quadratic.nn"), null), null, null, "samples"));
    private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static Class<?> compile(String text, String className) {
        return InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile(className + ".nn", text), null), className,
                null, null));
    }

    static Model create(Class<?> type, long seed) {
        try {
            return (Model) type.getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Model create(Class<?> type) {
        try {
            return (Model) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code n} samples of 4 values around one of 3 centres, labelled by the centre. */
    static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            labels[s] = r.nextInt(3);
            for (int i = 0; i < 4; i++) {
                x[s][i] = (float) ((i % 3 == labels[s] ? 2.0 : -1.0) + 0.5 * r.nextGaussian());
            }
        }
        return Dataset.of(x, labels);
    }

    static double[][] params(Model m) {
        return m.parameters().values().stream().map(Tensor::doubleData).toArray(double[][]::new);
    }

    static void assertSameParams(Model expected, Model actual, String what) {
        double[][] e = params(expected);
        double[][] a = params(actual);
        assertEquals(e.length, a.length);
        for (int p = 0; p < e.length; p++) {
            assertArrayEquals(e[p], a[p], 0.0, what + ": parameter " + p);
        }
    }

    // ------------------------------------------------------------------------------ schema

    @Test
    void schemaNamesInputsTargetsOutputAndParameters() throws Exception {
        Schema s = (Schema) BLOBS32.getField("SCHEMA").get(null);
        assertSame(s, create(BLOBS32).schema());
        assertEquals("blobs", s.model());
        assertEquals("f32", s.dtype());
        assertEquals("f64", create(BLOBS64).schema().dtype());
        assertEquals(4, s.inputSize());
        assertEquals(1, s.targetSize(), "a onehot target is one label per sample");
        assertEquals(3, s.outputSize());
        assertEquals("out", s.output().orElseThrow().name());
        assertEquals(List.of("h.W", "h.b", "out.W", "out.b"), s.parameters().stream().map(Schema.Variable::name).toList());
        assertArrayEquals(new int[] {16, 4}, s.parameter("h.W").shape());
        assertTrue(s.targets().get(0).onehot());
        assertEquals(3, s.targets().get(0).classes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.parameter("W9"));
        assertTrue(e.getMessage().contains("no parameter W9") && e.getMessage().contains("h.W, h.b, out.W, out.b"), e.getMessage());
    }

    @Test
    void modelOfLoadsAClassByNameAndRefusesOthers() {
        Model m = Model.of(XOR.getName(), XOR.getClassLoader());
        assertEquals("xor", m.schema().model());
        assertSameParams(create(XOR), m, "the no-argument constructor uses the train block's seed");
        assertSameParams(create(XOR, 1), m, "xor's train block says seed = 1");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Model.of("no.Such", XOR.getClassLoader()));
        assertTrue(missing.getMessage().contains("no class no.Such"), missing.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> Model.of("java.lang.String"));
        assertTrue(other.getMessage().contains("not a model compiled by nnc"), other.getMessage());
    }

    // ----------------------------------------------------------------------------- predict

    @Test
    void predictFormsAgreeWithEachOtherAndWithDoublePrecision() {
        Model m = create(BLOBS32, 5);
        Random r = new Random(1);
        float[][] batch = new float[37][4];
        for (float[] row : batch) {
            for (int i = 0; i < 4; i++) {
                row[i] = (float) r.nextGaussian();
            }
        }
        float[][] all = m.predict(batch);
        float[] into = new float[3];
        for (int s = 0; s < batch.length; s++) {
            float[] one = m.predict(batch[s]);
            m.predict(batch[s], into);
            assertArrayEquals(one, into, s + ": predict(in) and predict(in, out)");
            assertArrayEquals(one, all[s], s + ": one sample and the batch");
            double[] d = m.predict(toDouble(batch[s]));
            for (int i = 0; i < 3; i++) {
                assertEquals(one[i], (float) d[i], "the double form of an f32 model converts");
            }
        }
        assertEquals(0, m.predict(new float[0][]).length);
    }

    @Test
    void aBatchedModelPredictsManySamplesAsOneSampleEach() {
        Class<?> fashion = InMemoryCompiler.compile(Pipeline.generate(
                Pipeline.check(Path.of("samples", "fashion_mnist.nn"), null), null, null, "samples"));
        Model m = create(fashion, 7);
        Random r = new Random(3);
        float[][] batch = new float[150][784];
        for (float[] row : batch) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextFloat();
            }
        }
        float[][] all = m.predict(batch);
        double worst = 0;
        for (int s = 0; s < batch.length; s++) {
            float[] one = m.predict(batch[s]);
            for (int i = 0; i < one.length; i++) {
                worst = Math.max(worst, Math.abs(one[i] - all[s][i]) / Math.max(1, Math.abs(one[i])));
            }
        }
        assertEquals(0.0, worst, "a batch predicts each sample exactly as one-sample predict does");
        assertTrue(dev.nnc.runtime.Support.trainer(m).evaluationRows() > 1, "the model evaluates blocks of rows");
    }

    @Test
    void anF64ModelPredictsInDouble() {
        Model m32 = create(BLOBS32, 5);
        Model m64 = create(BLOBS64, 5);
        double[] x = {0.5, -1, 2, 0.25};
        double[] y64 = m64.predict(x);
        float[] y32 = m32.predict(toFloat(x));
        for (int i = 0; i < 3; i++) {
            assertEquals(y64[i], y32[i], 1e-5, "the same weights in two precisions");
        }
        double[][] rows = m64.predict(new double[][] {x, x});
        assertArrayEquals(y64, rows[1], 0.0);
    }

    @Test
    void predictRefusesWrongLengthsNamingTheSizes() {
        Model m = create(BLOBS32);
        IllegalArgumentException in = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[3]));
        assertEquals("input has 3 values; model blobs takes 4 (x[4], flattened in that order)", in.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[4], new float[2]));
        assertEquals("output has room for 2 values; model blobs's output out[3] has 3", out.getMessage());
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> m.predict(new float[][] {new float[4], new float[5]}));
        assertTrue(row.getMessage().startsWith("inputs[1] has 5 values; model blobs takes 4"), row.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.predict((float[]) null));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> create(QUADRATIC).predict(new float[0]));
        assertTrue(none.getMessage().contains("declares no output"), none.getMessage());
    }

    @Test
    void evaluateFromEightThreadsEqualsOneThread() throws Exception {
        Model m = create(BLOBS32, 2);
        List<Dataset> sets = new ArrayList<>();
        List<Evaluation> expected = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            sets.add(blobs(300 + k, k));
            expected.add(m.evaluate(sets.get(k)));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Evaluation>>> results = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            int mine = k;
            results.add(POOL.submit(() -> {
                start.await();
                List<Evaluation> seen = new ArrayList<>();
                for (int round = 0; round < 20; round++) {
                    seen.add(m.evaluate(sets.get((mine + round) % 8)));
                }
                return seen;
            }));
        }
        start.countDown();
        for (int k = 0; k < 8; k++) {
            List<Evaluation> seen = results.get(k).get();
            for (int round = 0; round < seen.size(); round++) {
                Evaluation e = expected.get((k + round) % 8);
                assertEquals(e.loss(), seen.get(round).loss(), 0.0);
                assertEquals(e.accuracy(), seen.get(round).accuracy(), 0.0);
            }
        }
    }

    // -------------------------------------------------------------------------------- data

    @Test
    void datasetsAreCheckedAgainstTheModel() {
        Model m = create(BLOBS32);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(Dataset.of(new float[][] {{1, 2, 3}}, new int[] {0})));
        assertEquals("data has 3 inputs per sample; model blobs takes 4 (x[4])", width.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(Dataset.of(new float[][] {{1, 2, 3, 4}}, new int[] {3})));
        assertEquals("data: label 3 of sample 0 is not a class of y[onehot 3] (0 to 2)", label.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[][] {{1}, {2}}, new float[][] {{1}}));
        assertEquals("inputs has 2 samples but targets has 1", rows.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[][] {{1, 2}, {2}}, new float[][] {{1}, {0}}));
        assertEquals("inputs[1] has 1 values, inputs[0] has 2", ragged.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[][] {{1, Float.NaN}}, new float[][] {{1}}));
        assertEquals("inputs[0][1] is NaN: values must be finite", nan.getMessage());
        IllegalArgumentException fitWidth = assertThrows(IllegalArgumentException.class,
                () -> create(XOR).fit(Dataset.of(new float[][] {{1, 2, 3}}, new float[][] {{1}})));
        assertEquals("data has 3 inputs per sample; model xor takes 2 (x[2])", fitWidth.getMessage());
        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                () -> create(XOR).fit(Dataset.of(new float[][] {{1, 2}}, new float[][] {{1, 0}})));
        assertEquals("data has 2 targets per sample; model xor takes 1 (y[1])", targets.getMessage());
    }

    @Test
    void theArraysAreCopiedAndLabelsMatchFloatTargets() {
        float[][] x = {{1, 2, 3, 4}, {-1, 0, 2, 1}};
        Dataset labels = Dataset.of(x, new int[] {2, 0});
        Dataset floats = Dataset.of(x, new float[][] {{2}, {0}});
        Model m = create(BLOBS32, 9);
        Evaluation before = m.evaluate(labels);
        x[0][0] = 100;
        assertEquals(before.loss(), m.evaluate(labels).loss(), 0.0, "changing the caller's array changes nothing");
        assertEquals(before.loss(), m.evaluate(floats).loss(), 0.0, "a label column as floats is the same data");
        assertEquals(1, labels.slice(1, 2).size());
    }

    @Test
    void theModelsOwnReadersReadItsDataBlock() {
        Dataset inline = readers(XOR).inline();
        assertEquals(4, inline.size());
        assertEquals(2, inline.inputWidth());
        Model m = create(XOR);
        assertEquals(m.evaluate(inline).loss(), m.evaluate(Dataset.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}},
                new float[][] {{0}, {1}, {1}, {0}})).loss(), 0.0);
        assertEquals(1, readers(QUADRATIC).train().size(), "a function of its parameters trains on one empty sample");
    }

    @Test
    void aCsvFileReadsThroughTheModelsReader(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x1,x2,y\n0,1,1\n1,1,0\n");
        Dataset d = readers(XOR).csv(csv);
        assertEquals(2, d.size());
        Files.writeString(csv, "0,1,1\n1,1\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> readers(XOR).csv(csv));
        assertEquals(csv + ":2: expected 3 columns, found 2", bad.getMessage());
    }

    static Dataset.Reader readers(Class<?> type) {
        try {
            return (Dataset.Reader) type.getMethod("data").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // --------------------------------------------------------------------------------- fit

    @Test
    void fitFromTheModelEqualsTheCommandLineTrainer(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("w.json");
        assertEquals(0, run(XOR, "--epochs", "50", "--save", saved.toString()));
        Model m = create(XOR);
        TrainResult r = m.fit(readers(XOR).inline(), TrainOptions.fromModel().epochs(50));
        assertEquals(50, r.history().size());
        Model cli = (Model) XOR.getMethod("load", Path.class).invoke(null, saved);
        assertSameParams(cli, m, "fit and the trainer's command line take the same steps");
    }

    @Test
    void gradientsThenApplyIsOneStepOfFit() {
        Dataset d = blobs(24, 4);
        Model fitted = create(BLOBS32, 8);
        fitted.fit(d, TrainOptions.fromModel().epochs(2).batch(24).shuffle(false));
        Model stepped = create(BLOBS32, 8);
        Gradients g = stepped.gradients(d);
        assertEquals(24L, g.samples());
        assertEquals(g.mean("out.b").get(0) * 24, g.get("out.b").get(0), 1e-12, "get is the sum over the batch");
        Gradients halves = stepped.gradients(d.slice(0, 10)).plus(stepped.gradients(d.slice(10, 24)));
        assertEquals(24L, halves.samples());
        assertEquals(g.loss(), halves.loss(), 1e-6);
        for (String name : g.names()) {
            double[] whole = g.get(name).doubleData();
            double[] added = halves.get(name).doubleData();
            for (int i = 0; i < whole.length; i++) {
                assertEquals(whole[i], added[i], 1e-5 * Math.max(1, Math.abs(whole[i])), name + "[" + i + "]: two halves add up");
            }
        }
        assertEquals(stepped.evaluate(d).loss(), g.loss(), 1e-6, "the loss of the weights the gradient is taken at");
        assertArrayEquals(new int[] {16, 4}, g.get("h.W").shape());
        stepped.apply(g);
        stepped.apply(stepped.gradients(d));
        assertSameParams(fitted, stepped, "two applied gradients are two full-batch steps, Adam's state included");
    }

    @Test
    void applyRefusesGradientsOfAnotherModelAndNonFiniteSteps() {
        Model m = create(BLOBS32);
        Gradients xor = create(XOR).gradients(readers(XOR).inline());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> m.apply(xor));
        assertEquals("gradients of model xor cannot be applied to model blobs", other.getMessage());
        Model q = create(QUADRATIC);
        double[][] before = params(q);
        q.setParameter("x", new float[] {Float.MAX_VALUE});
        Gradients huge = q.gradients(readers(QUADRATIC).train());
        q.setParameter("x", new float[] {(float) before[0][0]});
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> q.apply(huge));
        assertTrue(e.getMessage().contains("would make x non-finite"), e.getMessage());
        assertArrayEquals(before[0], params(q)[0], 0.0, "the refused step changed nothing");
    }

    @Test
    void theListenerSeesWhatTheHistoryKeeps() {
        List<EpochStats> seen = new ArrayList<>();
        Dataset train = blobs(64, 1);
        Dataset validation = blobs(40, 2);
        TrainResult r = create(BLOBS32).fit(train, TrainOptions.fromModel().epochs(4).validation(validation).onEpoch(seen::add));
        assertEquals(r.history(), seen);
        for (EpochStats e : r.history()) {
            assertTrue(Double.isFinite(e.loss()) && Double.isFinite(e.validationLoss()), e.toString());
            assertTrue(e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1, e.toString());
            assertTrue(e.samplesPerSecond() > 0 && e.seconds() >= 0, e.toString());
        }
        assertEquals(List.of(1, 2, 3, 4), r.history().stream().map(EpochStats::epoch).toList());
        assertTrue(Double.isNaN(create(BLOBS32).fit(train, TrainOptions.fromModel().epochs(1)).last().validationLoss()));
        assertThrows(UnsupportedOperationException.class, () -> r.history().add(seen.get(0)));
    }

    @Test
    void validationSplitHoldsOutTheLastSamples() {
        Dataset all = blobs(50, 8);
        Model split = create(BLOBS32, 3);
        TrainResult r = split.fit(all, TrainOptions.fromModel().epochs(2).validationSplit(0.2));
        Model sliced = create(BLOBS32, 3);
        TrainResult s = sliced.fit(all.slice(0, 40), TrainOptions.fromModel().epochs(2).validation(all.slice(40, 50)));
        assertSameParams(sliced, split, "the first 40 samples train");
        assertEquals(s.last().validationLoss(), r.last().validationLoss(), 0.0, "the last 10 validate");
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> create(BLOBS32).fit(all, TrainOptions.fromModel().validationSplit(0.001)));
        assertEquals("validationSplit 0.001 of 50 samples holds out 0, which leaves no validation data", tiny.getMessage());
    }

    @Test
    void fitLearnsAndLeavesTheLearningRateAsItWas() {
        Model m = create(BLOBS32, 4);
        Dataset train = blobs(200, 5);
        double before = m.evaluate(train).loss();
        m.fit(train, TrainOptions.fromModel().epochs(10).lr(0.05));
        Evaluation after = m.evaluate(train);
        assertTrue(after.loss() < before / 2, before + " -> " + after);
        assertTrue(after.accuracy() > 0.9, after.toString());
        int[][] confusion = after.confusion();
        int right = 0;
        int all = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                all += confusion[i][j];
                right += i == j ? confusion[i][j] : 0;
            }
        }
        assertEquals(200, all);
        assertEquals(after.accuracy(), right / 200.0, 1e-12);
        // the lr of one fit does not stay: the next fit with the model's own lr equals a fresh copy's
        Model a = m.copy();
        Model b = m.copy();
        a.fit(train, TrainOptions.fromModel().epochs(1).lr(0.01));
        b.fit(train, TrainOptions.fromModel().epochs(1));
        assertSameParams(a, b, "adam(lr = 0.01) is the train block's rate");
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        Dataset train = blobs(64, 11);
        Dataset validation = blobs(16, 12);
        // a learning rate far too large: the validation loss gets worse soon
        TrainOptions options = TrainOptions.fromModel().epochs(40).lr(0.5).validation(validation);
        TrainResult r = create(BLOBS32, 1).fit(train, options.earlyStopping(2));
        assertTrue(r.stoppedEarly(), r.toString());
        int best = r.bestEpoch();
        EpochStats bestStats = r.history().get(best - 1);
        for (EpochStats e : r.history()) {
            assertTrue(bestStats.validationLoss() <= e.validationLoss(), e + " beats " + bestStats);
        }
        assertEquals(best + 2, r.history().size(), "stops after 2 epochs without a new best");
        Model stopped = create(BLOBS32, 1);
        stopped.fit(train, options.earlyStopping(2));
        Model plain = create(BLOBS32, 1);
        plain.fit(train, options.epochs(best));
        assertSameParams(plain, stopped, "the weights of the best epoch");
    }

    @Test
    void aStepThatTurnsNonFiniteStopsFitWithTheWeightsBeforeIt() {
        Model q = create(QUADRATIC);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> q.fit(readers(QUADRATIC).train(), TrainOptions.fromModel().lr(1e30).epochs(100)));
        assertEquals("the loss became infinite at epoch 2, step 1; that step was not taken, the weights are those before it",
                e.getMessage());
        assertTrue(Double.isFinite(params(q)[0][0]));
    }

    @Test
    void trainOptionsRejectBadValuesAndAreImmutable() {
        TrainOptions base = TrainOptions.fromModel();
        TrainOptions twenty = base.epochs(20);
        assertNotEquals(base.toString(), twenty.toString());
        assertEquals("TrainOptions{}", base.toString());
        assertEquals("TrainOptions{epochs=20, lr=0.05}", twenty.lr(0.05).toString());
        assertEquals("epochs must be at least 1, not 0", assertThrows(IllegalArgumentException.class, () -> base.epochs(0)).getMessage());
        assertEquals("batch must be at least 1, not -2", assertThrows(IllegalArgumentException.class, () -> base.batch(-2)).getMessage());
        assertEquals("lr must be positive and finite, not NaN",
                assertThrows(IllegalArgumentException.class, () -> base.lr(Double.NaN)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.threads(0));
        assertThrows(IllegalArgumentException.class, () -> base.earlyStopping(0));
        assertThrows(IllegalArgumentException.class, () -> base.validation(null));
    }

    // ----------------------------------------------------------------------- checkpoints

    @Test
    void aResumedRunEndsBitForBitWhereTheUninterruptedOneDoes(@TempDir Path dir) throws Exception {
        Dataset train = blobs(50, 21);
        Dataset validation = blobs(20, 22);
        TrainOptions options = TrainOptions.fromModel().epochs(6).validation(validation).earlyStopping(10);
        Model whole = create(BLOBS32, 5);
        whole.fit(train, options.checkpoint(dir.resolve("whole.ckpt")));

        Path ckpt = dir.resolve("part.ckpt");
        create(BLOBS32, 5).fit(train, options.epochs(3).checkpoint(ckpt));
        assertTrue(Files.isRegularFile(ckpt));
        Model resumed = create(BLOBS32, 99); // other initial weights: the checkpoint replaces them
        TrainResult r = resumed.fit(train, options.checkpoint(ckpt));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), r.history().stream().map(EpochStats::epoch).toList(), "the history goes on");
        assertSameParams(whole, resumed, "resumed after epoch 3");
        // Adam's moments and step count came back too: one more step agrees
        whole.apply(whole.gradients(train));
        resumed.apply(resumed.gradients(train));
        assertSameParams(whole, resumed, "the optimizer state was restored");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("part.ckpt", "whole.ckpt"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void interruptingTheFittingThreadStopsAfterAStepAndTheCheckpointResumesThere(@TempDir Path dir) {
        Dataset train = blobs(80, 31);
        TrainOptions options = TrainOptions.fromModel().epochs(5).batch(7);
        Model whole = create(BLOBS32, 2);
        whole.fit(train, options);
        Path ckpt = dir.resolve("i.ckpt");
        Model stopped = create(BLOBS32, 2);
        java.util.concurrent.CancellationException e = assertThrows(java.util.concurrent.CancellationException.class,
                () -> stopped.fit(train, options.checkpoint(ckpt).onEpoch(s -> {
                    if (s.epoch() == 2) {
                        Thread.currentThread().interrupt();
                    }
                })));
        assertTrue(Thread.interrupted(), "the thread stays interrupted");
        assertTrue(e.getMessage().startsWith("fit was interrupted: stopped at epoch 3, step 1;"), e.getMessage());
        Model resumed = create(BLOBS32, 77);
        resumed.fit(train, options.checkpoint(ckpt));
        assertSameParams(whole, resumed, "resumed from the interrupted run's checkpoint");
        IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class,
                () -> create(BLOBS32).fit(train, options.checkpoint(dir.resolve("no/such/c.ckpt"))));
        assertTrue(nowhere.getMessage().contains("no such folder"), nowhere.getMessage());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("run.ckpt");
        create(XOR).fit(readers(XOR).inline(), TrainOptions.fromModel().epochs(2).checkpoint(ckpt));
        byte[] before = Files.readAllBytes(ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create(BLOBS32).fit(blobs(10, 1), TrainOptions.fromModel().checkpoint(ckpt)));
        assertEquals("checkpoint " + ckpt + " is of model xor, not blobs", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ckpt), "the refused checkpoint is left as it was");
        Files.write(ckpt, java.util.Arrays.copyOf(before, before.length - 3));
        IllegalArgumentException torn = assertThrows(IllegalArgumentException.class,
                () -> create(XOR).fit(readers(XOR).inline(), TrainOptions.fromModel().checkpoint(ckpt)));
        assertTrue(torn.getMessage().contains("damaged") || torn.getMessage().contains("ends too early"), torn.getMessage());
    }

    // ------------------------------------------------------------------ parameters, files

    @Test
    void copyIsDeepAndCarriesTheOptimizerState() {
        Dataset d = blobs(30, 3);
        Model m = create(BLOBS32, 2);
        m.fit(d, TrainOptions.fromModel().epochs(2));
        Model c = m.copy();
        assertSame(m.getClass(), c.getClass());
        assertSameParams(m, c, "a copy starts equal");
        m.fit(d, TrainOptions.fromModel().epochs(1));
        c.fit(d, TrainOptions.fromModel().epochs(1));
        assertSameParams(m, c, "and trains the same, Adam's moments included");
        c.fit(d, TrainOptions.fromModel().epochs(1));
        assertFalse(java.util.Arrays.equals(params(m)[0], params(c)[0]), "training the copy leaves the original");
    }

    @Test
    void parametersAreSnapshotsAndSetParameterChecksShapeAndValues() {
        Model m = create(BLOBS32, 3);
        Map<String, Tensor> p = m.parameters();
        assertEquals(List.of("h.W", "h.b", "out.W", "out.b"), List.copyOf(p.keySet()));
        Tensor w = p.get("h.W");
        assertArrayEquals(new int[] {16, 4}, w.shape());
        assertEquals(64, w.data().length);
        float[] replaced = new float[64];
        java.util.Arrays.fill(replaced, 0.25f);
        m.setParameter("h.W", replaced);
        assertArrayEquals(replaced, m.parameters().get("h.W").data());
        assertNotEquals(0.25, w.get(0), "a snapshot does not follow the model");
        assertThrows(UnsupportedOperationException.class, () -> m.parameters().clear());
        double[][] before = params(m);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> m.setParameter("h.b", new float[15]));
        assertEquals("data has 15 values; parameter h.b[16] holds 16", size.getMessage());
        float[] nan = new float[16];
        nan[7] = Float.NaN;
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.setParameter("h.b", nan));
        assertEquals("data[7] for h.b is NaN: weights must be finite", bad.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> m.setParameter("W1", new float[1]));
        assertTrue(name.getMessage().startsWith("model blobs has no parameter W1"), name.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> m.setParameter("out.b", new double[] {0, 1e39, 0}));
        assertTrue(range.getMessage().contains("beyond float's range"), range.getMessage());
        double[][] after = params(m);
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k], after[k], 0.0, "nothing half-updated");
        }
    }

    @Test
    void saveAndLoadRoundTripAndBadFilesChangeNothing(@TempDir Path dir) throws Exception {
        Model m = create(BLOBS32, 6);
        m.fit(blobs(40, 6), TrainOptions.fromModel().epochs(2));
        Path w = dir.resolve("w.json");
        m.save(w);
        Model loaded = (Model) BLOBS32.getMethod("load", Path.class).invoke(null, w);
        assertSameParams(m, loaded, "the weights file is exact");
        float[] x = {1, -2, 0.5f, 3};
        assertArrayEquals(m.predict(x), loaded.predict(x));

        Path xorWeights = dir.resolve("xor.json");
        create(XOR).save(xorWeights);
        Model target = create(BLOBS32, 1);
        double[][] before = params(target);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(xorWeights));
        assertTrue(other.getMessage().contains("unknown parameter") || other.getMessage().contains("shape"), other.getMessage());

        String text = Files.readString(w).replaceFirst("\"out\\.b\": \\[[^,\\]]*", "\"out.b\": [1e39");
        Files.writeString(w, text);
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(w));
        assertTrue(huge.getMessage().contains("parameter out.b holds 1.0E39 at element 0, beyond float's range"), huge.getMessage());
        double[][] after = params(target);
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k], after[k], 0.0, "nothing half-updated");
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(dir.resolve("no.json")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        java.io.UncheckedIOException unwritable = assertThrows(java.io.UncheckedIOException.class,
                () -> m.save(dir.resolve("no-such-dir").resolve("w.json")));
        assertTrue(unwritable.getMessage().contains("no such directory"), unwritable.getMessage());
    }

    // ------------------------------------------------------------------------ the class

    @Test
    void theGeneratedClassShowsOnlyTheApi() {
        List<String> publicMethods = new ArrayList<>();
        for (Method method : BLOBS32.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
                publicMethods.add(method.getName());
            }
        }
        publicMethods.sort(null);
        assertEquals(List.of("data", "load", "main", "run"), publicMethods.stream().distinct().toList(),
                "the class declares its static ways in; the rest is Model's");
        for (java.lang.reflect.Field f : BLOBS32.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isPublic(f.getModifiers())) {
                assertEquals("SCHEMA", f.getName(), "no public field but SCHEMA");
            }
        }
    }

    // -------------------------------------------------------------------------- helpers

    private static int run(Class<?> type, String... args) throws Exception {
        Method run = type.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            return (Integer) run.invoke(null, args, out, out);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
