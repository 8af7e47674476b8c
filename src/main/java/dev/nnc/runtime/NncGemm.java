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
 * Each element's sum runs in the same order whatever the split over threads, so results do not
 * depend on the number of threads.
 */
final class NncGemm {

    private NncGemm() {}

    /** {@code C[b][i] = sum over k < n of A[b][k] * B[i][k]}, for {@code b < rows}, {@code i < m}. */
    static void nt(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        for (int r = 0; r < rows; r++) {
            float[] ar = a[r];
            float[] cr = c[r];
            for (int i = 0; i < m; i++) {
                float[] bi = b[i];
                float s = 0;
                for (int k = 0; k < n; k++) {
                    s += ar[k] * bi[k];
                }
                cr[i] = s;
            }
        }
    }

    /** {@code C[b][j] = sum over i < n of A[b][i] * B[i][j]}, for {@code b < rows}, {@code j < m}. */
    static void nn(float[][] a, float[][] b, float[][] c, int rows, int n, int m) {
        for (int r = 0; r < rows; r++) {
            float[] ar = a[r];
            float[] cr = c[r];
            java.util.Arrays.fill(cr, 0, m, 0f);
            for (int i = 0; i < n; i++) {
                float s = ar[i];
                float[] bi = b[i];
                for (int j = 0; j < m; j++) {
                    cr[j] += s * bi[j];
                }
            }
        }
    }

    /** {@code C[i][j] += sum over b < rows of A[b][i] * B[b][j]}, for {@code i < m}, {@code j < n}. */
    static void tn(float[][] a, float[][] b, float[][] c, int rows, int m, int n) {
        for (int i = 0; i < m; i++) {
            float[] ci = c[i];
            for (int r = 0; r < rows; r++) {
                float s = a[r][i];
                float[] br = b[r];
                for (int j = 0; j < n; j++) {
                    ci[j] += s * br[j];
                }
            }
        }
    }

    static void nt(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        for (int r = 0; r < rows; r++) {
            double[] ar = a[r];
            double[] cr = c[r];
            for (int i = 0; i < m; i++) {
                double[] bi = b[i];
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += ar[k] * bi[k];
                }
                cr[i] = s;
            }
        }
    }

    static void nn(double[][] a, double[][] b, double[][] c, int rows, int n, int m) {
        for (int r = 0; r < rows; r++) {
            double[] ar = a[r];
            double[] cr = c[r];
            java.util.Arrays.fill(cr, 0, m, 0d);
            for (int i = 0; i < n; i++) {
                double s = ar[i];
                double[] bi = b[i];
                for (int j = 0; j < m; j++) {
                    cr[j] += s * bi[j];
                }
            }
        }
    }

    static void tn(double[][] a, double[][] b, double[][] c, int rows, int m, int n) {
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int r = 0; r < rows; r++) {
                double s = a[r][i];
                double[] br = b[r];
                for (int j = 0; j < n; j++) {
                    ci[j] += s * br[j];
                }
            }
        }
    }
}
