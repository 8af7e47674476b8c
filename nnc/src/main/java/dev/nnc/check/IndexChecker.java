package dev.nnc.check;

import dev.nnc.syntax.Expr;
import dev.nnc.tensor.Index;
import dev.nnc.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes and slices to {@link TExpr.Slice}: each subscript a constant whole number or a range of
 * them, counted from the end when negative (as Python's), within the dimension it indexes.
 *
 * <pre>
 *   out[0]   on [1]     -&gt;   [0] of [1], a scalar
 *   x[-3:]   on [8]     -&gt;   [5:] of [8], shape [3]
 *   W[:, 0]  on [3, 4]  -&gt;   [:, 0] of [3, 4], shape [3]
 * </pre>
 *
 * A point drops its dimension and a range keeps it; dimensions without a subscript are whole
 * ({@code W[1]} is row 1). Out of range and empty ranges are errors: nothing is clamped.
 */
final class IndexChecker {

    private final ExprChecker exprs;
    private final ConstFolder folder;

    IndexChecker(ExprChecker exprs, ConstFolder folder) {
        this.exprs = exprs;
        this.folder = folder;
    }

    /** {@code x[subscripts]} of the checked operand, or null after reporting. */
    TExpr check(Expr.Index x, TExpr operand) {
        Shape s = operand.shape();
        if (s.isScalar()) {
            exprs.error(x.pos(), "cannot index a scalar []: expected a vector or a matrix");
            return null;
        }
        if (x.subscripts().size() > s.rank()) {
            exprs.error(x.subscripts().get(s.rank()).pos(), "too many subscripts for a value of shape " + s
                    + ": expected at most " + s.rank() + ", found " + x.subscripts().size());
            return null;
        }
        List<Index.Axis> axes = new ArrayList<>();
        for (int d = 0; d < s.rank(); d++) {
            Index.Axis a = d < x.subscripts().size() ? axis(x.subscripts().get(d), s, d) : Index.Axis.range(0, s.dim(d));
            if (a == null) {
                return null;
            }
            axes.add(a);
        }
        return new TExpr.Slice(operand, new Index(s, axes), x.pos());
    }

    private Index.Axis axis(Expr.Subscript sub, Shape s, int d) {
        int n = s.dim(d);
        if (!sub.isRange()) {
            Integer i = bound(sub.at(), "an index");
            if (i == null) {
                return null;
            }
            if (i < -n || i >= n) {
                exprs.error(sub.at().pos(), "index " + i + " out of range for dimension " + (d + 1) + " of shape " + s
                        + ": expected " + -n + " to " + (n - 1));
                return null;
            }
            return Index.Axis.point(i < 0 ? i + n : i);
        }
        Integer from = sub.from() == null ? Integer.valueOf(0) : bound(sub.from(), "a slice's start");
        Integer to = sub.to() == null ? Integer.valueOf(n) : bound(sub.to(), "a slice's end");
        if (from == null || to == null) {
            return null;
        }
        for (Expr e : new Expr[] {sub.from(), sub.to()}) {
            int v = e == sub.from() ? from : to;
            if (e != null && (v < -n || v > n)) {
                exprs.error(e.pos(), "slice bound " + v + " out of range for dimension " + (d + 1) + " of shape " + s
                        + ": expected " + -n + " to " + n);
                return null;
            }
        }
        int start = from < 0 ? from + n : from;
        int end = to < 0 ? to + n : to;
        if (end <= start) {
            exprs.error(sub.pos(), "empty slice " + start + ":" + end + " of dimension " + (d + 1) + " of shape " + s
                    + ": expected the start below the end");
            return null;
        }
        return Index.Axis.range(start, end);
    }

    /** A constant whole number, or null after reporting. */
    private Integer bound(Expr e, String what) {
        Double v = folder.foldScalar(e, what);
        if (v == null) {
            return null;
        }
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            exprs.error(e.pos(), "expected a whole number for " + what + ", found " + dev.nnc.tensor.Values.format(v));
            return null;
        }
        return (int) (double) v;
    }
}
