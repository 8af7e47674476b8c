package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-written {@link NncModel}s small enough to compute by hand, for {@link NncDriverTest}. */
final class FakeModels {

    private FakeModels() {}

    /** x[1] then y[1]. */
    static final NncSupport.Schema XY = new NncSupport.Schema(new String[] {"x", "y"}, new int[] {1, 1}, new int[] {0, 0}, 1);
    /** x[2] then c onehot[3]. */
    static final NncSupport.Schema XC = new NncSupport.Schema(new String[] {"x", "c"}, new int[] {2, 3}, new int[] {0, 3}, 1);

    /**
     * {@code y = w x + b} with loss {@code (w x + b - y)^2} and plain SGD; {@code w} has shape [1, 1] and
     * {@code b} is a scalar. Records every batch it is given. Knobs make it fail on purpose.
     */
    static class Linear implements NncModel {
        final long seed;
        final List<int[]> batches = new ArrayList<>();
        double w;
        double b;
        double lr = 0.01;
        double gw;
        double gb;
        double output;
        NncSupport.Dataset data;
        /** Computes in float32: data as f32, weights rounded to float. */
        boolean f32;
        /** The call of {@link #gradients(int[], int, int)} (from 1) whose loss is NaN, or 0. */
        int nanLossAtCall;
        /** The call whose gradient of {@code b} is infinite, or 0. */
        int infiniteGradientAtCall;
        /** A deliberately wrong gradient of {@code w} when not 1. */
        double gradientScale = 1;
        int calls;

        Linear(long seed) {
            this.seed = seed;
            NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
            w = random.nextDouble();
            b = random.nextDouble() - 0.5;
        }

        Linear f32() {
            f32 = true;
            w = (float) w;
            b = (float) b;
            return this;
        }

        double x(int s) {
            return data.f64 != null ? data.f64[0][s] : data.f32[0][s];
        }

        double y(int s) {
            return data.f64 != null ? data.f64[1][s] : data.f32[1][s];
        }

        @Override
        public String name() {
            return "linear";
        }

        @Override
        public NncSupport.Schema schema() {
            return XY;
        }

        @Override
        public boolean f64() {
            return !f32;
        }

        @Override
        public void useData(NncSupport.Dataset data) {
            this.data = data;
        }

        @Override
        public double gradients(int[] order, int from, int to) {
            calls++;
            batches.add(Arrays.copyOfRange(order, from, to));
            double loss = 0;
            gw = 0;
            gb = 0;
            for (int k = from; k < to; k++) {
                int s = order[k];
                double e = w * x(s) + b - y(s);
                loss += e * e;
                gw += 2 * e * x(s);
                gb += 2 * e;
            }
            int n = to - from;
            gw = gw / n * gradientScale;
            gb = calls == infiniteGradientAtCall ? Double.POSITIVE_INFINITY : gb / n;
            return calls == nanLossAtCall ? Double.NaN : loss / n;
        }

        @Override
        public void update() {
            w = round(w - lr * gw);
            b = round(b - lr * gb);
        }

        double round(double v) {
            return f32 ? (float) v : v;
        }

        @Override
        public void setLearningRate(double lr) {
            this.lr = lr;
        }

        @Override
        public double evaluate(int s) {
            predict(s);
            double e = output - y(s);
            return e * e;
        }

        @Override
        public void predict(int s) {
            output = w * x(s) + b;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void output(double[] into) {
            into[0] = output;
        }

        @Override
        public String[] paramNames() {
            return new String[] {"w", "b"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{1, 1}, {}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {{w}, {b}};
        }

        @Override
        public void setWeights(double[][] values) {
            w = round(values[0][0]);
            b = round(values[1][0]);
        }

        @Override
        public double[][] gradients() {
            return new double[][] {{gw}, {gb}};
        }
    }

    /** {@code loss = x^2 - 4 x + 5} of one parameter and no data, with plain SGD. */
    static class Quadratic implements NncModel {
        double x;
        double g;
        double lr = 0.1;
        int samples;

        Quadratic(long seed) {}

        @Override
        public String name() {
            return "quadratic";
        }

        @Override
        public NncSupport.Schema schema() {
            return new NncSupport.Schema(new String[0], new int[0], new int[0], 0);
        }

        @Override
        public boolean f64() {
            return true;
        }

        @Override
        public void useData(NncSupport.Dataset data) {
            samples = data.samples;
        }

        @Override
        public double gradients(int[] order, int from, int to) {
            g = 2 * x - 4;
            return evaluate(0);
        }

        @Override
        public void update() {
            x -= lr * g;
        }

        @Override
        public void setLearningRate(double lr) {
            this.lr = lr;
        }

        @Override
        public double evaluate(int s) {
            return x * x - 4 * x + 5;
        }

        @Override
        public void predict(int s) {}

        @Override
        public int outputSize() {
            return 0;
        }

        @Override
        public void output(double[] into) {}

        @Override
        public String[] paramNames() {
            return new String[] {"x"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {{x}};
        }

        @Override
        public void setWeights(double[][] values) {
            x = values[0][0];
        }

        @Override
        public double[][] gradients() {
            return new double[][] {{g}};
        }
    }

    /** Logits {@code z = W x + b} of 3 classes, loss {@code logsumexp(z) - z[c]}, plain SGD; the output is z. */
    static class Softmax implements NncModel {
        final double[] w = new double[6];
        final double[] b = new double[3];
        final double[] gW = new double[6];
        final double[] gB = new double[3];
        final double[] z = new double[3];
        double lr = 0.1;
        NncSupport.Dataset data;

        Softmax(long seed) {
            NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
            for (int i = 0; i < 6; i++) {
                w[i] = random.nextGaussian() * 0.5;
            }
        }

        /** The loss of sample s, leaving its logits in z and adding its gradient times {@code scale}. */
        private double forward(int s, double scale) {
            double[] x = {data.f64[0][2 * s], data.f64[0][2 * s + 1]};
            int c = data.labels[1][s];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                z[k] = w[2 * k] * x[0] + w[2 * k + 1] * x[1] + b[k];
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += Math.exp(z[k] - max);
            }
            for (int k = 0; k < 3 && scale != 0; k++) {
                double dz = (Math.exp(z[k] - max) / sum - (k == c ? 1 : 0)) * scale;
                gW[2 * k] += dz * x[0];
                gW[2 * k + 1] += dz * x[1];
                gB[k] += dz;
            }
            return max + Math.log(sum) - z[c];
        }

        @Override
        public String name() {
            return "softmax";
        }

        @Override
        public NncSupport.Schema schema() {
            return XC;
        }

        @Override
        public boolean f64() {
            return true;
        }

        @Override
        public void useData(NncSupport.Dataset data) {
            this.data = data;
        }

        @Override
        public double gradients(int[] order, int from, int to) {
            Arrays.fill(gW, 0);
            Arrays.fill(gB, 0);
            double loss = 0;
            for (int k = from; k < to; k++) {
                loss += forward(order[k], 1.0 / (to - from));
            }
            return loss / (to - from);
        }

        @Override
        public void update() {
            for (int i = 0; i < 6; i++) {
                w[i] -= lr * gW[i];
            }
            for (int k = 0; k < 3; k++) {
                b[k] -= lr * gB[k];
            }
        }

        @Override
        public void setLearningRate(double lr) {
            this.lr = lr;
        }

        @Override
        public double evaluate(int s) {
            return forward(s, 0);
        }

        @Override
        public void predict(int s) {
            forward(s, 0);
        }

        @Override
        public int outputSize() {
            return 3;
        }

        @Override
        public void output(double[] into) {
            System.arraycopy(z, 0, into, 0, 3);
        }

        @Override
        public String[] paramNames() {
            return new String[] {"W", "b"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{3, 2}, {3}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {w.clone(), b.clone()};
        }

        @Override
        public void setWeights(double[][] values) {
            System.arraycopy(values[0], 0, w, 0, 6);
            System.arraycopy(values[1], 0, b, 0, 3);
        }

        @Override
        public double[][] gradients() {
            return new double[][] {gW.clone(), gB.clone()};
        }
    }
}
