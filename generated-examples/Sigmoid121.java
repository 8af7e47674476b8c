import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.GeneratedModel;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncArrays;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncMath;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Schema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Model {@code sigmoid_121}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code sgd(lr = 0.5)}, float32.
 * <pre>
 *   Sigmoid121 m = new Sigmoid121(); // parameters as the .nn initializes them
 *   m.fit(Sigmoid121.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 1 value -> yhat
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class Sigmoid121 extends GeneratedModel<Sigmoid121> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("sigmoid_121", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {}, 0)},
            new Schema.Variable("yhat", new int[] {}, 0),
            new Schema.Variable[] {
                new Schema.Variable("W1", new int[] {2, 2}, 0),
                new Schema.Variable("b1", new int[] {}, 0),
                new Schema.Variable("W2", new int[] {2}, 0),
                new Schema.Variable("b2", new int[] {}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(1, 1, false, 0L, null, null, null, inlineData());

    private static final float[] c6 = {1f, 0f};

    /**
     * The parameters, in the model's order: W1, b1, W2, b2.
     */
    private final float[][] W1 = new float[2][2];

    private float b1;

    private final float[] W2 = new float[2];

    private float b2;

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private final float[][] dW1 = new float[2][2];

    private float db1;

    private final float[] dW2 = new float[2];

    private float db2;

    /**
     * Whether the d* buffers hold gradients no update has used (and cleared) yet.
     */
    private boolean gradientsStale;

    /**
     * The learning rate.
     */
    private float lr = 0.5f;

    /**
     * A model with its parameters drawn from the train block's seed, 0.
     */
    public Sigmoid121() {
        this(0L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public Sigmoid121(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // W1 = [[0.15, 0.2], [0.25, 0.3]]
        W1[0][0] = 0.15f;
        W1[0][1] = 0.2f;
        W1[1][0] = 0.25f;
        W1[1][1] = 0.3f;
        // b1 = 0.35
        b1 = 0.35f;
        // W2 = [0.4, 0.45]
        W2[0] = 0.4f;
        W2[1] = 0.45f;
        // b2 = 0.6
        b2 = 0.6f;
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static Sigmoid121 load(Path file) {
        Sigmoid121 model = new Sigmoid121();
        model.loadWeights(file);
        return model;
    }

    /**
     * The data readers of the model's {@code .nn} file: {@code csv}, {@code idx}, its data block
     * ({@code inline}), and the train block's own data ({@code train}, {@code test}).
     */
    public static Dataset.Reader data() {
        return readerFor(SCHEMA, DEFAULTS);
    }

    /**
     * New buffers for one pass.
     */
    @Override
    protected NncModel newWork() {
        return new Work();
    }

    /**
     * A new instance, for {@link #copy()} to overwrite.
     */
    @Override
    protected Sigmoid121 blank() {
        return new Sigmoid121(0L);
    }

    /**
     * Trains, evaluates, predicts or checks gradients: {@code --help} lists the flags.
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * {@link #main} without exiting: the exit code, results on {@code stdout}, messages on {@code stderr}.
     */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        return NncDriver.run(args, seed -> new Sigmoid121(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The 1 samples of the model's data block.
     */
    static NncSupport.Dataset inlineData() {
        float[][] values = {new float[] {1f}, new float[] {0f}};
        int[][] labels = {null, null};
        return new NncSupport.Dataset(1, values, null, labels);
    }

    /**
     * The buffers of one pass over the parameters of {@link Sigmoid121}, and the loops that run it. Training
     * uses one; each thread that predicts or evaluates borrows one of its own.
     */
    private final class Work implements NncModel {
        /**
         * The sample's x.
         */
        private float x;

        /**
         * The sample's y.
         */
        private float y;

        private final float[] t7 = new float[2];

        private final float[] a1 = new float[2];

        private float yhat;

        private float dyhat;

        private float loss;

        private float t27;

        private final float[] delta1 = new float[2];

        private float t63;

        /**
         * The data set: every sample's values of each variable (labels of a onehot target), row-major, one
         * sample after another.
         */
        private float[] data_x;

        /**
         * Or, when the data set holds input x as unsigned bytes (IDX pixels), those.
         */
        private byte[] bytes_x;

        private float[] data_y;

        /**
         * Forward and backward pass of sample {@code s}: adds its gradients into the d* buffers, returns its loss.
         */
        public double trainSample(int s) {
            x = NncArrays.at(data_x, bytes_x, s);
            y = data_y[s];
            stepT7();
            stepA1();
            stepYhat();
            // dyhat = yhat - y
            dyhat = (yhat - y);
            // loss = 0.5 * dyhat^2
            loss = (0.5f * (dyhat * dyhat));
            // t27 = 1 - yhat
            t27 = (1f - yhat);
            // db2 += yhat * dyhat * (1 - yhat)
            db2 += ((yhat * dyhat) * t27);
            stepDelta1();
            stepDW2();
            stepT63();
            stepDW1();
            // db1 += sum(delta1)
            db1 += t63;
            return loss;
        }

        /**
         * A step of {@link #trainSample}: t7 = x * [1, 0].
         */
        private void stepT7() {
            // t7 = x * [1, 0]
            for (int i = 0; i < 2; i++) {
                t7[i] = (x * c6[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: a1 = sigmoid(z1).
         */
        private void stepA1() {
            // a1 = sigmoid(z1)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * t7[p];
                }
                a1[i] = NncMath.sigmoid((acc + b1));
            }
        }

        /**
         * A step of {@link #trainSample}: yhat = sigmoid(z2).
         */
        private void stepYhat() {
            // yhat = sigmoid(z2)
            {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W2[p] * a1[p];
                }
                yhat = NncMath.sigmoid((acc + b2));
            }
        }

        /**
         * A step of {@link #trainSample}: delta1 = W2 * a1 * (1 - a1) * yhat * dyhat * (1 - yhat).
         */
        private void stepDelta1() {
            // delta1 = W2 * a1 * (1 - a1) * yhat * dyhat * (1 - yhat)
            for (int i = 0; i < 2; i++) {
                delta1[i] = (((((W2[i] * a1[i]) * (1f - a1[i])) * yhat) * dyhat) * t27);
            }
        }

        /**
         * A step of {@link #trainSample}: dW2 += a1 * yhat * dyhat * (1 - yhat).
         */
        private void stepDW2() {
            // dW2 += a1 * yhat * dyhat * (1 - yhat)
            for (int i = 0; i < 2; i++) {
                dW2[i] += (((a1[i] * yhat) * dyhat) * t27);
            }
        }

        /**
         * A step of {@link #trainSample}: t63 = sum(delta1).
         */
        private void stepT63() {
            // t63 = sum(delta1)
            t63 = 0;
            for (int i = 0; i < 2; i++) {
                t63 += delta1[i];
            }
        }

        /**
         * A step of {@link #trainSample}: dW1 += delta1 outer (x * [1, 0]).
         */
        private void stepDW1() {
            // dW1 += delta1 outer (x * [1, 0])
            for (int i = 0; i < 2; i++) {
                float ai = delta1[i];
                float[] row = dW1[i];
                for (int j = 0; j < 2; j++) {
                    row[j] += ai * t7[j];
                }
            }
        }

        /**
         * Forward pass of sample {@code s}: its loss, and its output in {@code yhat}.
         */
        @Override
        public double evaluate(int s) {
            x = NncArrays.at(data_x, bytes_x, s);
            y = data_y[s];
            // t7 = x * [1, 0]
            for (int i = 0; i < 2; i++) {
                t7[i] = (x * c6[i]);
            }
            // a1 = sigmoid(z1)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * t7[p];
                }
                a1[i] = NncMath.sigmoid((acc + b1));
            }
            // yhat = sigmoid(z2)
            {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W2[p] * a1[p];
                }
                yhat = NncMath.sigmoid((acc + b2));
            }
            // loss = 0.5 * dyhat^2
            loss = (0.5f * (float) Math.pow((yhat - y), 2f));
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            x = NncArrays.at(data_x, bytes_x, s);
            // t7 = x * [1, 0]
            for (int i = 0; i < 2; i++) {
                t7[i] = (x * c6[i]);
            }
            // a1 = sigmoid(z1)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * t7[p];
                }
                a1[i] = NncMath.sigmoid((acc + b1));
            }
            // yhat = sigmoid(z2)
            {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W2[p] * a1[p];
                }
                yhat = NncMath.sigmoid((acc + b2));
            }
        }

        /**
         * Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into
         * {@code output}.
         */
        @Override
        public void predict(float[] input, float[] output) {
            x = input[0];
            // t7 = x * [1, 0]
            for (int i = 0; i < 2; i++) {
                t7[i] = (x * c6[i]);
            }
            // a1 = sigmoid(z1)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * t7[p];
                }
                a1[i] = NncMath.sigmoid((acc + b1));
            }
            // yhat = sigmoid(z2)
            {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W2[p] * a1[p];
                }
                yhat = NncMath.sigmoid((acc + b2));
            }
            output[0] = yhat;
        }

        /**
         * Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.
         */
        @Override
        public double gradients(int[] order, int from, int to) {
            if (gradientsStale) {
                for (float[] row : dW1) {
                    Arrays.fill(row, 0f);
                }
                db1 = 0f;
                Arrays.fill(dW2, 0f);
                db2 = 0f;
            }
            gradientsStale = true;
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += trainSample(order[k]);
            }
            if (to - from > 1) {
                float scale = 1f / (to - from);
                for (float[] row : dW1) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                db1 *= scale;
                for (int i = 0; i < 2; i++) {
                    dW2[i] *= scale;
                }
                db2 *= scale;
            }
            return sum / (to - from);
        }

        /**
         * One step of {@code sgd(lr = 0.5)} from the mean gradients in the d* buffers, which it leaves zero:
         * <pre>
         * p = p - lr * g
         * </pre>
         */
        @Override
        public void update() {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    float next = W1[i][j] - lr * dW1[i][j];
                    W1[i][j] = next;
                    dW1[i][j] = 0;
                }
            }
            {
                float next = b1 - lr * db1;
                b1 = next;
                db1 = 0;
            }
            for (int i = 0; i < 2; i++) {
                float next = W2[i] - lr * dW2[i];
                W2[i] = next;
                dW2[i] = 0;
            }
            {
                float next = b2 - lr * db2;
                b2 = next;
                db2 = 0;
            }
            gradientsStale = false;
        }

        @Override
        public int nonFiniteStep() {
            for (int i = 0; i < 2; i++) {
                float worst = 0;
                for (int j = 0; j < 2; j++) {
                    float next = W1[i][j] - lr * dW1[i][j];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 0;
                }
            }
            {
                float next = b1 - lr * db1;
                if (!Float.isFinite(next)) {
                    return 1;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 2; i++) {
                    float next = W2[i] - lr * dW2[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 2;
                }
            }
            {
                float next = b2 - lr * db2;
                if (!Float.isFinite(next)) {
                    return 3;
                }
            }
            return -1;
        }

        @Override
        public String name() {
            return "sigmoid_121";
        }

        @Override
        public NncSupport.Schema schema() {
            return layout(SCHEMA);
        }

        @Override
        public boolean f64() {
            return false;
        }

        @Override
        public void setLearningRate(double rate) {
            lr = (float) rate;
        }

        @Override
        public double learningRate() {
            return lr;
        }

        @Override
        public void useData(NncSupport.Dataset data) {
            data_x = data == null ? null : data.f32[0];
            bytes_x = data == null ? null : data.u8[0];
            data_y = data == null ? null : data.f32[1];
        }

        @Override
        public String[] paramNames() {
            return new String[] {"W1", "b1", "W2", "b2"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{2, 2}, {}, {2}, {}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {NncArrays.flat(W1), {b1}, NncArrays.flat(W2), {b2}};
        }

        @Override
        public void setWeights(double[][] values) {
            NncArrays.unflat(values[0], W1);
            b1 = (float) values[1][0];
            NncArrays.unflat(values[2], W2);
            b2 = (float) values[3][0];
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                W1[i / 2][i % 2] = (float) value;
            } else if (p == 1) {
                b1 = (float) value;
            } else if (p == 2) {
                W2[i] = (float) value;
            } else if (p == 3) {
                b2 = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
        }

        @Override
        public double[][] gradients() {
            return new double[][] {NncArrays.flat(dW1), {db1}, NncArrays.flat(dW2), {db2}};
        }

        @Override
        public void setGradients(double[][] values) {
            NncArrays.unflat(values[0], dW1);
            db1 = (float) values[1][0];
            NncArrays.unflat(values[2], dW2);
            db2 = (float) values[3][0];
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!NncArrays.finite(dW1)) {
                return 0;
            }
            if (!Float.isFinite(db1)) {
                return 1;
            }
            if (!NncArrays.finite(dW2)) {
                return 2;
            }
            if (!Float.isFinite(db2)) {
                return 3;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {NncArrays.norm(dW1), Math.abs(db1), NncArrays.norm(dW2), Math.abs(db2)};
        }

        @Override
        public void scaleGradients(double scale) {
            NncArrays.scale(dW1, scale);
            db1 *= (float) scale;
            NncArrays.scale(dW2, scale);
            db2 *= (float) scale;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void output(double[] into) {
            into[0] = yhat;
        }

        @Override
        public double[][] state() {
            return new double[][] {NncArrays.flat(W1), {b1}, NncArrays.flat(W2), {b2}};
        }

        @Override
        public void setState(double[][] values) {
            NncArrays.unflat(values[0], W1);
            b1 = (float) values[1][0];
            NncArrays.unflat(values[2], W2);
            b2 = (float) values[3][0];
        }
    }
}
