package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.runtime.Model;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One-sample prediction through the public {@link Model} API of generated classes
 * ({@code samples/xor.nn} and {@code samples/fashion_mnist.nn}, compiled in memory): a warm
 * {@code predict(in, out)} allocates nothing, and predictions from many threads at once on one
 * instance are exactly those of one thread.
 */
class PredictTest {

    private static final Path SAMPLES = Path.of(System.getProperty("nnc.root", "."), "samples");

    /** Each sample's compiled class, compiled once for all the tests of this class. */
    private static final Map<String, Class<?>> CLASSES = new ConcurrentHashMap<>();

    /** A new instance of the sample's generated class, its parameters drawn from {@code seed}. */
    private static Model model(String sample, long seed) throws ReflectiveOperationException {
        Class<?> type = CLASSES.computeIfAbsent(sample, s -> InMemoryCompiler.compile(
                Pipeline.generate(Pipeline.check(SAMPLES.resolve(s + ".nn"), null), null, null, "samples")));
        return (Model) type.getConstructor(long.class).newInstance(seed);
    }

    /**
     * {@code predict(float[][])} gives each sample, bit for bit, what {@code predict(float[])} gives it:
     * fashion_mnist predicts a batch through its batched kernels, whose sums run in the order of the
     * one-sample prediction over its transposed weights; xor predicts a batch sample by sample.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xor", "fashion_mnist"})
    void aBatchPredictsEachSampleAsOneSampleDoes(String sample) throws ReflectiveOperationException {
        Model model = model(sample, 4);
        float[][] inputs = inputs(model, 300, 12);
        float[][] batch = model.predict(inputs);
        for (int s = 0; s < inputs.length; s++) {
            int at = s;
            assertArrayEquals(model.predict(inputs[s]), batch[s], () -> sample + ": sample " + at);
        }
    }

    /**
     * A prediction reads the weights as they are now: after an optimizer step ({@code apply}), a
     * {@code fit}, {@code setParameter}, {@code loadWeights} and in a {@code copy()}, each made after
     * the model (or the one loaded into) had predicted, its outputs are those of a new model given the
     * same parameters, and they changed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xor", "fashion_mnist"})
    void predictionsFollowEveryChangeOfTheWeights(String sample, @org.junit.jupiter.api.io.TempDir Path dir)
            throws ReflectiveOperationException {
        Model model = model(sample, 3);
        float[][] x = inputs(model, 4, 8);
        dev.nnc.runtime.Dataset batch = sample.equals("xor") ? dev.nnc.runtime.Dataset.of(x, new float[][] {{0}, {1}, {1}, {0}})
                : dev.nnc.runtime.Dataset.of(x, new int[] {1, 2, 3, 4});
        float[] before = model.predict(x[0]);

        model.apply(model.gradients(batch));
        before = assertPredictsAsItsParameters(sample, model, x[0], before, "after apply");

        model.fit(batch, dev.nnc.runtime.TrainOptions.fromModel().epochs(2).batch(4));
        before = assertPredictsAsItsParameters(sample, model, x[0], before, "after fit");

        // the output layer's bias, which every output reads
        java.util.List<dev.nnc.runtime.Schema.Variable> params = model.schema().parameters();
        String last = params.get(params.size() - 1).name();
        float[] changed = model.parameters().get(last).data();
        for (int i = 0; i < changed.length; i++) {
            changed[i] += 0.5f;
        }
        model.setParameter(last, changed);
        before = assertPredictsAsItsParameters(sample, model, x[0], before, "after setParameter");

        Path weights = dir.resolve("weights.json");
        model.save(weights);
        Model other = model(sample, 77);
        float[] otherBefore = other.predict(x[0]);
        other.loadWeights(weights);
        assertPredictsAsItsParameters(sample, other, x[0], otherBefore, "after loadWeights");
        assertArrayEquals(model.predict(x[0]), other.predict(x[0]), "the loaded model predicts as the saved one");

        Model copy = model.copy();
        assertArrayEquals(model.predict(x[0]), copy.predict(x[0]), "the copy predicts as the model");
    }

    /** Asserts that {@code model} predicts for {@code x} as a new model with its parameters, and otherwise than {@code before}. */
    private static float[] assertPredictsAsItsParameters(String sample, Model model, float[] x, float[] before, String when)
            throws ReflectiveOperationException {
        Model fresh = model(sample, 99);
        model.parameters().forEach((name, tensor) -> fresh.setParameter(name, tensor.data()));
        float[] now = model.predict(x);
        assertArrayEquals(fresh.predict(x), now, sample + " " + when);
        assertTrue(!java.util.Arrays.equals(before, now), sample + ": the prediction did not change " + when);
        return now;
    }

    /**
     * A model whose input is named {@code in} and whose hidden layer is named {@code out}, the names
     * the arrays of {@code predict(in, out)} once had in the generated method: the layer, three
     * values, is not written into the caller's one-value array, and the output is the forward pass
     * computed here from the model's parameters.
     */
    @org.junit.jupiter.api.Test
    void valuesNamedInAndOutAreNotTheCallersArrays() throws ReflectiveOperationException {
        String text = """
                model shadow {
                    input  in[2]
                    target y[1]
                    out  = dense(in, 3, tanh)
                    z    = dense(out, 4, tanh)
                    q    = dense(z, 1)
                    loss = mse(q, y)
                    output q
                    data { in = [[0, 1]]; y = [[1]] }
                    train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 1 }
                }
                """;
        Model model = compiled("shadow.nn", text, 9);
        Map<String, dev.nnc.runtime.Tensor> p = model.parameters();
        for (float[] in : inputs(model, 20, 4)) {
            double[] out = dense(p, "out", in, true);
            double[] z = dense(p, "z", toFloat(out), true);
            double[] q = dense(p, "q", toFloat(z), false);
            float[] predicted = new float[1];
            model.predict(in, predicted);
            assertEquals(q[0], predicted[0], 1e-5 * (1 + Math.abs(q[0])), "q at " + java.util.Arrays.toString(in));
        }
    }

    /** A parameter named {@code in}, the name setWeights' array once had, is set by setParameter and predicts with. */
    @org.junit.jupiter.api.Test
    void aParameterNamedInIsSet() throws ReflectiveOperationException {
        String text = """
                model pin {
                    input  x[2]
                    target y[1]
                    param  in[1, 2]
                    param  b[1]
                    q    = in @ x + b
                    loss = mse(q, y)
                    output q
                    data { x = [[0, 1]]; y = [[1]] }
                    train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 1 }
                }
                """;
        Model model = compiled("pin.nn", text, 1);
        model.setParameter("in", new float[] {2, 3});
        model.setParameter("b", new float[] {1});
        assertArrayEquals(new float[] {2, 3}, model.parameters().get("in").data());
        assertArrayEquals(new float[] {2 * 1 + 3 * 10 + 1}, model.predict(new float[] {1, 10}));
    }

    /** {@code tanh(W @ x + b)} (or without the tanh) with the layer's parameters {@code name.W} and {@code name.b}. */
    private static double[] dense(Map<String, dev.nnc.runtime.Tensor> p, String name, float[] x, boolean tanh) {
        dev.nnc.runtime.Tensor w = p.get(name + ".W");
        dev.nnc.runtime.Tensor b = p.get(name + ".b");
        int rows = w.shape()[0];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double acc = b.get(i);
            for (int j = 0; j < x.length; j++) {
                acc += w.get(i * x.length + j) * x[j];
            }
            y[i] = tanh ? Math.tanh(acc) : acc;
        }
        return y;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** The model of {@code text}, compiled in memory, its parameters drawn from {@code seed}. */
    private static Model compiled(String file, String text, long seed) throws ReflectiveOperationException {
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(
                Pipeline.check(new dev.nnc.diag.SourceFile(file, text), null), null, null, null));
        return (Model) type.getConstructor(long.class).newInstance(seed);
    }

    /** {@code n} inputs of the model's width, uniform in [-1, 1). */
    private static float[][] inputs(Model model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] inputs = new float[n][model.schema().inputSize()];
        for (float[] row : inputs) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (2 * random.nextDouble() - 1);
            }
        }
        return inputs;
    }

    /**
     * The bytes this thread allocates over 10,000 warm calls of {@code predict(in, out)}: none. The
     * allocation counter is read twice around the calls, so what reading it costs (measured
     * around no calls) is taken off; it is zero on the JDKs seen so far. On a loaded machine the
     * JIT may still be compiling after the warm-up (code not yet compiled by C2 allocates what
     * escape analysis would remove), so up to ten windows are measured and the last must be 0: a
     * steady allocation shows in every one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xor", "fashion_mnist"})
    void warmPredictIntoAnArrayAllocatesNothing(String sample) throws ReflectiveOperationException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "the JVM counts no allocated bytes per thread");
        Model model = model(sample, 3);
        float[][] inputs = inputs(model, 64, 11);
        float[] out = new float[model.schema().outputSize()];
        float sink = predictMany(model, inputs, out, 20_000); // warm up: class loading, the pool's first Work, the JIT
        long id = Thread.currentThread().getId();
        long allocated = -1;
        long reading = 0;
        for (int window = 0; window < 10 && allocated != 0; window++) {
            long before = threads.getThreadAllocatedBytes(id);
            reading = threads.getThreadAllocatedBytes(id) - before;
            before = threads.getThreadAllocatedBytes(id);
            sink += predictMany(model, inputs, out, 10_000);
            allocated = threads.getThreadAllocatedBytes(id) - before - reading;
        }
        assertEquals(0, allocated, "10,000 warm calls of " + sample + "'s predict(in, out) allocated " + allocated
                + " bytes (the counter's own reading: " + reading + ")");
        assertTrue(Float.isFinite(sink), "the outputs are finite");
    }

    /** {@code calls} predictions over the inputs in turn; the sum of the outputs' first values, so none is dead code. */
    private static float predictMany(Model model, float[][] inputs, float[] out, int calls) {
        float sum = 0;
        for (int c = 0; c < calls; c++) {
            model.predict(inputs[c % inputs.length], out);
            sum += out[0];
        }
        return sum;
    }

    /**
     * Eight threads started together predict 2,000 different inputs each on one instance, half of
     * the calls into their own arrays and half through {@code predict(in)}: every output equals,
     * bit for bit, what one thread predicted for the same input before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xor", "fashion_mnist"})
    void predictionsFromEightThreadsAtOnceAreThoseOfOneThread(String sample) throws Exception {
        int threadCount = 8;
        int perThread = 2_000;
        Model model = model(sample, 5);
        float[][][] inputs = new float[threadCount][][];
        float[][][] expected = new float[threadCount][][];
        for (int t = 0; t < threadCount; t++) {
            inputs[t] = inputs(model, perThread, 100 + t);
            expected[t] = new float[perThread][];
            for (int s = 0; s < perThread; s++) {
                expected[t][s] = model.predict(inputs[t][s]);
            }
        }
        float[][][] actual = new float[threadCount][perThread][model.schema().outputSize()];
        CountDownLatch ready = new CountDownLatch(threadCount);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            int me = t;
            Thread thread = new Thread(() -> {
                try {
                    ready.countDown();
                    start.await();
                    for (int s = 0; s < perThread; s++) {
                        if (s % 2 == 0) {
                            model.predict(inputs[me][s], actual[me][s]);
                        } else {
                            actual[me][s] = model.predict(inputs[me][s]);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "predict-" + t);
            threads.add(thread);
            thread.start();
        }
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the threads did not start");
            start.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        } finally {
            for (Thread thread : threads) {
                if (thread.isAlive()) {
                    thread.interrupt();
                }
            }
        }
        for (Thread thread : threads) {
            assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError("a predicting thread failed", failure.get());
        }
        for (int t = 0; t < threadCount; t++) {
            for (int s = 0; s < perThread; s++) {
                int thread = t;
                int at = s;
                assertArrayEquals(expected[t][s], actual[t][s], () -> sample + ": thread " + thread + ", input " + at);
            }
        }
    }
}
