package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Json;
import dev.nnc.eval.SplitMix64;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Random numbers, weights files, JSON, flags and progress lines of the trainers' runtime. */
class NncSupportTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------- random numbers

    @Test
    void splitMix64MatchesNncsOwnGenerator() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            SplitMix64 ours = new SplitMix64(seed);
            NncSupport.SplitMix64 theirs = new NncSupport.SplitMix64(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(ours.nextLong(), theirs.nextLong());
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(ours.nextDouble(), theirs.nextDouble());
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(ours.nextGaussian(), theirs.nextGaussian());
            }
            for (int i = 0; i < 1000; i++) {
                int bound = 1 + i * 7919 % 100_000;
                assertEquals(ours.nextInt(bound), theirs.nextInt(bound));
            }
            assertEquals(ours.nextInt(Integer.MAX_VALUE), theirs.nextInt(Integer.MAX_VALUE));
        }
    }

    @Test
    void shuffleIsFisherYatesFromTheLastIndexDown() {
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(42);
        NncSupport.shuffle(order, random);

        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SplitMix64 reference = new SplitMix64(42);
        for (int i = expected.length - 1; i > 0; i--) {
            int j = reference.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, order);
        assertEquals(reference.nextLong(), random.nextLong(), "n - 1 draws, none for index 0");
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    // -------------------------------------------------------------------------------- weights

    static final String[] NAMES = {"W1", "b1", "s", "h.W"};
    static final int[][] SHAPES = {{2, 3}, {3}, {}, {2, 1}};

    @Test
    void weightsFileLayout() throws IOException {
        Path file = dir.resolve("w.json");
        NncWeights.saveWeights(file, NAMES, SHAPES, new double[][] {{0.1, 2, -3, 4e-20, 5.5, -0.0}, {1, 2, 3}, {0.5}, {7, 8}});
        assertEquals("""
                {
                  "W1": [
                    [0.1, 2, -3],
                    [4.0E-20, 5.5, -0.0]
                  ],
                  "b1": [1, 2, 3],
                  "s": 0.5,
                  "h.W": [
                    [7],
                    [8]
                  ]
                }
                """, Files.readString(file));
        NncWeights.saveWeights(file, new String[0], new int[0][], new double[0][]);
        assertEquals("{}\n", Files.readString(file));
    }

    @Test
    void weightsRoundTripExactly() {
        Random random = new Random(7);
        double[][] values = new double[NAMES.length][];
        for (int p = 0; p < NAMES.length; p++) {
            values[p] = new double[Arrays.stream(SHAPES[p]).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < values[p].length; i++) {
                values[p][i] = Double.longBitsToDouble(random.nextLong());
                if (!Double.isFinite(values[p][i])) {
                    values[p][i] = random.nextGaussian() * 1e300;
                }
            }
        }
        values[0][0] = -0.0;
        values[0][1] = Double.MIN_VALUE;
        values[0][2] = 1e15;
        Path file = dir.resolve("w.json");
        NncWeights.saveWeights(file, NAMES, SHAPES, values);
        double[][] back = NncWeights.loadWeights(file, NAMES, SHAPES);
        for (int p = 0; p < NAMES.length; p++) {
            for (int i = 0; i < values[p].length; i++) {
                assertEquals(Double.doubleToRawLongBits(values[p][i]), Double.doubleToRawLongBits(back[p][i]));
            }
        }
    }

    @Test
    void f32WeightsAreShortAndRoundTripExactly() throws IOException {
        Random random = new Random(11);
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? (float) random.nextGaussian() : Float.intBitsToFloat(random.nextInt() & 0x7f7fffff);
        }
        v[0] = 0.1f;
        Path file = dir.resolve("w.json");
        NncWeights.saveWeights(file, new String[] {"v"}, new int[][] {{v.length}}, new float[][] {v});
        assertTrue(Files.readString(file).startsWith("{\n  \"v\": [0.1, "));
        double[] back = NncWeights.loadWeights(file, new String[] {"v"}, new int[][] {{v.length}})[0];
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits((float) back[i]), "element " + i);
        }
    }

    @Test
    void savingIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("w.json");
        Files.writeString(file, "old");
        NncWeights.saveWeights(file, new String[] {"s"}, new int[][] {{}}, new double[][] {{2.5}});
        assertEquals("{\n  \"s\": 2.5\n}\n", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }

        NncSupport.DataError e = assertThrows(NncSupport.DataError.class, () -> NncWeights.saveWeights(file,
                new String[] {"b"}, new int[][] {{2}}, new double[][] {{1, Double.NaN}}));
        assertEquals("cannot save " + file + ": parameter b holds NaN at element 1", e.getMessage());
        assertEquals("{\n  \"s\": 2.5\n}\n", Files.readString(file), "a refused save leaves the old file");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }

        Path nowhere = dir.resolve("missing/w.json");
        assertEquals("cannot write " + nowhere + ": no such directory", assertThrows(NncSupport.DataError.class,
                () -> NncWeights.saveWeights(nowhere, new String[0], new int[0][], new double[0][])).getMessage());
        assertEquals("cannot write " + dir + ": it is a directory", assertThrows(NncSupport.DataError.class,
                () -> NncWeights.saveWeights(dir, new String[0], new int[0][], new double[0][])).getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiterString = "|", quoteCharacter = '\'', value = {
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 2], \"c\": 1} | ': unknown parameter c (the model has W, b)'",
        "{\"W\": [[1, 2], [3, 4]]}                         | ': parameter b is missing'",
        "{\"W\": [[1, 2], [3, 4], [5, 6]], \"b\": [1, 2]}  | ': parameter W has shape [3, 2], the model expects [2, 2]'",
        "{\"W\": [[1, 2], [3, 4]], \"b\": 3}               | ': parameter b has shape [], the model expects [2]'",
        "{\"W\": [[1, 2], [3]], \"b\": [1, 2]}             | ': parameter W is not a rectangular array'",
        "{\"W\": [[1, 2], 3], \"b\": [1, 2]}               | ': parameter W is not a rectangular array'",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, \"2\"]}      | ': parameter b holds a string where a number or an array belongs'",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, null]}       | ': parameter b holds null where a number or an array belongs'",
        "[1, 2]                                            | ': expected an object of parameters, found an array'",
        "{\"W\": [[1, 2], [3, 4}, \"b\": [1, 2]}           | ':1:21: expected '','' or '']'', found ''}'''",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 2]} x        | ':1:38: expected the end of the document, found ''x'''",
        "{\"W\": [[1, 2], [3, 4]], \"W\": [1, 2]}          | ':1:25: the key \"W\" appears twice'",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 2.]}         | ':1:36: expected a digit after ''.'', found '']'''",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 01]}         | ':1:35: expected '','' or '']'', found ''1'''",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, NaN]}        | ':1:34: expected a value, found ''N'''",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 1e999]}      | ':1:34: the number 1e999 is out of range'",
        "{\"W\": [[1, 2], [3, 4]], \"b\": [1, 2]           | ':1:36: expected '','' or ''}'', found the end of the file'",
        "''                                                | ':1:1: expected a value, found the end of the file'",
        "{W: 1}                                            | ':1:2: expected a key in quotes, found ''W'''",
    })
    void weightsLoadErrors(String json, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("weights.json"), json.replace("\\n", "\n"));
        NncSupport.DataError e = assertThrows(NncSupport.DataError.class,
                () -> NncWeights.loadWeights(file, new String[] {"W", "b"}, new int[][] {{2, 2}, {2}}));
        assertEquals(file + expected, e.getMessage());
    }

    @Test
    void weightsLoadErrorsOnLaterLinesAndFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("weights.json"), "{\n  \"b\": [1,\n    2,,\n  ]\n}\n");
        assertEquals(file + ":3:7: expected a value, found ','", assertThrows(NncSupport.DataError.class,
                () -> NncWeights.loadWeights(file, new String[] {"b"}, new int[][] {{2}})).getMessage());
        Path deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000));
        assertEquals(deep + ":1:65: nested deeper than 64 levels", assertThrows(NncSupport.DataError.class,
                () -> NncWeights.loadWeights(deep, new String[0], new int[0][])).getMessage());
        Path missing = dir.resolve("none.json");
        assertEquals("cannot read " + missing + ": no such file", assertThrows(NncSupport.DataError.class,
                () -> NncWeights.loadWeights(missing, new String[0], new int[0][])).getMessage());
        Path escapes = Files.writeString(dir.resolve("esc.json"), "{\"\\u0062\": [1e0, -2.5E+1]}");
        assertArrayEquals(new double[] {1, -25}, NncWeights.loadWeights(escapes, new String[] {"b"}, new int[][] {{2}})[0]);
    }

    @Test
    void supportFacadeSavesAndLoads() {
        Path file = dir.resolve("w.json");
        Support.saveWeights(file, new String[] {"s"}, new int[][] {{}}, new double[][] {{-1.25}});
        assertArrayEquals(new double[] {-1.25}, Support.loadWeights(file, new String[] {"s"}, new int[][] {{}})[0]);
        Support.DataError e = assertThrows(Support.DataError.class,
                () -> Support.loadWeights(file, new String[] {"t"}, new int[][] {{}}));
        assertEquals(file + ": unknown parameter s (the model has t)", e.getMessage());
    }

    // ----------------------------------------------------------------------------------- JSON

    @Test
    void jsonMatchesNncsWriterAndTakesArrays() {
        Random random = new Random(3);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("loss", 0.25);
        doc.put("epochs", 3);
        doc.put("big", 1e15);
        doc.put("neg", -0.0);
        doc.put("tiny", 4.9e-324);
        doc.put("ok", true);
        doc.put("name", "a \"q\"\n\u0001");
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
        }
        doc.put("list", list);
        assertEquals(Json.write(doc), NncJson.write(doc));

        Map<String, Object> arrays = new LinkedHashMap<>();
        arrays.put("d", new double[] {1, 0.5});
        arrays.put("m", new double[][] {{1, 2}, {3, 4.5}});
        arrays.put("f", new float[] {0.1f, 3f});
        arrays.put("i", new int[] {1, 2});
        arrays.put("x", null);
        assertEquals("{\"d\": [1, 0.5], \"m\": [[1, 2], [3, 4.5]], \"f\": [0.1, 3], \"i\": [1, 2], \"x\": null}",
                NncJson.write(arrays));
        assertThrows(IllegalArgumentException.class, () -> NncJson.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> NncJson.write(new double[] {Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> NncJson.write(new float[] {Float.NaN}));
        assertEquals("1.0E20", NncJson.number(1e20f));
    }

    // ---------------------------------------------------------------------------------- flags

    @Test
    void flagsParse() {
        NncFlags f = NncFlags.parse("--data", "train.csv", "--test-data=idx(a, b)", "--epochs", "3",
                "--batch=64", "--lr", "1e-3", "--seed", "0", "--save", "w.json", "--json");
        assertEquals("train.csv", f.data);
        assertEquals("idx(a, b)", f.testData);
        assertEquals(3, f.epochs);
        assertEquals(64, f.batch);
        assertEquals(1e-3, f.lr);
        assertEquals(0L, f.seed);
        assertEquals("w.json", f.save);
        assertTrue(f.json);
        assertFalse(f.predict || f.eval || f.gradcheck || f.help);
        assertNull(f.weights);

        NncFlags none = NncFlags.parse();
        assertNull(none.epochs);
        assertNull(none.lr);
        assertNull(none.data);
        assertTrue(NncFlags.parse("-h").help);
        assertTrue(NncFlags.parse("--eval", "--weights", "w.json").eval);
        assertTrue(NncFlags.usage("java Trainer").startsWith("usage: java Trainer [flags]\n"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiterString = "|", value = {
        "--epochs 0              | --epochs must be at least 1, found 0",
        "--epochs three          | '--epochs expects a whole number, found \"three\"'",
        "--epochs 1.5            | '--epochs expects a whole number, found \"1.5\"'",
        "--epochs 99999999999    | --epochs must be at most 2147483647, found 99999999999",
        "--batch=0               | --batch must be at least 1, found 0",
        "--lr 0                  | --lr must be greater than 0, found 0",
        "--lr -0.1               | --lr must be greater than 0, found -0.1",
        "--lr NaN                | '--lr expects a number, found \"NaN\"'",
        "--lr 1e999              | '--lr expects a number, found \"1e999\"'",
        "--seed -1               | --seed must be at least 0, found -1",
        "--epochs                | --epochs needs a value",
        "--data --json           | --data needs a value",
        "--data=                 | --data needs a value",
        "--json=yes              | --json takes no value",
        "--epoch 3               | '--epoch' is wrong",
        "--frobnicate            | unknown flag --frobnicate (see --help)",
        "train.csv               | 'unexpected argument \"train.csv\" (flags start with --; see --help)'",
        "--lr 1 --lr 2           | --lr is given twice",
        "--predict --eval        | --predict and --eval cannot be combined",
        "--eval --gradcheck      | --eval and --gradcheck cannot be combined",
    })
    void flagErrors(String args, String expected) {
        NncSupport.UsageError e = assertThrows(NncSupport.UsageError.class, () -> NncFlags.parse(args.split(" ")));
        String wanted = expected.equals("'--epoch' is wrong") ? "unknown flag --epoch (did you mean --epochs?) (see --help)" : expected;
        assertEquals(wanted, e.getMessage());
    }

    // ------------------------------------------------------------------------------- progress

    @Test
    void epochLines() {
        assertEquals("epoch 3/10  loss 0.412351  1,234,567 samples/s",
                NncProgress.epochLine(3, 10, 0.4123514, 1_234_567.4));
        assertEquals("epoch 3/10  loss 0.412351  1,234,567 samples/s  test loss 0.3912  test acc 0.8712",
                NncProgress.epochLine(3, 10, 0.4123514, 1_234_567.4, 0.39121, 0.87119));
        assertEquals("epoch 1/1  loss 1.2346e-05  12 samples/s  test loss 0.0000",
                NncProgress.epochLine(1, 1, 1.23456e-5, 12, 1e-6, Double.NaN));
    }

    @Test
    void progressBar() {
        assertEquals("epoch 2/3 [=========>          ]  45%  loss 0.500000  1,000 samples/s  ETA 0:16",
                NncProgress.progressLine(2, 3, 4_500, 10_000, 0.5, 1000, 20));
        assertEquals("epoch 3/3 [====================] 100%  loss 0.500000  0 samples/s  ETA ?",
                NncProgress.progressLine(3, 3, 10, 10, 0.5, 0, 20));
        assertEquals("1:02:03", NncProgress.duration(3723));
        assertEquals("0:07", NncProgress.duration(6.6));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        NncProgress.ProgressBar bar = new NncProgress.ProgressBar(out, 1, 1000);
        long start = System.nanoTime();
        bar.startEpoch(1);
        for (int done = 1; done < 1000; done++) {
            bar.update(done, 0.5); // redrawn at most every 100 ms
        }
        long elapsed = System.nanoTime() - start;
        bar.update(1000, 0.25); // the end of the epoch is always drawn
        bar.endEpoch("epoch 1/1  loss 0.250000  9 samples/s");
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] drawn = text.split("\r");
        assertTrue(drawn.length - 3 <= 1 + elapsed / 100_000_000L, drawn.length - 1 + " drawings in " + elapsed + " ns");
        assertTrue(drawn[1].startsWith("epoch 1/1 [>"), text);
        int last = drawn.length - 1;
        assertTrue(drawn[last - 1].startsWith("epoch 1/1 [====================] 100%"), text);
        assertEquals("epoch 1/1  loss 0.250000  9 samples/s", drawn[last].strip());
        assertEquals(drawn[last - 1].stripTrailing().length() + "\n".length(), drawn[last].length(), "the final line blanks out the bar");
        assertTrue(text.endsWith("\n"));
    }
}
