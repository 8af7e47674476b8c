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

    static void train(NncModel model, NncFlags flags, NncDriver.Defaults defaults, NncSupport.Dataset train,
            NncSupport.Dataset test, java.io.PrintStream out, java.io.PrintStream err) {
        int epochs = flags.epochs != null ? flags.epochs : defaults.epochs;
        int batch = flags.batch != null ? flags.batch : defaults.batch;
        long seed = flags.seed != null ? flags.seed : defaults.seed;
        if (flags.lr != null) {
            model.setLearningRate(flags.lr);
        }
        int target = NncDriver.accuracyTarget(model);
        String[] names = model.paramNames();
        int n = train.samples;
        int[] order = new int[n];
        NncSupport.SplitMix64 shuffles = new NncSupport.SplitMix64(seed + 1);
        // System.console() tells whether the process talks to a terminal; nnc train passes its own
        // stderr wrapped, so the stream itself cannot be compared with System.err.
        NncProgress.ProgressBar bar = !flags.json && NncProgress.interactive()
                ? new NncProgress.ProgressBar(err, epochs, n) : null;

        double loss = Double.NaN;
        double[] tested = {Double.NaN, Double.NaN};
        long stepNanos = 0;
        long start = System.nanoTime();
        model.useData(train);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (defaults.shuffle) {
                NncSupport.shuffle(order, shuffles);
            }
            if (bar != null) {
                bar.startEpoch(epoch);
            }
            long epochStart = System.nanoTime();
            double sum = 0;
            int step = 0;
            for (int from = 0, to; from < n; from = to) {
                to = (int) Math.min(n, (long) from + batch);
                step++;
                double batchLoss = model.gradients(order, from, to);
                String problem = nonFinite(batchLoss, model, names);
                if (problem != null) {
                    if (bar != null) {
                        bar.stop();
                    }
                    stop(model, problem + " at epoch " + epoch + ", step " + step, flags.save);
                }
                model.update();
                sum += batchLoss * (to - from);
                if (bar != null) {
                    bar.update(to, sum / to);
                }
            }
            long epochNanos = System.nanoTime() - epochStart;
            stepNanos += epochNanos;
            loss = sum / n;
            double speed = n / Math.max(1e-9, epochNanos / 1e9);
            String line = NncProgress.epochLine(epoch, epochs, loss, speed);
            if (test != null) {
                tested = NncDriver.evaluate(model, test, target);
                model.useData(train);
                line = NncProgress.epochLine(epoch, epochs, loss, speed, tested[0], tested[1]);
            }
            if (bar != null) {
                bar.endEpoch(line);
            } else {
                err.println(line);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double samplesPerSecond = (double) n * epochs / Math.max(1e-9, stepNanos / 1e9);
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
                doc.put("params", params(model, names));
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
