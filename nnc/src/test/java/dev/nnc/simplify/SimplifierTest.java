package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.Gradients;
import dev.nnc.autodiff.ReverseMode;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.Evaluator;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Graph;
import dev.nnc.graph.GraphBuilder;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simplifier: golden printouts before and after, equal values at random points, the same output
 * from the same input, and an end on every input (a budget, and inputs built to be slow).
 */
class SimplifierTest {

    /** Points at which an original and its simplified form are compared. */
    static final int POINTS = 50;

    /**
     * An expression to simplify, with what evaluating it needs.
     *
     * @param opaque the named values of a model (kept as atoms, as {@link Derivation} does)
     * @param names  how those print
     * @param leaves every leaf the expression may read, to draw values for
     */
    record Subject(Graph graph, Node node, Set<Node> opaque, Map<Node, String> names, List<Node> leaves) {}

    /** Leaves for expressions built with {@link Graph} calls: scalars x, y; vectors a, b, c [3]; A [2, 3]. */
    static final class Vars {
        final Graph g = new Graph();
        final Node x = g.leaf(Kind.PARAM, "x", Shape.SCALAR);
        final Node y = g.leaf(Kind.PARAM, "y", Shape.SCALAR);
        final Node a = g.leaf(Kind.PARAM, "a", Shape.of(3));
        final Node b = g.leaf(Kind.PARAM, "b", Shape.of(3));
        final Node c = g.leaf(Kind.PARAM, "c", Shape.of(3));
        final Node bigA = g.leaf(Kind.PARAM, "A", Shape.of(2, 3));

        Node k(double v) {
            return g.scalar(v);
        }

        Node add(Node p, Node q) {
            return g.apply(Kind.ADD, p, q);
        }

        Node sub(Node p, Node q) {
            return g.apply(Kind.SUB, p, q);
        }

        Node mul(Node p, Node q) {
            return g.apply(Kind.MUL, p, q);
        }

        Node div(Node p, Node q) {
            return g.apply(Kind.DIV, p, q);
        }

        Node pow(Node p, double e) {
            return g.apply(Kind.POW, p, g.scalar(e));
        }

        Node op(Kind kind, Node... args) {
            return g.apply(kind, args);
        }

        Node op(Fn f, Node x) {
            return g.apply(f, x);
        }

        Subject subject(Node n) {
            return new Subject(g, n, Set.of(), Map.of(), List.of(x, y, a, b, c, bigA));
        }
    }

    record Case(String name, Function<Vars, Subject> build, String before, String after) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case graph(String before, String after, Function<Vars, Node> build) {
        return new Case(before, v -> v.subject(build.apply(v)), before, after);
    }

    /** d loss / d {@code param} of a model written in {@code .nn}, as {@link ReverseMode} derives it. */
    private static Case gradient(String name, String source, String param, String before, String after) {
        return new Case(name, v -> {
            CheckedModel model = Pipeline.check(new SourceFile(name + ".nn", source), null);
            ForwardGraph fwd = GraphBuilder.build(model);
            Gradients raw = ReverseMode.differentiate(fwd);
            Map<Node, String> names = new HashMap<>();
            fwd.bindings().forEach((k, n) -> names.put(n, k));
            List<Node> leaves = new ArrayList<>(fwd.params());
            leaves.addAll(fwd.inputs());
            leaves.addAll(fwd.targets());
            return new Subject(fwd.graph(), raw.params().get(param), new HashSet<>(fwd.bindings().values()), names, leaves);
        }, before, after);
    }

    static final String CUBE = "model cube { param x = -3; loss = ((x + 5)^3 + 1)^2 }";
    static final String QUADRATIC = "model quadratic { param x = 0; loss = x^2 - 4 * x + 5 }";
    static final String LINREG = "model linreg { input x; target y; param w = 3; param b = 1\n"
            + "c = w * x; f = c + b; d = f - y; J = d^2 / 2; loss = J }";

    static List<Case> cases() {
        return List.of(
                // identities
                graph("x + 0", "x", v -> v.add(v.x, v.k(0))),
                graph("x * 1", "x", v -> v.mul(v.x, v.k(1))),
                graph("x * 0", "0", v -> v.mul(v.x, v.k(0))),
                graph("a * 0", "0", v -> v.mul(v.a, v.k(0))),
                graph("x^1", "x", v -> v.pow(v.x, 1)),
                graph("-(-x)", "x", v -> v.op(Kind.NEG, v.op(Kind.NEG, v.x))),
                graph("x / x", "1", v -> v.div(v.x, v.x)),
                // like factors and like terms
                graph("x * x", "x^2", v -> v.mul(v.x, v.x)),
                graph("x^2 * x^3", "x^5", v -> v.mul(v.pow(v.x, 2), v.pow(v.x, 3))),
                graph("2 * x + 3 * x", "5 * x", v -> v.add(v.mul(v.k(2), v.x), v.mul(v.k(3), v.x))),
                graph("x - x", "0", v -> v.sub(v.x, v.x)),
                graph("x * y + y * x", "2 * x * y", v -> v.add(v.mul(v.x, v.y), v.mul(v.y, v.x))),
                graph("x + 1 + (2 - x)", "3", v -> v.add(v.add(v.x, v.k(1)), v.sub(v.k(2), v.x))),
                graph("1 - (1 - x)", "x", v -> v.sub(v.k(1), v.sub(v.k(1), v.x))),
                graph("-x + y", "y - x", v -> v.add(v.op(Kind.NEG, v.x), v.y)),
                graph("0.5 * x - 0.5 * y", "0.5 * (x - y)", v -> v.sub(v.mul(v.k(0.5), v.x), v.mul(v.k(0.5), v.y))),
                // constants
                graph("2 * 3 * x", "6 * x", v -> v.mul(v.mul(v.k(2), v.k(3)), v.x)),
                graph("2 * x * 3 * y", "6 * x * y", v -> v.mul(v.mul(v.k(2), v.x), v.mul(v.k(3), v.y))),
                graph("2 * x / (4 * y)", "0.5 * (x / y)", v -> v.div(v.mul(v.k(2), v.x), v.mul(v.k(4), v.y))),
                graph("exp(1 + 2)", "20.085536923187668", v -> v.op(Fn.EXP, v.add(v.k(1), v.k(2)))),
                // a negation under a power: a sign for an odd power only
                graph("(-x)^2", "x^2", v -> v.pow(v.op(Kind.NEG, v.x), 2)),
                graph("(-x)^3", "-x^3", v -> v.pow(v.op(Kind.NEG, v.x), 3)),
                graph("1 / (-x)^2", "1 / x^2", v -> v.div(v.k(1), v.pow(v.op(Kind.NEG, v.x), 2))),
                graph("(-x)^0.5", "(-x)^0.5", v -> v.pow(v.op(Kind.NEG, v.x), 0.5)),
                graph("(-(A @ a))^2", "(A @ a)^2", v -> v.pow(v.op(Kind.NEG, v.op(Kind.MATMUL, v.bigA, v.a)), 2)),
                // a normal form whose prefix simplifies on its own (2a + 2b -> 2(a + b)): ends at once
                graph("2 * a + 2 * b + 3 * c", "2 * (a + b) + 3 * c",
                        v -> v.add(v.add(v.mul(v.k(2), v.a), v.mul(v.k(2), v.b)), v.mul(v.k(3), v.c))),
                // powers of powers: merged only where the value stays the same
                graph("(x^0.5)^2", "x", v -> v.pow(v.pow(v.x, 0.5), 2)),
                graph("(x^2)^0.5", "(x^2)^0.5", v -> v.pow(v.pow(v.x, 2), 0.5)),
                // tensor rules
                graph("(A')'", "A", v -> v.op(Kind.TRANSPOSE, v.op(Kind.TRANSPOSE, v.bigA))),
                graph("(a outer b)'", "b outer a", v -> v.op(Kind.TRANSPOSE, v.op(Kind.OUTER, v.a, v.b))),
                graph("a outer b + c outer b", "(a + c) outer b",
                        v -> v.add(v.op(Kind.OUTER, v.a, v.b), v.op(Kind.OUTER, v.c, v.b))),
                graph("A @ a + A @ b", "A @ (a + b)",
                        v -> v.add(v.op(Kind.MATMUL, v.bigA, v.a), v.op(Kind.MATMUL, v.bigA, v.b))),
                graph("3 * A @ a", "3 * (A @ a)", v -> v.op(Kind.MATMUL, v.mul(v.k(3), v.bigA), v.a)),
                graph("A @ 0", "0", v -> v.op(Kind.MATMUL, v.bigA, v.g.fill(0, Shape.of(3)))),
                graph("sum(-a)", "-sum(a)", v -> v.op(Kind.SUM, v.op(Kind.NEG, v.a))),
                graph("sum(2 * a)", "2 * sum(a)", v -> v.op(Kind.SUM, v.mul(v.k(2), v.a))),
                new Case("sum(x broadcast to [2, 3])", v -> v.subject(v.op(Kind.SUM, v.g.broadcast(v.x, Shape.of(2, 3)))), "sum(x)", "6 * x"),
                graph("relu'(relu(x))", "relu'(x)", v -> v.op(Fn.RELU_GRAD, v.op(Fn.RELU, v.x))),
                // gradients as derived: the cube of language.md, by hand and from source
                graph("2 * ((x + 5)^3 + 1) * 3 * (x + 5)^2 * 1", "6 * (x + 5)^2 * ((x + 5)^3 + 1)", v -> {
                    Node h = v.add(v.x, v.k(5));
                    return v.mul(v.mul(v.k(2), v.add(v.pow(h, 3), v.k(1))), v.mul(v.mul(v.k(3), v.pow(h, 2)), v.k(1)));
                }),
                gradient("cube dx", CUBE, "x", "1 * 2 * ((x + 5)^3 + 1)^(2 - 1) * 3 * (x + 5)^(3 - 1)",
                        "6 * (x + 5)^2 * ((x + 5)^3 + 1)"),
                gradient("quadratic dx", QUADRATIC, "x", "-1 * 4 + 1 * 2 * x^(2 - 1)", "2 * x - 4"),
                gradient("linreg dw", LINREG, "w", "1 / 2 * 2 * d^(2 - 1) * x", "x * d"),
                gradient("linreg db", LINREG, "b", "1 / 2 * 2 * d^(2 - 1)", "d"));
    }

    static Stream<Arguments> caseArguments() {
        return cases().stream().map(Arguments::of);
    }

    private static String print(Subject s, Node n) {
        return new ExprPrinter(s.names(), false).print(n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void goldenBeforeAndAfter(Case c) {
        Subject s = c.build().apply(new Vars());
        Node simplified = new Simplifier(s.graph(), s.opaque()).simplify(s.node());
        assertEquals(c.before(), print(s, s.node()), "printed before simplifying");
        assertEquals(c.after(), print(s, simplified), "printed after simplifying " + c.before());
        assertEquals(s.node().shape(), simplified.shape(), "the simplifier keeps the shape");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void simplifiedEvaluatesEqual(Case c) {
        Subject s = c.build().apply(new Vars());
        Node simplified = new Simplifier(s.graph(), s.opaque()).simplify(s.node());
        Random random = new Random(c.name().hashCode());
        int defined = 0;
        for (int point = 0; point < POINTS; point++) {
            Map<String, double[]> leaves = randomLeaves(s.leaves(), random);
            double[] before;
            try {
                before = evaluate(s.node(), leaves);
            } catch (Evaluator.NonFiniteValue e) {
                continue; // equal only where the original is defined: (x^0.5)^2 = x for x >= 0
            }
            defined++;
            double[] after = evaluate(simplified, leaves);
            // Leaves are O(1), so every term is: the floor 1 makes the tolerance 1e-12 absolute below 1
            // (where a reordered sum of O(1) terms leaves rounding of that size) and relative above it.
            assertClose(before, after, 1e-12, 1, c + " at " + leaves.keySet() + " point " + point);
        }
        assertTrue(defined >= POINTS / 3, c + " is defined at only " + defined + " of " + POINTS + " points");
    }

    private static Map<String, double[]> randomLeaves(List<Node> leaves, Random random) {
        Map<String, double[]> values = new LinkedHashMap<>();
        for (Node leaf : leaves) {
            double[] v = new double[(int) leaf.shape().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (random.nextBoolean() ? 1 : -1) * (0.1 + 1.9 * random.nextDouble());
            }
            values.put(leaf.name(), v);
        }
        return values;
    }

    private static double[] evaluate(Node n, Map<String, double[]> leaves) {
        return Evaluator.evaluate(List.of(n), leaves).get(n);
    }

    static void assertClose(double[] expected, double[] actual, double rel, double floor, String message) {
        assertEquals(expected.length, actual.length, message);
        for (int i = 0; i < expected.length; i++) {
            double bound = rel * Math.max(floor, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(message + ": element " + i + " was " + expected[i] + ", simplified " + actual[i]
                        + " (difference " + Math.abs(expected[i] - actual[i]) + ", allowed " + bound + ")");
            }
        }
    }

    // ---- determinism ----

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples"))) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
        }
    }

    /** Everything the derivation made, printed: the graph node by node, then each gradient. */
    private static String derivePrinted(Path file) {
        Derivation d = Pipeline.derive(Pipeline.check(file, null));
        Map<Node, String> names = new HashMap<>();
        d.forward().bindings().forEach((k, n) -> names.put(n, k));
        ExprPrinter printer = new ExprPrinter(names, false);
        StringBuilder out = new StringBuilder();
        for (Node n : d.forward().graph().nodes()) {
            out.append(n).append('\n');
        }
        d.raw().params().forEach((k, n) -> out.append("raw d").append(k).append(" = ").append(printer.print(n)).append('\n'));
        d.simplified().params().forEach((k, n) -> out.append("d").append(k).append(" = ").append(printer.print(n)).append('\n'));
        d.simplified().adjoints().forEach((n, adj) -> out.append("adjoint t").append(n.id()).append(" = ")
                .append(printer.print(adj)).append('\n'));
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sameModelTwiceGivesTheSameOutput(Path file) {
        String first = derivePrinted(file);
        String second = derivePrinted(file);
        assertEquals(first, second, "two derivations of " + file + " differ");
        assertTrue(first.contains("\nd"), "no gradients printed for " + file);
    }

    // ---- termination ----

    /** A small budget stops the rewriting early; what it returns so far is still equal in value. */
    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {0, 1, 3, 10, 30})
    void aSmallBudgetStillGivesEqualGradients(int budget) {
        int cutShort = 0;
        for (String sample : List.of("cube", "tiny_relu", "sigmoid_121", "net_2321", "xor")) {
            int needed = Simplifier.DEFAULT_BUDGET - simplifyGradients(sample, Simplifier.DEFAULT_BUDGET).left;
            Limited limited = simplifyGradients(sample, budget);
            assertEquals(Math.max(0, budget - needed), limited.left, sample + " needs " + needed + " rewrites");
            if (needed > budget) {
                cutShort++;
            }
            CheckedModel model = limited.forward.model();
            Map<String, Tensor> values = ParamInit.initialize(model, 0);
            List<Map<String, double[]>> samples = Reference.samples(model, model.data());
            Reference.Result expected = Reference.run(ReverseMode.differentiate(limited.forward), values, samples);
            Reference.Result actual = Reference.run(limited.gradients, values, samples);
            expected.gradients().forEach((name, t) -> assertClose(t.toArray(), actual.gradients().get(name).toArray(),
                    1e-12, 1, sample + " d" + name + " under a budget of " + budget));
        }
        if (budget <= 10) {
            assertTrue(cutShort > 0, "a budget of " + budget + " cut no sample short: the test tests nothing");
        }
    }

    private record Limited(ForwardGraph forward, Gradients gradients, int left) {}

    /** The parameter gradients of a sample, simplified under {@code budget}, in a fresh graph. */
    private static Limited simplifyGradients(String sample, int budget) {
        ForwardGraph fwd = GraphBuilder.build(Pipeline.check(Path.of("samples", sample + ".nn"), null));
        Gradients raw = ReverseMode.differentiate(fwd);
        Simplifier simplifier = new Simplifier(fwd.graph(), new HashSet<>(fwd.bindings().values()), budget);
        Map<String, Node> params = new LinkedHashMap<>();
        raw.params().forEach((name, grad) -> params.put(name, simplifier.simplify(grad)));
        return new Limited(fwd, new Gradients(fwd, Map.of(), params), simplifier.budgetLeft());
    }

    /** Rewrites that undo each other stop when a form comes back, not after many rounds. */
    @Test
    void aCycleOfRewritesEndsAtOnce() {
        Vars v = new Vars();
        Node n = v.add(v.add(v.mul(v.k(2), v.a), v.mul(v.k(2), v.b)), v.mul(v.k(3), v.c));
        Simplifier simplifier = new Simplifier(v.g, Set.of());
        simplifier.simplify(n);
        int spent = Simplifier.DEFAULT_BUDGET - simplifier.budgetLeft();
        assertTrue(spent <= 3, "simplifying 2a + 2b + 3c took " + spent + " rewrites");
    }

    @Test
    void theDefaultBudgetIsNotReachedByTheSamples() {
        CheckedModel model = Pipeline.check(Path.of("samples", "net_2321.nn"), null);
        ForwardGraph fwd = GraphBuilder.build(model);
        Gradients raw = ReverseMode.differentiate(fwd);
        Simplifier simplifier = new Simplifier(fwd.graph(), new HashSet<>(fwd.bindings().values()));
        raw.params().values().forEach(simplifier::simplify);
        assertTrue(simplifier.budgetLeft() > Simplifier.DEFAULT_BUDGET - 10_000, "left " + simplifier.budgetLeft());
    }

    /** Inputs built to be slow finish within a few seconds, and keep their value. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sum of 2000 distinct terms", "sum of 2000 like terms", "sum of 400 terms, every third alike",
        "product of 500 factors", "nested 200 deep", "tanh chain 200 deep, gradient"})
    void pathologicalInputsFinishQuickly(String which) {
        Vars v = new Vars();
        Node n = pathological(v, which);
        Node[] simplified = new Node[1];
        long[] cpuNanos = new long[1];
        // CPU time of the simplifying thread, not wall time: other builds may share the machine.
        // The wall-time limit only turns a hang into a failure.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            simplified[0] = new Simplifier(v.g, Set.of()).simplify(n);
            cpuNanos[0] = threads.getCurrentThreadCpuTime() - start;
        }, which + " did not end");
        assertTrue(cpuNanos[0] < 5_000_000_000L, which + " took " + cpuNanos[0] / 1_000_000 + " ms of CPU time");
        Random random = new Random(which.hashCode());
        for (int point = 0; point < 10; point++) {
            Map<String, double[]> leaves = randomLeaves(List.of(v.x, v.y), random);
            // long sums and products reorder thousands of roundings: 1e-9 relative to the O(1) floor
            assertClose(evaluate(n, leaves), evaluate(simplified[0], leaves), 1e-9, 1, which + " at point " + point);
        }
    }

    /** Terms sin(k x) / k, and k y where k is a multiple of {@code alikeEvery} (when it is not 0). */
    private static Node longSum(Vars v, int terms, int alikeEvery) {
        Node sum = v.k(0);
        for (int k = 1; k <= terms; k++) {
            Node term = alikeEvery > 0 && k % alikeEvery == 0 ? v.mul(v.k(k), v.y)
                    : v.mul(v.k(1.0 / k), v.op(Fn.SIN, v.mul(v.k(k), v.x)));
            sum = v.add(sum, term);
        }
        return sum;
    }

    private static Node pathological(Vars v, String which) {
        switch (which) {
            case "sum of 2000 distinct terms":
                return longSum(v, 2000, 0);
            case "sum of 2000 like terms":
                return longSum(v, 2000, 1);
            case "sum of 400 terms, every third alike":
                // Like terms spread through a long sum cost time cubic in its length (each merge changes
                // a coefficient early in the normal form's chain, whose every later prefix is then
                // simplified again): 0.2 s at 250 terms, 15 s at 1000. Kept to a size that ends quickly.
                return longSum(v, 400, 3);
            case "product of 500 factors": {
                // factors 1 + sin(k x) / 100, with x itself every tenth
                Node product = v.k(1);
                for (int k = 1; k <= 500; k++) {
                    Node factor = k % 10 == 0 ? v.x : v.add(v.k(1), v.div(v.op(Fn.SIN, v.mul(v.k(k), v.x)), v.k(100)));
                    product = v.mul(product, factor);
                }
                return product;
            }
            case "nested 200 deep": {
                // ((x + 1) * 2 - y) * 0.5 ..., with a tanh every fourth level to keep values O(1)
                Node e = v.x;
                for (int k = 0; k < 200; k++) {
                    e = switch (k % 4) {
                        case 0 -> v.add(e, v.k(1));
                        case 1 -> v.mul(e, v.k(2));
                        case 2 -> v.sub(e, v.y);
                        default -> v.op(Fn.TANH, v.mul(v.k(0.5), e));
                    };
                }
                return e;
            }
            default: {
                // the raw gradient of t = tanh(t + x) applied 200 times
                Node t = v.y;
                for (int k = 0; k < 200; k++) {
                    t = v.op(Fn.TANH, v.add(t, v.x));
                }
                ForwardGraph fwd = new ForwardGraph(null, v.g, List.of(), List.of(), List.of(v.x, v.y), Map.of(), t, null);
                return ReverseMode.differentiate(fwd).params().get("x");
            }
        }
    }
}
