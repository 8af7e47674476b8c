package dev.nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.Evaluator;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random models, written as {@code .nn} source: expression trees of depth 1 to 6 over every built-in
 * and operator of the language, shape-correct by construction, with arguments kept inside their
 * domains ({@code log(1 + e^2)}, {@code sqrt(exp(e))}, divisors {@code 2 + sin(e)}). Each goes through
 * {@link Pipeline#check} and {@link Pipeline#derive}; the raw and simplified gradients evaluate equal
 * under {@link Reference#run}, and the simplified ones equal central differences of the loss over
 * every parameter element.
 *
 * <p>A model whose values overflow or leave a domain at its point (exp of a large tree, say) is
 * rejected and another one drawn, and counted. A parameter element whose finite-difference step
 * crosses a kink (relu, abs, leaky_relu at 0; max, min at a tie) is skipped and counted. To reproduce
 * a failure, the message prints the model's source: its parameters and data are literals in it.
 */
class RandomExpressionTest {

    /** Models checked: blocks of {@link #BLOCK}, each one parameterized test case. */
    static final int MODELS = 520;

    static final int BLOCK = 40;

    static final double STEP = 1e-6;

    static final double FD_TOLERANCE = 1e-6;

    static final double SIMPLIFIED_TOLERANCE = 1e-10;

    /** A model whose forward values reach this size is rejected: too wild for f64 differences. */
    static final double MAX_MAGNITUDE = 1e4;

    private static final AtomicInteger CHECKED = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final AtomicInteger SKIPPED_MODELS = new AtomicInteger();
    private static final AtomicInteger SKIPPED_ELEMENTS = new AtomicInteger();
    private static final AtomicInteger COMPARED_ELEMENTS = new AtomicInteger();
    private static final AtomicInteger NONZERO_ELEMENTS = new AtomicInteger();
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();
    private static final Map<String, AtomicInteger> USES = new ConcurrentHashMap<>();

    /** Every built-in and operator of the language, as the generated source writes it. */
    static final List<String> VOCABULARY = List.of("exp(", "log(", "sqrt(", "abs(", "sin(", "cos(", "tanh(",
            "sigmoid(", "relu(", "softplus(", "leaky_relu(", "gelu(", "silu(", "elu(", "max(", "min(", "sum(", "mean(", "dot(", "softmax(",
            "log_softmax(", "logsumexp(", "mse(", "mae(", "cross_entropy(", "bce(", "bce_logits(", "dense(",
            "swish(", "huber(", "mix(", " + ", " - ", " * ", " / ", " @ ", "(-", "^", ")'");

    static IntStream blocks() {
        return IntStream.range(0, MODELS / BLOCK);
    }

    @ParameterizedTest(name = "models {0}")
    @MethodSource("blocks")
    void gradientsMatchFiniteDifferences(int block) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            long seed = (long) block * BLOCK + i;
            for (int attempt = 0; ; attempt++) {
                ATTEMPTS.incrementAndGet();
                String source = new ModelWriter(new Random(seed * 1000 + attempt)).model("random" + seed);
                Outcome outcome;
                try {
                    outcome = check(source);
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                    break;
                }
                if (outcome.verdict() == Outcome.Verdict.REJECTED) {
                    REJECTED.incrementAndGet();
                    if (attempt >= 50) {
                        fail("50 models in a row rejected for seed " + seed + "; the last:\n" + source);
                    }
                    continue;
                }
                CHECKED.incrementAndGet();
                COMPARED_ELEMENTS.addAndGet(outcome.compared());
                NONZERO_ELEMENTS.addAndGet(outcome.nonzero());
                SKIPPED_ELEMENTS.addAndGet(outcome.skipped());
                if (outcome.skipped() > 0) {
                    SKIPPED_MODELS.incrementAndGet();
                }
                String body = source.substring(source.indexOf("model ")); // not the defs above it
                for (String word : VOCABULARY) {
                    if (body.contains(word)) {
                        USES.computeIfAbsent(word, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                break;
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + BLOCK + " models failed; the first:\n" + failures.get(0)
                    + (failures.size() > 1 ? "\n\nthe second:\n" + failures.get(1) : ""));
        }
    }

    @AfterAll
    static void fewSkippedAndFewRejected() {
        String counts = CHECKED + " models checked (" + COMPARED_ELEMENTS + " gradient elements, "
                + NONZERO_ELEMENTS + " of them not 0), "
                + SKIPPED_MODELS + " with a kink within a step (" + SKIPPED_ELEMENTS + " elements skipped), "
                + REJECTED + " of " + ATTEMPTS + " drawn rejected for overflow or domain";
        System.out.println("RandomExpressionTest: " + counts);
        System.out.println("RandomExpressionTest: models using each word: " + new java.util.TreeMap<>(USES));
        assertTrue(SKIPPED_MODELS.get() < 0.05 * CHECKED.get(), "too many skipped: " + counts);
        assertTrue(REJECTED.get() < 0.25 * ATTEMPTS.get(), "the generator makes too many unusable models: " + counts);
        if (CHECKED.get() >= MODELS) {
            assertTrue(NONZERO_ELEMENTS.get() >= 3 * CHECKED.get(), "too few gradients that are not 0: " + counts);
            for (String word : VOCABULARY) {
                int uses = USES.getOrDefault(word, new AtomicInteger()).get();
                assertTrue(uses >= 10, "'" + word.trim() + "' appears in only " + uses + " of the models");
            }
        }
    }

    /** What checking one model came to, and how many gradient elements it compared or skipped. */
    record Outcome(Verdict verdict, int compared, int nonzero, int skipped) {
        enum Verdict { CHECKED, REJECTED }

        static final Outcome REJECTED = new Outcome(Verdict.REJECTED, 0, 0, 0);
    }

    /** A kink within a step of the point is seen, and that element skipped rather than compared. */
    @Test
    void aKinkWithinAStepIsSkipped() {
        String source = "model kink {\n    param a[3] = [0.3000001, 0.5, -0.2]\n    param s = 0.5\n"
                + "    loss = sum(relu(a - 0.3)) + abs(s - 0.5000004) + max(s, 0.4999995)\n}\n";
        Outcome o = check(source);
        // a[0] is 1e-7 from relu's kink; s is within a step of abs's kink and of max's tie
        assertEquals(2, o.skipped(), source);
        assertEquals(2, o.compared(), source);
    }

    /** One model: check, derive, compare. An {@link AssertionError} carries the source. */
    static Outcome check(String source) {
        CheckedModel model;
        try {
            model = Pipeline.check(new SourceFile("random.nn", source), null);
        } catch (CompileError e) {
            throw new AssertionError("the generator wrote a model the checker rejects: " + e.getMessage()
                    + "\n" + source, e);
        }
        Derivation d = Pipeline.derive(model);
        Map<String, Tensor> params = ParamInit.initialize(model, model.train().seed());
        List<Map<String, double[]>> samples = Reference.samples(model, model.data());
        Gradients lossOnly = new Gradients(d.forward(), Map.of(), Map.of());
        double forwardMagnitude;
        Reference.Result raw;
        try {
            Reference.run(lossOnly, params, samples);
            forwardMagnitude = magnitude(forwardRoots(d), params, samples);
            raw = Reference.run(d.raw(), params, samples);
        } catch (Reference.SampleFailure e) {
            return Outcome.REJECTED; // the point is outside a domain, or overflows
        }
        if (!(forwardMagnitude < MAX_MAGNITUDE)) {
            return Outcome.REJECTED;
        }
        Reference.Result simplified;
        try {
            simplified = Reference.run(d.simplified(), params, samples);
        } catch (Reference.SampleFailure e) {
            throw new AssertionError("the simplified gradients fail where the raw ones do not: " + e.getMessage()
                    + "\n" + source, e);
        }
        double rawMagnitude = magnitude(new ArrayList<>(d.raw().params().values()), params, samples);
        Kinks kinks = new Kinks(d, samples);
        int compared = 0;
        int nonzero = 0;
        int skipped = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            String name = e.getKey();
            double[] r = raw.gradients().get(name).toArray();
            double[] s = simplified.gradients().get(name).toArray();
            for (int i = 0; i < r.length; i++) {
                String where = "d loss / d " + name + "[" + i + "]";
                // The simplified gradient computes the same value in another order: it differs by
                // rounding, relative to the size of what the raw gradient computes on the way.
                close(r[i], s[i], SIMPLIFIED_TOLERANCE, 1e-3 * rawMagnitude, "simplified vs raw " + where, source);
                double x = e.getValue().get(i);
                double h = STEP * Math.max(1, Math.abs(x));
                Map<String, Tensor> up = with(params, name, i, x + h);
                Map<String, Tensor> down = with(params, name, i, x - h);
                if (kinks.crossed(params, up, down)) {
                    skipped++;
                    continue;
                }
                double fd;
                try {
                    fd = (Reference.run(lossOnly, up, samples).loss() - Reference.run(lossOnly, down, samples).loss())
                            / ((x + h) - (x - h));
                } catch (Reference.SampleFailure f) {
                    throw new AssertionError("the loss fails a step away from a point where it is finite: "
                            + f.getMessage() + "\n" + source, f);
                }
                // The two losses are rounded to a few ulps of the largest value computed on the way
                // (forwardMagnitude); divided by h = 1e-6 max(1, |x|) that is about 2e-10 of it per ulp.
                // The floor 1e-3 * forwardMagnitude / max(1, |x|) under the relative tolerance leaves
                // room for 4 such ulps; a gradient at or above the floor is held to 1e-6 relative.
                close(fd, s[i], FD_TOLERANCE, 1e-3 * forwardMagnitude / Math.max(1, Math.abs(x)),
                        "central difference vs simplified " + where, source);
                compared++;
                nonzero += s[i] != 0 ? 1 : 0;
            }
        }
        return new Outcome(Outcome.Verdict.CHECKED, compared, nonzero, skipped);
    }

    private static List<Node> forwardRoots(Derivation d) {
        List<Node> roots = new ArrayList<>(d.forward().bindings().values());
        roots.add(d.forward().loss());
        return roots;
    }

    /** The largest |value| of any node below {@code roots}, over the samples. */
    private static double magnitude(List<Node> roots, Map<String, Tensor> params, List<Map<String, double[]>> samples) {
        double m = 0;
        for (Map<String, double[]> sample : samples) {
            for (double[] v : Evaluator.evaluate(roots, leaves(sample, params)).values()) {
                for (double x : v) {
                    m = Math.max(m, Math.abs(x));
                }
            }
        }
        return m;
    }

    static Map<String, double[]> leaves(Map<String, double[]> sample, Map<String, Tensor> params) {
        Map<String, double[]> leaves = new LinkedHashMap<>(sample);
        params.forEach((k, t) -> leaves.put(k, t.toArray()));
        return leaves;
    }

    private static Map<String, Tensor> with(Map<String, Tensor> params, String name, int i, double value) {
        Map<String, Tensor> copy = new LinkedHashMap<>(params);
        double[] v = params.get(name).toArray();
        v[i] = value;
        copy.put(name, new Tensor(params.get(name).shape(), v));
        return copy;
    }

    static void close(double expected, double actual, double rel, double floor, String what, String source) {
        double bound = rel * Math.max(floor, Math.max(Math.abs(expected), Math.abs(actual)));
        if (!(Math.abs(expected - actual) <= bound)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual + " (difference "
                    + Math.abs(expected - actual) + ", allowed " + bound + ")\n" + source);
        }
    }

    /** The branches the loss takes at its kinks: relu, leaky_relu, abs at 0; max and min at a tie. */
    static final class Kinks {
        private final List<Node> nodes = new ArrayList<>();
        private final List<Map<String, double[]>> samples;

        Kinks(Derivation d, List<Map<String, double[]>> samples) {
            this.samples = samples;
            for (Node n : ReverseMode.reachable(d.forward().loss())) {
                Kind k = n.kind();
                if (n.is(Fn.RELU) || n.is(Fn.LEAKY_RELU) || n.is(Fn.ELU) || n.is(Fn.ABS) || k == Kind.MAX || k == Kind.MIN) {
                    nodes.add(n);
                }
            }
        }

        /** True when a kink lies between the points {@code down} and {@code up} (around {@code at}). */
        boolean crossed(Map<String, Tensor> at, Map<String, Tensor> up, Map<String, Tensor> down) {
            if (nodes.isEmpty()) {
                return false;
            }
            for (Map<String, double[]> sample : samples) {
                String here = branches(leaves(sample, at));
                if (!here.equals(branches(leaves(sample, up))) || !here.equals(branches(leaves(sample, down)))) {
                    return true;
                }
            }
            return false;
        }

        private String branches(Map<String, double[]> leaves) {
            Map<Node, double[]> values = Evaluator.evaluate(nodes, leaves);
            StringBuilder b = new StringBuilder();
            for (Node n : nodes) {
                double[] x = values.get(n.arg(0));
                double[] y = n.args().size() > 1 ? values.get(n.arg(1)) : null;
                int size = (int) n.shape().size();
                for (int i = 0; i < size; i++) {
                    double xi = x[x.length == 1 ? 0 : i];
                    char c = n.is(Fn.ABS) ? (xi > 0 ? '+' : xi < 0 ? '-' : '0')
                            : n.fn() != null ? (xi > 0 ? '+' : '-')
                            : n.kind() == Kind.MAX ? (xi >= y[y.length == 1 ? 0 : i] ? 'a' : 'b')
                            : (xi <= y[y.length == 1 ? 0 : i] ? 'a' : 'b');
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /**
     * Writes one random model. Shapes: S scalar, V [3], M [3, 3]. Parameters a, b [3], s, M [3, 3];
     * input x [3]; targets y [3] (values in [0, 1]) and c [3] onehot; sometimes named values u [3],
     * w [] and a dense layer h [3]. An expression of a shape is built from parts of the shapes its
     * operation takes, so every model checks.
     */
    static final class ModelWriter {
        enum Sh { S, V, M }

        private final Random r;
        private final List<String> scalars = new ArrayList<>(List.of("s"));
        private final List<String> vectors = new ArrayList<>(List.of("a", "b", "x", "y", "c"));
        private final List<String> matrices = new ArrayList<>(List.of("M"));

        ModelWriter(Random r) {
            this.r = r;
        }

        String model(String name) {
            StringBuilder b = new StringBuilder();
            b.append("def swish(z) = z * sigmoid(z)\n");
            b.append("def huber(r) = sqrt(1 + r^2) - 1\n");
            b.append("def mix(p, q) = p * sigmoid(q) + q\n");
            b.append("model ").append(name).append(" {\n");
            b.append("    input  x[3]\n    target y[3]\n    target c[3] onehot\n");
            b.append("    param a[3] = ").append(vector(-1, 1, 3)).append('\n');
            b.append("    param b[3] = ").append(vector(-1, 1, 3)).append('\n');
            b.append("    param s = ").append(String.format(Locale.ROOT, "%.3f", -1.5 + 3 * r.nextDouble())).append('\n');
            b.append("    param M[3, 3] = [").append(vector(-1, 1, 3)).append(", ").append(vector(-1, 1, 3))
                    .append(", ").append(vector(-1, 1, 3)).append("]\n");
            if (r.nextInt(4) == 0) {
                b.append("    u = ").append(expr(Sh.V, 1 + r.nextInt(3))).append('\n');
                vectors.add("u");
            }
            if (r.nextInt(5) == 0) {
                b.append("    w = ").append(expr(Sh.S, 1 + r.nextInt(3))).append('\n');
                scalars.add("w");
            }
            if (r.nextInt(5) == 0) {
                String[] acts = {"tanh", "sigmoid", "relu", "softplus", "swish", "huber", "gelu", "silu", "elu"};
                b.append("    h = dense(").append(pick(vectors.subList(0, 3))).append(", 3, ")
                        .append(acts[r.nextInt(acts.length)]).append(")\n");
                vectors.add("h");
            }
            if (r.nextInt(8) == 0) {
                b.append("    G = ").append(expr(Sh.M, 1 + r.nextInt(2))).append('\n');
                matrices.add("G");
            }
            b.append("    loss = ").append(loss(1 + r.nextInt(6))).append('\n');
            int n = 2 + r.nextInt(2);
            b.append("    data {\n        x = [").append(rows(n, -1, 1)).append("]\n");
            b.append("        y = [").append(rows(n, 0, 1)).append("]\n");
            b.append("        c = [");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ", ").append(r.nextInt(3));
            }
            b.append("]\n    }\n}\n");
            return b.toString();
        }

        private String loss(int depth) {
            return switch (r.nextInt(10)) {
                case 0 -> "sum(" + expr(pickShape(), depth) + ")";
                case 8 -> "logsumexp(" + expr(pickShape(), depth) + ")";
                case 1 -> "mean(" + expr(pickShape(), depth) + ")";
                case 2 -> expr(Sh.S, depth);
                case 3 -> "mse(" + expr(Sh.V, depth) + ", y)";
                case 4 -> "mae(" + expr(Sh.V, depth) + ", y)";
                case 5 -> "bce_logits(" + expr(Sh.V, depth) + ", y)";
                case 6 -> "cross_entropy(" + expr(Sh.V, depth) + ", c)";
                case 7 -> "bce(sigmoid(tanh(" + expr(Sh.V, depth) + ")), y)";
                default -> "0.5 * sum((" + expr(Sh.V, depth) + " - y)^2)";
            };
        }

        /** An expression of shape {@code sh} whose deepest branch is {@code depth} operations deep. */
        String expr(Sh sh, int depth) {
            if (depth <= 0) {
                return leaf(sh);
            }
            int d = depth - 1;
            int choice = r.nextInt(sh == Sh.S ? 26 : sh == Sh.V ? 24 : 23);
            switch (choice) {
                case 0, 1, 2: {
                    // + - *, the other side the same shape or a scalar, either way round
                    String op = new String[] {" + ", " - ", " * "}[choice];
                    String other = expr(r.nextInt(3) == 0 ? Sh.S : sh, any(d));
                    String main = expr(sh, d);
                    return r.nextBoolean() ? "(" + main + op + other + ")" : "(" + other + op + main + ")";
                }
                case 3:
                    return "(" + expr(sh, d) + " / " + divisor(r.nextInt(3) == 0 ? Sh.S : sh, any(d)) + ")";
                case 4:
                    return "(-" + expr(sh, d) + ")";
                case 5:
                    return "(" + expr(sh, d) + ")^" + (r.nextBoolean() ? "2" : "3");
                case 6:
                    return positive(sh, d) + "^" + (r.nextBoolean() ? "0.5" : "-1.5");
                case 7: {
                    // a varying exponent: its derivative uses log of the (positive) base
                    String k = switch (r.nextInt(3)) {
                        case 0 -> "s";
                        case 1 -> "tanh(" + expr(r.nextBoolean() ? Sh.S : sh, any(d)) + ")";
                        default -> "sin(" + expr(Sh.S, any(d)) + ")";
                    };
                    return positive(sh, d) + "^" + k;
                }
                case 8, 9, 10, 11: {
                    String[] f = {"exp", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "abs", "swish", "huber", "gelu", "silu",
                            "elu"};
                    String fn = f[r.nextInt(f.length)];
                    return fn + "(" + (fn.equals("exp") ? bounded(sh, d) : expr(sh, d)) + ")";
                }
                case 12:
                    return (r.nextBoolean() ? "log(" : "sqrt(") + positive(sh, d) + ")";
                case 13: {
                    String alpha = switch (r.nextInt(3)) {
                        case 0 -> "0.1";
                        case 1 -> "s";
                        default -> expr(Sh.S, any(d));
                    };
                    return "leaky_relu(" + expr(sh, d) + ", " + alpha + ")";
                }
                case 14, 15: {
                    String other = expr(r.nextInt(3) == 0 ? Sh.S : sh, any(d));
                    return (choice == 14 ? "max(" : "min(") + expr(sh, d) + ", " + other + ")";
                }
                case 16:
                    return "mix(" + expr(sh, d) + ", " + expr(sh, any(d)) + ")";
                case 17, 18, 19, 20:
                    return leaf(sh); // keeps some branches short
                default:
                    return sh == Sh.S ? scalarOnly(choice, d) : sh == Sh.V ? vectorOnly(choice, d) : matrixOnly(d);
            }
        }

        private String scalarOnly(int choice, int d) {
            return switch (choice) {
                case 21 -> new String[] {"sum(", "mean(", "logsumexp("}[r.nextInt(3)] + expr(pickShape(), d) + ")";
                case 22 -> r.nextBoolean() ? "dot(" + expr(Sh.V, d) + ", " + expr(Sh.V, any(d)) + ")"
                        : "(" + expr(Sh.V, d) + " @ " + expr(Sh.V, any(d)) + ")";
                case 23 -> {
                    Sh sh = pickShape();
                    yield new String[] {"mse(", "mae(", "bce_logits("}[r.nextInt(3)] + expr(sh, d) + ", "
                            + expr(sh, any(d)) + ")";
                }
                case 24 -> "cross_entropy(" + expr(Sh.V, d) + ", " + expr(Sh.V, any(d)) + ")";
                default -> "bce(sigmoid(tanh(" + expr(Sh.V, d) + ")), " + expr(Sh.V, any(d)) + ")";
            };
        }

        private String vectorOnly(int choice, int d) {
            return switch (choice) {
                case 21 -> (r.nextBoolean() ? "softmax(" : "log_softmax(") + expr(Sh.V, d) + ")";
                case 22 -> r.nextBoolean() ? "(" + expr(Sh.M, any(d)) + " @ " + expr(Sh.V, d) + ")"
                        : "(" + expr(Sh.V, d) + " @ " + expr(Sh.M, any(d)) + ")";
                default -> "(" + expr(Sh.V, d) + ")'";
            };
        }

        private String matrixOnly(int d) {
            return r.nextBoolean() ? "(" + expr(Sh.M, d) + " @ " + expr(Sh.M, any(d)) + ")" : "(" + expr(Sh.M, d) + ")'";
        }

        /** Positive wherever it is defined: for log, sqrt, fractional and varying exponents. */
        private String positive(Sh sh, int d) {
            return switch (r.nextInt(4)) {
                case 0 -> "(1 + " + expr(sh, d) + "^2)";
                case 1 -> "exp(" + bounded(sh, d) + ")";
                case 2 -> "sigmoid(" + expr(sh, d) + ")";
                default -> "(2 + cos(" + expr(sh, d) + "))";
            };
        }

        /** At least 1 in size: a divisor. */
        private String divisor(Sh sh, int d) {
            return switch (r.nextInt(3)) {
                case 0 -> "(1 + " + expr(sh, d) + "^2)";
                case 1 -> "(2 + sin(" + expr(sh, d) + "))";
                default -> "(1 + exp(" + bounded(sh, d) + "))";
            };
        }

        /** An argument for exp: a tree most of the time, squashed by tanh some of the time. */
        private String bounded(Sh sh, int d) {
            return r.nextInt(3) == 0 ? "3 * tanh(" + expr(sh, d) + ")" : expr(sh, d);
        }

        private String leaf(Sh sh) {
            return switch (sh) {
                case S -> r.nextInt(4) == 0 ? number(-2, 2, 2) : pick(scalars);
                case V -> switch (r.nextInt(6)) {
                    case 0 -> vector(-2, 2, 2);
                    case 1 -> "(" + pick(matrices) + " @ " + pick(List.of("a", "b", "x")) + ")";
                    case 2, 3 -> pick(List.of("a", "b"));
                    default -> pick(vectors);
                };
                case M -> pick(matrices);
            };
        }

        private int any(int d) {
            return r.nextInt(d + 1);
        }

        private Sh pickShape() {
            return Sh.values()[r.nextInt(3)];
        }

        private String pick(List<String> names) {
            return names.get(r.nextInt(names.size()));
        }

        /** A number in [lo, hi] with {@code digits} decimals; negative ones in parentheses. */
        private String number(double lo, double hi, int digits) {
            String v = String.format(Locale.ROOT, "%." + digits + "f", lo + (hi - lo) * r.nextDouble());
            return v.startsWith("-") ? "(" + v + ")" : v;
        }

        private String vector(double lo, double hi, int digits) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < 3; i++) {
                String v = String.format(Locale.ROOT, "%." + digits + "f", lo + (hi - lo) * r.nextDouble());
                b.append(i == 0 ? "" : ", ").append(v);
            }
            return b.append(']').toString();
        }

        private String rows(int n, double lo, double hi) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ", ").append(vector(lo, hi, 2));
            }
            return b.toString();
        }
    }
}
