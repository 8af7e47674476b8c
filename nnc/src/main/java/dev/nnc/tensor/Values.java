package dev.nnc.tensor;

/** Printing numbers and tensors the way the language writes them: {@code 0.5}, {@code [[1, 2], [3, 4]]}. */
public final class Values {

    private Values() {}

    /** Shortest form that reads back to the same double; integers without a trailing ".0". */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    public static String format(Tensor t) {
        StringBuilder b = new StringBuilder();
        Shape s = t.shape();
        if (s.rank() == 1) {
            row(b, t, 0, s.dim(0));
        } else if (s.rank() == 2) {
            b.append('[');
            for (int i = 0; i < s.dim(0); i++) {
                b.append(i == 0 ? "" : ", ");
                row(b, t, i * s.dim(1), s.dim(1));
            }
            b.append(']');
        } else {
            b.append(format(t.scalarValue()));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, Tensor t, int from, int n) {
        b.append('[');
        for (int j = 0; j < n; j++) {
            b.append(j == 0 ? "" : ", ").append(format(t.get(from + j)));
        }
        b.append(']');
    }
}
