package dev.nnc.runtime;

/**
 * A model's figures on a data set ({@link Model#evaluate}): the mean loss, and for a classifier
 * (a {@code onehot} target with one output per class) the accuracy and the confusion matrix.
 */
public final class Evaluation {

    private final double loss;
    private final double accuracy;
    private final int samples;
    private final int[][] confusion;

    Evaluation(double loss, double accuracy, int samples, int[][] confusion) {
        this.loss = loss;
        this.accuracy = accuracy;
        this.samples = samples;
        this.confusion = confusion;
    }

    /** The mean loss over the samples. */
    public double loss() {
        return loss;
    }

    /** The share of samples whose output's largest element (the first on ties) is their label; NaN when not a classifier. */
    public double accuracy() {
        return accuracy;
    }

    /** The number of samples evaluated. */
    public int samples() {
        return samples;
    }

    /** Whether the model is a classifier, so that {@link #accuracy()} and {@link #confusion()} are defined. */
    public boolean classifier() {
        return confusion != null;
    }

    /**
     * Per-class counts: {@code confusion()[actual][predicted]} samples of class {@code actual} were
     * predicted as {@code predicted} (a copy). Its diagonal holds each class's right answers.
     */
    public int[][] confusion() {
        if (confusion == null) {
            throw new IllegalStateException("not a classifier: the model has no onehot target with one output per class");
        }
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** {@code loss 0.3012, accuracy 0.8931, 10000 samples}. */
    @Override
    public String toString() {
        return "loss " + NncProgress.loss(loss) + (Double.isNaN(accuracy) ? "" : ", accuracy " + NncProgress.fixed(accuracy, 4)) + ", "
                + samples + (samples == 1 ? " sample" : " samples");
    }
}
