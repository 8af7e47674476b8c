package dev.nnc.check;

import dev.nnc.diag.Diagnostics;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.syntax.Expr;
import dev.nnc.tensor.Values;
import java.util.List;

/**
 * The {@code schedule} and {@code clip_norm} of a train block (language.md section 9), checked into
 * the runtime's {@link LearningRateSchedule}, which holds the formulas:
 *
 * <pre>
 *   schedule = warmup(steps = 2, then = cosine(epochs = 8))  -&gt;  LearningRateSchedule.warmup(2, LearningRateSchedule.cosine(8, 0))
 * </pre>
 *
 * Arguments go by position or by name, as an optimizer's. {@code every}, {@code epochs} and
 * {@code steps} count epochs and must be given; {@code gamma} defaults to 0.1 (torch's StepLR) and
 * {@code min_lr} to 0; a warmup without {@code then} keeps the base rate after it.
 */
final class ScheduleChecker {

    /** The schedules, in the order diagnostics list them. */
    static final List<String> NAMES = List.of("step", "cosine", "warmup");

    private final Diagnostics diagnostics;
    private final BlockChecker numbers;

    ScheduleChecker(Diagnostics diagnostics, BlockChecker numbers) {
        this.diagnostics = diagnostics;
        this.numbers = numbers;
    }

    /** {@code step(...)}, {@code cosine(...)} or {@code warmup(...)}, its arguments in range; null after an error. */
    LearningRateSchedule schedule(Expr v) {
        return schedule(v, null);
    }

    /** @param warmup the warmup whose {@code then} this is, or null at the top */
    private LearningRateSchedule schedule(Expr v, Expr.Call warmup) {
        Expr.Call call = v instanceof Expr.Ref r ? new Expr.Call(r.name(), List.of(), r.pos())
                : v instanceof Expr.Call c ? c : null;
        if (call == null || !NAMES.contains(call.name())) {
            List<String> allowed = warmup == null ? NAMES : NAMES.subList(0, 2);
            String found = call == null ? ConstFolder.describe(v) : "'" + call.name() + "'";
            diagnostics.error(v.pos(), "expected " + (warmup == null ? "a schedule" : "then to be a schedule") + ", "
                    + String.join("(...), ", allowed.subList(0, allowed.size() - 1)) + "(...) or " + allowed.get(allowed.size() - 1)
                    + "(...), found " + found + (call == null ? "" : Suggest.didYouMean(call.name(), allowed)));
            return null;
        }
        return switch (call.name()) {
            case "step" -> step(call);
            case "cosine" -> cosine(call);
            default -> warmup == null ? warmup(call) : nested(call);
        };
    }

    /** {@code step(every, gamma = 0.1)}: torch's StepLR. */
    private LearningRateSchedule step(Expr.Call call) {
        List<Expr> args = new Signature("step", List.of("every", "gamma"), 1).bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        Long every = epochs(args.get(0), "every");
        Double gamma = gamma(args.get(1));
        return every == null || gamma == null ? null : LearningRateSchedule.step(every.intValue(), gamma);
    }

    /** {@code cosine(epochs, min_lr = 0)}: torch's CosineAnnealingLR, then {@code min_lr}. */
    private LearningRateSchedule cosine(Expr.Call call) {
        List<Expr> args = new Signature("cosine", List.of("epochs", "min_lr"), 1).bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        Long epochs = epochs(args.get(0), "epochs");
        Double minLr = args.get(1) == null ? Double.valueOf(0)
                : numbers.number(args.get(1), "min_lr", 0, 0, true, Double.POSITIVE_INFINITY);
        return epochs == null || minLr == null ? null : LearningRateSchedule.cosine(epochs.intValue(), minLr);
    }

    /** {@code warmup(steps, then = none)}: a linear warmup over {@code steps} epochs, then {@code then}. */
    private LearningRateSchedule warmup(Expr.Call call) {
        List<Expr> args = new Signature("warmup", List.of("steps", "then"), 1).bind(call, diagnostics);
        if (args == null) {
            return null;
        }
        Long steps = epochs(args.get(0), "steps");
        LearningRateSchedule then = args.get(1) == null ? LearningRateSchedule.constant() : schedule(args.get(1), call);
        return steps == null || then == null ? null : LearningRateSchedule.warmup(steps.intValue(), then);
    }

    /** A warmup as the {@code then} of a warmup: one warmup, at the start, is what a run has. */
    private LearningRateSchedule nested(Expr.Call call) {
        diagnostics.error(call.pos(), "expected then to be step(...) or cosine(...), found warmup(...): a warmup cannot follow"
                + " a warmup (give the first one more steps)");
        return null;
    }

    /** A number of epochs, 1 to {@link BlockChecker#MAX_EPOCHS}. */
    private Long epochs(Expr e, String what) {
        return numbers.whole(e, what, 1, BlockChecker.MAX_EPOCHS);
    }

    /** {@code gamma}, above 0 and at most 1 (a schedule that only grows is a typo); 0.1 when absent, as torch's. */
    private Double gamma(Expr e) {
        if (e == null) {
            return 0.1;
        }
        Double v = numbers.number(e, "gamma", 0.1, Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY);
        if (v != null && !(v > 0 && v <= 1)) {
            diagnostics.error(e.pos(), "expected gamma above 0 and at most 1, found " + Values.format(v));
            return null;
        }
        return v;
    }
}
