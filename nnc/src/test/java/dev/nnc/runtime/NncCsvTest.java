package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NncCsv's byte parser: every number bit for bit what {@code Float.parseFloat} and
 * {@code Double.parseDouble} make of the stripped field, and every file read to the values or the
 * error of the reader before it ({@link NncCsvBefore}).
 */
class NncCsvTest {

    static final NncSupport.Schema ONE = new NncSupport.Schema(new String[] {"x"}, new int[] {1}, new int[] {0}, 1);
    /** input x[2], target y[1]. */
    static final NncSupport.Schema XY = new NncSupport.Schema(new String[] {"x", "y"}, new int[] {2, 1}, new int[] {0, 0}, 1);
    /** input x[2], target c[3] onehot. */
    static final NncSupport.Schema XC = new NncSupport.Schema(new String[] {"x", "c"}, new int[] {2, 3}, new int[] {0, 3}, 1);

    static final String[] EDGES = {
        "0", "-0", "+0", "-0.00", "-0.0e5", "0.0", "-.0", "0.", "-0.", "00012.5000", ".5", "5.", "+3", "-.5", "+.5e-3",
        "1e5", "1E-5", "1e+05", "1e0", "1e-0", "0.53", "0.1", "0.2", "0.3", "0.7", "1.1", "-1.17549435E-38",
        "0.1000000000000000000001", "0.10000000000000000000", "1.00000000000000000000000000",
        "16777215", "16777216", "16777217", "16777218", "167772161", "1677721.5", "0.16777215", "16777.215e3",
        "9007199254740991", "9007199254740992", "9007199254740993", "900719925474099.3", "0.9007199254740993",
        "1e10", "1e11", "1e-10", "1e-11", "1234567e10", "1234567e-10", "1e22", "1e23", "1e-22", "1e-23",
        "123456789012345678", "1234567890123456789", "12345678901234567890", "99999999999999999999",
        "999999999999999999", "0.999999999999999999", "0.000000000000000000000000000001",
        "1.4e-45", "1.5e-45", "7e-46", "1e-46", "3.4028235e38", "3.4028236e38", "3.4028234663852886e38",
        "4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623157e308",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "8.589973e9", "8.589974e9", "1.00000017881393432617187499",
        "1e0000000000000000000000005", "1e-99999999999", "0e999999", "0e-999999", "-0e999999",
        "0000000000000000000000000001", "0.0000000000000000000000000001", "100000000000000000000000e-22",
        "33554431", "33554433e-1", "0.33554433", "7.038531e-26", "1.0e-7", "4.2949673e9", "2147483647", "-2147483648",
    };

    @TempDir
    Path dir;

    Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NncCsv.AsciiRows rows(boolean f64) {
        return new NncCsv.AsciiRows(ONE, NncSupport.Dataset.allocate(ONE, 1, f64), "t");
    }

    /** The field {@code token} as the byte parser reads it, alone and between other fields, padded or not. */
    static void assertParsesAsTheJdk(String token) {
        String stripped = token.strip();
        float f = Float.parseFloat(stripped);
        double d = Double.parseDouble(stripped);
        NncCsv.AsciiRows rows = rows(false);
        for (String field : new String[] {token, " " + token, token + "\t", "\u001f " + token + " \u000b"}) {
            String[] lines = {field, field + ",9", "1," + field, "1," + field + ",2"};
            for (int k = 0; k < lines.length; k++) {
                String line = lines[k];
                byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
                int p = k < 2 ? 0 : 2;
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(rows.single(b, p, b.length)), () -> "f32 of " + line);
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) rows.number(b, p, b.length, true)),
                        () -> "number(f32) of " + line);
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(rows.twice(b, p, b.length)), () -> "f64 of " + line);
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(rows.number(b, p, b.length, false)),
                        () -> "number(f64) of " + line);
            }
        }
    }

    @Test
    void edgeTokensParseBitForBitAsTheJdk() {
        for (String token : EDGES) {
            assertTrue(NncCsv.isDecimal(token), token);
            assertParsesAsTheJdk(token);
        }
    }

    static String digits(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    /** A random decimal: signs, leading zeros, 1 to 25 digits (mostly few), decimals, exponents -45..45 (or to 330). */
    static String randomDecimal(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        int sign = r.nextInt(4);
        s.append(sign == 0 ? "-" : sign == 1 ? "+" : "");
        if (r.nextInt(5) == 0) {
            s.append("0".repeat(r.nextInt(1, 4)));
        }
        int n = r.nextInt(3) == 0 ? r.nextInt(1, 26) : r.nextInt(1, 10);
        int point = r.nextInt(4) == 0 ? -1 : r.nextInt(n + 1);
        String ds = r.nextInt(10) == 0 ? "0".repeat(n) : digits(r, n);
        s.append(point < 0 ? ds : ds.substring(0, point) + "." + ds.substring(point));
        if (r.nextInt(3) == 0) {
            s.append(r.nextBoolean() ? 'e' : 'E');
            int bound = r.nextInt(10) == 0 ? 331 : 46;
            int x = r.nextInt(-bound + 1, bound);
            s.append(x >= 0 && r.nextBoolean() ? "+" : "").append(x);
        }
        return s.toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 19})
    void randomTokensParseBitForBitAsTheJdk(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50_000; i++) {
            String token = randomDecimal(r);
            assertTrue(NncCsv.isDecimal(token), token);
            assertParsesAsTheJdk(token);
        }
    }

    /** Plain two- to nine-digit decimals in [0, 1), the common data file, all of them through the fast path. */
    @Test
    void shortDecimalsParseBitForBitAsTheJdk() {
        NncCsv.AsciiRows rows = rows(false);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            String token = "0." + digits(r, r.nextInt(1, 10));
            byte[] b = token.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(token)), Float.floatToRawIntBits(rows.single(b, 0, b.length)), token);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(token)),
                    Double.doubleToRawLongBits(rows.twice(b, 0, b.length)), token);
        }
    }

    @Test
    void asciiWhiteSpaceIsWhatStripTakes() {
        for (int c = -128; c < 128; c++) {
            assertEquals(c >= 0 && Character.isWhitespace(c), NncCsv.space(c), "character " + c);
        }
    }

    @Test
    void fieldsThatAreNotDecimalsAreNaN() {
        NncCsv.AsciiRows rows = rows(false);
        for (String bad : new String[] {"", " ", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", "1e5e",
            "1 2", "--1", "+-1", "1-", "NaN", "Infinity", "0x10", "1f", "1d", "1_000", "1.5.", "..5", "1ee5"}) {
            byte[] b = bad.getBytes(StandardCharsets.ISO_8859_1);
            int e = b.length;
            assertTrue(Float.isNaN(rows.single(b, 0, e)), bad);
            assertTrue(Double.isNaN(rows.twice(b, 0, e)), bad);
            assertTrue(Double.isNaN(rows.number(b, 0, e, true)), bad);
        }
    }

    // ------------------------------------------------------------------ whole files, as before

    static String describe(NncSupport.Dataset d) {
        StringBuilder s = new StringBuilder("samples " + d.samples);
        for (int v = 0; v < d.labels.length; v++) {
            if (d.labels[v] != null) {
                s.append(" labels ").append(Arrays.toString(d.labels[v]));
            } else if (d.f32 != null) {
                int[] bits = new int[d.f32[v].length];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Float.floatToRawIntBits(d.f32[v][i]);
                }
                s.append(" f32 ").append(Arrays.toString(bits));
            } else {
                long[] bits = new long[d.f64[v].length];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Double.doubleToRawLongBits(d.f64[v][i]);
                }
                s.append(" f64 ").append(Arrays.toString(bits));
            }
        }
        return s.toString();
    }

    /** The data set a reader gives (its values' bits) or its error message, as text to compare. */
    static String read(java.util.function.Supplier<NncSupport.Dataset> reader) {
        try {
            return describe(reader.get());
        } catch (NncSupport.DataError e) {
            return "error: " + e.getMessage();
        }
    }

    static final String[] PIECES = {
        "1", "-0", "0.53", " 2.5 ", "\t.5", "5.", "+3", "1e5", "-1E-3", "1e39", "1e999", "3.4028236e38", "0.1000000000000000000001",
        "2", "0", "1.0", "2.0", "3", "-1", "2.5", "", " ", "abc", "NaN", "0x10", "1 2", "\u000b7\u001c", "\u20038\u2003", "\u00a09",
        "\u00e9", "\uFEFF1", "1e", "\u2028", "123456789012345678901234567890",
    };

    static String randomFile(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        if (r.nextInt(8) == 0) {
            s.append('\uFEFF');
        }
        int lines = r.nextInt(0, 6);
        for (int l = 0; l < lines; l++) {
            int kind = r.nextInt(12);
            if (kind == 0) {
                s.append(r.nextBoolean() ? "" : r.nextBoolean() ? " \t" : "\u2003");
            } else if (kind == 1) {
                s.append(r.nextBoolean() ? "a,b,c" : "x, 1 ,y");
            } else {
                int columns = r.nextInt(8) == 0 ? r.nextInt(1, 5) : 3;
                for (int c = 0; c < columns; c++) {
                    s.append(c > 0 ? "," : "");
                    s.append(r.nextInt(3) == 0 ? PIECES[r.nextInt(PIECES.length)] : PIECES[r.nextInt(4)]);
                }
            }
            if (l < lines - 1 || r.nextBoolean()) {
                int end = r.nextInt(4);
                s.append(end == 0 ? "\r\n" : end == 1 ? "\r" : "\n");
            }
        }
        return s.toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomFilesReadAsBefore(long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            String text = randomFile(r);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(20) == 0 && bytes.length > 0) { // malformed UTF-8 somewhere
                bytes[r.nextInt(bytes.length)] = (byte) (r.nextBoolean() ? 0xe9 : 0xc3);
            }
            if (r.nextInt(10) == 0) {
                ByteArrayOutputStream gz = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                    out.write(bytes);
                }
                bytes = gz.toByteArray();
            }
            Path f = write("r.csv", bytes);
            for (NncSupport.Schema schema : new NncSupport.Schema[] {XY, XC}) {
                for (boolean f64 : new boolean[] {false, true}) {
                    String before = read(() -> NncCsvBefore.read(f, schema, f64));
                    String now = read(() -> NncCsv.read(f, schema, f64));
                    assertEquals(before, now, () -> "file " + text.replace("\n", "\\n").replace("\r", "\\r"));
                }
            }
        }
    }

    /** Lines longer than the buffer, and a \r\n split across two reads. */
    @Test
    void linesLongerThanTheBuffer() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        int columns = 70_000;
        NncSupport.Schema wide = new NncSupport.Schema(new String[] {"x"}, new int[] {columns}, new int[] {0}, 1);
        StringBuilder s = new StringBuilder();
        for (int l = 0; l < 40; l++) {
            for (int c = 0; c < columns; c++) {
                s.append(c > 0 ? "," : "").append(r.nextInt(100)).append('.').append(r.nextInt(100));
            }
            s.append(l % 2 == 0 ? "\r\n" : "\n");
        }
        Path f = write("wide.csv", s.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(Files.size(f) > 2 * NncCsv.BUFFER);
        assertEquals(read(() -> NncCsvBefore.read(f, wide, false)), read(() -> NncCsv.read(f, wide, false)));
        int[] lines = {0};
        try (NncCsv.Lines in = new NncCsv.Lines(f, "wide.csv", 7)) { // a \r\n split across reads, often
            while (in.next()) {
                lines[0]++;
                assertTrue(in.ascii && in.end - in.start > columns * 3);
            }
        }
        assertEquals(40, lines[0]);
    }

    @Test
    void errorsOfAsciiLinesAsBefore() {
        String[] files = {
            "1,2,3\n4,5\n", "1,2,3\n4,5,6,\n", "1,2,3\n4,abc,6\n", "1,2\n", "1,2,3,abc\n", "abc,1\n1,2,abc,4\n",
            "1,2,x,4\n", "1,,\n", ",,\n", "1,2,1e39\n", "1,2,1e999\n", "1,2,-1e999\n", "x,y,z\n1,2,3\n1,2,3.5\n",
            "1,2,3\n4,5,6\n\n7,8,9\n", "1,2,2.5\n", "1,2,-0\n", "1,2,-1\n", "1,2,3\n", "1,2, 2 \n", "1,2,2e0\n",
            "1,2,1e-400\n", "1,2,0.2e1\n", "1,2,4e-1x\n", "1 , 2 , 1\r\n3,4,0\r\n\r\n",
        };
        for (String text : files) {
            Path f = write("e.csv", text.getBytes(StandardCharsets.UTF_8));
            for (NncSupport.Schema schema : new NncSupport.Schema[] {XY, XC}) {
                for (boolean f64 : new boolean[] {false, true}) {
                    assertEquals(read(() -> NncCsvBefore.read(f, schema, f64)), read(() -> NncCsv.read(f, schema, f64)), text);
                }
            }
        }
        assertThrows(NncSupport.DataError.class, () -> NncCsv.read(write("n.csv", "1,2,NaN\n".getBytes(StandardCharsets.UTF_8)), XY, false));
    }
}
