package dev.nnc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.CompileError;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import dev.nnc.eval.ParamInit;
import dev.nnc.eval.Reference;
import dev.nnc.lower.TrainerProgram;
import dev.nnc.runtime.GradcheckProbe;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Support;
import dev.nnc.tensor.Tensor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer's fuzzing of the whole chain: the fuzzer's bytes become a model ({@link FuzzedModelWriter},
 * sometimes mutated further by {@link Mutator}), its sample values and the seed of its parameters.
 * A model that fails {@code check} must do so with good diagnostics ({@link FuzzTest#judge}); one that
 * passes is derived, generated (f64) and compiled, and its trainer's loss, per-sample losses, outputs
 * and gradients must equal the reference evaluator's ({@link Reference}), and its gradients must pass
 * {@code nnc gradcheck}'s comparison with central differences ({@link GradcheckProbe}; at a kink the
 * gradient must lie between the one-sided differences). A loss that is not finite at the fuzzed values
 * ends the input without a verdict on the gradients. Any exception on the way is a finding.
 *
 * <p>javac costs most of an input, so compiled trainers are kept by their source text: an input that
 * only changes sample values or the seed reuses its class, since javac makes the same class of the
 * same text (every input still checks, derives and generates its model).
 */
class WholeChainFuzzTest {

    static final Duration HARD_LIMIT = Duration.ofSeconds(120);

    /** Agreement with the reference evaluator: relative, and a floor relative to the largest value compared. */
    static final double RELATIVE = 1e-9;
    static final double FLOOR = 1e-11;

    private static final int CACHED_CLASSES = 256;
    private static final Map<String, Class<?>> COMPILED = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
            return size() > CACHED_CLASSES;
        }
    };

    /** How inputs ended: counted for the summary. */
    enum Ending { DIAGNOSTIC, NOT_FINITE, PASSED, NOT_SMOOTH, IMPRECISE }

    private static final Map<Ending, AtomicLong> ENDINGS = new LinkedHashMap<>();
    /** The first diagnostic of each input that ended in one, numbers as N: how the inputs that stop early stop. */
    private static final Map<String, Integer> DIAGNOSTICS = new java.util.HashMap<>();
    private static final AtomicLong JAVAC_RUNS = new AtomicLong();
    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static final long START = System.nanoTime();

    static {
        for (Ending e : Ending.values()) {
            ENDINGS.put(e, new AtomicLong());
        }
    }

    @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "10m")
    void trainerPassesGradcheck(FuzzedDataProvider data) {
        FuzzedModelWriter.Written written = new FuzzedModelWriter(data).write();
        int samples = data.consumeInt(1, 4);
        double[][][] rows = new double[written.variables().size()][][];
        for (int v = 0; v < rows.length; v++) {
            rows[v] = values(written.variables().get(v), samples, data);
        }
        String text = written.inline() ? written.text() + FuzzedModelWriter.dataBlock(written.variables(), rows) : written.text();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (data.consumeInt(0, 7) == 7) { // not 0: what the provider gives once the bytes run out
            bytes = Mutator.mutate(bytes, data.consumeLong(), Mutator.Kind.values()[data.consumeInt(0, Mutator.Kind.values().length - 1)])
                    .bytes();
        }
        long seed = data.consumeLong();
        Codegen codegen = new Codegen(data.consumeBoolean() ? TrainerProgram.Batching.ALWAYS : TrainerProgram.Batching.NEVER,
                data.consumeBoolean());
        byte[] source = bytes;
        Ending ending;
        try {
            ending = Bounded.call(HARD_LIMIT, () -> chain(source, seed, codegen, data));
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- model (" + codegen + ", seed " + seed + ") ---\n"
                    + new String(source, StandardCharsets.ISO_8859_1) + "--- end ---", e);
        }
        ENDINGS.get(ending).incrementAndGet();
        if (EXECUTIONS.incrementAndGet() % 1000 == 0) {
            summary();
        }
    }

    /** One input through the chain; how it ended, or an exception or assertion on what was wrong. */
    private static Ending chain(byte[] source, long seed, Codegen codegen, FuzzedDataProvider data) {
        Object outcome = FuzzTest.outcome("fuzz.nn", source);
        String problem = FuzzTest.judge("fuzz.nn", source, outcome);
        if (problem != null) {
            throw new AssertionError(problem);
        }
        if (!(outcome instanceof CheckedModel checked)) {
            if (outcome instanceof CompileError c) { // a CompileError or UsageError with good diagnostics
                String first = c.diagnostics().sorted().get(0).message().replaceAll("[0-9]+", "N");
                synchronized (DIAGNOSTICS) {
                    DIAGNOSTICS.merge(first.length() > 60 ? first.substring(0, 60) : first, 1, Integer::sum);
                }
            }
            return Ending.DIAGNOSTIC;
        }
        CheckedModel model = checked.withTrain(checked.train().withDType(TrainConfig.DType.F64));
        TrainerSource trainerSource = Pipeline.generate(model, null, null, null, codegen);
        Class<?> type = compiled(trainerSource, codegen);
        NncModel trainer = trainer(type, seed);
        if (trainer.dropout() != null) {
            trainer.dropout().active(false); // the evaluator's masks are all ones (DropoutTest checks drawn ones)
        }

        List<CheckedModel.Variable> vars = new ArrayList<>(model.inputs());
        vars.addAll(model.targets());
        CheckedModel.InlineData inline = model.data();
        NncSupport.Dataset dataset;
        if (inline != null) {
            dataset = inlineData(type);
        } else {
            inline = external(vars, data);
            dataset = dataset(vars, inline);
        }
        trainer.useData(dataset);

        Map<String, Tensor> params = ParamInit.initialize(model, seed);
        String[] names = trainer.paramNames();
        List<String> failures = new ArrayList<>();
        double[][] weights = trainer.weights();
        for (int p = 0; p < names.length; p++) {
            compare("initial " + names[p], params.get(names[p]).toArray(), weights[p], failures);
        }
        List<Map<String, double[]>> all = Reference.samples(model, vars.isEmpty() ? null : inline);
        Reference.Result expected;
        try {
            expected = Reference.run(Pipeline.derive(model).simplified(), params, all);
        } catch (Reference.SampleFailure e) {
            return Ending.NOT_FINITE;
        }
        int n = all.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double loss = trainer.gradients(order, 0, n);
        compare("loss", new double[] {expected.loss()}, new double[] {loss}, failures);
        double[][] gradients = trainer.gradients();
        for (int p = 0; p < names.length; p++) {
            compare("d" + names[p], expected.gradients().get(names[p]).toArray(), gradients[p], failures);
        }
        double[] output = new double[trainer.outputSize()];
        for (int s = 0; s < n; s++) {
            Reference.SampleTrace trace = expected.samples().get(s);
            compare("evaluate(" + s + ")", new double[] {trace.loss()}, new double[] {trainer.evaluate(s)}, failures);
            if (model.output() != null) {
                trainer.output(output);
                compare("output of evaluate(" + s + ")", trace.forward().get(model.output()).toArray(), output, failures);
                trainer.predict(s);
                trainer.output(output);
                compare("output of predict(" + s + ")", trace.forward().get(model.output()).toArray(), output, failures);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the trainer differs from the reference evaluator:\n"
                    + String.join("\n", failures.subList(0, Math.min(12, failures.size()))));
        }
        GradcheckProbe.Outcome gradcheck = GradcheckProbe.check(trainer, dataset, seed);
        return switch (gradcheck.verdict()) {
            case PASSED -> Ending.PASSED;
            case NOT_SMOOTH -> Ending.NOT_SMOOTH;
            case IMPRECISE -> Ending.IMPRECISE;
            case NOT_FINITE -> Ending.NOT_FINITE;
            case WRONG -> throw new AssertionError("gradcheck fails (max rel error " + gradcheck.maxRelError()
                    + ") where the loss is smooth:\n" + gradcheck.detail());
        };
    }

    /** The trainer's class: compiled now, or earlier from the same text. */
    private static Class<?> compiled(TrainerSource source, Codegen codegen) {
        String key = codegen + "\n" + source.modelText();
        synchronized (COMPILED) {
            Class<?> type = COMPILED.get(key);
            if (type == null) {
                type = InMemoryCompiler.compile(source);
                JAVAC_RUNS.incrementAndGet();
                COMPILED.put(key, type);
            }
            return type;
        }
    }

    private static NncModel trainer(Class<?> type, long seed) {
        try {
            var constructor = type.getDeclaredConstructor(long.class);
            constructor.setAccessible(true);
            return Support.trainer(constructor.newInstance(seed));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + type.getName(), e);
        }
    }

    private static NncSupport.Dataset inlineData(Class<?> type) {
        try {
            Method inline = type.getDeclaredMethod("inlineData");
            inline.setAccessible(true);
            return (NncSupport.Dataset) inline.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the trainer of a model with a data block has no inlineData()", e);
        }
    }

    /** Sample values for a model without a data block, read from the fuzzer's bytes. */
    private static CheckedModel.InlineData external(List<CheckedModel.Variable> vars, FuzzedDataProvider data) {
        int samples = vars.isEmpty() ? 1 : data.consumeInt(1, 4);
        List<String> names = new ArrayList<>();
        List<double[][]> columns = new ArrayList<>();
        for (CheckedModel.Variable v : vars) {
            int size = (int) v.shape().size();
            names.add(v.name());
            columns.add(values(new FuzzedModelWriter.Variable(v.name(), size, v.onehot()), samples, data));
        }
        return new CheckedModel.InlineData(names, columns, samples, null);
    }

    /** One row per sample: a label for a onehot target, else the values of the variable (one for a scalar). */
    static double[][] values(FuzzedModelWriter.Variable v, int samples, FuzzedDataProvider data) {
        double[][] rows = new double[samples][];
        for (int s = 0; s < samples; s++) {
            if (v.onehot()) {
                rows[s] = new double[] {data.consumeInt(0, v.size() - 1)};
                continue;
            }
            rows[s] = new double[Math.max(1, v.size())];
            for (int i = 0; i < rows[s].length; i++) {
                rows[s][i] = data.consumeBoolean() ? data.pickValue(new double[] {0, 1, -1, 0.5, 2, -0.25, 3, 1e-3})
                        : data.consumeRegularDouble(-3, 3);
            }
        }
        return rows;
    }

    /** The runtime's data set of the same samples, in f64: flat rows per variable, labels for onehot targets. */
    private static NncSupport.Dataset dataset(List<CheckedModel.Variable> vars, CheckedModel.InlineData inline) {
        double[][] values = new double[vars.size()][];
        int[][] labels = new int[vars.size()][];
        for (int v = 0; v < vars.size(); v++) {
            double[][] rows = inline.rows(vars.get(v).name());
            if (vars.get(v).onehot()) {
                labels[v] = new int[rows.length];
                for (int s = 0; s < rows.length; s++) {
                    labels[v][s] = (int) rows[s][0];
                }
            } else {
                int size = (int) vars.get(v).shape().size();
                values[v] = new double[rows.length * size];
                for (int s = 0; s < rows.length; s++) {
                    System.arraycopy(rows[s], 0, values[v], s * size, size);
                }
            }
        }
        return GradcheckProbe.dataset(inline.samples(), values, labels);
    }

    private static void compare(String what, double[] expected, double[] actual, List<String> failures) {
        if (expected.length != actual.length) {
            failures.add(what + ": " + actual.length + " elements, expected " + expected.length);
            return;
        }
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean same = Double.compare(e, a) == 0
                    || Math.abs(e - a) <= RELATIVE * Math.max(Math.abs(e), Math.abs(a)) + FLOOR * scale;
            if (!same) {
                failures.add(what + "[" + i + "]: generated " + a + ", evaluator " + e);
            }
        }
    }

    @AfterAll
    static void summary() {
        double seconds = (System.nanoTime() - START) / 1e9;
        List<Map.Entry<String, Integer>> common;
        synchronized (DIAGNOSTICS) {
            common = new ArrayList<>(DIAGNOSTICS.entrySet());
        }
        common.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        System.err.printf("WholeChainFuzzTest: %,d inputs in %.1f s, %.1f/s; %,d javac runs; endings %s; most common diagnostics %s%n",
                EXECUTIONS.get(), seconds, EXECUTIONS.get() / seconds, JAVAC_RUNS.get(), ENDINGS,
                common.subList(0, Math.min(5, common.size())));
    }
}
