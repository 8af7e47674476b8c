package dev.nnc.optim;

import static dev.nnc.optim.Term.Leaf.GRAD;
import static dev.nnc.optim.Term.Leaf.LR;
import static dev.nnc.optim.Term.Leaf.PARAM;
import static dev.nnc.optim.Term.Leaf.STEP;
import static dev.nnc.optim.Term.c;
import static dev.nnc.optim.Term.oneMinus;
import static dev.nnc.optim.Term.pow;
import static dev.nnc.optim.Term.sqrt;

import dev.nnc.optim.Spec.Arg;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizers of a {@code train} block (language.md sections 8 and 9), each declared once: how it
 * is spelt ({@link #spec()}) and its step as data ({@link #update()}), with torch.optim's formulas
 * (torch 1.13, single-tensor path). The emitter prints the update; nothing else knows a formula.
 *
 * <pre>
 *   adamw(lr = 0.01)  -&gt;  new AdamW(0.01, 0.9, 0.999, 1e-8, 0.01)  -&gt;  decay = 1 - lr * 0.01; ...; p = p * decay - ...
 * </pre>
 *
 * A new optimizer is a record here, its spec in {@link #specs()} and its method in {@link Cases};
 * the compiler then lists every {@code Cases} that must answer it.
 */
public sealed interface Optimizer {

    /** Every optimizer's spelling, in the order diagnostics list them. */
    static List<Spec> specs() {
        return List.of(Sgd.SPEC, Adam.SPEC, AdamW.SPEC, RmsProp.SPEC);
    }

    /** The optimizer called {@code name}, or null. */
    static Spec spec(String name) {
        return specs().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    Spec spec();

    /** The argument values in the order of {@code spec().args()}. */
    double[] arguments();

    /** The learning rate the trainer starts from (its {@code --lr} flag replaces it). */
    double lr();

    Update update();

    <R> R match(Cases<R> cases);

    /** As a train block spells it, with the arguments that differ from their defaults: {@code sgd(lr = 0.1, momentum = 0.9)}. */
    default String text() {
        List<String> parts = new ArrayList<>();
        double[] values = arguments();
        for (int i = 0; i < values.length; i++) {
            Arg arg = spec().args().get(i);
            if (i == 0 || values[i] != arg.fallback()) {
                parts.add(arg.name() + " = " + arg.format(values[i]));
            }
        }
        return spec().name() + "(" + String.join(", ", parts) + ")";
    }

    /** One method per optimizer: where something besides the update depends on which one it is. */
    interface Cases<R> {
        R sgd(Sgd o);

        R adam(Adam o);

        R adamw(AdamW o);

        R rmsprop(RmsProp o);
    }

    /**
     * torch.optim.SGD, dampening 0: {@code d = g + wd p; buf = momentum buf + d; d = d + momentum buf}
     * (Nesterov) {@code or buf; p = p - lr d}. The buffer starts at zero, so the first step's
     * {@code buf = d} is torch's.
     */
    record Sgd(double lr, double momentum, boolean nesterov, double weightDecay) implements Optimizer {
        static final Spec SPEC = new Spec("sgd",
                List.of(Arg.above0("lr", 0.01), Arg.fraction("momentum", 0), Arg.flag("nesterov", false),
                        Arg.atLeast0("weight_decay", 0)),
                v -> new Sgd(v[0], v[1], v[2] != 0, v[3]),
                v -> v[2] != 0 && v[1] == 0
                        ? new Spec.Problem("nesterov", "expected a momentum above 0 with nesterov = true, found momentum 0")
                        : null);

        public Spec spec() {
            return SPEC;
        }

        public double[] arguments() {
            return new double[] {lr, momentum, nesterov ? 1 : 0, weightDecay};
        }

        public Update update() {
            Update.Builder u = Update.builder();
            Term d = weightDecay == 0 ? GRAD : u.let("grad", GRAD.plus(c(weightDecay).times(PARAM)));
            if (momentum == 0) {
                return u.next(PARAM.minus(LR.times(d)));
            }
            Term.State buf = u.buffer("buf", "the momentum buffer");
            u.set(buf, c(momentum).times(buf).plus(d));
            return u.next(PARAM.minus(LR.times(nesterov ? d.plus(c(momentum).times(buf)) : buf)));
        }

        public <R> R match(Cases<R> cases) {
            return cases.sgd(this);
        }
    }

    /**
     * torch.optim.Adam (no amsgrad): {@code g = g + wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
     * p = p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay) implements Optimizer {
        static final Spec SPEC = new Spec("adam",
                List.of(Arg.above0("lr", 0.001), Arg.fraction("beta1", 0.9), Arg.fraction("beta2", 0.999), Arg.above0("eps", 1e-8),
                        Arg.atLeast0("weight_decay", 0)),
                v -> new Adam(v[0], v[1], v[2], v[3], v[4]), v -> null);

        public Spec spec() {
            return SPEC;
        }

        public double[] arguments() {
            return new double[] {lr, beta1, beta2, eps, weightDecay};
        }

        public Update update() {
            return adam(beta1, beta2, eps, weightDecay, 0);
        }

        public <R> R match(Cases<R> cases) {
            return cases.adam(this);
        }

        /** Adam's step with L2 weight decay {@code l2} added to the gradient, or decoupled weight decay as AdamW's. */
        static Update adam(double beta1, double beta2, double eps, double l2, double decoupled) {
            Update.Builder u = Update.builder();
            Term.State m = u.buffer("m", "Adam's first moment");
            Term.State v = u.buffer("v", "Adam's second moment");
            Term bias1 = u.scalar("bias1", c(1).minus(pow(c(beta1), STEP)));
            Term bias2 = u.scalar("bias2", c(1).minus(pow(c(beta2), STEP)));
            Term stepSize = u.scalar("stepSize", LR.div(bias1));
            Term bias2Root = u.scalar("bias2Root", sqrt(bias2));
            Term decay = decoupled == 0 ? null : u.scalar("decay", c(1).minus(LR.times(c(decoupled))));
            Term grad = u.let("grad", l2 == 0 ? GRAD : GRAD.plus(c(l2).times(PARAM)));
            u.set(m, c(beta1).times(m).plus(oneMinus(beta1).times(grad)));
            u.set(v, c(beta2).times(v).plus(oneMinus(beta2).times(grad).times(grad)));
            Term denom = u.let("denom", sqrt(v).div(bias2Root).plus(c(eps)));
            return u.next((decay == null ? PARAM : PARAM.times(decay)).minus(stepSize.times(m).div(denom)));
        }
    }

    /** torch.optim.AdamW: {@code p = p (1 - lr wd)} first, then Adam's step with the gradient as it is. */
    record AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) implements Optimizer {
        static final Spec SPEC = new Spec("adamw",
                List.of(Arg.above0("lr", 0.001), Arg.fraction("beta1", 0.9), Arg.fraction("beta2", 0.999), Arg.above0("eps", 1e-8),
                        Arg.atLeast0("weight_decay", 0.01)),
                v -> new AdamW(v[0], v[1], v[2], v[3], v[4]), v -> null);

        public Spec spec() {
            return SPEC;
        }

        public double[] arguments() {
            return new double[] {lr, beta1, beta2, eps, weightDecay};
        }

        public Update update() {
            return Adam.adam(beta1, beta2, eps, 0, weightDecay);
        }

        public <R> R match(Cases<R> cases) {
            return cases.adamw(this);
        }
    }

    /**
     * torch.optim.RMSprop (not centered): {@code sq = alpha sq + (1 - alpha) g^2; avg = sqrt(sq) + eps;
     * buf = momentum buf + g / avg; p = p - lr buf}, or {@code p = p - lr g / avg} without momentum.
     */
    record RmsProp(double lr, double alpha, double eps, double momentum) implements Optimizer {
        static final Spec SPEC = new Spec("rmsprop",
                List.of(Arg.above0("lr", 0.01), Arg.fraction("alpha", 0.99), Arg.above0("eps", 1e-8), Arg.fraction("momentum", 0)),
                v -> new RmsProp(v[0], v[1], v[2], v[3]), v -> null);

        public Spec spec() {
            return SPEC;
        }

        public double[] arguments() {
            return new double[] {lr, alpha, eps, momentum};
        }

        public Update update() {
            Update.Builder u = Update.builder();
            Term.State sq = u.buffer("sq", "RMSprop's running mean of the squared gradient");
            u.set(sq, c(alpha).times(sq).plus(oneMinus(alpha).times(GRAD).times(GRAD)));
            Term avg = u.let("avg", sqrt(sq).plus(c(eps)));
            if (momentum == 0) {
                return u.next(PARAM.minus(LR.times(GRAD.div(avg))));
            }
            Term.State buf = u.buffer("buf", "the momentum buffer");
            u.set(buf, c(momentum).times(buf).plus(GRAD.div(avg)));
            return u.next(PARAM.minus(LR.times(buf)));
        }

        public <R> R match(Cases<R> cases) {
            return cases.rmsprop(this);
        }
    }
}
