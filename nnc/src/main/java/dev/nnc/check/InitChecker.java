package dev.nnc.check;

import dev.nnc.check.CheckedModel.Init;
import dev.nnc.diag.Diagnostics;
import dev.nnc.syntax.Expr;
import dev.nnc.syntax.Stmt;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;
import java.util.List;
import java.util.Map;

/**
 * A parameter's initializer (language.md section 4): {@code = number}, {@code = literal},
 * {@code ~ normal(mean, std)}, {@code ~ uniform(low, high)}, {@code ~ xavier}, {@code ~ he}; none
 * means xavier for a matrix and zero otherwise.
 */
final class InitChecker {

    private static final Map<String, Signature> DISTRIBUTIONS = Map.of(
            "normal", Signature.of("normal", 2, "mean", "std"),
            "uniform", Signature.of("uniform", 2, "low", "high"),
            "xavier", Signature.of("xavier", 0),
            "he", Signature.of("he", 0));

    private final Diagnostics diagnostics;
    private final ConstFolder folder;

    InitChecker(Diagnostics diagnostics, ConstFolder folder) {
        this.diagnostics = diagnostics;
        this.folder = folder;
    }

    /** The initializer of {@code p}, whose declared shape is {@code shape} (null when not written). */
    Init init(Stmt.Param p, Shape shape) {
        Stmt.Init init = p.init();
        if (init == null) {
            return shape != null && shape.rank() == 2 ? new Init.Xavier() : new Init.Fill(0);
        }
        return init.random() ? distribution(p, init.value(), shape == null ? Shape.SCALAR : shape) : value(p, shape);
    }

    private Init value(Stmt.Param p, Shape shape) {
        Expr e = p.init().value();
        Tensor t = folder.fold(e, "the initial value of " + p.name());
        if (t == null) {
            return null;
        }
        if (t.shape().rank() > 2) {
            diagnostics.error(e.pos(), "expected a scalar, vector or matrix, found a value of shape " + t.shape());
            return null;
        }
        if (t.shape().isScalar()) {
            return new Init.Fill(t.scalarValue());
        }
        if (shape != null && !shape.equals(t.shape())) {
            diagnostics.error(e.pos(), "expected an initial value of shape " + shape + " for " + p.name()
                    + ", found " + t.shape());
            return null;
        }
        return new Init.Literal(t);
    }

    private Init distribution(Stmt.Param p, Expr e, Shape shape) {
        String name;
        Expr.Call call;
        if (e instanceof Expr.Ref r) {
            name = r.name();
            call = new Expr.Call(name, List.of(), r.pos());
        } else if (e instanceof Expr.Call c) {
            name = c.name();
            call = c;
        } else {
            diagnostics.error(e.pos(), "expected a distribution after '~' (normal, uniform, xavier or he), found "
                    + ConstFolder.describe(e));
            return null;
        }
        Signature sig = DISTRIBUTIONS.get(name);
        if (sig == null) {
            diagnostics.error(e.pos(), "unknown distribution '" + name + "'"
                    + Suggest.didYouMean(name, List.of("normal", "uniform", "xavier", "he"))
                    + " (expected normal, uniform, xavier or he)");
            return null;
        }
        List<Expr> args = sig.bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        switch (name) {
            case "normal": {
                Double mean = folder.foldScalar(args.get(0), "the mean of normal");
                Double std = folder.foldScalar(args.get(1), "the std of normal");
                if (mean == null || std == null) {
                    return null;
                }
                if (std < 0) {
                    diagnostics.error(args.get(1).pos(), "expected a std of at least 0, found " + Values.format(std));
                    return null;
                }
                return new Init.Normal(mean, std);
            }
            case "uniform": {
                Double low = folder.foldScalar(args.get(0), "the low end of uniform");
                Double high = folder.foldScalar(args.get(1), "the high end of uniform");
                if (low == null || high == null) {
                    return null;
                }
                if (!(low <= high)) {
                    diagnostics.error(call.pos(), "expected uniform(low, high) with low <= high, found "
                            + Values.format(low) + " and " + Values.format(high));
                    return null;
                }
                return new Init.Uniform(low, high);
            }
            default:
                if (shape.rank() != 2) {
                    diagnostics.error(e.pos(), "expected a matrix parameter for " + name
                            + " (it needs fan-in and fan-out), found " + p.name() + " of shape " + shape);
                    return null;
                }
                return name.equals("xavier") ? new Init.Xavier() : new Init.He();
        }
    }
}
