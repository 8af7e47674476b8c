package dev.nnc.spark;

import dev.nnc.runtime.Gradients;
import java.io.Serializable;

/**
 * What the partitions of one training job send back, added up as {@code treeAggregate} combines
 * them: the gradients of a batch's rows (sync), or the trained state of a round weighted by its
 * samples (average). A partition with no rows in the job adds {@link #EMPTY}.
 */
final class Partial implements Serializable {

    private static final long serialVersionUID = 1L;

    static final Partial EMPTY = new Partial(null, null, 0, 0);

    /** Sync: the summed gradients, or null. */
    final Gradients gradients;
    /** Average: the sum over partitions of state times samples, or null. */
    final double[][] stateSum;
    final long samples;
    /** The sum of the samples' losses. */
    final double lossSum;

    Partial(Gradients gradients, double[][] stateSum, long samples, double lossSum) {
        this.gradients = gradients;
        this.stateSum = stateSum;
        this.samples = samples;
        this.lossSum = lossSum;
    }

    static Partial of(Gradients g) {
        return new Partial(g, null, g.samples(), g.loss() * g.samples());
    }

    /** A state trained on {@code samples} samples with mean loss {@code loss}. */
    static Partial ofState(double[][] state, long samples, double loss) {
        double[][] sum = new double[state.length][];
        for (int i = 0; i < state.length; i++) {
            sum[i] = state[i].clone();
            for (int j = 0; j < sum[i].length; j++) {
                sum[i][j] *= samples;
            }
        }
        return new Partial(null, sum, samples, loss * samples);
    }

    Partial plus(Partial other) {
        if (other.samples == 0) {
            return this;
        }
        if (samples == 0) {
            return other;
        }
        Gradients g = gradients == null ? null : gradients.plus(other.gradients);
        double[][] s = null;
        if (stateSum != null) {
            s = new double[stateSum.length][];
            for (int i = 0; i < s.length; i++) {
                s[i] = stateSum[i].clone();
                for (int j = 0; j < s[i].length; j++) {
                    s[i][j] += other.stateSum[i][j];
                }
            }
        }
        return new Partial(g, s, samples + other.samples, lossSum + other.lossSum);
    }

    /** The average state: the weighted sum over the samples. */
    double[][] meanState() {
        double[][] mean = new double[stateSum.length][];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = stateSum[i].clone();
            for (int j = 0; j < mean[i].length; j++) {
                mean[i][j] /= samples;
            }
        }
        return mean;
    }
}
