package dev.nnc.runtime;

/**
 * The matrix products of {@link NncGemm} (same methods, same results up to rounding) on the Vector
 * API ({@code jdk.incubator.vector}), for trainers compiled and run with
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <pre>
 *   nt:  C[b][i]  = sum_k A[b][k] * B[i][k]     B packed transposed, panels of 4 vectors of columns
 *   nn:  C[b][j]  = sum_i A[b][i] * B[i][j]     B packed as is
 *   tn:  C[i][j] += sum_b A[b][i] * B[b][j]     B packed as is, A transposed
 * </pre>
 *
 * Every product is one loop shape. B is copied into a per-thread scratch as panels {@code 4 * L}
 * columns wide (L the lanes of the preferred species: 16 floats or 8 doubles with AVX-512; the last
 * panel as many whole vectors as it needs, zero padded), each panel its k rows of contiguous
 * vectors; A is copied too, four rows interleaved per k, in blocks of {@link #KC} k. A micro-kernel
 * keeps 4 output rows x 4 vectors = 16 accumulators in registers over a block of k, one vector load
 * of B per column vector and one broadcast of A per row and k; a last panel narrower than 4 vectors
 * uses a 4 x 1 kernel per vector, and rows past the last multiple of 4 are computed into a scratch
 * row. Loops: panel, then k block (the panel's block stays in the second-level cache), then blocks
 * of 4 rows. No horizontal reductions: each output element is one lane's chain of fused
 * multiply-adds in k order, a block's sum stored or added to C, so the result never depends on the
 * split over {@link NncPool} threads (output rows in parts that start at multiples of 4), nor on
 * which thread packed what.
 *
 * <p>The stores after the 16-accumulator loop are written out per branch: a conditional vector
 * (one value from two paths) or a per-lane tail inside that kernel made C2 spill or box and
 * halved its speed.
 */
public final class NncGemmVector {

    private NncGemmVector() {}

    private static final jdk.incubator.vector.VectorSpecies<Float> FS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    /** Columns of a float panel. */
    private static final int FW = 4 * FL;
    private static final jdk.incubator.vector.VectorSpecies<Double> DS = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
    private static final int DL = DS.length();
    private static final int DW = 4 * DL;

    /** The k of a block: a block of a panel is {@code KC x 4 x L} elements (64 KB). */
    private static final int KC = 256;

    private static final int NT = 0;
    private static final int NN = 1;
    private static final int TN = 2;

    /** The calling thread's product: arguments, scratch, and the task the pool's threads share. */
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /**
     * One product as a pool task: phase 0 packs (parts take panels of B, and blocks of 4 rows of A,
     * whose rows are columns for tn), phase 1 computes (in f32 parts take the
     * panels they packed, over every row, when there are as many panels as parts; else, and in
     * f64, output rows). Reused by its thread for every product;
     * the scratch only grows.
     */
    private static final class Job extends NncPool.Product {
        float[] fp = new float[0];
        /** A packed by {@code packA}, and a row for the results of rows past the last. */
        float[] fap = new float[0];
        float[] fspare = new float[0];
        double[] dp = new double[0];
        double[] dap = new double[0];
        double[] dspare = new double[0];

        @Override
        void grow() {
            if (dbl) {
                if (dp.length < packedSize(kk, cols, DL)) {
                    dp = new double[packedSize(kk, cols, DL)];
                }
                if (dap.length < packedSize(kk, outRows, 4)) {
                    dap = new double[packedSize(kk, outRows, 4)];
                }
                if (dspare.length < cols) {
                    dspare = new double[cols];
                }
            } else {
                if (fp.length < packedSize(kk, cols, FL)) {
                    fp = new float[packedSize(kk, cols, FL)];
                }
                if (fap.length < packedSize(kk, outRows, 4)) {
                    fap = new float[packedSize(kk, outRows, 4)];
                }
                if (fspare.length < cols) {
                    fspare = new float[cols];
                }
            }
        }

        /** Runs both phases, split over the pool's threads if the product is big enough, and drops the arguments. */
        void go() {
            try {
                if (outRows == 0 || cols == 0) {
                    return;
                }
                if (NncPool.worthSplittingVectors((long) outRows * kk * cols, outRows)) {
                    phase = 0;
                    NncPool.run(this);
                    phase = 1;
                    NncPool.run(this);
                } else {
                    phase = 0;
                    run(0, 1);
                    phase = 1;
                    run(0, 1);
                }
            } finally {
                drop();
            }
        }

        @Override
        void run(int part, int parts) {
            if (phase == 0) {
                int panels = (cols + (dbl ? DW : FW) - 1) / (dbl ? DW : FW);
                int p0 = share(panels, part, parts);
                int p1 = share(panels, part + 1, parts);
                if (dbl) {
                    if (op == NT) {
                        packColumnsD(db, kk, cols, dp, p0, p1);
                    } else {
                        packRowsD(db, kk, cols, dp, p0, p1);
                    }
                } else {
                    if (op == NT) {
                        packColumnsF(fb, kk, cols, fp, p0, p1);
                    } else {
                        packRowsF(fb, kk, cols, fp, p0, p1);
                    }
                }
                int blocks = (outRows + 3) / 4;
                int b0 = share(blocks, part, parts);
                int b1 = share(blocks, part + 1, parts);
                if (dbl) {
                    packAD(da, op == TN, outRows, kk, dap, b0, b1);
                } else {
                    packAF(fa, op == TN, outRows, kk, fap, b0, b1);
                }
            } else if (!dbl && parts > 1 && (cols + FW - 1) / FW >= parts) {
                // each part the panels it packed, over every row: a thread reads its own share of the
                // packed B, not all of it (width 512 at batch 64: two threads were slower than one,
                // 11,185-12,616 samples/s against 16,556-20,592; now 19,998-23,243)
                int panels = (cols + FW - 1) / FW;
                computeF(this, 0, outRows, share(panels, part, parts) * FW, Math.min(cols, share(panels, part + 1, parts) * FW));
            } else {
                int r0 = NncPool.bound(outRows, part, parts);
                int r1 = NncPool.bound(outRows, part + 1, parts);
                if (dbl) {
                    computeD(this, r0, r1);
                } else {
                    computeF(this, r0, r1, 0, cols);
                }
            }
        }
    }

    /**
     * Where part {@code part} of {@code parts} starts in {@code n} items (panels of B, blocks of four
     * rows of A): packing and the panel split of computing use it alike, so a part computes the
     * panels it packed.
     */
    private static int share(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** Scratch elements for a {@code kk x cols} B in panels: the columns rounded up to whole vectors of {@code lanes}. */
    private static int packedSize(int kk, int cols, int lanes) {
        return Math.multiplyExact(kk, (cols + lanes - 1) / lanes * lanes);
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

    /** Packs panels {@code p0..p1} of the {@code kk x cols} matrix B into {@code pk}: row k of B is {@code b[k]}. */
    private static void packRowsF(float[][] b, int kk, int cols, float[] pk, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int j0 = p * FW;
            int cnt = Math.min(FW, cols - j0);
            int w = (cnt + FL - 1) / FL * FL;
            int base = j0 * kk;
            for (int k = 0; k < kk; k++) {
                int o = base + k * w;
                System.arraycopy(b[k], j0, pk, o, cnt);
                for (int x = cnt; x < w; x++) {
                    pk[o + x] = 0;
                }
            }
        }
    }

    /**
     * Packs panels {@code p0..p1} of the {@code kk x cols} matrix B into {@code pk}: column j of B is
     * {@code b[j]}. Eight columns at a time: eight sequential reads, one contiguous write per k.
     */
    private static void packColumnsF(float[][] b, int kk, int cols, float[] pk, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int j0 = p * FW;
            int cnt = Math.min(FW, cols - j0);
            int w = (cnt + FL - 1) / FL * FL;
            int base = j0 * kk;
            int x = 0;
            for (; x + 8 <= cnt; x += 8) {
                float[] b0 = b[j0 + x], b1 = b[j0 + x + 1], b2 = b[j0 + x + 2], b3 = b[j0 + x + 3];
                float[] b4 = b[j0 + x + 4], b5 = b[j0 + x + 5], b6 = b[j0 + x + 6], b7 = b[j0 + x + 7];
                for (int k = 0, o = base + x; k < kk; k++, o += w) {
                    pk[o] = b0[k];
                    pk[o + 1] = b1[k];
                    pk[o + 2] = b2[k];
                    pk[o + 3] = b3[k];
                    pk[o + 4] = b4[k];
                    pk[o + 5] = b5[k];
                    pk[o + 6] = b6[k];
                    pk[o + 7] = b7[k];
                }
            }
            for (; x < w; x++) {
                float[] bx = x < cnt ? b[j0 + x] : null;
                for (int k = 0, o = base + x; k < kk; k++, o += w) {
                    pk[o] = bx == null ? 0 : bx[k];
                }
            }
        }
    }

    /**
     * Row blocks {@code rb0..rb1} of A packed for the kernels: for each block of {@link #KC} k, all row
     * blocks one after the other, each the block's k in order, each 4 rows (zeros past the last row):
     * {@code ap[k0 * R + rb * 4 * kn + (k - k0) * 4 + q] = A(4 * rb + q, k)}, R the rows rounded up to 4
     * and kn the k of the block. A(r, k) is {@code a[r][k]}, or {@code a[k][r]} for tn.
     */
    private static void packAF(float[][] a, boolean transposed, int rows, int kk, float[] ap, int rb0, int rb1) {
        int rr = (rows + 3) & ~3;
        for (int k0 = 0; k0 < kk; k0 += KC) {
            int kn = Math.min(KC, kk - k0);
            for (int rb = rb0; rb < rb1; rb++) {
                int o = k0 * rr + rb * 4 * kn;
                for (int q = 0; q < 4; q++) {
                    int r = 4 * rb + q;
                    if (r >= rows) {
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = 0;
                        }
                    } else if (transposed) {
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = a[k0 + k][r];
                        }
                    } else {
                        float[] ar = a[r];
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = ar[k0 + k];
                        }
                    }
                }
            }
        }
    }

    /**
     * Output rows {@code r0..r1} ({@code r0} a multiple of 4), columns {@code from..to} ({@code from}
     * where a panel starts, {@code to} where one starts or {@code cols}):
     * {@code C[r][j] (+)= sum over k of A(r, k) * B(k, j)}, in blocks of {@link #KC} k so that a block
     * of a panel and of A stay in the core's cache. Each block's sums start from zero and are stored
     * (the first block of nt and nn) or added to C. The rows past the last of the last block of 4 go to
     * a scratch row.
     */
    private static void computeF(Job jb, int r0, int r1, int from, int to) {
        int kk = jb.kk;
        int cols = jb.cols;
        int rows = jb.outRows;
        int rr = (rows + 3) & ~3;
        float[] pk = jb.fp;
        float[] ap = jb.fap;
        float[][] c = jb.fc;
        float[] spare = jb.fspare;
        for (int j0 = from; j0 < to; j0 += FW) {
            int cnt = Math.min(FW, cols - j0);
            int w = (cnt + FL - 1) / FL * FL;
            for (int k0 = 0; k0 < kk || k0 == 0; k0 += KC) {
                int kn = Math.min(KC, kk - k0);
                boolean acc = jb.op == TN || k0 > 0;
                int base = j0 * kk + k0 * w;
                for (int r = r0; r < r1; r += 4) {
                    int ao = k0 * rr + r * kn;
                    float[] c0 = c[r];
                    float[] c1 = r + 1 < rows ? c[r + 1] : spare;
                    float[] c2 = r + 2 < rows ? c[r + 2] : spare;
                    float[] c3 = r + 3 < rows ? c[r + 3] : spare;
                    if (cnt == FW) {
                        if (acc) {
                            kernel4x4FAdd(ap, ao, pk, base, kn, c0, c1, c2, c3, j0);
                        } else {
                            kernel4x4F(ap, ao, pk, base, kn, c0, c1, c2, c3, j0);
                        }
                    } else {
                        for (int s = 0; s < w; s += FL) {
                            kernel4x1F(ap, ao, pk, base + s, w, kn, c0, c1, c2, c3, j0 + s, Math.min(FL, cnt - s), acc);
                        }
                    }
                }
            }
        }
    }

    /**
     * Four output rows by a full panel ({@code 4 x FL} columns, all of them in C): sixteen accumulators over the
     * {@code kn} k of a block, A's four values for a k contiguous in {@code ap} from {@code ao}.
     */
    private static void kernel4x4F(float[] ap, int ao, float[] pk, int base, int kn,
            float[] c0, float[] c1, float[] c2, float[] c3, int j) {
        jdk.incubator.vector.FloatVector z = jdk.incubator.vector.FloatVector.zero(FS);
        jdk.incubator.vector.FloatVector s00 = z, s01 = z, s02 = z, s03 = z;
        jdk.incubator.vector.FloatVector s10 = z, s11 = z, s12 = z, s13 = z;
        jdk.incubator.vector.FloatVector s20 = z, s21 = z, s22 = z, s23 = z;
        jdk.incubator.vector.FloatVector s30 = z, s31 = z, s32 = z, s33 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += FW, q += 4) {
            jdk.incubator.vector.FloatVector b0 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o);
            jdk.incubator.vector.FloatVector b1 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + FL);
            jdk.incubator.vector.FloatVector b2 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + 2 * FL);
            jdk.incubator.vector.FloatVector b3 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + 3 * FL);
            jdk.incubator.vector.FloatVector x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 1]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 2]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 3]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
        }
        s00.intoArray(c0, j);
        s01.intoArray(c0, j + FL);
        s02.intoArray(c0, j + 2 * FL);
        s03.intoArray(c0, j + 3 * FL);
        s10.intoArray(c1, j);
        s11.intoArray(c1, j + FL);
        s12.intoArray(c1, j + 2 * FL);
        s13.intoArray(c1, j + 3 * FL);
        s20.intoArray(c2, j);
        s21.intoArray(c2, j + FL);
        s22.intoArray(c2, j + 2 * FL);
        s23.intoArray(c2, j + 3 * FL);
        s30.intoArray(c3, j);
        s31.intoArray(c3, j + FL);
        s32.intoArray(c3, j + 2 * FL);
        s33.intoArray(c3, j + 3 * FL);
    }

    /**
     * Four output rows by a full panel ({@code 4 x FL} columns, all of them in C): sixteen accumulators over the
     * {@code kn} k of a block, A's four values for a k contiguous in {@code ap} from {@code ao}.
     * Adds into C. A method of its own, the loop repeated, rather than a branch of {@code kernel4x4F}:
     * with both endings in one method, C2 on JDK 17 now and then compiled it with its vector stores
     * not intrinsified ({@code VectorSupport::store}, "failed to inline (intrinsic)" in
     * {@code -XX:+PrintInlining}), every vector boxed and the run 15x slower to its end (3 of 24
     * Fashion-MNIST runs with {@code --vector}; 0 of 46 with the two methods).
     */
    private static void kernel4x4FAdd(float[] ap, int ao, float[] pk, int base, int kn,
            float[] c0, float[] c1, float[] c2, float[] c3, int j) {
        jdk.incubator.vector.FloatVector z = jdk.incubator.vector.FloatVector.zero(FS);
        jdk.incubator.vector.FloatVector s00 = z, s01 = z, s02 = z, s03 = z;
        jdk.incubator.vector.FloatVector s10 = z, s11 = z, s12 = z, s13 = z;
        jdk.incubator.vector.FloatVector s20 = z, s21 = z, s22 = z, s23 = z;
        jdk.incubator.vector.FloatVector s30 = z, s31 = z, s32 = z, s33 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += FW, q += 4) {
            jdk.incubator.vector.FloatVector b0 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o);
            jdk.incubator.vector.FloatVector b1 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + FL);
            jdk.incubator.vector.FloatVector b2 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + 2 * FL);
            jdk.incubator.vector.FloatVector b3 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o + 3 * FL);
            jdk.incubator.vector.FloatVector x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 1]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 2]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 3]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
        }
        s00.add(jdk.incubator.vector.FloatVector.fromArray(FS, c0, j)).intoArray(c0, j);
        s01.add(jdk.incubator.vector.FloatVector.fromArray(FS, c0, j + FL)).intoArray(c0, j + FL);
        s02.add(jdk.incubator.vector.FloatVector.fromArray(FS, c0, j + 2 * FL)).intoArray(c0, j + 2 * FL);
        s03.add(jdk.incubator.vector.FloatVector.fromArray(FS, c0, j + 3 * FL)).intoArray(c0, j + 3 * FL);
        s10.add(jdk.incubator.vector.FloatVector.fromArray(FS, c1, j)).intoArray(c1, j);
        s11.add(jdk.incubator.vector.FloatVector.fromArray(FS, c1, j + FL)).intoArray(c1, j + FL);
        s12.add(jdk.incubator.vector.FloatVector.fromArray(FS, c1, j + 2 * FL)).intoArray(c1, j + 2 * FL);
        s13.add(jdk.incubator.vector.FloatVector.fromArray(FS, c1, j + 3 * FL)).intoArray(c1, j + 3 * FL);
        s20.add(jdk.incubator.vector.FloatVector.fromArray(FS, c2, j)).intoArray(c2, j);
        s21.add(jdk.incubator.vector.FloatVector.fromArray(FS, c2, j + FL)).intoArray(c2, j + FL);
        s22.add(jdk.incubator.vector.FloatVector.fromArray(FS, c2, j + 2 * FL)).intoArray(c2, j + 2 * FL);
        s23.add(jdk.incubator.vector.FloatVector.fromArray(FS, c2, j + 3 * FL)).intoArray(c2, j + 3 * FL);
        s30.add(jdk.incubator.vector.FloatVector.fromArray(FS, c3, j)).intoArray(c3, j);
        s31.add(jdk.incubator.vector.FloatVector.fromArray(FS, c3, j + FL)).intoArray(c3, j + FL);
        s32.add(jdk.incubator.vector.FloatVector.fromArray(FS, c3, j + 2 * FL)).intoArray(c3, j + 2 * FL);
        s33.add(jdk.incubator.vector.FloatVector.fromArray(FS, c3, j + 3 * FL)).intoArray(c3, j + 3 * FL);
    }

    /** Four output rows by one vector of columns, in a panel {@code w} wide. */
    private static void kernel4x1F(float[] ap, int ao, float[] pk, int base, int w, int kn,
            float[] c0, float[] c1, float[] c2, float[] c3, int j, int cnt, boolean acc) {
        jdk.incubator.vector.FloatVector z = jdk.incubator.vector.FloatVector.zero(FS);
        jdk.incubator.vector.FloatVector s0 = z, s1 = z, s2 = z, s3 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += w, q += 4) {
            jdk.incubator.vector.FloatVector b0 = jdk.incubator.vector.FloatVector.fromArray(FS, pk, o);
            s0 = b0.fma(jdk.incubator.vector.FloatVector.broadcast(FS, ap[q]), s0);
            s1 = b0.fma(jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 1]), s1);
            s2 = b0.fma(jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 2]), s2);
            s3 = b0.fma(jdk.incubator.vector.FloatVector.broadcast(FS, ap[q + 3]), s3);
        }
        storeF(s0, c0, j, cnt, acc);
        storeF(s1, c1, j, cnt, acc);
        storeF(s2, c2, j, cnt, acc);
        storeF(s3, c3, j, cnt, acc);
    }

    /** Stores the first {@code cnt} lanes (all if {@code cnt >= FL}, none if {@code cnt <= 0}) of {@code s} at {@code c[j..]}, or adds them. */
    private static void storeF(jdk.incubator.vector.FloatVector s, float[] c, int j, int cnt, boolean acc) {
        if (cnt >= FL) {
            // two stores, not one of a conditional vector: C2 boxes a vector that merges two paths
            if (acc) {
                s.add(jdk.incubator.vector.FloatVector.fromArray(FS, c, j)).intoArray(c, j);
            } else {
                s.intoArray(c, j);
            }
        } else {
            for (int l = 0; l < cnt; l++) {
                c[j + l] = acc ? c[j + l] + s.lane(l) : s.lane(l);
            }
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

    /** Packs panels {@code p0..p1} of the {@code kk x cols} matrix B into {@code pk}: row k of B is {@code b[k]}. */
    private static void packRowsD(double[][] b, int kk, int cols, double[] pk, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int j0 = p * DW;
            int cnt = Math.min(DW, cols - j0);
            int w = (cnt + DL - 1) / DL * DL;
            int base = j0 * kk;
            for (int k = 0; k < kk; k++) {
                int o = base + k * w;
                System.arraycopy(b[k], j0, pk, o, cnt);
                for (int x = cnt; x < w; x++) {
                    pk[o + x] = 0;
                }
            }
        }
    }

    /**
     * Packs panels {@code p0..p1} of the {@code kk x cols} matrix B into {@code pk}: column j of B is
     * {@code b[j]}. Eight columns at a time: eight sequential reads, one contiguous write per k.
     */
    private static void packColumnsD(double[][] b, int kk, int cols, double[] pk, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int j0 = p * DW;
            int cnt = Math.min(DW, cols - j0);
            int w = (cnt + DL - 1) / DL * DL;
            int base = j0 * kk;
            int x = 0;
            for (; x + 8 <= cnt; x += 8) {
                double[] b0 = b[j0 + x], b1 = b[j0 + x + 1], b2 = b[j0 + x + 2], b3 = b[j0 + x + 3];
                double[] b4 = b[j0 + x + 4], b5 = b[j0 + x + 5], b6 = b[j0 + x + 6], b7 = b[j0 + x + 7];
                for (int k = 0, o = base + x; k < kk; k++, o += w) {
                    pk[o] = b0[k];
                    pk[o + 1] = b1[k];
                    pk[o + 2] = b2[k];
                    pk[o + 3] = b3[k];
                    pk[o + 4] = b4[k];
                    pk[o + 5] = b5[k];
                    pk[o + 6] = b6[k];
                    pk[o + 7] = b7[k];
                }
            }
            for (; x < w; x++) {
                double[] bx = x < cnt ? b[j0 + x] : null;
                for (int k = 0, o = base + x; k < kk; k++, o += w) {
                    pk[o] = bx == null ? 0 : bx[k];
                }
            }
        }
    }

    /**
     * Row blocks {@code rb0..rb1} of A packed for the kernels: for each block of {@link #KC} k, all row
     * blocks one after the other, each the block's k in order, each 4 rows (zeros past the last row):
     * {@code ap[k0 * R + rb * 4 * kn + (k - k0) * 4 + q] = A(4 * rb + q, k)}, R the rows rounded up to 4
     * and kn the k of the block. A(r, k) is {@code a[r][k]}, or {@code a[k][r]} for tn.
     */
    private static void packAD(double[][] a, boolean transposed, int rows, int kk, double[] ap, int rb0, int rb1) {
        int rr = (rows + 3) & ~3;
        for (int k0 = 0; k0 < kk; k0 += KC) {
            int kn = Math.min(KC, kk - k0);
            for (int rb = rb0; rb < rb1; rb++) {
                int o = k0 * rr + rb * 4 * kn;
                for (int q = 0; q < 4; q++) {
                    int r = 4 * rb + q;
                    if (r >= rows) {
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = 0;
                        }
                    } else if (transposed) {
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = a[k0 + k][r];
                        }
                    } else {
                        double[] ar = a[r];
                        for (int k = 0; k < kn; k++) {
                            ap[o + 4 * k + q] = ar[k0 + k];
                        }
                    }
                }
            }
        }
    }

    /**
     * Output rows {@code r0..r1} ({@code r0} a multiple of 4), every column:
     * {@code C[r][j] (+)= sum over k of A(r, k) * B(k, j)}, in blocks of {@link #KC} k so that a block
     * of a panel and of A stay in the core's cache. Each block's sums start from zero and are stored
     * (the first block of nt and nn) or added to C. The rows past the last of the last block of 4 go to
     * a scratch row.
     */
    private static void computeD(Job jb, int r0, int r1) {
        int kk = jb.kk;
        int cols = jb.cols;
        int rows = jb.outRows;
        int rr = (rows + 3) & ~3;
        double[] pk = jb.dp;
        double[] ap = jb.dap;
        double[][] c = jb.dc;
        double[] spare = jb.dspare;
        for (int j0 = 0; j0 < cols; j0 += DW) {
            int cnt = Math.min(DW, cols - j0);
            int w = (cnt + DL - 1) / DL * DL;
            for (int k0 = 0; k0 < kk || k0 == 0; k0 += KC) {
                int kn = Math.min(KC, kk - k0);
                boolean acc = jb.op == TN || k0 > 0;
                int base = j0 * kk + k0 * w;
                for (int r = r0; r < r1; r += 4) {
                    int ao = k0 * rr + r * kn;
                    double[] c0 = c[r];
                    double[] c1 = r + 1 < rows ? c[r + 1] : spare;
                    double[] c2 = r + 2 < rows ? c[r + 2] : spare;
                    double[] c3 = r + 3 < rows ? c[r + 3] : spare;
                    if (cnt == DW) {
                        if (acc) {
                            kernel4x4DAdd(ap, ao, pk, base, kn, c0, c1, c2, c3, j0);
                        } else {
                            kernel4x4D(ap, ao, pk, base, kn, c0, c1, c2, c3, j0);
                        }
                    } else {
                        for (int s = 0; s < w; s += DL) {
                            kernel4x1D(ap, ao, pk, base + s, w, kn, c0, c1, c2, c3, j0 + s, Math.min(DL, cnt - s), acc);
                        }
                    }
                }
            }
        }
    }

    /**
     * Four output rows by a full panel ({@code 4 x DL} columns, all of them in C): sixteen accumulators over the
     * {@code kn} k of a block, A's four values for a k contiguous in {@code ap} from {@code ao}.
     */
    private static void kernel4x4D(double[] ap, int ao, double[] pk, int base, int kn,
            double[] c0, double[] c1, double[] c2, double[] c3, int j) {
        jdk.incubator.vector.DoubleVector z = jdk.incubator.vector.DoubleVector.zero(DS);
        jdk.incubator.vector.DoubleVector s00 = z, s01 = z, s02 = z, s03 = z;
        jdk.incubator.vector.DoubleVector s10 = z, s11 = z, s12 = z, s13 = z;
        jdk.incubator.vector.DoubleVector s20 = z, s21 = z, s22 = z, s23 = z;
        jdk.incubator.vector.DoubleVector s30 = z, s31 = z, s32 = z, s33 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += DW, q += 4) {
            jdk.incubator.vector.DoubleVector b0 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o);
            jdk.incubator.vector.DoubleVector b1 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + DL);
            jdk.incubator.vector.DoubleVector b2 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + 2 * DL);
            jdk.incubator.vector.DoubleVector b3 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + 3 * DL);
            jdk.incubator.vector.DoubleVector x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 1]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 2]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 3]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
        }
        s00.intoArray(c0, j);
        s01.intoArray(c0, j + DL);
        s02.intoArray(c0, j + 2 * DL);
        s03.intoArray(c0, j + 3 * DL);
        s10.intoArray(c1, j);
        s11.intoArray(c1, j + DL);
        s12.intoArray(c1, j + 2 * DL);
        s13.intoArray(c1, j + 3 * DL);
        s20.intoArray(c2, j);
        s21.intoArray(c2, j + DL);
        s22.intoArray(c2, j + 2 * DL);
        s23.intoArray(c2, j + 3 * DL);
        s30.intoArray(c3, j);
        s31.intoArray(c3, j + DL);
        s32.intoArray(c3, j + 2 * DL);
        s33.intoArray(c3, j + 3 * DL);
    }

    /**
     * Four output rows by a full panel ({@code 4 x DL} columns, all of them in C): sixteen accumulators over the
     * {@code kn} k of a block, A's four values for a k contiguous in {@code ap} from {@code ao}.
     * Adds into C. A method of its own, the loop repeated, rather than a branch of {@code kernel4x4D}:
     * with both endings in one method, C2 on JDK 17 now and then compiled it with its vector stores
     * not intrinsified ({@code VectorSupport::store}, "failed to inline (intrinsic)" in
     * {@code -XX:+PrintInlining}), every vector boxed and the run 15x slower to its end (3 of 24
     * Fashion-MNIST runs with {@code --vector}; 0 of 46 with the two methods).
     */
    private static void kernel4x4DAdd(double[] ap, int ao, double[] pk, int base, int kn,
            double[] c0, double[] c1, double[] c2, double[] c3, int j) {
        jdk.incubator.vector.DoubleVector z = jdk.incubator.vector.DoubleVector.zero(DS);
        jdk.incubator.vector.DoubleVector s00 = z, s01 = z, s02 = z, s03 = z;
        jdk.incubator.vector.DoubleVector s10 = z, s11 = z, s12 = z, s13 = z;
        jdk.incubator.vector.DoubleVector s20 = z, s21 = z, s22 = z, s23 = z;
        jdk.incubator.vector.DoubleVector s30 = z, s31 = z, s32 = z, s33 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += DW, q += 4) {
            jdk.incubator.vector.DoubleVector b0 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o);
            jdk.incubator.vector.DoubleVector b1 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + DL);
            jdk.incubator.vector.DoubleVector b2 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + 2 * DL);
            jdk.incubator.vector.DoubleVector b3 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o + 3 * DL);
            jdk.incubator.vector.DoubleVector x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 1]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 2]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 3]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
        }
        s00.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c0, j)).intoArray(c0, j);
        s01.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c0, j + DL)).intoArray(c0, j + DL);
        s02.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c0, j + 2 * DL)).intoArray(c0, j + 2 * DL);
        s03.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c0, j + 3 * DL)).intoArray(c0, j + 3 * DL);
        s10.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c1, j)).intoArray(c1, j);
        s11.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c1, j + DL)).intoArray(c1, j + DL);
        s12.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c1, j + 2 * DL)).intoArray(c1, j + 2 * DL);
        s13.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c1, j + 3 * DL)).intoArray(c1, j + 3 * DL);
        s20.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c2, j)).intoArray(c2, j);
        s21.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c2, j + DL)).intoArray(c2, j + DL);
        s22.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c2, j + 2 * DL)).intoArray(c2, j + 2 * DL);
        s23.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c2, j + 3 * DL)).intoArray(c2, j + 3 * DL);
        s30.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c3, j)).intoArray(c3, j);
        s31.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c3, j + DL)).intoArray(c3, j + DL);
        s32.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c3, j + 2 * DL)).intoArray(c3, j + 2 * DL);
        s33.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c3, j + 3 * DL)).intoArray(c3, j + 3 * DL);
    }

    /** Four output rows by one vector of columns, in a panel {@code w} wide. */
    private static void kernel4x1D(double[] ap, int ao, double[] pk, int base, int w, int kn,
            double[] c0, double[] c1, double[] c2, double[] c3, int j, int cnt, boolean acc) {
        jdk.incubator.vector.DoubleVector z = jdk.incubator.vector.DoubleVector.zero(DS);
        jdk.incubator.vector.DoubleVector s0 = z, s1 = z, s2 = z, s3 = z;
        for (int k = 0, o = base, q = ao; k < kn; k++, o += w, q += 4) {
            jdk.incubator.vector.DoubleVector b0 = jdk.incubator.vector.DoubleVector.fromArray(DS, pk, o);
            s0 = b0.fma(jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q]), s0);
            s1 = b0.fma(jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 1]), s1);
            s2 = b0.fma(jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 2]), s2);
            s3 = b0.fma(jdk.incubator.vector.DoubleVector.broadcast(DS, ap[q + 3]), s3);
        }
        storeD(s0, c0, j, cnt, acc);
        storeD(s1, c1, j, cnt, acc);
        storeD(s2, c2, j, cnt, acc);
        storeD(s3, c3, j, cnt, acc);
    }

    /** Stores the first {@code cnt} lanes (all if {@code cnt >= DL}, none if {@code cnt <= 0}) of {@code s} at {@code c[j..]}, or adds them. */
    private static void storeD(jdk.incubator.vector.DoubleVector s, double[] c, int j, int cnt, boolean acc) {
        if (cnt >= DL) {
            // two stores, not one of a conditional vector: C2 boxes a vector that merges two paths
            if (acc) {
                s.add(jdk.incubator.vector.DoubleVector.fromArray(DS, c, j)).intoArray(c, j);
            } else {
                s.intoArray(c, j);
            }
        } else {
            for (int l = 0; l < cnt; l++) {
                c[j + l] = acc ? c[j + l] + s.lane(l) : s.lane(l);
            }
        }
    }

    /**
     * {@code y[i] = sum over k < n of w[i][k] * x[k]}, for {@code i < m}: one sample's product
     * {@code W @ x}, as the per-sample trainers (a batch of one) compute it. No packing: each row of
     * W is read once, 4 rows at a time with two accumulators each (8 independent FMA chains), then
     * each row's lanes are added up and the tail of k is added in order.
     */
    public static void matvec(float[][] w, float[] x, float[] y, int m, int n) {
        int step = FS.length();
        int bound = FS.loopBound(n);
        int pairs = n >= 2 * step ? bound - (bound % (2 * step)) : 0;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            float[] w0 = w[i];
            float[] w1 = w[i + 1];
            float[] w2 = w[i + 2];
            float[] w3 = w[i + 3];
            jdk.incubator.vector.FloatVector a0 = jdk.incubator.vector.FloatVector.zero(FS);
            jdk.incubator.vector.FloatVector a1 = a0;
            jdk.incubator.vector.FloatVector a2 = a0;
            jdk.incubator.vector.FloatVector a3 = a0;
            jdk.incubator.vector.FloatVector b0 = a0;
            jdk.incubator.vector.FloatVector b1 = a0;
            jdk.incubator.vector.FloatVector b2 = a0;
            jdk.incubator.vector.FloatVector b3 = a0;
            int k = 0;
            for (; k < pairs; k += 2 * step) {
                jdk.incubator.vector.FloatVector xa = jdk.incubator.vector.FloatVector.fromArray(FS, x, k);
                jdk.incubator.vector.FloatVector xb = jdk.incubator.vector.FloatVector.fromArray(FS, x, k + step);
                a0 = jdk.incubator.vector.FloatVector.fromArray(FS, w0, k).fma(xa, a0);
                a1 = jdk.incubator.vector.FloatVector.fromArray(FS, w1, k).fma(xa, a1);
                a2 = jdk.incubator.vector.FloatVector.fromArray(FS, w2, k).fma(xa, a2);
                a3 = jdk.incubator.vector.FloatVector.fromArray(FS, w3, k).fma(xa, a3);
                b0 = jdk.incubator.vector.FloatVector.fromArray(FS, w0, k + step).fma(xb, b0);
                b1 = jdk.incubator.vector.FloatVector.fromArray(FS, w1, k + step).fma(xb, b1);
                b2 = jdk.incubator.vector.FloatVector.fromArray(FS, w2, k + step).fma(xb, b2);
                b3 = jdk.incubator.vector.FloatVector.fromArray(FS, w3, k + step).fma(xb, b3);
            }
            for (; k < bound; k += step) {
                jdk.incubator.vector.FloatVector xa = jdk.incubator.vector.FloatVector.fromArray(FS, x, k);
                a0 = jdk.incubator.vector.FloatVector.fromArray(FS, w0, k).fma(xa, a0);
                a1 = jdk.incubator.vector.FloatVector.fromArray(FS, w1, k).fma(xa, a1);
                a2 = jdk.incubator.vector.FloatVector.fromArray(FS, w2, k).fma(xa, a2);
                a3 = jdk.incubator.vector.FloatVector.fromArray(FS, w3, k).fma(xa, a3);
            }
            float s0 = a0.add(b0).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            float s1 = a1.add(b1).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            float s2 = a2.add(b2).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            float s3 = a3.add(b3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (; k < n; k++) {
                float xk = x[k];
                s0 += w0[k] * xk;
                s1 += w1[k] * xk;
                s2 += w2[k] * xk;
                s3 += w3[k] * xk;
            }
            y[i] = s0;
            y[i + 1] = s1;
            y[i + 2] = s2;
            y[i + 3] = s3;
        }
        for (; i < m; i++) {
            float[] wi = w[i];
            jdk.incubator.vector.FloatVector a = jdk.incubator.vector.FloatVector.zero(FS);
            int k = 0;
            for (; k < bound; k += step) {
                a = jdk.incubator.vector.FloatVector.fromArray(FS, wi, k).fma(jdk.incubator.vector.FloatVector.fromArray(FS, x, k), a);
            }
            float sum = a.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (; k < n; k++) {
                sum += wi[k] * x[k];
            }
            y[i] = sum;
        }
    }

    /** {@link #matvec(float[][], float[], float[], int, int)} in double. */
    public static void matvec(double[][] w, double[] x, double[] y, int m, int n) {
        int step = DS.length();
        int bound = DS.loopBound(n);
        for (int i = 0; i < m; i++) {
            double[] wi = w[i];
            jdk.incubator.vector.DoubleVector a = jdk.incubator.vector.DoubleVector.zero(DS);
            int k = 0;
            for (; k < bound; k += step) {
                a = jdk.incubator.vector.DoubleVector.fromArray(DS, wi, k).fma(jdk.incubator.vector.DoubleVector.fromArray(DS, x, k), a);
            }
            double sum = a.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (; k < n; k++) {
                sum += wi[k] * x[k];
            }
            y[i] = sum;
        }
    }

    /** SGD: every {@code w[k] - lr * g[k]}, {@code k < n}, is finite. */
    public static boolean sgdFinite(float[] w, float[] g, float lr, int n) {
        int bound = FS.loopBound(n);
        jdk.incubator.vector.VectorMask<Float> ok = FS.maskAll(true);
        int k = 0;
        for (; k < bound; k += FS.length()) {
            jdk.incubator.vector.FloatVector next = jdk.incubator.vector.FloatVector.fromArray(FS, g, k).mul(-lr).add(jdk.incubator.vector.FloatVector.fromArray(FS, w, k));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            finite &= Float.isFinite(w[k] - lr * g[k]);
        }
        return finite;
    }

    /** SGD with momentum: every {@code w[k] - lr * (mu * m[k] + g[k])} is finite. */
    public static boolean momentumFinite(float[] w, float[] g, float[] m, float mu, float lr, int n) {
        int bound = FS.loopBound(n);
        jdk.incubator.vector.VectorMask<Float> ok = FS.maskAll(true);
        int k = 0;
        for (; k < bound; k += FS.length()) {
            jdk.incubator.vector.FloatVector mNext = jdk.incubator.vector.FloatVector.fromArray(FS, m, k).mul(mu).add(jdk.incubator.vector.FloatVector.fromArray(FS, g, k));
            jdk.incubator.vector.FloatVector next = jdk.incubator.vector.FloatVector.fromArray(FS, w, k).sub(mNext.mul(lr));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            float mNext = mu * m[k] + g[k];
            finite &= Float.isFinite(w[k] - lr * mNext);
        }
        return finite;
    }

    /**
     * Adam: every {@code w[k] - stepSize * mNext / (sqrt(vNext) / bias2Root + eps)} is finite, with
     * {@code mNext = b1 m[k] + c1 g[k]}, {@code vNext = b2 v[k] + c2 g[k]^2} ({@code c = 1 - b} as the update has them).
     */
    public static boolean adamFinite(float[] w, float[] g, float[] m, float[] v, float b1, float c1, float b2, float c2, float stepSize,
            float bias2Root, float eps, int n) {
        int bound = FS.loopBound(n);
        jdk.incubator.vector.VectorMask<Float> ok = FS.maskAll(true);
        int k = 0;
        for (; k < bound; k += FS.length()) {
            jdk.incubator.vector.FloatVector grad = jdk.incubator.vector.FloatVector.fromArray(FS, g, k);
            jdk.incubator.vector.FloatVector mNext = jdk.incubator.vector.FloatVector.fromArray(FS, m, k).mul(b1).add(grad.mul(c1));
            jdk.incubator.vector.FloatVector vNext = jdk.incubator.vector.FloatVector.fromArray(FS, v, k).mul(b2).add(grad.mul(c2).mul(grad));
            jdk.incubator.vector.FloatVector denom = vNext.lanewise(jdk.incubator.vector.VectorOperators.SQRT).div(bias2Root).add(eps);
            jdk.incubator.vector.FloatVector next = jdk.incubator.vector.FloatVector.fromArray(FS, w, k).sub(mNext.mul(stepSize).div(denom));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            float grad = g[k];
            float mNext = b1 * m[k] + c1 * grad;
            float vNext = b2 * v[k] + c2 * grad * grad;
            float denom = (float) Math.sqrt(vNext) / bias2Root + eps;
            finite &= Float.isFinite(w[k] - stepSize * mNext / denom);
        }
        return finite;
    }

    /** SGD: every {@code w[k] - lr * g[k]}, {@code k < n}, is finite. */
    public static boolean sgdFinite(double[] w, double[] g, double lr, int n) {
        int bound = DS.loopBound(n);
        jdk.incubator.vector.VectorMask<Double> ok = DS.maskAll(true);
        int k = 0;
        for (; k < bound; k += DS.length()) {
            jdk.incubator.vector.DoubleVector next = jdk.incubator.vector.DoubleVector.fromArray(DS, g, k).mul(-lr).add(jdk.incubator.vector.DoubleVector.fromArray(DS, w, k));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            finite &= Double.isFinite(w[k] - lr * g[k]);
        }
        return finite;
    }

    /** SGD with momentum: every {@code w[k] - lr * (mu * m[k] + g[k])} is finite. */
    public static boolean momentumFinite(double[] w, double[] g, double[] m, double mu, double lr, int n) {
        int bound = DS.loopBound(n);
        jdk.incubator.vector.VectorMask<Double> ok = DS.maskAll(true);
        int k = 0;
        for (; k < bound; k += DS.length()) {
            jdk.incubator.vector.DoubleVector mNext = jdk.incubator.vector.DoubleVector.fromArray(DS, m, k).mul(mu).add(jdk.incubator.vector.DoubleVector.fromArray(DS, g, k));
            jdk.incubator.vector.DoubleVector next = jdk.incubator.vector.DoubleVector.fromArray(DS, w, k).sub(mNext.mul(lr));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            double mNext = mu * m[k] + g[k];
            finite &= Double.isFinite(w[k] - lr * mNext);
        }
        return finite;
    }

    /**
     * Adam: every {@code w[k] - stepSize * mNext / (sqrt(vNext) / bias2Root + eps)} is finite, with
     * {@code mNext = b1 m[k] + c1 g[k]}, {@code vNext = b2 v[k] + c2 g[k]^2} ({@code c = 1 - b} as the update has them).
     */
    public static boolean adamFinite(double[] w, double[] g, double[] m, double[] v, double b1, double c1, double b2, double c2, double stepSize,
            double bias2Root, double eps, int n) {
        int bound = DS.loopBound(n);
        jdk.incubator.vector.VectorMask<Double> ok = DS.maskAll(true);
        int k = 0;
        for (; k < bound; k += DS.length()) {
            jdk.incubator.vector.DoubleVector grad = jdk.incubator.vector.DoubleVector.fromArray(DS, g, k);
            jdk.incubator.vector.DoubleVector mNext = jdk.incubator.vector.DoubleVector.fromArray(DS, m, k).mul(b1).add(grad.mul(c1));
            jdk.incubator.vector.DoubleVector vNext = jdk.incubator.vector.DoubleVector.fromArray(DS, v, k).mul(b2).add(grad.mul(c2).mul(grad));
            jdk.incubator.vector.DoubleVector denom = vNext.lanewise(jdk.incubator.vector.VectorOperators.SQRT).div(bias2Root).add(eps);
            jdk.incubator.vector.DoubleVector next = jdk.incubator.vector.DoubleVector.fromArray(DS, w, k).sub(mNext.mul(stepSize).div(denom));
            ok = ok.and(next.test(jdk.incubator.vector.VectorOperators.IS_FINITE));
        }
        boolean finite = ok.allTrue();
        for (; k < n; k++) {
            double grad = g[k];
            double mNext = b1 * m[k] + c1 * grad;
            double vNext = b2 * v[k] + c2 * grad * grad;
            double denom = (double) Math.sqrt(vNext) / bias2Root + eps;
            finite &= Double.isFinite(w[k] - stepSize * mNext / denom);
        }
        return finite;
    }

    // ---------------------------------------------------------------- warm-up

    /**
     * One round of the f32 kernels a training step takes, on small products, for the warm-up of a
     * model too big for a copy ({@code NncWarmup.Kernels}): each call of the returned supplier runs
     * {@code nn}, {@code nt} and {@code tn} of {@code rows x k x m} and the optimizers' dry runs, and
     * returns the floating-point operations of its products. The sizes take every path a big
     * product does: k is two blocks ({@code kernel4x4F}, then {@code kernel4x4FAdd}), m a panel of
     * four vectors, a narrower one ({@code kernel4x1F}) and a tail of lanes, and the rows (a multiple
     * of 4 and 2 more) the scratch row. None of them is split over threads.
     */
    static java.util.function.DoubleSupplier warmUp(int rows) {
        int r = Math.max(1, Math.min(rows, 8)) + 2;
        int k = KC + FL;
        int m = FW + FL + 3;
        float[][] ak = new float[r][k];
        float[][] am = new float[r][m];
        float[][] b = new float[k][m];
        float[][] g = new float[k][m];
        float[] x = new float[m];
        float[] y = new float[k];
        int n = 4 * FW + 3;
        float[] w = new float[n];
        float[] d = new float[n];
        float[] s1 = new float[n];
        float[] s2 = new float[n];
        double flops = 3 * 2.0 * r * k * m;
        return () -> {
            nn(ak, b, am, r, k, m);
            nt(am, b, ak, r, m, k);
            tn(ak, am, g, r, k, m);
            matvec(b, x, y, k, m);
            sgdFinite(w, d, 0.01f, n);
            momentumFinite(w, d, s1, 0.9f, 0.01f, n);
            adamFinite(w, d, s1, s2, 0.9f, 0.1f, 0.999f, 0.001f, 0.001f, 1f, 1e-8f, n);
            return flops;
        };
    }
}
