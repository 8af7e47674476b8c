package dev.nnc.optim;

import java.util.List;
import java.util.function.Function;

/**
 * How an optimizer is spelt in a {@code train} block: its name and arguments, each with its default
 * and allowed values, and how the checked values become the {@link Optimizer}. Arguments are
 * numbers; a flag ({@code nesterov = true}) is 1 or 0.
 *
 * @param rule what the arguments must satisfy together (torch's own refusals), checked after each is in range
 */
public record Spec(String name, List<Arg> args, Function<double[], Optimizer> make, Function<double[], Problem> rule) {

    public Spec {
        args = List.copyOf(args);
    }

    public List<String> argNames() {
        return args.stream().map(Arg::name).toList();
    }

    /** The optimizer with {@code values} in the order of {@link #args()}, after {@link #problem} found none. */
    public Optimizer create(double[] values) {
        return make.apply(values.clone());
    }

    /** What is wrong with {@code values} together, or null. */
    public Problem problem(double[] values) {
        return rule.apply(values.clone());
    }

    /** Every argument at its default. */
    public Optimizer defaults() {
        return create(args.stream().mapToDouble(Arg::fallback).toArray());
    }

    /** A broken rule: the argument to point at, and the message ("expected ..., found ..."). */
    public record Problem(String arg, String message) {}

    /** One argument: its name, default and allowed values. */
    public record Arg(String name, double fallback, Range range) {
        public static Arg above0(String name, double fallback) {
            return new Arg(name, fallback, Range.POSITIVE);
        }

        public static Arg atLeast0(String name, double fallback) {
            return new Arg(name, fallback, Range.NON_NEGATIVE);
        }

        public static Arg fraction(String name, double fallback) {
            return new Arg(name, fallback, Range.FRACTION);
        }

        public static Arg flag(String name, boolean fallback) {
            return new Arg(name, fallback ? 1 : 0, Range.FLAG);
        }

        /** The value as the source spells it: {@code 0.9}, {@code 1.0E-8}, {@code true}. */
        public String format(double value) {
            if (range == Range.FLAG) {
                return value != 0 ? "true" : "false";
            }
            return dev.nnc.tensor.Values.format(value);
        }
    }

    /** Allowed values: {@code [low, high)}, or {@code (low, high)} when low is not allowed; a flag is true or false. */
    public enum Range {
        POSITIVE(0, false, Double.POSITIVE_INFINITY),
        NON_NEGATIVE(0, true, Double.POSITIVE_INFINITY),
        FRACTION(0, true, 1),
        FLAG(0, true, 2);

        public final double low;
        public final boolean lowAllowed;
        public final double high;

        Range(double low, boolean lowAllowed, double high) {
            this.low = low;
            this.lowAllowed = lowAllowed;
            this.high = high;
        }
    }
}
