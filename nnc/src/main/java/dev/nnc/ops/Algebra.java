package dev.nnc.ops;

/**
 * What a derivative rule may build: the graph implements it over its nodes, so {@link Fn}'s rules
 * are written once, as math, below every stage that uses them.
 *
 * @param <N> the value a rule builds (a graph node)
 */
public interface Algebra<N> {

    N constant(double v);

    N add(N a, N b);

    N sub(N a, N b);

    N mul(N a, N b);

    N div(N a, N b);

    N neg(N a);

    /** {@code a^k}. */
    N pow(N a, N k);

    /** {@code f(x)}, a function of one argument. */
    N apply(Fn f, N x);

    /** {@code f(x, a)}, a function with a scalar parameter. */
    N apply(Fn f, N x, N a);
}
