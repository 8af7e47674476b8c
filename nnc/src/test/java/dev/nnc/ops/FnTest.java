package dev.nnc.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.JsonReader;
import dev.nnc.runtime.NncMath;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The functions' facts: values and derivatives against PyTorch ({@code torch/activations.json},
 * written by {@code nnc/src/test/python/torch_reference.py}), each derivative rule against its own
 * internal derivative and a central difference, and the runtime methods generated code calls.
 */
class FnTest {

    /** torch's spelling in the fixture: the function with its parameter where it differs from the default. */
    private record Torch(String key, Fn fn, double param) {}

    private static final List<Torch> TORCH = List.of(
            new Torch("gelu", Fn.GELU, Double.NaN), new Torch("silu", Fn.SILU, Double.NaN),
            new Torch("elu", Fn.ELU, 1.0), new Torch("elu_0.5", Fn.ELU, 0.5),
            new Torch("leaky_relu", Fn.LEAKY_RELU, 0.01), new Torch("leaky_relu_0.2", Fn.LEAKY_RELU, 0.2),
            new Torch("softplus", Fn.SOFTPLUS, Double.NaN));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws IOException {
        try (InputStream in = FnTest.class.getResourceAsStream("/torch/activations.json")) {
            assertNotNull(in, "torch/activations.json is missing from the test resources");
            return JsonReader.object(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    /** |a - b| within rel of the larger, or within abs: torch's gelu(-30) is -0.0 where the exact value is -1e-197. */
    private static void assertClose(double expected, double actual, double rel, double abs, String what) {
        if (expected == actual) {
            return; // infinities too
        }
        double bound = Math.max(abs, rel * Math.max(Math.abs(expected), Math.abs(actual)));
        assertTrue(Math.abs(expected - actual) <= bound, what + ": torch " + expected + ", nnc " + actual);
    }

    @Test
    @SuppressWarnings("unchecked")
    void valuesAndDerivativesAgreeWithPyTorch() throws IOException {
        Map<String, Object> doc = fixture();
        List<Object> points = (List<Object>) doc.get("points");
        Map<String, Object> functions = (Map<String, Object>) doc.get("functions");
        for (Torch t : TORCH) {
            Map<String, Object> f = (Map<String, Object>) functions.get(t.key());
            assertNotNull(f, t.key());
            List<Object> values = (List<Object>) f.get("value");
            List<Object> derivatives = (List<Object>) f.get("derivative");
            double a = Double.isNaN(t.param()) ? Double.NaN : t.param();
            for (int i = 0; i < points.size(); i++) {
                double x = number(points.get(i));
                String where = t.key() + " at " + x;
                // 1e-9: torch's gelu is 0.5 x (1 + erf(x / sqrt 2)), which cancels in the negative tail (4e-11
                // off at -5, where nnc's erfc form agrees with the exact value to 1e-15); its softplus is x
                // itself above 20, its elu uses exp(x) - 1
                assertClose(number(values.get(i)), t.fn().value(x, a), 1e-9, 1e-150, where);
                assertClose(number(derivatives.get(i)), derivative(t.fn(), x, a), 1e-9, 1e-150, where + ", the derivative");
            }
        }
    }

    /** The rule dx evaluated at a point, through a tiny algebra over doubles. */
    static double derivative(Fn f, double x, double a) {
        Double d = f.dx(new Numbers(), x, Double.isNaN(a) ? null : a, f.value(x, a));
        return d == null ? 0 : d;
    }

    /** Each built-in's derivative rule against a central difference of its value, away from kinks. */
    @ParameterizedTest
    @EnumSource(Fn.class)
    void derivativeRulesMatchCentralDifferences(Fn f) {
        if (!f.builtin() && !f.isStep() && f.param() == null) {
            return; // gelu', silu': derivatives never differentiated again
        }
        double a = f.param() == null ? Double.NaN : 0.3;
        for (double x : new double[] {-2.5, -0.7, -0.05, 0.05, 0.4, 1.3, 3}) {
            if (x <= 0 && (f == Fn.LOG || f == Fn.SQRT)) {
                continue;
            }
            double h = 1e-6;
            double fd = (f.value(x + h, a) - f.value(x - h, a)) / (2 * h);
            assertClose(fd, derivative(f, x, a), 1e-6, 1e-9, f + "' at " + x);
            if (f.param() != null) {
                Double da = f.da(new Numbers(), x, a, f.value(x, a));
                double fda = (f.value(x, a + h) - f.value(x, a - h)) / (2 * h);
                assertClose(fda, da == null ? 0 : da, 1e-6, 1e-9, "d" + f + "/d" + f.param() + " at " + x);
            }
        }
    }

    /** Generated code calls NncMath.<javaMethod> in both precisions; its double version is the f64 value. */
    @ParameterizedTest
    @EnumSource(Fn.class)
    void theRuntimeHasTheMethodGeneratedCodeCalls(Fn f) throws Exception {
        Class<?>[] f64 = f.param() == null ? new Class<?>[] {double.class} : new Class<?>[] {double.class, double.class};
        Class<?>[] f32 = f.param() == null ? new Class<?>[] {float.class} : new Class<?>[] {float.class, float.class};
        Method d = NncMath.class.getMethod(f.javaMethod(), f64);
        Method s = NncMath.class.getMethod(f.javaMethod(), f32);
        assertEquals(double.class, d.getReturnType());
        assertEquals(float.class, s.getReturnType());
        for (double x : new double[] {-3, -0.5, 0, 0.25, 2}) {
            if (x < 0 && (f == Fn.LOG || f == Fn.SQRT)) {
                continue;
            }
            Object[] args = f.param() == null ? new Object[] {x} : new Object[] {x, 0.2};
            assertEquals((Double) d.invoke(null, args), f.value(x, 0.2), f + " at " + x);
            Object[] fargs = f.param() == null ? new Object[] {(float) x} : new Object[] {(float) x, 0.2f};
            assertClose(f.value(x, 0.2), (Float) s.invoke(null, fargs), 1e-6, 1e-6, f + " in f32 at " + x);
        }
    }

    @Test
    void builtinsAreFoundByTheirNames() {
        assertEquals(Fn.GELU, Fn.builtin("gelu"));
        assertEquals(Fn.LEAKY_RELU, Fn.builtin("leaky_relu"));
        assertEquals(null, Fn.builtin("relu'"), "a derivative is no built-in");
        assertEquals("leakyReluGrad", Fn.LEAKY_RELU_GRAD.javaMethod());
    }

    @Test
    void erfIsAccurateInBothTails() {
        // erf(0.5), erf(1), erf(3) and erfc(5), erfc(10) to 16 digits (Abramowitz and Stegun, Table 7.1; DLMF 7.2)
        assertClose(0.5204998778130465, NncMath.erf(0.5), 5e-16, 0, "erf(0.5)");
        assertClose(0.8427007929497149, NncMath.erf(1.0), 5e-16, 0, "erf(1)");
        assertClose(0.9999779095030014, NncMath.erf(3.0), 5e-16, 0, "erf(3)");
        assertClose(1.5374597944280349e-12, NncMath.erfc(5.0), 1e-14, 0, "erfc(5)");
        assertClose(2.088487583762545e-45, NncMath.erfc(10.0), 1e-14, 0, "erfc(10)");
        assertClose(-NncMath.erf(0.7), NncMath.erf(-0.7), 0, 0, "erf is odd");
        assertClose(2 - NncMath.erfc(2.6), NncMath.erfc(-2.6), 1e-16, 0, "erfc(-x) = 2 - erfc(x)");
    }

    /** Derivative rules evaluated on plain numbers. */
    static final class Numbers implements Algebra<Double> {
        @Override public Double constant(double v) { return v; }
        @Override public Double add(Double a, Double b) { return a + b; }
        @Override public Double sub(Double a, Double b) { return a - b; }
        @Override public Double mul(Double a, Double b) { return a * b; }
        @Override public Double div(Double a, Double b) { return a / b; }
        @Override public Double neg(Double a) { return -a; }
        @Override public Double pow(Double a, Double k) { return Math.pow(a, k); }
        @Override public Double apply(Fn f, Double x) { return f.value(x, Double.NaN); }
        @Override public Double apply(Fn f, Double x, Double a) { return f.value(x, a); }
    }
}
