package dev.nnc.runtime;

/**
 * What the private {@code Work} class inside every generated model implements: the model-specific
 * part of training and inference, with loops specialized to the model's sizes, over one set of
 * buffers. Users see {@link Model}; {@link GeneratedModel} and the command-line driver use this.
 * Everything else (flags, data, the epoch loop, shuffling, evaluation, weights files, gradcheck) is
 * generic, and only talks to this interface.
 * Like {@link NncSupport}, this file is written without imports.
 *
 * Values cross this interface as doubles, one flat row-major array per parameter (a scalar is an
 * array of one), whatever the trainer's own dtype.
 */
public interface NncModel {

    /** The model's name in the {@code .nn} file. */
    String name();

    /** The inputs and targets of one sample, in declaration order. */
    NncSupport.Schema schema();

    /** True when the trainer computes in float64, false for float32. */
    boolean f64();

    /** Points the trainer at a data set (loaded for its dtype); the samples are then 0 .. samples - 1. */
    void useData(NncSupport.Dataset data);

    /**
     * Forward and backward over the samples {@code order[from..to)}: returns their mean loss, and keeps
     * their mean gradients for {@link #update()} and {@link #gradients()}.
     */
    double gradients(int[] order, int from, int to);

    /** One step of the model's optimizer from the kept gradients. */
    void update();

    /**
     * The first parameter that the next {@link #update()} would make non-finite (a NaN or an
     * infinity), or -1: asked before every update, so an overflowing step is never applied.
     * A non-finite gradient makes its step non-finite too, so this one check before each update
     * covers both. Generated trainers compute the step without storing it; this default, for
     * hand-written models, looks at the gradients only.
     */
    default int nonFiniteStep() {
        return nonFiniteGradient();
    }

    /**
     * The masks' generator of a model with {@code dropout}, or null for one without. Training steps
     * ({@link #gradients(int[], int, int)}) draw from it; {@link #state()} includes its state.
     */
    default NncDropout dropout() {
        return null;
    }

    /**
     * Whether the matrix products (and the optimizer's dry run) run on the Vector API's kernels, for
     * a trainer compiled with them ({@code --vector}); returns whether they now do. Such a trainer
     * starts on them; each training run sets it from its work ({@code NncTraining.vectorPays}).
     * Either way gives the results of one of the two kernels: off, a {@code --vector} trainer
     * computes exactly what the plain trainer does. A trainer without them, as this default,
     * ignores it and returns false.
     */
    default boolean useVectorApi(boolean use) {
        return false;
    }

    /** Overrides the learning rate the model's train block gives. */
    void setLearningRate(double lr);

    /** Forward pass of sample {@code s} with its target: returns its loss; the output is then readable. */
    double evaluate(int s);

    /** Forward pass of sample {@code s} without its target: only the output (for predictions). */
    void predict(int s);

    /**
     * How many samples {@link #evaluateRows} takes at once: more than one when the trainer evaluates
     * a block of samples together (its products then run as matrix products).
     */
    default int evaluationRows() {
        return 1;
    }

    /** Evaluates samples {@code from .. from + nb - 1} ({@code nb <= evaluationRows()}): the sum of their losses. */
    default double evaluateRows(int from, int nb) {
        double sum = 0;
        for (int s = from; s < from + nb; s++) {
            sum += evaluate(s); // one row at a time: the output is that of the last
        }
        return sum;
    }

    /**
     * As {@link #evaluateRows(int, int)}, skipping the steps of the evaluation before {@code step}: for
     * a caller that evaluates the same samples again after changing parameters {@code p} with
     * {@link #evaluationStep}{@code (p) >= step} only (gradcheck, one element at a time). The last
     * evaluation on this object must have been of the same samples, and the data the same: the
     * skipped steps' results are still there. Gives the same bits as {@link #evaluateRows(int, int)}.
     * This default, for models that keep nothing between evaluations, runs every step.
     */
    default double evaluateRows(int from, int nb, int step) {
        return evaluateRows(from, nb);
    }

    /**
     * The first step of {@link #evaluateRows(int, int, int)} that must run again after parameter
     * {@code p} changed; 0 (every step) by default.
     */
    default int evaluationStep(int p) {
        return 0;
    }

    /**
     * How many consecutive elements of parameter {@code p} feed one column of the rows of step
     * {@link #evaluationStep}{@code (p)}, when each element feeds only one (a weight matrix's row i
     * feeds output column i: its row length; a bias: 1); 0 when a change reaches every column.
     */
    default int evaluationColumns(int p) {
        return 0;
    }

    /**
     * As {@link #evaluateRows(int, int, int)} when only columns {@code j} and {@code m} (possibly the
     * same) of step {@code step}'s rows changed since the last evaluation of these samples, through
     * parameters whose {@link #evaluationColumns} is not 0: those columns are computed again, then the
     * steps after. Gives the same bits as {@link #evaluateRows(int, int)}. This default runs step
     * {@code step} whole.
     */
    default double evaluateRows(int from, int nb, int step, int j, int m) {
        return evaluateRows(from, nb, step);
    }

    /** The output of row {@code r} of the last {@link #evaluateRows}. */
    default void outputRow(int r, double[] into) {
        output(into);
    }

    /** Number of elements of the model's {@code output}, or 0 when it declares none. */
    int outputSize();

    /** Copies the output of the last {@link #evaluate} or {@link #predict} into {@code into}. */
    void output(double[] into);

    /** Parameter names in declaration order ({@code W1}, {@code h1.W}). */
    String[] paramNames();

    /** Parameter shapes in the same order ({@code []} for a scalar). */
    int[][] paramShapes();

    /** A copy of every parameter's current values. */
    double[][] weights();

    /** Replaces every parameter's values (flat row-major, shapes as {@link #paramShapes()}). */
    void setWeights(double[][] values);

    /**
     * Sets element {@code i} (flat, row-major) of parameter {@code p} to {@code value} (rounded to the
     * trainer's dtype) and leaves every other element as it is: what {@code setWeights} would do with
     * {@link #weights()} changed in that one element. Generated trainers set the one element, at a cost
     * that does not grow with the model; this default, for hand-written models, copies all of them.
     */
    default void setWeight(int p, int i, double value) {
        double[][] w = weights();
        w[p][i] = value;
        setWeights(w);
    }

    /** A copy of the mean gradients the last {@link #gradients(int[], int, int)} kept. */
    double[][] gradients();

    /**
     * The index of the first parameter whose kept gradient holds a NaN or an infinity, or -1: the
     * check before every update. Generated trainers scan their buffers without copying; this default
     * (for hand-written models) looks at a copy.
     */
    default int nonFiniteGradient() {
        double[][] g = gradients();
        for (int p = 0; p < g.length; p++) {
            for (double x : g[p]) {
                if (!Double.isFinite(x)) {
                    return p;
                }
            }
        }
        return -1;
    }

    /** Replaces the kept gradients (flat row-major, as {@link #gradients()} gives them), for {@link #update()} to use. */
    default void setGradients(double[][] values) {
        throw new UnsupportedOperationException("this model cannot take gradients from outside");
    }

    /**
     * The 2-norm of each parameter's kept gradient, in declaration order: what {@code clip_norm}
     * combines into the global norm. Generated trainers read their buffers without copying; this
     * default (for hand-written models) looks at a copy.
     */
    default double[] gradientNorms() {
        double[][] g = gradients();
        double[] norms = new double[g.length];
        for (int p = 0; p < g.length; p++) {
            double sum = 0;
            for (double x : g[p]) {
                sum += x * x;
            }
            norms[p] = Math.sqrt(sum);
        }
        return norms;
    }

    /** Multiplies every kept gradient by {@code factor} (in the trainer's dtype), as {@code clip_norm} does. */
    default void scaleGradients(double factor) {
        double[][] g = gradients();
        for (double[] row : g) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= factor;
            }
        }
        setGradients(g);
    }

    /**
     * Everything training changes, in order: every parameter, then the optimizer's state buffers
     * (momentum, moments), then, for an optimizer that counts its steps, {@code {steps}}. Copies.
     * This default, for hand-written models without optimizer state, is the weights.
     */
    default double[][] state() {
        return weights();
    }

    /** Restores what {@link #state()} gave, exactly. */
    default void setState(double[][] values) {
        setWeights(values);
    }

    /** The learning rate in use (the train block's, or what {@link #setLearningRate} set). */
    default double learningRate() {
        throw new UnsupportedOperationException("this model does not tell its learning rate");
    }

    /**
     * Forward pass of one sample given as arrays: {@code in} holds the inputs flattened in
     * declaration order, {@code out} receives the output flattened. For an f32 trainer; allocates nothing.
     */
    default void predict(float[] in, float[] out) {
        throw new UnsupportedOperationException("an f64 model predicts in double");
    }

    /** As {@link #predict(float[], float[])} for an f64 trainer. */
    default void predict(double[] in, double[] out) {
        throw new UnsupportedOperationException("an f32 model predicts in float");
    }
}
