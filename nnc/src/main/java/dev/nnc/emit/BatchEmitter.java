package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.check.CheckedModel;
import dev.nnc.lower.Elem;
import dev.nnc.lower.LoopProgram;
import dev.nnc.lower.Step;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The training step over a mini-batch at once: the per-sample program with every per-sample value
 * given a row per sample ({@code h1} becomes {@code h1_rows[r]}), so each weight loaded feeds a row
 * of samples instead of one.
 *
 * <pre>
 *   h = relu(W @ x + b)     per sample   -&gt;  NncGemm.nt(x_rows, W, h_rows, nb, in, out), then the epilogue over [nb][out]
 *   d = W' @ delta          per sample   -&gt;  NncGemm.nn(delta_rows, W, d_rows, nb, out, in)
 *   dW += delta outer x     per sample   -&gt;  NncGemm.tn(delta_rows, x_rows, dW, nb, out, in)   (summed over the batch)
 *   anything else           per sample   -&gt;  for (r &lt; nb) { the per-sample loops on row b }
 * </pre>
 *
 * A mini-batch larger than the rows allocated ({@link #capacity}) runs in chunks of that many
 * samples; the sums of the gradients are the same.
 */
final class BatchEmitter {

    /** The most rows of samples allocated: larger mini-batches run in chunks. */
    static final int MAX_CAPACITY = 256;

    private final LoopProgram train;
    /** Whether this is the evaluation program (loss and output, no gradients) rather than training's. */
    private final boolean evaluation;
    private final CheckedModel model;
    private final Types t;
    private final ClassName gemm;
    private final int capacity;
    /** The inputs, targets and temporaries that differ from sample to sample. */
    private final Set<Var> perSample;
    private final StepEmitter once;
    private final StepEmitter perRow;
    /** Rows for an operand of an outer product that is an expression, not a variable: name to length. */
    private final Map<String, Integer> operandRows = new LinkedHashMap<>();

    /** Rows of samples the evaluation runs at once (on the test data, whatever the training batch). */
    static final int EVALUATION_ROWS = 128;

    /**
     * @param train      the training program, or with {@code evaluation} the evaluation program
     * @param evaluation whether to write the evaluation over rows ({@code evaluateRows}, {@code _evalRows}
     *                   buffers) rather than the training step ({@code trainRows}, {@code _rows})
     */
    BatchEmitter(CheckedModel model, LoopProgram train, Types t, boolean vector, boolean evaluation) {
        this.model = model;
        this.train = train;
        this.t = t;
        this.evaluation = evaluation;
        this.gemm = vector ? Runtime.GEMM_VECTOR : Runtime.GEMM;
        this.capacity = evaluation ? EVALUATION_ROWS : Math.max(1, Math.min(MAX_CAPACITY, model.train().batch()));
        this.perSample = perSample(train);
        this.once = new StepEmitter(t, vector);
        this.perRow = new StepEmitter(t, perSample, evaluation ? "_evalRows" : "_rows", vector);
    }

    /**
     * Whether the program can run batched: every per-sample value is a scalar or a vector (a matrix
     * per sample would need a third dimension), and there is a loss to sum.
     */
    static boolean supports(LoopProgram train) {
        if (train.loss() == null || train.steps().isEmpty() || train.inputs().isEmpty() && train.targets().isEmpty()) {
            return false; // nothing differs between samples
        }
        for (Var v : perSample(train)) {
            if (v.shape().rank() > 1) {
                return false;
            }
        }
        return true;
    }

    /** The values that differ between samples: inputs, targets, and whatever a step computes from them. */
    private static Set<Var> perSample(LoopProgram p) {
        Set<Var> found = new LinkedHashSet<>(p.inputs());
        found.addAll(p.targets());
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

    private boolean dependsOnSample(Elem e) {
        List<Var> r = new ArrayList<>();
        Elem.reads(e, r);
        return r.stream().anyMatch(perSample::contains);
    }

    /** The rows of every per-sample value, and of the outer products' operand expressions. */
    void fields(TypeSpec.Builder type) {
        for (Var v : perSample) {
            TypeName element = v.role() == Var.Role.LABEL ? TypeName.INT : t.of(v.shape());
            CodeBlock init = v.shape().rank() == 0
                    ? CodeBlock.of("new $T[$L]", v.role() == Var.Role.LABEL ? TypeName.INT : t.scalar(), capacity)
                    : CodeBlock.of("new $T[$L][$L]", t.scalar(), capacity, v.shape().dim(0));
            type.addField(FieldSpec.builder(ArrayTypeName.of(element), perRow.rowsName(v), Modifier.PRIVATE, Modifier.FINAL)
                    .initializer(init).build());
        }
        operandRows.forEach((name, n) -> type.addField(FieldSpec.builder(ArrayTypeName.of(ArrayTypeName.of(t.scalar())), name,
                Modifier.PRIVATE, Modifier.FINAL).initializer("new $T[$L][$L]", t.scalar(), capacity, n).build()));
    }

    /** The temporaries that are the same for every sample: plain fields, computed once per chunk. */
    List<Var> sharedTemps() {
        return train.temps().stream().filter(v -> !perSample.contains(v)).toList();
    }

    /** The step emitters of the batched method, whose scratch rows the class declares with everyone else's. */
    List<StepEmitter> stepEmitters() {
        return List.of(once, perRow);
    }

    /** {@code rows(order, from, nb)}: the forward and backward pass of {@code nb} samples; returns the sum of their losses. */
    MethodSpec rowsMethod() {
        MethodSpec.Builder m;
        if (evaluation) {
            m = MethodSpec.methodBuilder("evaluateRows").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                    .returns(TypeName.DOUBLE)
                    .addJavadoc("Forward pass of samples {@code from..from + nb}, $L at most: the sum of their losses; their\n"
                            + "outputs stay in rows for {@link #outputRow}.\n", capacity)
                    .addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb");
            m.beginControlFlow("for (int r = 0; r < nb; r++)");
            m.addStatement("int s = from + r");
        } else {
            m = MethodSpec.methodBuilder("trainRows").addModifiers(Modifier.PRIVATE).returns(TypeName.DOUBLE)
                    .addJavadoc("Forward and backward pass of samples {@code order[from..from + nb)}, $L at most: adds their gradients\n"
                            + "into the d* buffers, returns the sum of their losses.\n", capacity)
                    .addParameter(ArrayTypeName.of(TypeName.INT), "order").addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb");
            m.beginControlFlow("for (int r = 0; r < nb; r++)");
            m.addStatement("int s = order[from + r]");
        }
        for (int i = 0; i < train.inputs().size(); i++) {
            m.addCode(load(model.inputs().get(i), train.inputs().get(i)));
        }
        for (int i = 0; i < train.targets().size(); i++) {
            m.addCode(load(model.targets().get(i), train.targets().get(i)));
        }
        m.endControlFlow();
        // consecutive steps that run sample by sample share one loop over the rows
        CodeBlock.Builder rowLoop = CodeBlock.builder();
        for (Step s : train.steps()) {
            CodeBlock whole = step(s);
            if (whole == null) {
                rowLoop.add(perRow.step(s));
                continue;
            }
            flush(m, rowLoop);
            rowLoop = CodeBlock.builder();
            m.addCode(whole);
        }
        flush(m, rowLoop);
        Var loss = train.loss();
        if (!perSample.contains(loss)) {
            return m.addStatement("return $N * (double) nb", loss.name()).build(); // the same loss for every sample
        }
        m.addStatement("double sum = 0");
        m.beginControlFlow("for (int r = 0; r < nb; r++)").addStatement("sum += $N[r]", perRow.rowsName(loss)).endControlFlow();
        return m.addStatement("return sum").build();
    }

    private static void flush(MethodSpec.Builder m, CodeBlock.Builder rowLoop) {
        if (!rowLoop.isEmpty()) {
            m.beginControlFlow("for (int r = 0; r < nb; r++)").addCode(rowLoop.build()).endControlFlow();
        }
    }

    private CodeBlock load(CheckedModel.Variable v, Var into) {
        String data = "data_" + v.name();
        String rows = perRow.rowsName(into);
        Shape s = v.shape();
        if (v.onehot() || s.isScalar()) {
            return CodeBlock.of("$N[r] = $N[s];\n", rows, data);
        }
        return CodeBlock.of("$T.arraycopy($N, s * $L, $N[r], 0, $L);\n", System.class, data, s.dim(0), rows, s.dim(0));
    }

    /** The step's code over the whole batch, or null for a step that runs in the loop over the rows. */
    private CodeBlock step(Step s) {
        Var out = s.out();
        if (out.role() == Var.Role.TEMP && !perSample.contains(out)) {
            return once.step(s); // the same for every sample: once per chunk
        }
        if (s instanceof Step.MatMul m && perSample.contains(out) && !m.accumulate()) {
            CodeBlock product = product(m);
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

    /** A matrix (shared) times a per-sample vector, either side, either read transposed: a kernel call, then the epilogue. */
    private CodeBlock product(Step.MatMul m) {
        Var a = m.a();
        Var bv = m.b();
        CodeBlock call;
        int cols;
        if (a.shape().rank() == 2 && !perSample.contains(a) && bv.shape().rank() == 1 && perSample.contains(bv) && !m.bTransposed()) {
            cols = m.aTransposed() ? a.shape().dim(1) : a.shape().dim(0);
            call = m.aTransposed()
                    ? kernel("nn", bv, a, m.out(), a.shape().dim(0), a.shape().dim(1))   // A' @ v = v @ A
                    : kernel("nt", bv, a, m.out(), a.shape().dim(1), a.shape().dim(0));  // A @ v
        } else if (bv.shape().rank() == 2 && !perSample.contains(bv) && a.shape().rank() == 1 && perSample.contains(a) && !m.aTransposed()) {
            cols = m.bTransposed() ? bv.shape().dim(0) : bv.shape().dim(1);
            call = m.bTransposed()
                    ? kernel("nt", a, bv, m.out(), bv.shape().dim(1), bv.shape().dim(0))  // v @ B' = B @ v
                    : kernel("nn", a, bv, m.out(), bv.shape().dim(0), bv.shape().dim(1)); // v @ B
        } else {
            return null;
        }
        String rows = perRow.rowsName(m.out());
        CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", m.term().replace("$", "$$")).addStatement(call);
        if (!(m.epilogue() instanceof Elem.Product)) {
            b.beginControlFlow("for (int r = 0; r < nb; r++)");
            b.addStatement("$T[] row = $N[r]", t.scalar(), rows);
            b.beginControlFlow("for (int i = 0; i < $L; i++)", cols);
            b.addStatement("row[i] = $L", perRow.expr(m.epilogue(), List.of("i"), "row[i]"));
            b.endControlFlow().endControlFlow();
        }
        return b.build();
    }

    private CodeBlock kernel(String form, Var left, Var right, Var out, int n, int m) {
        return CodeBlock.of("$T.$L($N, $N, $N, nb, $L, $L)", gemm, form, perRow.rowsName(left), right.name(), perRow.rowsName(out), n, m);
    }

    /** {@code dW += sum over the batch of a outer b}: the operands' rows (materialized if they are expressions), then tn. */
    private CodeBlock outer(Step.Outer o) {
        CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", o.term().replace("$", "$$"));
        int m = o.out().shape().dim(0);
        int n = o.out().shape().dim(1);
        String left = operand(b, o.a(), o.out().name() + "_left", m);
        String right = operand(b, o.b(), o.out().name() + "_right", n);
        return b.addStatement("$T.tn($N, $N, $N, nb, $L, $L)", gemm, left, right, o.out().name(), m, n).build();
    }

    private String operand(CodeBlock.Builder b, Elem e, String name, int n) {
        if (e instanceof Elem.Load l && perSample.contains(l.var()) && l.var().shape().rank() == 1) {
            return perRow.rowsName(l.var());
        }
        operandRows.put(name, n);
        b.beginControlFlow("for (int r = 0; r < nb; r++)");
        b.beginControlFlow("for (int i = 0; i < $L; i++)", n);
        b.addStatement("$N[r][i] = $L", name, perRow.expr(e, List.of("i"), null));
        b.endControlFlow().endControlFlow();
        return name;
    }

    int capacity() {
        return capacity;
    }

    /**
     * The evaluation's {@code evaluate(s)}: a block of one row, its output copied to the per-sample
     * buffer {@code output(into)} reads, so the forward pass is written once, over rows.
     */
    MethodSpec evaluateOneMethod(Var sampleOutput) {
        Var out = train.output();
        MethodSpec.Builder m = MethodSpec.methodBuilder("evaluate").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("Forward pass of sample {@code s} as a block of one row of {@link #evaluateRows}: its loss, and its\n"
                        + "output in {@code $L}.\n", sampleOutput.name())
                .returns(TypeName.DOUBLE).addParameter(TypeName.INT, "s")
                .addStatement("double l = evaluateRows(s, 1)");
        if (perSample.contains(out)) {
            if (out.isScalar()) {
                m.addStatement("$N = $N[0]", sampleOutput.name(), perRow.rowsName(out));
            } else {
                m.addStatement("System.arraycopy($N[0], 0, $N, 0, $L)", perRow.rowsName(out), sampleOutput.name(), out.shape().dim(0));
            }
        } else if (out.isScalar()) {
            m.addStatement("$N = $N", sampleOutput.name(), out.name());
        } else {
            m.addStatement("System.arraycopy($N, 0, $N, 0, $L)", out.name(), sampleOutput.name(), out.shape().dim(0));
        }
        return m.addStatement("return l").build();
    }

    /** The evaluation's {@code outputRow(r, into)}: row {@code r}'s output, widened to double. */
    MethodSpec outputRowMethod() {
        Var out = train.output();
        MethodSpec.Builder m = MethodSpec.methodBuilder("outputRow").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("Copies the output of row {@code r} of the last {@link #evaluateRows} into {@code into}.\n")
                .addParameter(TypeName.INT, "r").addParameter(ArrayTypeName.of(TypeName.DOUBLE), "into");
        String value = perSample.contains(out) ? perRow.rowsName(out) + "[r]" : out.name();
        if (out.isScalar()) {
            return m.addStatement("into[0] = $L", value).build();
        }
        return m.beginControlFlow("for (int i = 0; i < $L; i++)", out.shape().dim(0))
                .addStatement("into[i] = $L[i]", value).endControlFlow().build();
    }
}
