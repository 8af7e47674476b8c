package dev.nnc.runtime;

/**
 * A model's buffers in and out as flat row-major doubles, the form the driver, weights files and
 * gradient checks use, the finiteness scan of a buffer, and the transposed copy of a weight matrix
 * that a prediction reads: what every generated class would otherwise write out per parameter.
 * Written without imports, like every runtime file.
 */
public final class NncArrays {

    private NncArrays() {}

    public static double[] flat(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    public static double[] flat(double[] a) {
        return a.clone();
    }

    public static double[] flat(float[][] a) {
        int cols = a.length == 0 ? 0 : a[0].length;
        double[] out = new double[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = a[i][j];
            }
        }
        return out;
    }

    public static double[] flat(double[][] a) {
        int cols = a.length == 0 ? 0 : a[0].length;
        double[] out = new double[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * cols, cols);
        }
        return out;
    }

    /** {@code into} from the flat {@code in}, each value rounded to float. */
    public static void unflat(double[] in, float[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (float) in[i];
        }
    }

    public static void unflat(double[] in, double[] into) {
        System.arraycopy(in, 0, into, 0, into.length);
    }

    public static void unflat(double[] in, float[][] into) {
        int cols = into.length == 0 ? 0 : into[0].length;
        for (int i = 0; i < into.length; i++) {
            for (int j = 0; j < cols; j++) {
                into[i][j] = (float) in[i * cols + j];
            }
        }
    }

    public static void unflat(double[] in, double[][] into) {
        int cols = into.length == 0 ? 0 : into[0].length;
        for (int i = 0; i < into.length; i++) {
            System.arraycopy(in, i * cols, into[i], 0, cols);
        }
    }

    /** Whether every element is finite (no NaN, no infinity); allocates nothing. */
    public static boolean finite(float[] a) {
        for (float x : a) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    public static boolean finite(double[] a) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    public static boolean finite(float[][] a) {
        for (float[] row : a) {
            if (!finite(row)) {
                return false;
            }
        }
        return true;
    }

    public static boolean finite(double[][] a) {
        for (double[] row : a) {
            if (!finite(row)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code into[j][i] = a[i][j]}: the transpose of {@code a} (rows of equal length) in {@code into},
     * which is allocated when null; returns {@code into}. Eight rows of {@code a} at a time, so the
     * writes to a row of {@code into} are adjacent.
     */
    public static float[][] transpose(float[][] a, float[][] into) {
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        float[][] t = into != null ? into : new float[cols][rows];
        int i = 0;
        for (; i + 8 <= rows; i += 8) {
            float[] a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
            float[] a4 = a[i + 4], a5 = a[i + 5], a6 = a[i + 6], a7 = a[i + 7];
            for (int j = 0; j < cols; j++) {
                float[] row = t[j];
                row[i] = a0[j];
                row[i + 1] = a1[j];
                row[i + 2] = a2[j];
                row[i + 3] = a3[j];
                row[i + 4] = a4[j];
                row[i + 5] = a5[j];
                row[i + 6] = a6[j];
                row[i + 7] = a7[j];
            }
        }
        for (; i < rows; i++) {
            float[] ai = a[i];
            for (int j = 0; j < cols; j++) {
                t[j][i] = ai[j];
            }
        }
        return t;
    }

    /** {@link #transpose(float[][], float[][])} in double. */
    public static double[][] transpose(double[][] a, double[][] into) {
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        double[][] t = into != null ? into : new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            double[] ai = a[i];
            for (int j = 0; j < cols; j++) {
                t[j][i] = ai[j];
            }
        }
        return t;
    }
}
