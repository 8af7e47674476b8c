package com.acme;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.TrainOptions;
import dev.nnc.runtime.TrainResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/** Trains {@code Blobs} (generated from src/main/nn/com/acme/blobs.nn) on points made here, and asks it about new ones. */
public final class Main {

    /** What a run found: the training, the evaluation on unseen points, and p(cloud 1) for (-1, -1) and (1, 1). */
    public record Outcome(TrainResult training, Evaluation test, float low, float high) {}

    private Main() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static Outcome run(PrintStream out) {
        Dataset train = blobs(400, 1);
        Dataset test = blobs(100, 2);
        Blobs model = new Blobs();
        TrainResult training = model.fit(train, TrainOptions.fromModel().validation(test));
        Evaluation evaluation = model.evaluate(test);
        float low = model.predict(new float[] {-1, -1})[1];
        float high = model.predict(new float[] {1, 1})[1];
        out.printf(Locale.ROOT, "epochs %d%n", training.history().size());
        out.printf(Locale.ROOT, "test accuracy %.3f of %d%n", evaluation.accuracy(), evaluation.samples());
        out.printf(Locale.ROOT, "p(cloud 1 | -1, -1) = %.3f%n", low);
        out.printf(Locale.ROOT, "p(cloud 1 | 1, 1) = %.3f%n", high);
        return new Outcome(training, evaluation, low, high);
    }

    /** {@code n} points, half around (-1, -1) (cloud 0), half around (1, 1) (cloud 1), spread 0.5. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] xy = new float[n][];
        int[] cloud = new int[n];
        for (int s = 0; s < n; s++) {
            int side = s % 2;
            float centre = side == 0 ? -1 : 1;
            xy[s] = new float[] {centre + (float) (0.5 * gaussian(random)), centre + (float) (0.5 * gaussian(random))};
            cloud[s] = side;
        }
        return Dataset.of(xy, cloud); // labels: the target y[2] is onehot
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
