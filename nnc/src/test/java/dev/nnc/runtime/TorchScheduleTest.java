package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.cli.JsonReader;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Learning rate schedules and {@code clip_norm} against PyTorch: {@code torch/schedules.json}, written
 * in float64 by {@code src/test/python/torch_schedules.py}. Each schedule's rates per epoch equal
 * torch's scheduler's (to 1e-15, the last bit of a cosine) up to where nnc holds a cosine's
 * {@code min_lr}; each case, a whole {@code .nn} model, trains through the epoch loop every trainer
 * runs ({@link NncTraining#run}, with the schedule and clip norm of the generated class's train
 * block) to torch's losses, gradient norms and parameters after every step at a relative 1e-12,
 * and {@code fit} and the standalone trainer end with those parameters too.
 */
class TorchScheduleTest {

    static final Path FILE = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/torch/schedules.json");

    static final double RELATIVE = 1e-12;
    static final double FLOOR = 1e-15;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> fixture(String key) throws IOException {
        return (List<Map<String, Object>>) JsonReader.object(Files.readString(FILE, StandardCharsets.UTF_8)).get(key);
    }

    static Stream<Arguments> rates() throws IOException {
        return fixture("rates").stream().map(r -> Arguments.of(r.get("schedule"), r));
    }

    static Stream<Arguments> cases() throws IOException {
        return fixture("cases").stream().map(c -> Arguments.of(c.get("name"), c));
    }

    /** The schedule a train block spells so, as the checker makes it. */
    static LearningRateSchedule checked(String spelling) {
        String text = "model m {\n    param x = 1\n    loss = x^2\n    train {\n        schedule = " + spelling + "\n    }\n}\n";
        return Pipeline.check(new SourceFile("m.nn", text), null).train().schedule();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rates")
    void ratesAreTorchs(String spelling, Map<String, Object> r) {
        LearningRateSchedule schedule = checked(spelling);
        assertEquals(schedule, checked(schedule.toString()), "the schedule prints as a train block spells it: " + schedule);
        double base = number(r.get("base"));
        double[] torch = numbers(r.get("rates"));
        double[] mine = schedule.rates(base, torch.length);
        Integer held = r.get("clamped_after") == null ? null : ((Number) r.get("clamped_after")).intValue();
        for (int e = 1; e <= torch.length; e++) {
            if (held != null && e >= held) {
                double minLr = torch[held - 2]; // the rate torch's cosine reaches at its end
                assertEquals(minLr, mine[e - 1], 0.0, spelling + ": epoch " + e + " holds min_lr");
                assertTrue(torch[e - 1] > minLr || e > held, spelling + ": torch's cosine climbs back up at epoch " + e);
            } else {
                assertEquals(torch[e - 1], mine[e - 1], 1e-15 * base, spelling + ": the rate of epoch " + e);
            }
            assertEquals(mine[e - 1], schedule.rate(base, e), 0.0, "rate(base, epoch) is rates(base, n)[epoch - 1]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainsAsTorchDoes(String name, Map<String, Object> c) throws Exception {
        Class<?> type = compile(name, (String) c.get("nn"));
        GeneratedModel<?> model = (GeneratedModel<?>) type.getConstructor().newInstance();
        NncModel w = model.trainer();
        NncDriver.Defaults defaults = model.defaults();
        NncTraining.Plan plan = new NncTraining.Plan();
        plan.epochs = defaults.epochs;
        plan.batch = defaults.batch;
        plan.shuffle = defaults.shuffle;
        plan.seed = defaults.seed;
        plan.schedule = defaults.schedule;
        plan.clipNorm = defaults.clipNorm;
        assertEquals(c.get("clip_norm") == null ? 0.0 : number(c.get("clip_norm")), plan.clipNorm, "clip_norm of the train block");

        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        List<double[][]> params = new ArrayList<>();
        double[] before = {0};
        // the norm before clipping: the model's gradients as the step sees them, before clipGradients
        NncModel watched = new Watched(w, norms);
        NncTraining.run(watched, model.dataReader().inline().forModel(model.schema(), "data"), plan, new NncTraining.Events() {
            @Override
            public void epochStarts(int epoch) {
                rates.add(w.learningRate());
                before[0] = 0;
            }

            @Override
            public void stepDone(int done, double lossSum) {
                losses.add(lossSum - before[0]);
                before[0] = lossSum;
                params.add(w.weights());
            }

            @Override
            public void epochDone(EpochStats stats) {}
        });

        List<String> problems = new ArrayList<>();
        compare("rate", numbers(c.get("rates")), rates.stream().mapToDouble(Double::doubleValue).toArray(), 1e-15, problems);
        List<?> torchParams = (List<?>) c.get("params");
        double[] torchLosses = numbers(c.get("losses"));
        double[] torchNorms = numbers(c.get("norms"));
        assertEquals(torchLosses.length, losses.size(), "steps");
        String[] names = w.paramNames();
        for (int step = 0; step < losses.size(); step++) {
            // stepDone has the batch's loss times its size: 4, then 2 samples
            double size = step % 2 == 0 ? 4 : 2;
            compare("step " + step + " loss", new double[] {torchLosses[step]}, new double[] {losses.get(step) / size}, RELATIVE,
                    problems);
            compare("step " + step + " gradient norm", new double[] {torchNorms[step]}, new double[] {norms.get(step)}, RELATIVE,
                    problems);
            Map<?, ?> expected = (Map<?, ?>) torchParams.get(step);
            for (int k = 0; k < names.length; k++) {
                compare("step " + step + " " + names[k], numbers(expected.get(names[k])), params.get(step)[k], RELATIVE, problems);
            }
        }
        if (!problems.isEmpty()) {
            fail(name + ": " + problems.size() + " values differ from torch's:\n" + String.join("\n", problems.subList(0,
                    Math.min(12, problems.size()))));
        }

        // fit and the standalone trainer run the same loop: the same last weights, bit for bit
        double[][] last = params.get(params.size() - 1);
        Model fitted = (Model) type.getConstructor().newInstance();
        fitted.fit(fitted.dataReader().inline());
        double[][] fit = fitted.parameters().values().stream().map(Tensor::doubleData).toArray(double[][]::new);
        for (int k = 0; k < names.length; k++) {
            assertArrayEquals(last[k], fit[k], 0.0, name + ": fit's " + names[k]);
        }
        Map<String, Object> json = standalone(type, "--json");
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = (Map<String, Object>) json.get("params");
        for (int k = 0; k < names.length; k++) {
            assertArrayEquals(last[k], numbers(saved.get(names[k])), 0.0, name + ": the standalone trainer's " + names[k]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLoopProgramPrintsTheScheduleAndClipNorm(String name, Map<String, Object> c) {
        CheckedModel checked = Pipeline.check(new SourceFile(name + ".nn", (String) c.get("nn")), null);
        String train = dev.nnc.lower.LoopPrinter.print(dev.nnc.lower.Lowering.trainer(Pipeline.derive(checked))).lines()
                .filter(l -> l.startsWith("  train ")).findFirst().orElseThrow();
        LearningRateSchedule schedule = checked.train().schedule();
        assertEquals(!(schedule instanceof LearningRateSchedule.Constant), train.contains(", schedule " + schedule), train);
        assertEquals(c.get("clip_norm") != null, train.contains(", clip_norm "), train);
    }

    static Class<?> compile(String name, String text) {
        CheckedModel checked = Pipeline.check(new SourceFile(name + ".nn", text), null);
        return InMemoryCompiler.compile(Pipeline.generate(checked, null, null, null));
    }

    /** The generated class's {@code run(args, out, err)} (its {@code main}): the {@code --json} document. */
    static Map<String, Object> standalone(Class<?> type, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = (Integer) type.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                .invoke(null, args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return JsonReader.object(out.toString(StandardCharsets.UTF_8));
    }

    /** A trainer that notes the global gradient norm of each step as the loop clips it. */
    private static final class Watched implements NncModel {
        private final NncModel w;
        private final List<Double> norms;

        Watched(NncModel w, List<Double> norms) {
            this.w = w;
            this.norms = norms;
        }

        @Override
        public double gradients(int[] order, int from, int to) {
            double loss = w.gradients(order, from, to);
            double sum = 0;
            for (double n : w.gradientNorms()) {
                sum += n * n;
            }
            norms.add(Math.sqrt(sum));
            return loss;
        }

        // everything else as the generated trainer does it
        @Override public String name() { return w.name(); }
        @Override public NncSupport.Schema schema() { return w.schema(); }
        @Override public boolean f64() { return w.f64(); }
        @Override public void useData(NncSupport.Dataset data) { w.useData(data); }
        @Override public void update() { w.update(); }
        @Override public int nonFiniteStep() { return w.nonFiniteStep(); }
        @Override public void setLearningRate(double lr) { w.setLearningRate(lr); }
        @Override public double learningRate() { return w.learningRate(); }
        @Override public double evaluate(int s) { return w.evaluate(s); }
        @Override public void predict(int s) { w.predict(s); }
        @Override public int outputSize() { return w.outputSize(); }
        @Override public void output(double[] into) { w.output(into); }
        @Override public String[] paramNames() { return w.paramNames(); }
        @Override public int[][] paramShapes() { return w.paramShapes(); }
        @Override public double[][] weights() { return w.weights(); }
        @Override public void setWeights(double[][] values) { w.setWeights(values); }
        @Override public double[][] gradients() { return w.gradients(); }
        @Override public int nonFiniteGradient() { return w.nonFiniteGradient(); }
        @Override public double[] gradientNorms() { return w.gradientNorms(); }
        @Override public void scaleGradients(double factor) { w.scaleGradients(factor); }
        @Override public double[][] state() { return w.state(); }
        @Override public void setState(double[][] values) { w.setState(values); }
    }

    private static void compare(String what, double[] expected, double[] actual, double relative, List<String> problems) {
        assertEquals(expected.length, actual.length, "elements of " + what);
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (!(diff <= relative * Math.max(Math.abs(expected[i]), Math.abs(actual[i])) + FLOOR)) {
                problems.add(what + "[" + i + "]: nnc " + actual[i] + ", torch " + expected[i]);
            }
        }
    }

    static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    static double[] numbers(Object o) {
        List<Double> flat = new ArrayList<>();
        flatten(o, flat);
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(Object value, List<Double> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, into));
        } else {
            into.add(((Number) value).doubleValue());
        }
    }
}
