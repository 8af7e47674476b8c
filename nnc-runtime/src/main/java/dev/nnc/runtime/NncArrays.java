package dev.nnc.runtime;

/**
 * A model's buffers in and out as flat row-major doubles, the form the driver, weights files and
 * gradient checks use, the finiteness scan of a buffer, and the transposed copy of a weight matrix
 * that a prediction reads: what every generated class would otherwise write out per parameter.
 * Written without imports, like every runtime file.
 */
public final class NncArrays {

    private NncArrays() {}

    /** {@code b / 255f} for each unsigned byte {@code b}: the values of a data set's byte inputs (IDX pixels). */
    private static final float[] BYTE_F32 = new float[256];
    /** {@code b / 255.0} for each unsigned byte {@code b}. */
    private static final double[] BYTE_F64 = new double[256];

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_F32[b] = b / 255f;
            BYTE_F64[b] = b / 255.0;
        }
    }

    /**
     * Copies {@code length} values of a data set's variable from {@code from} into {@code into}: from
     * {@code values}, or, when the data set holds the variable as unsigned bytes ({@code bytes} not
     * null, see {@link NncSupport.Dataset#u8}), those bytes scaled to [0, 1] exactly as a float data set
     * holds them. What a trainer copies each sample's inputs with.
     */
    public static void row(float[] values, byte[] bytes, int from, float[] into, int length) {
        if (bytes == null) {
            System.arraycopy(values, from, into, 0, length);
        } else {
            for (int i = 0; i < length; i++) {
                into[i] = BYTE_F32[bytes[from + i] & 0xff];
            }
        }
    }

    /** As above, in f64. */
    public static void row(double[] values, byte[] bytes, int from, double[] into, int length) {
        if (bytes == null) {
            System.arraycopy(values, from, into, 0, length);
        } else {
            for (int i = 0; i < length; i++) {
                into[i] = BYTE_F64[bytes[from + i] & 0xff];
            }
        }
    }

    /** Value {@code at} of a data set's scalar variable, held as {@code values} or as unsigned {@code bytes}. */
    public static float at(float[] values, byte[] bytes, int at) {
        return bytes == null ? values[at] : BYTE_F32[bytes[at] & 0xff];
    }

    /** As above, in f64. */
    public static double at(double[] values, byte[] bytes, int at) {
        return bytes == null ? values[at] : BYTE_F64[bytes[at] & 0xff];
    }

    /** Every unsigned byte of {@code bytes} scaled to [0, 1] as floats, as {@link #row} scales them. */
    static float[] scaledBytesF32(byte[] bytes) {
        float[] out = new float[bytes.length];
        row(null, bytes, 0, out, bytes.length);
        return out;
    }

    /** As above, as doubles. */
    static double[] scaledBytesF64(byte[] bytes) {
        double[] out = new double[bytes.length];
        row(null, bytes, 0, out, bytes.length);
        return out;
    }

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

    /** A copy of {@code a} rounded to float. */
    public static float[] rounded(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
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

    /**
     * The {@code n} numbers written in {@code parts}, separated by spaces: a data block too large for
     * array literals (javac allows a method 64 KiB of code) is baked in as text, each part a string
     * constant under the class file's limit of 65,535 bytes. Float.parseFloat reads a number to the
     * float that javac makes of the same literal.
     */
    public static float[] floats(int n, String... parts) {
        float[] out = new float[n];
        read(n, parts, (word, i) -> out[i] = Float.parseFloat(word));
        return out;
    }

    public static double[] doubles(int n, String... parts) {
        double[] out = new double[n];
        read(n, parts, (word, i) -> out[i] = Double.parseDouble(word));
        return out;
    }

    public static int[] ints(int n, String... parts) {
        int[] out = new int[n];
        read(n, parts, (word, i) -> out[i] = Integer.parseInt(word));
        return out;
    }

    /** Hands each of the {@code n} space-separated words of {@code parts} to {@code put}, with its index. */
    private static void read(int n, String[] parts, java.util.function.ObjIntConsumer<String> put) {
        int k = 0;
        for (String part : parts) {
            for (String word : part.split(" ")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (k == n) {
                    throw new IllegalStateException("expected " + n + " numbers, found more");
                }
                put.accept(word, k++);
            }
        }
        if (k != n) {
            throw new IllegalStateException("expected " + n + " numbers, found " + k);
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
     * The 2-norm of all the elements, summed in double: a gradient's norm, which {@code clip_norm}
     * combines over the parameters as torch's {@code clip_grad_norm_} does. Allocates nothing.
     */
    public static double norm(float[] a) {
        return Math.sqrt(squares(a));
    }

    public static double norm(double[] a) {
        return Math.sqrt(squares(a));
    }

    public static double norm(float[][] a) {
        double sum = 0;
        for (float[] row : a) {
            sum += squares(row);
        }
        return Math.sqrt(sum);
    }

    public static double norm(double[][] a) {
        double sum = 0;
        for (double[] row : a) {
            sum += squares(row);
        }
        return Math.sqrt(sum);
    }

    private static double squares(float[] a) {
        double sum = 0;
        for (float x : a) {
            sum += (double) x * x;
        }
        return sum;
    }

    private static double squares(double[] a) {
        double sum = 0;
        for (double x : a) {
            sum += x * x;
        }
        return sum;
    }

    /** {@code a *= factor}, element by element in the array's own type (an f32 array by {@code (float) factor}). */
    public static void scale(float[] a, double factor) {
        float f = (float) factor;
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    public static void scale(double[] a, double factor) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
    }

    public static void scale(float[][] a, double factor) {
        for (float[] row : a) {
            scale(row, factor);
        }
    }

    public static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            scale(row, factor);
        }
    }

    /**
     * {@code into[j][i] = a[i][j]}: the transpose of {@code a} (rows of equal length) in {@code into},
     * which is allocated when null; returns {@code into}. What a prediction reads its weights through.
     */
    public static float[][] transpose(float[][] a, float[][] into) {
        int cols = a.length == 0 ? 0 : a[0].length;
        float[][] t = into != null ? into : new float[cols][a.length];
        transpose(a, cols, t, 0, a.length);
        return t;
    }

    /** {@link #transpose(float[][], float[][])} in double. */
    public static double[][] transpose(double[][] a, double[][] into) {
        int cols = a.length == 0 ? 0 : a[0].length;
        double[][] t = into != null ? into : new double[cols][a.length];
        transpose(a, cols, t, 0, a.length);
        return t;
    }

    /**
     * Columns {@code i0..i1} of {@code at}, the transpose of A's first {@code kk} columns:
     * {@code at[k][i] = a[i][k]}. Eight rows of A at a time: eight sequential reads and eight adjacent
     * writes per k. (NncGemm's nt splits a transposition over threads by columns.)
     */
    static void transpose(float[][] a, int kk, float[][] at, int i0, int i1) {
        int i = i0;
        for (; i + 8 <= i1; i += 8) {
            float[] a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
            float[] a4 = a[i + 4], a5 = a[i + 5], a6 = a[i + 6], a7 = a[i + 7];
            for (int k = 0; k < kk; k++) {
                float[] t = at[k];
                t[i] = a0[k];
                t[i + 1] = a1[k];
                t[i + 2] = a2[k];
                t[i + 3] = a3[k];
                t[i + 4] = a4[k];
                t[i + 5] = a5[k];
                t[i + 6] = a6[k];
                t[i + 7] = a7[k];
            }
        }
        for (; i < i1; i++) {
            float[] ai = a[i];
            for (int k = 0; k < kk; k++) {
                at[k][i] = ai[k];
            }
        }
    }

    /** {@link #transpose(float[][], int, float[][], int, int)} in double. */
    static void transpose(double[][] a, int kk, double[][] at, int i0, int i1) {
        int i = i0;
        for (; i + 8 <= i1; i += 8) {
            double[] a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
            double[] a4 = a[i + 4], a5 = a[i + 5], a6 = a[i + 6], a7 = a[i + 7];
            for (int k = 0; k < kk; k++) {
                double[] t = at[k];
                t[i] = a0[k];
                t[i + 1] = a1[k];
                t[i + 2] = a2[k];
                t[i + 3] = a3[k];
                t[i + 4] = a4[k];
                t[i + 5] = a5[k];
                t[i + 6] = a6[k];
                t[i + 7] = a7[k];
            }
        }
        for (; i < i1; i++) {
            double[] ai = a[i];
            for (int k = 0; k < kk; k++) {
                at[k][i] = ai[k];
            }
        }
    }
}
