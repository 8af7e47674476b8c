package dev.nnc.graph;

/**
 * The operations of the expression graph. Composite language built-ins (losses, {@code mean},
 * {@code dot}, {@code log_softmax}) are expanded into these by {@link GraphBuilder}; the few that stay
 * primitive ({@code softplus}, {@code softmax}, {@code logsumexp}) are defined by their numerically
 * stable forms, which every back end implements.
 */
public enum Kind {
    // leaves
    CONST, INPUT, TARGET, PARAM,
    // elementwise; either side of a binary one may be a scalar, broadcast to the other's shape
    ADD, SUB, MUL, DIV, POW, MAX, MIN, NEG,
    /** [a >= b], the derivative of max and min. */
    GE,
    /**
     * An elementwise function ({@link dev.nnc.ops.Fn}: exp, tanh, relu, relu', ...) of its first
     * argument, with the function's scalar parameter as the second where it has one.
     */
    FN,
    // tensor operations
    /** All elements to a scalar. */
    SUM,
    /** A scalar to every element of a shape. */
    BROADCAST,
    /** The product of language.md: [m,n]@[n], [n]@[n,m], [m,n]@[n,k], [n]@[n]. */
    MATMUL,
    TRANSPOSE,
    /** [m] outer [n] -> [m, n]. */
    OUTER,
    /** exp(x - lse(x)) over all elements. */
    SOFTMAX,
    /** max(x) + log(sum(exp(x - max(x)))) over all elements. */
    LOGSUMEXP;

    public boolean isLeaf() {
        return this == CONST || this == INPUT || this == TARGET || this == PARAM;
    }

    /** Commutative binary operations: their operands may be put in a canonical order. */
    public boolean isCommutative() {
        return this == ADD || this == MUL;
    }

}
