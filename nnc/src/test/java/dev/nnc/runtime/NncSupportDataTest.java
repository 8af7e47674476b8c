package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The data files of language.md section 7, CSV and IDX, as the generated trainers read them. */
class NncSupportDataTest {

    /** input x[2], target y[1]. */
    static final NncSupport.Schema XY = new NncSupport.Schema(new String[] {"x", "y"}, new int[] {2, 1}, new int[] {0, 0}, 1);
    /** input x[2], target c[3] onehot. */
    static final NncSupport.Schema XC = new NncSupport.Schema(new String[] {"x", "c"}, new int[] {2, 3}, new int[] {0, 3}, 1);
    /** input x[784], target y[10] onehot: MNIST. */
    static final NncSupport.Schema MNIST = new NncSupport.Schema(new String[] {"x", "y"}, new int[] {784, 10}, new int[] {0, 10}, 1);

    @TempDir
    Path dir;

    Path write(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String error(Runnable r) {
        return assertThrows(NncSupport.DataError.class, r::run).getMessage();
    }

    // ------------------------------------------------------------------------------------ CSV

    @Test
    void csvWithHeaderSpacesAndTrailingBlankLines() {
        Path f = write("data.csv", "x0, x1 , y\n1, 2, 0.5\n -3 ,4e-1,  .25\n\n  \n");
        NncSupport.Dataset d = NncCsv.read(f, XY, false);
        assertEquals(2, d.samples);
        assertArrayEquals(new float[] {1, 2, -3, 0.4f}, d.f32[0]);
        assertArrayEquals(new float[] {0.5f, 0.25f}, d.f32[1]);
        assertNull(d.f64);
        assertNull(d.labels[0]);
        assertNull(d.labels[1]);
    }

    @Test
    void csvAsF64WithoutHeaderAndWindowsLineEnds() {
        Path f = write("data.csv", "0.1,2,3\r\n4,5,6\r\n");
        NncSupport.Dataset d = NncCsv.read(f, XY, true);
        assertEquals(2, d.samples);
        assertNull(d.f32);
        assertArrayEquals(new double[] {0.1, 2, 4, 5}, d.f64[0]);
        assertArrayEquals(new double[] {3, 6}, d.f64[1]);
    }

    @Test
    void csvOnehotLabels() {
        Path f = write("data.csv", "a,b,label\n1,2,0\n3,4,2\n5,6,1.0\n");
        NncSupport.Dataset d = NncCsv.read(f, XC, false);
        assertEquals(3, d.samples);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.f32[0]);
        assertNull(d.f32[1]);
        assertArrayEquals(new int[] {0, 2, 1}, d.labels[1]);
    }

    @Test
    void csvHeaderWithNumericNamesIsStillAHeader() {
        Path f = write("data.csv", "0,1,label\n1,2,0\n");
        assertEquals(1, NncCsv.read(f, XC, false).samples);
    }

    @Test
    void csvGzippedAndWithByteOrderMark() {
        Path gz = write("data.csv.gz", gzip("\uFEFF1,2,3\n4,5,6\n".getBytes(StandardCharsets.UTF_8)));
        NncSupport.Dataset d = NncCsv.read(gz, XY, true);
        assertArrayEquals(new double[] {1, 2, 4, 5}, d.f64[0]);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiterString = "|", quoteCharacter = '\'', value = {
        "XY | 1,2,3\\n4,5\\n          | :2: expected 3 columns, found 2",
        "XY | 1,2,3\\n4,5,6,\\n       | :2: expected 3 columns, found 4",
        "XY | 1,2,3\\n4,abc,6\\n      | :2: column 2 is not a number: \"abc\"",
        "XY | 1,2,3\\n4,,6\\n         | :2: column 2 is not a number: \"\"",
        "XY | 1,2,3\\n4,5 6,7\\n      | :2: column 2 is not a number: \"5 6\"",
        "XY | 1,2,3\\n1,2,NaN\\n      | :2: column 3 is not a number: \"NaN\"",
        "XY | 1,2,3\\n1,2,0x10\\n     | :2: column 3 is not a number: \"0x10\"",
        "XY | 1,2,3\\n1,2,1e999\\n    | :2: column 3 is out of range for f32: \"1e999\"",
        "XY | 1,2,3\\n1,2,1e39\\n     | :2: column 3 is out of range for f32: \"1e39\"",
        "XY | 1,2,3\\n\\n4,5,6\\n     | :2: empty line (only trailing empty lines are allowed)",
        "XY | ''                      | ': the file is empty'",
        "XY | \\n \\n\\n              | ': the file is empty'",
        "XY | x,y,z\\n                | ': no samples after the header line'",
        "XC | 1,2,0\\n1,2,3\\n        | :2: label 3 is out of range for onehot[3]",
        "XC | 1,2,0\\n1,2,12\\n       | :2: label 12 is out of range for onehot[3]",
        "XC | 1,2,-1\\n               | :1: label -1 is out of range for onehot[3]",
        "XC | h,h,h\\n1,2,0\\n1,2,2.5 | :3: label 2.5 is not a whole number",
        "XC | 1,2,0\\n1,2,cat\\n      | :2: column 3 is not a number: \"cat\"",
    })
    void csvErrorsNameFileLineAndProblem(String schema, String text, String expected) {
        Path f = write("data.csv", text.replace("\\n", "\n"));
        NncSupport.Schema s = schema.equals("XY") ? XY : XC;
        assertEquals(f + expected, error(() -> NncCsv.read(f, s, false)));
    }

    @Test
    void csvOutOfRangeForF64() {
        Path f = write("data.csv", "1,2,1e999\n");
        assertEquals(f + ":1: column 3 is out of range: \"1e999\"", error(() -> NncCsv.read(f, XY, true)));
    }

    @Test
    void csvUnreadableFiles() {
        Path missing = dir.resolve("data.csv");
        assertEquals("cannot read " + missing + ": no such file", error(() -> NncCsv.read(missing, XY, false)));
        assertEquals("cannot read " + dir + ": it is a directory", error(() -> NncCsv.read(dir, XY, false)));
        Path latin1 = write("latin1.csv", new byte[] {'1', ',', '2', ',', (byte) 0xe9, '\n'});
        assertEquals("cannot read " + latin1 + ": it is not UTF-8 text", error(() -> NncCsv.read(latin1, XY, false)));
    }

    @Test
    void readDataResolvesRelativePathsAndIdxForm() throws IOException {
        write("data.csv", "1,2,3\n");
        assertEquals(1, NncSupport.readData("data.csv", dir, XY, false).samples);
        assertEquals(1, NncSupport.readData(" \"data.csv\" ", dir, XY, false).samples);
        byte[] pixels = pixels(2, 784);
        write("i.gz", gzip(images(0x803, 2, 28, 28, pixels)));
        write("l", labels(0x801, 2, new byte[] {3, 4}));
        NncSupport.Dataset d = NncSupport.readData("idx(\"i.gz\", l)", dir, MNIST, false);
        assertArrayEquals(new int[] {3, 4}, d.labels[1]);
        assertEquals("idx(...) takes two files, images and labels: idx(i.gz)",
                error(() -> NncSupport.readData("idx(i.gz)", dir, MNIST, false)));
        Path nested = Files.createDirectory(dir.resolve("sub"));
        assertEquals("cannot read " + nested.resolve("data.csv") + ": no such file",
                error(() -> NncSupport.readData("data.csv", nested, XY, false)));
    }

    // ------------------------------------------------------------------------------------ IDX

    @Test
    void idxPlainAndGzip() {
        byte[] pixels = pixels(5, 784);
        byte[] labelBytes = {9, 0, 0, 3, 7};
        for (boolean gz : new boolean[] {false, true}) {
            byte[] img = images(0x803, 5, 28, 28, pixels);
            byte[] lab = labels(0x801, 5, labelBytes);
            Path i = write("images" + gz, gz ? gzip(img) : img);
            Path l = write("labels" + gz, gz ? gzip(lab) : lab);
            NncSupport.Dataset f = NncIdx.read(i, l, MNIST, false);
            NncSupport.Dataset d = NncIdx.read(i, l, MNIST, true);
            assertEquals(5, f.samples);
            assertArrayEquals(new int[] {9, 0, 0, 3, 7}, f.labels[1]);
            assertArrayEquals(new int[] {9, 0, 0, 3, 7}, d.labels[1]);
            for (int k = 0; k < pixels.length; k++) {
                int v = pixels[k] & 0xff;
                assertEquals(v / 255f, f.floats(0)[k]);
                assertEquals(v / 255.0, d.doubles(0)[k]);
            }
        }
    }

    @Test
    void idxErrors() {
        byte[] pixels = pixels(5, 784);
        byte[] labelBytes = {1, 2, 3, 4, 5};
        Path img = write("images", images(0x803, 5, 28, 28, pixels));
        Path lab = write("labels", labels(0x801, 5, labelBytes));

        assertEquals(lab + ": expected magic 0x00000803 (images), found 0x00000801",
                error(() -> NncIdx.read(lab, lab, MNIST, false)));
        assertEquals(img + ": expected magic 0x00000801 (labels), found 0x00000803",
                error(() -> NncIdx.read(img, img, MNIST, false)));

        Path cut = write("cut", Arrays.copyOf(images(0x803, 5, 28, 28, pixels), 16 + 4 * 784 + 10));
        assertEquals(cut + ": record 4 is truncated", error(() -> NncIdx.read(cut, lab, MNIST, false)));
        byte[] gz = gzip(images(0x803, 5, 28, 28, pixels));
        Path cutGz = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertTrue(error(() -> NncIdx.read(cutGz, lab, MNIST, false)).matches(
                java.util.regex.Pattern.quote(cutGz.toString()) + ": record [0-4] is truncated"));
        Path cutLabels = write("cutLabels", Arrays.copyOf(labels(0x801, 5, labelBytes), 8 + 3));
        assertEquals(cutLabels + ": record 3 is truncated", error(() -> NncIdx.read(img, cutLabels, MNIST, false)));
        Path header = write("header", new byte[] {0, 0, 8, 3, 0, 0});
        assertEquals(header + ": the header is truncated", error(() -> NncIdx.read(header, lab, MNIST, false)));

        Path four = write("four", labels(0x801, 4, Arrays.copyOf(labelBytes, 4)));
        assertEquals(img + " holds 5 images but " + four + " holds 4 labels",
                error(() -> NncIdx.read(img, four, MNIST, false)));
        Path small = write("small", images(0x803, 5, 10, 10, pixels(5, 100)));
        assertEquals(small + ": images are 10x10 = 100 pixels, but input x has 784 elements",
                error(() -> NncIdx.read(small, lab, MNIST, false)));
        Path ten = write("ten", labels(0x801, 5, new byte[] {1, 2, 10, 4, 5}));
        assertEquals(ten + ": record 2: label 10 is out of range for onehot[10]",
                error(() -> NncIdx.read(img, ten, MNIST, false)));
        Path high = write("high", labels(0x801, 5, new byte[] {1, 2, 3, (byte) 200, 5}));
        assertEquals(high + ": record 3: label 200 is out of range for onehot[10]",
                error(() -> NncIdx.read(img, high, MNIST, false)));
        byte[] longer = Arrays.copyOf(labels(0x801, 5, labelBytes), 8 + 6);
        Path extra = write("extra", longer);
        assertEquals(extra + ": data continues after the last record (the header says 5)",
                error(() -> NncIdx.read(img, extra, MNIST, false)));
        Path none = write("none", images(0x803, 0, 28, 28, new byte[0]));
        Path noLabels = write("noLabels", labels(0x801, 0, new byte[0]));
        assertEquals(none + ": the file holds no images", error(() -> NncIdx.read(none, noLabels, MNIST, false)));
        Path missing = dir.resolve("missing.gz");
        assertEquals("cannot read " + missing + ": no such file", error(() -> NncIdx.read(img, missing, MNIST, false)));
        Path badGz = write("bad.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertTrue(error(() -> NncIdx.read(badGz, lab, MNIST, false)).startsWith("cannot read " + badGz + ": "));
    }

    @Test
    void idxNeedsOneInputAndOneOnehotTarget() {
        Path img = write("images", images(0x803, 1, 28, 28, pixels(1, 784)));
        Path lab = write("labels", labels(0x801, 1, new byte[] {1}));
        assertEquals("idx(" + img + ", " + lab + ") needs a model with exactly one input and one onehot target",
                error(() -> NncIdx.read(img, lab, XY, false)));
    }

    @Test
    void fashionMnist() {
        Path root = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.exists(root.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST is not installed");
        long start = System.nanoTime();
        NncSupport.Dataset train = NncIdx.read(root.resolve("train-images-idx3-ubyte.gz"),
                root.resolve("train-labels-idx1-ubyte.gz"), MNIST, false);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        NncSupport.Dataset test = NncIdx.read(root.resolve("t10k-images-idx3-ubyte.gz"),
                root.resolve("t10k-labels-idx1-ubyte.gz"), MNIST, false);
        assertEquals(60_000, train.samples);
        assertEquals(60_000 * 784, train.u8[0].length);
        assertEquals(9, train.labels[1][0]); // an ankle boot
        assertEquals(10_000, test.samples);
        assertEquals(9, test.labels[1][0]);
        assertTrue(seconds < 10, "reading 60,000 images took " + seconds + " s");
    }

    @Test
    void supportFacadeDelegatesAndTranslatesErrors() {
        Path f = write("data.csv", "1,2,0\n3,4,2\n");
        List<Support.Variable> vars = List.of(Support.Variable.input("x", 2), Support.Variable.onehot("c", 3));
        Support.Dataset d = Support.readCsv(f, vars, true);
        assertEquals(2, d.samples());
        assertTrue(d.isF64());
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.f64(0));
        assertArrayEquals(new int[] {0, 2}, d.labels(1));
        Path bad = write("bad.csv", "1,2,7\n");
        Support.DataError e = assertThrows(Support.DataError.class, () -> Support.readData("bad.csv", dir, vars, false));
        assertEquals(bad + ":1: label 7 is out of range for onehot[3]", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Support.readCsv(f, List.of(Support.Variable.onehot("c", 3), Support.Variable.input("x", 2)), false));
    }

    // ----------------------------------------------------------------------------- file makers

    static byte[] pixels(int count, int size) {
        byte[] b = new byte[count * size];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels).array();
    }

    static byte[] labels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
