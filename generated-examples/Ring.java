import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.GeneratedModel;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncArrays;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncDropout;
import dev.nnc.runtime.NncMath;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Schema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Model {@code ring}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code adamw(lr = 0.05)}, schedule {@code warmup(steps = 5, then = cosine(epochs = 295, min_lr = 0))}, gradient norm clipped at 1, float32.
 * <pre>
 *   Ring m = new Ring(); // parameters as the .nn initializes them
 *   m.fit(Ring.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 3 values -> prob
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class Ring extends GeneratedModel<Ring> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype; how accuracy reads the output of this binary classifier.
     */
    public static final Schema SCHEMA = new Schema("ring", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {3}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {1}, 0)},
            new Schema.Variable("prob", new int[] {1}, 0),
            new Schema.Variable[] {
                new Schema.Variable("h.W", new int[] {12, 2}, 0),
                new Schema.Variable("h.b", new int[] {12}, 0),
                new Schema.Variable("out.W", new int[] {1, 12}, 0),
                new Schema.Variable("out.b", new int[] {1}, 0)},
            Schema.Binary.probability("y"));

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(300, 8, true, 3L, null, null, null, inlineData())
            .withSchedule(LearningRateSchedule.warmup(5, LearningRateSchedule.cosine(295, 0.0)))
            .withClipNorm(1.0);

    /**
     * The parameters, in the model's order: h_W, h_b, out_W, out_b.
     */
    private final float[][] h_W = new float[12][2];

    private final float[] h_b = new float[12];

    private final float[][] out_W = new float[1][12];

    private final float[] out_b = new float[1];

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private final float[][] dh_W = new float[12][2];

    private final float[] dh_b = new float[12];

    private final float[][] dout_W = new float[1][12];

    private final float[] dout_b = new float[1];

    /**
     * Adam's first moment.
     */
    private final float[][] m_h_W = new float[12][2];

    private final float[] m_h_b = new float[12];

    private final float[][] m_out_W = new float[1][12];

    private final float[] m_out_b = new float[1];

    /**
     * Adam's second moment.
     */
    private final float[][] v_h_W = new float[12][2];

    private final float[] v_h_b = new float[12];

    private final float[][] v_out_W = new float[1][12];

    private final float[] v_out_b = new float[1];

    /**
     * Optimizer steps taken so far.
     */
    private int step;

    /**
     * Whether the d* buffers hold gradients no update has used (and cleared) yet.
     */
    private boolean gradientsStale;

    /**
     * The learning rate.
     */
    private float lr = 0.05f;

    /**
     * How many times the weights changed: each Work transposes its copies again when they are older.
     */
    private long weightsVersion;

    /**
     * A model with its parameters drawn from the train block's seed, 3.
     */
    public Ring() {
        this(3L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public Ring(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // h.W ~ uniform(-0.7071067811865475, 0.7071067811865475)
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 2; j++) {
                h_W[i][j] = (float) ((-0.7071067811865475) + (0.7071067811865475 - (-0.7071067811865475)) * random.nextDouble());
            }
        }
        // h.b ~ uniform(-0.7071067811865475, 0.7071067811865475)
        for (int i = 0; i < 12; i++) {
            h_b[i] = (float) ((-0.7071067811865475) + (0.7071067811865475 - (-0.7071067811865475)) * random.nextDouble());
        }
        // out.W ~ uniform(-0.2886751345948129, 0.2886751345948129)
        for (int i = 0; i < 1; i++) {
            for (int j = 0; j < 12; j++) {
                out_W[i][j] = (float) ((-0.2886751345948129) + (0.2886751345948129 - (-0.2886751345948129)) * random.nextDouble());
            }
        }
        // out.b ~ uniform(-0.2886751345948129, 0.2886751345948129)
        for (int i = 0; i < 1; i++) {
            out_b[i] = (float) ((-0.2886751345948129) + (0.2886751345948129 - (-0.2886751345948129)) * random.nextDouble());
        }
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static Ring load(Path file) {
        Ring model = new Ring();
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
    protected Ring blank() {
        return new Ring(0L);
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
        return NncDriver.run(args, seed -> new Ring(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The 24 samples of the model's data block.
     */
    static NncSupport.Dataset inlineData() {
        float[][] values = {new float[] {-0.53f, -0.79f, 1f, -0.87f, -0.2f, 1f, 0.84f, 0.6f, 1f, 0.53f, -0.56f, 1f, 0.07f, -0.45f, 1f, -0.65f, -0.79f, 1f, -0.57f, 0.85f, 1f, 0.66f, 0.61f, 1f, 0.6f, -0.61f, 1f, -0.38f, 0.25f, 1f, 0.46f, 0.71f, 1f, 0.76f, -0.83f, 1f, 0.21f, 0.34f, 1f, -0.05f, -0.82f, 1f, 0.87f, 0.73f, 1f, 0.1f, -0.4f, 1f, 0.82f, 0.14f, 1f, 0.76f, 0.7f, 1f, 0.02f, -0.17f, 1f, 0.2f, -0.14f, 1f, -0.68f, -0.39f, 1f, 0.63f, -0.91f, 1f, -0.91f, 0.25f, 1f, -0.44f, 0.07f, 1f}, new float[] {0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 1f, 0f, 0f, 1f, 0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f}};
        int[][] labels = {null, null};
        return new NncSupport.Dataset(24, values, null, labels);
    }

    /**
     * The buffers of one pass over the parameters of {@link Ring}, and the loops that run it. Training
     * uses one; each thread that predicts or evaluates borrows one of its own.
     */
    private final class Work implements NncModel {
        /**
         * The sample's x.
         */
        private final float[] x = new float[3];

        /**
         * The sample's y.
         */
        private final float[] y = new float[1];

        private final float[] mask1 = new float[12];

        private final float[] x_0to2 = new float[2];

        private final float[] h = new float[12];

        private final float[] d = new float[12];

        private final float[] out = new float[1];

        private float t19;

        private float loss;

        private final float[] delta2 = new float[1];

        private final float[] delta1 = new float[12];

        private final float[] prob = new float[1];

        private float t69;

        private final float[] scratch_delta1 = new float[12];

        private final float[] scratch_h = new float[12];

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
         * The weight matrices the prediction reads, transposed (see {@code transposeWeights}).
         */
        private float[][] transposed_h_W;

        /**
         * The {@code weightsVersion} the copies were made at.
         */
        private long transposedVersion = -1;

        /**
         * The training step's dropout masks: from the train block's seed + 2 until a run seeds it.
         */
        private final NncDropout dropout = new NncDropout(5L);

        /**
         * Forward and backward pass of sample {@code s}: adds its gradients into the d* buffers, returns its loss.
         */
        public double trainSample(int s) {
            NncArrays.row(data_x, bytes_x, s * 3, x, 3);
            System.arraycopy(data_y, s * 1, y, 0, 1);
            // mask1 = dropout mask, p = 0.1: 1 / (1 - p) where kept, else 0
            dropout.fill(mask1, 0.1, 1.1111112f);
            stepX_0to2();
            stepH();
            stepD();
            stepOut();
            stepT19();
            // loss = sum(softplus(out) - out * y) / 1
            loss = (t19 / 1f);
            stepDelta2();
            stepDelta1();
            stepDout_W();
            stepDh_W();
            stepDh_b();
            stepDout_b();
            return loss;
        }

        /**
         * A step of {@link #trainSample}: x_0to2 = x[:2].
         */
        private void stepX_0to2() {
            // x_0to2 = x[:2]
            for (int i = 0; i < 2; i++) {
                x_0to2[i] = x[i];
            }
        }

        /**
         * A step of {@link #trainSample}: h = tanh(z_h).
         */
        private void stepH() {
            // h = tanh(z_h)
            for (int i = 0; i < 12; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += h_W[i][p] * x_0to2[p];
                }
                h[i] = NncMath.tanh((acc + h_b[i]));
            }
        }

        /**
         * A step of {@link #trainSample}: d = h * mask1.
         */
        private void stepD() {
            // d = h * mask1
            for (int i = 0; i < 12; i++) {
                d[i] = (h[i] * mask1[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: out = out.W @ d + out.b.
         */
        private void stepOut() {
            // out = out.W @ d + out.b
            for (int i = 0; i < 1; i++) {
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < 12; p += 4) {
                    acc0 += out_W[i][p] * d[p];
                    acc1 += out_W[i][p + 1] * d[p + 1];
                    acc2 += out_W[i][p + 2] * d[p + 2];
                    acc3 += out_W[i][p + 3] * d[p + 3];
                }
                float acc = (acc0 + acc1) + (acc2 + acc3);
                out[i] = (acc + out_b[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: t19 = sum(softplus(out) - out * y).
         */
        private void stepT19() {
            // t19 = sum(softplus(out) - out * y)
            t19 = 0;
            for (int i = 0; i < 1; i++) {
                t19 += (NncMath.softplus(out[i]) - (out[i] * y[i]));
            }
        }

        /**
         * A step of {@link #trainSample}: delta2 = prob - y.
         */
        private void stepDelta2() {
            // delta2 = prob - y
            for (int i = 0; i < 1; i++) {
                delta2[i] = (NncMath.sigmoid(out[i]) - y[i]);
            }
        }

        /**
         * A step of {@link #trainSample}: delta1 = mask1 * (1 - h^2) * dd.
         */
        private void stepDelta1() {
            // delta1 = mask1 * (1 - h^2) * dd
            Arrays.fill(scratch_delta1, 0f);
            for (int p = 0; p < 1; p++) {
                float lp = delta2[p];
                float[] rp = out_W[p];
                for (int j = 0; j < 12; j++) {
                    scratch_delta1[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 12; j++) {
                delta1[j] = ((mask1[j] * (1f - (h[j] * h[j]))) * scratch_delta1[j]);
            }
        }

        /**
         * A step of {@link #trainSample}: dout_W += delta2 outer d.
         */
        private void stepDout_W() {
            // dout_W += delta2 outer d
            for (int i = 0; i < 1; i++) {
                float ai = delta2[i];
                float[] row = dout_W[i];
                for (int j = 0; j < 12; j++) {
                    row[j] += ai * d[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: dh_W += delta1 outer x[:2].
         */
        private void stepDh_W() {
            // dh_W += delta1 outer x[:2]
            for (int i = 0; i < 12; i++) {
                float ai = delta1[i];
                float[] row = dh_W[i];
                for (int j = 0; j < 2; j++) {
                    row[j] += ai * x_0to2[j];
                }
            }
        }

        /**
         * A step of {@link #trainSample}: dh_b += delta1.
         */
        private void stepDh_b() {
            // dh_b += delta1
            for (int i = 0; i < 12; i++) {
                dh_b[i] += delta1[i];
            }
        }

        /**
         * A step of {@link #trainSample}: dout_b += delta2.
         */
        private void stepDout_b() {
            // dout_b += delta2
            for (int i = 0; i < 1; i++) {
                dout_b[i] += delta2[i];
            }
        }

        /**
         * Forward pass of sample {@code s}: its loss, and its output in {@code prob}.
         */
        @Override
        public double evaluate(int s) {
            NncArrays.row(data_x, bytes_x, s * 3, x, 3);
            System.arraycopy(data_y, s * 1, y, 0, 1);
            // x_0to2 = x[:2]
            for (int i = 0; i < 2; i++) {
                x_0to2[i] = x[i];
            }
            // h = tanh(z_h)
            for (int i = 0; i < 12; i++) {
                float acc = 0;
                for (int p = 0; p < 2; p++) {
                    acc += h_W[i][p] * x_0to2[p];
                }
                h[i] = NncMath.tanh((acc + h_b[i]));
            }
            // out = out.W @ h + out.b
            for (int i = 0; i < 1; i++) {
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < 12; p += 4) {
                    acc0 += out_W[i][p] * h[p];
                    acc1 += out_W[i][p + 1] * h[p + 1];
                    acc2 += out_W[i][p + 2] * h[p + 2];
                    acc3 += out_W[i][p + 3] * h[p + 3];
                }
                float acc = (acc0 + acc1) + (acc2 + acc3);
                out[i] = (acc + out_b[i]);
            }
            // prob = sigmoid(out)
            for (int i = 0; i < 1; i++) {
                prob[i] = NncMath.sigmoid(out[i]);
            }
            // t69 = sum(softplus(out) - out * y)
            t69 = 0;
            for (int i = 0; i < 1; i++) {
                t69 += (NncMath.softplus(out[i]) - (out[i] * y[i]));
            }
            // loss = sum(softplus(out) - out * y) / 1
            loss = (t69 / 1f);
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            if (transposedVersion != weightsVersion) {
                transposeWeights();
            }
            NncArrays.row(data_x, bytes_x, s * 3, x, 3);
            // x_0to2 = x[:2]
            for (int i = 0; i < 2; i++) {
                x_0to2[i] = x[i];
            }
            // h = tanh(z_h)
            Arrays.fill(scratch_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x_0to2[p];
                float[] rp = transposed_h_W[p];
                for (int j = 0; j < 12; j++) {
                    scratch_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 12; j++) {
                h[j] = NncMath.tanh((scratch_h[j] + h_b[j]));
            }
            // prob = sigmoid(out)
            for (int i = 0; i < 1; i++) {
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < 12; p += 4) {
                    acc0 += out_W[i][p] * h[p];
                    acc1 += out_W[i][p + 1] * h[p + 1];
                    acc2 += out_W[i][p + 2] * h[p + 2];
                    acc3 += out_W[i][p + 3] * h[p + 3];
                }
                float acc = (acc0 + acc1) + (acc2 + acc3);
                prob[i] = NncMath.sigmoid((acc + out_b[i]));
            }
        }

        /**
         * Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into
         * {@code output}.
         */
        @Override
        public void predict(float[] input, float[] output) {
            if (transposedVersion != weightsVersion) {
                transposeWeights();
            }
            System.arraycopy(input, 0, x, 0, 3);
            // x_0to2 = x[:2]
            for (int i = 0; i < 2; i++) {
                x_0to2[i] = x[i];
            }
            // h = tanh(z_h)
            Arrays.fill(scratch_h, 0f);
            for (int p = 0; p < 2; p++) {
                float lp = x_0to2[p];
                float[] rp = transposed_h_W[p];
                for (int j = 0; j < 12; j++) {
                    scratch_h[j] += lp * rp[j];
                }
            }
            for (int j = 0; j < 12; j++) {
                h[j] = NncMath.tanh((scratch_h[j] + h_b[j]));
            }
            // prob = sigmoid(out)
            for (int i = 0; i < 1; i++) {
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < 12; p += 4) {
                    acc0 += out_W[i][p] * h[p];
                    acc1 += out_W[i][p + 1] * h[p + 1];
                    acc2 += out_W[i][p + 2] * h[p + 2];
                    acc3 += out_W[i][p + 3] * h[p + 3];
                }
                float acc = (acc0 + acc1) + (acc2 + acc3);
                prob[i] = NncMath.sigmoid((acc + out_b[i]));
            }
            System.arraycopy(prob, 0, output, 0, 1);
        }

        /**
         * Copies the weights the prediction reads, transposed: {@code W @ x} runs as rows of {@code W'}
         * scaled and added, which the JIT vectorizes.
         */
        private void transposeWeights() {
            transposed_h_W = NncArrays.transpose(h_W, transposed_h_W);
            transposedVersion = weightsVersion;
        }

        /**
         * Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.
         */
        @Override
        public double gradients(int[] order, int from, int to) {
            if (gradientsStale) {
                for (float[] row : dh_W) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(dh_b, 0f);
                for (float[] row : dout_W) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(dout_b, 0f);
            }
            gradientsStale = true;
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += trainSample(order[k]);
            }
            if (to - from > 1) {
                float scale = 1f / (to - from);
                for (float[] row : dh_W) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 12; i++) {
                    dh_b[i] *= scale;
                }
                for (float[] row : dout_W) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 1; i++) {
                    dout_b[i] *= scale;
                }
            }
            return sum / (to - from);
        }

        /**
         * One step of {@code adamw(lr = 0.05)} from the mean gradients in the d* buffers, which it leaves zero:
         * <pre>
         * bias1 = 1 - 0.9^t
         * bias2 = 1 - 0.999^t
         * stepSize = lr / bias1
         * bias2Root = sqrt(bias2)
         * decay = 1 - lr * 0.01
         * grad = g
         * m = 0.9 * m + (1 - 0.9) * grad
         * v = 0.999 * v + (1 - 0.999) * grad * grad
         * denom = sqrt(v) / bias2Root + 1.0E-8
         * p = p * decay - stepSize * m / denom
         * </pre>
         */
        @Override
        public void update() {
            step++;
            double bias1 = 1.0 - Math.pow(0.9, step);
            double bias2 = 1.0 - Math.pow(0.999, step);
            float stepSize = (float) (lr / bias1);
            float bias2Root = (float) Math.sqrt(bias2);
            float decay = (float) (1.0 - lr * 0.01);
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 2; j++) {
                    float grad = dh_W[i][j];
                    float mNext = 0.9f * m_h_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h_W[i][j] * decay - stepSize * mNext / denom;
                    m_h_W[i][j] = mNext;
                    v_h_W[i][j] = vNext;
                    h_W[i][j] = next;
                    dh_W[i][j] = 0;
                }
            }
            for (int i = 0; i < 12; i++) {
                float grad = dh_b[i];
                float mNext = 0.9f * m_h_b[i] + 0.09999999999999998f * grad;
                float vNext = 0.999f * v_h_b[i] + 0.0010000000000000009f * grad * grad;
                float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                float next = h_b[i] * decay - stepSize * mNext / denom;
                m_h_b[i] = mNext;
                v_h_b[i] = vNext;
                h_b[i] = next;
                dh_b[i] = 0;
            }
            for (int i = 0; i < 1; i++) {
                for (int j = 0; j < 12; j++) {
                    float grad = dout_W[i][j];
                    float mNext = 0.9f * m_out_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_W[i][j] * decay - stepSize * mNext / denom;
                    m_out_W[i][j] = mNext;
                    v_out_W[i][j] = vNext;
                    out_W[i][j] = next;
                    dout_W[i][j] = 0;
                }
            }
            for (int i = 0; i < 1; i++) {
                float grad = dout_b[i];
                float mNext = 0.9f * m_out_b[i] + 0.09999999999999998f * grad;
                float vNext = 0.999f * v_out_b[i] + 0.0010000000000000009f * grad * grad;
                float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                float next = out_b[i] * decay - stepSize * mNext / denom;
                m_out_b[i] = mNext;
                v_out_b[i] = vNext;
                out_b[i] = next;
                dout_b[i] = 0;
            }
            gradientsStale = false;
            weightsVersion++;
        }

        @Override
        public int nonFiniteStep() {
            double bias1 = 1.0 - Math.pow(0.9, (step + 1));
            double bias2 = 1.0 - Math.pow(0.999, (step + 1));
            float stepSize = (float) (lr / bias1);
            float bias2Root = (float) Math.sqrt(bias2);
            float decay = (float) (1.0 - lr * 0.01);
            for (int i = 0; i < 12; i++) {
                float worst = 0;
                for (int j = 0; j < 2; j++) {
                    float grad = dh_W[i][j];
                    float mNext = 0.9f * m_h_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h_W[i][j] * decay - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 0;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 12; i++) {
                    float grad = dh_b[i];
                    float mNext = 0.9f * m_h_b[i] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h_b[i] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h_b[i] * decay - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 1;
                }
            }
            for (int i = 0; i < 1; i++) {
                float worst = 0;
                for (int j = 0; j < 12; j++) {
                    float grad = dout_W[i][j];
                    float mNext = 0.9f * m_out_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_W[i][j] * decay - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 2;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 1; i++) {
                    float grad = dout_b[i];
                    float mNext = 0.9f * m_out_b[i] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_b[i] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_b[i] * decay - stepSize * mNext / denom;
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
            return "ring";
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
            return new String[] {"h.W", "h.b", "out.W", "out.b"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{12, 2}, {12}, {1, 12}, {1}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {NncArrays.flat(h_W), NncArrays.flat(h_b), NncArrays.flat(out_W), NncArrays.flat(out_b)};
        }

        @Override
        public void setWeights(double[][] values) {
            NncArrays.unflat(values[0], h_W);
            NncArrays.unflat(values[1], h_b);
            NncArrays.unflat(values[2], out_W);
            NncArrays.unflat(values[3], out_b);
            weightsVersion++;
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                h_W[i / 2][i % 2] = (float) value;
            } else if (p == 1) {
                h_b[i] = (float) value;
            } else if (p == 2) {
                out_W[i / 12][i % 12] = (float) value;
            } else if (p == 3) {
                out_b[i] = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
            weightsVersion++;
        }

        @Override
        public double[][] gradients() {
            return new double[][] {NncArrays.flat(dh_W), NncArrays.flat(dh_b), NncArrays.flat(dout_W), NncArrays.flat(dout_b)};
        }

        @Override
        public void setGradients(double[][] values) {
            NncArrays.unflat(values[0], dh_W);
            NncArrays.unflat(values[1], dh_b);
            NncArrays.unflat(values[2], dout_W);
            NncArrays.unflat(values[3], dout_b);
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!NncArrays.finite(dh_W)) {
                return 0;
            }
            if (!NncArrays.finite(dh_b)) {
                return 1;
            }
            if (!NncArrays.finite(dout_W)) {
                return 2;
            }
            if (!NncArrays.finite(dout_b)) {
                return 3;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {NncArrays.norm(dh_W), NncArrays.norm(dh_b), NncArrays.norm(dout_W), NncArrays.norm(dout_b)};
        }

        @Override
        public void scaleGradients(double scale) {
            NncArrays.scale(dh_W, scale);
            NncArrays.scale(dh_b, scale);
            NncArrays.scale(dout_W, scale);
            NncArrays.scale(dout_b, scale);
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void output(double[] into) {
            for (int i = 0; i < 1; i++) {
                into[i] = prob[i];
            }
        }

        @Override
        public NncDropout dropout() {
            return dropout;
        }

        @Override
        public double[][] state() {
            return new double[][] {NncArrays.flat(h_W), NncArrays.flat(h_b), NncArrays.flat(out_W), NncArrays.flat(out_b), NncArrays.flat(m_h_W), NncArrays.flat(m_h_b), NncArrays.flat(m_out_W), NncArrays.flat(m_out_b), NncArrays.flat(v_h_W), NncArrays.flat(v_h_b), NncArrays.flat(v_out_W), NncArrays.flat(v_out_b), {step}, dropout.state()};
        }

        @Override
        public void setState(double[][] values) {
            NncArrays.unflat(values[0], h_W);
            NncArrays.unflat(values[1], h_b);
            NncArrays.unflat(values[2], out_W);
            NncArrays.unflat(values[3], out_b);
            NncArrays.unflat(values[4], m_h_W);
            NncArrays.unflat(values[5], m_h_b);
            NncArrays.unflat(values[6], m_out_W);
            NncArrays.unflat(values[7], m_out_b);
            NncArrays.unflat(values[8], v_h_W);
            NncArrays.unflat(values[9], v_h_b);
            NncArrays.unflat(values[10], v_out_W);
            NncArrays.unflat(values[11], v_out_b);
            step = (int) values[12][0];
            dropout.setState(values[13]);
            weightsVersion++;
        }
    }
}
