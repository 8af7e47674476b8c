package dev.nnc.check;

import dev.nnc.check.TrainConfig.DataSource;
import dev.nnc.diag.Diagnostics;
import dev.nnc.optim.Optimizer;
import dev.nnc.optim.Spec;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.syntax.Expr;
import dev.nnc.syntax.Stmt;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code data} and {@code train} blocks (language.md sections 7, 8 and 9). */
final class BlockChecker {

    static final List<String> TRAIN_KEYS = List.of("optimizer", "epochs", "batch", "shuffle", "seed", "dtype", "data", "test",
            "schedule", "clip_norm");

    /** Above these, a number of epochs or a batch size is a typo, not a plan. */
    static final int MAX_EPOCHS = 1_000_000;
    static final int MAX_BATCH = 1 << 20;

    private final Diagnostics diagnostics;
    private final ConstFolder folder;

    BlockChecker(Diagnostics diagnostics, ConstFolder folder) {
        this.diagnostics = diagnostics;
        this.folder = folder;
    }

    /** Inline data: one row per sample for every input and target, all with the same number of rows. */
    CheckedModel.InlineData data(Stmt.Data block, List<CheckedModel.Variable> inputs, List<CheckedModel.Variable> targets) {
        List<CheckedModel.Variable> vars = new ArrayList<>(inputs);
        vars.addAll(targets);
        List<String> names = new ArrayList<>();
        List<double[][]> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int samples = -1;
        String firstName = null;
        boolean ok = true;
        for (Stmt.Setting s : block.settings()) {
            CheckedModel.Variable v = vars.stream().filter(x -> x.name().equals(s.key())).findFirst().orElse(null);
            if (v == null) {
                diagnostics.error(s.pos(), "expected an input or target name in the data block, found '" + s.key() + "'"
                        + Suggest.didYouMean(s.key(), vars.stream().map(CheckedModel.Variable::name).toList()));
                ok = false;
                continue;
            }
            if (!seen.add(s.key())) {
                diagnostics.error(s.pos(), "expected data for '" + s.key() + "' once, found it twice");
                ok = false;
                continue;
            }
            double[][] rows = rows(v, s.value());
            if (rows == null) {
                ok = false;
                continue;
            }
            if (samples < 0) {
                samples = rows.length;
                firstName = s.key();
            } else if (rows.length != samples) {
                diagnostics.error(s.value().pos(), "expected " + samples + " samples for '" + s.key()
                        + "', as for '" + firstName + "', found " + rows.length);
                ok = false;
            }
            names.add(s.key());
            columns.add(rows);
        }
        for (CheckedModel.Variable v : vars) {
            if (!seen.contains(v.name()) && ok) {
                diagnostics.error(block.pos(), "expected data for " + (inputs.contains(v) ? "input" : "target")
                        + " '" + v.name() + "' in the data block, found none");
                ok = false;
            }
        }
        return ok ? new CheckedModel.InlineData(names, columns, Math.max(samples, 0), block.pos()) : null;
    }

    private double[][] rows(CheckedModel.Variable v, Expr value) {
        if (!(value instanceof Expr.Tensor list)) {
            diagnostics.error(value.pos(), "expected a list with one element per sample for '" + v.name() + "', found "
                    + ConstFolder.describe(value));
            return null;
        }
        if (list.elements().isEmpty()) {
            diagnostics.error(value.pos(), "expected at least one sample for '" + v.name() + "', found []");
            return null;
        }
        double[][] rows = new double[list.elements().size()][];
        for (int i = 0; i < rows.length; i++) {
            Expr element = list.elements().get(i);
            Tensor t = folder.fold(element, "a sample of '" + v.name() + "'");
            if (t == null) {
                return null;
            }
            if (v.onehot()) {
                int classes = v.shape().dim(0);
                double label = t.shape().isScalar() ? t.scalarValue() : Double.NaN;
                if (!t.shape().isScalar() || label != Math.rint(label)) {
                    diagnostics.error(element.pos(), "expected an integer class label for onehot target '" + v.name()
                            + "', found " + (t.shape().isScalar() ? Values.format(label) : "a tensor of shape " + t.shape()));
                    return null;
                }
                if (label < 0 || label >= classes) {
                    diagnostics.error(element.pos(), "label " + Values.format(label) + " is out of range for onehot["
                            + classes + "]");
                    return null;
                }
                rows[i] = new double[] {label};
            } else {
                if (!t.shape().equals(v.shape())) {
                    diagnostics.error(element.pos(), "expected each sample of '" + v.name() + "' to have shape "
                            + v.shape() + ", found " + t.shape());
                    return null;
                }
                rows[i] = t.toArray();
            }
        }
        return rows;
    }

    TrainConfig train(Stmt.Train block) {
        TrainConfig c = TrainConfig.DEFAULT;
        Optimizer optimizer = c.optimizer();
        int epochs = c.epochs();
        int batch = c.batch();
        boolean shuffle = c.shuffle();
        long seed = c.seed();
        TrainConfig.DType dtype = c.dtype();
        DataSource data = null;
        DataSource test = null;
        LearningRateSchedule schedule = c.schedule();
        double clipNorm = c.clipNorm();
        Set<String> seen = new HashSet<>();
        for (Stmt.Setting s : block.settings()) {
            if (!TRAIN_KEYS.contains(s.key())) {
                diagnostics.error(s.pos(), "unknown train setting '" + s.key() + "'" + Suggest.didYouMean(s.key(), TRAIN_KEYS)
                        + " (expected one of " + String.join(", ", TRAIN_KEYS) + ")");
                continue;
            }
            if (!seen.add(s.key())) {
                diagnostics.error(s.pos(), "expected '" + s.key() + "' once in the train block, found it twice");
                continue;
            }
            Expr v = s.value();
            switch (s.key()) {
                case "optimizer" -> optimizer = orElse(optimizer(v), optimizer);
                case "epochs" -> epochs = orElse(whole(v, "epochs", 1, MAX_EPOCHS), epochs).intValue();
                case "batch" -> batch = orElse(whole(v, "batch", 1, MAX_BATCH), batch).intValue();
                case "seed" -> seed = orElse(whole(v, "seed", 0, (1L << 53)), seed);
                case "shuffle" -> shuffle = orElse(choice(v, "shuffle", List.of("true", "false")), shuffle ? "true" : "false").equals("true");
                case "dtype" -> dtype = TrainConfig.DType.valueOf(orElse(choice(v, "dtype", List.of("f32", "f64")), dtype.name().toLowerCase()).toUpperCase());
                case "data" -> data = source(v, "data");
                case "test" -> test = source(v, "test");
                case "schedule" -> schedule = orElse(new ScheduleChecker(diagnostics, this).schedule(v), schedule);
                case "clip_norm" -> clipNorm = orElse(number(v, "clip_norm", 0, 0, false, Double.POSITIVE_INFINITY), clipNorm);
                default -> throw new IllegalStateException("train key " + s.key());
            }
        }
        return new TrainConfig(optimizer, epochs, batch, shuffle, seed, dtype, data, test, schedule, clipNorm);
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** {@code adam(lr = 0.01)}: a call of an optimizer of {@link Optimizer#specs()}, its arguments in range. */
    private Optimizer optimizer(Expr v) {
        Expr.Call call = v instanceof Expr.Ref r ? new Expr.Call(r.name(), List.of(), r.pos())
                : v instanceof Expr.Call c ? c : null;
        Spec spec = call == null ? null : Optimizer.spec(call.name());
        if (spec == null) {
            List<String> names = Optimizer.specs().stream().map(Spec::name).toList();
            String found = call == null ? ConstFolder.describe(v) : "'" + call.name() + "'";
            diagnostics.error(v.pos(), "expected an optimizer, " + String.join(", ", names.subList(0, names.size() - 1))
                    + " or " + names.get(names.size() - 1) + ", found " + found
                    + (call == null ? "" : Suggest.didYouMean(call.name(), names)));
            return null;
        }
        List<Expr> args = new Signature(spec.name(), spec.argNames(), 0).bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        double[] values = new double[args.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            Spec.Arg arg = spec.args().get(i);
            Double value = arg.range() == Spec.Range.FLAG ? flag(args.get(i), arg)
                    : number(args.get(i), arg.name(), arg.fallback(), arg.range().low, arg.range().lowAllowed, arg.range().high);
            ok &= value != null;
            values[i] = value == null ? arg.fallback() : value;
        }
        Spec.Problem problem = ok ? spec.problem(values) : null;
        if (problem != null) {
            Expr at = args.get(spec.argNames().indexOf(problem.arg()));
            diagnostics.error(at != null ? at.pos() : call.pos(), problem.message());
            return null;
        }
        return ok ? spec.create(values) : null;
    }

    /** {@code true} or {@code false} as 1 or 0; the default when absent. */
    private Double flag(Expr e, Spec.Arg arg) {
        if (e == null) {
            return arg.fallback();
        }
        String choice = choice(e, arg.name(), List.of("true", "false"));
        return choice == null ? null : choice.equals("true") ? 1.0 : 0.0;
    }

    /** A number in {@code [low, high)} ({@code (low, high)} when low is not allowed); the default when absent. */
    Double number(Expr e, String what, double fallback, double low, boolean lowAllowed, double high) {
        if (e == null) {
            return fallback;
        }
        Double v = folder.foldScalar(e, what);
        if (v == null) {
            return null;
        }
        if ((lowAllowed ? v < low : v <= low) || v >= high) {
            String range = (lowAllowed ? "at least " : "above ") + Values.format(low)
                    + (Double.isInfinite(high) ? "" : " and below " + Values.format(high));
            diagnostics.error(e.pos(), "expected " + what + " " + range + ", found " + Values.format(v));
            return null;
        }
        return v;
    }

    Long whole(Expr e, String what, long low, long high) {
        Double v = folder.foldScalar(e, what);
        if (v == null) {
            return null;
        }
        if (v != Math.rint(v) || v < low || v > high) {
            diagnostics.error(e.pos(), "expected " + what + " to be a whole number from " + low + " to " + high
                    + ", found " + Values.format(v));
            return null;
        }
        return v.longValue();
    }

    private String choice(Expr e, String what, List<String> choices) {
        if (e instanceof Expr.Ref r && choices.contains(r.name())) {
            return r.name();
        }
        String found = e instanceof Expr.Ref r ? "'" + r.name() + "'" + Suggest.didYouMean(r.name(), choices)
                : ConstFolder.describe(e);
        diagnostics.error(e.pos(), "expected " + what + " to be " + String.join(" or ", choices) + ", found " + found);
        return null;
    }

    private DataSource source(Expr e, String what) {
        if (e instanceof Expr.Str s) {
            return new DataSource.Csv(s.value(), s.pos());
        }
        if (e instanceof Expr.Call c && c.name().equals("idx")) {
            List<Expr> args = Signature.of("idx", 2, "images", "labels").bind(c, diagnostics);
            if (args == null) {
                return null;
            }
            if (args.get(0) instanceof Expr.Str images && args.get(1) instanceof Expr.Str labels) {
                return new DataSource.Idx(images.value(), labels.value(), c.pos());
            }
            Expr bad = args.get(0) instanceof Expr.Str ? args.get(1) : args.get(0);
            diagnostics.error(bad.pos(), "expected a file name in quotes for idx, found " + ConstFolder.describe(bad));
            return null;
        }
        diagnostics.error(e.pos(), "expected " + what + " to be a file, \"data.csv\" or idx(\"images\", \"labels\"), found "
                + ConstFolder.describe(e));
        return null;
    }
}
