package dev.nnc.check;

/** Every operation a checked expression can apply. Calls to built-ins resolve to one of these. */
public enum Op {
    // operators
    ADD, SUB, MUL, DIV, POW, NEG, MATMUL, TRANSPOSE,
    // elementwise functions
    EXP, LOG, SQRT, ABS, SIN, COS, TANH, SIGMOID, RELU, SOFTPLUS, LEAKY_RELU, MAX, MIN,
    // reductions and vector maps
    SUM, MEAN, DOT, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP,
    // losses, one scalar per sample
    MSE, MAE, CROSS_ENTROPY, BCE, BCE_LOGITS;

    /** The name the language uses for a built-in function, e.g. {@code log_softmax}. */
    public String functionName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
