package dev.nnc.runtime;

/**
 * How {@link Model#fit} trains: the model's {@code train} block, with what a call overrides.
 * Immutable: each method returns a new options object, so one can be shared and specialized.
 * <pre>
 *   TrainOptions o = TrainOptions.fromModel()   // epochs, batch, shuffle, seed and lr of the train block
 *           .epochs(20).batch(32).lr(0.05)
 *           .validation(testSet).earlyStopping(5)
 *           .onEpoch(e -&gt; System.out.println(e));
 * </pre>
 * What is not set comes from the model: its train block's {@code epochs}, {@code batch},
 * {@code shuffle}, {@code seed}, {@code schedule} and {@code clip_norm}, its optimizer's learning
 * rate; threads as they are.
 */
public final class TrainOptions {

    final Integer epochs;
    final Integer batch;
    final Double lr;
    final Long seed;
    final Boolean shuffle;
    final Integer threads;
    final Dataset validation;
    /** The fraction of the data held out as validation data, or 0. */
    final double split;
    final int patience;
    final java.nio.file.Path checkpoint;
    final java.util.function.Consumer<EpochStats> onEpoch;
    /** The learning rate schedule, or null for the train block's. */
    final LearningRateSchedule schedule;
    /** The largest global gradient norm, 0 for no clipping, or null for the train block's {@code clip_norm}. */
    final Double clipNorm;

    private TrainOptions(Integer epochs, Integer batch, Double lr, Long seed, Boolean shuffle, Integer threads, Dataset validation,
            double split, int patience, java.nio.file.Path checkpoint, java.util.function.Consumer<EpochStats> onEpoch,
            LearningRateSchedule schedule, Double clipNorm) {
        this.epochs = epochs;
        this.batch = batch;
        this.lr = lr;
        this.seed = seed;
        this.shuffle = shuffle;
        this.threads = threads;
        this.validation = validation;
        this.split = split;
        this.patience = patience;
        this.checkpoint = checkpoint;
        this.onEpoch = onEpoch;
        this.schedule = schedule;
        this.clipNorm = clipNorm;
    }

    /** Everything as the model's {@code train} block says. */
    public static TrainOptions fromModel() {
        return new TrainOptions(null, null, null, null, null, null, null, 0, 0, null, null, null, null);
    }

    /** Passes over the data (at least 1). */
    public TrainOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /** Samples per optimizer step (at least 1); the last step of an epoch takes what is left. */
    public TrainOptions batch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, not " + batch);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /** The optimizer's learning rate for this fit (positive and finite); the model's own is back afterwards. */
    public TrainOptions lr(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be positive and finite, not " + lr);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /**
     * How the learning rate changes from epoch to epoch, instead of the train block's
     * {@code schedule}; {@link LearningRateSchedule#constant()} for none. Its base rate is the
     * optimizer's (or {@link #lr}'s); each {@code fit} starts at its epoch 1.
     */
    public TrainOptions schedule(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null (LearningRateSchedule.constant() is none)");
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule,
                clipNorm);
    }

    /**
     * Clips the global gradient norm of every step at {@code maxNorm} (positive), instead of the
     * train block's {@code clip_norm}: as torch's {@code clip_grad_norm_}, before the optimizer's update.
     */
    public TrainOptions clipNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be positive and finite, not " + maxNorm);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule,
                maxNorm);
    }

    /** No gradient clipping, whatever the train block's {@code clip_norm} says. */
    public TrainOptions noClipNorm() {
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule,
                0.0);
    }

    /**
     * The seed of the shuffles: epoch {@code e} takes the {@code e}-th shuffle of
     * {@code SplitMix64(seed + 1)}, as the trainer's {@code --seed} does. The weights are not drawn
     * again; a model's initial weights come from its constructor's seed.
     */
    public TrainOptions seed(long seed) {
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /** Whether each epoch visits the samples in a new random order. */
    public TrainOptions shuffle(boolean shuffle) {
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /**
     * Threads the matrix products of a batched model split over during this fit (at least 1). The
     * setting is process-wide while the fit runs and is restored afterwards; results do not depend on it.
     */
    public TrainOptions threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /** Data evaluated after every epoch: its loss and accuracy go into {@link EpochStats}. */
    public TrainOptions validation(Dataset validation) {
        if (validation == null) {
            throw new IllegalArgumentException("validation must not be null");
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, 0, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /**
     * Holds out the last {@code fraction} of the data given to {@code fit} (before any shuffle) as
     * validation data, as the trainer's {@code --validation-split} does; replaces {@link #validation}.
     */
    public TrainOptions validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1, not " + fraction);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, null, fraction, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /**
     * Stops after {@code patience} epochs in a row without a new best loss (the validation loss when
     * there is validation data, else the training loss), and ends with the weights and optimizer
     * state of the best epoch.
     */
    public TrainOptions earlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, not " + patience);
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /**
     * A checkpoint file, written atomically at the end of every epoch; when it exists as fit starts,
     * the run resumes from it and ends bit-for-bit where the uninterrupted run would have.
     */
    public TrainOptions checkpoint(java.nio.file.Path checkpoint) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint must not be null");
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, onEpoch, schedule, clipNorm);
    }

    /** Called on the fitting thread after every epoch, with the same figures {@link TrainResult#history()} keeps. */
    public TrainOptions onEpoch(java.util.function.Consumer<EpochStats> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        return new TrainOptions(epochs, batch, lr, seed, shuffle, threads, validation, split, patience, checkpoint, listener, schedule, clipNorm);
    }

    /** The options set, e.g. {@code TrainOptions{epochs=20, lr=0.05}}; what is not shown comes from the model. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TrainOptions{");
        java.util.function.BiConsumer<String, Object> add = (name, value) -> {
            if (value != null) {
                b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append(name).append('=').append(value);
            }
        };
        add.accept("epochs", epochs);
        add.accept("batch", batch);
        add.accept("lr", lr);
        add.accept("seed", seed);
        add.accept("shuffle", shuffle);
        add.accept("threads", threads);
        add.accept("validation", validation);
        add.accept("validationSplit", split > 0 ? split : null);
        add.accept("earlyStopping", patience > 0 ? patience : null);
        add.accept("checkpoint", checkpoint);
        add.accept("schedule", schedule);
        add.accept("clipNorm", clipNorm == null ? null : clipNorm > 0 ? clipNorm : "none");
        return b.append('}').toString();
    }
}
