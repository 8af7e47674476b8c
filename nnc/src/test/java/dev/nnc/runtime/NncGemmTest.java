package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NncGemm} and {@link NncGemmVector} against a naive double-precision reference: random shapes
 * (including the vector tails 1, 3, 15, 16, 17, 33, 100), arrays larger than the sizes given, tn's
 * accumulation, and bitwise equal results for 1 and 2 {@link NncPool} threads.
 */
class NncGemmTest {

    /** Both implementations behind one interface. */
    enum Kernels {
        PLAIN {
            void nt(float[][] a, float[][] b, float[][] c, int rows, int n, int m) { NncGemm.nt(a, b, c, rows, n, m); }
            void nn(float[][] a, float[][] b, float[][] c, int rows, int n, int m) { NncGemm.nn(a, b, c, rows, n, m); }
            void tn(float[][] a, float[][] b, float[][] c, int rows, int m, int n) { NncGemm.tn(a, b, c, rows, m, n); }
            void nt(double[][] a, double[][] b, double[][] c, int rows, int n, int m) { NncGemm.nt(a, b, c, rows, n, m); }
            void nn(double[][] a, double[][] b, double[][] c, int rows, int n, int m) { NncGemm.nn(a, b, c, rows, n, m); }
            void tn(double[][] a, double[][] b, double[][] c, int rows, int m, int n) { NncGemm.tn(a, b, c, rows, m, n); }
        },
        VECTOR {
            void nt(float[][] a, float[][] b, float[][] c, int rows, int n, int m) { NncGemmVector.nt(a, b, c, rows, n, m); }
            void nn(float[][] a, float[][] b, float[][] c, int rows, int n, int m) { NncGemmVector.nn(a, b, c, rows, n, m); }
            void tn(float[][] a, float[][] b, float[][] c, int rows, int m, int n) { NncGemmVector.tn(a, b, c, rows, m, n); }
            void nt(double[][] a, double[][] b, double[][] c, int rows, int n, int m) { NncGemmVector.nt(a, b, c, rows, n, m); }
            void nn(double[][] a, double[][] b, double[][] c, int rows, int n, int m) { NncGemmVector.nn(a, b, c, rows, n, m); }
            void tn(double[][] a, double[][] b, double[][] c, int rows, int m, int n) { NncGemmVector.tn(a, b, c, rows, m, n); }
        };

        abstract void nt(float[][] a, float[][] b, float[][] c, int rows, int n, int m);
        abstract void nn(float[][] a, float[][] b, float[][] c, int rows, int n, int m);
        abstract void tn(float[][] a, float[][] b, float[][] c, int rows, int m, int n);
        abstract void nt(double[][] a, double[][] b, double[][] c, int rows, int n, int m);
        abstract void nn(double[][] a, double[][] b, double[][] c, int rows, int n, int m);
        abstract void tn(double[][] a, double[][] b, double[][] c, int rows, int m, int n);
    }

    enum Op { NT, NN, TN }

    private static final int[] EDGE = {1, 3, 15, 16, 17, 33, 100};
    /** Outside the given ranges: A and B hold NaN (reading it spoils a result), C a value that must stay. */
    private static final float KEEP_F = 12345.5f;
    private static final double KEEP_D = -6789.25;

    /** The products of these tests are small: they split at the threshold of a smaller machine's. */
    @BeforeEach
    void splitSmallProducts() {
        NncPool.minParallelWork = 1L << 19;
    }

    @AfterEach
    void oneThread() {
        NncPool.setThreads(1);
        NncPool.minParallelWork = NncPool.MIN_PARALLEL_WORK;
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (Kernels k : Kernels.values()) {
            for (Op op : Op.values()) {
                for (long seed = 1; seed <= 12; seed++) {
                    s.add(Arguments.of(k, op, seed));
                }
            }
        }
        return s.build();
    }

    /** A size: one of the vector tails half the time, else anything in 1..100. */
    private static int size(Random rnd) {
        return rnd.nextBoolean() ? EDGE[rnd.nextInt(EDGE.length)] : 1 + rnd.nextInt(100);
    }

    @ParameterizedTest(name = "{0} {1} float seed {2}")
    @MethodSource("cases")
    void floatMatchesReference(Kernels k, Op op, long seed) {
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 6; trial++) {
            int rows = 1 + rnd.nextInt(70);
            int n = size(rnd);
            int m = size(rnd);
            checkFloat(k, op, rows, n, m, rnd, 1 + rnd.nextInt(3), rnd.nextInt(3));
        }
    }

    @ParameterizedTest(name = "{0} {1} double seed {2}")
    @MethodSource("cases")
    void doubleMatchesReference(Kernels k, Op op, long seed) {
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 6; trial++) {
            int rows = 1 + rnd.nextInt(70);
            int n = size(rnd);
            int m = size(rnd);
            checkDouble(k, op, rows, n, m, rnd, 1 + rnd.nextInt(3), rnd.nextInt(3));
        }
    }

    @ParameterizedTest
    @EnumSource(Kernels.class)
    void everyEdgeSizeInFloatAndDouble(Kernels k) {
        Random rnd = new Random(99);
        for (Op op : Op.values()) {
            for (int n : EDGE) {
                for (int m : EDGE) {
                    int rows = new int[] {1, 3, 4, 5, 8, 17, 70}[rnd.nextInt(7)];
                    checkFloat(k, op, rows, n, m, rnd, 2, 1);
                    checkDouble(k, op, rows, n, m, rnd, 2, 1);
                }
            }
        }
    }

    /** One product of the given sizes; A, B and C have {@code extraRows} more rows and {@code extraCols} more columns. */
    private static void checkFloat(Kernels k, Op op, int rows, int n, int m, Random rnd, int extraRows, int extraCols) {
        // shapes of A, B, C as the op reads them: nt A[rows][n] B[m][n] C[rows][m]; nn A[rows][n] B[n][m] C[rows][m];
        // tn A[rows][m] B[rows][n] C[m][n]
        int[] sa = op == Op.TN ? new int[] {rows, m} : new int[] {rows, n};
        int[] sb = op == Op.NT ? new int[] {m, n} : op == Op.NN ? new int[] {n, m} : new int[] {rows, n};
        int[] sc = op == Op.TN ? new int[] {m, n} : new int[] {rows, m};
        float[][] a = randomF(rnd, sa, extraRows, extraCols, Float.NaN);
        float[][] b = randomF(rnd, sb, extraRows, extraCols, Float.NaN);
        float[][] c = randomF(rnd, sc, extraRows, extraCols, KEEP_F);
        float[][] before = copy(c);
        switch (op) {
            case NT -> k.nt(a, b, c, rows, n, m);
            case NN -> k.nn(a, b, c, rows, n, m);
            case TN -> k.tn(a, b, c, rows, m, n);
        }
        String where = k + " " + op + " float rows=" + rows + " n=" + n + " m=" + m;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (i >= sc[0] || j >= sc[1]) {
                    assertEquals(Float.floatToRawIntBits(before[i][j]), Float.floatToRawIntBits(c[i][j]), where + ": touched C[" + i + "][" + j + "]");
                    continue;
                }
                double[] ref = reference(op, i, j, rows, n, m, (r, x) -> a[r][x], (r, x) -> b[r][x], op == Op.TN ? before[i][j] : 0);
                double err = Math.abs(c[i][j] - ref[0]);
                if (!(err <= 1e-5 * ref[1] + 1e-30)) {
                    fail(where + ": C[" + i + "][" + j + "] = " + c[i][j] + ", reference " + ref[0] + " (sum of |terms| " + ref[1] + ")");
                }
            }
        }
    }

    private static void checkDouble(Kernels k, Op op, int rows, int n, int m, Random rnd, int extraRows, int extraCols) {
        int[] sa = op == Op.TN ? new int[] {rows, m} : new int[] {rows, n};
        int[] sb = op == Op.NT ? new int[] {m, n} : op == Op.NN ? new int[] {n, m} : new int[] {rows, n};
        int[] sc = op == Op.TN ? new int[] {m, n} : new int[] {rows, m};
        double[][] a = randomD(rnd, sa, extraRows, extraCols, Double.NaN);
        double[][] b = randomD(rnd, sb, extraRows, extraCols, Double.NaN);
        double[][] c = randomD(rnd, sc, extraRows, extraCols, KEEP_D);
        double[][] before = copy(c);
        switch (op) {
            case NT -> k.nt(a, b, c, rows, n, m);
            case NN -> k.nn(a, b, c, rows, n, m);
            case TN -> k.tn(a, b, c, rows, m, n);
        }
        String where = k + " " + op + " double rows=" + rows + " n=" + n + " m=" + m;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (i >= sc[0] || j >= sc[1]) {
                    assertEquals(Double.doubleToRawLongBits(before[i][j]), Double.doubleToRawLongBits(c[i][j]), where + ": touched C[" + i + "][" + j + "]");
                    continue;
                }
                double[] ref = reference(op, i, j, rows, n, m, (r, x) -> a[r][x], (r, x) -> b[r][x], op == Op.TN ? before[i][j] : 0);
                double err = Math.abs(c[i][j] - ref[0]);
                if (!(err <= 1e-12 * ref[1] + 1e-300)) {
                    fail(where + ": C[" + i + "][" + j + "] = " + c[i][j] + ", reference " + ref[0] + " (sum of |terms| " + ref[1] + ")");
                }
            }
        }
    }

    interface Elem {
        double at(int row, int col);
    }

    /** C's element (i, j) in double: its value and the sum of the absolute values of its terms (the initial C for tn included). */
    private static double[] reference(Op op, int i, int j, int rows, int n, int m, Elem a, Elem b, double initial) {
        double sum = initial;
        double abs = Math.abs(initial);
        int len = op == Op.TN ? rows : n;
        for (int k = 0; k < len; k++) {
            double t = switch (op) {
                case NT -> a.at(i, k) * b.at(j, k);
                case NN -> a.at(i, k) * b.at(k, j);
                case TN -> a.at(k, i) * b.at(k, j);
            };
            sum += t;
            abs += Math.abs(t);
        }
        return new double[] {sum, abs};
    }

    @ParameterizedTest
    @EnumSource(Kernels.class)
    void tnAccumulatesOverCalls(Kernels k) {
        Random rnd = new Random(5);
        int rows = 9, m = 17, n = 33;
        float[][] a = randomF(rnd, new int[] {rows, m}, 0, 0, 0);
        float[][] b = randomF(rnd, new int[] {rows, n}, 0, 0, 0);
        float[][] once = new float[m][n];
        float[][] twice = new float[m][n];
        k.tn(a, b, once, rows, m, n);
        k.tn(a, b, twice, rows, m, n);
        k.tn(a, b, twice, rows, m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(2 * once[i][j], twice[i][j], 1e-5 * (1 + Math.abs(twice[i][j])), "C[" + i + "][" + j + "]");
            }
        }
    }

    static Stream<Arguments> splitCases() {
        Stream.Builder<Arguments> s = Stream.builder();
        int[][] shapes = {{70, 300, 100}, {64, 784, 128}, {37, 129, 257}, {256, 1024, 10}, {13, 1300, 65}};
        for (Kernels k : Kernels.values()) {
            for (Op op : Op.values()) {
                for (int[] sh : shapes) {
                    s.add(Arguments.of(k, op, sh[0], sh[1], sh[2]));
                }
            }
        }
        return s.build();
    }

    /** Products big enough to split give bitwise the results of one thread, and did split. */
    @ParameterizedTest(name = "{0} {1} rows={2} n={3} m={4}")
    @MethodSource("splitCases")
    void twoThreadsGiveTheBitsOfOne(Kernels k, Op op, int rows, int n, int m) {
        Random rnd = new Random(rows * 31L + n * 7L + m);
        int[] sa = op == Op.TN ? new int[] {rows, m} : new int[] {rows, n};
        int[] sb = op == Op.NT ? new int[] {m, n} : op == Op.NN ? new int[] {n, m} : new int[] {rows, n};
        int[] sc = op == Op.TN ? new int[] {m, n} : new int[] {rows, m};
        float[][] a = randomF(rnd, sa, 1, 1, Float.NaN);
        float[][] b = randomF(rnd, sb, 1, 1, Float.NaN);
        float[][] c0 = randomF(rnd, sc, 1, 1, KEEP_F);
        double[][] ad = toDouble(a);
        double[][] bd = toDouble(b);
        double[][] cd0 = toDouble(c0);
        float[][] c1 = copy(c0);
        float[][] c2 = copy(c0);
        double[][] cd1 = copy(cd0);
        double[][] cd2 = copy(cd0);
        NncPool.setThreads(1);
        long before = NncPool.parallelRuns;
        run(k, op, a, b, c1, rows, n, m);
        run(k, op, ad, bd, cd1, rows, n, m);
        assertEquals(before, NncPool.parallelRuns, "one thread never splits");
        NncPool.setThreads(2);
        run(k, op, a, b, c2, rows, n, m);
        run(k, op, ad, bd, cd2, rows, n, m);
        assertTrue(NncPool.parallelRuns >= before + 2, "the products split over 2 threads");
        for (int i = 0; i < c1.length; i++) {
            for (int j = 0; j < c1[i].length; j++) {
                int fi = i, fj = j;
                assertEquals(Float.floatToRawIntBits(c1[i][j]), Float.floatToRawIntBits(c2[i][j]), () -> "float C[" + fi + "][" + fj + "]");
                assertEquals(Double.doubleToRawLongBits(cd1[i][j]), Double.doubleToRawLongBits(cd2[i][j]), () -> "double C[" + fi + "][" + fj + "]");
            }
        }
        // and the split results are right, not just equal
        for (int i = 0; i < sc[0]; i++) {
            for (int j = 0; j < sc[1]; j++) {
                double[] ref = reference(op, i, j, rows, n, m, (r, x) -> a[r][x], (r, x) -> b[r][x], op == Op.TN ? c0[i][j] : 0);
                assertEquals(ref[0], c2[i][j], 1e-5 * ref[1], "float C[" + i + "][" + j + "]");
                assertEquals(ref[0], cd2[i][j], 1e-12 * ref[1], "double C[" + i + "][" + j + "]");
            }
            assertEquals(Float.floatToRawIntBits(KEEP_F), Float.floatToRawIntBits(c2[i][sc[1]]), "C beyond the columns");
        }
    }

    private static void run(Kernels k, Op op, float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        switch (op) {
            case NT -> k.nt(a, b, c, rows, n, m);
            case NN -> k.nn(a, b, c, rows, n, m);
            case TN -> k.tn(a, b, c, rows, m, n);
        }
    }

    private static void run(Kernels k, Op op, double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        switch (op) {
            case NT -> k.nt(a, b, c, rows, n, m);
            case NN -> k.nn(a, b, c, rows, n, m);
            case TN -> k.tn(a, b, c, rows, m, n);
        }
    }

    /** Three threads on odd sizes: parts that do not start at multiples of 4 of the rows would show here. */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void threeThreadsGiveTheBitsOfOne(Kernels k) {
        Random rnd = new Random(11);
        int rows = 67, n = 211, m = 75;
        float[][] a = randomF(rnd, new int[] {rows, n}, 0, 0, 0);
        float[][] w = randomF(rnd, new int[] {m, n}, 0, 0, 0);
        float[][] delta = randomF(rnd, new int[] {rows, m}, 0, 0, 0);
        float[][] z1 = new float[rows][m], z3 = new float[rows][m];
        float[][] d1 = new float[rows][n], d3 = new float[rows][n];
        float[][] g1 = new float[m][n], g3 = new float[m][n];
        NncPool.setThreads(1);
        k.nt(a, w, z1, rows, n, m);
        k.nn(delta, w, d1, rows, m, n);
        k.tn(delta, a, g1, rows, m, n);
        NncPool.setThreads(3);
        long before = NncPool.parallelRuns;
        k.nt(a, w, z3, rows, n, m);
        k.nn(delta, w, d3, rows, m, n);
        k.tn(delta, a, g3, rows, m, n);
        assertTrue(NncPool.parallelRuns > before, "split");
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < m; i++) {
                assertEquals(Float.floatToRawIntBits(z1[r][i]), Float.floatToRawIntBits(z3[r][i]), "nt");
            }
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(d1[r][j]), Float.floatToRawIntBits(d3[r][j]), "nn");
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(g1[i][j]), Float.floatToRawIntBits(g3[i][j]), "tn");
            }
        }
    }

    /** The Vector API's kernels split from twice the plain kernels' work (NncPool.worthSplittingVectors). */
    @Test
    void vectorProductsSplitFromTwiceTheWork() {
        NncPool.setThreads(2);
        int rows = 64, n = 128, m = 64; // 2^19 multiply-adds: the threshold of these tests
        float[][] a = new float[rows][n];
        float[][] b = new float[m][n];
        float[][] c = new float[rows][m];
        long before = NncPool.parallelRuns;
        NncGemm.nt(a, b, c, rows, n, m);
        assertEquals(before + 2, NncPool.parallelRuns, "the plain kernel's transposition and product split at the threshold");
        NncGemmVector.nt(a, b, c, rows, n, m);
        assertEquals(before + 2, NncPool.parallelRuns, "the Vector API's does not");
        float[][] b2 = new float[2 * m][n];
        float[][] c2 = new float[rows][2 * m];
        NncGemmVector.nt(a, b2, c2, rows, n, 2 * m);
        assertEquals(before + 4, NncPool.parallelRuns, "twice the work: the Vector API's packing and computing split");
    }

    @Test
    void smallProductsDoNotSplit() {
        NncPool.setThreads(2);
        long before = NncPool.parallelRuns;
        float[][] a = new float[4][8];
        float[][] c = new float[4][8];
        NncGemm.nt(a, a, c, 4, 8, 4);
        NncGemmVector.nn(a, c, c, 4, 4, 8);
        assertEquals(before, NncPool.parallelRuns);
    }

    /** An exception in a worker's part reaches the caller, and the pool still works afterwards. */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void workerExceptionsReachTheCaller(Kernels k) {
        NncPool.setThreads(2);
        Random rnd = new Random(3);
        int rows = 64, n = 300, m = 200;
        float[][] a = randomF(rnd, new int[] {rows, n}, 0, 0, 0);
        float[][] b = randomF(rnd, new int[] {m, n}, 0, 0, 0);
        float[][] c = new float[rows][m];
        c[rows - 1] = new float[1]; // the last part's C row is too short
        assertThrows(IndexOutOfBoundsException.class, () -> k.nt(a, b, c, rows, n, m));
        c[rows - 1] = new float[m];
        long before = NncPool.parallelRuns;
        k.nt(a, b, c, rows, n, m);
        assertEquals(before + 2, NncPool.parallelRuns, "the pack and compute phases split");
        double[] ref = reference(Op.NT, rows - 1, m - 1, rows, n, m, (r, x) -> a[r][x], (r, x) -> b[r][x], 0);
        assertEquals(ref[0], c[rows - 1][m - 1], 1e-5 * ref[1]);
    }

    @Test
    void workersAreDaemons() {
        NncPool.setThreads(2);
        float[][] a = randomF(new Random(1), new int[] {64, 256}, 0, 0, 0);
        float[][] c = new float[64][64];
        NncGemm.nt(a, a, c, 64, 256, 64);
        long workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nnc-pool-")).count();
        assertTrue(workers >= 1, "a worker exists");
        assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nnc-pool-")).allMatch(Thread::isDaemon));
    }

    private static float[][] randomF(Random rnd, int[] shape, int extraRows, int extraCols, float outside) {
        float[][] x = new float[shape[0] + extraRows][shape[1] + extraCols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = i < shape[0] && j < shape[1] ? (float) rnd.nextGaussian() : outside;
            }
        }
        return x;
    }

    private static double[][] randomD(Random rnd, int[] shape, int extraRows, int extraCols, double outside) {
        double[][] x = new double[shape[0] + extraRows][shape[1] + extraCols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = i < shape[0] && j < shape[1] ? rnd.nextGaussian() : outside;
            }
        }
        return x;
    }

    private static double[][] toDouble(float[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = x[i][j];
            }
        }
        return y;
    }

    static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    /** One sample's W @ x with the Vector API: every edge size of m and n, against a double sum; y beyond m untouched. */
    @Test
    void matvecMatchesReference() {
        Random rnd = new Random(17);
        int[] sizes = {1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 64, 100, 784};
        for (int m : sizes) {
            for (int n : sizes) {
                float[][] w = new float[m][n];
                double[][] wd = new double[m][n];
                float[] x = new float[n];
                double[] xd = new double[n];
                for (int k = 0; k < n; k++) {
                    x[k] = rnd.nextFloat() * 2 - 1;
                    xd[k] = x[k];
                }
                for (int i = 0; i < m; i++) {
                    for (int k = 0; k < n; k++) {
                        w[i][k] = rnd.nextFloat() * 2 - 1;
                        wd[i][k] = w[i][k];
                    }
                }
                float[] y = new float[m + 2];
                double[] yd = new double[m + 2];
                y[m] = 7f;
                yd[m + 1] = 9.0;
                NncGemmVector.matvec(w, x, y, m, n);
                NncGemmVector.matvec(wd, xd, yd, m, n);
                for (int i = 0; i < m; i++) {
                    double exact = 0;
                    double scale = 0;
                    for (int k = 0; k < n; k++) {
                        exact += (double) w[i][k] * x[k];
                        scale += Math.abs((double) w[i][k] * x[k]);
                    }
                    assertEquals(exact, y[i], 1e-5 * scale + 1e-30, "float m=" + m + " n=" + n + " i=" + i);
                    assertEquals(exact, yd[i], 1e-12 * scale + 1e-300, "double m=" + m + " n=" + n + " i=" + i);
                }
                assertEquals(7f, y[m]);
                assertEquals(9.0, yd[m + 1]);
            }
        }
    }

    /**
     * The optimizers' row tests say "finite" exactly when every new value of the scalar formula is:
     * rows of every edge length, with one element made to overflow or to be NaN at each position class
     * (in the vector part, in the tail).
     */
    @Test
    void rowTestsAgreeWithTheScalarFormulas() {
        Random rnd = new Random(23);
        for (int n : new int[] {1, 7, 16, 17, 33, 100}) {
            for (int bad = -1; bad < n; bad += Math.max(1, n / 5)) {
                for (float poison : new float[] {Float.NaN, 3e38f, Float.POSITIVE_INFINITY}) {
                    float[] w = new float[n];
                    float[] g = new float[n];
                    float[] m = new float[n];
                    float[] v = new float[n];
                    for (int k = 0; k < n; k++) {
                        w[k] = rnd.nextFloat() - 0.5f;
                        g[k] = rnd.nextFloat() - 0.5f;
                        m[k] = rnd.nextFloat() - 0.5f;
                        v[k] = rnd.nextFloat();
                    }
                    if (bad >= 0) {
                        g[bad] = poison == 3e38f ? -3e38f : poison; // with lr 10: w - lr g overflows
                    }
                    float lr = 10f;
                    boolean sgd = true;
                    boolean momentum = true;
                    boolean adam = true;
                    for (int k = 0; k < n; k++) {
                        sgd &= Float.isFinite(w[k] - lr * g[k]);
                        momentum &= Float.isFinite(w[k] - lr * (0.9f * m[k] + g[k]));
                        float mNext = 0.9f * m[k] + 0.1f * g[k];
                        float vNext = 0.999f * v[k] + 0.001f * g[k] * g[k];
                        adam &= Float.isFinite(w[k] - 1e30f * mNext / ((float) Math.sqrt(vNext) / 0.5f + 1e-8f));
                    }
                    String at = "n=" + n + " bad=" + bad + " poison=" + poison;
                    assertEquals(sgd, NncGemmVector.sgdFinite(w, g, lr, n), "sgd " + at);
                    assertEquals(momentum, NncGemmVector.momentumFinite(w, g, m, 0.9f, lr, n), "momentum " + at);
                    assertEquals(adam, NncGemmVector.adamFinite(w, g, m, v, 0.9f, 0.1f, 0.999f, 0.001f, 1e30f, 0.5f, 1e-8f, n),
                            "adam " + at);
                    double[] wd = new double[n];
                    double[] gd = new double[n];
                    boolean sgdD = true;
                    for (int k = 0; k < n; k++) {
                        wd[k] = w[k];
                        gd[k] = bad == k && poison == 3e38f ? -1.7e308 : g[k];
                        sgdD &= Double.isFinite(wd[k] - 10.0 * gd[k]);
                    }
                    assertEquals(sgdD, NncGemmVector.sgdFinite(wd, gd, 10.0, n), "sgd f64 " + at);
                    if (bad >= 0) {
                        assertTrue(!sgd && !momentum && !sgdD, "the poisoned row fails: " + at);
                    }
                }
            }
        }
    }

    /**
     * A wide layer and then a tall one, as in 2-100000-1 (z = x W1', then out = h W2'): nt's scratch
     * of B transposed grows row by row, to 2 x 100000 plus 100000 x 1 elements. It used to grow to
     * the larger of each side, 100000 x 100000 doubles (80 GB), and ran out of memory.
     */
    @Test
    void ntAfterAWideProductKeepsItsScratchSmall() {
        int wide = 100_000;
        double[][] x = {{0.5, -1}, {2, 0.25}};
        double[][] w1 = new double[wide][2];
        for (int i = 0; i < wide; i++) {
            w1[i][0] = i % 7 - 3;
            w1[i][1] = 0.5 * (i % 5);
        }
        double[][] h = new double[2][wide];
        NncGemm.nt(x, w1, h, 2, 2, wide);
        double[][] w2 = new double[1][wide];
        java.util.Arrays.fill(w2[0], 0.001);
        double[][] out = new double[2][1];
        NncGemm.nt(h, w2, out, 2, wide, 1);
        for (int r = 0; r < 2; r++) {
            double expected = 0;
            for (int i = 0; i < wide; i++) {
                expected += (x[r][0] * w1[i][0] + x[r][1] * w1[i][1]) * 0.001;
            }
            assertEquals(expected, out[r][0], 1e-9 * Math.max(1, Math.abs(expected)), "row " + r);
        }
        float[][] xf = {{0.5f, -1}};
        float[][] hf = new float[1][wide];
        float[][] w1f = new float[wide][2];
        NncGemm.nt(xf, w1f, hf, 1, 2, wide);
        float[][] outf = new float[1][1];
        NncGemm.nt(hf, new float[1][wide], outf, 1, wide, 1);
        assertEquals(0f, outf[0][0]);
    }
}
