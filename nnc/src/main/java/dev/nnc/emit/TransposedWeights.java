package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.lower.LoopProgram;
import dev.nnc.lower.Step;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The prediction's transposed copies of weight matrices. A product of a parameter matrix and a
 * vector ({@code W @ x}, or {@code x @ W'}) is a dot product per row of W, a float reduction the JIT
 * does not vectorize; over a copy {@code W'} it becomes axpy over contiguous rows ({@code out[j] +=
 * x[p] * W'[p][j]}), which it does when W has eight rows or more, and each sum runs in {@code p}
 * order as the batched kernels sum.
 *
 * <pre>
 *   h1 = relu(h1.W @ x + h1.b)   -&gt;   transposed_h1_W = h1.W' (kept while the weights do not change)
 *                                     h1[j] = relu(sum over p of x[p] * transposed_h1_W[p][j] + h1.b[j])
 * </pre>
 *
 * Each {@code Work} keeps its own copies, so threads that predict share nothing they write. The model
 * counts changes of its weights ({@code weightsVersion}: every update, setWeights and setState adds
 * one), and a Work transposes again when its copies are from an older count: what training changes is
 * seen by the next prediction, and a prediction between two updates pays for one transposition.
 */
final class TransposedWeights {

    /** The model's field that counts changes of the weights. */
    static final String VERSION = "weightsVersion";
    /** The Work's field: the count its copies were made at. */
    static final String COPIED_AT = "transposedVersion";

    private final Types t;
    /** Parameter to its copy, in the order the prediction first reads them. */
    private final Map<Var, Var> copies = new LinkedHashMap<>();

    /** The copies the steps of {@code predict} read: none in a Vector API model, whose {@code W @ x} is a kernel call. */
    TransposedWeights(LoopProgram predict, Types types, boolean vector) {
        this.t = types;
        if (!vector) {
            for (Step s : predict.steps()) {
                if (s instanceof Step.MatMul m) {
                    Var w = weightOf(m);
                    if (w != null) {
                        copies.computeIfAbsent(w, p -> new Var("transposed_" + p.name(),
                                Shape.of(p.shape().dim(1), p.shape().dim(0)), Var.Role.TEMP));
                    }
                }
            }
        }
    }

    /** Whether the prediction reads any copy. */
    boolean any() {
        return !copies.isEmpty();
    }

    /** Outputs a product needs for its copy to pay: a row of the copy at least this long vectorizes. */
    private static final int MIN_OUTPUTS = 8;

    /**
     * The parameter matrix of a matrix-vector product that is a dot product per row of it, with at
     * least {@value #MIN_OUTPUTS} rows, or null.
     */
    private static Var weightOf(Step.MatMul m) {
        Var w = null;
        if (m.b().shape().rank() == 1 && !m.aTransposed() && m.a().shape().rank() == 2) {
            w = m.a();
        } else if (m.a().shape().rank() == 1 && m.bTransposed() && m.b().shape().rank() == 2) {
            w = m.b();
        }
        return w != null && w.role() == Var.Role.PARAM && w.shape().dim(0) >= MIN_OUTPUTS ? w : null;
    }

    /** {@code m} as {@code x @ W'} over W's copy, or null when it reads no copy. */
    Step.MatMul overCopy(Step.MatMul m) {
        Var w = weightOf(m);
        Var copy = w != null ? copies.get(w) : null;
        if (copy == null) {
            return null;
        }
        Var x = w == m.a() ? m.b() : m.a();
        return new Step.MatMul(m.out(), x, false, copy, false, m.epilogue(), m.accumulate(), m.term());
    }

    /** The model's count of weight changes. */
    FieldSpec versionField() {
        return FieldSpec.builder(TypeName.LONG, VERSION, Modifier.PRIVATE)
                .addJavadoc("How many times the weights changed: each Work transposes its copies again when they are older.\n")
                .build();
    }

    /** The Work's copies (made on its first prediction) and the count they were made at. */
    java.util.List<FieldSpec> workFields() {
        java.util.List<FieldSpec> fields = new java.util.ArrayList<>();
        boolean first = true;
        for (Var copy : copies.values()) {
            FieldSpec.Builder f = FieldSpec.builder(t.of(copy.shape()), copy.name(), Modifier.PRIVATE);
            if (first) {
                f.addJavadoc("The weight matrices the prediction reads, transposed (see {@code transposeWeights}).\n");
            }
            fields.add(f.build());
            first = false;
        }
        fields.add(FieldSpec.builder(TypeName.LONG, COPIED_AT, Modifier.PRIVATE).initializer("-1")
                .addJavadoc("The {@code $L} the copies were made at.\n", VERSION).build());
        return fields;
    }

    /** {@code transposeWeights()}: every copy made again from the weights. */
    MethodSpec transposeMethod() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("transposeWeights").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Copies the weights the prediction reads, transposed: {@code W @ x} runs as rows of {@code W'}\n"
                        + "scaled and added, which the JIT vectorizes.\n");
        copies.forEach((w, copy) -> m.addStatement("$N = $T.transpose($N, $N)", copy.name(), Runtime.ARRAYS, w.name(), copy.name()));
        return m.addStatement("$N = $N", COPIED_AT, VERSION).build();
    }

    /** The first statement of a prediction: the copies made again if the weights changed since. */
    CodeBlock refresh() {
        return CodeBlock.builder().beginControlFlow("if ($N != $N)", COPIED_AT, VERSION)
                .addStatement("transposeWeights()").endControlFlow().build();
    }

    /** {@code method} (update, setWeights, setState) counting the change of the weights it makes; as it is when no copy exists. */
    MethodSpec counting(MethodSpec method) {
        return any() ? method.toBuilder().addStatement("$N++", VERSION).build() : method;
    }

    /**
     * A predictor's copies: its weights never change, so each copy is a constant made once as the
     * class loads, {@code private static final float[][] transposed_W1 = transpose(W1)}.
     */
    java.util.List<FieldSpec> constantFields() {
        java.util.List<FieldSpec> fields = new java.util.ArrayList<>();
        copies.forEach((w, copy) -> fields.add(FieldSpec.builder(t.of(copy.shape()), copy.name(), Modifier.PRIVATE, Modifier.STATIC,
                Modifier.FINAL).addJavadoc("{@code $L} transposed: {@code W @ x} runs as rows of {@code W'} scaled and added.\n", w.name())
                .initializer("transpose($N)", w.name()).build()));
        return fields;
    }

    /** The predictor's {@code transpose(a)}: a new array, {@code [j][i] = a[i][j]}. */
    MethodSpec transposeFunction() {
        TypeName matrix = com.palantir.javapoet.ArrayTypeName.of(com.palantir.javapoet.ArrayTypeName.of(t.scalar()));
        return MethodSpec.methodBuilder("transpose").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(matrix)
                .addParameter(matrix, "a")
                .addStatement("$T out = new $T[a[0].length][a.length]", matrix, t.scalar())
                .beginControlFlow("for (int i = 0; i < a.length; i++)")
                .beginControlFlow("for (int j = 0; j < a[0].length; j++)").addStatement("out[j][i] = a[i][j]").endControlFlow()
                .endControlFlow().addStatement("return out").build();
    }
}
