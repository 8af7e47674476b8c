package dev.nnc.lower;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch stage: a per-sample {@link LoopProgram} to the {@link RowProgram} that runs it over a
 * chunk of samples at once, so that each weight loaded feeds a row of samples instead of one.
 *
 * <pre>
 *   h = relu(W @ x + b)     per sample  -&gt;  Kernel NT(x_rows, W -&gt; h_rows), epilogue relu(product + b)
 *   d = W' @ delta          per sample  -&gt;  Kernel NN(delta_rows, W -&gt; d_rows)
 *   dW += delta outer x     per sample  -&gt;  Kernel TN(delta_rows, x_rows -&gt; dW), summed over the rows
 *   dW += (c * delta) outer x           -&gt;  the same, from OperandRows dW_left[r] = c * delta_rows[r]
 *   s = sum(W * W)          shared      -&gt;  Once: computed once per chunk
 *   anything else           per sample  -&gt;  PerRow: the per-sample loops on row r, consecutive ones in one loop
 * </pre>
 */
public final class BatchLowering {

    /** The most rows of samples a training step allocates: larger mini-batches run in chunks. */
    public static final int MAX_CAPACITY = 256;

    /** Rows of samples the evaluation runs at once (on the test data, whatever the training batch). */
    public static final int EVALUATION_ROWS = 128;

    private final LoopProgram p;
    private final Lowering.Purpose purpose;
    private final Map<Var, RowProgram.Rows> rows = new LinkedHashMap<>();
    private final Map<String, RowProgram.OperandRows> operandRows = new LinkedHashMap<>();
    private final List<RowStep> steps = new ArrayList<>();
    /** The most rows of a chunk. */
    private final int capacity;

    private BatchLowering(LoopProgram p, Lowering.Purpose purpose, int capacity) {
        this.p = p;
        this.purpose = purpose;
        this.capacity = capacity;
        for (Var v : perSample(p)) {
            rows.put(v, new RowProgram.Rows(v, Names.rows(v.name(), purpose)));
        }
    }

    /** The rows a program of {@code purpose} allocates for a training mini-batch of {@code miniBatch} samples. */
    public static int capacity(Lowering.Purpose purpose, int miniBatch) {
        return purpose == Lowering.Purpose.INFER ? EVALUATION_ROWS : Math.max(1, Math.min(MAX_CAPACITY, miniBatch));
    }

    /**
     * Whether the program can run over rows: every per-sample value is a scalar or a vector (a matrix
     * per sample would need a third dimension), and there is a loss to sum.
     */
    public static boolean supports(LoopProgram p) {
        if (p.loss() == null || p.steps().isEmpty() || p.inputs().isEmpty() && p.targets().isEmpty()) {
            return false; // nothing differs between samples
        }
        for (Var v : perSample(p)) {
            if (v.shape().rank() > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param purpose  {@link Lowering.Purpose#TRAIN} for the training step ({@code _rows} buffers),
     *                 {@link Lowering.Purpose#INFER} for the evaluation ({@code _evalRows} buffers)
     * @param capacity the most rows of a chunk
     */
    public static RowProgram lower(LoopProgram p, Lowering.Purpose purpose, int capacity) {
        if (purpose == Lowering.Purpose.PREDICT || !supports(p) || capacity < 1) {
            throw new IllegalArgumentException("no " + purpose + " step over " + capacity + " rows for the program of "
                    + p.model() + " (supports rows: " + supports(p) + ")");
        }
        return new BatchLowering(p, purpose, capacity).run();
    }

    /** The values that differ between samples: inputs, targets, dropout masks, and whatever a step computes from them. */
    private static Set<Var> perSample(LoopProgram p) {
        Set<Var> found = new LinkedHashSet<>(p.inputs());
        found.addAll(p.targets());
        p.steps().stream().filter(s -> s instanceof Step.Mask).forEach(s -> found.add(s.out()));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Step s : p.steps()) {
                Var out = s.out();
                if (out.role() == Var.Role.TEMP && !found.contains(out) && s.reads().stream().anyMatch(found::contains)) {
                    found.add(out);
                    changed = true;
                }
            }
        }
        return found;
    }

    private RowProgram run() {
        List<RowProgram.Rows> samples = new ArrayList<>();
        p.inputs().forEach(v -> samples.add(rows.get(v)));
        p.targets().forEach(v -> samples.add(rows.get(v)));
        steps.add(new RowStep.Gather(samples));
        // consecutive steps that run sample by sample share one loop over the rows
        List<Step> perRow = new ArrayList<>();
        for (Step s : p.steps()) {
            RowStep whole = whole(s);
            if (whole == null) {
                perRow.add(s);
                continue;
            }
            flush(perRow);
            steps.add(whole);
        }
        flush(perRow);
        Var loss = p.loss();
        steps.add(rows.containsKey(loss) ? new RowStep.SumLoss(rows.get(loss)) : new RowStep.SharedLoss(loss));
        List<Var> shared = p.temps().stream().filter(v -> !rows.containsKey(v)).toList();
        return new RowProgram(p, purpose, capacity, List.copyOf(rows.values()), List.copyOf(operandRows.values()), shared, steps);
    }

    private void flush(List<Step> perRow) {
        if (!perRow.isEmpty()) {
            steps.add(new RowStep.PerRow(perRow));
            perRow.clear();
        }
    }

    /** The step over the whole chunk at once, or null for a step that runs in the loop over the rows. */
    private RowStep whole(Step s) {
        Var out = s.out();
        if (out.role() == Var.Role.TEMP && !rows.containsKey(out)) {
            return new RowStep.Once(s);
        }
        if (s instanceof Step.MatMul m && rows.containsKey(out) && !m.accumulate()) {
            RowStep product = product(m);
            if (product != null) {
                return product;
            }
        }
        if (s instanceof Step.Outer o && o.accumulate() && out.role() == Var.Role.GRAD
                && dependsOnSample(o.a()) && dependsOnSample(o.b())) {
            return outer(o);
        }
        return null;
    }

    private boolean dependsOnSample(Elem e) {
        List<Var> read = new ArrayList<>();
        Elem.reads(e, read);
        return read.stream().anyMatch(rows::containsKey);
    }

    /** A matrix (shared) times a per-sample vector, either side, either read transposed: a kernel and its epilogue. */
    private RowStep product(Step.MatMul m) {
        Var a = m.a();
        Var b = m.b();
        if (a.shape().rank() == 2 && !rows.containsKey(a) && b.shape().rank() == 1 && rows.containsKey(b) && !m.bTransposed()) {
            return m.aTransposed()
                    ? kernel(RowStep.Form.NN, b, a, m, a.shape().dim(0), a.shape().dim(1))   // A' @ v = v @ A
                    : kernel(RowStep.Form.NT, b, a, m, a.shape().dim(1), a.shape().dim(0));  // A @ v
        }
        if (b.shape().rank() == 2 && !rows.containsKey(b) && a.shape().rank() == 1 && rows.containsKey(a) && !m.aTransposed()) {
            return m.bTransposed()
                    ? kernel(RowStep.Form.NT, a, b, m, b.shape().dim(1), b.shape().dim(0))   // v @ B' = B @ v
                    : kernel(RowStep.Form.NN, a, b, m, b.shape().dim(0), b.shape().dim(1));  // v @ B
        }
        return null;
    }

    private RowStep kernel(RowStep.Form form, Var vector, Var matrix, Step.MatMul m, int n, int size) {
        return new RowStep.Kernel(form, rows.get(vector), new RowProgram.Shared(matrix), rows.get(m.out()), n, size, false,
                m.epilogue(), m.term(), KernelChoice.of(form, capacity, n, size));
    }

    /** {@code dW += sum over the rows of a outer b}: the operands' rows (computed first if they are expressions), then TN. */
    private RowStep outer(Step.Outer o) {
        int m = o.out().shape().dim(0);
        int n = o.out().shape().dim(1);
        RowProgram.Buffer left = operand(o.a(), Names.operandRows(o.out().name(), true), m);
        RowProgram.Buffer right = operand(o.b(), Names.operandRows(o.out().name(), false), n);
        return new RowStep.Kernel(RowStep.Form.TN, left, right, new RowProgram.Shared(o.out()), m, n, true,
                new Elem.Product(), o.term(), KernelChoice.of(RowStep.Form.TN, capacity, m, n));
    }

    private RowProgram.Buffer operand(Elem e, String name, int length) {
        if (e instanceof Elem.Load l && rows.containsKey(l.var()) && l.var().shape().rank() == 1) {
            return rows.get(l.var());
        }
        RowProgram.OperandRows computed = new RowProgram.OperandRows(name, length, e);
        operandRows.put(name, computed);
        return computed;
    }
}
