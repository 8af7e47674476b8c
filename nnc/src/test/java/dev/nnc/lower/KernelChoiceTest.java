package dev.nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which loop nest {@link KernelChoice} gives each product, from its sizes, and that the trainer
 * program records it in its kernels.
 */
class KernelChoiceTest {

    @Test
    void narrowOutputsTakeTheNarrowKernels() {
        // nt: the output 784-10 at batch 64 (over the samples), 100000-1 at batch 4 (dot products)
        assertEquals(KernelChoice.SAMPLES, KernelChoice.of(RowStep.Form.NT, 64, 784, 10));
        assertEquals(KernelChoice.DOT, KernelChoice.of(RowStep.Form.NT, 4, 100000, 1));
        assertEquals(KernelChoice.DOT, KernelChoice.of(RowStep.Form.NT, 15, 64, 15));
        assertEquals(KernelChoice.SAMPLES, KernelChoice.of(RowStep.Form.NT, 16, 64, 15));
        assertEquals(KernelChoice.SAMPLES, KernelChoice.of(RowStep.Form.NT, 128, 64, 4));
        // one to three outputs: dot products at any batch (the 100000-1 output evaluated 128 rows at a time)
        assertEquals(KernelChoice.DOT, KernelChoice.of(RowStep.Form.NT, 128, 100000, 1));
        assertEquals(KernelChoice.DOT, KernelChoice.of(RowStep.Form.NT, 64, 64, 3));
        assertEquals(KernelChoice.GEMM, KernelChoice.of(RowStep.Form.NT, 64, 784, 16));
        // tn: a gradient of few columns and many rows (100000 x 2), not a small one (10 x 10)
        assertEquals(KernelChoice.NARROW, KernelChoice.of(RowStep.Form.TN, 4, 100000, 2));
        assertEquals(KernelChoice.NARROW, KernelChoice.of(RowStep.Form.TN, 64, 64, 15));
        assertEquals(KernelChoice.GEMM, KernelChoice.of(RowStep.Form.TN, 64, 63, 15));
        assertEquals(KernelChoice.GEMM, KernelChoice.of(RowStep.Form.TN, 64, 10, 784));
        // nn keeps the general kernel
        assertEquals(KernelChoice.GEMM, KernelChoice.of(RowStep.Form.NN, 4, 1, 100000));
        assertEquals(KernelChoice.GEMM, KernelChoice.of(RowStep.Form.NN, 64, 10, 2));
    }

    @Test
    void theVectorApiRunsOnlyProductsWithEverySideSixteenOrMore() {
        assertTrue(KernelChoice.vector(64, 784, 128));
        assertTrue(KernelChoice.vector(16, 16, 16));
        assertFalse(KernelChoice.vector(64, 10, 784), "a gradient of 10 rows: the 784-10 model's");
        assertFalse(KernelChoice.vector(4, 784, 128), "a block of 4 rows");
        assertFalse(KernelChoice.vector(64, 15, 128));
        assertTrue(KernelChoice.vectorUpdate(16));
        assertFalse(KernelChoice.vectorUpdate(2), "rows of two: the 2-100000-1 model's first weights");
    }

    @Test
    void theTrainerProgramRecordsTheChoiceOfEachKernel() {
        String source = """
                model wide {
                    input  x[2]
                    target y[1]
                    h    = dense(x, 1000, tanh)
                    p    = dense(h, 1)
                    loss = mse(p, y)
                    output p
                    train { optimizer = adam(lr = 0.001); epochs = 1; batch = 4; seed = 1; dtype = f32 }
                }
                """;
        TrainerProgram program = Lowering.trainer(Pipeline.derive(Pipeline.check(new SourceFile("wide.nn", source), null)));
        List<String> kernels = program.trainRows().steps().stream().filter(s -> s instanceof RowStep.Kernel)
                .map(s -> (RowStep.Kernel) s).map(k -> k.form() + " " + k.n() + "x" + k.m() + " " + k.kernel()).toList();
        assertEquals(List.of("NT 2x1000 GEMM", "NT 1000x1 DOT", "NN 1x1000 GEMM", "TN 1x1000 GEMM", "TN 1000x2 NARROW"), kernels);
        String printed = LoopPrinter.print(program.trainRows());
        assertTrue(printed.contains("(nt, n 1000, m 1, dot)"), printed);
        assertTrue(printed.contains("(tn, n 1000, m 2, narrow)"), printed);
    }
}
