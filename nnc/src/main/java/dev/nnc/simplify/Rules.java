package dev.nnc.simplify;

import dev.nnc.graph.Graph;
import dev.nnc.graph.Kernels;
import dev.nnc.graph.Kind;
import dev.nnc.ops.Fn;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * The structural rewrite rules, as data: each has a name, the math it applies, and a function that
 * returns the rewritten node or null when it does not match. Sums and products have their own normal
 * forms ({@link Sums}, {@link Products}); constant folding is {@link #fold}.
 */
final class Rules {

    record Rule(String name, String math, Function<Node, Node> rewrite) {}

    /** Constant folding stops above this many elements: a big constant is better computed at run time. */
    private static final int FOLD_LIMIT = 1 << 16;

    private final Graph g;
    private final Simplifier s;
    private final List<Rule> rules;

    Rules(Simplifier s) {
        this.g = s.graph();
        this.rules = List.of(
                new Rule("transpose-transpose", "(A')' = A",
                        n -> n.kind() == Kind.TRANSPOSE && n.arg(0).kind() == Kind.TRANSPOSE ? n.arg(0).arg(0) : null),
                new Rule("transpose-outer", "(a outer b)' = b outer a",
                        n -> n.kind() == Kind.TRANSPOSE && n.arg(0).kind() == Kind.OUTER
                                ? g.apply(Kind.OUTER, n.arg(0).arg(1), n.arg(0).arg(0)) : null),
                new Rule("sum-broadcast", "sum(broadcast(s, shape)) = size(shape) s",
                        n -> n.kind() == Kind.SUM && n.arg(0).kind() == Kind.BROADCAST
                                ? g.apply(Kind.MUL, g.scalar(n.arg(0).shape().size()), n.arg(0).arg(0)) : null),
                new Rule("sum-scaled", "sum(c x) = c sum(x) for a scalar c",
                        n -> n.kind() == Kind.SUM && n.arg(0).kind() == Kind.MUL && n.arg(0).arg(0).shape().isScalar()
                                && !s.isOpaque(n.arg(0))
                                ? g.apply(Kind.MUL, n.arg(0).arg(0), g.apply(Kind.SUM, n.arg(0).arg(1))) : null),
                new Rule("sum-negated", "sum(-x) = -sum(x)",
                        n -> n.kind() == Kind.SUM && n.arg(0).kind() == Kind.NEG && !s.isOpaque(n.arg(0))
                                ? g.apply(Kind.NEG, g.apply(Kind.SUM, n.arg(0).arg(0))) : null),
                new Rule("product-of-zero", "A @ 0 = 0, 0 @ B = 0, a outer 0 = 0",
                        n -> (n.kind() == Kind.MATMUL || n.kind() == Kind.OUTER)
                                && (n.arg(0).isConst(0) || n.arg(1).isConst(0)) ? g.fill(0, n.shape()) : null),
                new Rule("outer-scaled", "(c a) outer b = c (a outer b) for a scalar c",
                        n -> n.kind() == Kind.OUTER ? scaledOperand(n) : null),
                new Rule("matmul-scaled", "(c A) @ B = c (A @ B) for a scalar c",
                        n -> n.kind() == Kind.MATMUL ? scaledOperand(n) : null),
                new Rule("transpose-negated", "(-A)' = -(A')",
                        n -> n.kind() == Kind.TRANSPOSE && n.arg(0).kind() == Kind.NEG && !s.isOpaque(n.arg(0))
                                ? g.apply(Kind.NEG, g.apply(Kind.TRANSPOSE, n.arg(0).arg(0))) : null),
                new Rule("slice-of-embed", "embed(a, I)[I] = a",
                        n -> n.kind() == Kind.SLICE && n.arg(0).kind() == Kind.EMBED && n.arg(0).index().equals(n.index())
                                ? n.arg(0).arg(0) : null),
                new Rule("slice-of-slice", "x[I][J] = x[I then J]",
                        n -> n.kind() == Kind.SLICE && n.arg(0).kind() == Kind.SLICE && !s.isOpaque(n.arg(0))
                                ? g.slice(n.arg(0).arg(0), n.arg(0).index().then(n.index())) : null),
                new Rule("embed-of-embed", "embed(embed(a, J), I) = embed(a, I then J)",
                        n -> n.kind() == Kind.EMBED && n.arg(0).kind() == Kind.EMBED && !s.isOpaque(n.arg(0))
                                ? g.embed(n.arg(0).arg(0), n.index().then(n.arg(0).index())) : null),
                new Rule("transpose-embed", "embed(a, I)' = embed(a', I')",
                        n -> n.kind() == Kind.TRANSPOSE && n.arg(0).kind() == Kind.EMBED && !s.isOpaque(n.arg(0))
                                ? g.embed(transposed(n.arg(0).arg(0)), n.arg(0).index().transposed()) : null),
                new Rule("slice-of-broadcast", "broadcast(s)[I] = broadcast(s) of the slice's shape",
                        n -> n.kind() == Kind.SLICE && n.arg(0).kind() == Kind.BROADCAST
                                ? g.broadcast(n.arg(0).arg(0), n.shape()) : null),
                new Rule("sum-of-embed", "sum(embed(a, I)) = sum(a)",
                        n -> n.kind() == Kind.SUM && n.arg(0).kind() == Kind.EMBED && !s.isOpaque(n.arg(0))
                                ? sumOf(n.arg(0).arg(0)) : null),
                new Rule("embed-sum", "embed(a, I) + embed(b, I) = embed(a + b, I)",
                        n -> n.kind() == Kind.ADD && n.arg(0).kind() == Kind.EMBED && n.arg(1).kind() == Kind.EMBED
                                && n.arg(0).index().equals(n.arg(1).index()) && !s.isOpaque(n.arg(0)) && !s.isOpaque(n.arg(1))
                                ? g.embed(g.apply(Kind.ADD, n.arg(0).arg(0), n.arg(1).arg(0)), n.arg(0).index()) : null),
                new Rule("embed-scaled", "c embed(a, I) = embed(c a, I) for a scalar c",
                        n -> n.kind() == Kind.MUL ? scaledEmbed(n) : null),
                new Rule("piecewise-of-relu", "relu'(relu(x)) = relu'(x)",
                        n -> n.is(Fn.RELU_GRAD) && n.arg(0).is(Fn.RELU)
                                ? g.apply(Fn.RELU_GRAD, n.arg(0).arg(0)) : null));
        this.s = s;
    }

    /** Pulls a scalar factor or a negation out of either operand of a (matrix or outer) product. */
    private Node scaledOperand(Node n) {
        for (int side = 0; side < 2; side++) {
            Node a = n.arg(side);
            if (s.isOpaque(a)) {
                continue;
            }
            Node other = n.arg(1 - side);
            if (a.kind() == Kind.NEG) {
                return g.apply(Kind.NEG, side == 0 ? g.with(n, a.arg(0), other) : g.with(n, other, a.arg(0)));
            }
            if (a.kind() == Kind.MUL && a.arg(0).isConst() && a.arg(0).shape().isScalar()) {
                Node inner = side == 0 ? g.with(n, a.arg(1), other) : g.with(n, other, a.arg(1));
                return g.apply(Kind.MUL, a.arg(0), inner);
            }
        }
        return null;
    }

    private Node transposed(Node a) {
        return a.shape().rank() == 2 ? g.apply(Kind.TRANSPOSE, a) : a;
    }

    private Node sumOf(Node a) {
        return a.shape().isScalar() ? a : g.apply(Kind.SUM, a);
    }

    /** {@code c * embed(a, I)} (either order, {@code c} a scalar) as {@code embed(c * a, I)}, else null. */
    private Node scaledEmbed(Node n) {
        for (int side = 0; side < 2; side++) {
            Node e = n.arg(side);
            Node c = n.arg(1 - side);
            if (e.kind() == Kind.EMBED && c.shape().isScalar() && !s.isOpaque(e)) {
                return g.embed(g.apply(Kind.MUL, c, e.arg(0)), e.index());
            }
        }
        return null;
    }

    /** The first rule that matches, applied; the node itself when none does. */
    Node apply(Node n) {
        for (Rule r : rules) {
            Node out = r.rewrite().apply(n);
            if (out != null && out != n) {
                return out;
            }
        }
        return n;
    }

    /** An operation on constants only becomes its value, when that value is finite. */
    Node fold(Node n) {
        if (n.args().isEmpty() || n.shape().size() > FOLD_LIMIT) {
            return n;
        }
        if (n.kind() == Kind.EMBED && !n.arg(0).isConst(0)) {
            return n; // embed(0.1, [2, 0] of [3, 4]) says more than the matrix it makes
        }
        for (Node a : n.args()) {
            if (!a.isConst()) {
                return n;
            }
        }
        double[] v = Kernels.fold(n);
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return n;
            }
        }
        return g.constant(new Tensor(n.shape(), v));
    }

}
