package dev.nnc.lower;

import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Values;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
     * per-sample variables, how each parameter starts, the three programs, and its steps over rows.
     */
    public static String print(TrainerProgram t) {
        StringBuilder b = new StringBuilder();
        TrainConfig c = t.config();
        b.append("trainer ").append(t.model()).append(' ').append(c.dtype().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        b.append("  train   epochs ").append(c.epochs()).append(", batch ").append(c.batch()).append(", shuffle ")
                .append(c.shuffle()).append(", seed ").append(c.seed())
                .append(c.data() != null ? ", data " + c.data().text() : "").append(c.test() != null ? ", test " + c.test().text() : "")
                .append(c.schedule() instanceof dev.nnc.runtime.LearningRateSchedule.Constant ? "" : ", schedule " + c.schedule())
                .append(c.clipNorm() > 0 ? ", clip_norm " + dev.nnc.tensor.Values.format(c.clipNorm()) : "")
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
        if (t.trainRows() != null) {
            b.append('\n').append(print(t.trainRows()));
        }
        if (t.evalRows() != null) {
            b.append('\n').append(print(t.evalRows()));
        }
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

    /**
     * A row program: its buffers, then one line per step over the chunk's {@code nb} rows; in an
     * epilogue and a per-row pass a per-sample value reads as its row ({@code z1_rows[r]}).
     *
     * <pre>
     *   rows fashion_mnist TRAIN f32 capacity 64
     *     rows    x_rows[64, 784]  y_rows[64] (labels)  z1_rows[64, 128]  ...
     *     kernel  z1_rows = x_rows @ h1_W'  (nt, n 784, m 128)
     *               then z1_rows[r][i] = (product + h1_b)
     *         # z1 = h1.W @ x + h1.b
     * </pre>
     */
    public static String print(RowProgram p) {
        StringBuilder b = new StringBuilder();
        b.append("rows ").append(p.perSample().model()).append(' ').append(p.purpose()).append(' ')
                .append(p.perSample().dtype().name().toLowerCase(java.util.Locale.ROOT)).append(" capacity ")
                .append(p.capacity()).append('\n');
        line(b, "rows", p.rows().stream().map(r -> r.name() + "[" + p.capacity()
                + (r.value().isScalar() ? "" : ", " + r.value().shape().dim(0)) + "]"
                + (r.value().role() == Var.Role.LABEL ? " (labels)" : "")).toList());
        line(b, "operand", p.operandRows().stream().map(r -> r.name() + "[" + p.capacity() + ", " + r.length() + "]").toList());
        line(b, "shared", p.shared().stream().map(LoopPrinter::declared).toList());
        b.append('\n');
        Function<Var, String> names = v -> p.isPerSample(v) ? p.rowsOf(v).name() + "[r]" : v.name();
        for (RowStep s : p.steps()) {
            if (s instanceof RowStep.Gather g) {
                b.append("  gather  ").append(g.into().stream().map(r -> r.name() + "[r]").collect(Collectors.joining(", ")))
                        .append(" from the data set, for r < nb\n");
            } else if (s instanceof RowStep.Kernel k) {
                kernel(b, k, names);
            } else if (s instanceof RowStep.PerRow pr) {
                b.append("  per row r < nb\n");
                for (Step step : pr.steps()) {
                    b.append("    ").append(step(step, names)).append('\n').append("        # ").append(step.term()).append('\n');
                }
            } else if (s instanceof RowStep.Once o) {
                b.append("  once    ").append(step(o.step())).append('\n').append("      # ").append(o.term()).append('\n');
            } else if (s instanceof RowStep.SumLoss l) {
                b.append("  loss    sum over r < nb of ").append(l.loss().name()).append("[r]\n");
            } else if (s instanceof RowStep.SharedLoss l) {
                b.append("  loss    nb * ").append(l.loss().name()).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code out = left @ right'} (nt), {@code out = left @ right} (nn), {@code out += left' @ right} (tn); its operands and epilogue. */
    private static void kernel(StringBuilder b, RowStep.Kernel k, Function<Var, String> names) {
        String product = switch (k.form()) {
            case NT -> k.out().name() + " = " + k.left().name() + " @ " + k.right().name() + "'";
            case NN -> k.out().name() + " = " + k.left().name() + " @ " + k.right().name();
            case TN -> k.out().name() + " += " + k.left().name() + "' @ " + k.right().name();
        };
        b.append("  kernel  ").append(product).append("  (").append(k.form().name().toLowerCase(java.util.Locale.ROOT))
                .append(", n ").append(k.n()).append(", m ").append(k.m())
                .append(k.kernel() == KernelChoice.GEMM ? "" : ", " + k.kernel().label()).append(")\n");
        for (RowProgram.Buffer operand : List.of(k.left(), k.right())) {
            if (operand instanceof RowProgram.OperandRows o) {
                b.append("            where ").append(o.name()).append("[r][i] = ").append(elem(o.value(), names)).append('\n');
            }
        }
        if (!(k.epilogue() instanceof Elem.Product)) {
            b.append("            then ").append(k.out().name()).append("[r][i] = ").append(elem(k.epilogue(), names)).append('\n');
        }
        b.append("      # ").append(k.term()).append('\n');
    }

    private static void line(StringBuilder b, String what, List<String> items) {
        if (!items.isEmpty()) {
            b.append("  ").append(String.format("%-8s", what)).append(String.join("  ", items)).append('\n');
        }
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
        return step(s, Var::name);
    }

    /** One step, each variable called what {@code names} says (a per-sample value of a row program: its row). */
    static String step(Step s, Function<Var, String> names) {
        if (s instanceof Step.Elementwise e) {
            String idx = index(e.shape());
            return names.apply(e.out()) + idx + (e.accumulate() ? " += " : " = ") + elem(e.value(), names);
        } else if (s instanceof Step.MatMul m) {
            String product = names.apply(m.a()) + (m.aTransposed() ? "'" : "") + " @ " + names.apply(m.b()) + (m.bTransposed() ? "'" : "");
            String idx = index(m.out().shape());
            boolean plain = m.epilogue() instanceof Elem.Product;
            return names.apply(m.out()) + idx + (m.accumulate() ? " += " : " = ") + (plain ? "(" + product + ")" + idx
                    : elem(m.epilogue(), names) + "  where product = (" + product + ")" + idx);
        } else if (s instanceof Step.Outer o) {
            return names.apply(o.out()) + "[i, j]" + (o.accumulate() ? " += " : " = ") + "(" + elem(o.a(), names) + ")[i] * ("
                    + elem(o.b(), names) + ")[j]";
        } else if (s instanceof Step.Sum sum) {
            return names.apply(sum.out()) + " = sum over " + sum.shape() + " of " + elem(sum.value(), names);
        } else if (s instanceof Step.Softmax sm) {
            return names.apply(sm.out()) + " = softmax(" + names.apply(sm.in()) + ")";
        } else if (s instanceof Step.LogSumExp l) {
            return names.apply(l.out()) + " = logsumexp(" + names.apply(l.in()) + ")";
        }
        if (s instanceof Step.Mask mask) {
            return names.apply(mask.out()) + " = dropout mask(p = " + Values.format(mask.p()) + ")";
        }
        Step.Transpose t = (Step.Transpose) s;
        return names.apply(t.out()) + " = " + names.apply(t.in()) + "'";
    }

    private static String index(Shape shape) {
        return shape.rank() == 0 ? "" : shape.rank() == 1 ? "[i]" : "[i, j]";
    }

    /** An element expression: loads, literals, the product of an epilogue, and operations in prefix or infix form. */
    static String elem(Elem e) {
        return elem(e, Var::name);
    }

    static String elem(Elem e, Function<Var, String> names) {
        if (e instanceof Elem.Load l) {
            return names.apply(l.var());
        } else if (e instanceof Elem.Literal lit) {
            return Values.format(lit.value());
        } else if (e instanceof Elem.OneHot h) {
            return "onehot(" + names.apply(h.label()) + ")";
        } else if (e instanceof Elem.Product) {
            return "product";
        } else if (e instanceof Elem.Slice sl) {
            return names.apply(sl.var()) + "[" + sl.index().subscripts() + "]";
        } else if (e instanceof Elem.Embed em) {
            return "embed(" + names.apply(em.var()) + ", [" + em.index().subscripts() + "] of " + em.index().of() + ")";
        }
        Elem.Apply a = (Elem.Apply) e;
        List<String> args = a.args().stream().map(x -> elem(x, names)).toList();
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
            case CONST, INPUT, TARGET, PARAM, MASK, SUM, MATMUL, TRANSPOSE, OUTER, SOFTMAX, LOGSUMEXP, SLICE, EMBED ->
                    throw new IllegalStateException("not an element operation: " + a.kind());
        };
    }
}
