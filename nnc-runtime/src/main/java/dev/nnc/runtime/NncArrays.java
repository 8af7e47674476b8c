package dev.nnc.runtime;

/**
 * A model's buffers in and out as flat row-major doubles, the form the driver, weights files and
 * gradient checks use, and the finiteness scan of a buffer: what every generated class would
 * otherwise write out per parameter. Written without imports, like every runtime file.
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
}
