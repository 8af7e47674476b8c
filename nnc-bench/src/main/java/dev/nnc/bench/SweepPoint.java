package dev.nnc.bench;

import java.util.Locale;

/**
 * One point of the shape sweep: a dense ReLU MLP of input width {@code width}, {@code depth}
 * hidden layers of width {@link #hidden()}, output width {@code width}, mean squared error, f32,
 * trained with {@code optimizer} ({@code sgd(lr = 0.01)} or {@code adam(lr = 0.001)}) in
 * mini-batches of {@code batch}.
 *
 * <pre>
 *   new SweepPoint(64, 1, 8, "sgd").model()  -&gt;  model sweep_w64_d1_b8_sgd { input x[64] ... mse(out, y) ... }
 * </pre>
 */
public record SweepPoint(int width, int depth, int batch, String optimizer) {

    /**
     * The widest square hidden layer. Above it the hidden layers keep {@link #NARROW_HIDDEN}: a
     * 50000 x 50000 matrix is 10 GB in f32, and Adam keeps three more of its size.
     */
    public static final int MAX_SQUARE = 4096;

    /** The hidden width of points wider than {@link #MAX_SQUARE}. */
    public static final int NARROW_HIDDEN = 512;

    public SweepPoint {
        if (width < 1 || depth < 1 || batch < 1) {
            throw new IllegalArgumentException("width, depth and batch must be positive, found " + width + ", " + depth + ", " + batch);
        }
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("optimizer must be sgd or adam, found " + optimizer);
        }
    }

    /** The hidden layers' width: {@code width} up to {@link #MAX_SQUARE}, else {@link #NARROW_HIDDEN}. */
    public int hidden() {
        return width <= MAX_SQUARE ? width : NARROW_HIDDEN;
    }

    /** A name for files and the model: {@code w64_d1_b8_sgd}. */
    public String name() {
        return "w" + width + "_d" + depth + "_b" + batch + "_" + optimizer;
    }

    /**
     * The parameter-steps an epoch of a whole run takes at most: {@link #dataSamples(int)} keeps
     * the steps of an epoch to {@code STEP_PARAMETERS / parameters()} (at least
     * {@link #MIN_EPOCH_STEPS}), so that the wide points' runs at small batches take seconds to
     * minutes, not hours (PyTorch's Adam at batch 1 takes about a second a step at width 4096).
     */
    public static final long STEP_PARAMETERS = 1L << 26;

    /** The fewest steps of an epoch that {@link #STEP_PARAMETERS} may leave. */
    public static final int MIN_EPOCH_STEPS = 8;

    /** The model's parameter elements: weights and biases. */
    public long parameters() {
        long h = hidden();
        return (long) width * h + h + (depth - 1) * (h * h + h) + h * width + width;
    }

    /**
     * The rows of the whole run's data set (see {@code docs/performance.md}, "Shape sweep"): those of
     * {@link #dataSamples(int, int)}, but no more than {@link #STEP_PARAMETERS} allows an epoch's
     * steps, and at least one batch.
     */
    public int dataSamples(int maxSamples) {
        long steps = Math.max(MIN_EPOCH_STEPS, STEP_PARAMETERS / parameters());
        long rows = Math.min(dataSamples(width, maxSamples), steps * batch);
        return (int) Math.max(rows, Math.min(batch, dataSamples(width, maxSamples)));
    }

    /**
     * About 2^22 input values at most, between 1,024 and {@code maxSamples} rows (at least one
     * batch of 1,024): 8,192 rows up to width 512, 1,024 rows at 4,096 and 50,000.
     */
    public static int dataSamples(int width, int maxSamples) {
        return Math.max(Math.min(1024, maxSamples), Math.min(maxSamples, (1 << 22) / width));
    }

    /** The matrix products' multiply-adds per sample, times 6 (forward, input adjoint, weight gradient). */
    public long flopsPerSample() {
        long h = hidden();
        return 6 * (width * h + (depth - 1) * h * h + h * width);
    }

    /** The {@code .nn} source of the point's model. */
    public String model() {
        StringBuilder b = new StringBuilder();
        b.append("# Shape sweep point (bench/sweep.sh): ").append(width).append(" -> ").append(depth).append(" x ")
                .append(hidden()).append(" ReLU -> ").append(width).append(", mse, batch ").append(batch).append('\n');
        b.append("model sweep_").append(name()).append(" {\n");
        b.append("    input  x[").append(width).append("]\n");
        b.append("    target y[").append(width).append("]\n\n");
        String previous = "x";
        for (int layer = 1; layer <= depth; layer++) {
            b.append("    h").append(layer).append("   = dense(").append(previous).append(", ").append(hidden()).append(", relu)\n");
            previous = "h" + layer;
        }
        b.append("    out  = dense(").append(previous).append(", ").append(width).append(")\n");
        b.append("    loss = mse(out, y)\n");
        b.append("    output out\n\n");
        String rate = optimizer.equals("sgd") ? "sgd(lr = 0.01)" : "adam(lr = 0.001)";
        b.append(String.format(Locale.ROOT, "    train { optimizer = %s; epochs = 5; batch = %d; shuffle = true; seed = 1; dtype = f32 }%n",
                rate, batch));
        b.append("}\n");
        return b.toString();
    }
}
