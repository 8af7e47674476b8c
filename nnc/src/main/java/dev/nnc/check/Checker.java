package dev.nnc.check;

import dev.nnc.check.CheckedModel.Init;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Pos;
import dev.nnc.syntax.Def;
import dev.nnc.syntax.Expr;
import dev.nnc.syntax.Model;
import dev.nnc.syntax.Program;
import dev.nnc.syntax.Stmt;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check stage: one model of a parsed program to a {@link CheckedModel}.
 *
 * <pre>
 *   input x[2]; param W[3, 2]; h = dense(W @ x, 4, tanh); loss = sum(h)
 *     -&gt;  params W[3, 2], h.W[4, 3], h.b[4];  h = tanh(h.W @ (W @ x) + h.b);  loss = sum(h)
 * </pre>
 *
 * Statements are checked in order; every error is reported and checking goes on, so a file's
 * errors come out together. Returns null when anything was reported.
 */
public final class Checker {

    private final Diagnostics diagnostics;
    private final Program program;
    private final Model model;

    private final Map<String, Def> defs = new LinkedHashMap<>();
    private final Map<String, Tensor> consts = new LinkedHashMap<>();
    private final Map<String, Pos> declared = new LinkedHashMap<>();
    private final Scope scope;
    private final ConstFolder folder;
    private ExprChecker exprs;

    private final List<CheckedModel.Variable> inputs = new ArrayList<>();
    private final List<CheckedModel.Variable> targets = new ArrayList<>();
    private final List<CheckedModel.Param> params = new ArrayList<>();
    private final List<CheckedModel.Binding> bindings = new ArrayList<>();
    private TExpr loss;
    private Stmt.Loss lossStmt;
    private Stmt.Output output;
    private Stmt.Data dataStmt;
    private Stmt.Train trainStmt;

    private Checker(Program program, Model model, Diagnostics diagnostics) {
        this.program = program;
        this.model = model;
        this.diagnostics = diagnostics;
        this.scope = Scope.forModel(declared);
        this.folder = new ConstFolder(consts, diagnostics);
    }

    /** Checks {@code model} of {@code program}; null when errors were reported. */
    public static CheckedModel check(Program program, Model model, Diagnostics diagnostics) {
        return new Checker(program, model, diagnostics).run();
    }

    private CheckedModel run() {
        collectDefs();
        collectNames();
        Set<String> badDefs = new DefChecker(diagnostics, defs).check();
        exprs = new ExprChecker(diagnostics, defs, badDefs, folder);
        for (Stmt s : model.statements()) {
            statement(s);
        }
        if (lossStmt == null) {
            diagnostics.error(model.pos(), "expected 'loss = ...' in model " + model.name() + ", found none");
        }
        // a declared name that is not bound had an error of its own, reported where it is
        if (output != null && !scope.isBound(output.name()) && !declared.containsKey(output.name())) {
            diagnostics.error(output.pos(), "expected output to name a value of the model, found '"
                    + output.name() + "'" + Suggest.didYouMean(output.name(), declared.keySet()));
        }
        BlockChecker blocks = new BlockChecker(diagnostics, folder);
        CheckedModel.InlineData data = dataStmt == null ? null : blocks.data(dataStmt, inputs, targets);
        TrainConfig train = trainStmt == null ? TrainConfig.DEFAULT : blocks.train(trainStmt);
        if (diagnostics.hasErrors()) {
            return null;
        }
        return new CheckedModel(model.name(), program.source(), inputs, targets, params, bindings, loss,
                output == null ? null : output.name(), data, train);
    }

    private void collectDefs() {
        List<Def> all = new ArrayList<>(program.defs());
        for (Stmt s : model.statements()) {
            if (s instanceof Stmt.LocalDef d) {
                all.add(d.def());
            }
        }
        all.sort((a, b) -> a.pos().compareTo(b.pos()));
        for (Def d : all) {
            if (Builtins.ALL.containsKey(d.name()) || d.name().equals("dense")) {
                diagnostics.error(d.pos(), "expected a new name for def " + d.name()
                        + ", found the name of a built-in function");
            } else if (defs.containsKey(d.name())) {
                diagnostics.error(d.pos(), "def " + d.name() + " is already defined at line "
                        + defs.get(d.name()).pos().line());
            } else {
                defs.put(d.name(), d);
            }
        }
    }

    /** Every name the model declares, so that a use above its binding is told apart from a typo. */
    private void collectNames() {
        for (Stmt s : model.statements()) {
            String name = nameOf(s);
            if (name != null) {
                declared.putIfAbsent(name, s.pos());
            }
        }
    }

    private static String nameOf(Stmt s) {
        if (s instanceof Stmt.Input i) {
            return i.name();
        } else if (s instanceof Stmt.Target t) {
            return t.name();
        } else if (s instanceof Stmt.Param p) {
            return p.name();
        } else if (s instanceof Stmt.Const c) {
            return c.name();
        } else if (s instanceof Stmt.Bind b) {
            return b.name();
        }
        return null;
    }

    private void statement(Stmt s) {
        declaration(s);
        String name = nameOf(s);
        if (name != null && !scope.isBound(name)) {
            scope.poison(name);
        }
    }

    private void declaration(Stmt s) {
        if (s instanceof Stmt.Input i) {
            if (i.onehot() != null) {
                diagnostics.error(i.onehot(), "expected onehot only on a target, found it on input '" + i.name() + "'");
            }
            Shape shape = shape(i.shape());
            if (shape != null && declare(i.name(), i.pos())) {
                inputs.add(new CheckedModel.Variable(i.name(), shape, false, i.pos()));
                scope.bind(i.name(), new TExpr.Ref(i.name(), TExpr.RefKind.INPUT, shape, i.pos()));
            }
        } else if (s instanceof Stmt.Target t) {
            target(t);
        } else if (s instanceof Stmt.Param p) {
            param(p);
        } else if (s instanceof Stmt.Const c) {
            Tensor value = folder.fold(c.value(), "const " + c.name());
            if (value != null && checkRank(value.shape(), c.value().pos()) && declare(c.name(), c.pos())) {
                consts.put(c.name(), value);
                scope.bind(c.name(), new TExpr.Constant(value, c.pos()));
            }
        } else if (s instanceof Stmt.Bind b) {
            bind(b);
        } else if (s instanceof Stmt.Loss l) {
            loss(l);
        } else if (s instanceof Stmt.Output o) {
            if (output != null) {
                diagnostics.error(o.pos(), "expected one output statement, found a second (the first is at line "
                        + output.pos().line() + ")");
            } else {
                output = o;
            }
        } else if (s instanceof Stmt.Data d) {
            if (dataStmt != null) {
                diagnostics.error(d.pos(), "expected one data block, found a second (the first is at line "
                        + dataStmt.pos().line() + ")");
            } else {
                dataStmt = d;
            }
        } else if (s instanceof Stmt.Train t) {
            if (trainStmt != null) {
                diagnostics.error(t.pos(), "expected one train block, found a second (the first is at line "
                        + trainStmt.pos().line() + ")");
            } else {
                trainStmt = t;
            }
        }
    }

    /** Records a name; false (after reporting) when it is taken. */
    private boolean declare(String name, Pos pos) {
        Pos first = declared.get(name);
        if (scope.isBound(name) || (first != null && !first.equals(pos))) {
            diagnostics.error(pos, "'" + name + "' is already bound at line " + first.line()
                    + "; each name is bound once");
            return false;
        }
        return true;
    }

    private Shape shape(Stmt.ShapeSpec spec) {
        if (spec == null) {
            return Shape.SCALAR;
        }
        if (spec.dims().size() > 2) {
            diagnostics.error(spec.pos(), "expected at most 2 dimensions, found " + spec.dims().size());
            return null;
        }
        long size = 1;
        for (int d : spec.dims()) {
            if (d < 1) {
                diagnostics.error(spec.pos(), "expected sizes of at least 1, found " + (d < 0 ? "a huge one" : d));
                return null;
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) {
            diagnostics.error(spec.pos(), "expected at most " + (Integer.MAX_VALUE - 8) + " elements, found " + size);
            return null;
        }
        return new Shape(spec.dims());
    }

    private boolean checkRank(Shape shape, Pos pos) {
        if (shape.rank() > 2) {
            diagnostics.error(pos, "expected a scalar, vector or matrix, found a value of shape " + shape);
            return false;
        }
        return true;
    }

    private void target(Stmt.Target t) {
        Shape shape = shape(t.shape());
        if (shape == null) {
            return;
        }
        if (t.onehot() && shape.rank() != 1) {
            diagnostics.error(t.pos(), "expected a onehot target to be a vector [classes], found " + shape);
            return;
        }
        if (declare(t.name(), t.pos())) {
            targets.add(new CheckedModel.Variable(t.name(), shape, t.onehot(), t.pos()));
            scope.bind(t.name(), new TExpr.Ref(t.name(), TExpr.RefKind.TARGET, shape, t.pos()));
        }
    }

    private void param(Stmt.Param p) {
        Shape shape = p.shape() == null ? null : shape(p.shape());
        if (p.shape() != null && shape == null) {
            return;
        }
        Init init = new InitChecker(diagnostics, folder).init(p, shape);
        if (init == null) {
            return;
        }
        if (shape == null) {
            shape = init instanceof Init.Literal l ? l.value().shape() : Shape.SCALAR;
        }
        if (declare(p.name(), p.pos())) {
            addParam(p.name(), shape, init, p.pos());
        }
    }

    private void addParam(String name, Shape shape, Init init, Pos pos) {
        params.add(new CheckedModel.Param(name, shape, init, pos));
        scope.bind(name, new TExpr.Ref(name, TExpr.RefKind.PARAM, shape, pos));
    }

    private void bind(Stmt.Bind b) {
        boolean fresh = declare(b.name(), b.pos());
        TExpr value = b.value() instanceof Expr.Call c && c.name().equals("dense")
                ? dense(b.name(), c, fresh)
                : exprs.check(b.value(), scope);
        if (value != null && checkRank(value.shape(), b.value().pos()) && fresh) {
            bindings.add(new CheckedModel.Binding(b.name(), value, b.pos()));
            scope.bind(b.name(), new TExpr.Ref(b.name(), TExpr.RefKind.VALUE, value.shape(), b.pos()));
        }
    }

    /**
     * {@code h = dense(in, units, act)}: declares {@code h.W[units, n]} and {@code h.b[units]}, both
     * uniform(-1/sqrt(n), 1/sqrt(n)) as PyTorch's nn.Linear, and is {@code act(h.W @ in + h.b)}.
     */
    private TExpr dense(String name, Expr.Call call, boolean fresh) {
        List<Expr> args = Builtins.DENSE.bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        TExpr in = exprs.check(args.get(0), scope);
        Double units = folder.foldScalar(args.get(1), "the units of dense");
        String act = activation(args.get(2));
        if (in == null || units == null || act == null) {
            return null;
        }
        if (in.shape().rank() != 1) {
            diagnostics.error(args.get(0).pos(), "expected dense's input to be a vector [n], found " + in.shape()
                    + (in.shape().isScalar() ? "; declare it as x[1]" : ""));
            return null;
        }
        if (units != Math.rint(units) || units < 1 || units > 1 << 24) {
            diagnostics.error(args.get(1).pos(), "expected a whole number of units from 1 to " + (1 << 24)
                    + ", found " + Values.format(units));
            return null;
        }
        int n = in.shape().dim(0);
        int u = units.intValue();
        if (!fresh) {
            return null;
        }
        double bound = 1 / Math.sqrt(n);
        Init init = new Init.Uniform(-bound, bound);
        addParam(name + ".W", Shape.of(u, n), init, call.pos());
        addParam(name + ".b", Shape.of(u), init, call.pos());
        TExpr w = new TExpr.Ref(name + ".W", TExpr.RefKind.PARAM, Shape.of(u, n), call.pos());
        TExpr b = new TExpr.Ref(name + ".b", TExpr.RefKind.PARAM, Shape.of(u), call.pos());
        TExpr z = new TExpr.Apply(Op.ADD,
                List.of(new TExpr.Apply(Op.MATMUL, List.of(w, in), Shape.of(u), call.pos()), b),
                Shape.of(u), call.pos());
        return act.isEmpty() ? z : exprs.applyFunction(act, z, call.pos());
    }

    /** The activation argument of dense: "" for none, a one-argument function's name, or null after an error. */
    private String activation(Expr e) {
        if (e == null) {
            return "";
        }
        if (!(e instanceof Expr.Ref r)) {
            diagnostics.error(e.pos(), "expected the name of an activation function such as relu, found "
                    + ConstFolder.describe(e));
            return null;
        }
        Builtins.Builtin b = Builtins.ALL.get(r.name());
        Def def = defs.get(r.name());
        int arity = b != null ? b.signature().required() : def != null ? def.params().size() : -1;
        if (arity < 0) {
            List<String> known = new ArrayList<>(Builtins.ALL.keySet());
            known.addAll(defs.keySet());
            diagnostics.error(e.pos(), "unknown activation '" + r.name() + "'" + Suggest.didYouMean(r.name(), known));
            return null;
        }
        boolean keepsShape = b == null || b.rule() == Builtins.Rule.FUNCTION || b.rule() == Builtins.Rule.VECTOR_MAP;
        if (arity != 1 || !keepsShape) {
            diagnostics.error(e.pos(), "expected an activation of one argument that keeps its shape, found "
                    + r.name() + (arity != 1 ? ", which takes " + arity + (b != null ? "; wrap it in a def" : "") : ""));
            return null;
        }
        return r.name();
    }

    private void loss(Stmt.Loss l) {
        if (lossStmt != null) {
            diagnostics.error(l.pos(), "expected one loss, found a second (the first is at line "
                    + lossStmt.pos().line() + ")");
            return;
        }
        lossStmt = l;
        TExpr value = exprs.check(l.value(), scope);
        if (value != null && !value.shape().isScalar()) {
            diagnostics.error(l.value().pos(), "expected the loss to be a scalar [], found " + value.shape()
                    + "; reduce it with sum(...) or mean(...)");
            return;
        }
        loss = value;
    }
}
