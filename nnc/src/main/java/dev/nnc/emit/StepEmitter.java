package dev.nnc.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnc.lower.Elem;
import dev.nnc.lower.Names;
import dev.nnc.lower.Step;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the loop nests of a {@link dev.nnc.lower.LoopProgram}'s steps. Inner loops run over the
 * last, contiguous index; a product whose inner index is shared by its result is written as axpy
 * ({@code out[j] += a * B[p][j]}, eight rows of B a pass), which the JIT vectorizes, and one whose
 * inner index is reduced as a dot with four independent accumulators. In the prediction, a weight
 * matrix's dot products become axpy over its transposed copy ({@link TransposedWeights}).
 */
final class StepEmitter {

    private final Types t;
    /** Scratch rows the axpy products need, allocated once as fields: name to length. */
    final java.util.Map<String, Integer> scratchRows = new java.util.LinkedHashMap<>();

    /** In a step over rows: each per-sample variable's rows ({@code h1_rows}), read and written as row {@code r}. */
    private final java.util.Map<Var, String> rows;

    /** Whether {@code W @ x} calls the Vector API's {@code NncGemmVector.matvec} instead of scalar dot products. */
    private final boolean vector;

    /** The class whose static methods compute the elementwise functions: the runtime's {@code NncMath}, or a copy. */
    private final ClassName math;

    /** The methods of {@link #math} the steps printed so far call, by name. */
    final java.util.Set<String> mathCalls = new java.util.TreeSet<>();

    /** The weight matrices whose products read a transposed copy (the prediction's), or null. */
    private final TransposedWeights transposed;

    StepEmitter(Types types) {
        this(types, false);
    }

    StepEmitter(Types types, boolean vector) {
        this(types, java.util.Map.of(), vector, Runtime.MATH, null);
    }

    /** The steps of the prediction, whose products of the weights in {@code transposed} read their copies. */
    StepEmitter(Types types, boolean vector, TransposedWeights transposed) {
        this(types, java.util.Map.of(), vector, Runtime.MATH, transposed);
    }

    /** @param rows the rows buffer of each per-sample variable, by the variable, in a step over rows */
    StepEmitter(Types types, java.util.Map<Var, String> rows, boolean vector) {
        this(types, rows, vector, Runtime.MATH, null);
    }

    /**
     * Plain loops whose functions are the static methods of {@code math} (a predictor's own copy of
     * them), and whose products of the weights in {@code transposed} read their copies, as the full
     * model's prediction does.
     */
    StepEmitter(Types types, ClassName math, TransposedWeights transposed) {
        this(types, java.util.Map.of(), false, math, transposed);
    }

    private StepEmitter(Types types, java.util.Map<Var, String> rows, boolean vector, ClassName math, TransposedWeights transposed) {
        this.t = types;
        this.rows = rows;
        this.vector = vector;
        this.math = math;
        this.transposed = transposed;
    }

    /** {@code NncMath.method(args)}, remembered in {@link #mathCalls}. */
    private CodeBlock call(String method, CodeBlock... args) {
        mathCalls.add(method);
        return CodeBlock.of("$T.$L($L)", math, method, CodeBlock.join(java.util.Arrays.asList(args), ", "));
    }

    /** The Java expression naming {@code v}: its field, or, for a per-sample variable of a step over rows, its row. */
    CodeBlock ref(Var v) {
        String rowsName = rows.get(v);
        return rowsName != null ? CodeBlock.of("$N[r]", rowsName) : CodeBlock.of("$N", v.name());
    }

    /**
     * The forward pass of one sample between flat arrays: the method's {@code input} (the program's
     * inputs flattened in declaration order) copied into the input buffers, the steps, and
     * {@code output} (the value {@code output} names) copied out. {@code input} and {@code output} are
     * keywords of the language, so no model value has those names.
     */
    CodeBlock forward(dev.nnc.lower.LoopProgram p, Var output) {
        CodeBlock.Builder b = CodeBlock.builder();
        int at = 0;
        for (Var in : p.inputs()) {
            Shape s = in.shape();
            if (s.isScalar()) {
                b.addStatement("$N = input[$L]", in.name(), at);
            } else if (s.rank() == 1) {
                b.addStatement("$T.arraycopy(input, $L, $N, 0, $L)", System.class, at, in.name(), s.dim(0));
            } else {
                b.beginControlFlow("for (int r = 0; r < $L; r++)", s.dim(0))
                        .addStatement("$T.arraycopy(input, $L + r * $L, $N[r], 0, $L)", System.class, at, s.dim(1), in.name(), s.dim(1))
                        .endControlFlow();
            }
            at += s.size();
        }
        for (Step s : p.steps()) {
            b.add(step(s));
        }
        Shape s = output.shape();
        if (s.isScalar()) {
            b.addStatement("output[0] = $N", output.name());
        } else if (s.rank() == 1) {
            b.addStatement("$T.arraycopy($N, 0, output, 0, $L)", System.class, output.name(), s.dim(0));
        } else {
            b.beginControlFlow("for (int r = 0; r < $L; r++)", s.dim(0))
                    .addStatement("$T.arraycopy($N[r], 0, output, r * $L, $L)", System.class, output.name(), s.dim(1), s.dim(1))
                    .endControlFlow();
        }
        return b.build();
    }

    /** The Work's generator of dropout masks (a field of every trainer with dropout). */
    static final String DROPOUT = "dropout";

    /** A fresh mask from the Work's {@code NncDropout}: 1 / (1 - p) where kept (in the model's dtype, as torch divides), else 0. */
    private void mask(CodeBlock.Builder b, Step.Mask m) {
        // a float's shortest form (1.6666666f), which javac reads back to the same float
        CodeBlock scale = t.f32() ? CodeBlock.of("$Lf", Float.toString(1f / (1f - (float) m.p()))) : t.literal(1 / (1 - m.p()));
        CodeBlock p = CodeBlock.of("$L", Double.toString(m.p()));
        Shape s = m.out().shape();
        if (s.isScalar()) {
            b.addStatement("$L = $N.draw($L, $L)", ref(m.out()), DROPOUT, p, scale);
        } else if (s.rank() == 1) {
            b.addStatement("$N.fill($L, $L, $L)", DROPOUT, ref(m.out()), p, scale);
        } else {
            b.beginControlFlow("for ($T[] row : $L)", t.scalar(), ref(m.out()))
                    .addStatement("$N.fill(row, $L, $L)", DROPOUT, p, scale).endControlFlow();
        }
    }

    CodeBlock step(Step s) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("// $L\n", s.term().replace("$", "$$"));
        if (s instanceof Step.Elementwise e) {
            elementwise(b, e.out(), e.shape(), e.value(), e.accumulate());
        } else if (s instanceof Step.MatMul m) {
            matmul(b, m);
        } else if (s instanceof Step.Outer o) {
            int m = o.out().shape().dim(0);
            int n = o.out().shape().dim(1);
            b.beginControlFlow("for (int i = 0; i < $L; i++)", m);
            b.addStatement("$T ai = $L", t.scalar(), expr(o.a(), List.of("i")));
            b.addStatement("$T[] row = $L[i]", t.scalar(), ref(o.out()));
            b.beginControlFlow("for (int j = 0; j < $L; j++)", n);
            b.addStatement("row[j] $L ai * $L", o.accumulate() ? "+=" : "=", expr(o.b(), List.of("j")));
            b.endControlFlow().endControlFlow();
        } else if (s instanceof Step.Sum sum) {
            b.addStatement("$L = 0", ref(sum.out()));
            loops(b, sum.shape(), idx -> CodeBlock.of("$L += $L;\n", ref(sum.out()), expr(sum.value(), idx)));
        } else if (s instanceof Step.Softmax sm) {
            b.add("{\n$>");
            b.addStatement("$T lse = $L", t.scalar(), logsumexp(b, sm.in()));
            loops(b, sm.in().shape(), idx -> CodeBlock.of("$L = $L;\n", element(sm.out(), idx),
                    t.cast(CodeBlock.of("Math.exp($L - lse)", element(sm.in(), idx)))));
            b.add("$<}\n");
        } else if (s instanceof Step.LogSumExp l) {
            b.addStatement("$L = $L", ref(l.out()), logsumexp(b, l.in()));
        } else if (s instanceof Step.Mask mask) {
            mask(b, mask);
        } else if (s instanceof Step.Transpose tr) {
            int m = tr.in().shape().dim(0);
            int n = tr.in().shape().dim(1);
            b.beginControlFlow("for (int i = 0; i < $L; i++)", m);
            b.beginControlFlow("for (int j = 0; j < $L; j++)", n);
            b.addStatement("$L[j][i] = $L[i][j]", ref(tr.out()), ref(tr.in()));
            b.endControlFlow().endControlFlow();
        }
        return b.build();
    }

    /**
     * logsumexp over every element of {@code v}, as the reference evaluator's kernel: the helper takes
     * a vector; a scalar is its own logsumexp; a matrix is first copied, row by row, into a flat
     * scratch row.
     */
    private CodeBlock logsumexp(CodeBlock.Builder b, Var v) {
        if (v.isScalar()) {
            return CodeBlock.of("$L", ref(v));
        }
        if (v.shape().rank() == 1) {
            return call("logsumexp", ref(v));
        }
        int rows = v.shape().dim(0);
        int cols = v.shape().dim(1);
        String flat = Names.flat(v.name());
        scratchRows.put(flat, rows * cols);
        b.beginControlFlow("for (int i = 0; i < $L; i++)", rows)
                .addStatement("$T.arraycopy($L[i], 0, $N, i * $L, $L)", System.class, ref(v), flat, cols, cols)
                .endControlFlow();
        return call("logsumexp", CodeBlock.of("$N", flat));
    }

    private interface Body {
        CodeBlock at(List<String> indices);
    }

    /** Index names of a loop nest, outermost first: {@code i}, {@code j}, then {@code k1}, {@code k2}, ... */
    static String index(int depth) {
        return depth == 0 ? "i" : depth == 1 ? "j" : "k" + (depth - 1);
    }

    /** One loop per dimension of {@code shape}, of any rank, around {@code body} at the loops' indices. */
    private static void loops(CodeBlock.Builder b, Shape shape, Body body) {
        List<String> idx = new java.util.ArrayList<>();
        for (int d = 0; d < shape.rank(); d++) {
            idx.add(index(d));
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index(d), index(d), shape.dim(d), index(d));
        }
        b.add(body.at(List.copyOf(idx)));
        for (int d = 0; d < shape.rank(); d++) {
            b.endControlFlow();
        }
    }

    private void elementwise(CodeBlock.Builder b, Var out, Shape shape, Elem value, boolean accumulate) {
        if (accumulate && value instanceof Elem.Embed em && shape.equals(em.index().of())) {
            embedInto(b, out, em);
            return;
        }
        String op = accumulate ? "+=" : "=";
        loops(b, shape, idx -> CodeBlock.of("$L $L $L;\n", element(out, idx), op, expr(value, idx)));
    }

    /**
     * {@code out += embed(g, I)}: only the elements the index takes, {@code dW[i][0] += g[i]} for
     * {@code [:, 0]}; the zeros around them add nothing.
     */
    private void embedInto(CodeBlock.Builder b, Var out, Elem.Embed em) {
        CodeBlock.Builder target = CodeBlock.builder().add(ref(out));
        CodeBlock.Builder source = CodeBlock.builder().add(ref(em.var()));
        int depth = 0;
        for (dev.nnc.tensor.Index.Axis a : em.index().axes()) {
            if (!a.kept()) {
                target.add("[$L]", a.start());
                continue;
            }
            String i = index(depth++);
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, a.length(), i);
            target.add("[$L]", shifted(i, a.start(), "+"));
            source.add("[$L]", i);
        }
        b.addStatement("$L += $L", target.build(), source.build());
        for (int d = 0; d < depth; d++) {
            b.endControlFlow();
        }
    }

    /** {@code v} at the indices {@code idx}, one subscript per dimension (a scalar is itself). */
    private CodeBlock element(Var v, List<String> idx) {
        CodeBlock.Builder b = CodeBlock.builder().add(ref(v));
        for (int d = 0; d < v.shape().rank(); d++) {
            b.add("[$L]", idx.get(d));
        }
        return b.build();
    }

    /**
     * The four products. With L the left operand as used (a, or a' when aTransposed) and R likewise:
     * L[m,n] @ R[n,k] -> [m,k]; a vector on the left is a row, on the right a column.
     */
    private void matmul(CodeBlock.Builder b, Step.MatMul m) {
        if (m.aTransposed() && m.b().shape().rank() == 1) {
            // A' @ v = v @ A: rows of A scaled and added (contiguous) instead of A's columns read with a stride
            matmul(b, new Step.MatMul(m.out(), m.b(), false, m.a(), false, m.epilogue(), m.accumulate(), m.term()));
            return;
        }
        Step.MatMul overCopy = transposed != null ? transposed.overCopy(m) : null;
        if (overCopy != null) {
            // W @ x = x @ W': rows of W's transposed copy scaled and added, instead of a dot product per row of W
            matmul(b, overCopy);
            return;
        }
        Var a = m.a();
        Var bv = m.b();
        String op = m.accumulate() ? "+=" : "=";
        boolean leftVector = a.shape().rank() == 1;
        boolean rightVector = bv.shape().rank() == 1;
        if (leftVector && rightVector) {
            int n = a.shape().dim(0);
            b.add("{\n$>");
            dot(b, n, q -> CodeBlock.of("$L[$L]", ref(a), q), q -> CodeBlock.of("$L[$L]", ref(bv), q));
            b.addStatement("$L $L $L", ref(m.out()), op, expr(m.epilogue(), List.of()));
            b.add("$<}\n");
            return;
        }
        int rows = leftVector ? 1 : (m.aTransposed() ? a.shape().dim(1) : a.shape().dim(0));
        int inner = leftVector ? a.shape().dim(0) : (m.aTransposed() ? a.shape().dim(0) : a.shape().dim(1));
        int cols = rightVector ? 1 : (m.bTransposed() ? bv.shape().dim(0) : bv.shape().dim(1));
        Function<String, CodeBlock> left = q -> leftVector ? CodeBlock.of("$L[$L]", ref(a), q)
                : m.aTransposed() ? CodeBlock.of("$L[$L][i]", ref(a), q) : CodeBlock.of("$L[i][$L]", ref(a), q);
        List<String> outIdx = leftVector ? List.of("j") : rightVector ? List.of("i") : List.of("i", "j");
        if (vector && !leftVector && rightVector && !m.aTransposed()) {
            // W @ x with the Vector API: every row's dot product at once, then the epilogue; or, when the
            // run has them off (NncModel.useVectorApi), the plain trainer's dot products
            boolean direct = !m.accumulate() && m.epilogue() instanceof Elem.Product;
            String scratch = Names.matvec(m.out().name());
            CodeBlock into = direct ? ref(m.out()) : CodeBlock.of("$N", scratch);
            if (!direct) {
                scratchRows.put(scratch, rows);
            }
            b.beginControlFlow("if ($N)", Names.VECTOR_KERNELS);
            b.addStatement("$T.matvec($L, $L, $L, $L, $L)", Runtime.GEMM_VECTOR, ref(a), ref(bv), into, rows, inner);
            if (!direct) {
                b.beginControlFlow("for (int i = 0; i < $L; i++)", rows);
                b.addStatement("$L $L $L", element(m.out(), List.of("i")), op, expr(m.epilogue(), List.of("i"), CodeBlock.of("$L[i]", into)));
                b.endControlFlow();
            }
            b.nextControlFlow("else");
            dotProducts(b, m, rows, inner, cols, left, outIdx, op);
            b.endControlFlow();
            return;
        }
        if (rightVector || m.bTransposed()) {
            dotProducts(b, m, rows, inner, cols, left, outIdx, op);
            return;
        }
        // axpy form: rows of R scaled and added into a scratch row, then the epilogue
        String scratch = Names.scratch(m.out().name());
        scratchRows.put(scratch, cols);
        if (!leftVector) {
            b.beginControlFlow("for (int i = 0; i < $L; i++)", rows);
        }
        b.addStatement("$T.fill($N, $L)", java.util.Arrays.class, scratch, t.literal(0));
        int blocked = inner >= 2 * AXPY_ROWS ? inner - inner % AXPY_ROWS : 0;
        if (blocked > 0) {
            axpyRows(b, scratch, blocked, cols, left, ref(bv));
        }
        if (blocked < inner) {
            b.beginControlFlow("for (int p = $L; p < $L; p++)", blocked, inner);
            b.addStatement("$T lp = $L", t.scalar(), left.apply("p"));
            b.addStatement("$T[] rp = $L[p]", t.scalar(), ref(bv));
            b.beginControlFlow("for (int j = 0; j < $L; j++)", cols).addStatement("$N[j] += lp * rp[j]", scratch).endControlFlow();
            b.endControlFlow();
        }
        b.beginControlFlow("for (int j = 0; j < $L; j++)", cols);
        b.addStatement("$L $L $L", element(m.out(), outIdx), op, expr(m.epilogue(), outIdx, CodeBlock.of("$N[j]", scratch)));
        b.endControlFlow();
        if (!leftVector) {
            b.endControlFlow();
        }
    }

    /** The dot form: the inner index is reduced; R's element (p, j) is bv[p] or bv[j][p]. */
    private void dotProducts(CodeBlock.Builder b, Step.MatMul m, int rows, int inner, int cols, Function<String, CodeBlock> left,
            List<String> outIdx, String op) {
        Var bv = m.b();
        boolean leftVector = m.a().shape().rank() == 1;
        boolean rightVector = bv.shape().rank() == 1;
        Function<String, CodeBlock> right = q -> rightVector ? CodeBlock.of("$L[$L]", ref(bv), q) : CodeBlock.of("$L[j][$L]", ref(bv), q);
        if (!leftVector) {
            b.beginControlFlow("for (int i = 0; i < $L; i++)", rows);
        }
        if (!rightVector) {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", cols);
        }
        dot(b, inner, left, right);
        b.addStatement("$L $L $L", element(m.out(), outIdx), op, expr(m.epilogue(), outIdx));
        if (!rightVector) {
            b.endControlFlow();
        }
        if (!leftVector) {
            b.endControlFlow();
        }
    }

    /** Rows of R an axpy pass adds at once. */
    private static final int AXPY_ROWS = 8;

    /**
     * {@code scratch[j] += sum over p < n of left(p) * rows[p][j]}, {@value #AXPY_ROWS} rows of R per
     * pass over the scratch row: one load and one store of it for eight multiply-adds, added left to
     * right, so each element's sum runs in {@code p} order as one row at a time would add it. Used
     * when R has sixteen rows or more; {@code n} is a multiple of eight.
     */
    private void axpyRows(CodeBlock.Builder b, String scratch, int n, int cols, Function<String, CodeBlock> left, CodeBlock rows) {
        b.beginControlFlow("for (int p = 0; p < $L; p += $L)", n, AXPY_ROWS);
        CodeBlock.Builder sum = CodeBlock.builder().add("$N[j]", scratch);
        for (int k = 0; k < AXPY_ROWS; k++) {
            String q = k == 0 ? "p" : "p + " + k;
            b.addStatement("$T lp$L = $L", t.scalar(), k, left.apply(q));
            b.addStatement("$T[] rp$L = $L[$L]", t.scalar(), k, rows, q);
            sum.add(" + lp$L * rp$L[j]", k, k);
        }
        b.beginControlFlow("for (int j = 0; j < $L; j++)", cols).addStatement("$N[j] = $L", scratch, sum.build()).endControlFlow();
        b.endControlFlow();
    }

    /**
     * {@code acc = sum over p < n of left(p) * right(p)}: four independent accumulators over a bound
     * that is a multiple of four (the JIT does not vectorize a float reduction, but it overlaps
     * independent ones), then the remainder, for inner sizes of eight and more.
     */
    private void dot(CodeBlock.Builder b, int n, Function<String, CodeBlock> left, Function<String, CodeBlock> right) {
        if (n < 8) {
            b.addStatement("$T acc = 0", t.scalar());
            b.beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement("acc += $L * $L", left.apply("p"), right.apply("p")).endControlFlow();
            return;
        }
        int blocked = n - n % 4;
        b.addStatement("$T acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0", t.scalar());
        b.beginControlFlow("for (int p = 0; p < $L; p += 4)", blocked);
        for (int k = 0; k < 4; k++) {
            String q = k == 0 ? "p" : "p + " + k;
            b.addStatement("acc$L += $L * $L", k, left.apply(q), right.apply(q));
        }
        b.endControlFlow();
        if (blocked < n) {
            b.beginControlFlow("for (int p = $L; p < $L; p++)", blocked, n)
                    .addStatement("acc0 += $L * $L", left.apply("p"), right.apply("p")).endControlFlow();
        }
        b.addStatement("$T acc = (acc0 + acc1) + (acc2 + acc3)", t.scalar());
    }

    CodeBlock expr(Elem e, List<String> idx) {
        return expr(e, idx, CodeBlock.of("acc"));
    }

    /** An element expression at indices {@code idx}; {@code product} is how the epilogue reads the product. */
    CodeBlock expr(Elem e, List<String> idx, CodeBlock product) {
        if (e instanceof Elem.Load l) {
            Var v = l.var();
            if (v.isScalar()) {
                return CodeBlock.of("$L", ref(v));
            }
            return CodeBlock.of("$L", element(v, idx.size() == v.shape().rank() ? idx : idx.subList(idx.size() - v.shape().rank(), idx.size())));
        } else if (e instanceof Elem.Literal lit) {
            return t.literal(lit.value());
        } else if (e instanceof Elem.OneHot h) {
            return CodeBlock.of("($L == $L ? $L : $L)", idx.get(idx.size() - 1), ref(h.label()), t.literal(1), t.literal(0));
        } else if (e instanceof Elem.Product) {
            return CodeBlock.of("$L", product);
        } else if (e instanceof Elem.Slice sl) {
            return slice(sl, own(idx, sl.index().shape().rank()));
        } else if (e instanceof Elem.Embed em) {
            return embed(em, own(idx, em.index().of().rank()));
        }
        Elem.Apply a = (Elem.Apply) e;
        CodeBlock x = expr(a.args().get(0), idx, product);
        CodeBlock y = a.args().size() > 1 ? expr(a.args().get(1), idx, product) : null;
        return switch (a.kind()) {
            case ADD -> CodeBlock.of("($L + $L)", x, y);
            case SUB -> CodeBlock.of("($L - $L)", x, y);
            case MUL -> CodeBlock.of("($L * $L)", x, y);
            case DIV -> CodeBlock.of("($L / $L)", x, y);
            case NEG -> CodeBlock.of("(-$L)", x);
            case POW -> a.args().get(1) instanceof Elem.Literal l && l.value() == 2 && a.args().get(0) instanceof Elem.Load
                    ? CodeBlock.of("($L * $L)", x, x) : t.cast(CodeBlock.of("Math.pow($L, $L)", x, y));
            case MAX, MIN, GE -> call(a.kind().name().toLowerCase(java.util.Locale.ROOT), x, y);
            // the function's own method of the runtime, in the model's precision
            case FN -> y == null ? call(a.fn().javaMethod(), x) : call(a.fn().javaMethod(), x, y);
            case CONST, INPUT, TARGET, PARAM, MASK, SUM, BROADCAST, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP, SLICE, EMBED ->
                    throw new IllegalStateException("not an element operation: " + a.kind());
        };
    }

    /** The loop indices of a value of rank {@code rank} read in a loop nest over {@code idx}: the innermost ones. */
    private static List<String> own(List<String> idx, int rank) {
        return idx.subList(idx.size() - rank, idx.size());
    }

    /** {@code x[i + 2]} for {@code x[2:5]}, {@code W[i][0]} for {@code W[:, 0]}, {@code out[0]} for {@code out[0]}. */
    private CodeBlock slice(Elem.Slice sl, List<String> idx) {
        CodeBlock.Builder b = CodeBlock.builder().add(ref(sl.var()));
        int k = 0;
        for (dev.nnc.tensor.Index.Axis a : sl.index().axes()) {
            b.add("[$L]", !a.kept() ? String.valueOf(a.start()) : shifted(idx.get(k++), a.start(), "+"));
        }
        return b.build();
    }

    /** {@code (i >= 2 && i < 5 ? g[i - 2] : 0)}: the slice's element where the index takes one, else zero. */
    private CodeBlock embed(Elem.Embed em, List<String> idx) {
        List<String> tests = new java.util.ArrayList<>();
        CodeBlock.Builder read = CodeBlock.builder().add(ref(em.var()));
        List<dev.nnc.tensor.Index.Axis> axes = em.index().axes();
        for (int d = 0; d < axes.size(); d++) {
            dev.nnc.tensor.Index.Axis a = axes.get(d);
            String i = idx.get(d);
            if (!a.kept()) {
                tests.add(i + " == " + a.start());
                continue;
            }
            if (a.start() > 0) {
                tests.add(i + " >= " + a.start());
            }
            if (a.end() < em.index().of().dim(d)) {
                tests.add(i + " < " + a.end());
            }
            read.add("[$L]", shifted(i, a.start(), "-"));
        }
        return CodeBlock.of("($L ? $L : $L)", String.join(" && ", tests), read.build(), t.literal(0));
    }

    private static String shifted(String i, int by, String op) {
        return by == 0 ? i : i + " " + op + " " + by;
    }

}
