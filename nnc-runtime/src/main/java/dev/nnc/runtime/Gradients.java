package dev.nnc.runtime;

/**
 * The gradient of a batch's loss with respect to every parameter ({@link Model#gradients}): the
 * sum over the batch's samples of each sample's gradient ({@link #get}), with the sample count, so
 * that gradients of several batches add up ({@link #plus}, as data-parallel training does).
 * {@link Model#apply} steps with the mean, sum / samples, which is the step {@link Model#fit}
 * takes for that batch. Immutable, and serializable, so that a data-parallel trainer (nnc-spark)
 * can send the gradients of its parts of a batch to where they are added up.
 * <pre>
 *   Gradients g = m.gradients(batch);
 *   g.loss();                  // the batch's mean loss
 *   g.get("h.W").shape();      // [8, 2]: the summed gradient
 *   g.mean("h.W");             // the same divided by g.samples()
 *   m.apply(g);                // the optimizer step fit would take
 * </pre>
 */
public final class Gradients implements java.io.Serializable {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The model's {@code .nn} name. */
    private final String model;
    /** The mean gradients (what the step uses, kept exact), by name. */
    private final java.util.Map<String, Tensor> means;
    /** The mean loss of the samples. */
    private final double loss;
    /** How many samples the gradients are of. */
    private final long samples;

    Gradients(String model, java.util.Map<String, Tensor> means, double loss, long samples) {
        this.model = model;
        this.means = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(means));
        this.loss = loss;
        this.samples = samples;
    }

    /** The model these gradients are of (its {@code .nn} name). */
    public String model() {
        return model;
    }

    /** The batch's mean loss. */
    public double loss() {
        return loss;
    }

    /** The number of samples in the batch (or the batches added up). */
    public long samples() {
        return samples;
    }

    /** The parameters' names, in the {@code .nn}'s order. */
    public java.util.Set<String> names() {
        return means.keySet();
    }

    /** The summed gradient of the parameter named {@code name}: the mean times {@link #samples()}. */
    public Tensor get(String name) {
        Tensor m = mean(name);
        double[] sum = m.doubleData();
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= samples;
        }
        return new Tensor(name, m.shape(), sum, m.dtype().equals("f64"));
    }

    /** The mean gradient of the parameter named {@code name}: what the optimizer's step uses. */
    public Tensor mean(String name) {
        Tensor t = means.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model " + model + " has no parameter " + name + " (it has "
                    + String.join(", ", means.keySet()) + ")");
        }
        return t;
    }

    /**
     * These gradients and {@code other}'s together, as of one batch of both batches' samples: the
     * sums add, the mean loss is weighted by the sample counts. Both must be of the same model.
     */
    public Gradients plus(Gradients other) {
        if (other == null || !other.model.equals(model) || !other.means.keySet().equals(means.keySet())) {
            throw new IllegalArgumentException("gradients of model " + (other == null ? "null" : other.model)
                    + " cannot be added to gradients of model " + model);
        }
        long n = samples + other.samples;
        java.util.Map<String, Tensor> sum = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, Tensor> e : means.entrySet()) {
            double[] a = e.getValue().doubleData();
            double[] b = other.means.get(e.getKey()).doubleData();
            for (int i = 0; i < a.length; i++) {
                a[i] = (a[i] * samples + b[i] * other.samples) / n;
            }
            sum.put(e.getKey(), new Tensor(e.getKey(), e.getValue().shape(), a, e.getValue().dtype().equals("f64")));
        }
        return new Gradients(model, sum, (loss * samples + other.loss * other.samples) / n, n);
    }

    /** {@code gradients of xor over 4 samples, loss 0.6931}. */
    @Override
    public String toString() {
        return "gradients of " + model + " over " + samples + (samples == 1 ? " sample" : " samples") + ", loss " + NncProgress.loss(loss);
    }
}
