package dev.nnc.runtime;

/**
 * A model compiled by nnc, as a tool that does not know its class drives it: every generated class
 * implements this interface (through {@link GeneratedModel}), and {@link #of(String)} makes one from
 * its class name.
 * <pre>
 *   Model m = Model.of("com.example.Xor");
 *   m.fit(Dataset.of(inputs, targets), TrainOptions.fromModel().epochs(100));
 *   float[] y = m.predict(new float[] {0, 1});
 * </pre>
 *
 * <p><b>Threads.</b> {@code predict}, {@code evaluate} and {@code parameters} may be called from any
 * number of threads at once on one instance, as long as no {@code fit}, {@code gradients},
 * {@code apply}, {@code copy}, {@code setParameter} or {@code loadWeights} runs on it; those use
 * the model's training buffers or change it, and take one caller at a time. The matrix products of
 * batched models (and {@link #predict(float[][])}) split over {@link #threads()} threads.
 *
 * <p><b>Precision.</b> An f32 model ({@code schema().dtype()} is {@code "f32"}) computes in float:
 * its {@code float} methods run without conversion, its {@code double} ones convert. An f64 model
 * is the other way round.
 *
 * <p><b>Bad arguments</b> throw {@link IllegalArgumentException} naming the argument and the sizes
 * (an input of the wrong length, a data set of the wrong width, a weights file of another model,
 * non-finite weights), and leave the model as it was.
 */
public interface Model {

    /** The model's inputs, targets, output and parameters, with names and shapes, and its dtype. */
    Schema schema();

    /**
     * The output for one sample: {@code input} holds every input flattened in declaration order
     * ({@code schema().inputSize()} values); the result is the {@code output} flattened.
     */
    float[] predict(float[] input);

    /** As {@link #predict(float[])}, into {@code output} ({@code schema().outputSize()} values); allocates nothing once warm. */
    void predict(float[] input, float[] output);

    /** The outputs of many samples, one row each, each exactly {@link #predict(float[])}'s; split over {@link #threads()} threads. */
    float[][] predict(float[][] inputs);

    /** As {@link #predict(float[])} in double. */
    double[] predict(double[] input);

    /** As {@link #predict(float[], float[])} in double. */
    void predict(double[] input, double[] output);

    /** As {@link #predict(float[][])} in double. */
    double[][] predict(double[][] inputs);

    /** Trains with the model's {@code train} block as it is: {@code fit(data, TrainOptions.fromModel())}. */
    TrainResult fit(Dataset data);

    /**
     * Trains on {@code data}: mini-batches, one optimizer step each, for the epochs the options give;
     * returns one {@link EpochStats} per epoch. The optimizer's state carries over from earlier
     * fits and {@link #apply} calls. A step that would make a weight non-finite stops the fit with
     * an {@link ArithmeticException}, the weights left as after the last finite step. Interrupting
     * the fitting thread stops it after the step it is in with a
     * {@link java.util.concurrent.CancellationException} (the thread stays interrupted), a checkpoint
     * written there when the options name one.
     */
    TrainResult fit(Dataset data, TrainOptions options);

    /** The mean loss on {@code data}, and the accuracy and per-class counts of a classifier. */
    Evaluation evaluate(Dataset data);

    /**
     * The gradient of the mean loss of {@code batch} and that loss, without changing the model's
     * weights or optimizer state. A training computation: a model's {@code dropout}s draw fresh masks
     * from its generator, which this advances.
     */
    Gradients gradients(Dataset batch);

    /** One optimizer step with {@code gradients}, as {@link #fit} takes one per batch, its state kept. */
    void apply(Gradients gradients);

    /** A deep copy: parameters and optimizer state; the copy and this one then change independently. */
    Model copy();

    /** The parameters by name, in the {@code .nn}'s order: snapshots of their current values; unmodifiable. */
    java.util.Map<String, Tensor> parameters();

    /** Replaces the values of parameter {@code name} (flat, row-major; as many as its shape holds; finite). */
    void setParameter(String name, float[] data);

    /** As {@link #setParameter(String, float[])} with double values. */
    void setParameter(String name, double[] data);

    /** Writes the weights JSON that the trainer's {@code --save} writes, atomically: a crash never leaves a torn file. */
    void save(java.nio.file.Path file);

    /** Replaces every parameter with those of a weights file; a file of another model changes nothing. */
    void loadWeights(java.nio.file.Path file);

    /** The data readers of the model's {@code .nn} file (as the static {@code data()} of the class). */
    Dataset.Reader dataReader();

    /**
     * Sets how many threads the matrix products of batched models, and batch predictions, split
     * over (process-wide; 1 until set). Results do not depend on it.
     */
    static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        NncPool.setThreads(threads);
    }

    /** The thread count {@link #setThreads} set (1 until set). */
    static int threads() {
        return NncPool.threads();
    }

    /**
     * A new instance of a generated model class, by its binary name ({@code "com.example.Xor"}),
     * through its no-argument constructor; from the thread's context class loader, else this
     * library's.
     */
    static Model of(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return of(className, loader != null ? loader : Model.class.getClassLoader());
    }

    /** As {@link #of(String)}, from {@code loader}. */
    static Model of(String className, ClassLoader loader) {
        if (className == null || loader == null) {
            throw new IllegalArgumentException(className == null ? "className must not be null" : "loader must not be null");
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + className + " on the class path", e);
        }
        if (!Model.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a model compiled by nnc (it does not implement " + Model.class.getName() + ")");
        }
        try {
            return (Model) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor", e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create " + className + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }
}
