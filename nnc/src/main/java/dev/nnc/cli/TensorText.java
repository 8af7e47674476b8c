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
 * aligned. For {@code --json}: nested lists of the full-precision numbers.
 *
 * <pre>
 *   [2, 2] tensor  -&gt;   [[0.36, 0.432],
 *                         [0.72, 0.864]]
 * </pre>
 */
final class TensorText {

    private static final MathContext DIGITS = new MathContext(6);

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
        if (t.shape().isScalar()) {
            return number(t.scalarValue());
        }
        if (t.shape().rank() == 1) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                cells.add(number(t.get(i)));
            }
            return "[" + String.join(", ", cells) + "]";
        }
        int rows = t.shape().dim(0);
        int cols = t.shape().dim(1);
        String[][] cells = new String[rows][cols];
        int[] width = new int[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                cells[i][j] = number(t.get(i * cols + j));
                width[j] = Math.max(width[j], cells[i][j].length());
            }
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "[" : ",\n" + " ".repeat(indent + 1) + "[");
            for (int j = 0; j < cols; j++) {
                String cell = cells[i][j];
                b.append(j == 0 ? "" : ", ").append(" ".repeat(width[j] - cell.length())).append(cell);
            }
            b.append(']');
        }
        return b.append(']').toString();
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
        int width = 0;
        for (String n : names) {
            width = Math.max(width, n.length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String lhs = indent + names.get(i) + " ".repeat(width - names.get(i).length()) + " = ";
            b.append(lhs).append(format(values.get(i), lhs.length())).append('\n');
        }
        return b.toString();
    }
}
