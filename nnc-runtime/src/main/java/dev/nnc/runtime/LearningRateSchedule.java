package dev.nnc.runtime;

/**
 * How the learning rate changes from epoch to epoch (language.md section 9): the {@code schedule}
 * of a train block, or {@link TrainOptions#schedule}. The rate of an epoch is a function of the
 * base learning rate (the optimizer's {@code lr}, or what {@code --lr} or {@link TrainOptions#lr}
 * set) and the epoch's number, so a resumed run takes up exactly the rate it stopped at.
 * <pre>
 *   LearningRateSchedule s = LearningRateSchedule.warmup(2, LearningRateSchedule.cosine(4, 0));
 *   s.rates(0.1, 7)   // {0.0333, 0.0667, 0.1, 0.0854, 0.05, 0.0146, 0}: epochs 1 to 7
 * </pre>
 * The rates are torch's, to the last bit but for the last bit of a cosine: each is computed the
 * way torch.optim.lr_scheduler (1.13) computes it, stepped once per epoch, most of them from the
 * epoch before (recursively), in double:
 * <ul>
 * <li>{@code step(every, gamma)}: {@code StepLR(step_size = every, gamma)}, the rate times
 *     {@code gamma} after every {@code every} epochs;</li>
 * <li>{@code cosine(epochs, minLr)}: {@code CosineAnnealingLR(T_max = epochs, eta_min = minLr)} for
 *     {@code epochs + 1} epochs, from the base rate down to {@code minLr}; after that the rate stays
 *     at {@code minLr} (torch's would climb back up);</li>
 * <li>{@code warmup(steps, then)}: {@code SequentialLR([LinearLR(start_factor = 1 / (steps + 1),
 *     total_iters = steps), then], milestones = [steps])}: epoch {@code k <= steps} has
 *     {@code base * k / (steps + 1)}, then {@code then} starts over at the base rate with its own
 *     epoch count. {@code steps} counts epochs. Without {@code then}, the base rate after the warmup.</li>
 * </ul>
 * Immutable and thread-safe. Like {@link NncSupport}, this file is written without imports.
 */
public sealed interface LearningRateSchedule {

    /** The base learning rate in every epoch: no schedule. */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    /** The rate times {@code gamma} (above 0, at most 1) after every {@code every} epochs (at least 1). */
    static LearningRateSchedule step(int every, double gamma) {
        return new Step(every, gamma);
    }

    /** Cosine annealing from the base rate to {@code minLr} (at least 0) over {@code epochs} epochs (at least 1). */
    static LearningRateSchedule cosine(int epochs, double minLr) {
        return new Cosine(epochs, minLr);
    }

    /** A linear warmup over {@code steps} epochs (at least 1), then the base rate. */
    static LearningRateSchedule warmup(int steps) {
        return new Warmup(steps, new Constant());
    }

    /** A linear warmup over {@code steps} epochs (at least 1), then {@code then}: {@code step} or {@code cosine}. */
    static LearningRateSchedule warmup(int steps, LearningRateSchedule then) {
        return new Warmup(steps, then);
    }

    /**
     * The learning rate of epochs 1 to {@code epochs} from base rate {@code base} (positive and
     * finite): element {@code e - 1} is epoch {@code e}'s.
     */
    default double[] rates(double base, int epochs) {
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("base must be positive and finite, not " + base);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be at least 0, not " + epochs);
        }
        double[] rates = new double[epochs];
        double lr = 0;
        for (int e = 0; e < epochs; e++) {
            lr = e == 0 ? first(this, base, false) : next(this, lr, base, e);
            rates[e] = lr;
        }
        return rates;
    }

    /** The learning rate of epoch {@code epoch} (1 for the first) from base rate {@code base}. */
    default double rate(double base, int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, not " + epoch);
        }
        return rates(base, epoch)[epoch - 1];
    }

    /** The schedule as a train block spells it: {@code cosine(epochs = 10, min_lr = 0)}; {@code constant} for none. */
    @Override
    String toString();

    /**
     * The rate of the schedule's epoch 0 (its first), as torch's scheduler sets it: on construction,
     * or, as the {@code then} of a warmup, by {@code step(0)} at the milestone (a closed form).
     */
    private static double first(LearningRateSchedule s, double base, boolean milestone) {
        if (s instanceof Cosine c && milestone) {
            return c.minLr + (base - c.minLr) * (1 + 1.0) / 2; // CosineAnnealingLR's closed form at epoch 0: cos(0) = 1
        }
        if (s instanceof Warmup w) {
            return base * w.startFactor();
        }
        return base; // Constant, Step: the base rate (StepLR's closed form at 0 is base * gamma^0)
    }

    /** The rate of the schedule's epoch {@code e >= 1} from {@code lr}, epoch {@code e - 1}'s: torch's {@code get_lr}. */
    private static double next(LearningRateSchedule s, double lr, double base, int e) {
        if (s instanceof Step st) {
            return e % st.every != 0 ? lr : lr * st.gamma;
        }
        if (s instanceof Cosine c) {
            if (e >= c.epochs) {
                return c.minLr; // torch's recursion gives exactly minLr at e == epochs; after it, nnc holds
            }
            return (1 + StrictMath.cos(Math.PI * e / c.epochs)) / (1 + StrictMath.cos(Math.PI * (e - 1) / c.epochs))
                    * (lr - c.minLr) + c.minLr;
        }
        if (s instanceof Warmup w) {
            if (e < w.steps) {
                double sf = w.startFactor();
                return lr * (1. + (1. - sf) / (w.steps * sf + (e - 1) * (1. - sf)));
            }
            return e == w.steps ? first(w.then, base, true) : next(w.then, lr, base, e - w.steps);
        }
        return lr;
    }

    /** No schedule: the base rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public String toString() {
            return "constant";
        }
    }

    /**
     * torch's {@code StepLR(step_size = every, gamma)}.
     *
     * @param every epochs between two decays, at least 1
     * @param gamma the factor of each decay, above 0 and at most 1
     */
    record Step(int every, double gamma) implements LearningRateSchedule {
        /** Checks the arguments: an {@link IllegalArgumentException} names the one out of range. */
        public Step {
            if (every < 1) {
                throw new IllegalArgumentException("every must be at least 1 epoch, not " + every);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("gamma must be above 0 and at most 1, not " + gamma);
            }
        }

        @Override
        public String toString() {
            return "step(every = " + every + ", gamma = " + NncJson.number(gamma) + ")";
        }
    }

    /**
     * torch's {@code CosineAnnealingLR(T_max = epochs, eta_min = minLr)}, then {@code minLr}.
     *
     * @param epochs the epochs from the base rate down to {@code minLr}, at least 1
     * @param minLr  the rate it ends at and keeps, at least 0
     */
    record Cosine(int epochs, double minLr) implements LearningRateSchedule {
        /** Checks the arguments: an {@link IllegalArgumentException} names the one out of range. */
        public Cosine {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
            }
            if (!(minLr >= 0) || Double.isInfinite(minLr)) {
                throw new IllegalArgumentException("minLr must be at least 0 and finite, not " + minLr);
            }
        }

        @Override
        public String toString() {
            return "cosine(epochs = " + epochs + ", min_lr = " + NncJson.number(minLr) + ")";
        }
    }

    /**
     * A linear warmup of {@code steps} epochs, torch's {@code LinearLR}, then {@code then} (see the class).
     *
     * @param steps the epochs of the warmup, at least 1
     * @param then  what follows it: {@code step}, {@code cosine}, or {@code constant} for the base rate
     */
    record Warmup(int steps, LearningRateSchedule then) implements LearningRateSchedule {
        /** Checks the arguments: an {@link IllegalArgumentException} names the one out of range. */
        public Warmup {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1 epoch, not " + steps);
            }
            if (then == null) {
                throw new IllegalArgumentException("then must not be null (warmup(steps) is the base rate after the warmup)");
            }
            if (then instanceof Warmup) {
                throw new IllegalArgumentException("then must be step(...) or cosine(...), not another warmup");
            }
        }

        /** LinearLR's {@code start_factor}: the first epoch's share of the base rate. */
        double startFactor() {
            return 1.0 / (steps + 1);
        }

        @Override
        public String toString() {
            return "warmup(steps = " + steps + (then instanceof Constant ? "" : ", then = " + then) + ")";
        }
    }
}
