package dev.nnc.simplify;

import dev.nnc.graph.Graph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elementwise products in normal form: a chain of {@code * / neg} and constant powers becomes one
 * coefficient times distinct bases with exponents, rebuilt as {@code c * a * b^2 / d}: the
 * coefficient first, then bases from the smallest expression up.
 *
 * <pre>
 *   x * 1 -&gt; x     x * 0 -&gt; 0     x * x -&gt; x^2     x^2 * x^3 -&gt; x^5     2 * (3 * x) -&gt; 6 * x
 * </pre>
 *
 * Powers of powers merge only when the outer exponent is an integer: {@code (x^0.5)^2 -> x} keeps
 * the value wherever it was defined, {@code (x^2)^0.5} stays (it is {@code |x|}, not {@code x}).
 */
final class Products {

    private final Simplifier s;

    Products(Simplifier s) {
        this.s = s;
    }

    private static final class Form {
        final Map<Node, Double> bases = new LinkedHashMap<>();
        double coef = 1;
        boolean zero;
    }

    Node normalize(Node n) {
        Form f = new Form();
        flatten(n, 1, f);
        return rebuild(f);
    }

    private void flatten(Node n, double exp, Form f) {
        if (s.isOpaque(n)) {
            f.bases.merge(n, exp, Double::sum);
            return;
        }
        switch (n.kind()) {
            case MUL -> {
                flatten(n.arg(0), exp, f);
                flatten(n.arg(1), exp, f);
            }
            case DIV -> {
                flatten(n.arg(0), exp, f);
                flatten(n.arg(1), -exp, f);
            }
            case NEG -> {
                // (-x)^e = (-1)^e x^e: a sign for an odd e, none for an even e; kept whole otherwise
                if (exp != Math.rint(exp)) {
                    f.bases.merge(n, exp, Double::sum);
                } else {
                    f.coef = Math.abs(exp) % 2 == 1 ? -f.coef : f.coef;
                    flatten(n.arg(0), exp, f);
                }
            }
            case BROADCAST -> flatten(n.arg(0), exp, f);
            case POW -> {
                double k = n.arg(1).scalar();
                if (!Double.isNaN(k) && exp == Math.rint(exp)) {
                    flatten(n.arg(0), exp * k, f);
                } else {
                    f.bases.merge(n, exp, Double::sum);
                }
            }
            case CONST -> {
                double v = Simplifier.uniformValue(n);
                if (Double.isNaN(v)) {
                    f.bases.merge(n, exp, Double::sum);
                } else if (v == 0 && exp > 0) {
                    f.zero = true;
                } else if (!Double.isFinite(Math.pow(v, exp))) {
                    f.bases.merge(n, exp, Double::sum); // 1 / 0 stays, for the evaluator to report
                } else {
                    f.coef *= Math.pow(v, exp);
                }
            }
            case INPUT, TARGET, PARAM, MASK, ADD, SUB, MAX, MIN, GE, FN, SUM, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP ->
                    f.bases.merge(n, exp, Double::sum);
        }
    }

    private Node rebuild(Form f) {
        Graph g = s.graph();
        if (f.zero || f.coef == 0) {
            return g.scalar(0);
        }
        List<Node> up = new ArrayList<>();
        List<Node> down = new ArrayList<>();
        List<Node> order = new ArrayList<>(f.bases.keySet());
        order.sort(s::compare);
        for (Node b : order) {
            double e = f.bases.get(b);
            if (e > 0) {
                up.add(e == 1 ? b : g.apply(Kind.POW, b, g.scalar(e)));
            } else if (e < 0) {
                down.add(e == -1 ? b : g.apply(Kind.POW, b, g.scalar(-e)));
            }
        }
        Node num = product(up);
        Node den = product(down);
        double coef = f.coef;
        if (num == null) {
            num = g.scalar(coef);
            coef = 1;
        }
        Node result = den == null ? num : g.apply(Kind.DIV, num, den);
        if (coef == 1) {
            return result;
        }
        return coef == -1 ? g.apply(Kind.NEG, result) : g.apply(Kind.MUL, g.scalar(coef), result);
    }

    private Node product(List<Node> factors) {
        Node result = null;
        for (Node x : factors) {
            result = result == null ? x : s.graph().apply(Kind.MUL, result, x);
        }
        return result;
    }
}
