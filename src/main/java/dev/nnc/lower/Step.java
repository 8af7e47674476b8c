package dev.nnc.lower;

import dev.nnc.check.Shape;

/**
 * One loop nest of the per-sample program. Each carries the symbolic term it computes, printed in
 * the language's notation, for the comment above the generated loop.
 */
public sealed interface Step {

    String term();

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
}
