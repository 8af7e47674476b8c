package dev.nnc.eval;

import dev.nnc.graph.Kernels;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The eval stage: the f64 reference evaluator, the oracle for everything generated. Evaluates the
 * nodes a set of roots depends on, for one sample, in topological (id) order, each once.
 *
 * <pre>
 *   loss = ((x + 5)^3 + 1)^2 at x = -3   -&gt;   81
 * </pre>
 *
 * A value that becomes non-finite from finite arguments stops it with {@link NonFiniteValue}, naming
 * the node and why (a log of a negative number, a division by zero).
 */
public final class Evaluator {

    private Evaluator() {}

    /**
     * Values of {@code roots} and everything below them; {@code leaves} gives inputs, targets, params by
     * name, and dropout masks ({@code mask1}: 1 / (1 - p) kept, 0 dropped) where a caller fixes them;
     * a mask left out is all ones, dropout's identity outside training.
     */
    public static Map<Node, double[]> evaluate(Collection<Node> roots, Map<String, double[]> leaves) {
        List<Node> order = new ArrayList<>(ancestors(roots));
        order.sort((a, b) -> Integer.compare(a.id(), b.id()));
        Map<Node, double[]> values = new HashMap<>();
        for (Node n : order) {
            double[] v;
            if (n.kind() == Kind.CONST) {
                v = n.value().toArray();
            } else if (n.kind().isLeaf()) {
                v = leaves.get(n.name());
                if (v == null && n.kind() == Kind.MASK) {
                    v = ones(n); // dropout outside training: the identity
                } else if (v == null) {
                    throw new IllegalStateException("evaluator: no value for leaf " + n);
                }
            } else {
                double[][] in = new double[n.args().size()][];
                for (int i = 0; i < in.length; i++) {
                    in[i] = values.get(n.arg(i));
                }
                v = Kernels.apply(n, in);
                checkFinite(n, in, v);
            }
            values.put(n, v);
        }
        return values;
    }

    private static double[] ones(Node mask) {
        double[] v = new double[(int) mask.shape().size()];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    private static Collection<Node> ancestors(Collection<Node> roots) {
        Map<Integer, Node> seen = new HashMap<>();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (seen.putIfAbsent(n.id(), n) == null) {
                stack.addAll(n.args());
            }
        }
        return seen.values();
    }

    private static void checkFinite(Node n, double[][] in, double[] out) {
        for (double[] a : in) {
            for (double x : a) {
                if (!Double.isFinite(x)) {
                    return; // reported where it first appeared
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new NonFiniteValue(n, why(n, in, i, out[i]));
            }
        }
    }

    /** Why element {@code i} of {@code n} is not finite, in words: "log of a negative number (-0.5)". */
    private static String why(Node n, double[][] in, int i, double result) {
        double x = in.length > 0 ? in[0][in[0].length == 1 ? 0 : Math.min(i, in[0].length - 1)] : Double.NaN;
        double y = in.length > 1 ? in[1][in[1].length == 1 ? 0 : Math.min(i, in[1].length - 1)] : Double.NaN;
        String fx = Double.toString(x);
        return switch (n.kind()) {
            case FN -> n.fn().whyNotFinite(x, result);
            case DIV -> y == 0 ? "division by zero (" + fx + " / 0)" : "division overflows (" + fx + " / " + y + ")";
            case POW -> "power " + fx + "^" + y + " is " + result;
            case CONST, INPUT, TARGET, PARAM, MASK, ADD, SUB, MUL, MAX, MIN, NEG, GE, SUM, BROADCAST, MATMUL, TRANSPOSE, OUTER,
                    SOFTMAX, LOGSUMEXP -> n.kind().name().toLowerCase(java.util.Locale.ROOT) + " gives " + result;
        };
    }

    /** A value became NaN or infinite from finite arguments. */
    public static final class NonFiniteValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Node node;

        NonFiniteValue(Node node, String message) {
            super(message, null, false, false);
            this.node = node;
        }

        public Node node() {
            return node;
        }
    }
}
