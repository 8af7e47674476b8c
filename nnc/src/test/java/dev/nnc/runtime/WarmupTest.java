package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The warm-up trains a copy of the model while the data is read ({@link NncWarmup}): the run's
 * own model ends with the weights it has without it, bit for bit, even when the copy's steps run
 * between the model's on the same thread (sharing the kernels' per-thread scratch); and the read's
 * outcome, a value or a failure, comes through unchanged.
 */
class WarmupTest {

    /** Batched (a weight of 512 elements), Adam: the kernels, the row loops and the update that a warm-up compiles. */
    private static final String MODEL = """
            model mlp {
                input  x[32]
                target y[4] onehot
                h    = dense(x, 16, relu)
                out  = dense(h, 4)
                loss = cross_entropy(out, y)
                train { optimizer = adam(lr = 0.01); epochs = 1; batch = 8; seed = 3 }
            }
            """;

    private static final Class<?> TYPE = InMemoryCompiler.compile(
            Pipeline.generate(Pipeline.check(new SourceFile("mlp.nn", MODEL), null), null, null, null));

    private static NncModel fresh(long seed) {
        try {
            return Support.trainer(TYPE.getConstructor(long.class).newInstance(seed));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static NncSupport.Dataset data(NncModel model) {
        NncSupport.Dataset d = NncSupport.Dataset.allocate(model.schema(), 64, false);
        NncSupport.SplitMix64 r = new NncSupport.SplitMix64(11);
        for (int i = 0; i < d.f32[0].length; i++) {
            d.f32[0][i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < d.labels[1].length; i++) {
            d.labels[1][i] = (int) (r.nextDouble() * 4);
        }
        return d;
    }

    /** Eight steps of 8 samples on {@code model}, with {@code between} run after each. */
    private static double[][] train(NncModel model, Runnable between) {
        NncSupport.Dataset d = data(model);
        model.useData(d);
        int[] order = new int[64];
        for (int i = 0; i < 64; i++) {
            order[i] = (i * 37) % 64;
        }
        for (int from = 0; from < 64; from += 8) {
            model.gradients(order, from, from + 8);
            model.update();
            between.run();
        }
        return model.weights();
    }

    private static void assertBitwiseEqual(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                if (Double.doubleToRawLongBits(expected[p][i]) != Double.doubleToRawLongBits(actual[p][i])) {
                    fail("parameter " + p + " element " + i + ": " + expected[p][i] + " != " + actual[p][i]);
                }
            }
        }
    }

    @Test
    void aCopyWarmedUpBetweenTheStepsLeavesTheWeightsBitForBit() {
        double[][] alone = train(fresh(7), () -> {});
        NncModel copy = fresh(7 ^ 0x5eedL);
        double[][] before = copy.weights();
        long[] steps = {0};
        double[][] warmed = train(fresh(7), () -> {
            AtomicInteger calls = new AtomicInteger();
            steps[0] += NncWarmup.untilDone(copy, 8, () -> calls.incrementAndGet() > 5);
        });
        assertBitwiseEqual(alone, warmed);
        assertEquals(8 * 5, steps[0], "five warm-up steps after each of the eight");
        assertFalse(java.util.Arrays.deepEquals(before, copy.weights()), "the copy trained");
    }

    @Test
    void whileReadingReturnsWhatWasReadAndWarmsUpMeanwhile() {
        NncModel model = fresh(1);
        long before = NncWarmup.STEPS.get();
        Object read = new Object();
        Object got = NncWarmup.whileReading(() -> {
            long until = System.nanoTime() + 10_000_000_000L;
            while (NncWarmup.STEPS.get() < before + 3 && System.nanoTime() < until) {
                Thread.onSpinWait(); // a slow read: until the warm-up has taken a few steps
            }
            return read;
        }, model, () -> fresh(2), 8, 1, -1, d -> 8000, NncWarmup.Kernels.NONE); // 1,000 steps
        assertSame(read, got);
        assertTrue(NncWarmup.STEPS.get() > before, "the copy took warm-up steps while the data was read");
    }

    @Test
    void theCopyGoesOnWarmingUpAfterAnInstantRead() {
        NncModel model = fresh(1);
        long before = NncWarmup.STEPS.get();
        Object read = new Object();
        assertSame(read, NncWarmup.whileReading(() -> read, model, () -> fresh(2), 8, 1, 400, d -> 400, NncWarmup.Kernels.NONE));
        assertTrue(NncWarmup.STEPS.get() > before, "the copy trained after the read");
    }

    @Test
    void afterTheReadTheCopyTakesNoMoreStepsThanTheRun() {
        long steps = NncWarmup.afterRead(fresh(2), 8, 50);
        assertTrue(steps > 0, "the copy trained");
        // without the bound it would go on to MIN_STEPS at least, where it may first be warm
        assertTrue(steps <= 50, "no more steps than the run's 50: " + steps);
    }

    @Test
    void aStepStuckInC1IsNotWarmWhileTheCompilersWork() {
        NncWarmup.Settling s = new NncWarmup.Settling();
        for (int i = 0; i < 20; i++) {
            s.chunk(20_000_000, 1, 15_000_000); // 20 ms steps as steady as can be, C2 busy
            assertFalse(s.warm(), "chunk " + i);
        }
        for (int i = 1; i <= NncWarmup.Settling.SETTLED; i++) {
            s.chunk(20_000_000, 500, 0); // compiled: 40 us steps, compilers quiet
            assertEquals(i == NncWarmup.Settling.SETTLED, s.warm(), "quiet chunk " + i);
        }
        s.chunk(20_000_000, 1500, 0); // three times faster again: the last chunks were not the end
        assertFalse(s.warm());
        for (int i = 1; i < NncWarmup.Settling.SETTLED; i++) {
            s.chunk(20_000_000, 1490, 1_000_000);
        }
        assertTrue(s.warm());
        s.chunk(20_000_000, 1500, 5_000_000); // compilers at work in 5 of the window's 100 ms: still quiet (under 10%)
        assertTrue(s.warm());
        s.chunk(20_000_000, 1500, 20_000_000); // 25 of 100 ms
        assertFalse(s.warm());
    }

    @Test
    void theJvmsOwnTimeLeavesOutTheJavaThreadsWork() {
        assumeTrue(NncWarmup.Settling.jvmNanos() >= 0, "this JVM gives neither CPU times nor compile times");
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported());
        // 200 ms of this thread's work is not the JVM's own. The JIT may still be compiling what
        // earlier tests ran, so of ten tries one must show under half of it.
        double sink = 0;
        StringBuilder seen = new StringBuilder();
        for (int attempt = 0; attempt < 10; attempt++) {
            long before = NncWarmup.Settling.jvmNanos();
            long ownBefore = threads.getCurrentThreadCpuTime();
            long until = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < until) {
                sink += Math.sqrt(sink + 1);
            }
            long jvm = NncWarmup.Settling.jvmNanos() - before;
            long own = threads.getCurrentThreadCpuTime() - ownBefore;
            if (jvm < own / 2) {
                assertTrue(sink > 0);
                return;
            }
            seen.append(String.format(" %d/%d ms", jvm / 1_000_000, own / 1_000_000));
        }
        fail("the JVM's own time counted this thread's work, JVM's/this thread's:" + seen);
    }

    @Test
    void withoutCompileTimesTheStepTimesDecideOverMoreChunks() {
        NncWarmup.Settling s = new NncWarmup.Settling();
        for (int i = 1; i <= NncWarmup.Settling.SETTLED_BLIND; i++) {
            s.chunk(20_000_000, 100, -1);
            assertEquals(i == NncWarmup.Settling.SETTLED_BLIND, s.warm(), "chunk " + i);
        }
        s.chunk(20_000_000, 50, -1); // twice as slow: a hiccup
        assertFalse(s.warm());
    }

    @Test
    void aFailedReadIsThrownAsItWas() {
        NncModel model = fresh(1);
        NncSupport.DataError error = new NncSupport.DataError("cannot read d.csv: no such file");
        NncSupport.DataError thrown = assertThrows(NncSupport.DataError.class, () -> NncWarmup.whileReading(() -> {
            throw error;
        }, model, () -> fresh(2), 8, 1, -1, d -> 8, NncWarmup.Kernels.NONE));
        assertSame(error, thrown);
    }

    @Test
    void aModelTooLargeToCopyIsNotWarmedUp() {
        assertTrue(NncWarmup.worthIt(new int[][] {{2000, 2000}}));
        assertFalse(NncWarmup.worthIt(new int[][] {{2000, 2000}, {1}}));
        NncModel model = fresh(1);
        assertTrue(NncWarmup.worthIt(model.paramShapes()));
    }
}
