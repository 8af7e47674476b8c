package dev.nnc.runtime;

/**
 * The matrix products of a mini-batch, in plain Java: the three forms a batched training step
 * needs, over row arrays ({@code float[][]}, one row per sample or per output), in float and double.
 *
 * <pre>
 *   nt:  C[b][i]  = sum_k A[b][k] * B[i][k]     forward  h = W @ x        for every sample b
 *   nn:  C[b][j]  = sum_i A[b][i] * B[i][j]     backward W' @ delta       for every sample b
 *   tn:  C[i][j] += sum_b A[b][i] * B[b][j]     gradient sum of delta outer x over the batch
 * </pre>
 *
 * Every product runs as rows of C updated by axpy loops ({@code c[j] += x * b[j]}), the form C2
 * vectorizes, four rows of C per pass over a row of B so each load of B feeds four multiply-adds:
 * nn and tn read B's rows as they are; nt first transposes B into a per-thread scratch (grown,
 * never shrunk) so its sum over k becomes axpy loops too. Each element's sum runs in the same
 * order whatever the split over {@link NncPool} threads (nt and nn over samples b, tn over output
 * rows i), so results do not depend on the number of threads.
 */
public final class NncGemm {

    private NncGemm() {}

    /** The k of a block: a block of B's rows ({@code KB x cols}) is reused from cache by all rows of C. */
    private static final int KB = 64;

    /** The columns of a block: four rows of C's block fit the first-level cache. */
    private static final int JB = 512;

    private static final int NT = 0;
    private static final int NN = 1;
    private static final int TN = 2;

    /** The calling thread's product: arguments, scratch, and the task the pool's threads share. */
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /**
     * One product as a pool task: phase 0 transposes B for nt (parts take columns), phase 1
     * computes (parts take output rows). Reused by its thread for every product.
     */
    private static final class Job extends NncPool.Product {
        /** nt's transposed B: at least {@code kk} rows of at least {@code cols}. */
        float[][] fp = new float[0][];
        double[][] dp = new double[0][];

        /**
         * Row by row: each of the first {@code kk} rows grows to {@code cols} on its own, so that a
         * wide-and-short product after a tall-and-narrow one (100000 x 1 after 2 x 100000) keeps
         * the scratch at the sum of their sizes, not at the product of the larger sides.
         */
        @Override
        void grow() {
            if (op != NT) {
                return;
            }
            if (dbl) {
                dp = grown(dp, kk, cols);
            } else {
                fp = grown(fp, kk, cols);
            }
        }

        /** Runs the phases, split over the pool's threads if the product is big enough, and drops the arguments. */
        void go() {
            try {
                if (outRows == 0 || cols == 0) {
                    return;
                }
                boolean split = NncPool.worthSplitting((long) outRows * kk * cols, outRows);
                if (op == NT) {
                    phase = 0;
                    if (split) {
                        NncPool.run(this);
                    } else {
                        run(0, 1);
                    }
                }
                phase = 1;
                if (split) {
                    NncPool.run(this);
                } else {
                    run(0, 1);
                }
            } finally {
                drop();
            }
        }

        @Override
        void run(int part, int parts) {
            if (phase == 0) {
                int i0 = (int) ((long) cols * part / parts);
                int i1 = (int) ((long) cols * (part + 1) / parts);
                if (dbl) {
                    NncArrays.transpose(db, kk, dp, i0, i1);
                } else {
                    NncArrays.transpose(fb, kk, fp, i0, i1);
                }
                return;
            }
            int r0 = NncPool.bound(outRows, part, parts);
            int r1 = NncPool.bound(outRows, part + 1, parts);
            if (op == TN) {
                if (dbl) {
                    gradientD(this, r0, r1);
                } else {
                    gradientF(this, r0, r1);
                }
            } else {
                if (dbl) {
                    rowsD(this, r0, r1);
                } else {
                    rowsF(this, r0, r1);
                }
            }
        }
    }

    // ---------------------------------------------------------------- float

    /** {@code C[b][i] = sum over k < n of A[b][k] * B[i][k]}, for {@code b < rows}, {@code i < m}. */
    public static void nt(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        Job j = JOBS.get();
        j.setF(NT, a, b, c, rows, n, m);
        j.go();
    }

    /** {@code C[b][j] = sum over i < n of A[b][i] * B[i][j]}, for {@code b < rows}, {@code j < m}. */
    public static void nn(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        Job j = JOBS.get();
        j.setF(NN, a, b, c, rows, n, m);
        j.go();
    }

    /** {@code C[i][j] += sum over b < rows of A[b][i] * B[b][j]}, for {@code i < m}, {@code j < n}. */
    public static void tn(float[][] a, float[][] b, float[][] c, int rows, int m, int n) {
        Job j = JOBS.get();
        j.setF(TN, a, b, c, m, rows, n);
        j.go();
    }

    /**
     * Output rows {@code r0..r1} of nt (B transposed in the scratch) or nn: C's rows zeroed, then for
     * each block of {@link #KB} k and {@link #JB} columns (so the block of B stays in the core's cache
     * and four rows of C in the first level), four rows of C at a time.
     */
    private static void rowsF(Job jb, int r0, int r1) {
        float[][] a = jb.fa;
        float[][] c = jb.fc;
        int kk = jb.kk;
        int cols = jb.cols;
        float[][] b = jb.op == NT ? jb.fp : jb.fb;
        for (int r = r0; r < r1; r++) {
            java.util.Arrays.fill(c[r], 0, cols, 0f);
        }
        for (int k0 = 0; k0 < kk; k0 += KB) {
            int k1 = Math.min(kk, k0 + KB);
            for (int j0 = 0; j0 < cols; j0 += JB) {
                int j1 = Math.min(cols, j0 + JB);
                int r = r0;
                for (; r + 4 <= r1; r += 4) {
                    float[] a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];
                    float[] c0 = c[r], c1 = c[r + 1], c2 = c[r + 2], c3 = c[r + 3];
                    for (int k = k0; k < k1; k++) {
                        axpy4F(a0[k], a1[k], a2[k], a3[k], b[k], c0, c1, c2, c3, j0, j1);
                    }
                }
                for (; r < r1; r++) {
                    float[] a0 = a[r];
                    float[] c0 = c[r];
                    for (int k = k0; k < k1; k++) {
                        axpy1F(a0[k], b[k], c0, j0, j1);
                    }
                }
            }
        }
    }

    /** Output rows {@code i0..i1} of tn, in blocks of {@link #KB} samples and {@link #JB} columns. */
    private static void gradientF(Job jb, int i0, int i1) {
        float[][] a = jb.fa;
        float[][] b = jb.fb;
        float[][] c = jb.fc;
        int kk = jb.kk;
        int cols = jb.cols;
        for (int k0 = 0; k0 < kk; k0 += KB) {
            int k1 = Math.min(kk, k0 + KB);
            for (int j0 = 0; j0 < cols; j0 += JB) {
                int j1 = Math.min(cols, j0 + JB);
                int i = i0;
                for (; i + 4 <= i1; i += 4) {
                    float[] c0 = c[i], c1 = c[i + 1], c2 = c[i + 2], c3 = c[i + 3];
                    for (int r = k0; r < k1; r++) {
                        float[] ar = a[r];
                        axpy4F(ar[i], ar[i + 1], ar[i + 2], ar[i + 3], b[r], c0, c1, c2, c3, j0, j1);
                    }
                }
                for (; i < i1; i++) {
                    float[] c0 = c[i];
                    for (int r = k0; r < k1; r++) {
                        axpy1F(a[r][i], b[r], c0, j0, j1);
                    }
                }
            }
        }
    }

    /** {@code cq[j] += xq * b[j]} for {@code j0 <= j < j1} and the four rows q: one load of B for four multiply-adds. */
    private static void axpy4F(float x0, float x1, float x2, float x3, float[] b, float[] c0, float[] c1, float[] c2, float[] c3, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            float v = b[j];
            c0[j] += x0 * v;
            c1[j] += x1 * v;
            c2[j] += x2 * v;
            c3[j] += x3 * v;
        }
    }

    /** {@code c[j] += x * b[j]} for {@code j0 <= j < j1}. */
    private static void axpy1F(float x, float[] b, float[] c, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            c[j] += x * b[j];
        }
    }

    // ---------------------------------------------------------------- narrow products, float

    /**
     * {@link #nt} for a narrow output (few columns m) over many rows: each column i of C is a row of
     * the transposed result, {@code ct[i][b] = sum over k of B[i][k] * At[k][b]}, axpy loops over the
     * block's rows (samples) from A transposed into the thread's scratch, four columns per pass over
     * At. Each element's sum runs in k order from zero, as nt sums it, so the result is nt's bit for
     * bit; nt would instead axpy over rows of m columns, loops too short to gain from the JIT's vectors.
     */
    public static void ntSamples(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        Narrow s = NARROW.get();
        float[][] at = s.f = grown(s.f, n + 4, rows);
        NncArrays.transpose(a, n, at, 0, rows);
        float[] c0 = at[n], c1 = at[n + 1], c2 = at[n + 2], c3 = at[n + 3];
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            java.util.Arrays.fill(c0, 0, rows, 0f);
            java.util.Arrays.fill(c1, 0, rows, 0f);
            java.util.Arrays.fill(c2, 0, rows, 0f);
            java.util.Arrays.fill(c3, 0, rows, 0f);
            float[] b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
            for (int k = 0; k < n; k++) {
                axpy4F(b0[k], b1[k], b2[k], b3[k], at[k], c0, c1, c2, c3, 0, rows);
            }
            for (int r = 0; r < rows; r++) {
                float[] cr = c[r];
                cr[i] = c0[r];
                cr[i + 1] = c1[r];
                cr[i + 2] = c2[r];
                cr[i + 3] = c3[r];
            }
        }
        for (; i < m; i++) {
            java.util.Arrays.fill(c0, 0, rows, 0f);
            float[] bi = b[i];
            for (int k = 0; k < n; k++) {
                axpy1F(bi[k], at[k], c0, 0, rows);
            }
            for (int r = 0; r < rows; r++) {
                c[r][i] = c0[r];
            }
        }
    }

    /**
     * {@link #nt} for a narrow output over a few rows: dot products of A's rows and B's, four rows of A
     * per pass over a row of B (four independent sums), each in k order from zero as nt sums it, so the
     * result is nt's bit for bit, without nt's transposed copy of B (n rows of m: short rows, costly
     * when n is large).
     */
    public static void ntDot(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            float[] a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];
            for (int i = 0; i < m; i++) {
                float[] bi = b[i];
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int k = 0; k < n; k++) {
                    float v = bi[k];
                    s0 += a0[k] * v;
                    s1 += a1[k] * v;
                    s2 += a2[k] * v;
                    s3 += a3[k] * v;
                }
                c[r][i] = s0;
                c[r + 1][i] = s1;
                c[r + 2][i] = s2;
                c[r + 3][i] = s3;
            }
        }
        for (; r < rows; r++) {
            float[] a0 = a[r];
            for (int i = 0; i < m; i++) {
                float[] bi = b[i];
                float s0 = 0;
                for (int k = 0; k < n; k++) {
                    s0 += a0[k] * bi[k];
                }
                c[r][i] = s0;
            }
        }
    }

    /**
     * {@link #tn} for a narrow gradient (n columns, few): C transposed into the thread's scratch, the
     * rows' terms added to it by axpy loops over C's m rows ({@code ct[j][i] += B[b][j] * At[b][i]},
     * A's rows as they are), then copied back. Each element gets its terms added in b order, as tn adds
     * them, so the result is tn's bit for bit; tn would axpy over rows of n columns.
     */
    public static void tnNarrow(float[][] a, float[][] b, float[][] c, int rows, int m, int n) {
        Narrow s = NARROW.get();
        float[][] ct = s.f = grown(s.f, n, m);
        NncArrays.transpose(c, n, ct, 0, m);
        for (int r = 0; r < rows; r++) {
            float[] ar = a[r];
            float[] br = b[r];
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                axpy4Rows(br[j], br[j + 1], br[j + 2], br[j + 3], ar, ct[j], ct[j + 1], ct[j + 2], ct[j + 3], m);
            }
            for (; j < n; j++) {
                axpy1F(br[j], ar, ct[j], 0, m);
            }
        }
        NncArrays.transpose(ct, m, c, 0, n);
    }

    /** {@code cq[i] += xq * a[i]} for {@code i < m}: the four columns of {@link #tnNarrow} from one load of A's row. */
    private static void axpy4Rows(float x0, float x1, float x2, float x3, float[] a, float[] c0, float[] c1, float[] c2, float[] c3, int m) {
        for (int i = 0; i < m; i++) {
            float v = a[i];
            c0[i] += v * x0;
            c1[i] += v * x1;
            c2[i] += v * x2;
            c3[i] += v * x3;
        }
    }

    // ---------------------------------------------------------------- double

    /** {@code C[b][i] = sum over k < n of A[b][k] * B[i][k]}, for {@code b < rows}, {@code i < m}. */
    public static void nt(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        Job j = JOBS.get();
        j.setD(NT, a, b, c, rows, n, m);
        j.go();
    }

    /** {@code C[b][j] = sum over i < n of A[b][i] * B[i][j]}, for {@code b < rows}, {@code j < m}. */
    public static void nn(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        Job j = JOBS.get();
        j.setD(NN, a, b, c, rows, n, m);
        j.go();
    }

    /** {@code C[i][j] += sum over b < rows of A[b][i] * B[b][j]}, for {@code i < m}, {@code j < n}. */
    public static void tn(double[][] a, double[][] b, double[][] c, int rows, int m, int n) {
        Job j = JOBS.get();
        j.setD(TN, a, b, c, m, rows, n);
        j.go();
    }

    /**
     * Output rows {@code r0..r1} of nt (B transposed in the scratch) or nn: C's rows zeroed, then for
     * each block of {@link #KB} k and {@link #JB} columns (so the block of B stays in the core's cache
     * and four rows of C in the first level), four rows of C at a time.
     */
    private static void rowsD(Job jb, int r0, int r1) {
        double[][] a = jb.da;
        double[][] c = jb.dc;
        int kk = jb.kk;
        int cols = jb.cols;
        double[][] b = jb.op == NT ? jb.dp : jb.db;
        for (int r = r0; r < r1; r++) {
            java.util.Arrays.fill(c[r], 0, cols, 0d);
        }
        for (int k0 = 0; k0 < kk; k0 += KB) {
            int k1 = Math.min(kk, k0 + KB);
            for (int j0 = 0; j0 < cols; j0 += JB) {
                int j1 = Math.min(cols, j0 + JB);
                int r = r0;
                for (; r + 4 <= r1; r += 4) {
                    double[] a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];
                    double[] c0 = c[r], c1 = c[r + 1], c2 = c[r + 2], c3 = c[r + 3];
                    for (int k = k0; k < k1; k++) {
                        axpy4D(a0[k], a1[k], a2[k], a3[k], b[k], c0, c1, c2, c3, j0, j1);
                    }
                }
                for (; r < r1; r++) {
                    double[] a0 = a[r];
                    double[] c0 = c[r];
                    for (int k = k0; k < k1; k++) {
                        axpy1D(a0[k], b[k], c0, j0, j1);
                    }
                }
            }
        }
    }

    /** Output rows {@code i0..i1} of tn, in blocks of {@link #KB} samples and {@link #JB} columns. */
    private static void gradientD(Job jb, int i0, int i1) {
        double[][] a = jb.da;
        double[][] b = jb.db;
        double[][] c = jb.dc;
        int kk = jb.kk;
        int cols = jb.cols;
        for (int k0 = 0; k0 < kk; k0 += KB) {
            int k1 = Math.min(kk, k0 + KB);
            for (int j0 = 0; j0 < cols; j0 += JB) {
                int j1 = Math.min(cols, j0 + JB);
                int i = i0;
                for (; i + 4 <= i1; i += 4) {
                    double[] c0 = c[i], c1 = c[i + 1], c2 = c[i + 2], c3 = c[i + 3];
                    for (int r = k0; r < k1; r++) {
                        double[] ar = a[r];
                        axpy4D(ar[i], ar[i + 1], ar[i + 2], ar[i + 3], b[r], c0, c1, c2, c3, j0, j1);
                    }
                }
                for (; i < i1; i++) {
                    double[] c0 = c[i];
                    for (int r = k0; r < k1; r++) {
                        axpy1D(a[r][i], b[r], c0, j0, j1);
                    }
                }
            }
        }
    }

    /** {@code cq[j] += xq * b[j]} for {@code j0 <= j < j1} and the four rows q: one load of B for four multiply-adds. */
    private static void axpy4D(double x0, double x1, double x2, double x3, double[] b, double[] c0, double[] c1, double[] c2, double[] c3, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            double v = b[j];
            c0[j] += x0 * v;
            c1[j] += x1 * v;
            c2[j] += x2 * v;
            c3[j] += x3 * v;
        }
    }

    /** {@code c[j] += x * b[j]} for {@code j0 <= j < j1}. */
    private static void axpy1D(double x, double[] b, double[] c, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            c[j] += x * b[j];
        }
    }
    // ---------------------------------------------------------------- narrow products, double

    /** {@link #ntSamples(float[][], float[][], float[][], int, int, int)} in double. */
    public static void ntSamples(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        Narrow s = NARROW.get();
        double[][] at = s.d = grown(s.d, n + 4, rows);
        NncArrays.transpose(a, n, at, 0, rows);
        double[] c0 = at[n], c1 = at[n + 1], c2 = at[n + 2], c3 = at[n + 3];
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            java.util.Arrays.fill(c0, 0, rows, 0d);
            java.util.Arrays.fill(c1, 0, rows, 0d);
            java.util.Arrays.fill(c2, 0, rows, 0d);
            java.util.Arrays.fill(c3, 0, rows, 0d);
            double[] b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
            for (int k = 0; k < n; k++) {
                axpy4D(b0[k], b1[k], b2[k], b3[k], at[k], c0, c1, c2, c3, 0, rows);
            }
            for (int r = 0; r < rows; r++) {
                double[] cr = c[r];
                cr[i] = c0[r];
                cr[i + 1] = c1[r];
                cr[i + 2] = c2[r];
                cr[i + 3] = c3[r];
            }
        }
        for (; i < m; i++) {
            java.util.Arrays.fill(c0, 0, rows, 0d);
            double[] bi = b[i];
            for (int k = 0; k < n; k++) {
                axpy1D(bi[k], at[k], c0, 0, rows);
            }
            for (int r = 0; r < rows; r++) {
                c[r][i] = c0[r];
            }
        }
    }

    /** {@link #ntDot(float[][], float[][], float[][], int, int, int)} in double. */
    public static void ntDot(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            double[] a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];
            for (int i = 0; i < m; i++) {
                double[] bi = b[i];
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int k = 0; k < n; k++) {
                    double v = bi[k];
                    s0 += a0[k] * v;
                    s1 += a1[k] * v;
                    s2 += a2[k] * v;
                    s3 += a3[k] * v;
                }
                c[r][i] = s0;
                c[r + 1][i] = s1;
                c[r + 2][i] = s2;
                c[r + 3][i] = s3;
            }
        }
        for (; r < rows; r++) {
            double[] a0 = a[r];
            for (int i = 0; i < m; i++) {
                double[] bi = b[i];
                double s0 = 0;
                for (int k = 0; k < n; k++) {
                    s0 += a0[k] * bi[k];
                }
                c[r][i] = s0;
            }
        }
    }

    /** {@link #tnNarrow(float[][], float[][], float[][], int, int, int)} in double. */
    public static void tnNarrow(double[][] a, double[][] b, double[][] c, int rows, int m, int n) {
        Narrow s = NARROW.get();
        double[][] ct = s.d = grown(s.d, n, m);
        NncArrays.transpose(c, n, ct, 0, m);
        for (int r = 0; r < rows; r++) {
            double[] ar = a[r];
            double[] br = b[r];
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                axpy4Rows(br[j], br[j + 1], br[j + 2], br[j + 3], ar, ct[j], ct[j + 1], ct[j + 2], ct[j + 3], m);
            }
            for (; j < n; j++) {
                axpy1D(br[j], ar, ct[j], 0, m);
            }
        }
        NncArrays.transpose(ct, m, c, 0, n);
    }

    /** {@code cq[i] += xq * a[i]} for {@code i < m}: the four columns of {@link #tnNarrow} from one load of A's row. */
    private static void axpy4Rows(double x0, double x1, double x2, double x3, double[] a, double[] c0, double[] c1, double[] c2, double[] c3, int m) {
        for (int i = 0; i < m; i++) {
            double v = a[i];
            c0[i] += v * x0;
            c1[i] += v * x1;
            c2[i] += v * x2;
            c3[i] += v * x3;
        }
    }


    /** The calling thread's scratch of the narrow products: A or C transposed, plus four rows of columns. */
    private static final ThreadLocal<Narrow> NARROW = ThreadLocal.withInitial(Narrow::new);

    private static final class Narrow {
        float[][] f = new float[0][];
        double[][] d = new double[0][];
    }

    /**
     * A scratch of at least {@code count} rows, each of at least {@code length}: {@code rows}, its
     * short rows replaced and its row array lengthened where needed (never shrunk; see {@link Job#grow}).
     */
    private static float[][] grown(float[][] rows, int count, int length) {
        float[][] g = rows.length < count ? java.util.Arrays.copyOf(rows, count) : rows;
        for (int i = 0; i < count; i++) {
            if (g[i] == null || g[i].length < length) {
                g[i] = new float[length];
            }
        }
        return g;
    }

    /** {@link #grown(float[][], int, int)} in double. */
    private static double[][] grown(double[][] rows, int count, int length) {
        double[][] g = rows.length < count ? java.util.Arrays.copyOf(rows, count) : rows;
        for (int i = 0; i < count; i++) {
            if (g[i] == null || g[i].length < length) {
                g[i] = new double[length];
            }
        }
        return g;
    }
}
