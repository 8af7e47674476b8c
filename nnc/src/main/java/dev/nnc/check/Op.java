package dev.nnc.check;

/**
 * Every structural operation a checked expression can apply. Calls to built-ins resolve to one of
 * these, or to an elementwise function ({@link dev.nnc.ops.Fn}, a {@link TExpr.Call}).
 */
public enum Op {
    // operators
    ADD, SUB, MUL, DIV, POW, NEG, MATMUL, TRANSPOSE,
    // elementwise functions of two values
    MAX, MIN,
    // reductions and vector maps
    SUM, MEAN, DOT, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP,
    // losses, one scalar per sample
    MSE, MAE, CROSS_ENTROPY, BCE, BCE_LOGITS,
    // dropout(h, p): its second argument is always the constant p, checked to lie in [0, 1)
    DROPOUT;

    /** The name the language uses for a built-in function, e.g. {@code log_softmax}. */
    public String functionName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
