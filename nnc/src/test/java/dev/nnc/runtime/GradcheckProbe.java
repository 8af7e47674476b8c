package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nnc gradcheck}'s comparison ({@link NncGradcheck#compare}) for the fuzz tests, and what to
 * make of a failure: at a kink ({@code relu} at 0, {@code abs} at 0, a tie of {@code max}) or where
 * the loss bends sharply, central differences are not the derivative, and a correct gradient lies
 * between the one-sided differences instead. An element whose gradient lies outside that bracket,
 * where the loss is smooth enough for the differences to agree, is a wrong gradient.
 */
public final class GradcheckProbe {

    /** How the gradients of a trainer compare with finite differences of its own loss. */
    public enum Verdict {
        /** Within {@code nnc gradcheck}'s tolerance. */
        PASSED,
        /** Outside it, but every such element lies between the one-sided differences: a kink or a sharp bend. */
        NOT_SMOOTH,
        /** Outside it, and some element agrees only with differences at coarser steps: a loss that rounds coarsely. */
        IMPRECISE,
        /** The loss is not finite at the parameters or at a step away from them. */
        NOT_FINITE,
        /** An element of the gradient that finite differences contradict. */
        WRONG
    }

    /** The verdict, and for {@link Verdict#WRONG} which elements and by how much. */
    public record Outcome(Verdict verdict, double maxRelError, String detail) {}

    private GradcheckProbe() {}

    /** A data set of f64 values ({@code null} entries for onehot targets) and labels ({@code null} for the others). */
    public static NncSupport.Dataset dataset(int samples, double[][] values, int[][] labels) {
        return new NncSupport.Dataset(samples, null, values, labels);
    }

    /** {@code nnc gradcheck} on the first samples of {@code data} at the model's current weights, then the verdict. */
    public static Outcome check(NncModel model, NncSupport.Dataset data, long seed) {
        NncGradcheck.Result r;
        try {
            r = NncGradcheck.compare(model, data, seed);
        } catch (NncDriver.Failed e) {
            return new Outcome(Verdict.NOT_FINITE, Double.NaN, e.getMessage());
        }
        if (r.passed()) {
            return new Outcome(Verdict.PASSED, r.max, "");
        }
        boolean[] coarse = {false};
        List<String> wrong = unexplained(model, r.samples, r.tolerance, coarse);
        if (wrong == null) {
            return new Outcome(Verdict.NOT_FINITE, r.max, "a loss near the parameters is not finite");
        }
        if (!wrong.isEmpty()) {
            return new Outcome(Verdict.WRONG, r.max, String.join("\n", wrong.subList(0, Math.min(8, wrong.size()))));
        }
        return new Outcome(coarse[0] ? Verdict.IMPRECISE : Verdict.NOT_SMOOTH, r.max, "");
    }

    /**
     * The elements that finite differences contradict, as lines for a message; null when a loss on the
     * way is not finite. Every element is checked (the fuzzed models are small), in three rounds:
     * <ol>
     *   <li>steps 1e-6 and 1e-8 (times {@code max(1, |w|)}): the gradient agrees when it is within
     *       {@code tolerance} of the central difference, or lies between the one-sided differences (a
     *       kink, or a bend sharp next to the step), or when the one-sided differences keep apart as
     *       the step shrinks (a kink: the loss has no derivative there);</li>
     *   <li>else steps 1e-4 to 1e-2, each with Richardson's extrapolation {@code (4 D(h/2) - D(h)) / 3}
     *       of the central differences, which cancels their h^2 error: the gradient agrees when within
     *       {@link #COARSE} of one. This answers a loss whose rounding noise is far above
     *       {@code eps |L|}, such as {@code log(1 - sigmoid(z))} for large z, flat to steps of 1e-6.</li>
     *   <li>else the gradient a step to either side ({@link #nearby}): where it agrees with the
     *       differences, the point is a kink of a part of the loss, where only conventions decide.</li>
     * </ol>
     */
    static List<String> unexplained(NncModel model, int m, double tolerance, boolean[] coarse) {
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        double[][] original = model.weights();
        double[][] w = model.weights();
        String[] names = model.paramNames();
        List<String> wrong = new ArrayList<>();
        try {
            double loss = model.gradients(order, 0, m);
            double[][] analytic = model.gradients();
            double largest = 0;
            for (double[] g : analytic) {
                for (double x : g) {
                    largest = Math.max(largest, Math.abs(x));
                }
            }
            // the same floor as NncGradcheck: a thousandth of the largest component, and the loss's rounding noise
            double floor = Math.max(1e-8 + 1e-3 * largest, 8 * 0x1p-53 * Math.max(1, Math.abs(loss)) / 1e-6 / tolerance);
            for (int p = 0; p < names.length; p++) {
                for (int i = 0; i < w[p].length; i++) {
                    double x = original[p][i];
                    double a = analytic[p][i];
                    Probe fine = fine(model, w, p, i, x, a, m, tolerance, floor);
                    w[p][i] = x;
                    if (fine == null) {
                        return null;
                    }
                    if (fine.agrees) {
                        continue;
                    }
                    Probe far = coarse(model, w, p, i, x, a, m, floor);
                    w[p][i] = x;
                    if (far == null) {
                        return null;
                    }
                    if (far.agrees) {
                        coarse[0] = true;
                        continue;
                    }
                    Probe near = nearby(model, w, p, i, x, m, order, floor);
                    w[p][i] = x;
                    if (!near.agrees) {
                        wrong.add(names[p] + "[" + i + "] = " + x + ": gradient " + a + ", " + fine.seen + "; " + far.seen
                                + "; " + near.seen);
                    }
                }
            }
        } finally {
            model.setWeights(original);
        }
        return wrong;
    }

    /** Relative agreement asked of the extrapolated differences at coarse steps. */
    static final double COARSE = 1e-3;

    /** Whether the differences agree with the gradient, and what they were. */
    private record Probe(boolean agrees, String seen) {}

    private static Probe fine(NncModel model, double[][] w, int p, int i, double x, double a, int m, double tolerance,
            double floor) {
        String seen = "";
        double[] jumps = new double[2];
        boolean between = false;
        double[] steps = {1e-6, 1e-8};
        for (int k = 0; k < steps.length; k++) {
            double h = steps[k] * Math.max(1, Math.abs(x));
            double below = meanLoss(model, w, p, i, x - h, m);
            double at = meanLoss(model, w, p, i, x, m);
            double above = meanLoss(model, w, p, i, x + h, m);
            if (!Double.isFinite(below) || !Double.isFinite(at) || !Double.isFinite(above)) {
                return null;
            }
            double forward = (above - at) / h;
            double backward = (at - below) / h;
            double central = (above - below) / (2 * h);
            double slack = tolerance * Math.max(Math.max(Math.abs(a), Math.abs(central)), floor);
            if (Math.abs(a - central) <= slack) {
                return new Probe(true, "");
            }
            jumps[k] = Math.abs(forward - backward);
            // one-sided differences err by h f''/2 next to a kink: a little of the jump is allowed for that
            double loose = slack + 1e-3 * jumps[k];
            between |= a >= Math.min(forward, backward) - loose && a <= Math.max(forward, backward) + loose;
            seen += (seen.isEmpty() ? "" : ", ") + "step " + h + ": backward " + backward + " central " + central + " forward " + forward;
        }
        // A bend makes the one-sided differences differ by h f'', a jump that shrinks with the step; a
        // kink's jump stays. Where several kinks meet (leaky_relu(A @ v) at v = 0), the gradient need
        // not lie between the one-sided differences: there is no derivative to compare with.
        boolean kink = jumps[1] >= 0.5 * jumps[0] && jumps[1] > 1e-6 * Math.max(Math.abs(a), floor);
        return new Probe(between || kink, seen);
    }

    private static Probe coarse(NncModel model, double[][] w, int p, int i, double x, double a, int m, double floor) {
        String seen = "extrapolated";
        for (double step : new double[] {1e-4, 1e-3, 1e-2}) {
            double h = step * Math.max(1, Math.abs(x));
            double d1 = (meanLoss(model, w, p, i, x + h, m) - meanLoss(model, w, p, i, x - h, m)) / (2 * h);
            double d2 = (meanLoss(model, w, p, i, x + h / 2, m) - meanLoss(model, w, p, i, x - h / 2, m)) / h;
            if (!Double.isFinite(d1) || !Double.isFinite(d2)) {
                return null;
            }
            double r = (4 * d2 - d1) / 3;
            if (Math.abs(a - r) <= COARSE * Math.max(Math.max(Math.abs(a), Math.abs(r)), floor)) {
                return new Probe(true, "");
            }
            seen += " " + r + " (step " + h + ")";
        }
        return new Probe(false, seen);
    }

    /**
     * Whether the gradient a step to either side agrees with the differences here: then the point lies on
     * a kink of some part of the loss that the whole does not show ({@code min(leaky_relu(w), w)} at
     * {@code w = 0} is {@code w} on both sides, but the conventions at the tie and at relu's kink give
     * 0.1), and the gradient only jumps there.
     */
    private static Probe nearby(NncModel model, double[][] w, int p, int i, double x, int m, int[] order, double floor) {
        double h = 1e-6 * Math.max(1, Math.abs(x));
        double central = (meanLoss(model, w, p, i, x + h, m) - meanLoss(model, w, p, i, x - h, m)) / (2 * h);
        String seen = "gradient beside it";
        boolean agrees = Double.isFinite(central);
        for (double side : new double[] {x - h, x + h}) {
            w[p][i] = side;
            model.setWeights(w);
            model.gradients(order, 0, m);
            double g = model.gradients()[p][i];
            seen += " " + g + " (at " + side + ")";
            agrees &= Math.abs(g - central) <= COARSE * Math.max(Math.max(Math.abs(g), Math.abs(central)), floor);
        }
        return new Probe(agrees, seen);
    }

    private static double meanLoss(NncModel model, double[][] w, int p, int i, double value, int m) {
        w[p][i] = value;
        model.setWeights(w);
        double sum = 0;
        for (int s = 0; s < m; s++) {
            sum += model.evaluate(s);
        }
        return sum / m;
    }
}
