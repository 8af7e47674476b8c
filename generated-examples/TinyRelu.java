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
 * Model {@code tiny_relu}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code sgd(lr = 0.01)}, float32.
 * <pre>
 *   TinyRelu m = new TinyRelu(); // parameters as the .nn initializes them
 *   m.fit(TinyRelu.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 2 values -> out
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class TinyRelu extends GeneratedModel<TinyRelu> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("tiny_relu", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {2}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {1}, 0)},
            new Schema.Variable("out", new int[] {1}, 0),
            new Schema.Variable[] {
                new Schema.Variable("W1", new int[] {2, 2}, 0),
                new Schema.Variable("b1", new int[] {2}, 0),
                new Schema.Variable("W2", new int[] {2, 1}, 0),
                new Schema.Variable("b2", new int[] {1}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(1, 1, false, 0L, null, null, null, inlineData());

    /**
     * The parameters, in the model's order: W1, b1, W2, b2.
     */
    private final float[][] W1 = new float[2][2];

    private final float[] b1 = new float[2];

    private final float[][] W2 = new float[2][1];

    private final float[] b2 = new float[1];

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private final float[][] dW1 = new float[2][2];

    private final float[] db1 = new float[2];

    private final float[][] dW2 = new float[2][1];

    private final float[] db2 = new float[1];

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
    public TinyRelu() {
        this(0L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public TinyRelu(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // W1 = [[0.1, 0.2], [0.3, 0.4]]
        W1[0][0] = 0.1f;
        W1[0][1] = 0.2f;
        W1[1][0] = 0.3f;
        W1[1][1] = 0.4f;
        // b1 = [0.1, 0.2]
        b1[0] = 0.1f;
        b1[1] = 0.2f;
        // W2 = [[0.5], [0.6]]
        W2[0][0] = 0.5f;
        W2[1][0] = 0.6f;
        // b2 = [0.3]
        b2[0] = 0.3f;
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static TinyRelu load(Path file) {
        TinyRelu model = new TinyRelu();
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
    protected TinyRelu blank() {
        return new TinyRelu(0L);
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
        return NncDriver.run(args, seed -> new TinyRelu(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The 1 samples of the model's data block.
     */
    static NncSupport.Dataset inlineData() {
        float[][] values = {new float[] {1f, 2f}, new float[] {0.7f}};
        int[][] labels = {null, null};
        return new NncSupport.Dataset(1, values, null, labels);
    }

    /**
     * The buffers of one pass over the parameters of {@link TinyRelu}, and the loops that run it. Training
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

        private final float[] z_h = new float[2];

        private final float[] h = new float[2];

        private final float[] delta2 = new float[1];

        private float t15;

        private float loss;

        private final float[] delta1 = new float[2];

        private final float[] out = new float[1];

        private final float[] scratch_z_h = new float[2];

        private final float[] scratch_delta2 = new float[1];

        private final float[] scratch_h = new float[2];

        private final float[] scratch_out = new float[1];

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
            stepZ_h();
            stepH();
            stepDelta2();
            stepT15();
            // loss = 0.5 * sum(delta2^2)
            loss = (0.5f * t15);
            stepDelta1();
            stepDW2();
            stepDW1();
            stepDb1();
            stepDb2();
            return loss;
        }

        /**
         * A step of {@link #trainSample}: z_h = x @ W1 + b1.
         */
        private void stepZ_h() {
            // z_h = x @ W1 + b1
            Arrays.fill(scratch_z_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x[p];
                float[] rp = W1[p];
                for (int j = 0; j < 2; j++) {
                    scratch_z_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 2; j++) {
                z_h[j] = (scratch_z_h[j] + b1[j]);
            }
        }

        /**
         * A step of {@link #trainSample}: h = relu(z_h).
         */
        private void stepH() {
            // h = relu(z_h)
            for (int i = 0; i < 2; i++) {
                h[i] = NncMath.relu(z_h[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta2 = out - y.
         */
        private void stepDelta2() {
            // delta2 = out - y
            Arrays.fill(scratch_delta2, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = h[p];
                float[] rp = W2[p];
                for (int j = 0; j < 1; j++) {
                    scratch_delta2[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 1; j++) {
                delta2[j] = ((scratch_delta2[j] + b2[j]) - y[j]);
            }
        }

        /**
         * A step of {@link #trainSample}: t15 = sum(delta2^2).
         */
        private void stepT15() {
            // t15 = sum(delta2^2)
            t15 = 0;
            for (int i = 0; i < 1; i++) {
                t15 += (delta2[i] * delta2[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta1 = relu'(z_h) * dh.
         */
        private void stepDelta1() {
            // delta1 = relu'(z_h) * dh
            for (int i = 0; i < 2; i++) {
                float acc = 0;
                for (int p = 0; p < 1; p++) {
                    acc += W2[i][p] * delta2[p];
                }
                delta1[i] = (NncMath.reluGrad(z_h[i]) * acc);
            }
        }

        /**
         * A step of {@link #trainSample}: dW2 += h outer delta2.
         */
        private void stepDW2() {
            // dW2 += h outer delta2
            for (int i = 0; i < 2; i++) {
                float ai = h[i];
                float[] row = dW2[i];
                for (int j = 0; j < 1; j++) {
                    row[j] += ai * delta2[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: dW1 += x outer delta1.
         */
        private void stepDW1() {
            // dW1 += x outer delta1
            for (int i = 0; i < 2; i++) {
                float ai = x[i];
                float[] row = dW1[i];
                for (int j = 0; j < 2; j++) {
                    row[j] += ai * delta1[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: db1 += delta1.
         */
        private void stepDb1() {
            // db1 += delta1
            for (int i = 0; i < 2; i++) {
                db1[i] += delta1[i];
            }
        }

        /**
         * A step of {@link #trainSample}: db2 += delta2.
         */
        private void stepDb2() {
            // db2 += delta2
            for (int i = 0; i < 1; i++) {
                db2[i] += delta2[i];
            }
        }

        /**
         * Forward pass of sample {@code s}: its loss, and its output in {@code out}.
         */
        @Override
        public double evaluate(int s) {
            NncArrays.row(data_x, bytes_x, s * 2, x, 2);
            System.arraycopy(data_y, s * 1, y, 0, 1);
            // h = relu(z_h)
            Arrays.fill(scratch_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x[p];
                float[] rp = W1[p];
                for (int j = 0; j < 2; j++) {
                    scratch_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 2; j++) {
                h[j] = NncMath.relu((scratch_h[j] + b1[j]));
            }
            // out = h @ W2 + b2
            Arrays.fill(scratch_out, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = h[p];
                float[] rp = W2[p];
                for (int j = 0; j < 1; j++) {
                    scratch_out[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 1; j++) {
                out[j] = (scratch_out[j] + b2[j]);
            }
            // t15 = sum(delta2^2)
            t15 = 0;
            for (int i = 0; i < 1; i++) {
                t15 += (float) Math.pow((out[i] - y[i]), 2f);
            }
            // loss = 0.5 * sum(delta2^2)
            loss = (0.5f * t15);
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            NncArrays.row(data_x, bytes_x, s * 2, x, 2);
            // h = relu(z_h)
            Arrays.fill(scratch_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x[p];
                float[] rp = W1[p];
                for (int j = 0; j < 2; j++) {
                    scratch_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 2; j++) {
                h[j] = NncMath.relu((scratch_h[j] + b1[j]));
            }
            // out = h @ W2 + b2
            Arrays.fill(scratch_out, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = h[p];
                float[] rp = W2[p];
                for (int j = 0; j < 1; j++) {
                    scratch_out[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 1; j++) {
                out[j] = (scratch_out[j] + b2[j]);
            }
        }

        /**
         * Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into
         * {@code output}.
         */
        @Override
        public void predict(float[] input, float[] output) {
            System.arraycopy(input, 0, x, 0, 2);
            // h = relu(z_h)
            Arrays.fill(scratch_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x[p];
                float[] rp = W1[p];
                for (int j = 0; j < 2; j++) {
                    scratch_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 2; j++) {
                h[j] = NncMath.relu((scratch_h[j] + b1[j]));
            }
            // out = h @ W2 + b2
            Arrays.fill(scratch_out, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = h[p];
                float[] rp = W2[p];
                for (int j = 0; j < 1; j++) {
                    scratch_out[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 1; j++) {
                out[j] = (scratch_out[j] + b2[j]);
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
                for (int i = 0; i < 2; i++) {
                    db1[i] *= scale;
                }
                for (float[] row : dW2) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 1; i++) {
                    db2[i] *= scale;
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
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    float next = W1[i][j] - lr * dW1[i][j];
                    W1[i][j] = next;
                    dW1[i][j] = 0;
                }
            }
            for (int i = 0; i < 2; i++) {
                float next = b1[i] - lr * db1[i];
                b1[i] = next;
                db1[i] = 0;
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 1; j++) {
                    float next = W2[i][j] - lr * dW2[i][j];
                    W2[i][j] = next;
                    dW2[i][j] = 0;
                }
            }
            for (int i = 0; i < 1; i++) {
                float next = b2[i] - lr * db2[i];
                b2[i] = next;
                db2[i] = 0;
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
                float worst = 0;
                for (int i = 0; i < 2; i++) {
                    float next = b1[i] - lr * db1[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 1;
                }
            }
            for (int i = 0; i < 2; i++) {
                float worst = 0;
                for (int j = 0; j < 1; j++) {
                    float next = W2[i][j] - lr * dW2[i][j];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 2;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 1; i++) {
                    float next = b2[i] - lr * db2[i];
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 3;
                }
            }
            return -1;
        }

        @Override
        public String name() {
            return "tiny_relu";
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
            return new int[][] {{2, 2}, {2}, {2, 1}, {1}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {NncArrays.flat(W1), NncArrays.flat(b1), NncArrays.flat(W2), NncArrays.flat(b2)};
        }

        @Override
        public void setWeights(double[][] values) {
            NncArrays.unflat(values[0], W1);
            NncArrays.unflat(values[1], b1);
            NncArrays.unflat(values[2], W2);
            NncArrays.unflat(values[3], b2);
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                W1[i / 2][i % 2] = (float) value;
            } else if (p == 1) {
                b1[i] = (float) value;
            } else if (p == 2) {
                W2[i / 1][i % 1] = (float) value;
            } else if (p == 3) {
                b2[i] = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
        }

        @Override
        public double[][] gradients() {
            return new double[][] {NncArrays.flat(dW1), NncArrays.flat(db1), NncArrays.flat(dW2), NncArrays.flat(db2)};
        }

        @Override
        public void setGradients(double[][] values) {
            NncArrays.unflat(values[0], dW1);
            NncArrays.unflat(values[1], db1);
            NncArrays.unflat(values[2], dW2);
            NncArrays.unflat(values[3], db2);
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
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {NncArrays.norm(dW1), NncArrays.norm(db1), NncArrays.norm(dW2), NncArrays.norm(db2)};
        }

        @Override
        public void scaleGradients(double scale) {
            NncArrays.scale(dW1, scale);
            NncArrays.scale(db1, scale);
            NncArrays.scale(dW2, scale);
            NncArrays.scale(db2, scale);
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
            return new double[][] {NncArrays.flat(W1), NncArrays.flat(b1), NncArrays.flat(W2), NncArrays.flat(b2)};
        }

        @Override
        public void setState(double[][] values) {
            NncArrays.unflat(values[0], W1);
            NncArrays.unflat(values[1], b1);
            NncArrays.unflat(values[2], W2);
            NncArrays.unflat(values[3], b2);
        }
    }
}
