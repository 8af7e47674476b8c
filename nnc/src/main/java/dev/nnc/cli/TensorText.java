package dev.nnc.cli;

import dev.nnc.tensor.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Values as the inspection commands show them. For people: six significant digits, so that
 * {@code 0.25919999999999993} reads {@code 0.2592}, and a matrix one row per line with its columns
 * aligned; a tensor of more than {@value #THRESHOLD} elements abbreviated as numpy prints it, the
 * first and last {@value #EDGE} entries of each long dimension around {@code ...} (unless asked for
 * in full). For {@code --json}: nested lists of the full-precision numbers, never abbreviated.
 *
 * <pre>
 *   [2, 2] tensor  -&gt;   [[0.36, 0.432],
 *                         [0.72, 0.864]]
 *   [784] tensor   -&gt;   [0, 0, 0, ..., 0.0392157, 0, 0]
 * </pre>
 */
final class TensorText {

    private static final MathContext DIGITS = new MathContext(6);
    /** numpy's {@code threshold}: larger tensors are abbreviated. */
    static final int THRESHOLD = 1000;
    /** numpy's {@code edgeitems}: what an abbreviated dimension keeps at each end. */
    static final int EDGE = 3;

    private TensorText() {}

    /** A number in at most six significant digits; plain notation unless it is very large or small. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0"; // -0 too: the sign of a zero means nothing to a reader
        }
        BigDecimal rounded = new BigDecimal(v).round(DIGITS).stripTrailingZeros();
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude >= 1e-4 && magnitude < 1e7) {
            return rounded.toPlainString();
        }
        String[] parts = String.format(Locale.ROOT, "%.5e", v).split("e"); // 6.83154e-06
        String mantissa = parts[0].contains(".") ? parts[0].replaceAll("0+$", "").replaceAll("\\.$", "") : parts[0];
        return mantissa + "e" + Integer.parseInt(parts[1]);
    }

    /**
     * A tensor for people; a matrix takes one line per row, later rows indented by {@code indent}
     * spaces (the column where the value starts) so that they stand under the first.
     */
    static String format(Tensor t, int indent) {
        return format(t, indent, false);
    }

    /** As {@link #format(Tensor, int)}; {@code full}: every element, however many. */
    static String format(Tensor t, int indent, boolean full) {
        if (t.shape().isScalar()) {
            return number(t.scalarValue());
        }
        boolean abbreviate = !full && t.size() > THRESHOLD;
        if (t.shape().rank() == 1) {
            List<String> cells = new ArrayList<>();
            for (int i : shown(t.size(), abbreviate)) {
                cells.add(i < 0 ? "..." : number(t.get(i)));
            }
            return "[" + String.join(", ", cells) + "]";
        }
        int rows = t.shape().dim(0);
        int cols = t.shape().dim(1);
        int[] shownRows = shown(rows, abbreviate);
        int[] shownCols = shown(cols, abbreviate);
        String[][] cells = new String[shownRows.length][shownCols.length];
        int[] width = new int[shownCols.length];
        for (int i = 0; i < shownRows.length; i++) {
            for (int j = 0; j < shownCols.length; j++) {
                cells[i][j] = shownRows[i] < 0 ? null : shownCols[j] < 0 ? "..." : number(t.get(shownRows[i] * cols + shownCols[j]));
                width[j] = Math.max(width[j], cells[i][j] == null ? 0 : cells[i][j].length());
            }
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shownRows.length; i++) {
            String next = ",\n" + " ".repeat(indent + 1);
            if (shownRows[i] < 0) {
                b.append(next).append("...");
                continue;
            }
            b.append(i == 0 ? "[" : next + "[");
            for (int j = 0; j < shownCols.length; j++) {
                String cell = cells[i][j];
                b.append(j == 0 ? "" : ", ").append(" ".repeat(width[j] - cell.length())).append(cell);
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    /**
     * The indexes of a dimension of {@code n} to print: all of them, or, abbreviated and longer
     * than {@code 2 * EDGE}, the first and last {@link #EDGE} around a -1 that stands for {@code ...}.
     */
    private static int[] shown(int n, boolean abbreviate) {
        if (!abbreviate || n <= 2 * EDGE) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        int[] at = new int[2 * EDGE + 1];
        for (int k = 0; k < EDGE; k++) {
            at[k] = k;
            at[EDGE + 1 + k] = n - EDGE + k;
        }
        at[EDGE] = -1;
        return at;
    }

    /** A tensor for {@link Json}: a number, a list, or a list of row lists. */
    static Object json(Tensor t) {
        if (t.shape().isScalar()) {
            return t.scalarValue();
        }
        if (t.shape().rank() == 1) {
            return row(t, 0, t.size());
        }
        int cols = t.shape().dim(1);
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < t.shape().dim(0); i++) {
            rows.add(row(t, i * cols, cols));
        }
        return rows;
    }

    private static List<Object> row(Tensor t, int from, int n) {
        List<Object> row = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            row.add(t.get(from + j));
        }
        return row;
    }

    /** {@code name = value} lines, the {@code =} signs aligned and matrices indented to match. */
    static String assignments(List<String> names, List<Tensor> values, String indent) {
        return assignments(names, values, indent, false);
    }

    /** As {@link #assignments(List, List, String)}; {@code full}: every element of every value. */
    static String assignments(List<String> names, List<Tensor> values, String indent, boolean full) {
        int width = 0;
        for (String n : names) {
            width = Math.max(width, n.length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String lhs = indent + names.get(i) + " ".repeat(width - names.get(i).length()) + " = ";
            b.append(lhs).append(format(values.get(i), lhs.length(), full)).append('\n');
        }
        return b.toString();
    }
}
