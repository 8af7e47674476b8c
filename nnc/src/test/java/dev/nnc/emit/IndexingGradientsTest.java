package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of models that index and slice (language.md section 9), checked two ways: the reference
 * evaluator's gradients (of the simplified and of the raw derivation) against central finite
 * differences of its loss, and the generated trainers' gradients, losses, outputs and predictions
 * against the reference evaluator in each shape of the training step (sample by sample, over rows,
 * with the Vector API). One model per form: {@code out[0]} in the loss, {@code x[2:5]} of an input,
 * {@code W[:, 0]} and a row and a block of a parameter, a hidden layer's slice feeding another layer,
 * a matrix value's slice, a target's element (a onehot one too), negative and half-open bounds, a
 * slice inside a def, and {@code W'[0]}.
 */
class IndexingGradientsTest {

    static final double STEP = 1e-6;
    static final double TOLERANCE = 1e-6;

    static final String DATA = """
                data {
                    x = [[0.5, -1.0, 2.0, 0.3, -0.7, 1.2], [1.5, 0.2, -0.4, 0.9, 0.1, -1.1], [-0.3, 0.8, 0.6, -1.2, 0.4, 0.7]]
                    y = [[0.3, -0.2], [0.8, 0.1], [-0.5, 0.4]]
                }
                train { dtype = f64; batch = 3; seed = 7 }
            """;

    static List<String> models() {
        List<String> bodies = List.of(
                // out[0] in the loss, out[-1] too
                """
                h    = dense(x, 4, tanh)
                out  = dense(h, 2)
                loss = (out[0] - y[0])^2 + 0.3 * out[-1]^2
                output out
                """,
                // x[2:5] of an input, feeding a layer
                """
                h    = dense(x[2:5], 3, sigmoid)
                out  = dense(h, 2)
                loss = mse(out, y)
                output out
                """,
                // W[:, 0], a row W[1], a block, a single element
                """
                param W[2, 6] ~ normal(0, 0.5)
                out  = W @ x + W[:, 0] * W[1, 2]
                loss = 0.5 * sum((out - y)^2) + sum(W[1]^2) + sum(W[0:2, 3:5]^3)
                output out
                """,
                // a hidden layer's slice feeding another layer, half-open slices
                """
                h    = dense(x, 6, tanh)
                g    = dense(h[2:], 3, tanh)
                out  = dense(g[:2], 2)
                loss = mse(out, y)
                output out
                """,
                // a matrix value's slices, W'[0] (row 0 of W'), a slice of a slice
                """
                param W[3, 4] ~ normal(0, 0.5)
                A    = tanh(W * 2)
                v    = A[1:, :2]
                out  = v @ x[1:3] + W'[0][1:]
                loss = sum(out^2) + sum(A[:, 1] * x[0:3]) + sum(A[-1][-3:-1])
                output out
                """,
                // a target's elements, a constant's slice, a def that indexes
                """
                def first(z) = z[0]
                h    = dense(x, 3, tanh)
                out  = dense(h, 2)
                loss = (first(out) - y[1])^2 + sum([1, 2, 3][1:] * out) * y[0]
                output out
                """);
        List<String> texts = new ArrayList<>();
        for (String body : bodies) {
            texts.add("model m {\n    input  x[6]\n    target y[2]\n" + body.indent(4) + DATA + "}\n");
        }
        // a onehot target's element
        texts.add("""
                model m {
                    input  x[3]
                    target c[3] onehot
                    h    = dense(x, 4, tanh)
                    out  = dense(h[1:], 3)
                    loss = cross_entropy(out, c) + 0.5 * c[2] * out[2]^2
                    output out
                    data { x = [[1, 2, 3], [0.5, -1, 0], [-0.2, 0.4, 1.5]]; c = [2, 0, 1] }
                    train { dtype = f64; seed = 3 }
                }
                """);
        return texts;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("models")
    void evaluatorGradientsEqualCentralDifferences(String text) {
        CheckedModel model = Pipeline.check(new SourceFile("m.nn", text), null);
        Derivation d = Pipeline.derive(model);
        Map<String, Tensor> params = ParamInit.initialize(model, model.train().seed());
        List<Map<String, double[]>> samples = Reference.samples(model, model.data());
        Reference.Result simplified = Reference.run(d.simplified(), params, samples);
        Reference.Result raw = Reference.run(d.raw(), params, samples);
        List<String> problems = new ArrayList<>();
        int nonzero = 0;
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            double[] value = p.getValue().toArray();
            for (int i = 0; i < value.length; i++) {
                double h = STEP * Math.max(1, Math.abs(value[i]));
                double up = loss(model, d, params, samples, p.getKey(), i, value[i] + h);
                double down = loss(model, d, params, samples, p.getKey(), i, value[i] - h);
                double numeric = (up - down) / (2 * h);
                double symbolic = simplified.gradients().get(p.getKey()).get(i);
                double unsimplified = raw.gradients().get(p.getKey()).get(i);
                nonzero += symbolic != 0 ? 1 : 0;
                if (!close(numeric, symbolic, TOLERANCE)) {
                    problems.add(p.getKey() + "[" + i + "]: symbolic " + symbolic + ", central differences " + numeric);
                }
                if (!close(unsimplified, symbolic, 1e-12)) {
                    problems.add(p.getKey() + "[" + i + "]: simplified " + symbolic + ", raw " + unsimplified);
                }
            }
        }
        assertTrue(nonzero > 0, "every gradient is zero:\n" + text);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\n" + text);
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("models")
    void generatedGradientsEqualTheEvaluator(String text) {
        CheckedModel model = Pipeline.check(new SourceFile("m.nn", text), null);
        for (Codegen shape : TrajectoryTest.SHAPES) {
            List<String> failures = GeneratedGradientsTest.compare(model, shape);
            if (!failures.isEmpty()) {
                fail(shape + ":\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))) + "\n" + text);
            }
        }
    }

    private static double loss(CheckedModel model, Derivation d, Map<String, Tensor> params, List<Map<String, double[]>> samples,
            String name, int i, double v) {
        Map<String, Tensor> moved = new LinkedHashMap<>(params);
        double[] values = params.get(name).toArray();
        values[i] = v;
        moved.put(name, new Tensor(params.get(name).shape(), values));
        return Reference.run(d.simplified(), moved, samples).loss();
    }

    private static boolean close(double a, double b, double relative) {
        return Math.abs(a - b) <= relative * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }
}
