package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.Names;
import dev.nnc.optim.Update;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names the back end makes (data_x, x_rows, m_W1, matvec_h, scratch_e, flat_A, dW1, the
 * loops' indices and locals, predict's arrays) never clash with the model's: a model whose values
 * are named exactly so is generated, compiled and gradient-checked against the evaluator in every
 * shape of trainer, and trains and predicts bit for bit as the same model with plain names does.
 */
class NameClashTest {

    /** The model with plain names; {@link #CLASHING} renames its values. */
    static final String PLAIN = """
            model names {
                input  x[8]
                target y[2]
                param  W1[16, 8] ~ normal(0, 0.3)
                param  b1[16] = 0.1
                param  W2[2, 16] ~ normal(0, 0.3)
                param  W3[2, 16] ~ normal(0, 0.3)
                param  V[8, 16] ~ normal(0, 0.3)
                param  M[2, 3] ~ normal(0, 0.5)
                h    = tanh(W1 @ x + b1)
                u    = V' @ x
                a1   = relu(h) * h
                a2   = a1 + 0.1 * u
                a3   = W3 @ a2
                o    = W2 @ h + a3
                a4   = o * o
                a5   = 2 * h
                a6   = u + a5
                A    = M * sum(b1 * b1)
                a7   = 2 * A
                a8   = sum(a6)
                a9   = a4 + a3
                a10  = a9 * a8
                a11  = sigmoid(a10)
                a12  = a11 - y
                a13  = sum(a12 * a12)
                a14  = a13 + sum(a9)
                a15  = a14 * 0.5
                a16  = a15 + 1
                a17  = a16 * a16
                a18  = a17 / 2
                res  = sum(o) + sum(a11)
                loss = mse(o, y) + 0.01 * logsumexp(A) + 0.001 * sum(a7) + 0.01 * a18
                output res
                data {
                    x = [[1, 2, 3, 4, 5, 6, 7, 8], [0.5, -1, 0, 2, 1, -0.5, 0.3, 0.1], [-1, 0, 1, -1, 0, 1, 2, -2]]
                    y = [[0.5, -0.5], [1, 0], [0, 1]]
                }
                train { optimizer = adam(lr = 0.01); batch = 3; dtype = f64; seed = 4 }
            }
            """;

    /** Plain name to the back end's name it takes. */
    static final Map<String, String> CLASHING = new LinkedHashMap<>();

    static {
        CLASHING.put("a1", "data_x");      // the data set's values of x
        CLASHING.put("a2", "m_W1");        // Adam's first moment of W1
        CLASHING.put("a3", "v_W1");        // and its second
        CLASHING.put("o", "out");          // predict(in, out)'s array
        CLASHING.put("a4", "matvec_out");  // the Vector API product's row
        CLASHING.put("a5", "matvec_h");
        CLASHING.put("a6", "scratch_u");   // the row of u = V' @ x, written as axpy
        CLASHING.put("a7", "flat_A");      // A flattened for logsumexp
        CLASHING.put("a8", "dW1");         // W1's gradient
        CLASHING.put("a9", "acc0");        // a dot product's accumulator
        CLASHING.put("a10", "in");         // predict(in, out)'s array
        CLASHING.put("a11", "h_evalRows"); // the evaluation's rows of h
        CLASHING.put("a12", "x_rows");     // the training step's rows of x
        CLASHING.put("a13", "dV_right");   // an outer product's operand rows
        CLASHING.put("a14", "next");       // the optimizer's locals
        CLASHING.put("a15", "stepSize");
        CLASHING.put("a16", "Math");       // a class the code names
        CLASHING.put("a17", "delta1");     // a name of the gradient listing
        CLASHING.put("a18", "lr");         // a field of the model
    }

    static String clashing() {
        String text = PLAIN;
        for (Map.Entry<String, String> e : CLASHING.entrySet()) {
            text = Pattern.compile("\\b" + e.getKey() + "\\b").matcher(text).replaceAll(Matcher.quoteReplacement(e.getValue()));
        }
        return text;
    }

    static List<Codegen> shapes() {
        return TrajectoryTest.SHAPES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void helperNamesAsValueNamesCompileCheckAndTrainAlike(Codegen shape) {
        CheckedModel plain = Pipeline.check(new SourceFile("plain.nn", PLAIN), null);
        CheckedModel clashing = Pipeline.check(new SourceFile("clashing.nn", clashing()), null);
        TrainerSource source = Pipeline.generate(clashing, null, null, null, shape);
        Class<?> type = InMemoryCompiler.compile(source);
        List<String> failures = GeneratedGradientsTest.compare(clashing, type);
        assertEquals(List.of(), failures, "the clashing model against the evaluator");

        LoadedModel a = LoadedModel.create(InMemoryCompiler.compile(Pipeline.generate(plain, null, null, null, shape)), 4);
        LoadedModel b = LoadedModel.create(type, 4);
        a.useInlineData();
        b.useInlineData();
        int[] order = {0, 1, 2};
        for (int step = 0; step < 5; step++) {
            assertEquals(a.gradients(order, 0, 3), b.gradients(order, 0, 3), "loss of step " + step);
            a.update();
            b.update();
        }
        assertArrayEquals(a.weights(), b.weights(), "weights after five Adam steps");
        double[] in = {1, -2, 0.5, 0, 3, -1, 2, 0.25};
        assertArrayEquals(a.predict(in), b.predict(in), "predict(in, out)");
        assertTrue(b.predict(in).length == 1);
    }

    /** A declaration in the generated code, {@code double acc0 = 0} or a parameter {@code (int s)}: its name. */
    private static final Pattern DECLARED = Pattern.compile(
            "\\b(?:int|long|float|double|boolean|[A-Z][\\w.]*)(?:\\[\\])*\\s+([A-Za-z_$][\\w$]*)\\s*(?:=|;|,|\\))");

    /** A class named by its simple name where a variable of that name would hide it: {@code Math.exp(}. */
    private static final Pattern QUALIFIER = Pattern.compile("(?<![\\w.])([A-Z][\\w$]*)\\.[a-zA-Z]");

    /**
     * {@link Names#RESERVED} holds every local and parameter the emitter declares and every class it
     * names by simple name, as the trainers of the samples and of every optimizer, in every shape,
     * show them (fields are the model's names or the helpers', and are left out).
     */
    @Test
    void theEmittersOwnNamesAreReserved() throws IOException {
        List<CheckedModel> models = new ArrayList<>();
        for (Path sample : GeneratedExamplesTest.samples()) {
            models.add(Pipeline.check(sample, null));
        }
        CheckedModel names = Pipeline.check(new SourceFile("plain.nn", PLAIN), null);
        for (String optimizer : TrajectoryTest.OPTIMIZERS) {
            models.add(Pipeline.check(new SourceFile("plain.nn", PLAIN.replace("adam(lr = 0.01)", optimizer)), null));
        }
        models.add(names.withTrain(names.train().withDType(TrainConfig.DType.F32)));
        Set<String> unreserved = new TreeSet<>();
        for (CheckedModel model : models) {
            Set<String> allowed = new HashSet<>(Names.RESERVED);
            Update update = model.train().optimizer().update();
            update.buffers().forEach(b -> allowed.add(b.name() + "Next"));
            update.scalars().forEach(l -> allowed.add(l.name()));
            update.element().forEach(l -> allowed.add(l.name()));
            for (Codegen shape : shapes()) {
                TrainerSource source = Pipeline.generate(model, null, null, null, shape);
                allowed.add(source.className());
                for (String line : source.modelText().split("\n")) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/") || code.startsWith("private") || code.startsWith("public static final")) {
                        continue; // comments, and fields: the model's names or helpers
                    }
                    Matcher d = DECLARED.matcher(code.replaceAll("\"[^\"]*\"", "\"\""));
                    while (d.find()) {
                        if (!allowed.contains(d.group(1))) {
                            unreserved.add(d.group(1) + " (declared in " + model.name() + ": " + code + ")");
                        }
                    }
                    Matcher q = QUALIFIER.matcher(code);
                    while (q.find()) {
                        if (!allowed.contains(q.group(1)) && !q.group(1).startsWith("Nnc")) {
                            unreserved.add(q.group(1) + " (named in " + model.name() + ": " + code + ")");
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), unreserved, "names the emitter writes that Names does not keep from the model");
    }
}
