import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.GeneratedModel;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncArrays;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncGemm;
import dev.nnc.runtime.NncMath;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Schema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Model {@code fashion_mnist}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass of a whole mini-batch at once, its matrix products on
 * the kernels of NncGemm;
 * mini-batch gradient descent with {@code adam(lr = 0.001)}, float32.
 * <pre>
 *   FashionMnist m = new FashionMnist(); // parameters as the .nn initializes them
 *   m.fit(FashionMnist.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 784 values -> out
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class FashionMnist extends GeneratedModel<FashionMnist> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("fashion_mnist", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {784}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {10}, 10)},
            new Schema.Variable("out", new int[] {10}, 0),
            new Schema.Variable[] {
                new Schema.Variable("h1.W", new int[] {128, 784}, 0),
                new Schema.Variable("h1.b", new int[] {128}, 0),
                new Schema.Variable("h2.W", new int[] {64, 128}, 0),
                new Schema.Variable("h2.b", new int[] {64}, 0),
                new Schema.Variable("out.W", new int[] {10, 64}, 0),
                new Schema.Variable("out.b", new int[] {10}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(10, 64, true, 42L, "idx(\"/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz\", \"/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz\")", "idx(\"/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz\", \"/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz\")", null, null);

    /**
     * The parameters, in the model's order: h1_W, h1_b, h2_W, h2_b, out_W, out_b.
     */
    private final float[][] h1_W = new float[128][784];

    private final float[] h1_b = new float[128];

    private final float[][] h2_W = new float[64][128];

    private final float[] h2_b = new float[64];

    private final float[][] out_W = new float[10][64];

    private final float[] out_b = new float[10];

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private final float[][] dh1_W = new float[128][784];

    private final float[] dh1_b = new float[128];

    private final float[][] dh2_W = new float[64][128];

    private final float[] dh2_b = new float[64];

    private final float[][] dout_W = new float[10][64];

    private final float[] dout_b = new float[10];

    /**
     * Adam's first moment.
     */
    private final float[][] m_h1_W = new float[128][784];

    private final float[] m_h1_b = new float[128];

    private final float[][] m_h2_W = new float[64][128];

    private final float[] m_h2_b = new float[64];

    private final float[][] m_out_W = new float[10][64];

    private final float[] m_out_b = new float[10];

    /**
     * Adam's second moment.
     */
    private final float[][] v_h1_W = new float[128][784];

    private final float[] v_h1_b = new float[128];

    private final float[][] v_h2_W = new float[64][128];

    private final float[] v_h2_b = new float[64];

    private final float[][] v_out_W = new float[10][64];

    private final float[] v_out_b = new float[10];

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
    private float lr = 0.001f;

    /**
     * How many times the weights changed: each Work transposes its copies again when they are older.
     */
    private long weightsVersion;

    /**
     * A model with its parameters drawn from the train block's seed, 42.
     */
    public FashionMnist() {
        this(42L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public FashionMnist(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // h1.W ~ uniform(-0.03571428571428571, 0.03571428571428571)
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 784; j++) {
                h1_W[i][j] = (float) ((-0.03571428571428571) + (0.03571428571428571 - (-0.03571428571428571)) * random.nextDouble());
            }
        }
        // h1.b ~ uniform(-0.03571428571428571, 0.03571428571428571)
        for (int i = 0; i < 128; i++) {
            h1_b[i] = (float) ((-0.03571428571428571) + (0.03571428571428571 - (-0.03571428571428571)) * random.nextDouble());
        }
        // h2.W ~ uniform(-0.08838834764831843, 0.08838834764831843)
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 128; j++) {
                h2_W[i][j] = (float) ((-0.08838834764831843) + (0.08838834764831843 - (-0.08838834764831843)) * random.nextDouble());
            }
        }
        // h2.b ~ uniform(-0.08838834764831843, 0.08838834764831843)
        for (int i = 0; i < 64; i++) {
            h2_b[i] = (float) ((-0.08838834764831843) + (0.08838834764831843 - (-0.08838834764831843)) * random.nextDouble());
        }
        // out.W ~ uniform(-0.125, 0.125)
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 64; j++) {
                out_W[i][j] = (float) ((-0.125) + (0.125 - (-0.125)) * random.nextDouble());
            }
        }
        // out.b ~ uniform(-0.125, 0.125)
        for (int i = 0; i < 10; i++) {
            out_b[i] = (float) ((-0.125) + (0.125 - (-0.125)) * random.nextDouble());
        }
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static FashionMnist load(Path file) {
        FashionMnist model = new FashionMnist();
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
    protected FashionMnist blank() {
        return new FashionMnist(0L);
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
        return NncDriver.run(args, seed -> new FashionMnist(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The buffers of one pass over the parameters of {@link FashionMnist}, and the loops that run it. Training
     * uses one; each thread that predicts or evaluates borrows one of its own.
     */
    private final class Work implements NncModel {
        private final float[][] x_rows = new float[64][784];

        private final int[] y_rows = new int[64];

        private final float[][] z1_rows = new float[64][128];

        private final float[][] h1_rows = new float[64][128];

        private final float[][] z2_rows = new float[64][64];

        private final float[][] h2_rows = new float[64][64];

        private final float[][] out_rows = new float[64][10];

        private final float[] t16_rows = new float[64];

        private final float[] t18_rows = new float[64];

        private final float[] loss_rows = new float[64];

        private final float[][] t25_rows = new float[64][10];

        private final float[][] delta3_rows = new float[64][10];

        private final float[][] delta2_rows = new float[64][64];

        private final float[][] delta1_rows = new float[64][128];

        private final float[][] x_evalRows = new float[128][784];

        private final int[] y_evalRows = new int[128];

        private final float[][] h1_evalRows = new float[128][128];

        private final float[][] h2_evalRows = new float[128][64];

        private final float[][] out_evalRows = new float[128][10];

        private final float[] t16_evalRows = new float[128];

        private final float[] t18_evalRows = new float[128];

        private final float[] loss_evalRows = new float[128];

        /**
         * The sample's x.
         */
        private final float[] x = new float[784];

        /**
         * The sample's class label.
         */
        private int y;

        private final float[] h1 = new float[128];

        private final float[] h2 = new float[64];

        private final float[] out = new float[10];

        private float t16;

        private float t18;

        private float loss;

        private final float[] scratch_h1 = new float[128];

        private final float[] scratch_h2 = new float[64];

        private final float[] scratch_out = new float[10];

        /**
         * The data set: every sample's values of each variable (labels of a onehot target), row-major, one
         * sample after another.
         */
        private float[] data_x;

        /**
         * Or, when the data set holds input x as unsigned bytes (IDX pixels), those.
         */
        private byte[] bytes_x;

        private int[] data_y;

        /**
         * The weight matrices the prediction reads, transposed (see {@code transposeWeights}).
         */
        private float[][] transposed_h1_W;

        private float[][] transposed_h2_W;

        private float[][] transposed_out_W;

        /**
         * The {@code weightsVersion} the copies were made at.
         */
        private long transposedVersion = -1;

        /**
         * Forward and backward pass of samples {@code order[from..from + nb)}, 64 at most: adds their gradients
         * into the d* buffers, returns the sum of their losses.
         */
        private double trainRows(int[] order, int from, int nb) {
            stepGather(order, from, nb);
            stepZ1(nb);
            stepH1(nb);
            stepZ2(nb);
            stepH2(nb);
            stepOut(nb);
            stepT16(nb);
            stepDelta2(nb);
            stepDelta1(nb);
            stepDout_W(nb);
            stepDh2_W(nb);
            stepDh1_W(nb);
            stepDh1_b(nb);
            double sum = 0;
            for (int r = 0; r < nb; r++) {
                sum += loss_rows[r];
            }
            return sum;
        }

        /**
         * A step of {@link #trainRows}: the inputs and targets of the chunk's samples.
         */
        private void stepGather(int[] order, int from, int nb) {
            for (int r = 0; r < nb; r++) {
                int s = order[from + r];
                NncArrays.row(data_x, bytes_x, s * 784, x_rows[r], 784);
                y_rows[r] = data_y[s];
            }
        }

        /**
         * A step of {@link #trainRows}: z1 = h1.W @ x + h1.b.
         */
        private void stepZ1(int nb) {
            // z1 = h1.W @ x + h1.b
            NncGemm.nt(x_rows, h1_W, z1_rows, nb, 784, 128);
            for (int r = 0; r < nb; r++) {
                float[] row = z1_rows[r];
                for (int i = 0; i < 128; i++) {
                    row[i] = (row[i] + h1_b[i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: h1 = relu(z1).
         */
        private void stepH1(int nb) {
            for (int r = 0; r < nb; r++) {
                // h1 = relu(z1)
                for (int i = 0; i < 128; i++) {
                    h1_rows[r][i] = NncMath.relu(z1_rows[r][i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: z2 = h2.W @ h1 + h2.b.
         */
        private void stepZ2(int nb) {
            // z2 = h2.W @ h1 + h2.b
            NncGemm.nt(h1_rows, h2_W, z2_rows, nb, 128, 64);
            for (int r = 0; r < nb; r++) {
                float[] row = z2_rows[r];
                for (int i = 0; i < 64; i++) {
                    row[i] = (row[i] + h2_b[i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: h2 = relu(z2).
         */
        private void stepH2(int nb) {
            for (int r = 0; r < nb; r++) {
                // h2 = relu(z2)
                for (int i = 0; i < 64; i++) {
                    h2_rows[r][i] = NncMath.relu(z2_rows[r][i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: out = out.W @ h2 + out.b.
         */
        private void stepOut(int nb) {
            // out = out.W @ h2 + out.b
            NncGemm.ntSamples(h2_rows, out_W, out_rows, nb, 64, 10);
            for (int r = 0; r < nb; r++) {
                float[] row = out_rows[r];
                for (int i = 0; i < 10; i++) {
                    row[i] = (row[i] + out_b[i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: t16 = logsumexp(out); t18 = sum(y * out); loss = logsumexp(out) - sum(y * out); t25 = softmax(out); delta3 = softmax(out) - y.
         */
        private void stepT16(int nb) {
            for (int r = 0; r < nb; r++) {
                // t16 = logsumexp(out)
                t16_rows[r] = NncMath.logsumexp(out_rows[r]);
                // t18 = sum(y * out)
                t18_rows[r] = 0;
                for (int i = 0; i < 10; i++) {
                    t18_rows[r] += ((i == y_rows[r] ? 1f : 0f) * out_rows[r][i]);
                }
                // loss = logsumexp(out) - sum(y * out)
                loss_rows[r] = (t16_rows[r] - t18_rows[r]);
                // t25 = softmax(out)
                {
                    float lse = NncMath.logsumexp(out_rows[r]);
                    for (int i = 0; i < 10; i++) {
                        t25_rows[r][i] = (float) Math.exp(out_rows[r][i] - lse);
                    }
                }
                // delta3 = softmax(out) - y
                for (int i = 0; i < 10; i++) {
                    delta3_rows[r][i] = (t25_rows[r][i] - (i == y_rows[r] ? 1f : 0f));
                }
            }
        }

        /**
         * A step of {@link #trainRows}: delta2 = relu'(z2) * dh2.
         */
        private void stepDelta2(int nb) {
            // delta2 = relu'(z2) * dh2
            NncGemm.nn(delta3_rows, out_W, delta2_rows, nb, 10, 64);
            for (int r = 0; r < nb; r++) {
                float[] row = delta2_rows[r];
                for (int i = 0; i < 64; i++) {
                    row[i] = (NncMath.reluGrad(z2_rows[r][i]) * row[i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: delta1 = relu'(z1) * dh1.
         */
        private void stepDelta1(int nb) {
            // delta1 = relu'(z1) * dh1
            NncGemm.nn(delta2_rows, h2_W, delta1_rows, nb, 64, 128);
            for (int r = 0; r < nb; r++) {
                float[] row = delta1_rows[r];
                for (int i = 0; i < 128; i++) {
                    row[i] = (NncMath.reluGrad(z1_rows[r][i]) * row[i]);
                }
            }
        }

        /**
         * A step of {@link #trainRows}: dout_W += delta3 outer h2.
         */
        private void stepDout_W(int nb) {
            // dout_W += delta3 outer h2
            NncGemm.tn(delta3_rows, h2_rows, dout_W, nb, 10, 64);
        }

        /**
         * A step of {@link #trainRows}: dh2_W += delta2 outer h1.
         */
        private void stepDh2_W(int nb) {
            // dh2_W += delta2 outer h1
            NncGemm.tn(delta2_rows, h1_rows, dh2_W, nb, 64, 128);
        }

        /**
         * A step of {@link #trainRows}: dh1_W += delta1 outer x.
         */
        private void stepDh1_W(int nb) {
            // dh1_W += delta1 outer x
            NncGemm.tn(delta1_rows, x_rows, dh1_W, nb, 128, 784);
        }

        /**
         * A step of {@link #trainRows}: dh1_b += delta1; dh2_b += delta2; dout_b += delta3.
         */
        private void stepDh1_b(int nb) {
            for (int r = 0; r < nb; r++) {
                // dh1_b += delta1
                for (int i = 0; i < 128; i++) {
                    dh1_b[i] += delta1_rows[r][i];
                }
                // dh2_b += delta2
                for (int i = 0; i < 64; i++) {
                    dh2_b[i] += delta2_rows[r][i];
                }
                // dout_b += delta3
                for (int i = 0; i < 10; i++) {
                    dout_b[i] += delta3_rows[r][i];
                }
            }
        }

        /**
         * Forward pass of sample {@code s} as a block of one row of {@link #evaluateRows}: its loss, and its
         * output in {@code out}.
         */
        @Override
        public double evaluate(int s) {
            double l = evaluateRows(s, 1);
            System.arraycopy(out_evalRows[0], 0, out, 0, 10);
            return l;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            if (transposedVersion != weightsVersion) {
                transposeWeights();
            }
            NncArrays.row(data_x, bytes_x, s * 784, x, 784);
            // h1 = relu(z1)
            Arrays.fill(scratch_h1, 0f);
            for (int p = 0; p < 784; p += 8) {
                float lp0 = x[p];
                float[] rp0 = transposed_h1_W[p];
                float lp1 = x[p + 1];
                float[] rp1 = transposed_h1_W[p + 1];
                float lp2 = x[p + 2];
                float[] rp2 = transposed_h1_W[p + 2];
                float lp3 = x[p + 3];
                float[] rp3 = transposed_h1_W[p + 3];
                float lp4 = x[p + 4];
                float[] rp4 = transposed_h1_W[p + 4];
                float lp5 = x[p + 5];
                float[] rp5 = transposed_h1_W[p + 5];
                float lp6 = x[p + 6];
                float[] rp6 = transposed_h1_W[p + 6];
                float lp7 = x[p + 7];
                float[] rp7 = transposed_h1_W[p + 7];
                for (int j = 0; j < 128; j++) {
                    scratch_h1[j] = scratch_h1[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 128; j++) {
                h1[j] = NncMath.relu((scratch_h1[j] + h1_b[j]));
            }
            // h2 = relu(z2)
            Arrays.fill(scratch_h2, 0f);
            for (int p = 0; p < 128; p += 8) {
                float lp0 = h1[p];
                float[] rp0 = transposed_h2_W[p];
                float lp1 = h1[p + 1];
                float[] rp1 = transposed_h2_W[p + 1];
                float lp2 = h1[p + 2];
                float[] rp2 = transposed_h2_W[p + 2];
                float lp3 = h1[p + 3];
                float[] rp3 = transposed_h2_W[p + 3];
                float lp4 = h1[p + 4];
                float[] rp4 = transposed_h2_W[p + 4];
                float lp5 = h1[p + 5];
                float[] rp5 = transposed_h2_W[p + 5];
                float lp6 = h1[p + 6];
                float[] rp6 = transposed_h2_W[p + 6];
                float lp7 = h1[p + 7];
                float[] rp7 = transposed_h2_W[p + 7];
                for (int j = 0; j < 64; j++) {
                    scratch_h2[j] = scratch_h2[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 64; j++) {
                h2[j] = NncMath.relu((scratch_h2[j] + h2_b[j]));
            }
            // out = out.W @ h2 + out.b
            Arrays.fill(scratch_out, 0f);
            for (int p = 0; p < 64; p += 8) {
                float lp0 = h2[p];
                float[] rp0 = transposed_out_W[p];
                float lp1 = h2[p + 1];
                float[] rp1 = transposed_out_W[p + 1];
                float lp2 = h2[p + 2];
                float[] rp2 = transposed_out_W[p + 2];
                float lp3 = h2[p + 3];
                float[] rp3 = transposed_out_W[p + 3];
                float lp4 = h2[p + 4];
                float[] rp4 = transposed_out_W[p + 4];
                float lp5 = h2[p + 5];
                float[] rp5 = transposed_out_W[p + 5];
                float lp6 = h2[p + 6];
                float[] rp6 = transposed_out_W[p + 6];
                float lp7 = h2[p + 7];
                float[] rp7 = transposed_out_W[p + 7];
                for (int j = 0; j < 10; j++) {
                    scratch_out[j] = scratch_out[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 10; j++) {
                out[j] = (scratch_out[j] + out_b[j]);
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
            System.arraycopy(input, 0, x, 0, 784);
            // h1 = relu(z1)
            Arrays.fill(scratch_h1, 0f);
            for (int p = 0; p < 784; p += 8) {
                float lp0 = x[p];
                float[] rp0 = transposed_h1_W[p];
                float lp1 = x[p + 1];
                float[] rp1 = transposed_h1_W[p + 1];
                float lp2 = x[p + 2];
                float[] rp2 = transposed_h1_W[p + 2];
                float lp3 = x[p + 3];
                float[] rp3 = transposed_h1_W[p + 3];
                float lp4 = x[p + 4];
                float[] rp4 = transposed_h1_W[p + 4];
                float lp5 = x[p + 5];
                float[] rp5 = transposed_h1_W[p + 5];
                float lp6 = x[p + 6];
                float[] rp6 = transposed_h1_W[p + 6];
                float lp7 = x[p + 7];
                float[] rp7 = transposed_h1_W[p + 7];
                for (int j = 0; j < 128; j++) {
                    scratch_h1[j] = scratch_h1[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 128; j++) {
                h1[j] = NncMath.relu((scratch_h1[j] + h1_b[j]));
            }
            // h2 = relu(z2)
            Arrays.fill(scratch_h2, 0f);
            for (int p = 0; p < 128; p += 8) {
                float lp0 = h1[p];
                float[] rp0 = transposed_h2_W[p];
                float lp1 = h1[p + 1];
                float[] rp1 = transposed_h2_W[p + 1];
                float lp2 = h1[p + 2];
                float[] rp2 = transposed_h2_W[p + 2];
                float lp3 = h1[p + 3];
                float[] rp3 = transposed_h2_W[p + 3];
                float lp4 = h1[p + 4];
                float[] rp4 = transposed_h2_W[p + 4];
                float lp5 = h1[p + 5];
                float[] rp5 = transposed_h2_W[p + 5];
                float lp6 = h1[p + 6];
                float[] rp6 = transposed_h2_W[p + 6];
                float lp7 = h1[p + 7];
                float[] rp7 = transposed_h2_W[p + 7];
                for (int j = 0; j < 64; j++) {
                    scratch_h2[j] = scratch_h2[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 64; j++) {
                h2[j] = NncMath.relu((scratch_h2[j] + h2_b[j]));
            }
            // out = out.W @ h2 + out.b
            Arrays.fill(scratch_out, 0f);
            for (int p = 0; p < 64; p += 8) {
                float lp0 = h2[p];
                float[] rp0 = transposed_out_W[p];
                float lp1 = h2[p + 1];
                float[] rp1 = transposed_out_W[p + 1];
                float lp2 = h2[p + 2];
                float[] rp2 = transposed_out_W[p + 2];
                float lp3 = h2[p + 3];
                float[] rp3 = transposed_out_W[p + 3];
                float lp4 = h2[p + 4];
                float[] rp4 = transposed_out_W[p + 4];
                float lp5 = h2[p + 5];
                float[] rp5 = transposed_out_W[p + 5];
                float lp6 = h2[p + 6];
                float[] rp6 = transposed_out_W[p + 6];
                float lp7 = h2[p + 7];
                float[] rp7 = transposed_out_W[p + 7];
                for (int j = 0; j < 10; j++) {
                    scratch_out[j] = scratch_out[j] + lp0 * rp0[j] + lp1 * rp1[j] + lp2 * rp2[j] + lp3 * rp3[j] + lp4 * rp4[j] + lp5 * rp5[j] + lp6 * rp6[j] + lp7 * rp7[j];
                }
            }
            for (int j = 0; j < 10; j++) {
                out[j] = (scratch_out[j] + out_b[j]);
            }
            System.arraycopy(out, 0, output, 0, 10);
        }

        /**
         * Copies the weights the prediction reads, transposed: {@code W @ x} runs as rows of {@code W'}
         * scaled and added, which the JIT vectorizes.
         */
        private void transposeWeights() {
            transposed_h1_W = NncArrays.transpose(h1_W, transposed_h1_W);
            transposed_h2_W = NncArrays.transpose(h2_W, transposed_h2_W);
            transposed_out_W = NncArrays.transpose(out_W, transposed_out_W);
            transposedVersion = weightsVersion;
        }

        @Override
        public int evaluationRows() {
            return 128;
        }

        /**
         * Forward pass of samples {@code from..from + nb}, 128 at most: the sum of their losses; their
         * outputs stay in rows for {@link #outputRow}. The steps before {@code step} are skipped: their rows
         * hold what they computed for these samples last time (see {@link #evaluationStep}).
         */
        @Override
        public double evaluateRows(int from, int nb, int step) {
            if (step <= 0) {
                for (int r = 0; r < nb; r++) {
                    int s = from + r;
                    NncArrays.row(data_x, bytes_x, s * 784, x_evalRows[r], 784);
                    y_evalRows[r] = data_y[s];
                }
            }
            if (step <= 1) {
                // h1 = relu(z1)
                NncGemm.nt(x_evalRows, h1_W, h1_evalRows, nb, 784, 128);
                for (int r = 0; r < nb; r++) {
                    float[] row = h1_evalRows[r];
                    for (int i = 0; i < 128; i++) {
                        row[i] = NncMath.relu((row[i] + h1_b[i]));
                    }
                }
            }
            if (step <= 2) {
                // h2 = relu(z2)
                NncGemm.nt(h1_evalRows, h2_W, h2_evalRows, nb, 128, 64);
                for (int r = 0; r < nb; r++) {
                    float[] row = h2_evalRows[r];
                    for (int i = 0; i < 64; i++) {
                        row[i] = NncMath.relu((row[i] + h2_b[i]));
                    }
                }
            }
            if (step <= 3) {
                // out = out.W @ h2 + out.b
                NncGemm.ntSamples(h2_evalRows, out_W, out_evalRows, nb, 64, 10);
                for (int r = 0; r < nb; r++) {
                    float[] row = out_evalRows[r];
                    for (int i = 0; i < 10; i++) {
                        row[i] = (row[i] + out_b[i]);
                    }
                }
            }
            if (step <= 4) {
                for (int r = 0; r < nb; r++) {
                    // t16 = logsumexp(out)
                    t16_evalRows[r] = NncMath.logsumexp(out_evalRows[r]);
                    // t18 = sum(y * out)
                    t18_evalRows[r] = 0;
                    for (int i = 0; i < 10; i++) {
                        t18_evalRows[r] += ((i == y_evalRows[r] ? 1f : 0f) * out_evalRows[r][i]);
                    }
                    // loss = logsumexp(out) - sum(y * out)
                    loss_evalRows[r] = (t16_evalRows[r] - t18_evalRows[r]);
                }
            }
            double sum = 0;
            for (int r = 0; r < nb; r++) {
                sum += loss_evalRows[r];
            }
            return sum;
        }

        @Override
        public double evaluateRows(int from, int nb) {
            return evaluateRows(from, nb, 0);
        }

        @Override
        public int evaluationStep(int p) {
            return new int[] {1, 1, 2, 2, 3, 3}[p];
        }

        @Override
        public int evaluationColumns(int p) {
            return new int[] {784, 1, 128, 1, 64, 1}[p];
        }

        @Override
        public double evaluateRows(int from, int nb, int step, int j, int m) {
            if (step == 1) {
                for (int r = 0; r < nb; r++) {
                    float[] row = h1_evalRows[r];
                    float[] lp = x_evalRows[r];
                    for (int p = 0; p < (j == m ? 1 : 2); p++) {
                        int i = p == 0 ? j : m;
                        float[] rp = h1_W[i];
                        float acc = 0;
                        for (int k = 0; k < 784; k++) {
                            acc += lp[k] * rp[k];
                        }
                        row[i] = NncMath.relu((acc + h1_b[i]));
                    }
                }
                return evaluateRows(from, nb, 2);
            }
            if (step == 2) {
                for (int r = 0; r < nb; r++) {
                    float[] row = h2_evalRows[r];
                    float[] lp = h1_evalRows[r];
                    for (int p = 0; p < (j == m ? 1 : 2); p++) {
                        int i = p == 0 ? j : m;
                        float[] rp = h2_W[i];
                        float acc = 0;
                        for (int k = 0; k < 128; k++) {
                            acc += lp[k] * rp[k];
                        }
                        row[i] = NncMath.relu((acc + h2_b[i]));
                    }
                }
                return evaluateRows(from, nb, 3);
            }
            if (step == 3) {
                for (int r = 0; r < nb; r++) {
                    float[] row = out_evalRows[r];
                    float[] lp = h2_evalRows[r];
                    for (int p = 0; p < (j == m ? 1 : 2); p++) {
                        int i = p == 0 ? j : m;
                        float[] rp = out_W[i];
                        float acc = 0;
                        for (int k = 0; k < 64; k++) {
                            acc += lp[k] * rp[k];
                        }
                        row[i] = (acc + out_b[i]);
                    }
                }
                return evaluateRows(from, nb, 4);
            }
            return evaluateRows(from, nb, step);
        }

        /**
         * Copies the output of row {@code r} of the last {@link #evaluateRows} into {@code into}.
         */
        @Override
        public void outputRow(int r, double[] into) {
            for (int i = 0; i < 10; i++) {
                into[i] = out_evalRows[r][i];
            }
        }

        /**
         * Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.
         */
        @Override
        public double gradients(int[] order, int from, int to) {
            if (gradientsStale) {
                for (float[] row : dh1_W) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(dh1_b, 0f);
                for (float[] row : dh2_W) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(dh2_b, 0f);
                for (float[] row : dout_W) {
                    Arrays.fill(row, 0f);
                }
                Arrays.fill(dout_b, 0f);
            }
            gradientsStale = true;
            double sum = 0;
            for (int k = from; k < to; k += 64) {
                sum += trainRows(order, k, Math.min(64, to - k));
            }
            if (to - from > 1) {
                float scale = 1f / (to - from);
                for (float[] row : dh1_W) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 128; i++) {
                    dh1_b[i] *= scale;
                }
                for (float[] row : dh2_W) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 64; i++) {
                    dh2_b[i] *= scale;
                }
                for (float[] row : dout_W) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= scale;
                    }
                }
                for (int i = 0; i < 10; i++) {
                    dout_b[i] *= scale;
                }
            }
            return sum / (to - from);
        }

        /**
         * One step of {@code adam(lr = 0.001)} from the mean gradients in the d* buffers, which it leaves zero:
         * <pre>
         * bias1 = 1 - 0.9^t
         * bias2 = 1 - 0.999^t
         * stepSize = lr / bias1
         * bias2Root = sqrt(bias2)
         * grad = g
         * m = 0.9 * m + (1 - 0.9) * grad
         * v = 0.999 * v + (1 - 0.999) * grad * grad
         * denom = sqrt(v) / bias2Root + 1.0E-8
         * p = p - stepSize * m / denom
         * </pre>
         */
        @Override
        public void update() {
            step++;
            double bias1 = 1.0 - Math.pow(0.9, step);
            double bias2 = 1.0 - Math.pow(0.999, step);
            float stepSize = (float) (lr / bias1);
            float bias2Root = (float) Math.sqrt(bias2);
            for (int i = 0; i < 128; i++) {
                for (int j = 0; j < 784; j++) {
                    float grad = dh1_W[i][j];
                    float mNext = 0.9f * m_h1_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h1_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h1_W[i][j] - stepSize * mNext / denom;
                    m_h1_W[i][j] = mNext;
                    v_h1_W[i][j] = vNext;
                    h1_W[i][j] = next;
                    dh1_W[i][j] = 0;
                }
            }
            for (int i = 0; i < 128; i++) {
                float grad = dh1_b[i];
                float mNext = 0.9f * m_h1_b[i] + 0.09999999999999998f * grad;
                float vNext = 0.999f * v_h1_b[i] + 0.0010000000000000009f * grad * grad;
                float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                float next = h1_b[i] - stepSize * mNext / denom;
                m_h1_b[i] = mNext;
                v_h1_b[i] = vNext;
                h1_b[i] = next;
                dh1_b[i] = 0;
            }
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 128; j++) {
                    float grad = dh2_W[i][j];
                    float mNext = 0.9f * m_h2_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h2_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h2_W[i][j] - stepSize * mNext / denom;
                    m_h2_W[i][j] = mNext;
                    v_h2_W[i][j] = vNext;
                    h2_W[i][j] = next;
                    dh2_W[i][j] = 0;
                }
            }
            for (int i = 0; i < 64; i++) {
                float grad = dh2_b[i];
                float mNext = 0.9f * m_h2_b[i] + 0.09999999999999998f * grad;
                float vNext = 0.999f * v_h2_b[i] + 0.0010000000000000009f * grad * grad;
                float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                float next = h2_b[i] - stepSize * mNext / denom;
                m_h2_b[i] = mNext;
                v_h2_b[i] = vNext;
                h2_b[i] = next;
                dh2_b[i] = 0;
            }
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 64; j++) {
                    float grad = dout_W[i][j];
                    float mNext = 0.9f * m_out_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_W[i][j] - stepSize * mNext / denom;
                    m_out_W[i][j] = mNext;
                    v_out_W[i][j] = vNext;
                    out_W[i][j] = next;
                    dout_W[i][j] = 0;
                }
            }
            for (int i = 0; i < 10; i++) {
                float grad = dout_b[i];
                float mNext = 0.9f * m_out_b[i] + 0.09999999999999998f * grad;
                float vNext = 0.999f * v_out_b[i] + 0.0010000000000000009f * grad * grad;
                float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                float next = out_b[i] - stepSize * mNext / denom;
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
            for (int i = 0; i < 128; i++) {
                float worst = 0;
                for (int j = 0; j < 784; j++) {
                    float grad = dh1_W[i][j];
                    float mNext = 0.9f * m_h1_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h1_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h1_W[i][j] - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 0;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 128; i++) {
                    float grad = dh1_b[i];
                    float mNext = 0.9f * m_h1_b[i] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h1_b[i] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h1_b[i] - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 1;
                }
            }
            for (int i = 0; i < 64; i++) {
                float worst = 0;
                for (int j = 0; j < 128; j++) {
                    float grad = dh2_W[i][j];
                    float mNext = 0.9f * m_h2_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h2_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h2_W[i][j] - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 2;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 64; i++) {
                    float grad = dh2_b[i];
                    float mNext = 0.9f * m_h2_b[i] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_h2_b[i] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = h2_b[i] - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 3;
                }
            }
            for (int i = 0; i < 10; i++) {
                float worst = 0;
                for (int j = 0; j < 64; j++) {
                    float grad = dout_W[i][j];
                    float mNext = 0.9f * m_out_W[i][j] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_W[i][j] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_W[i][j] - stepSize * mNext / denom;
                    worst = Math.max(worst, Math.abs(next));
                }
                if (!(worst <= Float.MAX_VALUE)) {
                    return 4;
                }
            }
            {
                float worst = 0;
                for (int i = 0; i < 10; i++) {
                    float grad = dout_b[i];
                    float mNext = 0.9f * m_out_b[i] + 0.09999999999999998f * grad;
                    float vNext = 0.999f * v_out_b[i] + 0.0010000000000000009f * grad * grad;
                    float denom = (float) Math.sqrt(vNext) / bias2Root + 1.0E-8f;
                    float next = out_b[i] - stepSize * mNext / denom;
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
            return "fashion_mnist";
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
            data_y = data == null ? null : data.labels[1];
        }

        @Override
        public String[] paramNames() {
            return new String[] {"h1.W", "h1.b", "h2.W", "h2.b", "out.W", "out.b"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{128, 784}, {128}, {64, 128}, {64}, {10, 64}, {10}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {NncArrays.flat(h1_W), NncArrays.flat(h1_b), NncArrays.flat(h2_W), NncArrays.flat(h2_b), NncArrays.flat(out_W), NncArrays.flat(out_b)};
        }

        @Override
        public void setWeights(double[][] values) {
            NncArrays.unflat(values[0], h1_W);
            NncArrays.unflat(values[1], h1_b);
            NncArrays.unflat(values[2], h2_W);
            NncArrays.unflat(values[3], h2_b);
            NncArrays.unflat(values[4], out_W);
            NncArrays.unflat(values[5], out_b);
            weightsVersion++;
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                h1_W[i / 784][i % 784] = (float) value;
            } else if (p == 1) {
                h1_b[i] = (float) value;
            } else if (p == 2) {
                h2_W[i / 128][i % 128] = (float) value;
            } else if (p == 3) {
                h2_b[i] = (float) value;
            } else if (p == 4) {
                out_W[i / 64][i % 64] = (float) value;
            } else if (p == 5) {
                out_b[i] = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
            weightsVersion++;
        }

        @Override
        public double[][] gradients() {
            return new double[][] {NncArrays.flat(dh1_W), NncArrays.flat(dh1_b), NncArrays.flat(dh2_W), NncArrays.flat(dh2_b), NncArrays.flat(dout_W), NncArrays.flat(dout_b)};
        }

        @Override
        public void setGradients(double[][] values) {
            NncArrays.unflat(values[0], dh1_W);
            NncArrays.unflat(values[1], dh1_b);
            NncArrays.unflat(values[2], dh2_W);
            NncArrays.unflat(values[3], dh2_b);
            NncArrays.unflat(values[4], dout_W);
            NncArrays.unflat(values[5], dout_b);
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!NncArrays.finite(dh1_W)) {
                return 0;
            }
            if (!NncArrays.finite(dh1_b)) {
                return 1;
            }
            if (!NncArrays.finite(dh2_W)) {
                return 2;
            }
            if (!NncArrays.finite(dh2_b)) {
                return 3;
            }
            if (!NncArrays.finite(dout_W)) {
                return 4;
            }
            if (!NncArrays.finite(dout_b)) {
                return 5;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {NncArrays.norm(dh1_W), NncArrays.norm(dh1_b), NncArrays.norm(dh2_W), NncArrays.norm(dh2_b), NncArrays.norm(dout_W), NncArrays.norm(dout_b)};
        }

        @Override
        public void scaleGradients(double scale) {
            NncArrays.scale(dh1_W, scale);
            NncArrays.scale(dh1_b, scale);
            NncArrays.scale(dh2_W, scale);
            NncArrays.scale(dh2_b, scale);
            NncArrays.scale(dout_W, scale);
            NncArrays.scale(dout_b, scale);
        }

        @Override
        public int outputSize() {
            return 10;
        }

        @Override
        public void output(double[] into) {
            for (int i = 0; i < 10; i++) {
                into[i] = out[i];
            }
        }

        @Override
        public double[][] state() {
            return new double[][] {NncArrays.flat(h1_W), NncArrays.flat(h1_b), NncArrays.flat(h2_W), NncArrays.flat(h2_b), NncArrays.flat(out_W), NncArrays.flat(out_b), NncArrays.flat(m_h1_W), NncArrays.flat(m_h1_b), NncArrays.flat(m_h2_W), NncArrays.flat(m_h2_b), NncArrays.flat(m_out_W), NncArrays.flat(m_out_b), NncArrays.flat(v_h1_W), NncArrays.flat(v_h1_b), NncArrays.flat(v_h2_W), NncArrays.flat(v_h2_b), NncArrays.flat(v_out_W), NncArrays.flat(v_out_b), {step}};
        }

        @Override
        public void setState(double[][] values) {
            NncArrays.unflat(values[0], h1_W);
            NncArrays.unflat(values[1], h1_b);
            NncArrays.unflat(values[2], h2_W);
            NncArrays.unflat(values[3], h2_b);
            NncArrays.unflat(values[4], out_W);
            NncArrays.unflat(values[5], out_b);
            NncArrays.unflat(values[6], m_h1_W);
            NncArrays.unflat(values[7], m_h1_b);
            NncArrays.unflat(values[8], m_h2_W);
            NncArrays.unflat(values[9], m_h2_b);
            NncArrays.unflat(values[10], m_out_W);
            NncArrays.unflat(values[11], m_out_b);
            NncArrays.unflat(values[12], v_h1_W);
            NncArrays.unflat(values[13], v_h1_b);
            NncArrays.unflat(values[14], v_h2_W);
            NncArrays.unflat(values[15], v_h2_b);
            NncArrays.unflat(values[16], v_out_W);
            NncArrays.unflat(values[17], v_out_b);
            step = (int) values[18][0];
            weightsVersion++;
        }
    }
}
