package dev.nnc.lower;

import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Values;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A loop program as text, one line per buffer list and per step, so that what the lower stage
 * decided (which values get buffers, what fuses into what, which gradients accumulate directly) can
 * be read and golden-tested without the Java it becomes.
 *
 * <pre>
 *   program tiny_relu TRAIN f32
 *     params  W1[2, 2]  b1[2]  W2[2, 1]  b2[1]
 *     ...
 *     z_h[i] = (x @ W1)[i]                           # z_h = x @ W1 + b1  ... then + b1[i]
 * </pre>
 */
public final class LoopPrinter {

    private LoopPrinter() {}

    /**
     * The whole trainer: its train block and optimizer (with the update as the data says it), its
     * per-sample variables, how each parameter starts, then the three programs.
     */
    public static String print(TrainerProgram t) {
        StringBuilder b = new StringBuilder();
        TrainConfig c = t.config();
        b.append("trainer ").append(t.model()).append(' ').append(c.dtype().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        b.append("  train   epochs ").append(c.epochs()).append(", batch ").append(c.batch()).append(", shuffle ")
                .append(c.shuffle()).append(", seed ").append(c.seed())
                .append(c.data() != null ? ", data " + c.data().text() : "").append(c.test() != null ? ", test " + c.test().text() : "")
                .append('\n');
        b.append("  optim   ").append(c.optimizer().text()).append('\n');
        for (String line : c.optimizer().update().text().split("\n")) {
            if (!line.isBlank()) {
                b.append("          ").append(line.strip()).append('\n');
            }
        }
        for (CheckedModel.Variable v : t.inputs()) {
            b.append("  input   ").append(v.name()).append(v.shape()).append('\n');
        }
        for (CheckedModel.Variable v : t.targets()) {
            b.append("  target  ").append(v.name()).append(v.shape()).append(v.onehot() ? " onehot" : "").append('\n');
        }
        if (t.data() != null) {
            b.append("  data    ").append(t.data().samples()).append(t.data().samples() == 1 ? " sample" : " samples")
                    .append(" inline\n");
        }
        for (ParamInit p : t.init()) {
            // what xavier and he resolve to; the other initializers say it themselves
            boolean derived = p.text().startsWith("~ xavier") || p.text().startsWith("~ he");
            b.append("  init    ").append(p.param().name()).append(' ').append(p.text())
                    .append(derived ? ": " + distribution(p.distribution()) : "").append('\n');
        }
        b.append('\n').append(print(t.train(), Lowering.Purpose.TRAIN));
        b.append('\n').append(print(t.infer(), Lowering.Purpose.INFER));
        b.append('\n').append(print(t.predict(), Lowering.Purpose.PREDICT));
        return b.toString();
    }

    private static String distribution(ParamInit.Distribution d) {
        if (d instanceof ParamInit.Distribution.Fill f) {
            return "every element " + Values.format(f.value());
        } else if (d instanceof ParamInit.Distribution.Values) {
            return "the values given";
        } else if (d instanceof ParamInit.Distribution.Uniform u) {
            return "uniform in [" + u.low() + ", " + u.high() + ")";
        }
        ParamInit.Distribution.Normal n = (ParamInit.Distribution.Normal) d;
        return "normal, mean " + n.mean() + ", std " + n.std();
    }

    public static String print(LoopProgram p, Lowering.Purpose purpose) {
        StringBuilder b = new StringBuilder();
        b.append("program ").append(p.model()).append(' ').append(purpose).append(' ')
                .append(p.dtype().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        vars(b, "inputs", p.inputs());
        vars(b, "targets", p.targets());
        vars(b, "params", p.params());
        vars(b, "grads", p.grads());
        vars(b, "temps", p.temps());
        for (Map.Entry<String, dev.nnc.tensor.Tensor> c : new java.util.TreeMap<>(p.constants()).entrySet()) {
            b.append("  const   ").append(c.getKey()).append(" = ").append(Values.format(c.getValue())).append('\n');
        }
        if (p.loss() != null) {
            b.append("  loss    ").append(p.loss().name()).append('\n');
        }
        if (p.output() != null) {
            b.append("  output  ").append(p.output().name()).append('\n');
        }
        b.append('\n');
        for (Step s : p.steps()) {
            b.append("  ").append(step(s)).append('\n').append("      # ").append(s.term()).append('\n');
        }
        return b.toString();
    }

    private static void vars(StringBuilder b, String what, List<Var> vars) {
        if (!vars.isEmpty()) {
            b.append("  ").append(String.format("%-8s", what))
                    .append(vars.stream().map(LoopPrinter::declared).collect(Collectors.joining("  "))).append('\n');
        }
    }

    private static String declared(Var v) {
        return v.name() + (v.role() == Var.Role.LABEL ? " (label)" : v.isScalar() ? "" : v.shape().toString());
    }

    /** One step: what it writes, with which indices, from what. */
    static String step(Step s) {
        if (s instanceof Step.Elementwise e) {
            String idx = index(e.shape());
            return e.out().name() + idx + (e.accumulate() ? " += " : " = ") + elem(e.value());
        } else if (s instanceof Step.MatMul m) {
            String product = m.a().name() + (m.aTransposed() ? "'" : "") + " @ " + m.b().name() + (m.bTransposed() ? "'" : "");
            String idx = index(m.out().shape());
            boolean plain = m.epilogue() instanceof Elem.Product;
            return m.out().name() + idx + (m.accumulate() ? " += " : " = ") + (plain ? "(" + product + ")" + idx
                    : elem(m.epilogue()) + "  where product = (" + product + ")" + idx);
        } else if (s instanceof Step.Outer o) {
            return o.out().name() + "[i, j]" + (o.accumulate() ? " += " : " = ") + "(" + elem(o.a()) + ")[i] * (" + elem(o.b()) + ")[j]";
        } else if (s instanceof Step.Sum sum) {
            return sum.out().name() + " = sum over " + sum.shape() + " of " + elem(sum.value());
        } else if (s instanceof Step.Softmax sm) {
            return sm.out().name() + " = softmax(" + sm.in().name() + ")";
        } else if (s instanceof Step.LogSumExp l) {
            return l.out().name() + " = logsumexp(" + l.in().name() + ")";
        }
        Step.Transpose t = (Step.Transpose) s;
        return t.out().name() + " = " + t.in().name() + "'";
    }

    private static String index(Shape shape) {
        return shape.rank() == 0 ? "" : shape.rank() == 1 ? "[i]" : "[i, j]";
    }

    /** An element expression: loads, literals, the product of an epilogue, and operations in prefix or infix form. */
    static String elem(Elem e) {
        if (e instanceof Elem.Load l) {
            return l.var().name();
        } else if (e instanceof Elem.Literal lit) {
            return Values.format(lit.value());
        } else if (e instanceof Elem.OneHot h) {
            return "onehot(" + h.label().name() + ")";
        } else if (e instanceof Elem.Product) {
            return "product";
        }
        Elem.Apply a = (Elem.Apply) e;
        List<String> args = a.args().stream().map(LoopPrinter::elem).toList();
        return switch (a.kind()) {
            case ADD -> "(" + args.get(0) + " + " + args.get(1) + ")";
            case SUB -> "(" + args.get(0) + " - " + args.get(1) + ")";
            case MUL -> "(" + args.get(0) + " * " + args.get(1) + ")";
            case DIV -> "(" + args.get(0) + " / " + args.get(1) + ")";
            case POW -> "(" + args.get(0) + "^" + args.get(1) + ")";
            case NEG -> "(-" + args.get(0) + ")";
            case GE -> "[" + args.get(0) + " >= " + args.get(1) + "]";
            case MAX, MIN -> a.kind().name().toLowerCase(java.util.Locale.ROOT) + "(" + String.join(", ", args) + ")";
            case FN -> a.fn().symbol() + "(" + String.join(", ", args) + ")";
            case BROADCAST -> args.get(0);
            case CONST, INPUT, TARGET, PARAM, SUM, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP ->
                    throw new IllegalStateException("not an element operation: " + a.kind());
        };
    }
}
