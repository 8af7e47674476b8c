package dev.nnc.graph;

import dev.nnc.ops.Algebra;
import dev.nnc.ops.Fn;

/** The functions' derivative rules ({@link Fn#dx}, {@link Fn#da}) built as nodes of a graph. */
final class GraphAlgebra implements Algebra<Node> {

    private final Graph g;

    GraphAlgebra(Graph g) {
        this.g = g;
    }

    @Override
    public Node constant(double v) {
        return g.scalar(v);
    }

    @Override
    public Node add(Node a, Node b) {
        return g.apply(Kind.ADD, a, b);
    }

    @Override
    public Node sub(Node a, Node b) {
        return g.apply(Kind.SUB, a, b);
    }

    @Override
    public Node mul(Node a, Node b) {
        return g.apply(Kind.MUL, a, b);
    }

    @Override
    public Node div(Node a, Node b) {
        return g.apply(Kind.DIV, a, b);
    }

    @Override
    public Node neg(Node a) {
        return g.apply(Kind.NEG, a);
    }

    @Override
    public Node pow(Node a, Node k) {
        return g.apply(Kind.POW, a, k);
    }

    @Override
    public Node apply(Fn f, Node x) {
        return g.apply(f, x);
    }

    @Override
    public Node apply(Fn f, Node x, Node a) {
        return g.apply(f, x, a);
    }
}
