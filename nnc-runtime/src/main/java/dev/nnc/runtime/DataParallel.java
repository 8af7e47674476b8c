package dev.nnc.runtime;

/**
 * What a data-parallel trainer (nnc-spark) needs of a generated model beyond {@link Model}: the
 * train block's settings, the learning rate {@link Model#apply} steps with, the whole training
 * state (parameters and optimizer state) to ship and average, and the order of the samples in an
 * epoch exactly as {@link Model#fit} takes them.
 * <pre>
 *   int[] order = DataParallel.order(7, 1, 4, true);   // epoch 1's order of 4 samples for seed 7: fit's k-th batch is order[k*b ..]
 *   DataParallel.setLearningRate(m, 1e-3);             // then m.apply(g) steps with it
 *   double[][] s = DataParallel.state(m);              // parameters, then momentum / moments, then {steps}
 * </pre>
 * Every method takes a model made by nnc (a {@link GeneratedModel}); others are refused. The
 * threading contract is the model's: state and learning rate change it, one caller at a time.
 */
public final class DataParallel {

    private DataParallel() {}

    /** The {@code epochs} of the model's train block. */
    public static int epochs(Model model) {
        return generated(model).defaults().epochs;
    }

    /** The {@code batch} of the model's train block. */
    public static int batch(Model model) {
        return generated(model).defaults().batch;
    }

    /** The {@code shuffle} of the model's train block. */
    public static boolean shuffle(Model model) {
        return generated(model).defaults().shuffle;
    }

    /** The {@code seed} of the model's train block (0 when it names none). */
    public static long seed(Model model) {
        return generated(model).defaults().seed;
    }

    /**
     * The {@code schedule} of the model's train block ({@code constant} when it names none): the
     * rate of epoch {@code e} is {@code schedule(m).rate(learningRate(m), e)}, which a data-parallel
     * trainer sets with {@link #setLearningRate} before the epoch's steps, as {@link Model#fit} does.
     */
    public static LearningRateSchedule schedule(Model model) {
        return generated(model).defaults().schedule;
    }

    /**
     * The {@code clip_norm} of the model's train block, or 0 when it names none. {@link Model#apply}
     * does not clip: a data-parallel trainer clips the averaged gradient as {@link Model#fit} does.
     */
    public static double clipNorm(Model model) {
        return generated(model).defaults().clipNorm;
    }

    /**
     * The learning rate of epoch {@code epoch} (1 for the first) from base rate {@code base} under
     * the model's {@link #schedule}: the rate {@link Model#fit} sets before that epoch's steps.
     */
    public static double rate(Model model, double base, int epoch) {
        return schedule(model).rate(base, epoch);
    }

    /**
     * {@link Model#apply} with the gradients first clipped to the global norm {@code clipNorm}
     * (0: not clipped), as {@link Model#fit} clips every step's: the step of a data-parallel
     * trainer that has added up the parts of a batch.
     */
    public static void apply(Model model, Gradients gradients, double clipNorm) {
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be at least 0 and finite, not " + clipNorm);
        }
        generated(model).apply(gradients, clipNorm);
    }

    /** The learning rate {@link Model#apply} steps with: the train block's until set. */
    public static double learningRate(Model model) {
        return generated(model).trainer().learningRate();
    }

    /** Sets the learning rate of {@link Model#apply} (and of {@link Model#fit} when its options name none). */
    public static void setLearningRate(Model model, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be positive and finite, not " + lr);
        }
        generated(model).trainer().setLearningRate(lr);
    }

    /**
     * Everything training changes, as copies: every parameter flat in the {@code .nn}'s order, then
     * the optimizer's buffers (momentum, moments), then {@code {steps}} for an optimizer that counts them.
     */
    public static double[][] state(Model model) {
        return generated(model).trainer().state();
    }

    /** Restores what {@link #state} gave (of this model class); a state of other sizes changes nothing. */
    public static void setState(Model model, double[][] state) {
        NncModel w = generated(model).trainer();
        double[][] now = w.state();
        if (state == null || state.length != now.length) {
            throw new IllegalArgumentException("state has " + (state == null ? "no" : String.valueOf(state.length))
                    + " arrays; model " + model.schema().model() + "'s has " + now.length);
        }
        for (int i = 0; i < now.length; i++) {
            if (state[i] == null || state[i].length != now[i].length) {
                throw new IllegalArgumentException("state array " + i + " has " + (state[i] == null ? "no" : String.valueOf(state[i].length))
                        + " values; model " + model.schema().model() + "'s has " + now[i].length);
            }
        }
        w.setState(state);
    }

    /**
     * The order in which {@link Model#fit} with seed {@code seed} takes {@code samples} samples in
     * epoch {@code epoch} (from 1): the identity without shuffle, else the {@code epoch}-th shuffle of
     * {@code SplitMix64(seed + 1)} (see {@link NncTraining}).
     */
    public static int[] order(long seed, int epoch, int samples, boolean shuffle) {
        if (epoch < 1 || samples < 0) {
            throw new IllegalArgumentException("epoch must be at least 1 and samples at least 0, not " + epoch + " and " + samples);
        }
        int[] order = new int[samples];
        NncSupport.SplitMix64 shuffles = new NncSupport.SplitMix64(seed + 1);
        for (int e = 1; e <= (shuffle ? epoch : 1); e++) {
            for (int i = 0; i < samples; i++) {
                order[i] = i;
            }
            if (shuffle) {
                NncSupport.shuffle(order, shuffles);
            }
        }
        return order;
    }

    /**
     * Reads a data set as {@code nnc train --data} takes it ({@code "path.csv"} or
     * {@code idx(images, labels)}; relative paths against the working directory), for {@code model}.
     */
    public static Dataset read(Model model, String source) {
        Schema schema = model.schema();
        try {
            return Dataset.ofRead(schema, NncSupport.readData(source, null, schema.layout(), schema.f64()));
        } catch (NncSupport.UsageError | NncSupport.DataError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The samples of {@code data} as rows for another system (a Spark DataFrame): {@code [0][s]} the
     * inputs of sample {@code s} flattened in declaration order, {@code [1][s]} its targets as a data
     * file holds them (a onehot target's class as one number).
     */
    public static double[][][] rows(Model model, Dataset data) {
        Schema schema = model.schema();
        NncSupport.Schema layout = schema.layout();
        NncSupport.Dataset d = data.forModel(schema, "data");
        int n = d.samples;
        double[][] inputs = new double[n][schema.inputSize()];
        double[][] targets = new double[n][layout.columns() - schema.inputSize()];
        for (int s = 0; s < n; s++) {
            int in = 0;
            int out = 0;
            for (int v = 0; v < layout.count(); v++) {
                boolean input = v < layout.inputs;
                double[] into = input ? inputs[s] : targets[s];
                if (layout.onehot(v)) {
                    into[out++] = d.labels[v][s];
                    continue;
                }
                int size = layout.sizes[v];
                int at = input ? in : out;
                for (int i = 0; i < size; i++) {
                    into[at + i] = d.f64 != null ? NncArrays.at(d.f64[v], d.u8[v], s * size + i) : NncArrays.at(d.f32[v], d.u8[v], s * size + i);
                }
                if (input) {
                    in += size;
                } else {
                    out += size;
                }
            }
        }
        return new double[][][] {inputs, targets};
    }

    /** A finished epoch's figures, as {@link Model#fit} reports them; NaN for the test figures when there is no test data. */
    public static EpochStats epoch(int epoch, double loss, double seconds, double samplesPerSecond, double testLoss, double testAccuracy) {
        return new EpochStats(epoch, loss, Double.NaN, Double.NaN, seconds, samplesPerSecond, testLoss, testAccuracy);
    }

    /** {@code nnc train}'s line for an epoch on stderr: {@code epoch 3/10  loss 0.412351  1,234 samples/s  test loss ...}. */
    public static String epochLine(EpochStats epoch, int epochs) {
        return NncProgress.epochLine(epoch, epochs);
    }

    /**
     * {@code nnc train --json}'s document for a run of {@code history}: loss, epochs, seconds,
     * samples per second, the last test figures, the history, and the parameters unless saved.
     */
    public static String trainJson(java.util.List<EpochStats> history, double seconds, double samplesPerSecond, Model paramsOf) {
        EpochStats last = history.isEmpty() ? null : history.get(history.size() - 1);
        Object params = null;
        if (paramsOf != null) {
            GeneratedModel<?> g = generated(paramsOf);
            params = NncTraining.params(g.trainer(), g.trainer().paramNames());
        }
        java.util.Map<String, Object> doc = NncTraining.trainDocument(history, seconds, samplesPerSecond, false,
                last != null && !Double.isNaN(last.testLoss), null, params);
        return NncJson.write(doc);
    }

    private static GeneratedModel<?> generated(Model model) {
        if (model instanceof GeneratedModel<?> g) {
            return g;
        }
        throw new IllegalArgumentException("model " + (model == null ? "null" : model.getClass().getName())
                + " is not a class generated by nnc (it does not extend " + GeneratedModel.class.getName() + ")");
    }
}
