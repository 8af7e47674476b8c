package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * What nnc itself needs of the trainers' runtime ({@code eval}, {@code predict}, {@code train}):
 * reading data sets and weights files, writing weights. Each call delegates to {@link NncSupport} and its siblings,
 * so nnc and the generated trainers read and write exactly the same formats.
 *
 * <pre>
 *   var vars = List.of(Variable.input("x", 784), Variable.onehot("y", 10));
 *   Dataset d = Support.readData("idx(\"imgs.gz\", \"labels.gz\")", dir, vars, false);
 *   d.samples() -> 60000, d.f32(0).length -> 47040000, d.labels(1)[0] -> 9
 * </pre>
 */
public final class Support {

    private Support() {}

    /**
     * Checks before any work that {@code path}, given for {@code flag}, can be written (its folder
     * exists and is writable, it is no folder or device); an {@link NncSupport.UsageError} names the
     * path and what is wrong.
     */
    public static void checkTarget(String path, String flag) {
        NncFiles.checkTarget(path, flag);
    }

    /** Replaces {@code file} with {@code bytes} through a temporary file beside it and a rename. */
    public static void replace(Path file, byte[] bytes) {
        try {
            NncFiles.replace(file, out -> out.write(bytes));
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    /** The training buffers of a generated model: what the runtime's driver trains, for {@code nnc bench} and tests. */
    public static NncModel trainer(Object generatedModel) {
        return ((GeneratedModel<?>) generatedModel).trainer();
    }

    /** A data or weights file is missing or wrong; the message names the file and the spot (exit 1). */
    public static final class DataError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DataError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One per-sample variable of a model. {@code size} is the flattened element count;
     * {@code classes} is the class count of a onehot target and 0 otherwise.
     */
    public record Variable(String name, int size, boolean target, int classes) {
        public static Variable input(String name, int size) {
            return new Variable(name, size, false, 0);
        }

        public static Variable target(String name, int size) {
            return new Variable(name, size, true, 0);
        }

        public static Variable onehot(String name, int classes) {
            return new Variable(name, classes, true, classes);
        }
    }

    /** Samples as one flat row-major array per variable, {@code [sample * size + i]}. */
    public static final class Dataset {
        private final NncSupport.Dataset data;

        Dataset(NncSupport.Dataset data) {
            this.data = data;
        }

        public int samples() {
            return data.samples;
        }

        /** How many variables (inputs, then targets) it holds. */
        public int variables() {
            return data.labels.length;
        }

        public boolean isF64() {
            return data.f64 != null;
        }

        /** The values of variable {@code v} when loaded as f32 (IDX pixels scaled from their bytes); null for a onehot target. */
        public float[] f32(int v) {
            return data.f32 == null || data.labels[v] != null ? null : data.floats(v);
        }

        /** The values of variable {@code v} when loaded as f64 (IDX pixels scaled from their bytes); null for a onehot target. */
        public double[] f64(int v) {
            return data.f64 == null || data.labels[v] != null ? null : data.doubles(v);
        }

        /** The class labels of a onehot target {@code v}, one per sample; null for other variables. */
        public int[] labels(int v) {
            return data.labels[v];
        }
    }

    /**
     * Hands the data set {@code pending} will hold to the next read of {@code source} (relative to
     * {@code base}) in that precision by a trainer running in this JVM, which waits for it; when it
     * ends in null or a failure, the trainer reads the file itself.
     */
    public static void preload(String source, Path base, boolean f64, java.util.concurrent.CompletableFuture<Dataset> pending) {
        NncSupport.preload(source, base, f64, pending.thenApply(d -> d == null ? null : d.data));
    }

    /**
     * {@code path.csv} or {@code idx("images", "labels")}, relative paths resolved against {@code base}
     * (may be null); always from the file, never a data set handed over by {@link #preload}.
     */
    public static Dataset readData(String source, Path base, List<Variable> variables, boolean f64) {
        try {
            return new Dataset(NncSupport.readFile(source, base, schema(variables), f64));
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    public static Dataset readCsv(Path file, List<Variable> variables, boolean f64) {
        try {
            return new Dataset(NncCsv.read(file, schema(variables), f64));
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    public static Dataset readIdx(Path images, Path labels, List<Variable> variables, boolean f64) {
        try {
            return new Dataset(NncIdx.read(images, labels, schema(variables), f64));
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    /**
     * One JSON document in the form every nnc result and every trainer uses: maps in iteration order,
     * lists and arrays, strings, numbers in full precision; NaN and infinities are refused with an
     * {@link IllegalArgumentException}.
     */
    public static String json(Object value) {
        return NncJson.write(value);
    }

    /** Writes the weights JSON atomically; {@code shapes[p]} is {@code []} for a scalar. */
    public static void saveWeights(Path file, String[] names, int[][] shapes, double[][] values) {
        try {
            NncWeights.saveWeights(file, names, shapes, values);
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    /** The parameters of a weights JSON file in {@code names} order, each checked against its shape. */
    public static double[][] loadWeights(Path file, String[] names, int[][] shapes) {
        try {
            return NncWeights.loadWeights(file, names, shapes);
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    /**
     * {@link #loadWeights(Path, String[], int[][])}, every value also finite in the model's precision
     * (a number beyond float's range is refused unless {@code f64}), as a generated model's
     * {@code loadWeights} checks them.
     */
    public static double[][] loadWeights(Path file, String[] names, int[][] shapes, boolean f64) {
        try {
            return NncWeights.loadFiniteWeights(file, names, shapes, f64);
        } catch (NncSupport.DataError e) {
            throw new DataError(e.getMessage());
        }
    }

    private static NncSupport.Schema schema(List<Variable> variables) {
        int n = variables.size();
        String[] names = new String[n];
        int[] sizes = new int[n];
        int[] classes = new int[n];
        int inputs = 0;
        for (int v = 0; v < n; v++) {
            Variable var = variables.get(v);
            if (!var.target()) {
                if (inputs != v) {
                    throw new IllegalArgumentException("input " + var.name() + " comes after a target");
                }
                inputs++;
            }
            names[v] = var.name();
            sizes[v] = var.size();
            classes[v] = var.classes();
        }
        return new NncSupport.Schema(names, sizes, classes, inputs);
    }
}
