package dev.nnc.autodiff;

import dev.nnc.graph.Graph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import dev.nnc.ops.Algebra;
import dev.nnc.ops.Fn;
import java.util.Arrays;
import java.util.List;

/**
 * Every derivative rule, in one place. For a node {@code n = op(args)} and its adjoint {@code g}
 * (dloss/dn, of n's shape), {@link #rule} gives each argument's contribution to its own adjoint, or
 * null where the argument gets none. The elementwise functions' rules are facts of {@link Fn}, built
 * here over the graph ({@link GraphAlgebra}); they reuse forward values: {@code exp' = n},
 * {@code tanh' = 1 - n^2}, {@code sigmoid' = n(1 - n)}. Contributions may still carry n's shape where an argument is
 * a broadcast scalar; {@link ReverseMode} sums those.
 */
final class Derivatives {

    private final Graph g;
    private final Algebra<Node> algebra;

    Derivatives(Graph graph) {
        this.g = graph;
        this.algebra = new GraphAlgebra(graph);
    }

    List<Node> rule(Node n, Node adj) {
        List<Node> a = n.args();
        Node x = a.isEmpty() ? null : a.get(0);
        Node y = a.size() > 1 ? a.get(1) : null;
        return switch (n.kind()) {
            // leaves and the piecewise-constant [x >= y] pass nothing on
            case CONST, INPUT, TARGET, PARAM, GE -> List.of();
            // each function's rules are its own facts (Fn): d f(x, a) = f_x dx + f_a da
            case FN -> function(n, adj);
            // d(x + y) = dx + dy
            case ADD -> List.of(adj, adj);
            // d(x - y) = dx - dy
            case SUB -> List.of(adj, neg(adj));
            // d(x y) = y dx + x dy
            case MUL -> List.of(mul(adj, y), mul(adj, x));
            // d(x / y) = dx / y - (x / y) dy / y
            case DIV -> List.of(div(adj, y), neg(div(mul(adj, n), y)));
            // d(x^k) = k x^(k - 1) dx + x^k log(x) dk
            case POW -> Arrays.asList(mul(adj, mul(y, pow(x, sub(y, one())))),
                    y.isConst() ? null : mul(adj, mul(n, log(x))));
            // d(-x) = -dx
            case NEG -> List.of(neg(adj));
            // max passes the gradient to its first argument on a tie: [x >= y], [x < y]
            case MAX -> both(adj, g.apply(Kind.GE, x, y));
            // min likewise: [x <= y], [x > y]
            case MIN -> both(adj, g.apply(Kind.GE, y, x));
            // d sum(x) = 1 for every element
            case SUM -> List.of(g.broadcast(adj, x.shape()));
            // d broadcast(s) = the sum of the elements' adjoints
            case BROADCAST -> List.of(g.apply(Kind.SUM, adj));
            case MATMUL -> matmul(x, y, adj);
            // d(A') = (dA)'
            case TRANSPOSE -> List.of(g.apply(Kind.TRANSPOSE, adj));
            // d(a outer b) = (G @ b) da + (a @ G) db
            case OUTER -> List.of(g.apply(Kind.MATMUL, adj, y), g.apply(Kind.MATMUL, x, adj));
            // softmax'(x)' g = s (g - sum(s g))
            case SOFTMAX -> List.of(mul(n, sub(adj, g.apply(Kind.SUM, mul(n, adj)))));
            // logsumexp'(x) = softmax(x)
            case LOGSUMEXP -> List.of(mul(adj, g.apply(Kind.SOFTMAX, x)));
        };
    }

    /** A function's contributions: adj f_x to x, and adj f_a to a parameter that is not a constant. */
    private List<Node> function(Node n, Node adj) {
        Fn f = n.fn();
        Node x = n.arg(0);
        Node a = n.args().size() > 1 ? n.arg(1) : null;
        Node dx = f.dx(algebra, x, a, n);
        Node da = a == null || a.isConst() ? null : f.da(algebra, x, a, n);
        Node toX = dx == null ? null : mul(adj, dx);
        return a == null ? Arrays.asList(toX) : Arrays.asList(toX, da == null ? null : mul(adj, da));
    }

    /** The four products of language.md and their adjoints. */
    private List<Node> matmul(Node a, Node b, Node adj) {
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        if (ra == 2 && rb == 1) {
            // y = A x:  dA = g outer x,  dx = A' g
            return List.of(g.apply(Kind.OUTER, adj, b), g.apply(Kind.MATMUL, g.apply(Kind.TRANSPOSE, a), adj));
        } else if (ra == 1 && rb == 2) {
            // y = x B (x a row):  dx = B g,  dB = x outer g
            return List.of(g.apply(Kind.MATMUL, b, adj), g.apply(Kind.OUTER, a, adj));
        } else if (ra == 2) {
            // Y = A B:  dA = G B',  dB = A' G
            return List.of(g.apply(Kind.MATMUL, adj, g.apply(Kind.TRANSPOSE, b)),
                    g.apply(Kind.MATMUL, g.apply(Kind.TRANSPOSE, a), adj));
        }
        // s = a . b:  da = g b,  db = g a
        return List.of(mul(adj, b), mul(adj, a));
    }

    private List<Node> both(Node adj, Node firstWins) {
        return Arrays.asList(mul(adj, firstWins), mul(adj, sub(one(), firstWins)));
    }

    private Node one() {
        return g.scalar(1);
    }

    private Node neg(Node x) {
        return g.apply(Kind.NEG, x);
    }

    private Node mul(Node x, Node y) {
        return g.apply(Kind.MUL, x, y);
    }

    private Node div(Node x, Node y) {
        return g.apply(Kind.DIV, x, y);
    }

    private Node sub(Node x, Node y) {
        return g.apply(Kind.SUB, x, y);
    }

    private Node pow(Node x, Node y) {
        return g.apply(Kind.POW, x, y);
    }

    private Node log(Node x) {
        return g.apply(Fn.LOG, x);
    }
}
