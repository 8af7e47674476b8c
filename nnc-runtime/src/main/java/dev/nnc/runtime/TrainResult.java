package dev.nnc.runtime;

/** What {@link Model#fit} did: one {@link EpochStats} per epoch run, and where it ended. */
public final class TrainResult {

    private final java.util.List<EpochStats> history;
    private final int bestEpoch;
    private final boolean stoppedEarly;

    TrainResult(java.util.List<EpochStats> history, int bestEpoch, boolean stoppedEarly) {
        this.history = java.util.List.copyOf(history);
        this.bestEpoch = bestEpoch;
        this.stoppedEarly = stoppedEarly;
    }

    /** One entry per epoch of the run, in order (after a resume from a checkpoint, the epochs before it too); unmodifiable. */
    public java.util.List<EpochStats> history() {
        return history;
    }

    /** The last epoch's figures; there are none when a checkpoint was already at the last epoch. */
    public EpochStats last() {
        if (history.isEmpty()) {
            throw new java.util.NoSuchElementException("no epoch was run");
        }
        return history.get(history.size() - 1);
    }

    /**
     * The epoch whose weights the model holds now: the last one, or with early stopping the one
     * with the best loss.
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Whether early stopping ended the fit before its last epoch. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    @Override
    public String toString() {
        return history.size() + (history.size() == 1 ? " epoch" : " epochs") + (stoppedEarly ? ", stopped early" : "")
                + ", weights of epoch " + bestEpoch + (history.isEmpty() ? "" : "; last " + last());
    }
}
