package dev.nnc.runtime;

/**
 * The timing loop of {@code nnc bench}: trains a model on synthetic data of its schema and times
 * whole chunks of steps. It calls the model through {@link NncModel} directly (no reflection, no
 * boxing per step, which would cost more than a whole step of a small model).
 *
 * <p>A step is what {@link NncTraining}'s epoch loop does per mini-batch: {@code gradients} over the
 * batch, the checks that the loss, the gradients and the step are finite ({@code NncTraining}'s own,
 * which this loop must follow when they change), {@code update}. The data are synthetic, in the
 * model's schema: every input and plain target uniform in [0, 1), every onehot label uniform over its
 * classes, drawn from {@code SplitMix64(seed + 2)}; the steps walk through them in order, batch after
 * batch, and start again at the end.
 */
public final class NncBench {

    private NncBench() {}

    /** Steps per timed chunk grow during warm-up until a chunk lasts this long, so reading the clock costs nothing. */
    private static final long CHUNK_NANOS = 1_000_000L;

    /**
     * Warms up for {@code warmupNanos}, then times whole chunks of steps for at least
     * {@code measureNanos}; {@code minSamples} synthetic samples (rounded up to whole batches).
     */
    public static java.util.Map<String, Object> measure(java.util.function.LongFunction<NncModel> factory, NncDriver.Defaults defaults,
            long warmupNanos, long measureNanos, int minSamples, int threads) {
        NncPool.setThreads(threads);
        NncModel model = factory.apply(defaults.seed);
        int batch = defaults.batch;
        NncSupport.Schema schema = model.schema();
        // a model without per-sample variables trains on one empty sample, as the driver does
        int n = schema.count() == 0 ? 1 : Math.toIntExact(((long) minSamples + batch - 1) / batch * batch);
        NncSupport.Dataset data = synthetic(schema, n, model.f64(), new NncSupport.SplitMix64(defaults.seed + 2));
        model.useData(data);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] loss = {Double.NaN};

        long chunk = 1;
        int from = 0;
        long warmEnd = System.nanoTime() + warmupNanos;
        do {
            long t = System.nanoTime();
            from = steps(model, order, batch, from, chunk, loss);
            if (System.nanoTime() - t < CHUNK_NANOS && chunk < (1L << 40)) {
                chunk *= 2;
            }
        } while (System.nanoTime() < warmEnd);

        long steps = 0;
        long start = System.nanoTime();
        long end = start + measureNanos;
        long now;
        do {
            from = steps(model, order, batch, from, chunk, loss);
            steps += chunk;
            now = System.nanoTime();
        } while (now < end);

        long flops = 0;
        for (int[] shape : model.paramShapes()) {
            if (shape.length == 2) {
                flops += 6L * shape[0] * shape[1];
            }
        }
        java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("model", model.name());
        result.put("batch", batch);
        result.put("samples_per_step", Math.min(batch, n));
        result.put("data_samples", n);
        result.put("steps", steps);
        result.put("nanos", now - start);
        result.put("flops_per_sample", flops);
        result.put("loss", loss[0]);
        return result;
    }

    /** {@code count} training steps from batch start {@code from}; returns where the next starts. */
    private static int steps(NncModel model, int[] order, int batch, int from, long count, double[] loss) {
        int n = order.length;
        for (long k = 0; k < count; k++) {
            int to = Math.min(n, from + batch);
            double l = model.gradients(order, from, to);
            // the checks NncTraining makes before every update
            if (!Double.isFinite(l) || model.nonFiniteStep() >= 0) {
                throw new IllegalStateException("training turned non-finite on the synthetic data (loss " + l + ")");
            }
            model.update();
            loss[0] = l;
            from = to == n ? 0 : to;
        }
        return from;
    }

    /** {@code n} samples of the schema: inputs and plain targets uniform in [0, 1), onehot labels uniform over the classes. */
    static NncSupport.Dataset synthetic(NncSupport.Schema schema, int n, boolean f64, NncSupport.SplitMix64 random) {
        NncSupport.Dataset data = NncSupport.Dataset.allocate(schema, n, f64);
        for (int v = 0; v < schema.count(); v++) {
            if (schema.onehot(v)) {
                for (int s = 0; s < n; s++) {
                    data.labels[v][s] = random.nextInt(schema.classes[v]);
                }
            } else if (f64) {
                double[] values = data.f64[v];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextDouble();
                }
            } else {
                float[] values = data.f32[v];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextDouble();
                }
            }
        }
        return data;
    }
}
