package dev.nnc.runtime;

/**
 * Samples to train or evaluate a model on: per sample, the inputs flattened in declaration order,
 * and the targets (or a class label each, for a {@code onehot} target).
 * <pre>
 *   Dataset d = Dataset.of(new float[][] {{0, 0}, {0, 1}}, new float[][] {{0}, {1}});
 *   Dataset c = Dataset.of(images, labels);              // int[] labels for a onehot target
 *   Dataset f = FashionMnist.data().idx(images, labels); // the model's own readers: csv, idx, inline
 * </pre>
 * The arrays are copied when the data set is made, so changing them afterwards changes nothing.
 * Immutable, and so safe to share between threads and models.
 *
 * <p>Targets are given as a data file holds them: a dense target's elements, and one number (the
 * class) for a {@code onehot} target. Labels given to a model whose only target is a dense vector
 * of {@code k} elements become one-hot rows of {@code k}.
 */
public final class Dataset {

    private final int samples;
    private final int inputWidth;
    private final int targetWidth;
    /** Row-major inputs, one of the two. */
    private final float[] inputsF;
    private final double[] inputsD;
    /** Row-major targets (one of the two), or null when the targets are {@link #labels}. */
    private final float[] targetsF;
    private final double[] targetsD;
    private final int[] labels;
    /** A data set read for one model, in its layout, or null; then the fields above are unused. */
    private final NncSupport.Dataset read;
    private final NncSupport.Schema readLayout;
    /** The last conversion for a model: its layout and dtype, and the result. */
    private volatile Object[] converted;

    private Dataset(int samples, int inputWidth, int targetWidth, float[] inputsF, double[] inputsD, float[] targetsF,
            double[] targetsD, int[] labels, NncSupport.Dataset read, NncSupport.Schema readLayout) {
        this.samples = samples;
        this.inputWidth = inputWidth;
        this.targetWidth = targetWidth;
        this.inputsF = inputsF;
        this.inputsD = inputsD;
        this.targetsF = targetsF;
        this.targetsD = targetsD;
        this.labels = labels;
        this.read = read;
        this.readLayout = readLayout;
    }

    /** Samples of inputs and dense targets: {@code inputs[s]} and {@code targets[s]} belong to sample {@code s}. */
    public static Dataset of(float[][] inputs, float[][] targets) {
        int n = rows("inputs", inputs == null ? -1 : inputs.length, "targets", targets == null ? -1 : targets.length);
        int w = width("inputs", inputs, n);
        int t = width("targets", targets, n);
        return new Dataset(n, w, t, flat("inputs", inputs, w), null, flat("targets", targets, t), null, null, null, null);
    }

    /** Samples of inputs and a class label each, for a model whose target is {@code onehot} (or a dense vector, one-hot encoded). */
    public static Dataset of(float[][] inputs, int[] labels) {
        int n = rows("inputs", inputs == null ? -1 : inputs.length, "labels", labels == null ? -1 : labels.length);
        int w = width("inputs", inputs, n);
        return new Dataset(n, w, 1, flat("inputs", inputs, w), null, null, null, labels(labels), null, null);
    }

    /** As {@link #of(float[][], float[][])}, for an f64 model's (or any model's) double data. */
    public static Dataset of(double[][] inputs, double[][] targets) {
        int n = rows("inputs", inputs == null ? -1 : inputs.length, "targets", targets == null ? -1 : targets.length);
        int w = width("inputs", inputs, n);
        int t = width("targets", targets, n);
        return new Dataset(n, w, t, null, flat("inputs", inputs, w), null, flat("targets", targets, t), null, null, null);
    }

    /** As {@link #of(float[][], int[])}, with double inputs. */
    public static Dataset of(double[][] inputs, int[] labels) {
        int n = rows("inputs", inputs == null ? -1 : inputs.length, "labels", labels == null ? -1 : labels.length);
        int w = width("inputs", inputs, n);
        return new Dataset(n, w, 1, null, flat("inputs", inputs, w), null, null, labels(labels), null, null);
    }

    /** A data set one of a model's readers made, in that model's layout. */
    static Dataset ofRead(Schema schema, NncSupport.Dataset data) {
        return new Dataset(data.samples, schema.inputSize(), schema.targetSize(), null, null, null, null, null, data,
                schema.layout());
    }

    /** The number of samples. */
    public int size() {
        return samples;
    }

    /** The length of one sample's inputs (every input of the model flattened). */
    public int inputWidth() {
        return inputWidth;
    }

    /** The number of target values of one sample: a dense target's elements, 1 for a label. */
    public int targetWidth() {
        return targetWidth;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), as a new data set: a mini-batch, or a split. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > samples || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a data set of " + samples
                    + " samples: from must be at least 0, to at most " + samples + ", and from below to");
        }
        if (read != null) {
            return new Dataset(to - from, inputWidth, targetWidth, null, null, null, null, null, read.slice(readLayout, from, to),
                    readLayout);
        }
        return new Dataset(to - from, inputWidth, targetWidth, range(inputsF, from, to, inputWidth), range(inputsD, from, to, inputWidth),
                range(targetsF, from, to, targetWidth), range(targetsD, from, to, targetWidth),
                labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to), null, null);
    }

    private static float[] range(float[] a, int from, int to, int width) {
        return a == null ? null : java.util.Arrays.copyOfRange(a, from * width, to * width);
    }

    private static double[] range(double[] a, int from, int to, int width) {
        return a == null ? null : java.util.Arrays.copyOfRange(a, from * width, to * width);
    }

    /** {@code 4 samples of 2 inputs and 1 target}. */
    @Override
    public String toString() {
        return samples + (samples == 1 ? " sample" : " samples") + " of " + inputWidth + (inputWidth == 1 ? " input" : " inputs")
                + (labels != null ? " and a label" : " and " + targetWidth + (targetWidth == 1 ? " target" : " targets"));
    }

    /**
     * The samples in the layout of a model (one flat array per variable) in its dtype; checked
     * against the model's widths and classes. {@code what} names the data set in messages.
     */
    NncSupport.Dataset forModel(Schema schema, String what) {
        NncSupport.Schema layout = schema.layout();
        boolean f64 = schema.f64();
        Object[] c = converted;
        if (c != null && c[0] == layout && (Boolean) c[1] == f64) {
            return (NncSupport.Dataset) c[2];
        }
        NncSupport.Dataset result = read != null ? fromRead(schema, what) : split(schema, what);
        converted = new Object[] {layout, f64, result};
        return result;
    }

    private NncSupport.Dataset fromRead(Schema schema, String what) {
        if (!read.matches(schema.layout())) {
            throw new IllegalArgumentException(what + " was read for another layout than model " + schema.model() + "'s ("
                    + inputWidth + " inputs and " + targetWidth + " targets per sample; the model takes " + schema.inputSize()
                    + " and " + schema.targetSize() + ")");
        }
        if ((read.f64 != null) == schema.f64()) {
            return read;
        }
        int vars = readLayout.count();
        float[][] f = schema.f64() ? null : new float[vars][];
        double[][] g = schema.f64() ? new double[vars][] : null;
        for (int v = 0; v < vars; v++) {
            if (read.labels[v] != null || read.u8[v] != null) {
                continue; // bytes stand for the same values in either precision
            }
            if (schema.f64()) {
                g[v] = read.doubles(v);
            } else {
                f[v] = read.floats(v);
            }
        }
        return new NncSupport.Dataset(samples, f, g, read.labels, read.u8);
    }

    private NncSupport.Dataset split(Schema schema, String what) {
        if (inputWidth != schema.inputSize()) {
            throw new IllegalArgumentException(what + " has " + inputWidth + " inputs per sample; model " + schema.model() + " takes "
                    + schema.inputSize() + " (" + describe(schema.inputs()) + ")");
        }
        java.util.List<Schema.Variable> targets = schema.targets();
        boolean f64 = schema.f64();
        NncSupport.Schema layout = schema.layout();
        NncSupport.Dataset out = NncSupport.Dataset.allocate(layout, samples, f64);
        int column = 0;
        for (int v = 0; v < schema.inputs().size(); v++) {
            int size = layout.sizes[v];
            copyColumns(inputsF, inputsD, inputWidth, column, size, f64 ? null : out.f32[v], f64 ? out.f64[v] : null);
            column += size;
        }
        int first = schema.inputs().size();
        if (labels != null) {
            if (targets.size() != 1) {
                throw new IllegalArgumentException(what + " has a label per sample; model " + schema.model() + " has "
                        + targets.size() + " targets (" + describe(targets) + "), labels need exactly one");
            }
            Schema.Variable t = targets.get(0);
            int classes = t.onehot() ? t.classes() : t.size();
            if (!t.onehot() && t.shape().length != 1) {
                throw new IllegalArgumentException(what + " has a label per sample; model " + schema.model() + "'s target "
                        + t + " is not a vector of classes");
            }
            for (int s = 0; s < samples; s++) {
                if (labels[s] >= classes) {
                    throw new IllegalArgumentException(what + ": label " + labels[s] + " of sample " + s + " is not a class of "
                            + t + " (0 to " + (classes - 1) + ")");
                }
            }
            if (t.onehot()) {
                System.arraycopy(labels, 0, out.labels[first], 0, samples);
            } else if (f64) {
                for (int s = 0; s < samples; s++) {
                    out.f64[first][s * classes + labels[s]] = 1;
                }
            } else {
                for (int s = 0; s < samples; s++) {
                    out.f32[first][s * classes + labels[s]] = 1;
                }
            }
            return out;
        }
        if (targetWidth != schema.targetSize()) {
            throw new IllegalArgumentException(what + " has " + targetWidth + " targets per sample; model " + schema.model() + " takes "
                    + schema.targetSize() + " (" + describe(targets) + ")");
        }
        column = 0;
        for (int k = 0; k < targets.size(); k++) {
            int v = first + k;
            Schema.Variable t = targets.get(k);
            if (t.onehot()) {
                for (int s = 0; s < samples; s++) {
                    double x = targetsF != null ? targetsF[s * targetWidth + column] : targetsD[s * targetWidth + column];
                    if (x != Math.rint(x) || x < 0 || x >= t.classes()) {
                        throw new IllegalArgumentException(what + ": target " + t.name() + " of sample " + s + " is " + x
                                + ", not a class label 0 to " + (t.classes() - 1));
                    }
                    out.labels[v][s] = (int) x;
                }
                column += 1;
            } else {
                copyColumns(targetsF, targetsD, targetWidth, column, t.size(), f64 ? null : out.f32[v], f64 ? out.f64[v] : null);
                column += t.size();
            }
        }
        return out;
    }

    /** Columns {@code [column, column + size)} of every row of a row-major array into a flat array of its own. */
    private void copyColumns(float[] f, double[] d, int width, int column, int size, float[] toF, double[] toD) {
        for (int s = 0; s < samples; s++) {
            int from = s * width + column;
            for (int i = 0; i < size; i++) {
                double x = f != null ? f[from + i] : d[from + i];
                if (toF != null) {
                    toF[s * size + i] = (float) x;
                } else {
                    toD[s * size + i] = x;
                }
            }
        }
    }

    private static String describe(java.util.List<Schema.Variable> vars) {
        StringBuilder b = new StringBuilder();
        for (Schema.Variable v : vars) {
            b.append(b.length() == 0 ? "" : ", ").append(v);
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static int rows(String a, int na, String b, int nb) {
        if (na < 0) {
            throw new IllegalArgumentException(a + " must not be null");
        }
        if (nb < 0) {
            throw new IllegalArgumentException(b + " must not be null");
        }
        if (na != nb) {
            throw new IllegalArgumentException(a + " has " + na + " samples but " + b + " has " + nb);
        }
        if (na == 0) {
            throw new IllegalArgumentException(a + " holds no samples");
        }
        return na;
    }

    private static int width(String what, Object[] rows, int n) {
        int w = -1;
        for (int s = 0; s < n; s++) {
            if (rows[s] == null) {
                throw new IllegalArgumentException(what + "[" + s + "] is null");
            }
            int length = java.lang.reflect.Array.getLength(rows[s]);
            if (w >= 0 && length != w) {
                throw new IllegalArgumentException(what + "[" + s + "] has " + length + " values, " + what + "[0] has " + w);
            }
            w = length;
        }
        return w;
    }

    private static float[] flat(String what, float[][] rows, int w) {
        float[] out = new float[Math.multiplyExact(rows.length, w)];
        for (int s = 0; s < rows.length; s++) {
            for (int i = 0; i < w; i++) {
                if (!Float.isFinite(rows[s][i])) {
                    throw new IllegalArgumentException(what + "[" + s + "][" + i + "] is " + rows[s][i] + ": values must be finite");
                }
            }
            System.arraycopy(rows[s], 0, out, s * w, w);
        }
        return out;
    }

    private static double[] flat(String what, double[][] rows, int w) {
        double[] out = new double[Math.multiplyExact(rows.length, w)];
        for (int s = 0; s < rows.length; s++) {
            for (int i = 0; i < w; i++) {
                if (!Double.isFinite(rows[s][i])) {
                    throw new IllegalArgumentException(what + "[" + s + "][" + i + "] is " + rows[s][i] + ": values must be finite");
                }
            }
            System.arraycopy(rows[s], 0, out, s * w, w);
        }
        return out;
    }

    private static int[] labels(int[] labels) {
        for (int s = 0; s < labels.length; s++) {
            if (labels[s] < 0) {
                throw new IllegalArgumentException("labels[" + s + "] is " + labels[s] + ": a class label is at least 0");
            }
        }
        return labels.clone();
    }

    /**
     * The data a model's own {@code .nn} file knows how to read, in its layout: what
     * {@code Xor.data()} returns. Relative paths resolve against the working directory.
     */
    public static final class Reader {
        private final Schema schema;
        private final NncDriver.Defaults defaults;

        Reader(Schema schema, NncDriver.Defaults defaults) {
            this.schema = schema;
            this.defaults = defaults;
        }

        /** A CSV file: one sample per line, the inputs' then the targets' columns (one label column for a onehot target). */
        public Dataset csv(java.nio.file.Path file) {
            return read(() -> NncCsv.read(file, schema.layout(), schema.f64()));
        }

        /** A pair of IDX files (gzipped or not), images and labels, as {@code idx(images, labels)} in a train block. */
        public Dataset idx(java.nio.file.Path images, java.nio.file.Path labels) {
            return read(() -> NncIdx.read(images, labels, schema.layout(), schema.f64()));
        }

        /** The samples of the model's {@code data} block. */
        public Dataset inline() {
            if (defaults.inline == null) {
                throw new IllegalStateException("model " + schema.model() + " has no data block");
            }
            return ofRead(schema, defaults.inline);
        }

        /** The training data its {@code train} block names (paths relative to the {@code .nn} file as compiled), or its data block. */
        public Dataset train() {
            if (defaults.data == null && defaults.inline == null && schema.layout().count() == 0) {
                // a plain function of its parameters: each epoch is one step on one empty sample
                return ofRead(schema, NncSupport.Dataset.allocate(schema.layout(), 1, schema.f64()));
            }
            if (defaults.data == null) {
                return inline();
            }
            return read(() -> NncSupport.readData(defaults.data, base(), schema.layout(), schema.f64()));
        }

        /** The test data its {@code train} block names. */
        public Dataset test() {
            if (defaults.test == null) {
                throw new IllegalStateException("model " + schema.model() + " names no test data in its train block");
            }
            return read(() -> NncSupport.readData(defaults.test, base(), schema.layout(), schema.f64()));
        }

        private java.nio.file.Path base() {
            return defaults.baseDir == null ? null : java.nio.file.Path.of(defaults.baseDir);
        }

        /** Reads, turning the readers' errors (file, line, what is wrong) into the API's exceptions. */
        private Dataset read(java.util.function.Supplier<NncSupport.Dataset> reader) {
            try {
                NncSupport.Dataset d = reader.get();
                if (d.samples < 1) {
                    throw new IllegalArgumentException("the data set holds no samples");
                }
                return ofRead(schema, d);
            } catch (NncSupport.DataError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }
}
