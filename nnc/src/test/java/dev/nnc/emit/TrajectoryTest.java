package dev.nnc.emit;

import dev.nnc.lower.TrainerProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Gradients;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.cli.JsonReader;
import dev.nnc.compile.LoadedTrainer;
import dev.nnc.diag.SourceFile;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.eval.SplitMix64;
import dev.nnc.optim.Optimizer;
import dev.nnc.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole training runs of generated trainers against an independent computation: the reference
 * evaluator's mean gradients on each mini-batch (built here, the last one partial), fed to plain
 * Java versions of torch.optim's SGD (momentum, Nesterov, weight decay), Adam, AdamW and RMSprop written below. The trainer runs
 * through its own driver in-process ({@code run(args, out, err)}, {@code --json}) and its final
 * parameters are read from the JSON result. In f64 they agree to a relative 1e-10; the same runs in
 * f32 stay within a relative 1e-4.
 */
class TrajectoryTest {

    /** 7 samples, batch 3: batches of 3, 3 and 1 in every epoch. */
    static final String REGRESSOR = """
            def swish(z) = z * sigmoid(z)
            model regressor {
                input  x[3]
                target y[2]
                h    = dense(x, 4, tanh)
                param W2[2, 4] ~ normal(0, 0.5)
                param b2[2]    = [0.1, -0.2]
                param s        = 0.9
                out  = s * (W2 @ swish(h)) + b2
                loss = mse(out, y) + 0.01 * s^2
                output out
                data {
                    x = [[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.0, -0.3, 0.8],
                         [1.2, 1.0, -1.5], [-1.1, 0.4, 0.6], [0.7, -0.8, -0.2]]
                    y = [[0.3, -0.5], [1.0, 0.2], [-0.6, 0.4], [0.1, 0.1], [0.8, -0.9], [-0.2, 0.7], [0.5, 0.0]]
                }
                train {
                    optimizer = OPTIMIZER
                    epochs    = 4
                    batch     = 3
                    shuffle   = SHUFFLE
                    seed      = 7
                    dtype     = DTYPE
                }
            }
            """;

    /** 5 samples of 3 classes, batch 2: batches of 2, 2 and 1. */
    static final String CLASSIFIER = """
            model classifier {
                input  x[2]
                target c[3] onehot
                param W1[4, 2] ~ uniform(-0.9, 0.9)
                param b1[4]    = 0.05
                h    = softplus(x @ W1' + b1)
                out  = dense(h, 3)
                loss = cross_entropy(out, c)
                output out
                data {
                    x = [[0.2, 1.0], [-1.0, 0.5], [0.8, -0.6], [1.5, 1.2], [-0.3, -1.4]]
                    c = [0, 1, 2, 0, 1]
                }
                train {
                    optimizer = OPTIMIZER
                    epochs    = 4
                    batch     = 2
                    shuffle   = SHUFFLE
                    seed      = 3
                    dtype     = DTYPE
                }
            }
            """;

    static final double F64_RELATIVE = 1e-10;
    static final double F64_FLOOR = 1e-13;
    static final double F32_RELATIVE = 1e-4;
    static final double F32_FLOOR = 1e-6;

    /**
     * The shapes of the training step: sample by sample, the whole mini-batch at once, and that
     * with the Vector API kernels (and the vector dry run of the update).
     */
    static final List<Codegen> SHAPES = List.of(new Codegen(TrainerProgram.Batching.NEVER, false),
            new Codegen(TrainerProgram.Batching.ALWAYS, false), new Codegen(TrainerProgram.Batching.ALWAYS, true));

    /** Every optimizer and option of language.md sections 8 and 9. */
    static final List<String> OPTIMIZERS = List.of("sgd(lr = 0.1)", "sgd(lr = 0.05, momentum = 0.9)", "adam(lr = 0.001)",
            "adam(lr = 0.01)", "adam(lr = 0.1, beta1 = 0.8, beta2 = 0.99, eps = 1e-6)",
            "sgd(lr = 0.1, weight_decay = 0.05)", "sgd(lr = 0.05, momentum = 0.9, nesterov = true, weight_decay = 0.01)",
            "adam(lr = 0.01, weight_decay = 0.1)", "adamw(lr = 0.01)",
            "adamw(lr = 0.1, beta1 = 0.8, beta2 = 0.99, eps = 1e-6, weight_decay = 0.2)",
            "rmsprop(lr = 0.01)", "rmsprop(lr = 0.02, alpha = 0.9, eps = 1e-6, momentum = 0.8)");

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (String model : List.of("regressor", "classifier")) {
            for (String optimizer : OPTIMIZERS) {
                for (Codegen batching : SHAPES) {
                    runs.add(Arguments.of(model, optimizer, false, batching));
                }
            }
            for (Codegen batching : SHAPES) {
                runs.add(Arguments.of(model, "sgd(lr = 0.05, momentum = 0.9)", true, batching));
                runs.add(Arguments.of(model, "adam(lr = 0.01)", true, batching));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {1} shuffle={2} batching={3}")
    @MethodSource("runs")
    void f64TrainingFollowsTheReference(String which, String optimizer, boolean shuffle, Codegen batching) {
        String text = source(which, optimizer, shuffle, "f64");
        Map<String, double[]> expected = reference(check(text));
        Map<String, double[]> actual = train(text, batching, "--epochs", Integer.toString(check(text).train().epochs()));
        compare(text, expected, actual, F64_RELATIVE, F64_FLOOR);
    }

    @ParameterizedTest(name = "{0} {1} shuffle={2} batching={3}")
    @MethodSource("runs")
    void f32TrainingStaysCloseToTheReference(String which, String optimizer, boolean shuffle, Codegen batching) {
        String text = source(which, optimizer, shuffle, "f32");
        Map<String, double[]> expected = reference(check(text));
        Map<String, double[]> actual = train(text, batching, "--epochs", Integer.toString(check(text).train().epochs()));
        compare(text, expected, actual, F32_RELATIVE, F32_FLOOR);
    }

    /** --epochs, --batch, --lr and --seed override the train block (the seed both the initial weights and the shuffles). */
    @ParameterizedTest
    @MethodSource("batchings")
    void flagsOverrideTheTrainBlock(Codegen batching) {
        String text = source("regressor", "sgd(lr = 0.05, momentum = 0.9)", true, "f64");
        CheckedModel model = check(text);
        TrainConfig t = model.train();
        TrainConfig overridden = new TrainConfig(new Optimizer.Sgd(0.02, 0.9, false, 0), 3, 2, t.shuffle(), 11, t.dtype(),
                t.data(), t.test());
        Map<String, double[]> expected = reference(model.withTrain(overridden));
        Map<String, double[]> actual = train(text, batching, "--epochs", "3", "--batch", "2", "--lr", "0.02", "--seed", "11");
        compare(text + "(with --epochs 3 --batch 2 --lr 0.02 --seed 11)", expected, actual, F64_RELATIVE, F64_FLOOR);
    }

    static List<Codegen> batchings() {
        return SHAPES;
    }

    /** The shuffled runs really shuffle: their result differs from the same run in order. */
    @Test
    void shufflingChangesTheTrajectory() {
        Map<String, double[]> ordered = reference(check(source("regressor", "adam(lr = 0.01)", false, "f64")));
        Map<String, double[]> shuffled = reference(check(source("regressor", "adam(lr = 0.01)", true, "f64")));
        assertNotEquals(ordered.get("W2")[0], shuffled.get("W2")[0]);
    }

    static String source(String which, String optimizer, boolean shuffle, String dtype) {
        return (which.equals("regressor") ? REGRESSOR : CLASSIFIER).replace("OPTIMIZER", optimizer)
                .replace("SHUFFLE", Boolean.toString(shuffle)).replace("DTYPE", dtype);
    }

    static CheckedModel check(String text) {
        return Pipeline.check(new SourceFile("trajectory.nn", text), null);
    }

    /**
     * The generated trainer, compiled in memory and run by its own driver with {@code flags} and
     * {@code --json}: the final parameters of its JSON result.
     */
    static Map<String, double[]> train(String text, Codegen batching, String... flags) {
        CheckedModel model = check(text);
        LoadedTrainer trainer = LoadedTrainer.load(Pipeline.generate(model, null, null, null, batching));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(flags));
        args.add("--json");
        int code = trainer.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, "the trainer failed:\n" + stdout + err.toString(StandardCharsets.UTF_8) + "\n" + text);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) JsonReader.object(stdout).get("params");
        Map<String, double[]> flat = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            List<Double> values = new ArrayList<>();
            flatten(value, values);
            flat.put(name, values.stream().mapToDouble(Double::doubleValue).toArray());
        });
        return flat;
    }

    private static void flatten(Object value, List<Double> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, into));
        } else {
            into.add(((Number) value).doubleValue());
        }
    }

    /**
     * The same run, independently: mini-batches of the epoch's order (the identity, or a fresh
     * Fisher-Yates shuffle of it from the shuffle stream {@code SplitMix64(seed + 1)} each epoch, as
     * the driver documents), the evaluator's mean gradients on each, torch.optim's update formulas.
     */
    static Map<String, double[]> reference(CheckedModel model) {
        TrainConfig train = model.train();
        Gradients gradients = Pipeline.derive(model).simplified();
        Map<String, Tensor> init = ParamInit.initialize(model, train.seed());
        Map<String, double[]> params = new LinkedHashMap<>();
        init.forEach((name, t) -> params.put(name, t.toArray()));
        List<Map<String, double[]>> samples = Reference.samples(model, model.data());
        TorchOptimizer optimizer = new TorchOptimizer(train.optimizer());
        SplitMix64 shuffles = new SplitMix64(train.seed() + 1);
        int n = samples.size();
        for (int epoch = 0; epoch < train.epochs(); epoch++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (train.shuffle()) {
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffles.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            for (int from = 0; from < n; from += train.batch()) {
                List<Map<String, double[]>> batch = new ArrayList<>();
                for (int k = from; k < Math.min(n, from + train.batch()); k++) {
                    batch.add(samples.get(order[k]));
                }
                Map<String, Tensor> current = new LinkedHashMap<>();
                params.forEach((name, v) -> current.put(name, new Tensor(init.get(name).shape(), v)));
                Reference.Result r = Reference.run(gradients, current, batch);
                Map<String, double[]> g = new LinkedHashMap<>();
                r.gradients().forEach((name, t) -> g.put(name, t.toArray()));
                optimizer.step(params, g);
            }
        }
        return params;
    }

    /**
     * torch.optim's SGD (dampening 0), Adam (no amsgrad), AdamW and RMSprop (not centered), element by
     * element in double, as torch 1.13's single-tensor code writes them; independent of the update
     * the optimizer declares as data.
     */
    static final class TorchOptimizer implements Optimizer.Cases<Void> {
        private final Optimizer o;
        private final Map<String, double[]> first = new LinkedHashMap<>();
        private final Map<String, double[]> second = new LinkedHashMap<>();
        private int step;
        private String name;
        private double[] p;
        private double[] g;

        TorchOptimizer(Optimizer optimizer) {
            this.o = optimizer;
        }

        void step(Map<String, double[]> params, Map<String, double[]> grads) {
            step++;
            for (Map.Entry<String, double[]> e : params.entrySet()) {
                name = e.getKey();
                p = e.getValue();
                g = grads.get(name).clone();
                o.match(this);
            }
        }

        public Void sgd(Optimizer.Sgd s) {
            double[] d = g;
            if (s.weightDecay() != 0) {
                for (int i = 0; i < p.length; i++) {
                    d[i] = d[i] + s.weightDecay() * p[i];
                }
            }
            if (s.momentum() != 0) {
                double[] buf = first.get(name);
                if (buf == null) {
                    buf = d.clone(); // the first step: buf = d_p
                    first.put(name, buf);
                } else {
                    for (int i = 0; i < p.length; i++) {
                        buf[i] = s.momentum() * buf[i] + d[i];
                    }
                }
                if (s.nesterov()) {
                    for (int i = 0; i < p.length; i++) {
                        d[i] = d[i] + s.momentum() * buf[i];
                    }
                } else {
                    d = buf;
                }
            }
            for (int i = 0; i < p.length; i++) {
                p[i] -= s.lr() * d[i];
            }
            return null;
        }

        public Void adam(Optimizer.Adam a) {
            adam(a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay());
            return null;
        }

        public Void adamw(Optimizer.AdamW a) {
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - a.lr() * a.weightDecay();
            }
            adam(a.lr(), a.beta1(), a.beta2(), a.eps(), 0);
            return null;
        }

        private void adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
            double[] m = first.computeIfAbsent(name, k -> new double[p.length]);
            double[] v = second.computeIfAbsent(name, k -> new double[p.length]);
            double bias1 = 1 - Math.pow(beta1, step);
            double bias2 = 1 - Math.pow(beta2, step);
            double stepSize = lr / bias1;
            for (int i = 0; i < p.length; i++) {
                double grad = g[i] + weightDecay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * grad;
                v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
                double denom = Math.sqrt(v[i]) / Math.sqrt(bias2) + eps;
                p[i] -= stepSize * m[i] / denom;
            }
        }

        public Void rmsprop(Optimizer.RmsProp r) {
            double[] square = first.computeIfAbsent(name, k -> new double[p.length]);
            for (int i = 0; i < p.length; i++) {
                square[i] = r.alpha() * square[i] + (1 - r.alpha()) * g[i] * g[i];
                double avg = Math.sqrt(square[i]) + r.eps();
                if (r.momentum() > 0) {
                    double[] buf = second.computeIfAbsent(name, k -> new double[p.length]);
                    buf[i] = r.momentum() * buf[i] + g[i] / avg;
                    p[i] -= r.lr() * buf[i];
                } else {
                    p[i] -= r.lr() * g[i] / avg;
                }
            }
            return null;
        }
    }

    private static void compare(String text, Map<String, double[]> expected, Map<String, double[]> actual, double relative,
            double floor) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "parameter names");
        List<String> problems = new ArrayList<>();
        double worst = 0;
        for (String name : expected.keySet()) {
            double[] e = expected.get(name);
            double[] a = actual.get(name);
            assertEquals(e.length, a.length, "elements of " + name);
            for (int i = 0; i < e.length; i++) {
                double diff = Math.abs(e[i] - a[i]);
                double scale = Math.max(Math.abs(e[i]), Math.abs(a[i]));
                worst = Math.max(worst, diff / Math.max(scale, floor / relative));
                if (diff > relative * scale + floor) {
                    problems.add(name + "[" + i + "]: trainer " + a[i] + ", reference " + e[i]);
                }
            }
        }
        System.out.printf("TrajectoryTest: worst relative difference %.2e (tolerance %.0e)%n", worst, relative);
        if (!problems.isEmpty()) {
            fail(problems.size() + " parameter elements differ (worst relative " + worst + "):\n"
                    + String.join("\n", problems.subList(0, Math.min(12, problems.size()))) + "\n" + text);
        }
    }
}
