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
 * epoch {@code e}'s order is the {@code e}-th shuffle of that stream.
 */
public final class NncTraining {

    private NncTraining() {}

    /** What one run of the epoch loop does: the train block as the flags or {@link TrainOptions} override it. */
    static final class Plan {
        int epochs;
        int batch;
        boolean shuffle;
        long seed;
        /** Evaluated after every epoch, or null. */
        NncSupport.Dataset validation;
        /** The onehot target accuracy compares with ({@link NncDriver#accuracyTarget}), or -1. */
        int target = -1;
        /** Early stopping's patience in epochs, 0 for none. */
        int patience;
        /** Written at the end of every epoch and resumed from when it exists, or null. */
        java.nio.file.Path checkpoint;
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
     * The epoch loop: {@code plan.epochs} passes over {@code train}, one {@link NncModel#gradients}
     * and one {@link NncModel#update()} per batch, validation after every epoch, early stopping and
     * checkpoints as the plan says. The model's learning rate is the caller's to set.
     */
    static TrainResult run(NncModel model, NncSupport.Dataset train, Plan plan, Events events) {
        String[] names = model.paramNames();
        int n = train.samples;
        int[] order = new int[n];
        NncSupport.SplitMix64 shuffles = new NncSupport.SplitMix64(plan.seed + 1);
        java.util.List<EpochStats> history = new java.util.ArrayList<>();
        Best best = new Best();
        int first = 1;
        if (plan.checkpoint != null && java.nio.file.Files.exists(plan.checkpoint)) {
            NncCheckpoint.Saved saved = NncCheckpoint.read(plan.checkpoint, model, plan.patience > 0);
            model.setState(saved.state);
            shuffles = new NncSupport.SplitMix64(saved.random);
            best.epoch = saved.bestEpoch;
            best.metric = saved.bestMetric;
            best.state = saved.bestState;
            first = saved.epochs + 1;
        }
        boolean stopped = false;
        model.useData(train);
        for (int epoch = first; epoch <= plan.epochs; epoch++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (plan.shuffle) {
                NncSupport.shuffle(order, shuffles);
            }
            events.epochStarts(epoch);
            long epochStart = System.nanoTime();
            double sum = 0;
            int step = 0;
            for (int from = 0, to; from < n; from = to) {
                to = (int) Math.min(n, (long) from + plan.batch);
                step++;
                double batchLoss = model.gradients(order, from, to);
                String problem = nonFinite(batchLoss, model, names);
                if (problem != null) {
                    throw new NonFinite(problem + " at epoch " + epoch + ", step " + step);
                }
                model.update();
                sum += batchLoss * (to - from);
                events.stepDone(to, sum);
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double loss = sum / n;
            double[] tested = {Double.NaN, Double.NaN};
            if (plan.validation != null) {
                tested = NncDriver.evaluate(model, plan.validation, plan.target);
                model.useData(train);
            }
            EpochStats stats = new EpochStats(epoch, loss, tested[0], tested[1], seconds, n / Math.max(1e-9, seconds));
            history.add(stats);
            double metric = plan.validation != null ? tested[0] : loss;
            if (best.epoch == 0 || metric < best.metric) {
                best.epoch = epoch;
                best.metric = metric;
                best.state = plan.patience > 0 ? model.state() : null;
            }
            stopped = plan.patience > 0 && epoch - best.epoch >= plan.patience && epoch < plan.epochs;
            if (plan.checkpoint != null) {
                NncCheckpoint.write(plan.checkpoint, model, epoch, shuffles.state(), best.epoch, best.metric, best.state);
            }
            events.epochDone(stats);
            if (stopped) {
                break;
            }
        }
        int last = history.isEmpty() ? first - 1 : history.get(history.size() - 1).epoch();
        int holding = last;
        if (plan.patience > 0 && best.state != null && best.epoch != last) {
            model.setState(best.state);
            holding = best.epoch;
        }
        return new TrainResult(history, holding, stopped);
    }

    /** The best epoch so far: its number (0 before the first), loss, and state when early stopping keeps it. */
    private static final class Best {
        int epoch;
        double metric = Double.NaN;
        double[][] state;
    }

    /** {@code nnc train} and the standalone trainer: the loop with a progress bar, epoch lines and the result. */
    static void train(NncModel model, NncFlags flags, NncDriver.Defaults defaults, NncSupport.Dataset train,
            NncSupport.Dataset test, java.io.PrintStream out, java.io.PrintStream err) {
        Plan plan = new Plan();
        plan.epochs = flags.epochs != null ? flags.epochs : defaults.epochs;
        plan.batch = flags.batch != null ? flags.batch : defaults.batch;
        plan.seed = flags.seed != null ? flags.seed : defaults.seed;
        plan.shuffle = defaults.shuffle;
        plan.validation = test;
        plan.target = NncDriver.accuracyTarget(model);
        if (flags.lr != null) {
            model.setLearningRate(flags.lr);
        }
        int n = train.samples;
        int epochs = plan.epochs;
        // System.console() tells whether the process talks to a terminal; nnc train passes its own
        // stderr wrapped, so the stream itself cannot be compared with System.err.
        NncProgress.ProgressBar bar = !flags.json && NncProgress.interactive()
                ? new NncProgress.ProgressBar(err, epochs, n) : null;
        long start = System.nanoTime();
        TrainResult result;
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
                    String line = test == null ? NncProgress.epochLine(e.epoch(), epochs, e.loss(), e.samplesPerSecond())
                            : NncProgress.epochLine(e.epoch(), epochs, e.loss(), e.samplesPerSecond(), e.validationLoss(),
                                    e.validationAccuracy());
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
            stop(model, e.getMessage(), flags.save);
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double stepSeconds = 0;
        for (EpochStats e : result.history()) {
            stepSeconds += e.seconds();
        }
        EpochStats last = result.last();
        double loss = last.loss();
        double[] tested = {last.validationLoss(), last.validationAccuracy()};
        double samplesPerSecond = (double) n * epochs / Math.max(1e-9, stepSeconds);
        if (flags.save != null) {
            NncDriver.save(model, flags.save);
            err.println("saved the weights to " + flags.save);
        }
        if (flags.json) {
            java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("loss", loss);
            doc.put("epochs", epochs);
            doc.put("seconds", seconds);
            doc.put("samples_per_second", samplesPerSecond);
            if (test != null) {
                doc.put("test_loss", tested[0]);
                if (!Double.isNaN(tested[1])) {
                    doc.put("test_accuracy", tested[1]);
                }
            }
            if (flags.save == null) {
                doc.put("params", params(model, model.paramNames()));
            }
            NncDriver.printJson(out, doc);
        } else {
            String testPart = test == null ? "" : "  test loss " + NncProgress.fixed(tested[0], 4)
                    + (Double.isNaN(tested[1]) ? "" : "  test acc " + NncProgress.fixed(tested[1], 4));
            out.println("loss " + NncProgress.loss(loss) + testPart + "  (" + epochs + (epochs == 1 ? " epoch, " : " epochs, ")
                    + NncProgress.fixed(seconds, 2) + " s, " + NncProgress.grouped(samplesPerSecond) + " samples/s)");
        }
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

    private static java.util.Map<String, Object> params(NncModel model, String[] names) {
        double[][] values = model.weights();
        int[][] shapes = model.paramShapes();
        java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
        for (int p = 0; p < names.length; p++) {
            params.put(names[p], NncDriver.nested(values[p], shapes[p], model.f64()));
        }
        return params;
    }
}
