package dev.nnc.lower;

import dev.nnc.tensor.Shape;

/**
 * One loop nest of the per-sample program. Each carries the symbolic term it computes, printed in
 * the language's notation, for the comment above the generated loop.
 */
public sealed interface Step {

    String term();

    /** The variable the step writes. */
    Var out();

    /** Every variable the step reads, once per read (a label read by a onehot element included). */
    default java.util.List<Var> reads() {
        java.util.List<Var> r = new java.util.ArrayList<>();
        if (this instanceof Elementwise e) {
            Elem.reads(e.value(), r);
        } else if (this instanceof MatMul m) {
            r.add(m.a());
            r.add(m.b());
            Elem.reads(m.epilogue(), r);
        } else if (this instanceof Outer o) {
            Elem.reads(o.a(), r);
            Elem.reads(o.b(), r);
        } else if (this instanceof Sum sum) {
            Elem.reads(sum.value(), r);
        } else if (this instanceof Softmax sm) {
            r.add(sm.in());
        } else if (this instanceof LogSumExp l) {
            r.add(l.in());
        } else if (this instanceof Transpose tr) {
            r.add(tr.in());
        }
        return r;
    }

    /** {@code out[i] = value(i)} over {@code shape} ({@code +=} when accumulating). */
    record Elementwise(Var out, Shape shape, Elem value, boolean accumulate, String term) implements Step {}

    /**
     * {@code out = epilogue(a @ b)}: one of the four products of the language, with either operand
     * read transposed, and an elementwise epilogue over each result element (bias and activation,
     * or the activation's derivative) fused in. {@code accumulate} adds the result to {@code out}.
     */
    record MatMul(Var out, Var a, boolean aTransposed, Var b, boolean bTransposed, Elem epilogue,
            boolean accumulate, String term) implements Step {}

    /** {@code out[i][j] (+)= a[i] * b[j]}, either side possibly an element expression of its own index. */
    record Outer(Var out, Elem a, Elem b, boolean accumulate, String term) implements Step {}

    /** {@code out = sum over shape of value(i)}: a scalar. */
    record Sum(Var out, Shape shape, Elem value, String term) implements Step {}

    /** {@code out = softmax(in)} over all elements, stable (max subtracted). */
    record Softmax(Var out, Var in, String term) implements Step {}

    /** {@code out = logsumexp(in)}, a scalar, stable (max subtracted). */
    record LogSumExp(Var out, Var in, String term) implements Step {}

    /** {@code out = in'}. */
    record Transpose(Var out, Var in, String term) implements Step {}

    /**
     * A fresh dropout mask of rate {@code p} in {@code out}, drawn for each sample of a training step:
     * each element {@code scale = 1 / (1 - p)} (computed in the model's dtype) with probability
     * {@code 1 - p}, else 0. Reads nothing; differs between samples.
     */
    record Mask(Var out, double p, String term) implements Step {}
}
