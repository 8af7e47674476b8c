package dev.nnc.emit;

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

/**
 * The training step allocates nothing: the same number of epochs run with four steps per epoch
 * (batch 1) and with one (batch 4) allocate the same, up to a few bytes a step, so the 3 extra
 * steps of every epoch allocate nothing. Measured with the JVM's count of the bytes this thread
 * allocated, not with timings.
 */
class AllocationTest {

    private static final int EPOCHS = 3_000;

    @Test
    void trainingStepsAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        CheckedModel model = Pipeline.check(Path.of(System.getProperty("basedir", "."), "samples", "xor.nn"), null);
        assertEquals(4, model.data().samples());
        LoadedTrainer trainer = LoadedTrainer.load(Pipeline.generate(model, null, null, null));
        run(trainer, 1, 200); // warm up: class loading, JIT
        run(trainer, 4, 200);
        long oneStepEpochs = allocated(threads, trainer, 4);
        long fourStepEpochs = allocated(threads, trainer, 1);
        long extraSteps = 3L * EPOCHS;
        long perStep = (fourStepEpochs - oneStepEpochs) / extraSteps;
        assertTrue(perStep < 8, "a training step allocates about " + perStep + " bytes ("
                + fourStepEpochs + " bytes with 4 steps an epoch, " + oneStepEpochs + " with 1)");
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
