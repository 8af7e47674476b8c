package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.Evaluator;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.runtime.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The names of a model never meet the names of the generated methods: a value called {@code out}
 * that is not the output, and a parameter called {@code in}, predict what the reference evaluator
 * gives (they were shadowed by {@code predict(in, out)}'s parameters: an index out of bounds, and a
 * class javac refused).
 */
class PredictNamesTest {

    private static final String MODEL = """
            model names {
                input  x[2]
                target y[1]
                param in[3, 2] = [[0.5, -1], [2, 0.25], [-0.75, 1.5]]
                out  = tanh(in @ x)
                p    = sum(out * out)
                loss = (p - sum(y))^2
                output p
                data { x = [[0, 1]]; y = [[1]] }
                train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 1 }
            }
            """;

    @Test
    void valuesNamedInAndOutPredictAsTheEvaluator() throws ReflectiveOperationException {
        CheckedModel checked = Pipeline.check(new SourceFile("names.nn", MODEL), null);
        TrainerSource source = Pipeline.generate(checked, null, null, null);
        Model model = (Model) InMemoryCompiler.compile(source).getConstructor().newInstance();
        ForwardGraph fwd = Pipeline.derive(checked).forward();
        for (float[] x : List.of(new float[] {0, 1}, new float[] {1, -2}, new float[] {0.3f, 0.7f})) {
            Map<String, double[]> leaves = new LinkedHashMap<>();
            leaves.put("x", new double[] {x[0], x[1]});
            leaves.put("in", model.parameters().get("in").doubleData());
            double expected = Evaluator.evaluate(List.of(fwd.output()), leaves).get(fwd.output())[0];
            assertEquals(expected, model.predict(x)[0], 1e-6 * Math.abs(expected), "p at " + x[0] + ", " + x[1]);
        }
    }
}
