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
 * Model {@code net_2321}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code sgd(lr = 0.01)}, float32.
 * <pre>
 *   Net2321 m = new Net2321(); // parameters as the .nn initializes them
 *   m.fit(Net2321.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 2 values -> out
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class Net2321 extends GeneratedModel<Net2321> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("net_2321", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {2}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {1}, 0)},
            new Schema.Variable("out", new int[] {1}, 0),
            new Schema.Variable[] {
                new Schema.Variable("W1", new int[] {3, 2}, 0),
                new Schema.Variable("b1", new int[] {3}, 0),
                new Schema.Variable("W2", new int[] {2, 3}, 0),
                new Schema.Variable("b2", new int[] {2}, 0),
                new Schema.Variable("W3", new int[] {1, 2}, 0),
                new Schema.Variable("b3", new int[] {1}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(1, 2, false, 0L, null, null, null, inlineData());

    /**
     * The parameters, in the model's order: W1, b1, W2, b2, W3, b3.
     */
    private final float[][] W1 = new float[3][2];

    private final float[] b1 = new float[3];

    private final float[][] W2 = new float[2][3];

    private final float[] b2 = new float[2];

    private final float[][] W3 = new float[1][2];

    private final float[] b3 = new float[1];

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private final float[][] dW1 = new float[3][2];

    private final float[] db1 = new float[3];

    private final float[][] dW2 = new float[2][3];

    private final float[] db2 = new float[2];

    private final float[][] dW3 = new float[1][2];

    private final float[] db3 = new float[1];

    /**
     * Whether the d* buffers hold gradients no update has used (and cleared) yet.
     */
    private boolean gradientsStale;

    /**
     * The learning rate.
     */
    private float lr = 0.01f;

    /**
     * A model with its parameters drawn from the train block's seed, 0.
     */
    public Net2321() {
        this(0L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public Net2321(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // W1 = [[-1, 2], [4, 5], [6, -3]]
        W1[0][0] = -1f;
        W1[0][1] = 2f;
        W1[1][0] = 4f;
        W1[1][1] = 5f;
        W1[2][0] = 6f;
        W1[2][1] = -3f;
        // b1 = [-1, -2, 3]
        b1[0] = -1f;
        b1[1] = -2f;
        b1[2] = 3f;
        // W2 = [[0.5389, 0.569, -0.1213], [-0.2766, 0.0664, 0.112]]
        W2[0][0] = 0.5389f;
        W2[0][1] = 0.569f;
        W2[0][2] = -0.1213f;
        W2[1][0] = -0.2766f;
        W2[1][1] = 0.0664f;
        W2[1][2] = 0.112f;
        // b2 = [-0.0097, -0.3818]
        b2[0] = -0.0097f;
        b2[1] = -0.3818f;
        // W3 = [[-0.3824, 0.1682]]
        W3[0][0] = -0.3824f;
        W3[0][1] = 0.1682f;
        // b3 = [0.247]
        b3[0] = 0.247f;
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static Net2321 load(Path file) {
        Net2321 model = new Net2321();
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
    protected Net2321 blank() {
        return new Net2321(0L);
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
        return NncDriver.run(args, seed -> new Net2321(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The 2 samples of the model's data block.
     */
    static NncSupport.Dataset inlineData() {
        float[][] values = {new float[] {1f, 2f, 3f, 4f}, new float[] {0.5f, 0.8f}};
        int[][] labels = {null, null};
        return new NncSupport.Dataset(2, values, null, labels);
    }

    /**
     * The buffers of one pass over the parameters of {@link Net2321}, and the loops that run it. Training
     * uses one; each thread that predicts or evaluates borrows one of its own.
     */
    private final class Work implements NncModel {
        /**
         * The sample's x.
         */
        private final float[] x = new float[2];

        /**
         * The sample's y.
         */
        private final float[] y = new float[1];

        private final float[] z1 = new float[3];

        private final float[] a1 = new float[3];

        private final float[] z2 = new float[2];

        private final float[] a2 = new float[2];

        private final float[] out = new float[1];

        private final float[] t17 = new float[1];

        private float t20;

        private float loss;

        private final float[] delta3 = new float[1];

        private final float[] delta2 = new float[2];

        private final float[] delta1 = new float[3];

        private final float[] scratch_delta2 = new float[2];

        private final float[] scratch_delta1 = new float[3];

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
            NncArrays.row(data_x, bytes_x, s * 2, x, 2);
            System.arraycopy(data_y, s * 1, y, 0, 1);
            stepZ1();
            stepA1();
            stepZ2();
            stepA2();
            stepOut();
            stepT17();
            stepT20();
            // loss = sum((out - y)^2) / 1
            loss = (t20 / 1f);
            stepDelta3();
            stepDb3();
            stepDelta2();
            stepDb2();
            stepDelta1();
            stepDb1();
            stepDW3();
            stepDW2();
            stepDW1();
            return loss;
        }

        /**
         * A step of {@link #trainSample}: z1 = W1 @ x + b1.
         */
        private void stepZ1() {
            // z1 = W1 @ x + b1
            for (int i = 0; i < 3; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * x[p];
                }
                z1[i] = (acc + b1[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: a1 = relu(z1).
         */
        private void stepA1() {
            // a1 = relu(z1)
            for (int i = 0; i < 3; i++) {
                a1[i] = NncMath.relu(z1[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: z2 = W2 @ a1 + b2.
         */
        private void stepZ2() {
            // z2 = W2 @ a1 + b2
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 3; p++) {
                    acc += W2[i][p] * a1[p];
                }
                z2[i] = (acc + b2[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: a2 = relu(z2).
         */
        private void stepA2() {
            // a2 = relu(z2)
            for (int i = 0; i < 2; i++) {
                a2[i] = NncMath.relu(z2[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: out = sigmoid(z_out).
         */
        private void stepOut() {
            // out = sigmoid(z_out)
            for (int i = 0; i < 1; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W3[i][p] * a2[p];
                }
                out[i] = NncMath.sigmoid((acc + b3[i]));
            }
        }

        /**
         * A step of {@link #trainSample}: t17 = out - y.
         */
        private void stepT17() {
            // t17 = out - y
            for (int i = 0; i < 1; i++) {
                t17[i] = (out[i] - y[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: t20 = sum((out - y)^2).
         */
        private void stepT20() {
            // t20 = sum((out - y)^2)
            t20 = 0;
            for (int i = 0; i < 1; i++) {
                t20 += (t17[i] * t17[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta3 = out * (out - y) * (1 - out).
         */
        private void stepDelta3() {
            // delta3 = out * (out - y) * (1 - out)
            for (int i = 0; i < 1; i++) {
                delta3[i] = ((out[i] * t17[i]) * (1f - out[i]));
            }
        }

        /**
         * A step of {@link #trainSample}: db3 += 2 * delta3.
         */
        private void stepDb3() {
            // db3 += 2 * delta3
            for (int i = 0; i < 1; i++) {
                db3[i] += (2f * delta3[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta2 = relu'(z2) * (W3' @ delta3).
         */
        private void stepDelta2() {
            // delta2 = relu'(z2) * (W3' @ delta3)
            Arrays.fill(scratch_delta2, 0f);
            for (int p = 0; p < 1; p++) {
                float lp = delta3[p];
                float[] rp = W3[p];
                for (int j = 0; j < 2; j++) {
                    scratch_delta2[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 2; j++) {
                delta2[j] = (NncMath.reluGrad(z2[j]) * scratch_delta2[j]);
            }
        }

        /**
         * A step of {@link #trainSample}: db2 += 2 * delta2.
         */
        private void stepDb2() {
            // db2 += 2 * delta2
            for (int i = 0; i < 2; i++) {
                db2[i] += (2f * delta2[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta1 = relu'(z1) * (W2' @ delta2).
         */
        private void stepDelta1() {
            // delta1 = relu'(z1) * (W2' @ delta2)
            Arrays.fill(scratch_delta1, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = delta2[p];
                float[] rp = W2[p];
                for (int j = 0; j < 3; j++) {
                    scratch_delta1[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 3; j++) {
                delta1[j] = (NncMath.reluGrad(z1[j]) * scratch_delta1[j]);
            }
        }

        /**
         * A step of {@link #trainSample}: db1 += 2 * delta1.
         */
        private void stepDb1() {
            // db1 += 2 * delta1
            for (int i = 0; i < 3; i++) {
                db1[i] += (2f * delta1[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: dW3 += 2 * (delta3 outer a2).
         */
        private void stepDW3() {
            // dW3 += 2 * (delta3 outer a2)
            for (int i = 0; i < 1; i++) {
                float ai = (2f * delta3[i]);
                float[] row = dW3[i];
                for (int j = 0; j < 2; j++) {
                    row[j] += ai * a2[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: dW2 += 2 * (delta2 outer a1).
         */
        private void stepDW2() {
            // dW2 += 2 * (delta2 outer a1)
            for (int i = 0; i < 2; i++) {
                float ai = (2f * delta2[i]);
                float[] row = dW2[i];
                for (int j = 0; j < 3; j++) {
                    row[j] += ai * a1[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: dW1 += 2 * (delta1 outer x).
         */
        private void stepDW1() {
            // dW1 += 2 * (delta1 outer x)
            for (int i = 0; i < 3; i++) {
                float ai = (2f * delta1[i]);
                float[] row = dW1[i];
                for (int j = 0; j < 2; j++) {
                    row[j] += ai * x[j];
                }
            }
        }

        /**
         * Forward pass of sample {@code s}: its loss, and its output in {@code out}.
         */
        @Override
        public double evaluate(int s) {
            NncArrays.row(data_x, bytes_x, s * 2, x, 2);
            System.arraycopy(data_y, s * 1, y, 0, 1);
            // a1 = relu(z1)
            for (int i = 0; i < 3; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * x[p];
                }
                a1[i] = NncMath.relu((acc + b1[i]));
            }
            // a2 = relu(z2)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 3; p++) {
                    acc += W2[i][p] * a1[p];
                }
                a2[i] = NncMath.relu((acc + b2[i]));
            }
            // out = sigmoid(z_out)
            for (int i = 0; i < 1; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W3[i][p] * a2[p];
                }
                out[i] = NncMath.sigmoid((acc + b3[i]));
            }
            // t20 = sum((out - y)^2)
            t20 = 0;
            for (int i = 0; i < 1; i++) {
                t20 += (float) Math.pow((out[i] - y[i]), 2f);
            }
            // loss = sum((out - y)^2) / 1
            loss = (t20 / 1f);
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            NncArrays.row(data_x, bytes_x, s * 2, x, 2);
            // a1 = relu(z1)
            for (int i = 0; i < 3; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * x[p];
                }
                a1[i] = NncMath.relu((acc + b1[i]));
            }
            // a2 = relu(z2)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 3; p++) {
                    acc += W2[i][p] * a1[p];
                }
                a2[i] = NncMath.relu((acc + b2[i]));
            }
            // out = sigmoid(z_out)
            for (int i = 0; i < 1; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W3[i][p] * a2[p];
                }
                out[i] = NncMath.sigmoid((acc + b3[i]));
            }
        }

        /**
         * Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into
         * {@code output}.
         */
        @Override
        public void predict(float[] input, float[] output) {
            System.arraycopy(input, 0, x, 0, 2);
            // a1 = relu(z1)
            for (int i = 0; i < 3; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W1[i][p] * x[p];
                }
                a1[i] = NncMath.relu((acc + b1[i]));
            }
            // a2 = relu(z2)
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 3; p++) {
                    acc += W2[i][p] * a1[p];
                }
                a2[i] = NncMath.relu((acc + b2[i]));
            }
            // out = sigmoid(z_out)
            for (int i = 0; i < 1; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += W3[i][p] * a2[p];
                }
                out[i] = NncMath.sigmoid((acc + b3[i]));
            }
            System.arraycopy(out, 0, output, 0, 1);
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
                Arrays.fill(db1, 0f);
                for (float[] row : dW2) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(db2, 0f);
                for (float[] row : dW3) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(db3, 0f);
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
                for (int i = 0; i < 3; i++) {
                    db1[i] *= scale;
                }
                for (float[] row : dW2) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 2; i++) {
                    db2[i] *= scale;
                }
                for (float[] row : dW3) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 1; i++) {
                    db3[i] *= scale;
                }
            }
            return sum / (to - from);
        }

        /**
         * One step of {@code sgd(lr = 0.01)} from the mean gradients in the d* buffers, which it leaves zero:
         * <pre>
         * p = p - lr * g
         * </pre>
         */
        @Override
        public void update() {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    float next = W1[i][j] - lr * dW1[i][j];
                    W1[i][j] = next;
                    dW1[i][j] = 0;
                }
            }
            for (int i = 0; i < 3; i++) {
                float next = b1[i] - lr * db1[i];
                b1[i] = next;
                db1[i] = 0;
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    float next = W2[i][j] - lr * dW2[i][j];
                    W2[i][j] = next;
                    dW2[i][j] = 0;
                }
            }
            for (int i = 0; i < 2; i++) {
                float next = b2[i] - lr * db2[i];
                b2[i] = next;
                db2[i] = 0;
            }
            for (int i = 0; i < 1; i++) {
                for (int j = 0; j < 2; j++) {
                    float next = W3[i][j] - lr * dW3[i][j];
                    W3[i][j] = next;
                    dW3[i][j] = 0;
                }
            }
            for (int i = 0; i < 1; i++) {
                float next = b3[i] - lr * db3[i];
                b3[i] = next;
                db3[i] = 0;
            }
            gradientsStale = false;
        }

        @Override
        public int nonFiniteStep() {
            for (int i = 0; i < 3; i++) {
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
                float worst = 0;
                for (int i = 0; i < 3; i++) {
                    float next = b1[i] - lr * db1[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 1;
                }
            }
            for (int i = 0; i < 2; i++) {
                float worst = 0;
                for (int j = 0; j < 3; j++) {
                    float next = W2[i][j] - lr * dW2[i][j];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 2;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 2; i++) {
                    float next = b2[i] - lr * db2[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 3;
                }
            }
            for (int i = 0; i < 1; i++) {
                float worst = 0;
                for (int j = 0; j < 2; j++) {
                    float next = W3[i][j] - lr * dW3[i][j];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 4;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 1; i++) {
                    float next = b3[i] - lr * db3[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 5;
                }
            }
            return -1;
        }

        @Override
        public String name() {
            return "net_2321";
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
            return new String[] {"W1", "b1", "W2", "b2", "W3", "b3"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{3, 2}, {3}, {2, 3}, {2}, {1, 2}, {1}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {NncArrays.flat(W1), NncArrays.flat(b1), NncArrays.flat(W2), NncArrays.flat(b2), NncArrays.flat(W3), NncArrays.flat(b3)};
        }

        @Override
        public void setWeights(double[][] values) {
            NncArrays.unflat(values[0], W1);
            NncArrays.unflat(values[1], b1);
            NncArrays.unflat(values[2], W2);
            NncArrays.unflat(values[3], b2);
            NncArrays.unflat(values[4], W3);
            NncArrays.unflat(values[5], b3);
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                W1[i / 2][i % 2] = (float) value;
            } else if (p == 1) {
                b1[i] = (float) value;
            } else if (p == 2) {
                W2[i / 3][i % 3] = (float) value;
            } else if (p == 3) {
                b2[i] = (float) value;
            } else if (p == 4) {
                W3[i / 2][i % 2] = (float) value;
            } else if (p == 5) {
                b3[i] = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
        }

        @Override
        public double[][] gradients() {
            return new double[][] {NncArrays.flat(dW1), NncArrays.flat(db1), NncArrays.flat(dW2), NncArrays.flat(db2), NncArrays.flat(dW3), NncArrays.flat(db3)};
        }

        @Override
        public void setGradients(double[][] values) {
            NncArrays.unflat(values[0], dW1);
            NncArrays.unflat(values[1], db1);
            NncArrays.unflat(values[2], dW2);
            NncArrays.unflat(values[3], db2);
            NncArrays.unflat(values[4], dW3);
            NncArrays.unflat(values[5], db3);
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!NncArrays.finite(dW1)) {
                return 0;
            }
            if (!NncArrays.finite(db1)) {
                return 1;
            }
            if (!NncArrays.finite(dW2)) {
                return 2;
            }
            if (!NncArrays.finite(db2)) {
                return 3;
            }
            if (!NncArrays.finite(dW3)) {
                return 4;
            }
            if (!NncArrays.finite(db3)) {
                return 5;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {NncArrays.norm(dW1), NncArrays.norm(db1), NncArrays.norm(dW2), NncArrays.norm(db2), NncArrays.norm(dW3), NncArrays.norm(db3)};
        }

        @Override
        public void scaleGradients(double scale) {
            NncArrays.scale(dW1, scale);
            NncArrays.scale(db1, scale);
            NncArrays.scale(dW2, scale);
            NncArrays.scale(db2, scale);
            NncArrays.scale(dW3, scale);
            NncArrays.scale(db3, scale);
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void output(double[] into) {
            for (int i = 0; i < 1; i++) {
                into[i] = out[i];
            }
        }

        @Override
        public double[][] state() {
            return new double[][] {NncArrays.flat(W1), NncArrays.flat(b1), NncArrays.flat(W2), NncArrays.flat(b2), NncArrays.flat(W3), NncArrays.flat(b3)};
        }

        @Override
        public void setState(double[][] values) {
            NncArrays.unflat(values[0], W1);
            NncArrays.unflat(values[1], b1);
            NncArrays.unflat(values[2], W2);
            NncArrays.unflat(values[3], b2);
            NncArrays.unflat(values[4], W3);
            NncArrays.unflat(values[5], b3);
        }
    }
}
