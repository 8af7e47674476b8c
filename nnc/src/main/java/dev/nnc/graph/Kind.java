package dev.nnc.graph;

/**
 * The operations of the expression graph. Composite language built-ins (losses, {@code mean},
 * {@code dot}, {@code log_softmax}) are expanded into these by {@link GraphBuilder}; the few that stay
 * primitive ({@code softplus}, {@code softmax}, {@code logsumexp}) are defined by their numerically
 * stable forms, which every back end implements.
 */
public enum Kind {
    // leaves
    CONST(Family.LEAF), INPUT(Family.LEAF), TARGET(Family.LEAF), PARAM(Family.LEAF),
    // elementwise; either side of a binary one may be a scalar, broadcast to the other's shape
    ADD(Family.ELEMENTWISE), SUB(Family.ELEMENTWISE), MUL(Family.ELEMENTWISE), DIV(Family.ELEMENTWISE),
    POW(Family.ELEMENTWISE), MAX(Family.ELEMENTWISE), MIN(Family.ELEMENTWISE), NEG(Family.ELEMENTWISE),
    /** [a >= b], the derivative of max and min. */
    GE(Family.ELEMENTWISE),
    /**
     * An elementwise function ({@link dev.nnc.ops.Fn}: exp, tanh, relu, relu', ...) of its first
     * argument, with the function's scalar parameter as the second where it has one.
     */
    FN(Family.ELEMENTWISE),
    // tensor operations
    /** All elements to a scalar. */
    SUM(Family.REDUCTION),
    /** A scalar to every element of a shape. */
    BROADCAST(Family.ELEMENTWISE),
    /** The product of language.md: [m,n]@[n], [n]@[n,m], [m,n]@[n,k], [n]@[n]. */
    MATMUL(Family.KERNEL),
    TRANSPOSE(Family.KERNEL),
    /** [m] outer [n] -> [m, n]. */
    OUTER(Family.KERNEL),
    /** exp(x - lse(x)) over all elements. */
    SOFTMAX(Family.KERNEL),
    /** max(x) + log(sum(exp(x - max(x)))) over all elements. */
    LOGSUMEXP(Family.REDUCTION);

    /**
     * How an operation's loops look: what the lower stage fuses it with. Elementwise operations join
     * the chain of their user's loop; reductions and kernels get loops (or library calls) of their own.
     */
    public enum Family {
        /** A named input, target, parameter or a constant: no loop. */
        LEAF,
        /** Element i of the result from element i of the arguments (a scalar argument broadcast). */
        ELEMENTWISE,
        /** Every element to one scalar. */
        REDUCTION,
        /** Elements that depend on many of the arguments' (products, transposes, softmax). */
        KERNEL
    }

    private final Family family;

    Kind(Family family) {
        this.family = family;
    }

    public Family family() {
        return family;
    }

    public boolean isLeaf() {
        return family == Family.LEAF;
    }

    public boolean isElementwise() {
        return family == Family.ELEMENTWISE;
    }

    /** Commutative binary operations: their operands may be put in a canonical order. */
    public boolean isCommutative() {
        return this == ADD || this == MUL;
    }
}
