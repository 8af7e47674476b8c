package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.Gradients;
import dev.nnc.check.CheckedModel;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.tensor.Tensor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle numbers of {@code samples/README.md} and the samples' comments, through the reference
 * evaluator, for the gradients as derived and as simplified.
 *
 * <p>A number that is exact in decimal (the tutorials' hand-worked numbers, such as 0.2592 or 84.5) is
 * held to 1e-12 relative: only binary rounding separates it from the f64 result. A number printed
 * rounded to some decimals (0.622459) is held to half a unit of its last decimal, which is all it says.
 */
class SeedNumbersTest {

    /** Relative tolerance for numbers that are exact in decimal. */
    static final double EXACT = 1e-12;

    static Stream<String> forms() {
        return Stream.of("raw", "simplified");
    }

    /** The sample through {@link Reference#run} at its initial parameters, on its inline data. */
    private static Reference.Result run(String sample, String form) {
        CheckedModel model = Pipeline.check(Path.of("samples", sample + ".nn"), null);
        Derivation d = Pipeline.derive(model);
        Gradients grads = form.equals("raw") ? d.raw() : d.simplified();
        Map<String, Tensor> params = ParamInit.initialize(model, model.train().seed());
        return Reference.run(grads, params, Reference.samples(model, model.data()));
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void tinyRelu(String form) {
        Reference.Result r = run("tiny_relu", form);
        exact(0.2592, r.loss(), "loss");
        Reference.SampleTrace t = r.samples().get(0);
        exact(new double[] {0.8, 1.2}, t.forward().get("h"), "h = Z1");
        exact(new double[] {1.42}, t.forward().get("out"), "out");
        exact(new double[] {0.72}, t.backward().get("out"), "dloss/dout = out - y");
        exact(new double[] {0.36, 0.432, 0.72, 0.864}, r.gradients().get("W1"), "W1.grad");
        exact(new double[] {0.36, 0.432}, r.gradients().get("b1"), "b1.grad");
        exact(new double[] {0.576, 0.864}, r.gradients().get("W2"), "W2.grad");
        exact(new double[] {0.72}, r.gradients().get("b2"), "b2.grad");
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void cube(String form) {
        Reference.Result r = run("cube", form);
        exact(81, r.loss(), "f");
        exact(new double[] {216}, r.gradients().get("x"), "df/dx");
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void linregOne(String form) {
        Reference.Result r = run("linreg_one", form);
        exact(84.5, r.loss(), "J");
        exact(new double[] {39}, r.gradients().get("w"), "dJ/dw");
        exact(new double[] {-13}, r.gradients().get("b"), "dJ/db");
        Reference.SampleTrace t = r.samples().get(0);
        exact(new double[] {-9}, t.forward().get("c"), "c = w x");
        exact(new double[] {-8}, t.forward().get("f"), "f = c + b");
        exact(new double[] {-13}, t.forward().get("d"), "d = f - y");
        exact(new double[] {84.5}, t.forward().get("J"), "J = d^2 / 2");
        exact(new double[] {1}, t.backward().get("J"), "dJ/dJ");
        for (String name : List.of("d", "f", "c")) {
            exact(new double[] {-13}, t.backward().get(name), "dJ/d" + name);
        }
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void quadratic(String form) {
        Reference.Result r = run("quadratic", form);
        exact(5, r.loss(), "f(0)");
        exact(new double[] {-4}, r.gradients().get("x"), "f'(0)");
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void sigmoid121(String form) {
        Reference.Result r = run("sigmoid_121", form);
        Reference.SampleTrace t = r.samples().get(0);
        exact(new double[] {0.5, 0.6}, t.forward().get("z1"), "z1");
        digits(new String[] {"0.622459", "0.645656"}, t.forward().get("a1"), "a1");
        digits("1.139529", t.forward().get("z2").get(0), "z2");
        digits("0.757593", t.forward().get("yhat").get(0), "yhat");
        digits("0.286974", r.loss(), "loss");
        digits("0.139129", t.backward().get("z2").get(0), "delta2 = dloss/dz2");
        digits(new String[] {"0.013078", "0.014324"}, t.backward().get("z1"), "delta1 = dloss/dz1");
        digits(new String[] {"0.086602", "0.089829"}, r.gradients().get("W2"), "W2.grad");
        digits("0.139129", r.gradients().get("b2").get(0), "b2.grad");
        // column 1 of W1 never meets x (the input enters as [x, 0]): exactly zero
        digits(new String[] {"0.013078", "0", "0.014324", "0"}, r.gradients().get("W1"), "W1.grad");
        assertEquals(0.0, r.gradients().get("W1").get(1), "W1.grad[0][1]");
        assertEquals(0.0, r.gradients().get("W1").get(3), "W1.grad[1][1]");
        digits("0.027402", r.gradients().get("b1").get(0), "b1.grad = delta1[0] + delta1[1]");
    }

    @ParameterizedTest(name = "{0} gradients")
    @MethodSource("forms")
    void net2321(String form) {
        Reference.Result r = run("net_2321", form);
        Reference.SampleTrace s1 = r.samples().get(0);
        Reference.SampleTrace s2 = r.samples().get(1);
        // z1 and z2 are exact in decimal: integers, and sums of 4-decimal weights times integers
        exact(new double[] {2, 12, 3}, s1.forward().get("a1"), "sample 1 a1");
        exact(new double[] {7.5322, 0.1978}, s1.forward().get("a2"), "sample 1 a2");
        exact(new double[] {4, 30, 9}, s2.forward().get("a1"), "sample 2 a1");
        exact(new double[] {18.1242, 1.5118}, s2.forward().get("a2"), "sample 2 a2");
        double out1 = s1.forward().get("out").get(0);
        double out2 = s2.forward().get("out").get(0);
        digits("-2.600043", Math.log(out1 / (1 - out1)), "sample 1 z3 = logit(out)");
        digits("-6.429409", Math.log(out2 / (1 - out2)), "sample 2 z3 = logit(out)");
        digits("0.069136", out1, "sample 1 out");
        digits("0.001611", out2, "sample 2 out");
        digits("0.185644", s1.loss(), "sample 1 loss");
        digits("0.637425", s2.loss(), "sample 2 loss");
        digits("0.411535", r.loss(), "batch loss");
        digits(new String[] {"-0.232129", "-0.007426"}, r.gradients().get("W3"), "W3.grad");
        digits(new String[] {"-0.029013"}, r.gradients().get("b3"), "b3.grad");
        digits(new String[] {"0.023171", "0.141971", "0.036229", "-0.010192", "-0.062446", "-0.015936"},
                r.gradients().get("W2"), "W2.grad");
        digits(new String[] {"0.011094", "-0.004880"}, r.gradients().get("b2"), "b2.grad");
        digits(new String[] {"0.007977", "0.015306", "0.006519", "0.012507", "-0.002060", "-0.003952"},
                r.gradients().get("W1"), "W1.grad");
        digits(new String[] {"0.007329", "0.005989", "-0.001892"}, r.gradients().get("b1"), "b1.grad");
    }

    // ---- comparisons ----

    private static void exact(double expected, double actual, String what) {
        if (!(Math.abs(expected - actual) <= EXACT * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (relative tolerance " + EXACT + ")");
        }
    }

    private static void exact(double[] expected, Tensor actual, String what) {
        assertEquals(expected.length, actual.size(), what + ": size");
        for (int i = 0; i < expected.length; i++) {
            exact(expected[i], actual.get(i), what + "[" + i + "]");
        }
    }

    /** {@code actual} rounds to {@code given}: within half a unit of its last decimal. */
    private static void digits(String given, double actual, String what) {
        BigDecimal g = new BigDecimal(given);
        double halfUnit = 0.5 * Math.pow(10, -g.scale());
        double expected = g.doubleValue();
        // the binary rounding of the half unit and of the number itself must not decide
        if (!(Math.abs(expected - actual) <= halfUnit * (1 + 1e-9))) {
            fail(what + ": expected " + given + " (to " + g.scale() + " decimals), got " + actual);
        }
    }

    private static void digits(String[] given, Tensor actual, String what) {
        assertEquals(given.length, actual.size(), what + ": size");
        for (int i = 0; i < given.length; i++) {
            digits(given[i], actual.get(i), what + "[" + i + "]");
        }
    }
}
