package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.emit.Codegen;
import dev.nnc.lower.TrainerProgram;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A trainer compiled with the Vector API's kernels carries the plain ones too, and each training
 * run takes one of them from its planned work ({@link NncTraining#vectorPays}): a run too short
 * to pay for the Vector API's compile ends with the plain trainer's weights, bit for bit; told to
 * take the Vector API's, it ends with other bits (their fused multiply-adds round differently).
 */
class VectorSwitchTest {

    /** Every side 16 or more: each product runs on the Vector API's kernels when they are on (KernelChoice.vector). */
    private static final String MODEL = """
            model wide {
                input  x[32]
                target y[16]
                h    = dense(x, 32, tanh)
                out  = dense(h, 16)
                loss = mse(out, y)
                train { optimizer = adam(lr = 0.01); epochs = 3; batch = 16; shuffle = true; seed = 5 }
            }
            """;

    /** The model's trainer with the Vector API's kernels and the plain ones (also for {@code KernelWarmupTest}). */
    static final Class<?> VECTOR = compiled(true);
    static final Class<?> PLAIN = compiled(false);

    private static Class<?> compiled(boolean vector) {
        return InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile("wide.nn", MODEL), null), null, null, null,
                new Codegen(TrainerProgram.Batching.AUTO, vector)));
    }

    static NncModel fresh(Class<?> type) {
        try {
            return Support.trainer(type.getConstructor(long.class).newInstance(5L));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static NncSupport.Dataset data(NncModel model, int samples) {
        NncSupport.Dataset d = NncSupport.Dataset.allocate(model.schema(), samples, false);
        NncSupport.SplitMix64 r = new NncSupport.SplitMix64(17);
        for (float[] column : d.f32) {
            if (column != null) {
                for (int i = 0; i < column.length; i++) {
                    column[i] = (float) (r.nextDouble() * 2 - 1);
                }
            }
        }
        return d;
    }

    /** The weights after a run of the train block's plan (3 epochs over 64 samples), the kernels as {@code vectorApi} says. */
    private static double[][] trained(Class<?> type, Boolean vectorApi) {
        NncModel model = fresh(type);
        NncTraining.Plan plan = new NncTraining.Plan();
        plan.epochs = 3;
        plan.batch = 16;
        plan.shuffle = true;
        plan.seed = 5;
        plan.timeline = false;
        plan.vectorApi = vectorApi;
        NncTraining.run(model, data(model, 64), plan, stats -> {});
        return model.weights();
    }

    @Test
    void aShortRunOfAVectorTrainerEndsWithThePlainTrainersWeights() {
        double[][] plain = trained(PLAIN, null);
        double[][] shortRun = trained(VECTOR, null);
        for (int p = 0; p < plain.length; p++) {
            assertArrayEquals(plain[p], shortRun[p], "parameter " + p + ": 3 x 64 samples do not pay for the Vector API");
        }
        double[][] vector = trained(VECTOR, true);
        assertFalse(Arrays.deepEquals(plain, vector), "on the Vector API's kernels the products round differently");
        assertTrue(Arrays.deepEquals(vector, trained(VECTOR, true)), "and the same on every run");
    }

    @Test
    void onlyAVectorTrainerTakesTheSwitch() {
        assertTrue(fresh(VECTOR).useVectorApi(true));
        assertFalse(fresh(VECTOR).useVectorApi(false));
        assertFalse(fresh(PLAIN).useVectorApi(true), "a plain trainer has no Vector API kernels to turn on");
    }

    @Test
    void theRunsWorkDecides() {
        NncModel model = fresh(VECTOR);
        long parameters = 32 * 32 + 32 + 32 * 16 + 16;
        assertEquals(parameters, NncWarmup.parameters(model.paramShapes()));
        // 6 flops per parameter and sample: the bound falls between these two runs of 10 epochs
        long enough = (long) Math.ceil(NncTraining.VECTOR_MIN_RUN_FLOPS / (6.0 * parameters * 10));
        assertTrue(NncTraining.vectorPays(model, 10, enough));
        assertFalse(NncTraining.vectorPays(model, 10, enough - 1));
        assertFalse(NncTraining.vectorPays(model, 1, enough), "a tenth of the epochs is a tenth of the work");
    }

    @Test
    void thePropertySetsTheBound() {
        assertEquals(NncTraining.VECTOR_MIN_RUN_FLOPS, NncTraining.minRunFlops(null));
        assertEquals(0, NncTraining.minRunFlops("0"));
        assertEquals(5e9, NncTraining.minRunFlops(" 5e9 "));
        assertEquals(NncTraining.VECTOR_MIN_RUN_FLOPS, NncTraining.minRunFlops("many"), "not a number: the default");
    }
}
