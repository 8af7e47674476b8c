package dev.nnc.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.check.CheckedModel;
import dev.nnc.lower.BatchLowering;
import dev.nnc.lower.Elem;
import dev.nnc.lower.KernelChoice;
import dev.nnc.lower.Lowering;
import dev.nnc.lower.Names;
import dev.nnc.lower.RowProgram;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.lower.RowStep;
import dev.nnc.lower.Step;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@link RowProgram}, the training step (or the evaluation) over a chunk of samples that
 * {@link BatchLowering} decided, as Java: its rows as fields and {@code trainRows} (or
 * {@code evaluateRows}), one statement or loop per step.
 *
 * <pre>
 *   Kernel NT(x_rows, W -&gt; h_rows), relu(product + b)  -&gt;  NncGemm.nt(x_rows, W, h_rows, nb, in, out), then the epilogue over [nb][out]
 *   Kernel NN(delta_rows, W -&gt; d_rows)                  -&gt;  NncGemm.nn(delta_rows, W, d_rows, nb, out, in)
 *   Kernel TN(delta_rows, x_rows -&gt; dW)                 -&gt;  NncGemm.tn(delta_rows, x_rows, dW, nb, out, in)
 *   PerRow(steps)                                       -&gt;  for (r &lt; nb) { the per-sample loops on row r }
 * </pre>
 */
final class BatchEmitter {

    private final RowProgram program;
    private final TrainerProgram model;
    private final Types t;
    /** Whether the trainer has the Vector API's kernels, for the products {@link KernelChoice#vector} gives them. */
    private final boolean vector;
    private final StepEmitter once;
    private final StepEmitter perRow;
    private final List<MethodSpec> stepMethods = new ArrayList<>();

    /**
     * @param rows the training step over rows ({@code trainRows}, {@code _rows} buffers) or the
     *             evaluation's ({@code evaluateRows}, {@code _evalRows}), as the trainer program has it
     */
    BatchEmitter(TrainerProgram model, RowProgram rows, Types t, boolean vector) {
        this.program = rows;
        this.model = model;
        this.t = t;
        this.vector = vector;
        Map<Var, String> names = new LinkedHashMap<>();
        program.rows().forEach(r -> names.put(r.value(), r.name()));
        this.once = new StepEmitter(t, vector);
        this.perRow = new StepEmitter(t, names, vector);
    }

    private boolean evaluation() {
        return program.purpose() == Lowering.Purpose.INFER;
    }

    /** The rows of every per-sample value, and of the outer products' operand expressions. */
    void fields(TypeSpec.Builder type) {
        int capacity = program.capacity();
        for (RowProgram.Rows rows : program.rows()) {
            Var v = rows.value();
            TypeName element = v.role() == Var.Role.LABEL ? TypeName.INT : t.of(v.shape());
            CodeBlock init = v.shape().rank() == 0
                    ? CodeBlock.of("new $T[$L]", v.role() == Var.Role.LABEL ? TypeName.INT : t.scalar(), capacity)
                    : CodeBlock.of("new $T[$L][$L]", t.scalar(), capacity, v.shape().dim(0));
            type.addField(FieldSpec.builder(ArrayTypeName.of(element), rows.name(), Modifier.PRIVATE, Modifier.FINAL)
                    .initializer(init).build());
        }
        for (RowProgram.OperandRows rows : program.operandRows()) {
            type.addField(FieldSpec.builder(ArrayTypeName.of(ArrayTypeName.of(t.scalar())), rows.name(), Modifier.PRIVATE,
                    Modifier.FINAL).initializer("new $T[$L][$L]", t.scalar(), capacity, rows.length()).build());
        }
    }

    /** The temporaries that are the same for every sample: plain fields, computed once per chunk. */
    List<Var> sharedTemps() {
        return program.shared();
    }

    /** The step emitters of the batched method, whose scratch rows the class declares with everyone else's. */
    List<StepEmitter> stepEmitters() {
        return List.of(once, perRow);
    }

    /** {@code rows(order, from, nb)}: the forward and backward pass of {@code nb} samples; returns the sum of their losses. */
    MethodSpec rowsMethod() {
        MethodSpec.Builder m;
        if (evaluation()) {
            m = MethodSpec.methodBuilder("evaluateRows").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                    .returns(TypeName.DOUBLE)
                    .addJavadoc("Forward pass of samples {@code from..from + nb}, $L at most: the sum of their losses; their\n"
                            + "outputs stay in rows for {@link #outputRow}. The steps before {@code step} are skipped: their rows\n"
                            + "hold what they computed for these samples last time (see {@link #evaluationStep}).\n", program.capacity())
                    .addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb").addParameter(TypeName.INT, "step");
        } else {
            m = MethodSpec.methodBuilder("trainRows").addModifiers(Modifier.PRIVATE).returns(TypeName.DOUBLE)
                    .addJavadoc("Forward and backward pass of samples {@code order[from..from + nb)}, $L at most: adds their gradients\n"
                            + "into the d* buffers, returns the sum of their losses.\n", program.capacity())
                    .addParameter(ArrayTypeName.of(TypeName.INT), "order").addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb");
        }
        List<RowStep> steps = program.steps();
        for (int index = 0; index < steps.size(); index++) {
            RowStep s = steps.get(index);
            CodeBlock code = null;
            if (s instanceof RowStep.Gather g) {
                code = gather(g);
            } else if (s instanceof RowStep.Kernel k) {
                code = kernel(k);
            } else if (s instanceof RowStep.PerRow pr) {
                CodeBlock.Builder loop = CodeBlock.builder();
                pr.steps().forEach(step -> loop.add(perRow.step(step)));
                code = overRows(loop.build());
            } else if (s instanceof RowStep.Once o) {
                code = once.step(o.step());
            }
            if (code != null && evaluation()) {
                m.addCode(CodeBlock.builder().beginControlFlow("if (step <= $L)", index).add(code).endControlFlow().build());
            } else if (code != null) {
                m.addStatement(s instanceof RowStep.Gather ? "$N(order, from, nb)" : "$N(nb)", stepMethod(s, code));
            } else if (s instanceof RowStep.SumLoss l) {
                m.addStatement("double sum = 0");
                m.addCode(overRows(CodeBlock.builder().addStatement("sum += $N[r]", l.loss().name()).build()));
                m.addStatement("return sum");
            } else if (s instanceof RowStep.SharedLoss l) {
                m.addStatement("return $N * (double) nb", l.loss().name()); // the same loss for every sample
            }
        }
        return m.build();
    }

    /**
     * {@code trainRows}'s step {@code s} as a method of its own, which it calls: so that the JIT
     * compiles the loops of a step one small method at a time. In one method of every step's
     * loops, the loops in turn got hot in a run's first steps, and C2 compiled the whole method
     * from each (on-stack replacement), 0.3-0.5 s apiece for a 64-wide model of three layers,
     * one after the other on its one thread: 2 s before the step ran compiled. Returns its name.
     */
    private String stepMethod(RowStep s, CodeBlock code) {
        String base;
        if (s instanceof RowStep.Kernel k) {
            base = k.out() instanceof RowProgram.Rows r ? r.value().name() : k.out().name();
        } else if (s instanceof RowStep.PerRow pr) {
            base = pr.steps().get(0).out().name();
        } else if (s instanceof RowStep.Once o) {
            base = o.step().out().name();
        } else {
            base = "gather";
        }
        MethodSpec.Builder m = stepMethod(base, stepMethods, "trainRows", s.term());
        if (s instanceof RowStep.Gather) {
            m.addParameter(ArrayTypeName.of(TypeName.INT), "order").addParameter(TypeName.INT, "from");
        }
        MethodSpec method = m.addParameter(TypeName.INT, "nb").addCode(code).build();
        stepMethods.add(method);
        return method.name();
    }

    /**
     * A private method for a step of {@code caller} that writes {@code base}, named {@code stepBase}
     * (with a number after it when {@code existing} has that name already), its Javadoc the step's term.
     */
    static MethodSpec.Builder stepMethod(String base, List<MethodSpec> existing, String caller, String term) {
        String stem = "step" + Character.toUpperCase(base.charAt(0)) + base.substring(1).replaceAll("[^A-Za-z0-9_]", "_");
        java.util.Set<String> taken = new java.util.HashSet<>();
        existing.forEach(m -> taken.add(m.name()));
        String name = stem;
        for (int n = 2; taken.contains(name); n++) {
            name = stem + "_" + n;
        }
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
                .addJavadoc("A step of {@link #$L}: $L.\n", caller, term.replace("*/", "*&#47;"));
    }

    /** The methods of {@code trainRows}'s steps, after {@link #rowsMethod} (none for the evaluation). */
    List<MethodSpec> stepMethods() {
        return List.copyOf(stepMethods);
    }

    /** The evaluation's {@code evaluateRows(from, nb)}: every step. */
    MethodSpec allRowsMethod() {
        return MethodSpec.methodBuilder("evaluateRows").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.DOUBLE).addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb")
                .addStatement("return evaluateRows(from, nb, 0)").build();
    }

    /**
     * The evaluation's {@code evaluationStep(p)}: the first step of {@code evaluateRows} that a change
     * of parameter {@code p} makes compute anything else, for each parameter in the order of
     * {@code params}. That is the first step that reads it, or an earlier one that writes a value a
     * step from there adds into (such a step would add twice), and so on; a parameter the evaluation
     * does not read gets the step of the loss.
     */
    MethodSpec evaluationStepMethod(List<Var> params) {
        List<CodeBlock> firsts = new ArrayList<>();
        for (Var p : params) {
            firsts.add(CodeBlock.of("$L", firstStep(p)[0]));
        }
        return MethodSpec.methodBuilder("evaluationStep").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.INT).addParameter(TypeName.INT, "p")
                .addStatement("return new int[] {$L}[p]", CodeBlock.join(firsts, ", ")).build();
    }

    /**
     * The evaluation's {@code evaluationColumns(p)}: when the first step a change of {@code p} needs
     * is a product {@code rows @ W'} of which only one column depends on each element of {@code p}
     * (p is W, whose row i feeds column i, or a vector the epilogue reads at column i), the number
     * of elements per column (W's row length, or 1); else 0.
     */
    MethodSpec evaluationColumnsMethod(List<Var> params) {
        List<CodeBlock> divisors = new ArrayList<>();
        for (Var p : params) {
            divisors.add(CodeBlock.of("$L", columns(p)));
        }
        return MethodSpec.methodBuilder("evaluationColumns").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.INT).addParameter(TypeName.INT, "p")
                .addStatement("return new int[] {$L}[p]", CodeBlock.join(divisors, ", ")).build();
    }

    /**
     * Elements of {@code p} per column of its first step's rows, or 0 (see {@link #evaluationColumnsMethod});
     * 0 for the Vector API's products, whose fused multiply-adds a dot product would not round alike.
     */
    private int columns(Var p) {
        int[] first = firstStep(p);
        if (first[1] != 0 || first[0] >= program.steps().size()
                || !(program.steps().get(first[0]) instanceof RowStep.Kernel k) || k.form() != RowStep.Form.NT || onVectors(k)
                || !(k.left() instanceof RowProgram.Rows) || !(k.right() instanceof RowProgram.Shared right)) {
            return 0;
        }
        List<java.util.Set<String>> reads = new ArrayList<>();
        List<java.util.Set<String>> writes = new ArrayList<>();
        access(reads, writes);
        for (int later = first[0] + 1; later < writes.size(); later++) {
            if (!java.util.Collections.disjoint(writes.get(first[0]), writes.get(later))) {
                return 0; // a later step adds into the product's rows: its other columns are not as the step left them
            }
        }
        List<Elem> loads = new ArrayList<>();
        boolean other = epilogueReads(k.epilogue(), p, loads);
        boolean isW = right.var().name().equals(p.name());
        if (other) {
            return 0;
        }
        if (isW && loads.isEmpty() && p.shape().rank() == 2) {
            return k.n();
        }
        if (!isW && !loads.isEmpty() && p.shape().rank() == 1 && p.shape().dim(0) == k.m()) {
            return 1;
        }
        return 0;
    }

    /** Collects the plain loads of {@code p} in {@code e}; true when {@code e} reads it some other way. */
    private static boolean epilogueReads(Elem e, Var p, List<Elem> loads) {
        if (e instanceof Elem.Load l) {
            if (l.var().name().equals(p.name())) {
                loads.add(l);
            }
            return false;
        } else if (e instanceof Elem.Apply a) {
            boolean other = false;
            for (Elem x : a.args()) {
                other |= epilogueReads(x, p, loads);
            }
            return other;
        } else if (e instanceof Elem.Slice sl) {
            return sl.var().name().equals(p.name());
        } else if (e instanceof Elem.Embed em) {
            return em.var().name().equals(p.name());
        }
        return false;
    }

    /**
     * {@code evaluateRows(from, nb, step, j, m)}: only columns {@code j} and {@code m} of the product of
     * step {@code step} (one whose parameters {@link #columns} allows), each a dot product in the
     * kernel's order with the epilogue after it, then the steps after it; any other step as
     * {@code evaluateRows(from, nb, step)}.
     */
    MethodSpec columnsMethod(List<Var> params) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("evaluateRows").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .returns(TypeName.DOUBLE).addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "nb")
                .addParameter(TypeName.INT, "step").addParameter(TypeName.INT, "j").addParameter(TypeName.INT, "m");
        java.util.Set<Integer> done = new java.util.TreeSet<>();
        for (Var p : params) {
            if (columns(p) == 0) {
                continue;
            }
            int index = firstStep(p)[0];
            if (!done.add(index)) {
                continue;
            }
            RowStep.Kernel k = (RowStep.Kernel) program.steps().get(index);
            RowProgram.Shared right = (RowProgram.Shared) k.right();
            CodeBlock value = k.epilogue() instanceof Elem.Product ? CodeBlock.of("acc")
                    : perRow.expr(k.epilogue(), List.of("i"), CodeBlock.of("acc"));
            m.beginControlFlow("if (step == $L)", index)
                    .beginControlFlow("for (int r = 0; r < nb; r++)")
                    .addStatement("$T[] row = $N[r]", t.scalar(), k.out().name())
                    .addStatement("$T[] lp = $N[r]", t.scalar(), k.left().name())
                    .beginControlFlow("for (int p = 0; p < (j == m ? 1 : 2); p++)")
                    .addStatement("int i = p == 0 ? j : m")
                    .addStatement("$T[] rp = $N[i]", t.scalar(), right.var().name())
                    .addStatement("$T acc = 0", t.scalar())
                    .beginControlFlow("for (int k = 0; k < $L; k++)", k.n())
                    .addStatement("acc += lp[k] * rp[k]")
                    .endControlFlow()
                    .addStatement("row[i] = $L", value)
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("return evaluateRows(from, nb, $L)", index + 1)
                    .endControlFlow();
        }
        return m.addStatement("return evaluateRows(from, nb, step)").build();
    }

    /**
     * The first step a change of {@code p} needs, and 1 when that is not its first reader (moved back
     * to an earlier writer of a value a later step writes too), else 0.
     */
    private int[] firstStep(Var p) {
        List<RowStep> steps = program.steps();
        List<java.util.Set<String>> reads = new ArrayList<>();
        List<java.util.Set<String>> writes = new ArrayList<>();
        access(reads, writes);
        return firstStepOf(p, reads, writes);
    }

    /** What each step reads and writes, by name. */
    private void access(List<java.util.Set<String>> reads, List<java.util.Set<String>> writes) {
        for (RowStep s : program.steps()) {
            java.util.Set<String> r = new java.util.HashSet<>();
            java.util.Set<String> w = new java.util.HashSet<>();
            if (s instanceof RowStep.Kernel k) {
                for (RowProgram.Buffer b : List.of(k.left(), k.right())) {
                    if (b instanceof RowProgram.Shared shared) {
                        r.add(shared.var().name());
                    } else if (b instanceof RowProgram.OperandRows o) {
                        names(o.value(), r);
                    }
                }
                names(k.epilogue(), r);
                w.add(k.out() instanceof RowProgram.Rows rows ? rows.value().name() : k.out().name());
            } else if (s instanceof RowStep.PerRow pr) {
                for (Step step : pr.steps()) {
                    step.reads().forEach(v -> r.add(v.name()));
                    w.add(step.out().name());
                }
            } else if (s instanceof RowStep.Once o) {
                o.step().reads().forEach(v -> r.add(v.name()));
                w.add(o.step().out().name());
            } else if (s instanceof RowStep.Gather g) {
                g.into().forEach(rows -> w.add(rows.value().name()));
            }
            reads.add(r);
            writes.add(w);
        }
    }

    private int[] firstStepOf(Var p, List<java.util.Set<String>> reads, List<java.util.Set<String>> writes) {
        List<RowStep> steps = program.steps();
        int first = steps.size();
        for (int k = 0; k < steps.size(); k++) {
            if (reads.get(k).contains(p.name())) {
                first = k;
                break;
            }
        }
        int reader = first;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int k = 0; k < first && !moved; k++) {
                for (int later = first; later < steps.size(); later++) {
                    if (!java.util.Collections.disjoint(writes.get(k), writes.get(later))) {
                        first = k;
                        moved = true;
                        break;
                    }
                }
            }
        }
        return new int[] {first, first == reader ? 0 : 1};
    }

    /** The names of the variables {@code e} reads. */
    private static void names(dev.nnc.lower.Elem e, java.util.Set<String> into) {
        List<Var> vars = new ArrayList<>();
        dev.nnc.lower.Elem.reads(e, vars);
        vars.forEach(v -> into.add(v.name()));
    }

    /** {@code for (int r = 0; r < nb; r++) { body }}. */
    private static CodeBlock overRows(CodeBlock body) {
        return CodeBlock.builder().beginControlFlow("for (int r = 0; r < nb; r++)").add(body).endControlFlow().build();
    }

    /** Row {@code r} of each input and target from the data set: sample {@code order[from + r]}, or {@code from + r} in the evaluation. */
    private CodeBlock gather(RowStep.Gather g) {
        List<CheckedModel.Variable> variables = new ArrayList<>(model.inputs());
        variables.addAll(model.targets());
        CodeBlock.Builder b = CodeBlock.builder().addStatement(evaluation() ? "int s = from + r" : "int s = order[from + r]");
        for (int i = 0; i < g.into().size(); i++) {
            b.add(load(variables.get(i), i < model.inputs().size(), g.into().get(i)));
        }
        return overRows(b.build());
    }

    private static CodeBlock load(CheckedModel.Variable v, boolean input, RowProgram.Rows into) {
        String data = Names.data(v.name());
        Shape s = v.shape();
        if (v.onehot() || s.isScalar()) {
            return input && !v.onehot() ? CodeBlock.of("$N[r] = $T.at($N, $N, s);\n", into.name(), Runtime.ARRAYS, data, Names.dataBytes(v.name()))
                    : CodeBlock.of("$N[r] = $N[s];\n", into.name(), data);
        }
        return TrainerEmitter.copy(v, input, "s * " + s.dim(0), into.name() + "[r]", s.dim(0));
    }

    /** The operand rows it reads that are expressions, the runtime's kernel, then the epilogue over each row. */
    private CodeBlock kernel(RowStep.Kernel k) {
        CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", k.term().replace("$", "$$"));
        for (RowProgram.Buffer operand : List.of(k.left(), k.right())) {
            if (operand instanceof RowProgram.OperandRows o) {
                b.add(overRows(CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", o.length())
                        .addStatement("$N[r][i] = $L", o.name(), perRow.expr(o.value(), List.of("i"), null))
                        .endControlFlow().build()));
            }
        }
        String form = switch (k.form()) {
            case NT -> "nt";
            case NN -> "nn";
            case TN -> "tn";
        };
        // the narrow kernels are plain Java in either runtime: their loops are too short for vectors
        String call = switch (k.kernel()) {
            case GEMM -> form;
            case SAMPLES -> "ntSamples";
            case DOT -> "ntDot";
            case NARROW -> "tnNarrow";
        };
        java.util.function.Function<ClassName, CodeBlock> on = kernels -> CodeBlock.of("$T.$L($N, $N, $N, nb, $L, $L)", kernels, call,
                k.left().name(), k.right().name(), k.out().name(), k.n(), k.m());
        if (onVectors(k)) {
            // the run decides (NncModel.useVectorApi): a short run's work does not pay for the Vector API's compile
            b.beginControlFlow("if ($N)", Names.VECTOR_KERNELS).addStatement(on.apply(Runtime.GEMM_VECTOR))
                    .nextControlFlow("else").addStatement(on.apply(Runtime.GEMM)).endControlFlow();
        } else {
            b.addStatement(on.apply(Runtime.GEMM));
        }
        if (!(k.epilogue() instanceof Elem.Product)) {
            b.add(overRows(CodeBlock.builder().addStatement("$T[] row = $N[r]", t.scalar(), k.out().name())
                    .beginControlFlow("for (int i = 0; i < $L; i++)", k.m())
                    .addStatement("row[i] = $L", perRow.expr(k.epilogue(), List.of("i"), CodeBlock.of("row[i]")))
                    .endControlFlow().build()));
        }
        return b.build();
    }

    /**
     * Whether the kernel runs on the Vector API's kernels when the run has them on: a general product
     * in a trainer that has them, with every side {@link KernelChoice#vector} asks for. Every other
     * product sums each element in k order from zero, as a dot product does.
     */
    private boolean onVectors(RowStep.Kernel k) {
        return vector && k.kernel() == KernelChoice.GEMM && KernelChoice.vector(program.capacity(), k.n(), k.m());
    }

    int capacity() {
        return program.capacity();
    }

    /**
     * The evaluation's {@code evaluate(s)}: a block of one row, its output copied to the per-sample
     * buffer {@code output(into)} reads, so the forward pass is written once, over rows.
     */
    MethodSpec evaluateOneMethod(Var sampleOutput) {
        Var out = program.perSample().output();
        MethodSpec.Builder m = MethodSpec.methodBuilder("evaluate").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("Forward pass of sample {@code s} as a block of one row of {@link #evaluateRows}: its loss, and its\n"
                        + "output in {@code $L}.\n", sampleOutput.name())
                .returns(TypeName.DOUBLE).addParameter(TypeName.INT, "s")
                .addStatement("double l = evaluateRows(s, 1)");
        // row 0's output, or the output the same for every sample
        CodeBlock value = program.isPerSample(out) ? CodeBlock.of("$N[0]", program.rowsOf(out).name()) : CodeBlock.of("$N", out.name());
        if (out.isScalar()) {
            m.addStatement("$N = $L", sampleOutput.name(), value);
        } else {
            m.addStatement("$T.arraycopy($L, 0, $N, 0, $L)", System.class, value, sampleOutput.name(), out.shape().dim(0));
        }
        return m.addStatement("return l").build();
    }

    /** The evaluation's {@code outputRow(r, into)}: row {@code r}'s output, widened to double. */
    MethodSpec outputRowMethod() {
        Var out = program.perSample().output();
        MethodSpec.Builder m = MethodSpec.methodBuilder("outputRow").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("Copies the output of row {@code r} of the last {@link #evaluateRows} into {@code into}.\n")
                .addParameter(TypeName.INT, "r").addParameter(ArrayTypeName.of(TypeName.DOUBLE), "into");
        CodeBlock value = program.isPerSample(out) ? CodeBlock.of("$N[r]", program.rowsOf(out).name()) : CodeBlock.of("$N", out.name());
        if (out.isScalar()) {
            return m.addStatement("into[0] = $L", value).build();
        }
        return m.beginControlFlow("for (int i = 0; i < $L; i++)", out.shape().dim(0))
                .addStatement("into[i] = $L[i]", value).endControlFlow().build();
    }
}
