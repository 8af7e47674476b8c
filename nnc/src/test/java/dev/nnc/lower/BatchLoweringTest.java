package dev.nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link BatchLowering}, one test each: which values get rows, which products
 * become which of the runtime's kernels, what runs once per chunk, what runs row by row.
 */
class BatchLoweringTest {

    private static LoopProgram lower(String body, Lowering.Purpose purpose) {
        String text = "model m {\n" + body + "\n}\n";
        return Lowering.lower(Pipeline.derive(Pipeline.check(new SourceFile("m.nn", text), null)), purpose);
    }

    private static RowProgram rows(String body, Lowering.Purpose purpose) {
        LoopProgram p = lower(body, purpose);
        assertTrue(BatchLowering.supports(p), LoopPrinter.print(p, purpose));
        return BatchLowering.lower(p, purpose, 8);
    }

    private static final String LAYER = """
            input x[3]
            target y[2]
            param W1[4, 3] = 0.1
            param b1[4] = 0.2
            param W2[2, 4] = 0.3
            h1 = relu(W1 @ x + b1)
            out = W2 @ h1
            loss = 0.5 * sum((out - y)^2)
            output out
            """;

    /** The kernel that writes {@code name}: into its rows, or into the shared buffer of that name. */
    private static RowStep.Kernel kernel(RowProgram p, String name) {
        return p.steps().stream().filter(s -> s instanceof RowStep.Kernel k && k.out().name().equals(name))
                .map(s -> (RowStep.Kernel) s).findFirst()
                .orElseThrow(() -> new AssertionError("no kernel writes " + name + ":\n" + LoopPrinter.print(p)));
    }

    /** {@code h1 = relu(W1 @ x + b1)} over rows: x's rows times W1', then the bias and relu over each row. */
    @Test
    void aLayerIsAnNtKernelWithItsBiasAndActivationAsEpilogue() {
        RowProgram p = rows(LAYER, Lowering.Purpose.INFER);
        RowStep.Kernel layer = kernel(p, "h1_evalRows");
        assertEquals(RowStep.Form.NT, layer.form());
        assertEquals(p.rowsOf(p.perSample().inputs().get(0)), layer.left());
        assertEquals("W1", layer.right().name());
        assertInstanceOf(RowProgram.Shared.class, layer.right(), "the weights are the same for every row");
        assertEquals(List.of(3, 4), List.of(layer.n(), layer.m()), "rows of 3 reduced, rows of 4 written");
        assertFalse(layer.accumulate());
        assertEquals("relu((product + b1))", LoopPrinter.elem(layer.epilogue()));
    }

    /** In training h1's pre-activation is kept for relu': z1's kernel adds the bias, relu runs row by row. */
    @Test
    void trainingKeepsThePreActivationsRows() {
        RowProgram p = rows(LAYER, Lowering.Purpose.TRAIN);
        RowStep.Kernel layer = kernel(p, "z1_rows");
        assertEquals(RowStep.Form.NT, layer.form());
        assertEquals("(product + b1)", LoopPrinter.elem(layer.epilogue()));
        assertTrue(p.steps().stream().anyMatch(s -> s instanceof RowStep.PerRow r
                && r.steps().stream().anyMatch(x -> x.out().name().equals("h1"))), LoopPrinter.print(p));
    }

    /** {@code delta1 = (W2' @ delta2) * relu'(z1)}: delta2's rows times W2 as it is stored, relu' as the epilogue. */
    @Test
    void transposedWeightsTimesDeltaIsAnNnKernel() {
        RowProgram p = rows(LAYER, Lowering.Purpose.TRAIN);
        RowStep.Kernel back = kernel(p, "delta1_rows");
        assertEquals(RowStep.Form.NN, back.form());
        assertEquals("delta2_rows", back.left().name());
        assertEquals("W2", back.right().name());
        assertEquals(List.of(2, 4), List.of(back.n(), back.m()));
        assertEquals("(relu'(z1_rows[r]) * product)", LoopPrinter.elem(back.epilogue(),
                v -> p.isPerSample(v) ? p.rowsOf(v).name() + "[r]" : v.name()));
    }

    /** {@code dW1 += delta1 outer x} for every sample: one TN kernel summing the rows' outer products into dW1. */
    @Test
    void aWeightGradientIsATnKernelAccumulatingIntoIt() {
        RowProgram p = rows(LAYER, Lowering.Purpose.TRAIN);
        RowStep.Kernel grad = kernel(p, "dW1");
        assertEquals(RowStep.Form.TN, grad.form());
        assertTrue(grad.accumulate());
        assertEquals(new RowProgram.Shared(p.perSample().grads().get(0)), grad.out());
        assertEquals("delta1_rows", grad.left().name());
        assertEquals("x_rows", grad.right().name());
        assertEquals(List.of(4, 3), List.of(grad.n(), grad.m()), "dW1 is [4, 3]");
        assertTrue(p.operandRows().isEmpty(), "both operands are rows already: " + p.operandRows());
    }

    /** A bias gradient reads a row at a time: it is added row by row inside a per-row pass, not by a kernel. */
    @Test
    void aBiasGradientIsAddedRowByRow() {
        RowProgram p = rows(LAYER, Lowering.Purpose.TRAIN);
        assertTrue(p.steps().stream().noneMatch(s -> s instanceof RowStep.Kernel k && k.out().name().equals("db1")));
        RowStep last = p.steps().get(p.steps().size() - 2);
        assertTrue(last instanceof RowStep.PerRow r && r.steps().stream().anyMatch(s -> s.out().name().equals("db1")),
                LoopPrinter.print(p));
    }

    /** Consecutive per-sample steps that are not kernels share one loop over the rows. */
    @Test
    void consecutiveRowStepsShareOnePass() {
        RowProgram p = rows(LAYER, Lowering.Purpose.TRAIN);
        for (int i = 1; i < p.steps().size(); i++) {
            assertFalse(p.steps().get(i - 1) instanceof RowStep.PerRow && p.steps().get(i) instanceof RowStep.PerRow,
                    LoopPrinter.print(p));
        }
        assertInstanceOf(RowStep.Gather.class, p.steps().get(0), "the samples are copied into rows first");
        assertEquals(List.of("x_rows", "y_rows"), ((RowStep.Gather) p.steps().get(0)).into().stream()
                .map(RowProgram.Rows::name).toList());
        assertEquals(new RowStep.SumLoss(p.rowsOf(p.perSample().loss())), p.steps().get(p.steps().size() - 1));
    }

    /** A penalty on the bias alone is the same for every sample: computed once per chunk, in a shared buffer. */
    @Test
    void aValueTheSameForEverySampleIsComputedOncePerChunk() {
        RowProgram p = rows("""
                input x[3]
                target y[2]
                param W[2, 3] = 0.1
                param b[2] = 0.2
                out = W @ x + b
                penalty = sum(b * b)
                loss = sum((out - y)^2) + penalty * penalty
                """, Lowering.Purpose.TRAIN);
        Var penalty = p.perSample().temps().stream().filter(v -> v.name().equals("penalty")).findFirst().orElseThrow();
        assertFalse(p.isPerSample(penalty));
        assertTrue(p.shared().contains(penalty), p.shared().toString());
        assertTrue(p.steps().stream().anyMatch(s -> s instanceof RowStep.Once o && o.step().out().equals(penalty)),
                LoopPrinter.print(p));
    }

    /** A loss that no sample changes is that value for each of the chunk's rows. */
    @Test
    void aLossTheSameForEverySampleCountsOncePerRow() {
        RowProgram p = rows("""
                input x[3]
                param W[2, 3] = 0.1
                loss = sum(W * W)
                """, Lowering.Purpose.TRAIN);
        assertEquals(new RowStep.SharedLoss(p.perSample().loss()), p.steps().get(p.steps().size() - 1));
    }

    /** {@code dW1 += (2 * delta) outer x}, the scaled outer product of an mse gradient: the scaled operand gets rows of its own. */
    @Test
    void anOuterOperandThatIsAnExpressionGetsRows() {
        RowProgram p = rows("""
                input x[3]
                target y[2]
                param W1[2, 3] = 0.1
                out = tanh(W1 @ x)
                loss = sum((out - y)^2)
                """, Lowering.Purpose.TRAIN);
        RowStep.Kernel grad = kernel(p, "dW1");
        assertEquals(RowStep.Form.TN, grad.form());
        RowProgram.OperandRows left = assertInstanceOf(RowProgram.OperandRows.class, grad.left(), LoopPrinter.print(p));
        assertEquals("dW1_left", left.name());
        assertEquals(2, left.length());
        assertEquals(List.of(left), p.operandRows(), "declared with the program's rows");
        assertEquals("x_rows", grad.right().name());
    }

    /** A matrix per sample would need rows of matrices: such a program runs sample by sample. */
    @Test
    void aModelWithAPerSampleMatrixIsNotBatched() {
        LoopProgram outer = lower("""
                input x[3]
                param W[2, 3] = 0.5
                m = tanh(W * sum(x))
                loss = sum(m @ x)
                """, Lowering.Purpose.TRAIN);
        assertTrue(outer.temps().stream().anyMatch(v -> v.shape().rank() == 2), LoopPrinter.print(outer, Lowering.Purpose.TRAIN));
        assertFalse(BatchLowering.supports(outer));
        assertThrows(IllegalArgumentException.class, () -> BatchLowering.lower(outer, Lowering.Purpose.TRAIN, 8));
        LoopProgram image = lower("""
                input x[2, 3]
                param w[3] = 0.5
                loss = sum(x @ w)
                """, Lowering.Purpose.TRAIN);
        assertFalse(BatchLowering.supports(image), "a matrix input");
    }

    /** A prediction has no loss to sum, so nothing to run over rows. */
    @Test
    void aPredictionIsNotBatched() {
        assertFalse(BatchLowering.supports(lower(LAYER, Lowering.Purpose.PREDICT)));
    }

    /** Training allocates the mini-batch's rows, at most 256 (larger ones run in chunks); the evaluation 128. */
    @Test
    void theCapacityIsTheMiniBatchUpToAChunk() {
        assertEquals(64, BatchLowering.capacity(Lowering.Purpose.TRAIN, 64));
        assertEquals(BatchLowering.MAX_CAPACITY, BatchLowering.capacity(Lowering.Purpose.TRAIN, 1000));
        assertEquals(1, BatchLowering.capacity(Lowering.Purpose.TRAIN, 0));
        assertEquals(BatchLowering.EVALUATION_ROWS, BatchLowering.capacity(Lowering.Purpose.INFER, 4));
        assertEquals(8, rows(LAYER, Lowering.Purpose.TRAIN).capacity());
    }

    /** Each per-sample value's rows are named after it, {@code _rows} in training and {@code _evalRows} in evaluation. */
    @Test
    void rowsAreNamedAfterTheirValue() {
        RowProgram train = rows(LAYER, Lowering.Purpose.TRAIN);
        RowProgram infer = rows(LAYER, Lowering.Purpose.INFER);
        assertTrue(train.rows().stream().allMatch(r -> r.name().equals(r.value().name() + "_rows")), train.rows().toString());
        assertTrue(infer.rows().stream().allMatch(r -> r.name().equals(r.value().name() + "_evalRows")), infer.rows().toString());
        assertTrue(train.rows().stream().noneMatch(r -> r.value().role() == Var.Role.PARAM || r.value().role() == Var.Role.GRAD));
    }
}
