package dev.nnc.runtime;

/**
 * What accuracy and the confusion matrix compare, for a model that is a classifier: the class a
 * sample's output predicts and the class its target holds.
 * <pre>
 *   onehot  target c[10], output out[10]:   predicted = argmax(out) (the first on ties), actual = the label
 *   binary  target y[1], output p[1]:       predicted = p &gt;= 0.5 ? 1 : 0 (a logit: &gt;= 0), actual = y &gt;= 0.5 ? 1 : 0
 * </pre>
 * Like {@link NncSupport}, this file is written without imports.
 */
final class NncClassifier {

    /** The target's variable index in the schema. */
    final int target;
    /** The number of classes: the onehot target's, 2 for a binary target. */
    final int classes;
    /** A binary classifier's threshold on its output (0.5 or 0); NaN for a onehot target. */
    private final double threshold;

    private NncClassifier(int target, int classes, double threshold) {
        this.target = target;
        this.classes = classes;
        this.threshold = threshold;
    }

    /**
     * The model's classifier: its first onehot target when the output has one element per class,
     * else its binary target ({@link Schema.Binary}); null when the model is neither.
     */
    static NncClassifier of(NncModel model) {
        NncSupport.Schema schema = model.schema();
        for (int v = schema.inputs; v < schema.count(); v++) {
            if (schema.onehot(v)) {
                if (schema.classes[v] == model.outputSize()) {
                    return new NncClassifier(v, schema.classes[v], Double.NaN);
                }
                break;
            }
        }
        if (schema.binary >= 0 && model.outputSize() == 1) {
            return new NncClassifier(schema.binary, 2, schema.threshold);
        }
        return null;
    }

    /** Whether this is a binary classifier (class 1 the positive one). */
    boolean binary() {
        return !Double.isNaN(threshold);
    }

    /** The class {@code output} predicts. */
    int predicted(double[] output) {
        if (binary()) {
            return output[0] >= threshold ? 1 : 0;
        }
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The class sample {@code s} of {@code data} belongs to: its label, or whether its binary target is at least 0.5. */
    int actual(NncSupport.Dataset data, int s) {
        if (!binary()) {
            return data.labels[target][s];
        }
        double y = data.f32 != null ? data.f32[target][s] : data.f64[target][s];
        return y >= 0.5 ? 1 : 0;
    }

    /** A new, empty confusion matrix: {@code [actual][predicted]}. */
    int[][] confusion() {
        return new int[classes][classes];
    }
}
