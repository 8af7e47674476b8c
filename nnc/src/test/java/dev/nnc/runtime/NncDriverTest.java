package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, evaluation, predictions and gradient checks of {@link NncDriver}, on the models of {@link FakeModels}. */
class NncDriverTest {

    static final double[] X = {1, 2, 3, 4, 5};
    static final double[] Y = {3, 5, 7, 9, 11};

    @TempDir
    Path dir;
    NncDriver.Defaults linearDefaults;
    NncDriver.Defaults softmaxDefaults;
    /** Every model the factories made, last one last. */
    final List<NncModel> made = new ArrayList<>();
    /** Where the last run's models start in {@link #made}: its own model, then any warm-up copy. */
    int lastRunStart;

    record Result(int code, String out, String err) {
        Map<String, Object> json() {
            return JsonReader.object(out);
        }
    }

    @BeforeEach
    void data() {
        write("lin.csv", "x,y\n1,3\n2,5\n3,7\n4,9\n5,11\n");
        write("lin-test.csv", "0,1.5\n10,20\n");
        write("cls.csv", "a,b,c\n1,0,0\n0,1,1\n-1,-1,2\n2,0.5,0\n0,2,1\n-2,-1,2\n");
        write("cls-test.csv", "1.5,0,0\n0,1.5,1\n-1,-2,2\n0.1,0.1,0\n");
        linearDefaults = new NncDriver.Defaults(3, 2, false, 42, "lin.csv", null, dir.toString(), null);
        softmaxDefaults = new NncDriver.Defaults(4, 4, true, 7, "cls.csv", "cls-test.csv", dir.toString(), null);
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(LongFunction<NncModel> factory, NncDriver.Defaults defaults, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        lastRunStart = made.size();
        LongFunction<NncModel> recording = seed -> {
            NncModel m = factory.apply(seed);
            made.add(m);
            return m;
        };
        int code = NncDriver.run(args, recording, defaults, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.err);
        return r;
    }

    /**
     * The standalone trainer has no chart library: {@code --plot} is a usage error that says where
     * the charts are drawn; with a plotter lent for the run (as nnc train does) it draws the epochs'
     * figures, atomically, and a plotter's failure is exit 1 with the weights still saved.
     */
    @Test
    void plotNeedsAPlotterAndDrawsTheHistory() {
        Path png = dir.resolve("c.png");
        Result none = linear("--plot", png.toString());
        assertEquals(2, none.code, none.err);
        assertTrue(none.err.contains("--plot: this standalone trainer draws no charts (it needs nothing but the JDK);"
                + " nnc train --plot draws them, and --history F.csv writes the same figures"), none.err);
        Result svgz = linear("--plot", dir.resolve("c.svgz").toString());
        assertEquals(2, svgz.code, svgz.err);
        assertTrue(svgz.err.contains("the file must end in .png or .svg"), svgz.err);
        assertFalse(Files.exists(png));

        java.util.List<Object> drawn = new java.util.ArrayList<>();
        NncPlotter recorder = (format, title, rows, out) -> {
            drawn.add(format);
            drawn.add(title);
            drawn.add(rows);
            out.write(format.getBytes(StandardCharsets.UTF_8));
        };
        Result r = NncDriver.withPlotter(recorder, () -> run(FakeModels.Softmax::new, softmaxDefaults, "--plot", png.toString(),
                "--epochs", "3"));
        assertEquals(0, r.code, r.err);
        assertEquals("png", drawn.get(0));
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> rows = (java.util.List<Map<String, Object>>) drawn.get(2);
        assertEquals(3, rows.size());
        assertEquals(java.util.List.of("epoch", "loss", "test_loss", "test_accuracy", "seconds", "samples_per_second"),
                java.util.List.copyOf(rows.get(2).keySet()));
        assertEquals(3, rows.get(2).get("epoch"));
        assertTrue(r.err.contains("drew the training curves in " + png), r.err);
        assertEquals("png", read(png));

        Path saved = dir.resolve("w.json");
        Result failing = NncDriver.withPlotter((format, title, rows2, out) -> {
            throw new java.io.IOException("no fonts");
        }, () -> linear("--plot", dir.resolve("f.svg").toString(), "--save", saved.toString()));
        assertEquals(1, failing.code, failing.err);
        assertTrue(failing.err.contains("error: cannot draw --plot " + dir.resolve("f.svg")), failing.err);
        assertTrue(Files.exists(saved), "the weights are saved all the same");
        assertFalse(Files.exists(dir.resolve("f.svg")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result linear(String... args) {
        return run(FakeModels.Linear::new, linearDefaults, args);
    }

    /**
     * The model the last run trained: the first it made. A slow read makes a second one to warm the
     * JIT up on (NncWarmup), so "the last one made" would depend on timing.
     */
    FakeModels.Linear lastLinear() {
        return (FakeModels.Linear) made.get(lastRunStart);
    }

    static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(NncDriverTest::number).toArray();
    }

    static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    /** SGD on (w x + b - y)^2 by the book: returns {w, b, loss of the last epoch}. */
    static double[] sgd(double w, double b, double lr, int batch, int epochs) {
        double loss = 0;
        for (int e = 0; e < epochs; e++) {
            double sum = 0;
            for (int from = 0; from < X.length; from += batch) {
                int to = Math.min(X.length, from + batch);
                double l = 0;
                double gw = 0;
                double gb = 0;
                for (int s = from; s < to; s++) {
                    double err = w * X[s] + b - Y[s];
                    l += err * err;
                    gw += 2 * err * X[s];
                    gb += 2 * err;
                }
                int n = to - from;
                w -= lr * (gw / n);
                b -= lr * (gb / n);
                sum += l / n * n;
            }
            loss = sum / X.length;
        }
        return new double[] {w, b, loss};
    }

    // ------------------------------------------------------------------------------- training

    @Test
    void sgdEpochsWithAPartialLastBatchFollowTheBook() {
        Result r = linear("--lr", "0.01", "--json");
        assertEquals(0, r.code, r.err);
        FakeModels.Linear start = new FakeModels.Linear(42);
        double[] expected = sgd(start.w, start.b, 0.01, 2, 3);
        Map<String, Object> doc = r.json();
        assertEquals(List.of("loss", "epochs", "seconds", "samples_per_second", "history", "params"), List.copyOf(doc.keySet()));
        assertEquals(expected[2], number(doc.get("loss")));
        assertEquals(3L, doc.get("epochs"));
        assertTrue(number(doc.get("seconds")) >= 0 && number(doc.get("samples_per_second")) > 0);
        Map<?, ?> params = (Map<?, ?>) doc.get("params");
        assertEquals(List.of(List.of(expected[0])), params.get("w"));
        assertEquals(expected[1], number(params.get("b")));
        List<String> batches = lastLinear().batches.stream().map(Arrays::toString).toList();
        assertEquals(List.of("[0, 1]", "[2, 3]", "[4]", "[0, 1]", "[2, 3]", "[4]", "[0, 1]", "[2, 3]", "[4]"), batches);
        assertEquals(3, r.err.lines().filter(l -> l.matches("epoch [123]/3  loss \\d+\\.\\d{6}  [\\d,]+ samples/s")).count(), r.err);
    }

    @Test
    void flagsOverrideTheDefaultsAndPlainOutputIsOneSummaryLine() {
        Result r = linear("--epochs", "2", "--batch", "5", "--seed", "9", "--lr", "0.001");
        assertEquals(0, r.code, r.err);
        FakeModels.Linear start = new FakeModels.Linear(9);
        double[] expected = sgd(start.w, start.b, 0.001, 5, 2);
        assertArrayEquals(new double[][] {{expected[0]}, {expected[1]}}, lastLinear().weights());
        assertEquals(9, lastLinear().seed);
        assertEquals(2, lastLinear().batches.size());
        assertTrue(r.out.matches("loss \\d+\\.\\d{6}  \\(2 epochs, \\d+\\.\\d\\d s, [\\d,]+ samples/s\\)\n"), r.out);
        assertEquals(2, r.err.lines().count(), r.err);
    }

    @Test
    void inlineDataWhenNoFileIsNamed() {
        NncSupport.Dataset inline = new NncSupport.Dataset(5, null, new double[][] {X.clone(), Y.clone()}, new int[2][]);
        NncDriver.Defaults d = new NncDriver.Defaults(1, 5, false, 42, null, null, null, inline);
        assertEquals(0, run(FakeModels.Linear::new, d, "--lr", "0.01").code);
        FakeModels.Linear start = new FakeModels.Linear(42);
        assertEquals(sgd(start.w, start.b, 0.01, 5, 1)[0], lastLinear().w);
        Result none = run(FakeModels.Linear::new, new NncDriver.Defaults(1, 1, false, 0, null, null, null, null));
        assertEquals(1, none.code);
        assertEquals("error: no data: the model names no data file and has no inline data; give --data F\n", none.err);
    }

    @Test
    void aModelWithoutDataTakesOneStepAnEpochOnItsFunction() {
        Result r = run(FakeModels.Quadratic::new, new NncDriver.Defaults(50, 1, true, 0, null, null, null, null), "--json");
        assertEquals(0, r.code, r.err);
        double x = 0;
        for (int e = 0; e < 50; e++) {
            x -= 0.1 * (2 * x - 4);
        }
        assertEquals(1, ((FakeModels.Quadratic) made.get(0)).samples);
        assertEquals(Map.of("x", x), ((Map<?, ?>) r.json().get("params")));
        assertEquals(0, run(FakeModels.Quadratic::new, new NncDriver.Defaults(1, 1, false, 0, null, null, null, null), "--gradcheck").code);
    }

    /** The order of every epoch's batches, as seen by the model. */
    List<List<Integer>> orders(String seed) {
        NncDriver.Defaults d = new NncDriver.Defaults(3, 2, true, 0, "lin.csv", null, dir.toString(), null);
        assertEquals(0, run(FakeModels.Linear::new, d, "--seed", seed).code);
        List<List<Integer>> epochs = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int[] batch : lastLinear().batches) {
            Arrays.stream(batch).forEach(current::add);
            if (current.size() == X.length) {
                epochs.add(current);
                current = new ArrayList<>();
            }
        }
        return epochs;
    }

    @Test
    void shufflesAreDeterministicPerSeedFromTheirOwnStream() {
        List<List<Integer>> a = orders("5");
        assertEquals(a, orders("5"));
        assertNotEquals(a, orders("6"));
        NncSupport.SplitMix64 stream = new NncSupport.SplitMix64(5 + 1);
        for (List<Integer> epoch : a) {
            int[] expected = {0, 1, 2, 3, 4};
            NncSupport.shuffle(expected, stream);
            assertEquals(Arrays.stream(expected).boxed().toList(), epoch);
        }
        assertNotEquals(a.get(0), a.get(1), "every epoch reshuffles");
    }

    @Test
    void testLossAndAccuracyEveryEpoch() {
        Result r = run(FakeModels.Softmax::new, softmaxDefaults, "--json");
        assertEquals(0, r.code, r.err);
        Map<String, Object> doc = r.json();
        assertEquals(List.of("loss", "epochs", "seconds", "samples_per_second", "test_loss", "test_accuracy", "history", "params"),
                List.copyOf(doc.keySet()));
        FakeModels.Softmax trained = (FakeModels.Softmax) made.get(0);
        NncSupport.Dataset test = NncSupport.readData("cls-test.csv", dir, FakeModels.XC, true);
        double[] expected = NncDriver.evaluate(trained, test, NncClassifier.of(trained));
        assertEquals(expected[0], number(doc.get("test_loss")));
        assertEquals(expected[1], number(doc.get("test_accuracy")));
        double[] w = trained.w;
        assertEquals(List.of(List.of(w[0], w[1]), List.of(w[2], w[3]), List.of(w[4], w[5])), ((Map<?, ?>) doc.get("params")).get("W"));
        assertEquals(4, r.err.lines().filter(l -> l.matches("epoch \\d/4  .*  test loss \\d\\.\\d{4}  test acc \\d\\.\\d{4}")).count(), r.err);

        Result noAccuracy = linear("--test-data", dir.resolve("lin-test.csv").toString(), "--save", dir.resolve("w.json").toString(), "--json");
        assertEquals(0, noAccuracy.code, noAccuracy.err);
        assertEquals(List.of("loss", "epochs", "seconds", "samples_per_second", "test_loss", "history"),
                List.copyOf(noAccuracy.json().keySet()));
    }

    @Test
    void accuracyTakesTheFirstMaximumAndIsUndefinedWithoutMatchingClasses() {
        FakeModels.Softmax tie = new FakeModels.Softmax(0) {
            @Override
            public void output(double[] into) {
                Arrays.fill(into, 1.0); // every class ties: the first, class 0, wins
            }
        };
        NncSupport.Dataset test = NncSupport.readData("cls-test.csv", dir, FakeModels.XC, true);
        assertEquals(0.5, NncDriver.evaluate(tie, test, NncClassifier.of(tie))[1]); // labels 0, 1, 2, 0
        assertEquals(1, NncClassifier.of(tie).target);
        assertNull(NncClassifier.of(new FakeModels.Linear(0)));
    }

    // ------------------------------------------------------------------------------- weights

    @Test
    void saveWritesAtomicallyAndWeightsReload() throws IOException {
        Path w = write("w.json", "stale");
        Result r = linear("--save", w.toString(), "--json");
        assertEquals(0, r.code, r.err);
        assertFalse(r.json().containsKey("params"));
        FakeModels.Linear trained = lastLinear();
        assertEquals(Map.of("w", List.of(List.of(trained.w)), "b", trained.b), JsonReader.object(Files.readString(w)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }

        Result again = linear("--weights", w.toString(), "--epochs", "1", "--lr", "0.01");
        assertEquals(0, again.code, again.err);
        assertArrayEquals(new double[] {sgd(trained.w, trained.b, 0.01, 2, 1)[0]}, lastLinear().weights()[0]);

        Result eval = linear("--eval", "--weights", w.toString(), "--json");
        assertEquals(0, eval.code, eval.err);
        double loss = 0;
        for (int s = 0; s < X.length; s++) {
            loss += Math.pow(trained.w * X[s] + trained.b - Y[s], 2);
        }
        assertEquals(Map.of("loss", loss / X.length, "samples", 5L), eval.json());
    }

    @Test
    void f32TrainersSaveFloatsInTheirShortestForm() throws IOException {
        Path w = dir.resolve("w32.json");
        assertEquals(0, run(s -> new FakeModels.Linear(s).f32(), linearDefaults, "--save", w.toString()).code);
        FakeModels.Linear trained = lastLinear();
        assertEquals("{\n  \"w\": [\n    [" + Float.toString((float) trained.w) + "]\n  ],\n  \"b\": " + (float) trained.b + "\n}\n",
                Files.readString(w));
    }

    // -------------------------------------------------------------------------- eval, predict

    @Test
    void evalPrintsLossAccuracyAndSamples() {
        Path w = dir.resolve("s.json");
        assertEquals(0, run(FakeModels.Softmax::new, softmaxDefaults, "--save", w.toString()).code);
        Result json = run(FakeModels.Softmax::new, softmaxDefaults, "--eval", "--weights", w.toString(), "--data", dir.resolve("cls-test.csv").toString(), "--json");
        assertEquals(0, json.code, json.err);
        assertEquals(List.of("loss", "accuracy", "samples", "precision", "recall", "f1", "macro_precision", "macro_recall", "macro_f1",
                "confusion"), List.copyOf(json.json().keySet()));
        assertEquals(4L, json.json().get("samples"));
        Result text = run(FakeModels.Softmax::new, softmaxDefaults, "--eval", "--weights", w.toString());
        assertTrue(text.out.startsWith("loss "), text.out);
        assertTrue(text.out.lines().findFirst().orElseThrow().matches("loss \\d\\.\\d{6}  accuracy \\d\\.\\d{4}  samples 6"), text.out);
        assertEquals("", text.err);
    }

    /**
     * Logits {@code (x0, x1, 0.5)} on cls-test.csv: samples of classes 0, 1, 2, 0 predicted as 0, 1, 2, 2.
     * Counted by hand: confusion {@code [[1,0,1],[0,1,0],[0,0,1]]}; precision 1, 1, 1/2; recall 1/2, 1, 1;
     * F1 2/3, 1, 2/3 ({@code 2 tp / (2 tp + fp + fn)}); macro precision and recall 5/6, macro F1 7/9.
     */
    @Test
    void evalOfAClassifierPrintsPrecisionRecallF1AndTheConfusionMatrix() {
        Path w = write("fixed.json", "{\"W\": [[1, 0], [0, 1], [0, 0]], \"b\": [0, 0, 0.5]}");
        String test = dir.resolve("cls-test.csv").toString();
        Result json = run(FakeModels.Softmax::new, softmaxDefaults, "--eval", "--weights", w.toString(), "--data", test, "--json");
        assertEquals(0, json.code, json.err);
        Map<String, Object> doc = json.json();
        assertEquals(0.75, doc.get("accuracy"));
        assertArrayEquals(new double[] {1, 1, 0.5}, doubles(doc.get("precision")));
        assertArrayEquals(new double[] {0.5, 1, 1}, doubles(doc.get("recall")));
        assertArrayEquals(new double[] {2 / 3.0, 1, 2 / 3.0}, doubles(doc.get("f1")));
        assertEquals(2.5 / 3, number(doc.get("macro_precision")), 1e-15);
        assertEquals(2.5 / 3, number(doc.get("macro_recall")), 1e-15);
        assertEquals(7 / 9.0, number(doc.get("macro_f1")), 1e-15);
        assertEquals(List.of(List.of(1L, 0L, 1L), List.of(0L, 1L, 0L), List.of(0L, 0L, 1L)), doc.get("confusion"));

        Result text = run(FakeModels.Softmax::new, softmaxDefaults, "--eval", "--weights", w.toString(), "--data", test);
        assertEquals(0, text.code, text.err);
        String loss = text.out.lines().findFirst().orElseThrow();
        assertTrue(loss.matches("loss \\d\\.\\d{6}  accuracy 0\\.7500  samples 4"), text.out);
        assertEquals(loss + "\n"
                + "\n"
                + "class  precision  recall      f1  support\n"
                + "0         1.0000  0.5000  0.6667        2\n"
                + "1         1.0000  1.0000  1.0000        1\n"
                + "2         0.5000  1.0000  0.6667        1\n"
                + "macro     0.8333  0.8333  0.7778        4\n"
                + "\n"
                + "confusion (rows: true class, columns: predicted class)\n"
                + "       0  1  2\n"
                + "0      1  0  1\n"
                + "1      0  1  0\n"
                + "2      0  0  1\n", text.out);
    }

    @Test
    void predictPrintsOneLinePerSampleFromInputsAloneOrWholeSamples() {
        Path w = write("p.json", "{\"w\": [[2]], \"b\": 0.5}");
        write("inputs.csv", "x\n1\n-0.25\n");
        Result alone = linear("--predict", "--weights", w.toString(), "--data", dir.resolve("inputs.csv").toString());
        assertEquals(0, alone.code, alone.err);
        assertEquals("2.5\n0\n", alone.out);
        Result whole = linear("--predict", "--weights", w.toString(), "--json");
        assertEquals(0, whole.code, whole.err);
        assertEquals(List.of(List.of(2.5), List.of(4.5), List.of(6.5), List.of(8.5), List.of(10.5)), JsonReader.parse(whole.out));

        Path s = write("s.json", "{\"W\": [[1, 0], [0, 1], [0.1, 0.2]], \"b\": [0, 0, 0]}");
        write("cls-inputs.csv", "1,2\n");
        Result three = run(FakeModels.Softmax::new, softmaxDefaults, "--predict", "--weights", s.toString(), "--data", dir.resolve("cls-inputs.csv").toString());
        assertEquals("1 2 0.5\n", three.out);

        FakeModels.Linear silent = new FakeModels.Linear(0) {
            @Override
            public int outputSize() {
                return 0;
            }
        };
        Result none = run(seed -> silent, linearDefaults, "--predict", "--weights", w.toString());
        assertEquals(1, none.code);
        assertEquals("error: model linear declares no output to predict\n", none.err);
    }

    // ----------------------------------------------------------------------------- gradcheck

    @Test
    void gradcheckPassesOnTrueGradientsAndRestoresTheWeights() {
        Result r = linear("--gradcheck", "--json");
        assertEquals(0, r.code, r.err);
        Map<String, Object> doc = r.json();
        assertEquals(List.of("max_rel_error", "per_param"), List.copyOf(doc.keySet()));
        assertEquals(List.of("w", "b"), List.copyOf(((Map<?, ?>) doc.get("per_param")).keySet()));
        assertTrue(number(doc.get("max_rel_error")) < 1e-8, r.out);
        FakeModels.Linear fresh = new FakeModels.Linear(42);
        assertArrayEquals(fresh.weights(), lastLinear().weights());

        Result text = run(FakeModels.Softmax::new, softmaxDefaults, "--gradcheck");
        assertEquals(0, text.code, text.err);
        assertTrue(text.out.matches("W  max rel error \\S+  \\(6 elements\\)\nb  max rel error \\S+  \\(3 elements\\)\n"
                + "max rel error \\S+ on 6 samples: ok \\(tolerance 1\\.00e-06\\)\n"), text.out);

        Result f32 = run(s -> new FakeModels.Linear(s).f32(), linearDefaults, "--gradcheck");
        assertEquals(0, f32.code, f32.err);
        assertTrue(f32.err.startsWith("note: this trainer computes in f32"), f32.err);
        assertTrue(f32.out.endsWith("ok (tolerance 1.00e-02)\n"), f32.out);
    }

    @Test
    void gradcheckFailsOnAWrongGradient() {
        LongFunction<NncModel> wrong = seed -> {
            FakeModels.Linear m = new FakeModels.Linear(seed);
            m.gradientScale = 1.01;
            return m;
        };
        Result r = run(wrong, linearDefaults, "--gradcheck", "--json");
        assertEquals(1, r.code);
        Map<?, ?> perParam = (Map<?, ?>) r.json().get("per_param");
        assertTrue(number(perParam.get("w")) > 5e-3 && number(perParam.get("b")) < 1e-8, r.out);
        assertTrue(r.err.startsWith("error: the gradients differ from central differences by up to "), r.err);
        assertTrue(r.err.endsWith(" (tolerance 1.00e-06)\n"), r.err);
    }

    // ----------------------------------------------------------------------- non-finite steps

    @Test
    void aNonFiniteLossStopsWithTheLastFiniteWeights() throws IOException {
        Path w = dir.resolve("nan.json");
        LongFunction<NncModel> nan = seed -> {
            FakeModels.Linear m = new FakeModels.Linear(seed);
            m.nanLossAtCall = 8; // three batches an epoch: epoch 3, step 2
            return m;
        };
        Result r = run(nan, linearDefaults, "--save", w.toString(), "--json", "--lr", "0.01");
        assertEquals(1, r.code);
        assertEquals("", r.out);
        assertTrue(r.err.endsWith("error: the loss became NaN at epoch 3, step 2; the weights before that step are saved in " + w + "\n"), r.err);
        FakeModels.Linear start = new FakeModels.Linear(42);
        double[] two = sgd(start.w, start.b, 0.01, 2, 2);
        double e0 = two[0] * X[0] + two[1] - Y[0]; // epoch 3, step 1: samples 0 and 1
        double e1 = two[0] * X[1] + two[1] - Y[1];
        double expectedW = two[0] - 0.01 * ((2 * e0 * X[0] + 2 * e1 * X[1]) / 2);
        double expectedB = two[1] - 0.01 * ((2 * e0 + 2 * e1) / 2);
        assertEquals(Map.of("w", List.of(List.of(expectedW)), "b", expectedB), JsonReader.object(Files.readString(w)));

        LongFunction<NncModel> infinite = seed -> {
            FakeModels.Linear m = new FakeModels.Linear(seed);
            m.infiniteGradientAtCall = 2;
            return m;
        };
        Result g = run(infinite, linearDefaults);
        assertEquals(1, g.code);
        assertTrue(g.err.endsWith("error: a gradient of b became infinite at epoch 1, step 2\n"), g.err);
        FakeModels.Linear stopped = lastLinear();
        assertEquals(2, stopped.batches.size(), "no step after the bad one");
        FakeModels.Linear oneStep = new FakeModels.Linear(42);
        oneStep.useData(NncSupport.readData("lin.csv", dir, FakeModels.XY, true));
        oneStep.gradients(new int[] {0, 1}, 0, 2);
        oneStep.update();
        assertArrayEquals(oneStep.weights(), stopped.weights(), "the bad step was not applied");
    }
}
