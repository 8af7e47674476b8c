package dev.nnc.runtime;

/**
 * What every class {@code nnc compile} writes extends: the {@link Model} API on top of the class's
 * own fused loops. The generated class {@code Xor} holds the parameters and optimizer state and a
 * private {@code Work} class, one pass's buffers; this class runs the passes.
 *
 * <p>Each thread that predicts or evaluates borrows a {@code Work} of its own from a small pool
 * that lives with the model, so calls from many threads never share buffers, and a warm
 * {@code predict(in, out)} allocates nothing. Training uses one {@code Work} of its own. See
 * {@link Model} for the threading rules.
 *
 * @param <M> the generated class, which {@link #copy()} returns
 */
public abstract class GeneratedModel<M extends GeneratedModel<M>> implements Model {

    /** Spare buffers kept for predicting threads; beyond this many at once, a call allocates its own. */
    private static final int SPARE = 16;

    private final Schema schema;
    private final NncDriver.Defaults defaults;
    private final java.util.concurrent.atomic.AtomicReferenceArray<NncModel> spare =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(SPARE);
    /** The buffers of fit, gradients and apply; made on first use. */
    private NncModel trainer;

    /**
     * @param schema   the generated class's {@code SCHEMA}
     * @param defaults its train block
     */
    protected GeneratedModel(Schema schema, NncDriver.Defaults defaults) {
        this.schema = schema;
        this.defaults = defaults;
    }

    /** The train block of the {@code .nn} (for {@link DataParallel}). */
    final NncDriver.Defaults defaults() {
        return defaults;
    }

    /** New buffers for one pass over this model's parameters: an instance of the generated {@code Work}. */
    protected abstract NncModel newWork();

    /** A new instance of the generated class, whatever its parameters ({@link #copy()} overwrites them). */
    protected abstract M blank();

    /** The buffers training runs on (the command-line trainer drives the model through them too). */
    protected final NncModel trainer() {
        if (trainer == null) {
            trainer = newWork();
        }
        return trainer;
    }

    /** The data readers of a generated class's {@code .nn} file: what its static {@code data()} returns. */
    protected static Dataset.Reader readerFor(Schema schema, NncDriver.Defaults defaults) {
        return new Dataset.Reader(schema, defaults);
    }

    /** The per-sample layout of {@code schema}, for the generated {@code Work}'s {@code schema()}. */
    protected static NncSupport.Schema layout(Schema schema) {
        return schema.layout();
    }

    @Override
    public final Schema schema() {
        return schema;
    }

    @Override
    public final Dataset.Reader dataReader() {
        return new Dataset.Reader(schema, defaults);
    }

    // -------------------------------------------------------------------------------- predict

    private NncModel take() {
        int start = System.identityHashCode(Thread.currentThread());
        for (int k = 0; k < SPARE; k++) {
            NncModel w = spare.getAndSet((start + k) & (SPARE - 1), null);
            if (w != null) {
                return w;
            }
        }
        return newWork();
    }

    private void give(NncModel w) {
        int start = System.identityHashCode(Thread.currentThread());
        for (int k = 0; k < SPARE; k++) {
            if (spare.compareAndSet((start + k) & (SPARE - 1), null, w)) {
                return;
            }
        }
    }

    private void checkPredict(int in, int out) {
        if (schema.outputSize() == 0) {
            throw new IllegalStateException("model " + schema.model() + " declares no output to predict");
        }
        if (in != schema.inputSize()) {
            throw new IllegalArgumentException("input has " + in + " values; model " + schema.model() + " takes "
                    + schema.inputSize() + " (" + names(schema.inputs()) + ", flattened in that order)");
        }
        if (out != schema.outputSize()) {
            throw new IllegalArgumentException("output has room for " + out + " values; model " + schema.model()
                    + "'s output " + schema.output().get() + " has " + schema.outputSize());
        }
    }

    private static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    @Override
    public final float[] predict(float[] input) {
        notNull(input, "input");
        float[] out = new float[schema.outputSize()];
        predict(input, out);
        return out;
    }

    @Override
    public final void predict(float[] input, float[] output) {
        notNull(input, "input");
        notNull(output, "output");
        checkPredict(input.length, output.length);
        if (schema.f64()) {
            double[] out = new double[output.length];
            predictNative(null, NncArrays.flat(input), null, out);
            for (int i = 0; i < out.length; i++) {
                output[i] = (float) out[i];
            }
            return;
        }
        predictNative(input, null, output, null);
    }

    @Override
    public final double[] predict(double[] input) {
        notNull(input, "input");
        double[] out = new double[schema.outputSize()];
        predict(input, out);
        return out;
    }

    @Override
    public final void predict(double[] input, double[] output) {
        notNull(input, "input");
        notNull(output, "output");
        checkPredict(input.length, output.length);
        if (!schema.f64()) {
            float[] in = NncArrays.rounded(input);
            float[] out = new float[output.length];
            predictNative(in, null, out, null);
            for (int i = 0; i < out.length; i++) {
                output[i] = out[i];
            }
            return;
        }
        predictNative(null, input, null, output);
    }

    /** One sample through a borrowed Work, in the model's own dtype (the other pair null). */
    private void predictNative(float[] inF, double[] inD, float[] outF, double[] outD) {
        NncModel w = take();
        try {
            if (inF != null) {
                w.predict(inF, outF);
            } else {
                w.predict(inD, outD);
            }
        } finally {
            give(w);
        }
    }

    @Override
    public final float[][] predict(float[][] inputs) {
        double[][] out = predictRows(inputs, null);
        float[][] result = new float[out.length][];
        for (int s = 0; s < out.length; s++) {
            result[s] = new float[out[s].length];
            for (int i = 0; i < out[s].length; i++) {
                result[s][i] = (float) out[s][i];
            }
        }
        return result;
    }

    @Override
    public final double[][] predict(double[][] inputs) {
        return predictRows(null, inputs);
    }

    /**
     * Many samples, one at a time through the one-sample prediction (over transposed weights, the
     * fastest form measured: a block of rows through the batched kernels took two to three times
     * longer per sample), the samples split over {@link Model#threads()} threads. Each output is
     * exactly the one {@code predict(in)} gives.
     */
    private double[][] predictRows(float[][] f, double[][] d) {
        notNull(f != null ? f : d, "inputs");
        int n = f != null ? f.length : d.length;
        for (int s = 0; s < n; s++) {
            Object row = f != null ? f[s] : d[s];
            if (row == null) {
                throw new IllegalArgumentException("inputs[" + s + "] is null");
            }
            int length = java.lang.reflect.Array.getLength(row);
            if (length != schema.inputSize()) {
                throw new IllegalArgumentException("inputs[" + s + "] has " + length + " values; model " + schema.model()
                        + " takes " + schema.inputSize() + " (" + names(schema.inputs()) + ", flattened in that order)");
            }
        }
        checkPredict(schema.inputSize(), schema.outputSize());
        double[][] out = new double[n][schema.outputSize()];
        if (n == 0) {
            return out;
        }
        NncPool.run(new NncPool.Task() {
            @Override
            void run(int part, int parts) {
                int from = parts == 1 ? 0 : NncPool.bound(n, part, parts);
                int to = parts == 1 ? n : NncPool.bound(n, part + 1, parts);
                NncModel w = take();
                try {
                    float[] oF = schema.f64() ? null : new float[schema.outputSize()];
                    double[] oD = schema.f64() ? new double[schema.outputSize()] : null;
                    for (int s = from; s < to; s++) {
                        if (schema.f64()) {
                            w.predict(d != null ? d[s] : NncArrays.flat(f[s]), oD);
                            System.arraycopy(oD, 0, out[s], 0, oD.length);
                        } else {
                            w.predict(f != null ? f[s] : NncArrays.rounded(d[s]), oF);
                            for (int i = 0; i < oF.length; i++) {
                                out[s][i] = oF[i];
                            }
                        }
                    }
                } finally {
                    give(w);
                }
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------ evaluate

    @Override
    public final Evaluation evaluate(Dataset data) {
        notNull(data, "data");
        NncSupport.Dataset d = data.forModel(schema, "data");
        NncModel w = take();
        try {
            NncClassifier classifier = NncClassifier.of(w);
            int[][] confusion = classifier != null ? classifier.confusion() : null;
            double[] result = NncDriver.evaluate(w, d, classifier, confusion);
            return new Evaluation(result[0], result[1], d.samples, confusion, classifier != null && classifier.binary());
        } finally {
            w.useData(null);
            give(w);
        }
    }

    // ----------------------------------------------------------------------------------- fit

    @Override
    public final TrainResult fit(Dataset data) {
        return fit(data, TrainOptions.fromModel());
    }

    @Override
    public final TrainResult fit(Dataset data, TrainOptions options) {
        notNull(data, "data");
        notNull(options, "options");
        NncModel w = trainer();
        NncTraining.Plan plan = new NncTraining.Plan();
        plan.epochs = options.epochs != null ? options.epochs : defaults.epochs;
        plan.batch = options.batch != null ? options.batch : defaults.batch;
        plan.shuffle = options.shuffle != null ? options.shuffle : defaults.shuffle;
        plan.seed = options.seed != null ? options.seed : defaults.seed;
        plan.patience = options.patience;
        plan.checkpoint = options.checkpoint;
        plan.schedule = options.schedule != null ? options.schedule : defaults.schedule;
        plan.clipNorm = options.clipNorm != null ? options.clipNorm : defaults.clipNorm;
        plan.stop = () -> Thread.currentThread().isInterrupted();
        if (options.checkpoint != null) {
            checkCheckpoint(options.checkpoint, w, plan.patience > 0);
        }
        NncSupport.Dataset train = data.forModel(schema, "data");
        if (options.split > 0) {
            int held = (int) Math.round(train.samples * options.split);
            if (held < 1 || held >= train.samples) {
                throw new IllegalArgumentException("validationSplit " + options.split + " of " + train.samples + " samples holds out "
                        + held + ", which leaves " + (held < 1 ? "no validation" : "no training") + " data");
            }
            plan.validation = train.slice(schema.layout(), train.samples - held, train.samples);
            train = train.slice(schema.layout(), 0, train.samples - held);
        } else if (options.validation != null) {
            plan.validation = options.validation.forModel(schema, "validation data");
        }
        if (plan.validation != null) {
            plan.classifier = NncClassifier.of(w);
        }
        java.util.function.Consumer<EpochStats> listener = options.onEpoch;
        double lr = w.learningRate();
        int threads = NncPool.threads();
        try {
            if (options.lr != null) {
                w.setLearningRate(options.lr);
            }
            if (options.threads != null) {
                NncPool.setThreads(options.threads);
            }
            return NncTraining.run(w, train, plan, stats -> {
                if (listener != null) {
                    listener.accept(stats);
                }
            });
        } catch (NncTraining.NonFinite e) {
            throw new ArithmeticException(e.getMessage() + "; that step was not taken, the weights are those before it");
        } catch (NncTraining.Stopped e) {
            throw new java.util.concurrent.CancellationException("fit was interrupted: " + e.getMessage()
                    + "; the model holds the weights of that step" + (options.checkpoint == null ? ""
                            : ", and the checkpoint " + options.checkpoint + " resumes there"));
        } catch (NncSupport.DataError e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e.getMessage(), e));
        } finally {
            w.setLearningRate(lr);
            NncPool.setThreads(threads);
            w.useData(null);
        }
    }

    /** A checkpoint that cannot be written, or exists and is not this model's: refused before any step. */
    private static void checkCheckpoint(java.nio.file.Path file, NncModel w, boolean early) {
        try {
            NncFiles.checkTarget(file.toString(), "checkpoint");
            if (java.nio.file.Files.exists(file)) {
                NncCheckpoint.read(file, w, early);
            }
        } catch (NncSupport.UsageError | NncSupport.DataError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    // ----------------------------------------------------------------------------- gradients

    @Override
    public final Gradients gradients(Dataset batch) {
        notNull(batch, "batch");
        NncSupport.Dataset d = batch.forModel(schema, "batch");
        NncModel w = trainer();
        int n = d.samples;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        try {
            w.useData(d);
            double loss = w.gradients(order, 0, n);
            return new Gradients(schema.model(), tensors(w.gradients()), loss, n);
        } finally {
            w.useData(null);
        }
    }

    @Override
    public final void apply(Gradients gradients) {
        apply(gradients, 0);
    }

    /**
     * {@link #apply(Gradients)} with the gradients clipped first to the global norm {@code clipNorm}
     * as {@link #fit} clips each step's (0: not clipped); for data-parallel trainers ({@link DataParallel#apply}).
     */
    final void apply(Gradients gradients, double clipNorm) {
        notNull(gradients, "gradients");
        if (!gradients.model().equals(schema.model())) {
            throw new IllegalArgumentException("gradients of model " + gradients.model() + " cannot be applied to model " + schema.model());
        }
        java.util.List<Schema.Variable> params = schema.parameters();
        double[][] values = new double[params.size()][];
        for (int p = 0; p < params.size(); p++) {
            Schema.Variable v = params.get(p);
            Tensor t = gradients.mean(v.name());
            if (!java.util.Arrays.equals(t.shape(), v.shape())) {
                throw new IllegalArgumentException("the gradient of " + v.name() + " has shape " + NncWeights.shapeText(t.shape())
                        + "; the parameter is " + v);
            }
            values[p] = t.doubleData();
        }
        NncModel w = trainer();
        w.setGradients(values);
        if (clipNorm > 0) {
            NncTraining.clipGradients(w, clipNorm);
        }
        int bad = w.nonFiniteStep();
        if (bad >= 0) {
            throw new ArithmeticException("the step would make " + params.get(bad).name() + " non-finite; it was not taken");
        }
        w.update();
    }

    // ----------------------------------------------------------------------- parameters, files

    @Override
    public final M copy() {
        M c = blank();
        NncModel from = trainer();
        NncModel to = c.trainer();
        to.setState(from.state());
        to.setLearningRate(from.learningRate());
        return c;
    }

    @Override
    public final java.util.Map<String, Tensor> parameters() {
        NncModel w = take(); // not trainer(): parameters may be read from many threads at once
        double[][] values;
        try {
            values = w.weights();
        } finally {
            give(w);
        }
        java.util.Map<String, Tensor> map = new java.util.LinkedHashMap<>();
        java.util.List<Schema.Variable> params = schema.parameters();
        for (int p = 0; p < params.size(); p++) {
            map.put(params.get(p).name(), new Tensor(params.get(p).name(), params.get(p).shape(), values[p], schema.f64()));
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    private java.util.Map<String, Tensor> tensors(double[][] values) {
        java.util.Map<String, Tensor> map = new java.util.LinkedHashMap<>();
        java.util.List<Schema.Variable> params = schema.parameters();
        for (int p = 0; p < params.size(); p++) {
            map.put(params.get(p).name(), new Tensor(params.get(p).name(), params.get(p).shape(), values[p], schema.f64()));
        }
        return map;
    }

    @Override
    public final void setParameter(String name, float[] data) {
        notNull(data, "data");
        setParameter(name, NncArrays.flat(data));
    }

    @Override
    public final void setParameter(String name, double[] data) {
        notNull(name, "name");
        notNull(data, "data");
        int p = schema.parameterIndex(name);
        Schema.Variable v = schema.parameters().get(p);
        if (data.length != v.size()) {
            throw new IllegalArgumentException("data has " + data.length + " values; parameter " + v + " holds " + v.size());
        }
        double[] values = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            double x = schema.f64() ? data[i] : (float) data[i];
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("data[" + i + "] for " + name + " is " + data[i] + (Double.isFinite(data[i])
                        ? ", beyond float's range" : "") + ": weights must be finite");
            }
            values[i] = x;
        }
        NncModel w = trainer();
        double[][] all = w.weights();
        all[p] = values;
        w.setWeights(all);
    }

    @Override
    public final void save(java.nio.file.Path file) {
        notNull(file, "file");
        try {
            NncDriver.save(trainer(), file);
        } catch (NncSupport.DataError e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e.getMessage()));
        }
    }

    @Override
    public final void loadWeights(java.nio.file.Path file) {
        notNull(file, "file");
        NncModel w = trainer();
        double[][] values;
        try {
            values = NncWeights.loadFiniteWeights(file, w.paramNames(), w.paramShapes(), schema.f64());
        } catch (NncSupport.DataError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        w.setWeights(values);
    }

    private static String names(java.util.List<Schema.Variable> vars) {
        StringBuilder b = new StringBuilder();
        for (Schema.Variable v : vars) {
            b.append(b.length() == 0 ? "" : ", ").append(v);
        }
        return b.toString();
    }

    /** {@code Xor (model xor: x[2] -> p[1], ...)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " (" + schema + ")";
    }
}
