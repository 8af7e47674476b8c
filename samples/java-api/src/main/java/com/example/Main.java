package com.example;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.TrainResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A model used from Java the way an application would: {@code Rings}, generated from
 * {@code src/main/nn/com/example/rings.nn} when this project builds, is trained on points made
 * here in memory, evaluated on points it has not seen, saved, loaded back, and asked for
 * predictions from four threads at once.
 * <pre>
 *   mvn -q compile exec:java -Dexec.mainClass=com.example.Main    # weights to target/rings-weights.json
 * </pre>
 */
public final class Main {

    /** Where a point lies: ring 0 within radius 0.6 of the origin, ring 1 within 1.2, ring 2 beyond (up to 1.8). */
    static final double[] RADII = {0.6, 1.2, 1.8};

    /** Points of the plane and the ring each lies in. */
    record Points(float[][] xy, int[] ring) {
        Dataset dataset() {
            return Dataset.of(xy, ring); // labels: the model's target y[3] is onehot
        }
    }

    /**
     * What a run found. The test points' outputs: {@code predicted} by the trained model,
     * {@code reloaded} by the model loaded from its weights file, {@code oneThread} by that one
     * point by point, {@code fourThreads} by that one from four threads at once.
     */
    record Outcome(TrainResult training, Evaluation test, float[][] predicted, float[][] reloaded, float[][] oneThread,
            float[][] fourThreads) {}

    private Main() {}

    public static void main(String[] args) throws Exception {
        Path weights = Path.of(args.length > 0 ? args[0] : "target/rings-weights.json");
        run(weights, System.out);
    }

    /** The whole flow, printing as it goes; the weights are saved to {@code weights}. */
    static Outcome run(Path weights, PrintStream out) throws Exception {
        Points train = rings(600, 1);
        Points test = rings(200, 2);
        out.println(Rings.SCHEMA);

        // Train: the .nn's train block (Adam, batch 32, 150 epochs, seed 7), the test points
        // evaluated after every epoch, a line every 50 epochs.
        Rings model = new Rings();
        TrainResult training = model.fit(train.dataset(), TrainOptions.fromModel()
                .validation(test.dataset())
                .onEpoch(e -> {
                    if (e.epoch() % 50 == 0) {
                        out.printf(Locale.ROOT, "epoch %d: loss %.4f, test loss %.4f, test accuracy %.3f%n",
                                e.epoch(), e.loss(), e.validationLoss(), e.validationAccuracy());
                    }
                }));
        out.println("trained: " + training.history().size() + " epochs");

        Evaluation evaluation = model.evaluate(test.dataset());
        out.printf(Locale.ROOT, "test points: loss %.4f, accuracy %.3f of %d%n", evaluation.loss(), evaluation.accuracy(),
                evaluation.samples());
        out.println("confusion (a row per ring, a column per prediction): " + Arrays.deepToString(evaluation.confusion()));

        model.save(weights);
        out.println("saved the weights to " + weights);
        Rings loaded = Rings.load(weights);
        float[][] predicted = model.predict(test.xy());
        float[][] reloaded = loaded.predict(test.xy());
        out.println("loaded, it predicts as the trained model: " + Arrays.deepEquals(predicted, reloaded));

        float[][] oneThread = predictOnThreads(loaded, test.xy(), 1);
        float[][] fourThreads = predictOnThreads(loaded, test.xy(), 4);
        out.println("4 threads on one model predict as 1 thread: " + Arrays.deepEquals(oneThread, fourThreads));

        for (float[] point : new float[][] {{0.1f, 0.2f}, {-0.9f, 0.1f}, {0.3f, -1.5f}}) {
            float[] p = loaded.predict(point);
            out.printf(Locale.ROOT, "(%.1f, %.1f): ring %d, p = [%.3f, %.3f, %.3f]%n", point[0], point[1], argmax(p), p[0], p[1], p[2]);
        }
        return new Outcome(training, evaluation, predicted, reloaded, oneThread, fourThreads);
    }

    /**
     * Every point's output, the points dealt round-robin to {@code threads} threads that all call
     * {@code predict} on the one model at once: {@code predict} and {@code evaluate} may run on
     * many threads while nothing trains it.
     */
    static float[][] predictOnThreads(Rings model, float[][] points, int threads) throws Exception {
        float[][] outputs = new float[points.length][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int s = first; s < points.length; s += threads) {
                        outputs[s] = model.predict(points[s]);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get(); // rethrows what a thread threw
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        return outputs;
    }

    /**
     * {@code n} points, their radius uniform in [0, 1.8) and their angle uniform, from {@code seed}
     * (StrictMath, so the same on every machine); each point's ring from its float coordinates.
     */
    static Points rings(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] xy = new float[n][];
        int[] ring = new int[n];
        for (int s = 0; s < n; s++) {
            double r = RADII[RADII.length - 1] * random.nextDouble();
            double angle = 2 * Math.PI * random.nextDouble();
            xy[s] = new float[] {(float) (r * StrictMath.cos(angle)), (float) (r * StrictMath.sin(angle))};
            double radius = StrictMath.hypot(xy[s][0], xy[s][1]);
            while (radius >= RADII[ring[s]] && ring[s] < RADII.length - 1) {
                ring[s]++;
            }
        }
        return new Points(xy, ring);
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
