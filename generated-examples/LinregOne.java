import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.GeneratedModel;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncArrays;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Schema;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Model {@code linreg_one}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code sgd(lr = 0.01)}, float32.
 * <pre>
 *   LinregOne m = new LinregOne(); // parameters as the .nn initializes them
 *   m.fit(LinregOne.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // x flattened, 1 value -> f
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class LinregOne extends GeneratedModel<LinregOne> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("linreg_one", false,
            new Schema.Variable[] {new Schema.Variable("x", new int[] {}, 0)},
            new Schema.Variable[] {new Schema.Variable("y", new int[] {}, 0)},
            new Schema.Variable("f", new int[] {}, 0),
            new Schema.Variable[] {
                new Schema.Variable("w", new int[] {}, 0),
                new Schema.Variable("b", new int[] {}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(1, 1, false, 0L, null, null, null, inlineData());

    /**
     * The parameters, in the model's order: w, b.
     */
    private float w;

    private float b;

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private float dw;

    private float db;

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
    public LinregOne() {
        this(0L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public LinregOne(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // w = 3.0
        w = 3f;
        // b = 1.0
        b = 1f;
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static LinregOne load(Path file) {
        LinregOne model = new LinregOne();
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
    protected LinregOne blank() {
        return new LinregOne(0L);
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
        return NncDriver.run(args, seed -> new LinregOne(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The 1 samples of the model's data block.
     */
    static NncSupport.Dataset inlineData() {
        float[][] values = {new float[] {-3f}, new float[] {5f}};
        int[][] labels = {null, null};
        return new NncSupport.Dataset(1, values, null, labels);
    }

    /**
     * The buffers of one pass over the parameters of {@link LinregOne}, and the loops that run it. Training
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

        private float d;

        private float loss;

        private float f;

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
            // d = f - y
            d = (((w * x) + b) - y);
            // loss = d^2 / 2
            loss = ((d * d) / 2f);
            // dw += x * d
            dw += (x * d);
            // db += d
            db += d;
            return loss;
        }

        /**
         * Forward pass of sample {@code s}: its loss, and its output in {@code f}.
         */
        @Override
        public double evaluate(int s) {
            x = NncArrays.at(data_x, bytes_x, s);
            y = data_y[s];
            // f = c + b
            f = ((w * x) + b);
            // loss = d^2 / 2
            loss = ((float) Math.pow((f - y), 2f) / 2f);
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
            x = NncArrays.at(data_x, bytes_x, s);
            // f = c + b
            f = ((w * x) + b);
        }

        /**
         * Forward pass of the sample in {@code input} (the inputs flattened in declaration order): its output into
         * {@code output}.
         */
        @Override
        public void predict(float[] input, float[] output) {
            x = input[0];
            // f = c + b
            f = ((w * x) + b);
            output[0] = f;
        }

        /**
         * Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.
         */
        @Override
        public double gradients(int[] order, int from, int to) {
            if (gradientsStale) {
                dw = 0f;
                db = 0f;
            }
            gradientsStale = true;
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += trainSample(order[k]);
            }
            if (to - from > 1) {
                float scale = 1f / (to - from);
                dw *= scale;
                db *= scale;
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
            {
                float next = w - lr * dw;
                w = next;
                dw = 0;
            }
            {
                float next = b - lr * db;
                b = next;
                db = 0;
            }
            gradientsStale = false;
        }

        @Override
        public int nonFiniteStep() {
            {
                float next = w - lr * dw;
                if (!Float.isFinite(next)) {
                    return 0;
                }
            }
            {
                float next = b - lr * db;
                if (!Float.isFinite(next)) {
                    return 1;
                }
            }
            return -1;
        }

        @Override
        public String name() {
            return "linreg_one";
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
            return new String[] {"w", "b"};
        }

        @Override
        public int[][] paramShapes() {
            return new int[][] {{}, {}};
        }

        @Override
        public double[][] weights() {
            return new double[][] {{w}, {b}};
        }

        @Override
        public void setWeights(double[][] values) {
            w = (float) values[0][0];
            b = (float) values[1][0];
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                w = (float) value;
            } else if (p == 1) {
                b = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
        }

        @Override
        public double[][] gradients() {
            return new double[][] {{dw}, {db}};
        }

        @Override
        public void setGradients(double[][] values) {
            dw = (float) values[0][0];
            db = (float) values[1][0];
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!Float.isFinite(dw)) {
                return 0;
            }
            if (!Float.isFinite(db)) {
                return 1;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {Math.abs(dw), Math.abs(db)};
        }

        @Override
        public void scaleGradients(double scale) {
            dw *= (float) scale;
            db *= (float) scale;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void output(double[] into) {
            into[0] = f;
        }

        @Override
        public double[][] state() {
            return new double[][] {{w}, {b}};
        }

        @Override
        public void setState(double[][] values) {
            w = (float) values[0][0];
            b = (float) values[1][0];
        }
    }
}
