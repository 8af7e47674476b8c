package dev.nnc.runtime;

/**
 * The epoch loop of language.md section 8: mini-batches of {@code batch} samples (the last, partial
 * batch too), one {@link NncModel#gradients(int[], int, int)} and one {@link NncModel#update()} per
 * batch, test loss and accuracy after every epoch, then the result.
 *
 * <p>Random numbers: the trainer's constructor draws the initial weights from
 * {@code SplitMix64(seed)}; the shuffles draw from a stream of their own, {@code SplitMix64(seed + 1)},
 * so changing the number of epochs, the batch size or {@code shuffle} never changes the initial
 * weights, and a model with a different parameter count still shuffles the same way for a seed.
 * Every epoch shuffles the identity order afresh (Fisher-Yates, {@link NncSupport#shuffle}), so
 * epoch {@code e}'s order is the {@code e}-th shuffle of that stream. Dropout's masks draw from a
 * third, {@code SplitMix64(seed + 2)} ({@link NncDropout}), restarted by every run.
 */
public final class NncTraining {

    private NncTraining() {}

    /**
     * The least time between two checkpoints at epoch ends: a model whose epochs take microseconds
     * would otherwise spend its run writing them. The last epoch's, an early stop's and a stopped
     * run's checkpoint is always written.
     */
    static final long CHECKPOINT_NANOS = 1_000_000_000L;

    /** What one run of the epoch loop does: the train block as the flags or {@link TrainOptions} override it. */
    static final class Plan {
        int epochs;
        int batch;
        boolean shuffle;
        long seed;
        /** Evaluated after every epoch, or null. */
        NncSupport.Dataset validation;
        /** The command line's test data, evaluated after every epoch too, or null. */
        NncSupport.Dataset test;
        /** What accuracy compares (a onehot or binary target), or null when the model is not a classifier. */
        NncClassifier classifier;
        /** Early stopping's patience in epochs, 0 for none. */
        int patience;
        /** Written at the end of every epoch and when the run is stopped, resumed from when it exists; or null. */
        java.nio.file.Path checkpoint;
        /** Asked after every step: true stops the run there (see {@link Stopped}). */
        java.util.function.BooleanSupplier stop = () -> false;
        /** The learning rate of each epoch, from the model's learning rate as the run starts. */
        LearningRateSchedule schedule = LearningRateSchedule.constant();
        /** {@code clip_norm}: the largest global gradient norm a step takes, or 0 for no clipping. */
        double clipNorm;
        /** Whether the loop marks its steps and epochs on {@link NncTimeline} (not a warm-up's copy: its marks would pass for the run's). */
        boolean timeline = true;
        /**
         * Whether a model that has the Vector API's kernels runs them ({@link NncModel#useVectorApi}),
         * or null to decide from the run's own work ({@link #vectorPays}).
         */
        Boolean vectorApi;
    }

    /**
     * The least work (floating-point operations: 6 per parameter element and sample, over every
     * epoch the run plans) for which a model that has the Vector API's kernels runs them. Until C2
     * has compiled them, C1's code boxes every vector and a step takes about 1,000 times as long: a
     * fresh JVM spends 1.0-1.4 s of its run getting them compiled. Warm, they are about 3 times as
     * fast as the plain kernels (measured: 64-64-64 at batch 64, 0.52 million samples/s plain
     * against 1.7 million, 26 against 85 GFLOP/s; 512-512-512 at batch 8, 15-20 against 54
     * GFLOP/s). So a run saves time on the Vector API only from 20-40 GFLOP of work:
     * <pre>
     *   64-64-64,    8,192 samples x 5 epochs, batch 64     2 GFLOP   plain 0.9-1.0 s, Vector API 2.0-2.3 s (whole process)
     *   512-512-512, 1,016 samples x 5 epochs, batch 8     16 GFLOP   plain 2.07 s,    Vector API 2.03-2.26 s
     *   512-512-512,   127 samples x 5 epochs, batch 1      2 GFLOP   plain 1.35-1.67 s, Vector API 2.05-2.36 s
     * </pre>
     * {@code -Dnnc.vectorMinRunFlops=F} sets another bound (0: the Vector API in every run).
     */
    static final double VECTOR_MIN_RUN_FLOPS = 20e9;

    /**
     * Whether a run of {@code epochs} passes over {@code samples} samples pays for the Vector API's
     * compile ({@link #VECTOR_MIN_RUN_FLOPS}). It depends on the planned run alone, never on times,
     * so a run gives the same bits every time, resumed from a checkpoint or not, in nnc train and in
     * the standalone trainer alike.
     */
    static boolean vectorPays(NncModel model, long epochs, long samples) {
        return 6.0 * NncWarmup.parameters(model.paramShapes()) * epochs * samples >= minRunFlops(System.getProperty("nnc.vectorMinRunFlops"));
    }

    /** The bound {@code -Dnnc.vectorMinRunFlops} gives, or {@link #VECTOR_MIN_RUN_FLOPS} when it gives no number. */
    static double minRunFlops(String property) {
        try {
            return property == null ? VECTOR_MIN_RUN_FLOPS : Double.parseDouble(property.trim());
        } catch (NumberFormatException e) {
            return VECTOR_MIN_RUN_FLOPS;
        }
    }

    /** What the loop reports as it goes; all on the training thread. */
    interface Events {
        default void epochStarts(int epoch) {}

        /** After each step: samples done in the epoch, and the sum of their losses. */
        default void stepDone(int done, double lossSum) {}

        void epochDone(EpochStats stats);
    }

    /** A step that would make the loss or a weight non-finite, not applied; the message names what and where. */
    static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The plan's {@code stop} said yes: the run ended after a whole step, whose weights the model
     * holds (and the checkpoint, when there is one, continues from).
     */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int epoch;
        final int step;

        Stopped(int epoch, int step) {
            super("stopped at epoch " + epoch + ", step " + step, null, false, false);
            this.epoch = epoch;
            this.step = step;
        }
    }

    /**
     * The epoch loop: {@code plan.epochs} passes over {@code train}, one {@link NncModel#gradients}
     * and one {@link NncModel#update()} per batch, validation and test data after every epoch,
     * early stopping and checkpoints as the plan says. The model's learning rate is the caller's
     * to set: it is the base rate of the plan's schedule, which sets each epoch's rate (and leaves
     * the last one set), and the gradients are clipped before each update when the plan says so.
     */
    static TrainResult run(NncModel model, NncSupport.Dataset train, Plan plan, Events events) {
        String[] names = model.paramNames();
        boolean timeline = plan.timeline && NncTimeline.on();
        int n = train.samples;
        int[] order = new int[n];
        Progress p = new Progress();
        p.random = plan.seed + 1;
        if (model.dropout() != null) {
            model.dropout().seed(plan.seed + 2); // the masks' stream, restored below when resuming
        }
        if (plan.checkpoint != null && java.nio.file.Files.exists(plan.checkpoint)) {
            p = NncCheckpoint.read(plan.checkpoint, model, plan.patience > 0);
            model.setState(p.state);
            p.state = null;
        }
        boolean vector = model.useVectorApi(plan.vectorApi != null ? plan.vectorApi : vectorPays(model, plan.epochs, n));
        if (timeline) {
            NncTimeline.mark(vector ? "kernels: the Vector API's" : "kernels: plain Java");
        }
        model.useData(train);
        double[] rates = plan.schedule instanceof LearningRateSchedule.Constant ? null
                : plan.schedule.rates(model.learningRate(), plan.epochs);
        boolean stopped = false;
        long written = System.nanoTime();
        int firstEpoch = p.epochs + 1;
        for (int epoch = firstEpoch; epoch <= plan.epochs; epoch++) {
            // the shuffle is drawn again from the generator's state before it, also when resuming inside the epoch
            NncSupport.SplitMix64 shuffles = new NncSupport.SplitMix64(p.random);
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (plan.shuffle) {
                NncSupport.shuffle(order, shuffles);
            }
            if (rates != null) {
                model.setLearningRate(rates[epoch - 1]);
            }
            events.epochStarts(epoch);
            long epochStart = System.nanoTime();
            double sum = p.position > 0 ? p.partialSum : 0;
            int step = p.position > 0 ? (p.position + plan.batch - 1) / plan.batch : 0;
            for (int from = p.position, to; from < n; from = to) {
                to = (int) Math.min(n, (long) from + plan.batch);
                step++;
                if (timeline && (step == 1 || step % 100 == 0)) {
                    NncTimeline.mark(step == 1 && epoch == firstEpoch ? "first step" : "epoch " + epoch + ", step " + step);
                }
                double batchLoss = model.gradients(order, from, to);
                if (plan.clipNorm > 0) {
                    clipGradients(model, plan.clipNorm);
                }
                String problem = nonFinite(batchLoss, model, names);
                if (problem != null) {
                    throw new NonFinite(problem + " at epoch " + epoch + ", step " + step);
                }
                model.update();
                sum += batchLoss * (to - from);
                events.stepDone(to, sum);
                if (to < n && plan.stop.getAsBoolean()) {
                    p.position = to;
                    p.partialSum = sum;
                    if (plan.checkpoint != null) {
                        NncCheckpoint.write(plan.checkpoint, model, p);
                    }
                    throw new Stopped(epoch, step);
                }
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            if (timeline) {
                NncTimeline.mark("epoch " + epoch + " trained");
            }
            double loss = sum / n;
            double[] validated = {Double.NaN, Double.NaN};
            double[] tested = {Double.NaN, Double.NaN};
            if (plan.validation != null) {
                validated = NncDriver.evaluate(model, plan.validation, plan.classifier);
                model.useData(train);
            }
            if (plan.test != null) {
                tested = NncDriver.evaluate(model, plan.test, plan.classifier);
                model.useData(train);
            }
            if (timeline) {
                NncTimeline.mark("epoch " + epoch + " evaluated");
            }
            EpochStats stats = new EpochStats(epoch, loss, validated[0], validated[1], seconds, n / Math.max(1e-9, seconds),
                    tested[0], tested[1]);
            p.history.add(stats);
            p.epochs = epoch;
            p.position = 0;
            p.partialSum = 0;
            p.random = shuffles.state();
            double metric = plan.validation != null ? validated[0] : plan.test != null ? tested[0] : loss;
            if (p.bestEpoch == 0 || metric < p.bestMetric) {
                p.bestEpoch = epoch;
                p.bestMetric = metric;
                p.bestState = plan.patience > 0 ? model.state() : null;
            }
            stopped = plan.patience > 0 && epoch - p.bestEpoch >= plan.patience && epoch < plan.epochs;
            boolean stopNow = !stopped && epoch < plan.epochs && plan.stop.getAsBoolean();
            boolean last = stopped || stopNow || epoch == plan.epochs;
            if (plan.checkpoint != null && (last || System.nanoTime() - written >= CHECKPOINT_NANOS)) {
                NncCheckpoint.write(plan.checkpoint, model, p);
                written = System.nanoTime();
            }
            events.epochDone(stats);
            if (stopped) {
                break;
            }
            if (stopNow) {
                throw new Stopped(epoch + 1, 0);
            }
        }
        int holding = p.epochs;
        if (plan.patience > 0 && p.bestState != null && p.bestEpoch != p.epochs) {
            model.setState(p.bestState);
            holding = p.bestEpoch;
        }
        return new TrainResult(p.history, holding, stopped);
    }

    /**
     * The {@code --json} document of a training run, as {@code cli.md} gives it: {@code loss},
     * {@code epochs}, {@code seconds}, {@code samples_per_second}, the last epoch's validation and
     * test figures when there were such sets, {@code best_epoch} and {@code stopped_early} with
     * early stopping ({@code stopping} non-null), {@code history}, and {@code params} when given.
     * nnc train, the standalone trainer and nnc-spark's {@code Train} ({@link DataParallel#trainJson}) print it.
     */
    static java.util.Map<String, Object> trainDocument(java.util.List<EpochStats> history, double seconds, double samplesPerSecond,
            boolean validation, boolean test, TrainResult stopping, Object params) {
        EpochStats last = history.isEmpty() ? null : history.get(history.size() - 1);
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("loss", last == null ? Double.NaN : last.loss());
        doc.put("epochs", last == null ? 0 : last.epoch());
        doc.put("seconds", seconds);
        doc.put("samples_per_second", samplesPerSecond);
        if (last != null && validation) {
            doc.put("val_loss", last.validationLoss());
            if (!Double.isNaN(last.validationAccuracy())) {
                doc.put("val_accuracy", last.validationAccuracy());
            }
        }
        if (last != null && test) {
            doc.put("test_loss", last.testLoss);
            if (!Double.isNaN(last.testAccuracy)) {
                doc.put("test_accuracy", last.testAccuracy);
            }
        }
        if (stopping != null) {
            doc.put("best_epoch", stopping.bestEpoch());
            doc.put("stopped_early", stopping.stoppedEarly());
        }
        java.util.List<Object> rows = new java.util.ArrayList<>();
        for (EpochStats e : history) {
            rows.add(NncProgress.historyRow(e));
        }
        doc.put("history", rows);
        if (params != null) {
            doc.put("params", params);
        }
        return doc;
    }

    /**
     * {@code clip_norm}, as torch's {@code clip_grad_norm_(params, maxNorm)}: the 2-norm of all the
     * gradients together (the norm of the parameters' norms), and when {@code maxNorm / (norm + 1e-6)}
     * is below 1, every gradient times it. A non-finite norm is left alone for the step's check to report.
     */
    static void clipGradients(NncModel model, double maxNorm) {
        double sum = 0;
        for (double norm : model.gradientNorms()) {
            sum += norm * norm;
        }
        double total = Math.sqrt(sum);
        double coefficient = maxNorm / (total + 1e-6);
        if (Double.isFinite(total) && coefficient < 1) {
            model.scaleGradients(coefficient);
        }
    }

    /**
     * Where a run is, as a checkpoint keeps it: epochs finished, samples done in the next one and
     * their loss, the shuffle generator's state before that epoch's shuffle, the history, and the
     * best epoch (its loss, and its state when early stopping keeps it).
     */
    static final class Progress {
        int epochs;
        int position;
        double partialSum;
        long random;
        java.util.List<EpochStats> history = new java.util.ArrayList<>();
        int bestEpoch;
        double bestMetric = Double.NaN;
        double[][] bestState;
        /** The model's state, as read from a checkpoint (null while running: the model holds it). */
        double[][] state;
    }

    /**
     * {@code nnc train} and the standalone trainer: the loop with a progress bar, epoch lines, the
     * history file, and the result; on Ctrl-C or SIGTERM, the weights of the last step saved.
     * Returns the exit code: 0, or 130 / 143 after a signal.
     */
    static int train(NncModel model, NncFlags flags, NncDriver.Defaults defaults, NncSupport.Dataset data,
            NncSupport.Dataset test, java.io.PrintStream out, java.io.PrintStream err) {
        Plan plan = new Plan();
        plan.epochs = flags.epochs != null ? flags.epochs : defaults.epochs;
        plan.batch = flags.batch != null ? flags.batch : defaults.batch;
        plan.seed = flags.seed != null ? flags.seed : defaults.seed;
        plan.shuffle = defaults.shuffle;
        plan.test = test;
        plan.classifier = NncClassifier.of(model);
        plan.patience = flags.earlyStopping != null ? flags.earlyStopping : 0;
        plan.checkpoint = flags.checkpoint != null ? NncDriver.file(flags.checkpoint) : null;
        plan.schedule = defaults.schedule;
        plan.clipNorm = flags.clipNorm != null ? flags.clipNorm : defaults.clipNorm;
        NncSupport.Dataset train = data;
        if (flags.validationSplit != null) {
            int held = (int) Math.round(data.samples * flags.validationSplit);
            if (held < 1 || held >= data.samples) {
                throw new NncDriver.Failed("--validation-split " + flags.validationSplit + " of " + data.samples + " samples holds out "
                        + held + ", which leaves " + (held < 1 ? "no validation" : "no training") + " data");
            }
            train = data.slice(model.schema(), 0, data.samples - held);
            plan.validation = data.slice(model.schema(), data.samples - held, data.samples);
        }
        if (plan.patience > 0 && plan.validation == null && plan.test == null) {
            throw new NncDriver.Failed("--early-stopping needs validation or test data (--validation-split R or --test-data F)");
        }
        if (flags.lr != null) {
            model.setLearningRate(flags.lr);
        }
        int n = train.samples;
        int epochs = plan.epochs;
        java.nio.file.Path history = flags.history != null ? NncDriver.file(flags.history) : null;
        // System.console() tells whether the process talks to a terminal; nnc train passes its own
        // stderr wrapped, so the stream itself cannot be compared with System.err.
        NncProgress.ProgressBar bar = !flags.json && NncProgress.interactive()
                ? new NncProgress.ProgressBar(err, epochs, n) : null;
        long start = System.nanoTime();
        TrainResult result;
        java.util.List<EpochStats> seen = new java.util.ArrayList<>();
        try (NncSignals signals = NncSignals.install()) {
            plan.stop = () -> signals.requested() != 0;
            try {
                result = run(model, train, plan, new Events() {
                    @Override
                    public void epochStarts(int epoch) {
                        if (bar != null) {
                            bar.startEpoch(epoch);
                        }
                    }

                    @Override
                    public void stepDone(int done, double lossSum) {
                        if (bar != null) {
                            bar.update(done, lossSum / done);
                        }
                    }

                    @Override
                    public void epochDone(EpochStats e) {
                        seen.add(e);
                        if (history != null) {
                            NncProgress.writeHistory(history, seen);
                        }
                        String line = NncProgress.epochLine(e, epochs);
                        if (bar != null) {
                            bar.endEpoch(line);
                        } else {
                            err.println(line);
                        }
                    }
                });
            } catch (NonFinite e) {
                if (bar != null) {
                    bar.stop();
                }
                if (flags.plot != null) {
                    NncProgress.drawPlot(flags.plot, model.name(), seen, err);
                }
                stop(model, e.getMessage(), flags.save);
                return 1;
            } catch (Stopped e) {
                if (bar != null) {
                    bar.stop();
                }
                String what = signals.requested() == 15 ? "SIGTERM" : "interrupted";
                StringBuilder said = new StringBuilder(what + " at epoch " + e.epoch + ", step " + e.step + ": ");
                if (flags.save != null) {
                    NncDriver.save(model, flags.save);
                    said.append("saved the weights of the last step to ").append(flags.save);
                } else {
                    said.append("no --save given, the weights are not saved");
                }
                if (plan.checkpoint != null) {
                    said.append("; the checkpoint ").append(flags.checkpoint).append(" resumes there");
                }
                err.println(said);
                if (flags.plot != null) {
                    NncProgress.drawPlot(flags.plot, model.name(), seen, err);
                }
                return signals.exitCode();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double stepSeconds = 0;
        for (EpochStats e : seen) {
            stepSeconds += e.seconds();
        }
        EpochStats last = result.history().isEmpty() ? null : result.last();
        double loss = last == null ? Double.NaN : last.loss();
        int ran = seen.size();
        double samplesPerSecond = (double) n * ran / Math.max(1e-9, stepSeconds);
        if (result.stoppedEarly() || result.bestEpoch() != (last == null ? 0 : last.epoch())) {
            err.println("early stopping: kept the weights of epoch " + result.bestEpoch());
        }
        if (flags.save != null) {
            NncDriver.save(model, flags.save);
            err.println("saved the weights to " + flags.save);
        }
        if (flags.json) {
            java.util.Map<String, Object> doc = trainDocument(result.history(), seconds, samplesPerSecond,
                    plan.validation != null, test != null, plan.patience > 0 ? result : null,
                    flags.save == null ? params(model, model.paramNames()) : null);
            NncDriver.printJson(out, doc);
        } else if (!seen.isEmpty()) {
            String tail = (plan.validation == null ? "" : "  val loss " + NncProgress.fixed(last.validationLoss(), 4)
                    + (Double.isNaN(last.validationAccuracy()) ? "" : "  val acc " + NncProgress.fixed(last.validationAccuracy(), 4)))
                    + (test == null ? "" : "  test loss " + NncProgress.fixed(last.testLoss, 4)
                    + (Double.isNaN(last.testAccuracy) ? "" : "  test acc " + NncProgress.fixed(last.testAccuracy, 4)));
            out.println("loss " + NncProgress.loss(loss) + tail + "  (" + ran + (ran == 1 ? " epoch, " : " epochs, ")
                    + NncProgress.fixed(seconds, 2) + " s, " + NncProgress.grouped(samplesPerSecond) + " samples/s)");
        } else {
            out.println("nothing to train: the checkpoint " + flags.checkpoint + " is already at epoch " + result.bestEpoch());
        }
        if (flags.plot != null && !NncProgress.drawPlot(flags.plot, model.name(), result.history(), err)) {
            return 1;
        }
        return 0;
    }

    /**
     * What became non-finite: the loss, the first gradient element in declaration order, or a weight
     * the update would produce; null when all is finite.
     */
    private static String nonFinite(double loss, NncModel model, String[] names) {
        if (!Double.isFinite(loss)) {
            return "the loss became " + kind(loss);
        }
        int w = model.nonFiniteStep();
        if (w < 0) {
            return null;
        }
        // the one check per step said no: name the cause, a gradient or the step itself
        int p = model.nonFiniteGradient();
        if (p < 0) {
            return "the step would make " + names[w] + " non-finite";
        }
        for (double g : model.gradients()[p]) {
            if (!Double.isFinite(g)) {
                return "a gradient of " + names[p] + " became " + kind(g);
            }
        }
        return "a gradient of " + names[p] + " became non-finite";
    }

    private static String kind(double x) {
        return Double.isNaN(x) ? "NaN" : "infinite";
    }

    /**
     * Ends a run whose step turned non-finite. That step was not applied, so the weights are those
     * after the last finite step; they are written when {@code --save} asked for them.
     */
    private static void stop(NncModel model, String problem, String save) {
        if (save == null) {
            throw new NncDriver.Failed(problem);
        }
        try {
            NncDriver.save(model, save);
        } catch (NncSupport.DataError e) {
            throw new NncDriver.Failed(problem + "; " + e.getMessage());
        }
        throw new NncDriver.Failed(problem + "; the weights before that step are saved in " + save);
    }

    static java.util.Map<String, Object> params(NncModel model, String[] names) {
        double[][] values = model.weights();
        int[][] shapes = model.paramShapes();
        java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
        for (int p = 0; p < names.length; p++) {
            params.put(names[p], NncDriver.nested(values[p], shapes[p], model.f64()));
        }
        return params;
    }
}
