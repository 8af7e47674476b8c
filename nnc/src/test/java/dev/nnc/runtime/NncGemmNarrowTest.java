package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The narrow kernels of {@link NncGemm} (what {@code KernelChoice} picks for products of few columns)
 * give the general kernels' results bit for bit, in float and double: {@code ntSamples} and
 * {@code ntDot} equal {@code nt}, {@code tnNarrow} equals {@code tn}, also when tn adds into a gradient
 * that is not zero and when the arrays are larger than the sizes given. Seeded random shapes, with
 * tails (rows and columns not multiples of 4) and the shapes of the models that chose them.
 */
class NncGemmNarrowTest {

    static Stream<Arguments> shapes() {
        Random random = new Random(19);
        Stream.Builder<Arguments> b = Stream.builder();
        // rows, n (terms), m (columns): 784-10 at batch 64, 100000-1 at batch 4 (shortened), tails
        int[][] fixed = {{64, 784, 10}, {4, 5000, 1}, {1, 7, 1}, {3, 33, 2}, {17, 9, 15}, {256, 64, 4}, {5, 1, 3}};
        for (int[] s : fixed) {
            b.add(Arguments.of(s[0], s[1], s[2], 1L + s[0] * 31L + s[1]));
        }
        for (int i = 0; i < 12; i++) {
            b.add(Arguments.of(1 + random.nextInt(70), 1 + random.nextInt(300), 1 + random.nextInt(15), random.nextLong()));
        }
        return b.build();
    }

    @ParameterizedTest(name = "rows {0}, n {1}, m {2}")
    @MethodSource("shapes")
    void narrowNtEqualsNtBitForBit(int rows, int n, int m, long seed) {
        Random random = new Random(seed);
        float[][] a = floats(random, rows + 2, n + 3);
        float[][] b = floats(random, m + 1, n + 2);
        float[][] expected = new float[rows + 1][m + 2];
        NncGemm.nt(a, b, expected, rows, n, m);
        float[][] samples = floats(random, rows + 1, m + 2); // garbage the kernel must overwrite
        NncGemm.ntSamples(a, b, samples, rows, n, m);
        float[][] dot = floats(random, rows + 1, m + 2);
        NncGemm.ntDot(a, b, dot, rows, n, m);
        for (int r = 0; r < rows; r++) {
            assertArrayEquals(java.util.Arrays.copyOf(expected[r], m), java.util.Arrays.copyOf(samples[r], m), "ntSamples row " + r);
            assertArrayEquals(java.util.Arrays.copyOf(expected[r], m), java.util.Arrays.copyOf(dot[r], m), "ntDot row " + r);
        }
        double[][] ad = doubles(random, rows, n);
        double[][] bd = doubles(random, m, n);
        double[][] ed = new double[rows][m];
        NncGemm.nt(ad, bd, ed, rows, n, m);
        double[][] sd = new double[rows][m];
        NncGemm.ntSamples(ad, bd, sd, rows, n, m);
        double[][] dd = new double[rows][m];
        NncGemm.ntDot(ad, bd, dd, rows, n, m);
        for (int r = 0; r < rows; r++) {
            assertArrayEquals(ed[r], sd[r], "ntSamples (double) row " + r);
            assertArrayEquals(ed[r], dd[r], "ntDot (double) row " + r);
        }
    }

    /** tn's shape here: rows of samples, a gradient of {@code outRows} x {@code cols}, cols the narrow side. */
    @ParameterizedTest(name = "rows {0}, gradient {1} x {2}")
    @MethodSource("shapes")
    void narrowTnEqualsTnBitForBit(int rows, int outRows, int cols, long seed) {
        Random random = new Random(seed);
        float[][] a = floats(random, rows + 1, outRows + 2);
        float[][] b = floats(random, rows + 1, cols + 3);
        float[][] start = floats(random, outRows + 1, cols + 1); // a gradient that already holds a sum
        float[][] expected = NncGemmTest.copy(start);
        NncGemm.tn(a, b, expected, rows, outRows, cols);
        float[][] narrow = NncGemmTest.copy(start);
        NncGemm.tnNarrow(a, b, narrow, rows, outRows, cols);
        for (int i = 0; i < outRows + 1; i++) {
            assertArrayEquals(expected[i], narrow[i], "tnNarrow row " + i);
        }
        double[][] ad = doubles(random, rows, outRows);
        double[][] bd = doubles(random, rows, cols);
        double[][] sd = doubles(random, outRows, cols);
        double[][] ed = NncGemmTest.copy(sd);
        double[][] nd = NncGemmTest.copy(sd);
        NncGemm.tn(ad, bd, ed, rows, outRows, cols);
        NncGemm.tnNarrow(ad, bd, nd, rows, outRows, cols);
        for (int i = 0; i < outRows; i++) {
            assertArrayEquals(ed[i], nd[i], "tnNarrow (double) row " + i);
        }
    }

    private static float[][] floats(Random random, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] doubles(Random random, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return x;
    }
}
