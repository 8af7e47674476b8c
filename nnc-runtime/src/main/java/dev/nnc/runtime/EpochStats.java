package dev.nnc.runtime;

/**
 * The figures of one finished epoch of {@link Model#fit}: what the listener sees and
 * {@link TrainResult#history()} keeps. A figure that does not apply is NaN.
 */
public final class EpochStats {

    private final int epoch;
    private final double loss;
    private final double validationLoss;
    private final double validationAccuracy;
    private final double seconds;
    private final double samplesPerSecond;
    /** The command-line trainer's test data after the epoch: its history and early stopping use them. */
    final double testLoss;
    final double testAccuracy;

    EpochStats(int epoch, double loss, double validationLoss, double validationAccuracy, double seconds, double samplesPerSecond,
            double testLoss, double testAccuracy) {
        this.testLoss = testLoss;
        this.testAccuracy = testAccuracy;
        this.epoch = epoch;
        this.loss = loss;
        this.validationLoss = validationLoss;
        this.validationAccuracy = validationAccuracy;
        this.seconds = seconds;
        this.samplesPerSecond = samplesPerSecond;
    }

    /** The epoch's number, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The mean training loss over the epoch's samples, each taken as its batch's step saw it. */
    public double loss() {
        return loss;
    }

    /** The mean loss on the validation data after the epoch, NaN without validation data. */
    public double validationLoss() {
        return validationLoss;
    }

    /** The share of validation samples classified right, NaN without validation data or for a model that is not a classifier. */
    public double validationAccuracy() {
        return validationAccuracy;
    }

    /** Seconds the epoch's training steps took (validation excluded). */
    public double seconds() {
        return seconds;
    }

    /** Training samples per second over the epoch's steps. */
    public double samplesPerSecond() {
        return samplesPerSecond;
    }

    /** {@code epoch 3: loss 0.2141, validation loss 0.2377, validation accuracy 0.9140, 0.84 s}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("epoch ").append(epoch).append(": loss ").append(NncProgress.loss(loss));
        if (!Double.isNaN(validationLoss)) {
            b.append(", validation loss ").append(NncProgress.loss(validationLoss));
        }
        if (!Double.isNaN(validationAccuracy)) {
            b.append(", validation accuracy ").append(NncProgress.fixed(validationAccuracy, 4));
        }
        return b.append(", ").append(NncProgress.fixed(seconds, 2)).append(" s").toString();
    }

    /** Equal figures of the same epoch (as a listener and the history see them). */
    @Override
    public boolean equals(Object o) {
        return o instanceof EpochStats e && e.epoch == epoch && same(e.loss, loss) && same(e.validationLoss, validationLoss)
                && same(e.validationAccuracy, validationAccuracy) && same(e.seconds, seconds)
                && same(e.samplesPerSecond, samplesPerSecond) && same(e.testLoss, testLoss) && same(e.testAccuracy, testAccuracy);
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(epoch, loss, validationLoss, validationAccuracy, seconds, samplesPerSecond);
    }
}
