import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.GeneratedModel;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncModel;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Schema;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Model {@code cube}, compiled by nnc: fused loops specialized to the model's sizes,
 * the forward and backward pass sample by sample;
 * mini-batch gradient descent with {@code sgd(lr = 0.01)}, float32.
 * <pre>
 *   Cube m = new Cube(); // parameters as the .nn initializes them
 *   m.fit(Cube.data().train()); // the train block's data, epochs, batch and optimizer
 *   float[] y = m.predict(input); // (the model declares no output to predict)
 * </pre>
 * {@link Model} has the whole API and the threading rules: {@code predict} and {@code evaluate} may
 * run on many threads at once while nothing trains. {@link #main} is the standalone trainer
 * ({@code --help} lists its flags).
 */
public final class Cube extends GeneratedModel<Cube> {
    /**
     * Inputs, targets, output and parameters, with their names and shapes; the dtype.
     */
    public static final Schema SCHEMA = new Schema("cube", false,
            new Schema.Variable[] {},
            new Schema.Variable[] {},
            null,
            new Schema.Variable[] {
                new Schema.Variable("x", new int[] {}, 0)});

    /**
     * The model's train block; the command line's flags override it.
     */
    private static final NncDriver.Defaults DEFAULTS = new NncDriver.Defaults(1, 1, false, 0L, null, null, null, null);

    /**
     * The parameters, in the model's order: x.
     */
    private float x;

    /**
     * The gradients, d + the parameter's name: summed over the mini-batch, then averaged.
     */
    private float dx;

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
    public Cube() {
        this(0L);
    }

    /**
     * A model with its parameters drawn from {@code seed}, as the {@code .nn}'s initializers say
     * (language.md section 4).
     */
    public Cube(long seed) {
        super(SCHEMA, DEFAULTS);
        NncSupport.SplitMix64 random = new NncSupport.SplitMix64(seed);
        // x = -3.0
        x = -3f;
    }

    /**
     * A model with the weights of {@code file}, the weights JSON that {@link #save} and the trainer's
     * {@code --save} write.
     *
     * @throws IllegalArgumentException when the file is not this model's (names, shapes) or holds non-finite
     *     values, or cannot be read
     */
    public static Cube load(Path file) {
        Cube model = new Cube();
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
    protected Cube blank() {
        return new Cube(0L);
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
        return NncDriver.run(args, seed -> new Cube(seed).trainer(), DEFAULTS, stdout, stderr);
    }

    /**
     * The buffers of one pass over the parameters of {@link Cube}, and the loops that run it. Training
     * uses one; each thread that predicts or evaluates borrows one of its own.
     */
    private final class Work implements NncModel {
        private float t2;

        private float t6;

        private float loss;

        /**
         * Forward and backward pass of sample {@code s}: adds its gradients into the d* buffers, returns its loss.
         */
        public double trainSample(int s) {
            // t2 = x + 5
            t2 = (x + 5f);
            // t6 = (x + 5)^3 + 1
            t6 = ((float) Math.pow(t2, 3f) + 1f);
            // loss = ((x + 5)^3 + 1)^2
            loss = (t6 * t6);
            // dx += 6 * (x + 5)^2 * ((x + 5)^3 + 1)
            dx += (6f * ((t2 * t2) * t6));
            return loss;
        }

        /**
         * Forward pass of sample {@code s}: its loss.
         */
        @Override
        public double evaluate(int s) {
            // loss = ((x + 5)^3 + 1)^2
            loss = (float) Math.pow(((float) Math.pow((x + 5f), 3f) + 1f), 2f);
            return loss;
        }

        /**
         * Forward pass of sample {@code s} without its targets: only the output.
         */
        @Override
        public void predict(int s) {
        }

        /**
         * Mean loss of samples {@code order[from..to)}; leaves their mean gradients in the d* buffers.
         */
        @Override
        public double gradients(int[] order, int from, int to) {
            if (gradientsStale) {
                dx = 0f;
            }
            gradientsStale = true;
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += trainSample(order[k]);
            }
            if (to - from > 1) {
                float scale = 1f / (to - from);
                dx *= scale;
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
                float next = x - lr * dx;
                x = next;
                dx = 0;
            }
            gradientsStale = false;
        }

        @Override
        public int nonFiniteStep() {
            {
                float next = x - lr * dx;
                if (!Float.isFinite(next)) {
                    return 0;
                }
            }
            return -1;
        }

        @Override
        public String name() {
            return "cube";
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
        }

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
            x = (float) values[0][0];
        }

        @Override
        public void setWeight(int p, int i, double value) {
            if (p == 0) {
                x = (float) value;
            } else {
                throw new IndexOutOfBoundsException("no parameter " + p);
            }
        }

        @Override
        public double[][] gradients() {
            return new double[][] {{dx}};
        }

        @Override
        public void setGradients(double[][] values) {
            dx = (float) values[0][0];
            gradientsStale = true;
        }

        @Override
        public int nonFiniteGradient() {
            if (!Float.isFinite(dx)) {
                return 0;
            }
            return -1;
        }

        @Override
        public double[] gradientNorms() {
            return new double[] {Math.abs(dx)};
        }

        @Override
        public void scaleGradients(double scale) {
            dx *= (float) scale;
        }

        @Override
        public int outputSize() {
            return 0;
        }

        @Override
        public void output(double[] into) {
        }

        @Override
        public double[][] state() {
            return new double[][] {{x}};
        }

        @Override
        public void setState(double[][] values) {
            x = (float) values[0][0];
        }
    }
}
