package dev.nnc.simplify;

import dev.nnc.graph.Graph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums in normal form: a chain of {@code + - neg} over terms becomes coefficients times distinct
 * terms plus one constant, rebuilt in the order the terms first appear.
 *
 * <pre>
 *   x + 0 -&gt; x      --x -&gt; x      2x + 3x -&gt; 5x      x - x -&gt; 0
 *   a outer b + c outer b -&gt; (a + c) outer b       A @ x + A @ y -&gt; A @ (x + y)
 * </pre>
 */
final class Sums {

    private final Simplifier s;

    Sums(Simplifier s) {
        this.s = s;
    }

    private static final class Form {
        final Map<Node, Double> terms = new LinkedHashMap<>();
        double constant;

        void add(Node term, double coef) {
            terms.merge(term, coef, Double::sum);
        }
    }

    Node normalize(Node n) {
        Form f = new Form();
        flatten(n, 1, f);
        groupShared(f);
        return rebuild(f);
    }

    private void flatten(Node n, double sign, Form f) {
        if (s.isOpaque(n)) {
            f.add(n, sign);
            return;
        }
        switch (n.kind()) {
            case ADD -> {
                flatten(n.arg(0), sign, f);
                flatten(n.arg(1), sign, f);
            }
            case SUB -> {
                flatten(n.arg(0), sign, f);
                flatten(n.arg(1), -sign, f);
            }
            case NEG -> flatten(n.arg(0), -sign, f);
            case BROADCAST -> flatten(n.arg(0), sign, f);
            case CONST -> {
                double v = Simplifier.uniformValue(n);
                if (Double.isNaN(v)) {
                    f.add(n, sign);
                } else {
                    f.constant += sign * v;
                }
            }
            case MUL -> {
                double left = Simplifier.uniformValue(n.arg(0));
                double right = Simplifier.uniformValue(n.arg(1));
                if (!Double.isNaN(left)) {
                    flatten(n.arg(1), sign * left, f);
                } else if (!Double.isNaN(right)) {
                    flatten(n.arg(0), sign * right, f);
                } else {
                    f.add(n, sign);
                }
            }
            case INPUT, TARGET, PARAM, MASK, DIV, POW, MAX, MIN, GE, FN, SUM, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP ->
                    f.add(n, sign);
        }
    }

    /** Terms {@code c1 (a outer b) + c2 (a2 outer b)} share an operand: add the other operands first. */
    private void groupShared(Form f) {
        for (Kind kind : new Kind[] {Kind.OUTER, Kind.MATMUL}) {
            for (int side = 0; side < 2; side++) {
                Map<Node, List<Node>> bySharedOperand = new LinkedHashMap<>();
                for (Node t : f.terms.keySet()) {
                    if (t.kind() == kind && f.terms.get(t) != 0) {
                        bySharedOperand.computeIfAbsent(t.arg(side), k -> new ArrayList<>()).add(t);
                    }
                }
                for (Map.Entry<Node, List<Node>> e : bySharedOperand.entrySet()) {
                    List<Node> group = e.getValue();
                    if (group.size() < 2) {
                        continue;
                    }
                    Graph g = s.graph();
                    Node inner = null;
                    for (Node t : group) {
                        Node other = t.arg(1 - side);
                        Node scaled = scale(other, f.terms.get(t));
                        inner = inner == null ? scaled : g.apply(Kind.ADD, inner, scaled);
                    }
                    Node merged = side == 0 ? g.apply(kind, e.getKey(), inner) : g.apply(kind, inner, e.getKey());
                    if (!merged.shape().equals(group.get(0).shape())) {
                        continue;
                    }
                    for (Node t : group) {
                        f.terms.put(t, 0.0);
                    }
                    f.add(merged, 1);
                }
            }
        }
    }

    private Node scale(Node n, double coef) {
        Graph g = s.graph();
        if (coef == 1) {
            return n;
        }
        if (coef == -1) {
            return g.apply(Kind.NEG, n);
        }
        return g.apply(Kind.MUL, g.scalar(coef), n);
    }

    private Node rebuild(Form f) {
        Graph g = s.graph();
        List<Map.Entry<Node, Double>> terms = new ArrayList<>();
        for (Map.Entry<Node, Double> e : f.terms.entrySet()) {
            if (e.getValue() != 0) {
                terms.add(e);
            }
        }
        // A common factor of every coefficient comes out front: 0.5 a - 0.5 b -> 0.5 (a - b).
        double common = terms.isEmpty() ? 1 : Math.abs(terms.get(0).getValue());
        for (Map.Entry<Node, Double> e : terms) {
            if (Math.abs(e.getValue()) != common) {
                common = 1;
            }
        }
        if (f.constant != 0 || terms.size() < 2) {
            common = 1;
        }
        // Start with a positive term when there is one: b - a rather than -a + b.
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).getValue() > 0) {
                terms.add(0, terms.remove(i));
                break;
            }
        }
        Node result = null;
        double constant = f.constant;
        if (constant > 0 && (terms.isEmpty() || terms.get(0).getValue() < 0)) {
            // no positive term: the constant leads, 1 - h^2 rather than -h^2 + 1
            result = g.scalar(constant);
            constant = 0;
        }
        for (Map.Entry<Node, Double> e : terms) {
            double coef = e.getValue() / common;
            Node piece = scale(e.getKey(), Math.abs(coef));
            if (result == null) {
                result = coef < 0 ? g.apply(Kind.NEG, piece) : piece;
            } else {
                result = g.apply(coef < 0 ? Kind.SUB : Kind.ADD, result, piece);
            }
        }
        if (result == null) {
            return g.scalar(constant);
        }
        if (constant != 0) {
            result = g.apply(constant < 0 ? Kind.SUB : Kind.ADD, result, g.scalar(Math.abs(constant)));
        }
        return common == 1 ? result : g.apply(Kind.MUL, g.scalar(common), result);
    }
}
