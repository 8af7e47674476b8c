package dev.nnc.emit;

import dev.nnc.lower.TrainerProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.compile.LoadedTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training step allocates nothing: the same number of epochs run with four steps per epoch
 * (batch 1) and with one (batch 4) allocate the same, up to a few bytes a step, so the 3 extra
 * steps of every epoch allocate nothing. Measured with the JVM's count of the bytes this thread
 * allocated, not with timings.
 */
class AllocationTest {

    private static final int EPOCHS = 3_000;

    private static String warmup;

    /**
     * No warm-up copy (NncWarmup): it trains on the test's thread, as many steps as the run has at
     * most, so runs of 1 and 4 steps an epoch would differ by its allocations too.
     */
    @org.junit.jupiter.api.BeforeAll
    static void noWarmup() {
        warmup = System.setProperty("nnc.warmup", "false");
    }

    @org.junit.jupiter.api.AfterAll
    static void warmupAsItWas() {
        if (warmup == null) {
            System.clearProperty("nnc.warmup");
        } else {
            System.setProperty("nnc.warmup", warmup);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TrainerProgram.Batching.class, names = {"NEVER", "ALWAYS"})
    void trainingStepsAllocateNothing(TrainerProgram.Batching batching) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        assertStepsAllocateNothing((com.sun.management.ThreadMXBean) bean, Pipeline.check(XOR, null), new Codegen(batching, false));
    }

    private static final Path XOR = Path.of(System.getProperty("nnc.root", "."), "samples", "xor.nn");

    /** The same with each optimizer of version 2, whose updates and buffers come from their data. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr = 0.05, momentum = 0.9, nesterov = true, weight_decay = 0.01)",
            "adam(lr = 0.05, weight_decay = 0.01)", "adamw(lr = 0.05)", "rmsprop(lr = 0.01, momentum = 0.5)"})
    void everyOptimizersStepAllocatesNothing(String optimizer) throws java.io.IOException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        String text = java.nio.file.Files.readString(XOR);
        assertTrue(text.contains("adam(lr = 0.05)"), "samples/xor.nn's optimizer");
        CheckedModel model = Pipeline.check(new dev.nnc.diag.SourceFile("xor.nn", text.replace("adam(lr = 0.05)", optimizer)), null);
        assertStepsAllocateNothing((com.sun.management.ThreadMXBean) bean, model, new Codegen(TrainerProgram.Batching.NEVER, false));
    }

    private static void assertStepsAllocateNothing(com.sun.management.ThreadMXBean threads, CheckedModel model, Codegen codegen) {
        assertEquals(4, model.data().samples());
        LoadedTrainer trainer = LoadedTrainer.load(Pipeline.generate(model, null, null, null, codegen));
        run(trainer, 1, 200); // warm up: class loading, JIT
        run(trainer, 4, 200);
        long oneStepEpochs = allocated(threads, trainer, 4);
        long fourStepEpochs = allocated(threads, trainer, 1);
        long extraSteps = 3L * EPOCHS;
        long perStep = (fourStepEpochs - oneStepEpochs) / extraSteps;
        assertTrue(perStep < 8, "a training step allocates about " + perStep + " bytes ("
                + fourStepEpochs + " bytes with 4 steps an epoch, " + oneStepEpochs + " with 1)");
    }

    /**
     * A batched model whose weight gradient is large enough to split over two threads (1024 x 512
     * multiply-adds per sample): handing the work to the pool's worker allocates nothing either.
     */
    @Test
    void splitProductsAllocateNothing() throws ReflectiveOperationException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        java.util.Random random = new java.util.Random(5);
        for (int s = 0; s < 4; s++) {
            x.append(s == 0 ? "" : ", ").append("[");
            for (int i = 0; i < 1024; i++) {
                x.append(i == 0 ? "" : ", ").append(random.nextInt(10) / 10.0);
            }
            x.append("]");
            y.append(s == 0 ? "" : ", ").append(random.nextInt(3));
        }
        String text = """
                model wide {
                    input x[1024]
                    target y[3] onehot
                    h = dense(x, 512, relu)
                    out = dense(h, 3)
                    loss = cross_entropy(out, y)
                    data { x = [%s]; y = [%s] }
                    train { optimizer = sgd(lr = 0.01); batch = 4; epochs = 1 }
                }
                """.formatted(x, y);
        CheckedModel model = Pipeline.check(new dev.nnc.diag.SourceFile("wide.nn", text), null);
        LoadedTrainer trainer = LoadedTrainer.load(Pipeline.generate(model, null, null, null,
                new Codegen(TrainerProgram.Batching.AUTO, false)));
        // the products here are small for the pool's threshold: split them at a smaller machine's
        java.lang.reflect.Field threshold = dev.nnc.runtime.NncPool.class.getDeclaredField("minParallelWork");
        threshold.setAccessible(true);
        Object kept = threshold.get(null);
        threshold.set(null, 1L << 19);
        try {
            allocationOfSplitSteps(trainer, threads);
        } finally {
            threshold.set(null, kept);
        }
    }

    private static void allocationOfSplitSteps(LoadedTrainer trainer, com.sun.management.ThreadMXBean threads)
            throws ReflectiveOperationException {
        int epochs = 200;
        runWide(trainer, 4, epochs); // warm up
        runWide(trainer, 1, epochs);
        java.lang.reflect.Field runs = dev.nnc.runtime.NncPool.class.getDeclaredField("parallelRuns");
        runs.setAccessible(true);
        long splitsBefore = (Long) runs.get(null);
        long id = Thread.currentThread().getId();
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 3 && perStep >= 8; round++) { // the fewest of three rounds: the JIT may still be at work
            long before = threads.getThreadAllocatedBytes(id);
            runWide(trainer, 4, epochs);           // 1 step an epoch
            long oneStep = threads.getThreadAllocatedBytes(id) - before;
            before = threads.getThreadAllocatedBytes(id);
            runWide(trainer, 1, epochs);           // 4 steps an epoch; dW's 512 x 1024 rows still split (2^19 multiply-adds)
            long fourSteps = threads.getThreadAllocatedBytes(id) - before;
            perStep = Math.min(perStep, (fourSteps - oneStep) / (3L * epochs));
        }
        assertTrue(perStep < 8, "a step with split products allocates about " + perStep + " bytes");
        // and the products did split: the runtime's pool counted them
        long splits = (Long) runs.get(null) - splitsBefore;
        assertTrue(splits >= 2L * epochs, "the products ran on one thread: " + splits + " splits");
    }

    private static void runWide(LoadedTrainer trainer, int batch, int epochs) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(1 << 20));
        int code = trainer.run(new String[] {"--epochs", Integer.toString(epochs), "--batch", Integer.toString(batch),
            "--threads", "2"}, sink, sink);
        assertEquals(0, code);
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, LoadedTrainer trainer, int batch) {
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        run(trainer, batch, EPOCHS);
        return threads.getThreadAllocatedBytes(id) - before;
    }

    private static void run(LoadedTrainer trainer, int batch, int epochs) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(1 << 20));
        int code = trainer.run(new String[] {"--epochs", Integer.toString(epochs), "--batch", Integer.toString(batch)}, sink, sink);
        assertEquals(0, code);
    }
}
