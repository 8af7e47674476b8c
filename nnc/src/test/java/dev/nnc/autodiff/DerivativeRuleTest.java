package dev.nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.eval.Evaluator;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Graph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import dev.nnc.ops.Fn;
import dev.nnc.simplify.Simplifier;
import dev.nnc.tensor.Index;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every derivative rule (of each {@link Kind} and {@link Fn}) against central finite differences, one small graph
 * per rule and shape case, built directly with {@link Graph}: the operation applied to parameters,
 * reduced to a scalar by {@code sum(op(...) * w)} with random constant weights {@code w}, so that
 * every output element reaches the loss with its own weight.
 *
 * <p>The points are seeded and kept away from kinks (relu, abs, sign, leaky_relu at 0; max, min, >= at
 * ties) and outside of domains' edges (log, sqrt and a varying exponent's base stay positive, a
 * divisor stays away from 0) by margins far larger than the finite-difference step. The conventions
 * at the kinks themselves are asserted exactly, apart.
 */
class DerivativeRuleTest {

    /** Random points per case. */
    static final int POINTS = 60;

    /** Central differences: f'(x) ~ (f(x + h) - f(x - h)) / 2h with h relative to x. */
    static final double STEP = 1e-6;

    static final double TOLERANCE = 1e-6;

    /** How far from a kink, a tie or a domain edge every point stays: 10^4 steps at least. */
    static final double MARGIN = 0.05;

    /** Where a parameter's elements are drawn from. */
    enum Domain {
        /** Uniform in [-2, 2]. */
        ANY,
        /** |v| in [MARGIN, 2], either sign: away from the kink at 0. */
        NONZERO,
        /** In [0.2, 2.5]: for log, sqrt and the base of a varying power. */
        POSITIVE,
        /** |v| in [0.3, 2], either sign: a divisor. */
        DIVISOR
    }

    record Leaf(String name, Shape shape, Domain domain) {}

    /**
     * One rule in one shape case.
     *
     * @param kind     the rule under test: the {@link Kind} or {@link Fn} of the root node {@code build} makes
     * @param ties     pairs of leaf indices whose elements (a scalar broadcast) must differ by MARGIN
     */
    record Case(String name, Object kind, List<Leaf> leaves, BiFunction<Graph, List<Node>, Node> build, List<int[]> ties) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Shape S = Shape.SCALAR;
    static final Shape V = Shape.of(3);
    static final Shape M = Shape.of(2, 3);
    static final List<Shape> SHAPES = List.of(S, V, M);

    /** Every built-in function of x alone, and where its points come from: away from kinks and domain edges. */
    static Domain domain(Fn f) {
        return f == Fn.LOG || f == Fn.SQRT ? Domain.POSITIVE : f == Fn.ABS || f == Fn.RELU ? Domain.NONZERO : Domain.ANY;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Shape s : SHAPES) {
            cases.add(unary(Kind.NEG, s, Domain.ANY));
        }
        for (Fn f : Fn.values()) {
            if (f.builtin() && f.param() == null) {
                for (Shape s : SHAPES) {
                    cases.add(new Case(f + " " + s, f, List.of(new Leaf("x", s, domain(f))), (g, l) -> g.apply(f, l.get(0)), List.of()));
                }
            }
        }
        // binary elementwise: equal shapes, and a scalar broadcast on either side
        Shape[][] pairs = {{S, S}, {V, V}, {M, M}, {S, V}, {M, S}};
        for (Kind k : List.of(Kind.ADD, Kind.SUB, Kind.MUL, Kind.DIV, Kind.POW, Kind.MAX, Kind.MIN)) {
            for (Shape[] p : pairs) {
                Domain dx = k == Kind.POW ? Domain.POSITIVE : Domain.ANY;
                Domain dy = k == Kind.DIV ? Domain.DIVISOR : Domain.ANY;
                boolean tie = k == Kind.MAX || k == Kind.MIN;
                cases.add(binary(k, p[0], dx, p[1], dy, tie));
            }
        }
        // the same argument twice: both contributions reach it
        cases.add(new Case("MUL x * x", Kind.MUL, List.of(new Leaf("x", V, Domain.ANY)),
                (g, l) -> g.apply(Kind.MUL, l.get(0), l.get(0)), List.of()));
        cases.add(new Case("DIV x / x^2 [3]", Kind.DIV, List.of(new Leaf("x", V, Domain.DIVISOR)),
                (g, l) -> g.apply(Kind.DIV, l.get(0), g.apply(Kind.POW, l.get(0), g.scalar(2))), List.of()));
        // constant exponents: any base for integers, a positive base otherwise
        for (double k : new double[] {2, 3, -1}) {
            for (Shape s : SHAPES) {
                Domain d = k < 0 ? Domain.DIVISOR : Domain.ANY;
                cases.add(new Case("POW x^" + (int) k + " " + s, Kind.POW, List.of(new Leaf("x", s, d)),
                        (g, l) -> g.apply(Kind.POW, l.get(0), g.scalar(k)), List.of()));
            }
        }
        for (double k : new double[] {0.5, -1.5}) {
            cases.add(new Case("POW x^" + k + " [2, 3]", Kind.POW, List.of(new Leaf("x", M, Domain.POSITIVE)),
                    (g, l) -> g.apply(Kind.POW, l.get(0), g.scalar(k)), List.of()));
        }
        cases.add(new Case("POW x^[1, 2, 3]", Kind.POW, List.of(new Leaf("x", V, Domain.ANY)),
                (g, l) -> g.apply(Kind.POW, l.get(0), g.constant(new Tensor(V, new double[] {1, 2, 3}))), List.of()));
        cases.add(new Case("POW s^[0.5, 2, 3] (scalar base)", Kind.POW, List.of(new Leaf("s", S, Domain.POSITIVE)),
                (g, l) -> g.apply(Kind.POW, l.get(0), g.constant(new Tensor(V, new double[] {0.5, 2, 3}))), List.of()));
        // functions with a parameter (leaky_relu's slope, elu's alpha): a parameter to learn, and a constant;
        // the steps among the derivatives pass nothing on (zero away from their steps), leaky_relu' is a
        // step in x but linear in its slope, elu' is smooth on either side of 0
        for (Fn f : Fn.values()) {
            if (f.param() != null) {
                for (Shape s : SHAPES) {
                    cases.add(new Case(f + " " + s + " param " + f.param(), f,
                            List.of(new Leaf("x", s, Domain.NONZERO), new Leaf("alpha", S, Domain.ANY)),
                            (g, l) -> g.apply(f, l.get(0), l.get(1)), List.of()));
                    cases.add(new Case(f + " " + s + " " + f.param() + " 0.1", f, List.of(new Leaf("x", s, Domain.NONZERO)),
                            (g, l) -> g.apply(f, l.get(0), g.scalar(0.1)), List.of()));
                }
            } else if (f.isStep()) {
                for (Shape s : SHAPES) {
                    cases.add(new Case(f + " " + s, f, List.of(new Leaf("x", s, Domain.NONZERO)), (g, l) -> g.apply(f, l.get(0)), List.of()));
                }
            }
        }
        for (Shape s : SHAPES) {
            cases.add(new Case("GE " + s, Kind.GE, List.of(new Leaf("a", s, Domain.ANY), new Leaf("b", s, Domain.ANY)),
                    (g, l) -> g.apply(Kind.GE, l.get(0), l.get(1)), List.of(new int[] {0, 1})));
        }
        cases.add(new Case("GE [3] >= []", Kind.GE, List.of(new Leaf("a", V, Domain.ANY), new Leaf("b", S, Domain.ANY)),
                (g, l) -> g.apply(Kind.GE, l.get(0), l.get(1)), List.of(new int[] {0, 1})));
        // reductions and broadcasts
        for (Shape s : SHAPES) {
            cases.add(unary(Kind.SUM, s, Domain.ANY));
            cases.add(unary(Kind.LOGSUMEXP, s, Domain.ANY));
        }
        for (Shape s : List.of(V, M)) {
            cases.add(new Case("BROADCAST [] to " + s, Kind.BROADCAST, List.of(new Leaf("s", S, Domain.ANY)),
                    (g, l) -> g.broadcast(l.get(0), s), List.of()));
            cases.add(unary(Kind.SOFTMAX, s, Domain.ANY));
        }
        // the four matrix products, transpose, outer
        Shape[][] products = {{M, V}, {Shape.of(3), Shape.of(3, 2)}, {M, Shape.of(3, 4)}, {V, V}};
        for (Shape[] p : products) {
            cases.add(binary(Kind.MATMUL, p[0], Domain.ANY, p[1], Domain.ANY, false));
        }
        cases.add(unary(Kind.TRANSPOSE, M, Domain.ANY));
        cases.add(binary(Kind.OUTER, V, Domain.ANY, Shape.of(2), Domain.ANY, false));
        // indexing and slicing (x[2:5], W[:, 0], out[0]) and their adjoints, embed(a, I)
        Index[] slices = {index(V, Index.Axis.range(1, 3)), index(V, Index.Axis.point(0)),
            index(M, Index.Axis.range(0, 2), Index.Axis.point(0)), index(M, Index.Axis.point(1), Index.Axis.range(0, 3)),
            index(M, Index.Axis.range(0, 2), Index.Axis.range(1, 3)), index(M, Index.Axis.point(1), Index.Axis.point(2))};
        for (Index ix : slices) {
            cases.add(new Case("SLICE " + ix, Kind.SLICE, List.of(new Leaf("x", ix.of(), Domain.ANY)),
                    (g, l) -> g.slice(l.get(0), ix), List.of()));
            cases.add(new Case("EMBED " + ix, Kind.EMBED, List.of(new Leaf("a", ix.shape(), Domain.ANY)),
                    (g, l) -> g.embed(l.get(0), ix), List.of()));
        }
        cases.add(new Case("ADD tanh(A @ x)[1:] + A[:2, 0][1:]", Kind.ADD, List.of(new Leaf("A", M, Domain.ANY), new Leaf("x", V, Domain.ANY)),
                (g, l) -> g.apply(Kind.ADD, g.slice(g.apply(Fn.TANH, g.apply(Kind.MATMUL, l.get(0), l.get(1))), index(Shape.of(2), Index.Axis.range(1, 2))),
                        g.slice(g.slice(l.get(0), index(M, Index.Axis.range(0, 2), Index.Axis.point(0))), index(Shape.of(2), Index.Axis.range(1, 2)))),
                List.of()));
        // a few compositions, so adjoints flow through more than one rule
        cases.add(new Case("SOFTMAX(A @ x)", Kind.SOFTMAX, List.of(new Leaf("A", M, Domain.ANY), new Leaf("x", V, Domain.ANY)),
                (g, l) -> g.apply(Kind.SOFTMAX, g.apply(Kind.MATMUL, l.get(0), l.get(1))), List.of()));
        cases.add(new Case("TANH(A' @ (A @ x))", Fn.TANH, List.of(new Leaf("A", M, Domain.ANY), new Leaf("x", V, Domain.ANY)),
                (g, l) -> g.apply(Fn.TANH, g.apply(Kind.MATMUL, g.apply(Kind.TRANSPOSE, l.get(0)),
                        g.apply(Kind.MATMUL, l.get(0), l.get(1)))), List.of()));
        return cases;
    }

    static Index index(Shape of, Index.Axis... axes) {
        return new Index(of, List.of(axes));
    }

    static Case unary(Kind k, Shape s, Domain d) {
        return new Case(k + " " + s, k, List.of(new Leaf("x", s, d)), (g, l) -> g.apply(k, l.get(0)), List.of());
    }

    static Case binary(Kind k, Shape sx, Domain dx, Shape sy, Domain dy, boolean tie) {
        return new Case(k + " " + sx + ", " + sy, k, List.of(new Leaf("x", sx, dx), new Leaf("y", sy, dy)),
                (g, l) -> g.apply(k, l.get(0), l.get(1)), tie ? List.<int[]>of(new int[] {0, 1}) : List.of());
    }

    static Stream<Arguments> caseArguments() {
        return cases().stream().map(Arguments::of);
    }

    /** The graph of one case at one point: the operation, the loss, and its derivation. */
    private record Built(Graph graph, Node op, Node loss, ForwardGraph forward, Gradients grads) {}

    private static Shape opShape(Case c) {
        Graph g = new Graph();
        List<Node> params = new ArrayList<>();
        for (Leaf leaf : c.leaves()) {
            params.add(g.leaf(Kind.PARAM, leaf.name(), leaf.shape()));
        }
        return c.build().apply(g, params).shape();
    }

    private static Built build(Case c, double[] weights) {
        Graph g = new Graph();
        List<Node> params = new ArrayList<>();
        for (Leaf leaf : c.leaves()) {
            params.add(g.leaf(Kind.PARAM, leaf.name(), leaf.shape()));
        }
        Node op = c.build().apply(g, params);
        assertEquals(c.kind(), op.fn() != null ? op.fn() : op.kind(), "case " + c + " builds a root of the wrong kind");
        Node loss = g.apply(Kind.SUM, g.apply(Kind.MUL, op, g.constant(new Tensor(op.shape(), weights))));
        ForwardGraph fwd = new ForwardGraph(null, g, List.of(), List.of(), params, Map.of(), loss, null);
        return new Built(g, op, loss, fwd, ReverseMode.differentiate(fwd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void ruleMatchesCentralDifferences(Case c) {
        Random random = new Random(c.name().hashCode());
        int checked = 0;
        for (int point = 0; point < POINTS; point++) {
            Map<String, double[]> values = drawPoint(c, random);
            double[] weights = new double[(int) opShape(c).size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble());
            }
            Built b = build(c, weights);
            checked += checkPoint(c, b, values, weights, point);
        }
        assertTrue(checked >= POINTS, c + ": only " + checked + " gradient elements checked");
    }

    /** Compares every gradient element at one point; returns how many it compared. */
    private static int checkPoint(Case c, Built b, Map<String, double[]> values, double[] weights, int point) {
        List<Node> gradNodes = new ArrayList<>(b.grads().params().values());
        Map<Node, double[]> raw = Evaluator.evaluate(gradNodes, values);
        Simplifier simplifier = new Simplifier(b.graph(), Set.of());
        List<Node> simplifiedNodes = new ArrayList<>();
        for (Node n : gradNodes) {
            simplifiedNodes.add(simplifier.simplify(n));
        }
        Map<Node, double[]> simplified = Evaluator.evaluate(simplifiedNodes, values);
        double lossMagnitude = lossMagnitude(b, values, weights);
        int compared = 0;
        int p = 0;
        for (Map.Entry<String, Node> e : b.grads().params().entrySet()) {
            String name = e.getKey();
            double[] grad = raw.get(e.getValue());
            double[] simple = simplified.get(simplifiedNodes.get(p++));
            double[] x = values.get(name);
            double gradScale = 0;
            for (double v : grad) {
                gradScale = Math.max(gradScale, Math.abs(v));
            }
            for (int i = 0; i < x.length; i++) {
                double fd = centralDifference(b, values, name, i);
                String where = c + ", point " + point + ", d/d" + name + "[" + i + "] at " + describe(values);
                // Central differences with h = 1e-6 max(1, |x|) are off by O(h^2 f''') (about 1e-12 here)
                // plus the rounding of the two losses: a few ulps of the loss's terms, divided by h.
                // That rounding is about 2e-10 * sum|w op| / max(1, |x|), so a gradient element far
                // below that scale cannot be resolved: the floor 1e-3 * sum|w op| / max(1, |x|) under the
                // relative tolerance leaves room for about 4 ulps of rounding. Every element at or above
                // the floor is held to 1e-6 relative; none is ever compared absolutely at its own size.
                double floor = 1e-3 * lossMagnitude / Math.max(1, Math.abs(x[i]));
                assertClose(fd, grad[i], TOLERANCE, floor, "derivative vs central difference: " + where);
                // The simplified gradient computes the same value in another order: a few ulps apart.
                assertClose(grad[i], simple[i], 1e-12, 1e-3 * gradScale, "simplified vs raw gradient: " + where);
                if (c.kind() == Kind.GE || c.kind() instanceof Fn f && f.isStep()
                        || (c.kind() == Fn.LEAKY_RELU_GRAD && name.equals("x"))) {
                    assertEquals(0.0, grad[i], "a step passes no gradient: " + where);
                }
                compared++;
            }
        }
        return compared;
    }

    /** sum |w_i op_i|: the size of the terms the loss adds, which bounds the rounding of its value. */
    private static double lossMagnitude(Built b, Map<String, double[]> values, double[] weights) {
        double[] op = Evaluator.evaluate(List.of(b.op()), values).get(b.op());
        double m = 0;
        for (int i = 0; i < op.length; i++) {
            m += Math.abs(weights[i] * op[i]);
        }
        return m;
    }

    private static double centralDifference(Built b, Map<String, double[]> values, String name, int i) {
        double[] x = values.get(name);
        double x0 = x[i];
        double h = STEP * Math.max(1, Math.abs(x0));
        double up = x0 + h;
        double down = x0 - h;
        x[i] = up;
        double lossUp = loss(b, values);
        x[i] = down;
        double lossDown = loss(b, values);
        x[i] = x0;
        return (lossUp - lossDown) / (up - down); // the steps actually taken, after rounding
    }

    private static double loss(Built b, Map<String, double[]> values) {
        return Evaluator.evaluate(List.of(b.loss()), values).get(b.loss())[0];
    }

    static void assertClose(double expected, double actual, double rel, double floor, String message) {
        double bound = rel * Math.max(floor, Math.max(Math.abs(expected), Math.abs(actual)));
        if (!(Math.abs(expected - actual) <= bound)) {
            fail(message + ": expected " + expected + ", got " + actual + " (difference " + Math.abs(expected - actual)
                    + ", allowed " + bound + ")");
        }
    }

    /** A point of the case's domain, with every tie pair apart by MARGIN elementwise. */
    private static Map<String, double[]> drawPoint(Case c, Random random) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Map<String, double[]> values = new LinkedHashMap<>();
            for (Leaf leaf : c.leaves()) {
                double[] v = new double[(int) leaf.shape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = draw(leaf.domain(), random);
                }
                values.put(leaf.name(), v);
            }
            if (apart(c, values)) {
                return values;
            }
        }
        throw new IllegalStateException("no point apart from ties for " + c);
    }

    private static boolean apart(Case c, Map<String, double[]> values) {
        for (int[] tie : c.ties()) {
            double[] a = values.get(c.leaves().get(tie[0]).name());
            double[] b = values.get(c.leaves().get(tie[1]).name());
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                if (Math.abs(a[a.length == 1 ? 0 : i] - b[b.length == 1 ? 0 : i]) < MARGIN) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double draw(Domain d, Random random) {
        double sign = random.nextBoolean() ? 1 : -1;
        return switch (d) {
            case ANY -> -2 + 4 * random.nextDouble();
            case NONZERO -> sign * (MARGIN + (2 - MARGIN) * random.nextDouble());
            case POSITIVE -> 0.2 + 2.3 * random.nextDouble();
            case DIVISOR -> sign * (0.3 + 1.7 * random.nextDouble());
        };
    }

    private static String describe(Map<String, double[]> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" = ").append(Arrays.toString(v)));
        return b.toString();
    }

    /** Every operation that can appear in a graph has a case here. */
    @Test
    void everyNonLeafKindHasACase() {
        Set<Kind> missing = EnumSet.noneOf(Kind.class);
        for (Kind k : Kind.values()) {
            if (!k.isLeaf()) {
                missing.add(k);
            }
        }
        // every function with derivative rules: the built-ins, the steps and the derivatives with a parameter
        Set<Fn> missingFns = EnumSet.noneOf(Fn.class);
        for (Fn f : Fn.values()) {
            if (f.builtin() || f.isStep() || f.param() != null) {
                missingFns.add(f);
            }
        }
        for (Case c : cases()) {
            missing.remove(c.kind() instanceof Fn ? Kind.FN : c.kind());
            missingFns.remove(c.kind());
        }
        assertTrue(missing.isEmpty(), "no derivative case for " + missing);
        assertTrue(missingFns.isEmpty(), "no derivative case for the functions " + missingFns);
    }

    // ---- the conventions at the kinks, exactly (language.md section 5: as in PyTorch) ----

    /** d loss / d param for {@code loss = root} built over scalar parameters with the given values. */
    private static Map<String, Double> gradientAt(BiFunction<Graph, List<Node>, Node> build, Map<String, Double> point) {
        Graph g = new Graph();
        List<Node> params = new ArrayList<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        point.forEach((name, v) -> {
            params.add(g.leaf(Kind.PARAM, name, S));
            values.put(name, new double[] {v});
        });
        Node loss = build.apply(g, params);
        ForwardGraph fwd = new ForwardGraph(null, g, List.of(), List.of(), params, Map.of(), loss, null);
        Gradients grads = ReverseMode.differentiate(fwd);
        Map<Node, double[]> raw = Evaluator.evaluate(grads.params().values(), values);
        Simplifier simplifier = new Simplifier(g, Set.of());
        Map<String, Double> result = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : grads.params().entrySet()) {
            double r = raw.get(e.getValue())[0];
            Node simple = simplifier.simplify(e.getValue());
            double s = Evaluator.evaluate(List.of(simple), values).get(simple)[0];
            assertEquals(r, s, "the simplified gradient keeps the convention at the kink");
            result.put(e.getKey(), r);
        }
        return result;
    }

    @Test
    void reluDerivativeAtZeroIsZero() {
        assertEquals(0.0, gradientAt((g, p) -> g.apply(Fn.RELU, p.get(0)), Map.of("x", 0.0)).get("x"));
        assertEquals(1.0, gradientAt((g, p) -> g.apply(Fn.RELU, p.get(0)), Map.of("x", 1e-300)).get("x"));
    }

    @Test
    void absDerivativeAtZeroIsZero() {
        assertEquals(0.0, gradientAt((g, p) -> g.apply(Fn.ABS, p.get(0)), Map.of("x", 0.0)).get("x"));
        assertEquals(-1.0, gradientAt((g, p) -> g.apply(Fn.ABS, p.get(0)), Map.of("x", -1e-300)).get("x"));
    }

    @Test
    void leakyReluDerivativeAtZeroIsTheSlope() {
        Map<String, Double> grad = gradientAt((g, p) -> g.apply(Fn.LEAKY_RELU, p.get(0), p.get(1)),
                orderedPoint("x", 0.0, "alpha", 0.25));
        assertEquals(0.25, grad.get("x"));
        assertEquals(0.0, grad.get("alpha"));
    }

    @Test
    void maxOnATieSendsTheGradientToItsFirstArgument() {
        Map<String, Double> grad = gradientAt((g, p) -> g.apply(Kind.MAX, p.get(0), p.get(1)), orderedPoint("a", 1.5, "b", 1.5));
        assertEquals(1.0, grad.get("a"));
        assertEquals(0.0, grad.get("b"));
        // the same with the arguments the other way round: still the first one
        grad = gradientAt((g, p) -> g.apply(Kind.MAX, p.get(1), p.get(0)), orderedPoint("a", 1.5, "b", 1.5));
        assertEquals(0.0, grad.get("a"));
        assertEquals(1.0, grad.get("b"));
        // max(a, a): both contributions reach a
        assertEquals(1.0, gradientAt((g, p) -> g.apply(Kind.MAX, p.get(0), p.get(0)), Map.of("a", -0.5)).get("a"));
    }

    @Test
    void minOnATieSendsTheGradientToItsFirstArgument() {
        Map<String, Double> grad = gradientAt((g, p) -> g.apply(Kind.MIN, p.get(0), p.get(1)), orderedPoint("a", -2.0, "b", -2.0));
        assertEquals(1.0, grad.get("a"));
        assertEquals(0.0, grad.get("b"));
    }

    @Test
    void maxOnATieWithABroadcastScalar() {
        // max(v, s) with v = [1, 2, 3], s = 2: the tie at element 1 goes to v
        Graph g = new Graph();
        Node v = g.leaf(Kind.PARAM, "v", V);
        Node s = g.leaf(Kind.PARAM, "s", S);
        Node loss = g.apply(Kind.SUM, g.apply(Kind.MAX, v, s));
        ForwardGraph fwd = new ForwardGraph(null, g, List.of(), List.of(), List.of(v, s), Map.of(), loss, null);
        Gradients grads = ReverseMode.differentiate(fwd);
        Map<String, double[]> values = Map.of("v", new double[] {1, 2, 3}, "s", new double[] {2});
        Map<Node, double[]> out = Evaluator.evaluate(grads.params().values(), values);
        assertEquals(List.of(0.0, 1.0, 1.0), box(out.get(grads.params().get("v"))));
        assertEquals(List.of(1.0), box(out.get(grads.params().get("s"))));
    }

    private static List<Double> box(double[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    private static Map<String, Double> orderedPoint(String a, double va, String b, double vb) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(a, va);
        m.put(b, vb);
        return m;
    }
}
