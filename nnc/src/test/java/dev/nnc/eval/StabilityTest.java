package dev.nnc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.Gradients;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.SourceFile;
import dev.nnc.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * language.md section 5: losses, {@code log_softmax}, {@code logsumexp}, {@code softplus} and
 * {@code bce_logits} stay finite for large inputs where the true value is finite, and so do their
 * gradients (softmax-based: {@code softmax(z) - y}, {@code sigmoid(z) - y}). Each through a small model
 * and {@link Reference#run}, for the gradients as derived and as simplified.
 */
class StabilityTest {

    /**
     * Values far from 1 in size are compared relatively; the exact answers here are 0 or 1 or hundreds,
     * so the floor 1 under the 1e-12 relative tolerance only forgives rounding at the size of 1
     * (e^-800, which is 0 in f64, against 0).
     */
    static final double TOLERANCE = 1e-12;

    record Case(String name, String source, double loss, Map<String, double[]> gradients, Map<String, double[]> forward) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        double e800 = Math.exp(-800); // 0 in f64: the exact gradients below, as f64 rounds them
        return Stream.of(
                new Case("logsumexp([800, 0, -800]) = 800",
                        "model m { param z[3] = [800, 0, -800]; loss = logsumexp(z) }",
                        800, Map.of("z", new double[] {1 / (1 + e800 + e800 * e800), e800, e800 * e800}), Map.of()),
                new Case("bce_logits(850, 0) = 850",
                        "model m { target y; param z = 850; loss = bce_logits(z, y); data { y = [0] } }",
                        850, Map.of("z", new double[] {1}), Map.of()),
                new Case("bce_logits(-850, 1) = 850",
                        "model m { target y; param z = -850; loss = bce_logits(z, y); data { y = [1] } }",
                        850, Map.of("z", new double[] {-1}), Map.of()),
                new Case("bce_logits([850, -850], [0, 1]) = 850, a constant target",
                        "model m { param z[2] = [850, -850]; loss = bce_logits(z, [0, 1]) }",
                        850, Map.of("z", new double[] {0.5, -0.5}), Map.of()),
                new Case("softplus(1000) = 1000",
                        "model m { param z = 1000; loss = softplus(z) }",
                        1000, Map.of("z", new double[] {1}), Map.of()),
                new Case("softplus(-1000) = 0",
                        "model m { param z = -1000; loss = softplus(z) }",
                        0, Map.of("z", new double[] {0}), Map.of()),
                new Case("log_softmax([1000, 0]) = [0, -1000]",
                        "model m { param z[2] = [1000, 0]; l = log_softmax(z); loss = dot(l, [1, 2]) }",
                        // d/dz sum(w (z - lse(z))) = w - sum(w) softmax(z) = [1, 2] - 3 [1, 0]
                        -2000, Map.of("z", new double[] {-2, 2}), Map.of("l", new double[] {0, -1000})),
                new Case("softmax([1000, 0]) = [1, 0]",
                        "model m { param z[2] = [1000, 0]; p = softmax(z); loss = dot(p, [1, 2]) }",
                        // s (w - s . w) = [1 (1 - 1), 0]
                        1, Map.of("z", new double[] {0, 0}), Map.of("p", new double[] {1, 0})),
                new Case("cross_entropy([1000, 0, -1000], onehot 1) = 1000",
                        "model m { target c[3] onehot; param z[3] = [1000, 0, -1000]; loss = cross_entropy(z, c);"
                                + " data { c = [1] } }",
                        1000, Map.of("z", new double[] {1, -1, 0}), Map.of()),
                new Case("cross_entropy([1000, 0, -1000], [0, 1, 0]) = 1000, a plain target",
                        "model m { target y[3]; param z[3] = [1000, 0, -1000]; loss = cross_entropy(z, y);"
                                + " data { y = [[0, 1, 0]] } }",
                        1000, Map.of("z", new double[] {1, -1, 0}), Map.of()),
                new Case("mean of bce_logits over a batch of two, far apart",
                        "model m { target y; param z = 900; loss = bce_logits(z, y); data { y = [0, 1] } }",
                        // (900 + 0) / 2, gradient (sigmoid(900) - 0 + sigmoid(900) - 1) / 2
                        450, Map.of("z", new double[] {0.5}), Map.of()))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void finiteAndExact(Case c) {
        CheckedModel model = Pipeline.check(new SourceFile("stability.nn", c.source()), null);
        Derivation d = Pipeline.derive(model);
        Map<String, Tensor> params = ParamInit.initialize(model, 0);
        List<Map<String, double[]>> samples = Reference.samples(model, model.data());
        for (Gradients grads : List.of(d.raw(), d.simplified())) {
            String form = grads == d.raw() ? "raw" : "simplified";
            Reference.Result r = Reference.run(grads, params, samples); // throws on a non-finite value
            close(c.loss(), r.loss(), c + " (" + form + "): loss");
            c.gradients().forEach((name, expected) -> close(expected, r.gradients().get(name), c + " (" + form + "): d" + name));
            c.forward().forEach((name, expected) -> close(expected, r.samples().get(0).forward().get(name),
                    c + " (" + form + "): " + name));
        }
    }

    private static void close(double expected, double actual, String what) {
        double bound = TOLERANCE * Math.max(1, Math.max(Math.abs(expected), Math.abs(actual)));
        if (!(Double.isFinite(actual) && Math.abs(expected - actual) <= bound)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static void close(double[] expected, Tensor actual, String what) {
        assertEquals(expected.length, actual.size(), what + ": size");
        for (int i = 0; i < expected.length; i++) {
            close(expected[i], actual.get(i), what + "[" + i + "]");
        }
    }
}
