package dev.nnc.check;

import dev.nnc.diag.Diagnostics;
import dev.nnc.syntax.Expr;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates expressions that must be constant: initial values, {@code const}s, data rows, train
 * settings. Numbers, named constants, tensor literals, arithmetic and elementwise math functions:
 * {@code uniform(-1/sqrt(784), 1/sqrt(784))} works.
 */
final class ConstFolder {

    private final Map<String, Tensor> consts;
    private final Diagnostics diagnostics;

    ConstFolder(Map<String, Tensor> consts, Diagnostics diagnostics) {
        this.consts = consts;
        this.diagnostics = diagnostics;
    }

    /** The value of {@code e}, or null after reporting why it is not a constant. */
    Tensor fold(Expr e, String what) {
        Tensor t = eval(e, what);
        if (t != null) {
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.get(i))) {
                    diagnostics.error(e.pos(), "expected a finite number for " + what + ", found "
                            + t.get(i));
                    return null;
                }
            }
        }
        return t;
    }

    /** A scalar constant, or null after reporting. */
    Double foldScalar(Expr e, String what) {
        Tensor t = fold(e, what);
        if (t == null) {
            return null;
        }
        if (!t.shape().isScalar()) {
            diagnostics.error(e.pos(), "expected a number for " + what + ", found a tensor of shape " + t.shape());
            return null;
        }
        return t.scalarValue();
    }

    private Tensor eval(Expr e, String what) {
        if (e instanceof Expr.Num n) {
            return Tensor.scalar(n.value());
        } else if (e instanceof Expr.Ref r) {
            Tensor t = consts.get(r.name());
            if (t == null) {
                diagnostics.error(r.pos(), "expected a constant for " + what + ", found '" + r.name() + "'");
            }
            return t;
        } else if (e instanceof Expr.Neg n) {
            Tensor t = eval(n.operand(), what);
            return t == null ? null : map(t, x -> -x);
        } else if (e instanceof Expr.Binary b) {
            return binary(b, what);
        } else if (e instanceof Expr.Call c) {
            return call(c, what);
        } else if (e instanceof Expr.Tensor t) {
            return literal(t, what);
        }
        diagnostics.error(e.pos(), "expected a constant for " + what + ", found " + describe(e));
        return null;
    }

    private Tensor binary(Expr.Binary b, String what) {
        DoubleBinaryOperator f = switch (b.op()) {
            case ADD -> Double::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> x / y;
            case POW -> Math::pow;
            case MATMUL -> null;
        };
        if (f == null) {
            diagnostics.error(b.pos(), "expected a constant for " + what + ", found a matrix product");
            return null;
        }
        Tensor l = eval(b.left(), what);
        Tensor r = eval(b.right(), what);
        if (l == null || r == null) {
            return null;
        }
        if (!l.shape().equals(r.shape()) && !l.shape().isScalar() && !r.shape().isScalar()) {
            diagnostics.error(b.pos(), "cannot combine constants of shapes " + l.shape() + " and " + r.shape());
            return null;
        }
        Shape shape = l.shape().isScalar() ? r.shape() : l.shape();
        double[] out = new double[(int) shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(l.get(l.size() == 1 ? 0 : i), r.get(r.size() == 1 ? 0 : i));
        }
        return new Tensor(shape, out);
    }

    private Tensor call(Expr.Call c, String what) {
        dev.nnc.ops.Fn fn = dev.nnc.ops.Fn.builtin(c.name());
        DoubleUnaryOperator f = fn == null || fn.param() != null ? null : x -> fn.value(x, Double.NaN);
        if (f == null) {
            diagnostics.error(c.pos(), "expected a constant for " + what + ", found a call of " + c.name());
            return null;
        }
        if (c.args().size() != 1 || c.args().get(0).name() != null) {
            diagnostics.error(c.pos(), c.name() + " takes 1 argument, found " + c.args().size());
            return null;
        }
        Tensor t = eval(c.args().get(0).value(), what);
        return t == null ? null : map(t, f);
    }

    private Tensor literal(Expr.Tensor lit, String what) {
        if (lit.elements().isEmpty()) {
            diagnostics.error(lit.pos(), "expected at least one element in a tensor literal, found []");
            return null;
        }
        List<Tensor> parts = new ArrayList<>();
        for (Expr element : lit.elements()) {
            Tensor t = eval(element, what);
            if (t == null) {
                return null;
            }
            if (!parts.isEmpty() && !t.shape().equals(parts.get(0).shape())) {
                diagnostics.error(element.pos(), "expected every element of the literal to have shape "
                        + parts.get(0).shape() + " like the first, found " + t.shape());
                return null;
            }
            parts.add(t);
        }
        List<Integer> dims = new ArrayList<>();
        dims.add(parts.size());
        dims.addAll(parts.get(0).shape().dims());
        int each = parts.get(0).size();
        double[] out = new double[parts.size() * each];
        for (int i = 0; i < parts.size(); i++) {
            for (int j = 0; j < each; j++) {
                out[i * each + j] = parts.get(i).get(j);
            }
        }
        return new Tensor(new Shape(dims), out);
    }

    private static Tensor map(Tensor t, DoubleUnaryOperator f) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(t.get(i));
        }
        return new Tensor(t.shape(), out);
    }

    static String describe(Expr e) {
        if (e instanceof Expr.Str s) {
            return "the string \"" + s.value() + "\"";
        } else if (e instanceof Expr.Ref r) {
            return "'" + r.name() + "'";
        } else if (e instanceof Expr.Call c) {
            return "a call of " + c.name();
        } else if (e instanceof Expr.Transpose) {
            return "a transpose";
        } else if (e instanceof Expr.Index) {
            return "an index";
        } else if (e instanceof Expr.Num n) {
            return "the number " + n.text();
        } else if (e instanceof Expr.Tensor) {
            return "a tensor literal";
        }
        return "an expression";
    }
}
