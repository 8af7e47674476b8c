package dev.nnc.runtime;

/**
 * The gradient of a batch's loss with respect to every parameter ({@link Model#gradients}): the
 * mean over the batch's samples of each sample's gradient (times {@link #samples()}: their sum),
 * which is what the step {@link Model#fit} takes for that batch uses. Immutable.
 * <pre>
 *   Gradients g = m.gradients(batch);
 *   g.loss();                  // the batch's mean loss
 *   g.get("h.W").shape();      // [8, 2]
 *   m.apply(g);                // the optimizer step fit would take
 * </pre>
 */
public final class Gradients {

    private final String model;
    private final java.util.Map<String, Tensor> values;
    private final double loss;
    private final int samples;

    Gradients(String model, java.util.Map<String, Tensor> values, double loss, int samples) {
        this.model = model;
        this.values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
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

    /** The number of samples in the batch. */
    public int samples() {
        return samples;
    }

    /** Every parameter's mean gradient, by name, in the {@code .nn}'s order; unmodifiable. */
    public java.util.Map<String, Tensor> asMap() {
        return values;
    }

    /** The mean gradient of the parameter named {@code name}. */
    public Tensor get(String name) {
        Tensor t = values.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model " + model + " has no parameter " + name + " (it has "
                    + String.join(", ", values.keySet()) + ")");
        }
        return t;
    }

    /** {@code gradients of xor over 4 samples, loss 0.6931}. */
    @Override
    public String toString() {
        return "gradients of " + model + " over " + samples + (samples == 1 ? " sample" : " samples") + ", loss " + NncProgress.loss(loss);
    }
}
