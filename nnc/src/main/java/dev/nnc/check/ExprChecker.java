package dev.nnc.check;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.ops.Fn;
import dev.nnc.syntax.Def;
import dev.nnc.syntax.Expr;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expressions to checked expressions: names resolved in a {@link Scope}, calls resolved to
 * operations, user defs inlined, every shape computed. Returns null for an expression with an error
 * (reported once, where it is; the expressions around it stay silent).
 */
final class ExprChecker {

    private final Diagnostics diagnostics;
    private final Map<String, Def> defs;
    private final Set<String> badDefs;
    private final ConstFolder folder;
    /** The defs being inlined, innermost first, with where each was called. */
    private final Deque<String> inlining = new ArrayDeque<>();

    ExprChecker(Diagnostics diagnostics, Map<String, Def> defs, Set<String> badDefs, ConstFolder folder) {
        this.diagnostics = diagnostics;
        this.defs = defs;
        this.badDefs = badDefs;
        this.folder = folder;
    }

    TExpr check(Expr e, Scope scope) {
        if (e instanceof Expr.Num n) {
            return new TExpr.Constant(Tensor.scalar(n.value()), n.pos());
        } else if (e instanceof Expr.Ref r) {
            return scope.resolve(r, this);
        } else if (e instanceof Expr.Neg n) {
            TExpr x = check(n.operand(), scope);
            return x == null ? null : new TExpr.Apply(Op.NEG, List.of(x), x.shape(), n.pos());
        } else if (e instanceof Expr.Transpose t) {
            return transpose(check(t.operand(), scope), t.pos());
        } else if (e instanceof Expr.Binary b) {
            return binary(b, scope);
        } else if (e instanceof Expr.Call c) {
            return call(c, scope);
        } else if (e instanceof Expr.Tensor t) {
            Tensor value = folder.fold(t, "a tensor literal");
            return value == null ? null : new TExpr.Constant(value, t.pos());
        }
        error(e.pos(), "expected a number or a tensor, found " + ConstFolder.describe(e)
                + "; strings name files in data and train blocks");
        return null;
    }

    void error(Pos pos, String message) {
        diagnostics.error(pos, inlining.isEmpty() ? message : message + " (" + inlining.peek() + ")");
    }

    /** Transposing a scalar or a vector changes nothing (a vector has no orientation here). */
    private TExpr transpose(TExpr x, Pos pos) {
        if (x == null || x.shape().rank() < 2) {
            return x;
        }
        return new TExpr.Apply(Op.TRANSPOSE, List.of(x), Shape.of(x.shape().dim(1), x.shape().dim(0)), pos);
    }

    private TExpr binary(Expr.Binary b, Scope scope) {
        TExpr l = check(b.left(), scope);
        TExpr r = check(b.right(), scope);
        if (l == null || r == null) {
            return null;
        }
        Shape a = l.shape();
        Shape c = r.shape();
        return switch (b.op()) {
            case ADD -> elementwise(Op.ADD, l, r, b.pos(), "cannot add " + a + " and " + c);
            case SUB -> elementwise(Op.SUB, l, r, b.pos(), "cannot subtract " + c + " from " + a);
            case MUL -> elementwise(Op.MUL, l, r, b.pos(), "cannot multiply " + a + " and " + c
                    + " elementwise" + (a.rank() > 0 && c.rank() > 0 ? " (for a matrix product write @)" : ""));
            case DIV -> elementwise(Op.DIV, l, r, b.pos(), "cannot divide " + a + " by " + c);
            case POW -> elementwise(Op.POW, l, r, b.pos(), "cannot raise " + a + " to the power " + c);
            case MATMUL -> matmul(l, r, b.pos());
        };
    }

    /** Same shapes, or one side a scalar (broadcast). */
    private TExpr elementwise(Op op, TExpr l, TExpr r, Pos pos, String failure) {
        Shape a = l.shape();
        Shape c = r.shape();
        if (!a.equals(c) && !a.isScalar() && !c.isScalar()) {
            error(pos, failure);
            return null;
        }
        return new TExpr.Apply(op, List.of(l, r), a.isScalar() ? c : a, pos);
    }

    /** {@code [m,n]@[n] -> [m]}, {@code [n]@[n,m] -> [m]}, {@code [m,n]@[n,k] -> [m,k]}, {@code [n]@[n] -> []}. */
    private TExpr matmul(TExpr l, TExpr r, Pos pos) {
        Shape a = l.shape();
        Shape c = r.shape();
        if (a.isScalar() || c.isScalar()) {
            error(pos, "cannot multiply " + a + " @ " + c + ": expected a vector or matrix on both sides"
                    + " (for a scalar factor write *)");
            return null;
        }
        int inner = a.dim(a.rank() - 1);
        int other = c.dim(0);
        if (inner != other) {
            error(pos, "cannot multiply " + a + " @ " + c + ": expected the inner sizes to agree, found "
                    + inner + " and " + other);
            return null;
        }
        List<Integer> dims = new ArrayList<>(a.dims().subList(0, a.rank() - 1));
        dims.addAll(c.dims().subList(1, c.rank()));
        return new TExpr.Apply(Op.MATMUL, List.of(l, r), new Shape(dims), pos);
    }

    private TExpr call(Expr.Call c, Scope scope) {
        Builtins.Builtin builtin = Builtins.ALL.get(c.name());
        if (builtin != null) {
            List<Expr> args = builtin.signature().bind(c, diagnostics);
            if (args == null) {
                return null;
            }
            List<TExpr> checked = checkAll(args, scope);
            return checked == null ? null : applyBuiltin(builtin, checked, c.pos(), args);
        }
        Def def = defs.get(c.name());
        if (def != null) {
            List<Expr> args = signature(def).bind(c, diagnostics);
            if (args == null) {
                return null;
            }
            List<TExpr> checked = checkAll(args, scope);
            return checked == null ? null : inline(def, checked, c.pos());
        }
        if (c.name().equals("dense")) {
            error(c.pos(), "expected dense(...) as the whole right-hand side of a binding, 'h = dense(...)',"
                    + " so that its parameters can be named h.W and h.b");
            return null;
        }
        List<String> known = new ArrayList<>(Builtins.names());
        known.addAll(defs.keySet());
        error(c.pos(), "unknown function '" + c.name() + "'" + Suggest.didYouMean(c.name(), known));
        return null;
    }

    static Signature signature(Def def) {
        return new Signature(def.name(), def.params(), def.params().size());
    }

    private List<TExpr> checkAll(List<Expr> args, Scope scope) {
        List<TExpr> out = new ArrayList<>();
        boolean ok = true;
        for (Expr a : args) {
            TExpr t = a == null ? null : check(a, scope);
            ok &= a == null || t != null; // an optional argument left out stays null
            out.add(t);
        }
        return ok ? out : null;
    }

    /** Applies a one-argument function (built-in or def) to a checked value: layer activations. */
    TExpr applyFunction(String name, TExpr x, Pos pos) {
        Builtins.Builtin builtin = Builtins.ALL.get(name);
        if (builtin != null) {
            return applyBuiltin(builtin, List.of(x), pos, null);
        }
        return inline(defs.get(name), List.of(x), pos);
    }

    /** {@code def f(z) = body} called with {@code args}: the body checked with z bound to the argument. */
    private TExpr inline(Def def, List<TExpr> args, Pos callPos) {
        if (badDefs.contains(def.name())) {
            return null;
        }
        Scope inner = Scope.forDef(def, args);
        inlining.push("in " + def.name() + "(...) called at " + callPos);
        try {
            return check(def.body(), inner);
        } finally {
            inlining.pop();
        }
    }

    /** {@code f(x)}, or {@code f(x, a)} with a scalar {@code a} (its default where the call left it out). */
    private TExpr function(Fn f, List<TExpr> args, Pos pos, List<Expr> written) {
        TExpr x = args.get(0);
        if (f.param() == null) {
            return new TExpr.Call(f, List.of(x), x.shape(), pos);
        }
        TExpr a = args.size() > 1 ? args.get(1) : null;
        if (a == null) {
            a = new TExpr.Constant(Tensor.scalar(f.paramDefault()), pos);
        } else if (!a.shape().isScalar()) {
            error(written == null ? pos : written.get(1).pos(),
                    "expected a scalar " + f.param() + " for " + f.symbol() + ", found " + a.shape());
            return null;
        }
        return new TExpr.Call(f, List.of(x, a), x.shape(), pos);
    }

    private TExpr applyBuiltin(Builtins.Builtin b, List<TExpr> args, Pos pos, List<Expr> written) {
        TExpr x = args.get(0);
        Shape s = x.shape();
        String name = b.name();
        // exhaustive: a new shape rule must say here what it checks
        return switch (b.rule()) {
            case FUNCTION -> function(b.fn(), args, pos, written);
            case ELEMENTWISE_2 -> elementwise(b.op(), x, args.get(1), pos,
                    name + " expects two values of one shape (or a scalar), found " + s + " and " + args.get(1).shape());
            case REDUCE -> new TExpr.Apply(b.op(), args, Shape.SCALAR, pos);
            case VECTOR_MAP -> {
                if (s.rank() != 1) {
                    error(pos, name + " expects a vector [n], found " + s);
                    yield null;
                }
                yield new TExpr.Apply(b.op(), args, s, pos);
            }
            case PAIR_TO_SCALAR -> {
                if (!s.equals(args.get(1).shape())) {
                    error(pos, name + " expects two values of one shape, found " + s + " and " + args.get(1).shape());
                    yield null;
                }
                yield new TExpr.Apply(b.op(), args, Shape.SCALAR, pos);
            }
            case LOSS -> {
                Shape y = args.get(1).shape();
                if (!s.equals(y) && !s.isScalar() && !y.isScalar()) {
                    error(pos, name + " expects a prediction and a target of one shape, found " + s + " and " + y);
                    yield null;
                }
                yield new TExpr.Apply(b.op(), args, Shape.SCALAR, pos);
            }
            case VECTOR_LOSS -> {
                Shape y = args.get(1).shape();
                if (s.rank() != 1 || !s.equals(y)) {
                    error(pos, name + " expects logits and a target that are vectors of one size, found "
                            + s + " and " + y);
                    yield null;
                }
                yield new TExpr.Apply(b.op(), args, Shape.SCALAR, pos);
            }
            case DROPOUT -> dropout(x, args.get(1), pos, written);
        };
    }

    /** {@code dropout(h, p)}: p a constant number in [0, 1), kept as the constant second argument. */
    private TExpr dropout(TExpr h, TExpr p, Pos pos, List<Expr> written) {
        Pos at = written == null ? pos : written.get(1).pos();
        Double rate = null;
        if (p instanceof TExpr.Constant c && c.shape().isScalar()) {
            rate = c.value().scalarValue();
        } else if (!p.shape().isScalar()) {
            error(at, "expected a number for dropout's p, found a value of shape " + p.shape());
            return null;
        } else if (written != null && constant(p)) {
            rate = folder.foldScalar(written.get(1), "dropout's p");
            if (rate == null) {
                return null;
            }
        } else {
            error(at, "expected a constant p for dropout (a number in [0, 1)), found a value computed from the model's variables");
            return null;
        }
        if (!(rate >= 0 && rate < 1)) {
            error(at, "expected dropout's p in [0, 1) (the probability of dropping an element), found "
                    + dev.nnc.tensor.Values.format(rate));
            return null;
        }
        return new TExpr.Apply(Op.DROPOUT, List.of(h, new TExpr.Constant(Tensor.scalar(rate), p.pos())), h.shape(), pos);
    }

    /** Whether a checked expression reads only constants (numbers, named constants, their arithmetic). */
    private static boolean constant(TExpr e) {
        if (e instanceof TExpr.Constant) {
            return true;
        } else if (e instanceof TExpr.Apply a) {
            return a.args().stream().allMatch(ExprChecker::constant);
        } else if (e instanceof TExpr.Call c) {
            return c.args().stream().allMatch(ExprChecker::constant);
        }
        return false;
    }
}
