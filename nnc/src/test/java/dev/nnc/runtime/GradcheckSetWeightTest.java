package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import dev.nnc.lower.TrainerProgram;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NncModel#setWeight}, which gradcheck uses to set one element per difference: the generated
 * one changes exactly that element (a scalar, a vector's, a matrix's), in f32 and f64, sample by
 * sample and over rows; a prediction after it reads the new value, not a transposed copy made before;
 * and the check gives exactly what it gave when every difference replaced all the weights, and the
 * same whether its differences run on one thread or are split over copies of the model.
 */
class GradcheckSetWeightTest {

    /** A scalar, vectors and matrices, one of 9 rows (the prediction keeps a transposed copy of it); %s: the dtype. */
    static final String NET = """
            model small {
                input  x[6]
                target y[3]
                param s = 0.5

                h1   = dense(x, 9, tanh)
                h2   = dense(h1, 4, tanh)
                z    = dense(h2, 3)
                out  = s * z
                loss = mse(out, y)
                output out

                train {
                    optimizer = adam(lr = 0.01)
                    epochs    = 1
                    batch     = 4
                    seed      = 3
                    dtype     = %s
                }
            }
            """;

    /**
     * Two products added into one value ({@code A @ x + B @ u}: over rows, the second kernel's epilogue
     * reads the first's rows) and a scalar read by a step before both: after a change of B the
     * evaluation starts at B's product, after a change of c at u.
     */
    static final String SUMS = """
            model sums {
                input  x[6]
                target y[3]
                param A[4, 6] = [[0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [0.2, 0.1, -0.3, 0.5, 0.4, -0.1],
                                 [-0.3, 0.2, 0.1, -0.4, 0.2, 0.3], [0.4, -0.1, 0.2, 0.1, -0.3, 0.2]]
                param B[4, 6] = [[0.3, 0.1, -0.2, 0.2, 0.1, -0.4], [-0.1, 0.3, 0.2, -0.2, 0.5, 0.1],
                                 [0.2, -0.4, 0.3, 0.1, 0.1, 0.2], [0.1, 0.2, -0.1, 0.3, -0.2, 0.4]]
                param c = 0.7

                u    = tanh(x * c)
                h    = tanh(A @ x + B @ u)
                z    = dense(h, 3)
                loss = mse(z, y)
                output z

                train {
                    optimizer = sgd(lr = 0.1)
                    epochs    = 1
                    batch     = 4
                    seed      = 3
                    dtype     = %s
                }
            }
            """;

    static Class<?> compile(String dtype, TrainerProgram.Batching batching) {
        return compile(NET, dtype, batching);
    }

    static Class<?> compile(String text, String dtype, TrainerProgram.Batching batching) {
        return compile(text, dtype, batching, false);
    }

    static Class<?> compile(String text, String dtype, TrainerProgram.Batching batching, boolean vector) {
        CheckedModel model = Pipeline.check(new SourceFile("small.nn", String.format(text, dtype)), null);
        TrainerSource source = Pipeline.generate(model, "Small", null, null, new Codegen(batching, vector));
        return InMemoryCompiler.compile(source);
    }

    static Model create(Class<?> type, long seed) {
        try {
            return (Model) type.getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static final List<TrainerProgram.Batching> BATCHINGS = List.of(TrainerProgram.Batching.NEVER, TrainerProgram.Batching.ALWAYS);

    @Test
    void setWeightChangesExactlyOneElementAndPredictionsSeeIt() {
        for (String dtype : List.of("f32", "f64")) {
            for (TrainerProgram.Batching batching : BATCHINGS) {
                String what = dtype + " " + batching;
                Class<?> type = compile(dtype, batching);
                Model model = create(type, 4);
                Model reference = create(type, 4);
                NncModel work = Support.trainer(model);
                NncModel other = Support.trainer(reference);
                float[] in = {0.3f, -0.2f, 0.9f, -1.1f, 0.4f, 0.05f};
                int[][] shapes = work.paramShapes();
                for (int p = 0; p < shapes.length; p++) {
                    int size = NncWeights.elements(shapes[p]);
                    for (int i : new int[] {0, size / 2, size - 1}) {
                        model.predict(in); // the prediction's copies made at the weights before
                        double[][] before = work.weights();
                        double value = before[p][i] + 0.123456789;
                        work.setWeight(p, i, value);
                        double[][] after = work.weights();
                        double expected = dtype.equals("f32") ? (float) value : value;
                        assertEquals(expected, after[p][i], 0.0, what + ": the element set");
                        after[p][i] = before[p][i];
                        for (int q = 0; q < shapes.length; q++) {
                            assertArrayEquals(before[q], after[q], 0.0, what + ": parameter " + q + " untouched by element " + i + " of " + p);
                        }
                        double[][] replaced = other.weights();
                        replaced[p][i] = value;
                        other.setWeights(replaced);
                        assertArrayEquals(reference.predict(in), model.predict(in), what + ": predict after element " + i + " of " + p);
                        assertNotEquals(before[p][i], work.weights()[p][i], what);
                    }
                }
            }
        }
    }

    @Test
    void theCheckIsTheOneThatReplacedAllWeights() {
        Random r = new Random(8);
        double[][] values = new double[2][];
        values[0] = r.doubles(6 * 10, -1, 1).toArray();
        values[1] = r.doubles(3 * 10, -1, 1).toArray();
        NncSupport.Dataset data = GradcheckProbe.dataset(10, values, new int[2][]);
        for (String text : List.of(NET, SUMS, "vector " + NET)) {
          for (TrainerProgram.Batching batching : BATCHINGS) {
            // the Vector API's kernels: the evaluation from a step, without the column of a product
            boolean vector = text.startsWith("vector ");
            Class<?> type = compile(vector ? text.substring(7) : text, "f64", batching, vector);
            NncModel work = Support.trainer(create(type, 5));
            if (batching == TrainerProgram.Batching.ALWAYS) {
                assertEquals(true, work.evaluationRows() >= 10, "the samples are one block of the evaluation");
            }
            double[][] start = work.weights();
            NncGradcheck.Result fast = NncGradcheck.compare(work, data, 1, Integer.MAX_VALUE);
            assertArrayEquals(flat(start), flat(work.weights()), 0.0, "the weights restored");
            NncGradcheck.Result whole = NncGradcheck.compare(replacingAll(Support.trainer(create(type, 5))), data, 1, Integer.MAX_VALUE);
            assertArrayEquals(whole.checked, fast.checked, batching + ": every element checked");
            assertArrayEquals(whole.perParam, fast.perParam, 0.0, batching + ": per parameter");
            assertEquals(whole.max, fast.max, 0.0, batching + ": overall");
            // a sample of the elements as well
            NncGradcheck.Result some = NncGradcheck.compare(work, data, 2, 5);
            NncGradcheck.Result someWhole = NncGradcheck.compare(replacingAll(Support.trainer(create(type, 5))), data, 2, 5);
            assertArrayEquals(someWhole.checked, some.checked, batching + ": 5 of each");
            assertArrayEquals(someWhole.perParam, some.perParam, 0.0, batching + ": 5 of each, per parameter");
          }
        }
    }

    @Test
    void differencesSplitOverThreadsGiveTheSameResult() {
        Random r = new Random(9);
        double[][] values = new double[2][];
        values[0] = r.doubles(6 * 12, -1, 1).toArray();
        values[1] = r.doubles(3 * 12, -1, 1).toArray();
        float[][] rounded = {NncArrays.rounded(values[0]), NncArrays.rounded(values[1])};
        for (String dtype : List.of("f32", "f64")) {
            NncSupport.Dataset data = dtype.equals("f32") ? new NncSupport.Dataset(12, rounded, null, new int[2][])
                    : GradcheckProbe.dataset(12, values, new int[2][]);
            for (TrainerProgram.Batching batching : BATCHINGS) {
                Class<?> type = compile(dtype, batching);
                NncModel work = Support.trainer(create(type, 6));
                double[][] start = work.weights();
                NncGradcheck.Result one = NncGradcheck.compare(work, data, 1, Integer.MAX_VALUE);
                // copies made from another seed: they take the checked model's weights
                NncGradcheck.Result three;
                java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
                NncGradcheck.minTasks = 8;
                try {
                    three = NncGradcheck.compare(work, data, 1, Integer.MAX_VALUE, 3, () -> {
                        made.incrementAndGet();
                        return Support.trainer(create(type, 99));
                    });
                } finally {
                    NncGradcheck.minTasks = NncGradcheck.MIN_TASKS;
                }
                assertEquals(2, made.get(), "two copies for three threads");
                String what = dtype + " " + batching;
                assertArrayEquals(one.checked, three.checked, what);
                assertArrayEquals(one.perParam, three.perParam, 0.0, what + ": per parameter");
                assertEquals(one.max, three.max, 0.0, what);
                assertArrayEquals(flat(start), flat(work.weights()), 0.0, what + ": the weights restored");
            }
        }
    }

    /**
     * {@code model} with {@link NncModel#setWeight} and the evaluation from a step as the interface's
     * defaults: every parameter replaced, every step of the evaluation run, per difference (the old way).
     */
    static NncModel replacingAll(NncModel model) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("setWeight") || method.getName().equals("evaluationStep")
                    || method.getName().equals("evaluationColumns")
                    || method.getName().equals("evaluateRows") && method.getParameterCount() >= 3) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(model, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (NncModel) Proxy.newProxyInstance(NncModel.class.getClassLoader(), new Class<?>[] {NncModel.class}, handler);
    }

    private static double[] flat(double[][] a) {
        return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
