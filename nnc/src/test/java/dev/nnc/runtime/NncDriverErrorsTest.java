package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exit codes and messages of {@link NncDriver} on bad flags, data and weights; the embedded runtime run for real. */
class NncDriverErrorsTest {

    @TempDir
    Path dir;
    NncDriver.Defaults defaults;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void data() {
        write("lin.csv", "x,y\n1,3\n2,5\n3,7\n");
        write("cls.csv", "1,0,0\n0,1,1\n");
        write("w.json", "{\"w\": [[2]], \"b\": 1}");
        defaults = new NncDriver.Defaults(2, 2, false, 1, "lin.csv", null, dir.toString(), null);
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(LongFunction<NncModel> factory, NncDriver.Defaults d, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = NncDriver.run(args, factory, d, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(r.err.contains("Exception in") || r.err.contains("\tat "), r.err);
        return r;
    }

    /** Runs the linear model with {@code args}, where {@code $} stands for the data folder. */
    Result linear(String args) {
        String[] split = args.isBlank() ? new String[0] : args.replace("$", dir.toString()).split(" ");
        return run(FakeModels.Linear::new, defaults, split);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "|", value = {
        "--epochs 0                                  | --epochs must be at least 1, found 0",
        "--batch -1                                  | --batch must be at least 1, found -1",
        "--frobnicate                                | unknown flag --frobnicate (see --help)",
        "lin.csv                                     | 'unexpected argument \"lin.csv\" (flags start with --; see --help)'",
        "--eval                                      | --eval needs --weights W.json",
        "--predict --data $/lin.csv                  | --predict needs --weights W.json",
        "--eval --predict                            | --predict and --eval cannot be combined",
        "--eval --weights $/w.json --epochs 2        | --epochs cannot be used with --eval",
        "--predict --weights $/w.json --save x.json  | --save cannot be used with --predict",
        "--gradcheck --lr 0.1                        | --lr cannot be used with --gradcheck",
        "--gradcheck --test-data $/lin.csv           | --test-data cannot be used with --gradcheck",
        "--gradcheck --batch 4                       | --batch cannot be used with --gradcheck",
    })
    void badFlagsExit2WithAHint(String args, String message) {
        Result r = linear(args);
        assertEquals(2, r.code);
        assertEquals("", r.out);
        assertEquals("error: " + message + "\nrun with --help to see the flags\n", r.err);
    }

    @Test
    void helpPrintsTheUsageOnOut() {
        Result r = linear("--eval --help");
        assertEquals(0, r.code);
        assertTrue(r.out.startsWith("usage: java dev.nnc.runtime.FakeModels$Linear [flags]\n"), r.out);
        assertTrue(r.out.contains("--gradcheck"), r.out);
        assertEquals("", r.err);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "|", value = {
        "--data $/none.csv                     | cannot read $/none.csv: no such file",
        "--data $/cols.csv                     | $/cols.csv:2: expected 2 columns, found 3",
        "--data $/word.csv                     | '$/word.csv:2: column 2 is not a number: \"seven\"'",
        "--test-data $/cols.csv                | $/cols.csv:2: expected 2 columns, found 3",
        "--weights $/none.json                 | cannot read $/none.json: no such file",
        "--weights $/short.json                | $/short.json: parameter b is missing",
        "--weights $/shape.json                | $/shape.json: parameter w has shape [2], the model expects [1, 1]",
        "--weights $/broken.json               | $/broken.json:1:7: expected a value, found the end of the file",
        "--eval --weights $/w.json --data $/cols.csv | $/cols.csv:2: expected 2 columns, found 3",
        "--gradcheck --data $/none.csv         | cannot read $/none.csv: no such file",
    })
    void badDataOrWeightsExit1AndWriteNothing(String args, String message) throws IOException {
        write("cols.csv", "1,3\n2,5,7\n");
        write("word.csv", "1,3\n2,seven\n");
        write("short.json", "{\"w\": [[2]]}");
        write("shape.json", "{\"w\": [2, 3], \"b\": 1}");
        write("broken.json", "{\"w\": ");
        Path saved = dir.resolve("saved.json");
        Result r = linear(args + (args.contains("--eval") || args.contains("--gradcheck") ? "" : " --save " + saved));
        assertEquals(1, r.code, r.err);
        assertEquals("", r.out);
        assertEquals("error: " + message.replace("$", dir.toString()) + "\n", r.err);
        assertFalse(Files.exists(saved));
    }

    @Test
    void theTrainBlocksFilesResolveAgainstTheBaseDirectory() {
        NncDriver.Defaults missing = new NncDriver.Defaults(1, 1, false, 0, "idx(a.gz, b.gz)", null, dir.toString(), null);
        Result r = run(FakeModels.Softmax::new, missing);
        assertEquals(1, r.code);
        assertEquals("error: cannot read " + dir.resolve("a.gz") + ": no such file\n", r.err);
        NncDriver.Defaults labels = new NncDriver.Defaults(1, 1, false, 0, "cls.csv", null, dir.toString(), null);
        write("cls.csv", "1,0,3\n");
        Result bad = run(FakeModels.Softmax::new, labels);
        assertEquals("error: " + dir.resolve("cls.csv") + ":1: label 3 is out of range for onehot[3]\n", bad.err);
    }

    @Test
    void saveIntoAMissingFolderExits2BeforeAnyWork() {
        Result r = linear("--save $/no/such/w.json");
        assertEquals(2, r.code);
        assertEquals("error: --save " + dir.resolve("no/such/w.json") + ": no such folder " + dir.resolve("no/such") + "\n",
                r.err.substring(r.err.indexOf("error: "), r.err.indexOf("run with --help")));
        assertFalse(r.err.contains("epoch "), "nothing was trained: " + r.err);
    }

    @Test
    void aFailureInsideTheModelExits3WithoutAStackTrace() {
        LongFunction<NncModel> broken = seed -> new FakeModels.Linear(seed) {
            @Override
            public double gradients(int[] order, int from, int to) {
                throw new IllegalStateException("boom");
            }
        };
        Result r = run(broken, defaults);
        assertEquals(3, r.code);
        assertEquals("error: internal error: java.lang.IllegalStateException: boom\n", r.err);
    }

    /** A stand-in for a generated trainer: the shape of class nnc writes, over the embedded runtime. */
    static final String TRAINER = """
            public final class T implements NncModel {
                static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(20, 2, true, 3, null, null, null,
                        new NncSupport.Dataset(4, null, new double[][] {{0, 1, 2, 3}, {1, 3, 5, 7}}, new int[2][]));
                private double w;
                private double b;
                private double gw;
                private double gb;
                private double lr = 0.05;
                private double out;
                private NncSupport.Dataset data;

                T(long seed) {
                    w = new NncSupport.SplitMix64(seed).nextGaussian();
                }

                public static void main(String[] args) {
                    int code = run(args, System.out, System.err);
                    if (code != 0) {
                        System.exit(code);
                    }
                }

                public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
                    return NncDriver.run(args, T::new, DEFAULTS, out, err);
                }

                @Override public String name() { return "t"; }
                @Override public NncSupport.Schema schema() {
                    return new NncSupport.Schema(new String[] {"x", "y"}, new int[] {1, 1}, new int[] {0, 0}, 1);
                }
                @Override public boolean f64() { return true; }
                @Override public void useData(NncSupport.Dataset data) { this.data = data; }
                @Override public double gradients(int[] order, int from, int to) {
                    double loss = 0;
                    gw = 0;
                    gb = 0;
                    for (int k = from; k < to; k++) {
                        double x = data.f64[0][order[k]];
                        double e = w * x + b - data.f64[1][order[k]];
                        loss += e * e / (to - from);
                        gw += 2 * e * x / (to - from);
                        gb += 2 * e / (to - from);
                    }
                    return loss;
                }
                @Override public void update() { w -= lr * gw; b -= lr * gb; }
                @Override public void setLearningRate(double lr) { this.lr = lr; }
                @Override public double evaluate(int s) {
                    predict(s);
                    return (out - data.f64[1][s]) * (out - data.f64[1][s]);
                }
                @Override public void predict(int s) { out = w * data.f64[0][s] + b; }
                @Override public int outputSize() { return 1; }
                @Override public void output(double[] into) { into[0] = out; }
                @Override public String[] paramNames() { return new String[] {"w", "b"}; }
                @Override public int[][] paramShapes() { return new int[][] {{}, {}}; }
                @Override public double[][] weights() { return new double[][] {{w}, {b}}; }
                @Override public void setWeights(double[][] v) { w = v[0][0]; b = v[1][0]; }
                @Override public double[][] gradients() { return new double[][] {{gw}, {gb}}; }
            }
            """;

    @Test
    void theEmbeddedRuntimeCompilesAloneAndTrains() throws Exception {
        Map<String, byte[]> classes = NncSupportEmbeddedTest.compile("T", TRAINER + "\n" + dev.nnc.emit.RuntimeSources.appendix(false));
        Method run = NncSupportEmbeddedTest.fresh(classes).loadClass("T")
                .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        assertTrue(run.getDeclaringClass().getClassLoader() != NncDriver.class.getClassLoader());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Object code = run.invoke(null, new String[] {"--epochs", "200", "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Map<String, Object> doc = JsonReader.object(out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("loss", "epochs", "seconds", "samples_per_second", "history", "params"), List.copyOf(doc.keySet()));
        Map<?, ?> params = (Map<?, ?>) doc.get("params");
        assertEquals(2.0, ((Number) params.get("w")).doubleValue(), 1e-3); // y = 2x + 1
        assertEquals(1.0, ((Number) params.get("b")).doubleValue(), 1e-3);
        assertEquals(200, err.toString(StandardCharsets.UTF_8).lines().count());

        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        PrintStream badStream = new PrintStream(bad, true, StandardCharsets.UTF_8);
        assertEquals(2, run.invoke(null, new String[] {"--epochz"}, badStream, badStream));
        assertTrue(bad.toString(StandardCharsets.UTF_8).startsWith("error: unknown flag --epochz (did you mean --epochs?)"));
    }
}
