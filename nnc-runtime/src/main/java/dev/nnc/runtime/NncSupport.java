package dev.nnc.runtime;

/**
 * The fixed runtime of a generated trainer, with {@link NncDriver} and the other {@code Nnc*} classes:
 * errors, the per-sample schema and data sets, reading data files, random numbers and shuffling.
 * The generated trainer class uses it as {@code NncSupport.x}.
 *
 * <p>Every file of this package may also be appended after a generated class in one self-contained
 * file ({@code nnc compile --single-file}), so each uses nothing but {@code java.base}, writes every
 * JDK type out in full (the file it lands in has its own imports), and holds one top-level class.
 * nnc itself reaches them through {@code Support}, so there is one implementation of each format.
 */
public final class NncSupport {

    private NncSupport() {}

    /** A data or weights file is missing or wrong; the message names the file and the spot. */
    public static final class DataError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataError(String message) {
            super(message, null, false, false);
        }
    }

    /** The trainer's command line is wrong (the trainer exits 2). */
    public static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------- data

    /** The per-sample variables of a model in data order: its inputs, then its targets. */
    public static final class Schema {
        final String[] names;
        /** Elements per sample (the flattened shape); a onehot target counts its classes. */
        final int[] sizes;
        /** The class count of a onehot target, 0 for every other variable. */
        final int[] classes;
        /** The first {@code inputs} variables are inputs, the rest targets. */
        final int inputs;
        /** The target of one element (0 or 1) that a binary classifier's output predicts, or -1. */
        final int binary;
        /** What the binary classifier's output is compared with (positive when at least this): 0.5 or 0; NaN when none. */
        final double threshold;

        public Schema(String[] names, int[] sizes, int[] classes, int inputs) {
            this(names, sizes, classes, inputs, -1, Double.NaN);
        }

        public Schema(String[] names, int[] sizes, int[] classes, int inputs, int binary, double threshold) {
            if (sizes.length != names.length || classes.length != names.length || inputs < 0 || inputs > names.length) {
                throw new IllegalArgumentException("inconsistent schema of " + names.length + " variables");
            }
            for (int v = 0; v < names.length; v++) {
                if (sizes[v] < 1 || classes[v] < 0 || (classes[v] > 0 && v < inputs)) {
                    throw new IllegalArgumentException("bad schema entry for " + names[v]);
                }
            }
            this.names = names.clone();
            this.sizes = sizes.clone();
            this.classes = classes.clone();
            this.inputs = inputs;
            if (binary != -1 && (binary < inputs || binary >= names.length || classes[binary] != 0 || sizes[binary] != 1
                    || Double.isNaN(threshold))) {
                throw new IllegalArgumentException("bad binary target " + binary + " (threshold " + threshold + ")");
            }
            this.binary = binary;
            this.threshold = threshold;
        }

        int count() {
            return names.length;
        }

        boolean onehot(int v) {
            return classes[v] > 0;
        }

        /** CSV columns of one sample: every element, but one label column for a onehot target. */
        int columns() {
            int n = 0;
            for (int v = 0; v < names.length; v++) {
                n += onehot(v) ? 1 : sizes[v];
            }
            return n;
        }

        /** The inputs alone, as a file of samples to predict may hold them. */
        Schema inputsOnly() {
            return new Schema(java.util.Arrays.copyOf(names, inputs), java.util.Arrays.copyOf(sizes, inputs),
                    java.util.Arrays.copyOf(classes, inputs), inputs);
        }
    }

    /**
     * Samples as one flat row-major array per variable ({@code [sample * size + i]}), so a large
     * data set is a handful of arrays rather than millions of objects.
     */
    public static final class Dataset {
        final int samples;
        /** Per variable when loaded as f32 (null entries for onehot targets); null when f64. */
        public final float[][] f32;
        /** Per variable when loaded as f64 (null entries for onehot targets); null when f32. */
        public final double[][] f64;
        /** Per variable: the class labels of a onehot target, null for every other variable. */
        public final int[][] labels;
        /**
         * Per variable: an input held as unsigned bytes {@code b} that stand for {@code b / 255} in the
         * data set's precision (IDX images, a quarter of the memory of floats), its {@code f32} or
         * {@code f64} entry then null; null for every other variable. Never held by targets. Trainers
         * copy sample rows out with {@link NncArrays#row}, which takes either form.
         */
        public final byte[][] u8;

        public Dataset(int samples, float[][] f32, double[][] f64, int[][] labels) {
            this(samples, f32, f64, labels, new byte[labels.length][]);
        }

        public Dataset(int samples, float[][] f32, double[][] f64, int[][] labels, byte[][] u8) {
            if (u8.length != labels.length) {
                throw new IllegalArgumentException("u8 has " + u8.length + " entries for " + labels.length + " variables");
            }
            this.samples = samples;
            this.f32 = f32;
            this.f64 = f64;
            this.labels = labels;
            this.u8 = u8;
        }

        /** The values of non-onehot variable {@code v} as floats: its own array, or its bytes scaled (a new array). */
        float[] floats(int v) {
            return u8[v] != null ? NncArrays.scaledBytesF32(u8[v]) : f32 != null ? f32[v] : NncArrays.rounded(f64[v]);
        }

        /** The values of non-onehot variable {@code v} as doubles: its own array, or widened or scaled copies. */
        double[] doubles(int v) {
            return u8[v] != null ? NncArrays.scaledBytesF64(u8[v]) : f64 != null ? f64[v] : NncArrays.flat(f32[v]);
        }

        /** Whether this data set has the variables of {@code schema}: the same sizes and onehot targets. */
        boolean matches(Schema schema) {
            int n = schema.count();
            if (labels.length != n || (f32 == null ? f64.length : f32.length) != n) {
                return false;
            }
            for (int v = 0; v < n; v++) {
                if (schema.onehot(v) != (labels[v] != null)) {
                    return false;
                }
                int length = labels[v] != null ? labels[v].length : u8[v] != null ? u8[v].length
                        : f32 != null ? f32[v].length : f64[v].length;
                if (length != (schema.onehot(v) ? samples : (long) samples * schema.sizes[v])) {
                    return false;
                }
            }
            return true;
        }

        /** Samples {@code from} (inclusive) to {@code to} (exclusive) of this data set, of {@code schema}'s layout: copies. */
        Dataset slice(Schema schema, int from, int to) {
            int n = schema.count();
            float[][] f = f32 == null ? null : new float[n][];
            double[][] d = f64 == null ? null : new double[n][];
            int[][] l = new int[n][];
            byte[][] b = new byte[n][];
            for (int v = 0; v < n; v++) {
                int size = schema.onehot(v) ? 1 : schema.sizes[v];
                if (labels[v] != null) {
                    l[v] = java.util.Arrays.copyOfRange(labels[v], from, to);
                } else if (u8[v] != null) {
                    b[v] = java.util.Arrays.copyOfRange(u8[v], from * size, to * size);
                } else if (f != null) {
                    f[v] = java.util.Arrays.copyOfRange(f32[v], from * size, to * size);
                } else {
                    d[v] = java.util.Arrays.copyOfRange(f64[v], from * size, to * size);
                }
            }
            return new Dataset(to - from, f, d, l, b);
        }

        static Dataset allocate(Schema schema, int samples, boolean f64) {
            int n = schema.count();
            float[][] f = f64 ? null : new float[n][];
            double[][] d = f64 ? new double[n][] : null;
            int[][] labels = new int[n][];
            for (int v = 0; v < n; v++) {
                if (schema.onehot(v)) {
                    labels[v] = new int[samples];
                } else if (f64) {
                    d[v] = new double[Math.multiplyExact(samples, schema.sizes[v])];
                } else {
                    f[v] = new float[Math.multiplyExact(samples, schema.sizes[v])];
                }
            }
            return new Dataset(samples, f, d, labels);
        }
    }

    /**
     * Data sets read ahead by whoever runs the trainer in-process ({@code nnc train} reads the data
     * while it compiles the trainer), by {@link #dataKey}: {@link #readData} takes one instead of
     * reading the same file again. Empty in a standalone trainer.
     */
    static final java.util.Map<String, java.util.concurrent.Future<Dataset>> PRELOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /** How many times {@link #readData} took a data set read ahead instead of reading the file (what tests look at). */
    static final java.util.concurrent.atomic.AtomicInteger PRELOADS_TAKEN = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The files {@code source} names, resolved against {@code base} and made absolute, and the
     * precision: the same key whether a path was relative to the .nn file's folder or absolute.
     */
    static String dataKey(String source, java.nio.file.Path base, boolean f64) {
        String s = source.strip();
        String files;
        try {
            String[] idx = idxFiles(s);
            if (idx != null) {
                StringBuilder b = new StringBuilder("idx");
                for (String part : idx) {
                    b.append('\n').append(path(part, base).toAbsolutePath().normalize());
                }
                files = b.toString();
            } else {
                files = path(s, base).toAbsolutePath().normalize().toString();
            }
        } catch (DataError | java.io.IOError | SecurityException e) {
            files = s + "\n" + base; // not a path: reading it reports the problem
        }
        return files + "\n" + (f64 ? "f64" : "f32");
    }

    /** Hands a data set read ahead to the next {@link #readData} of the same source, base and precision. */
    public static void preload(String source, java.nio.file.Path base, boolean f64, int samples, float[][] f32, double[][] f64s,
            int[][] labels) {
        preload(source, base, f64, java.util.concurrent.CompletableFuture.completedFuture(new Dataset(samples, f32, f64s, labels)));
    }

    /**
     * As above, for a data set still being read: {@link #readData} waits for {@code pending}, and
     * reads the file itself when it ends in null or a failure.
     */
    public static void preload(String source, java.nio.file.Path base, boolean f64, java.util.concurrent.Future<Dataset> pending) {
        PRELOADED.put(dataKey(source, base, f64), pending);
    }

    /** What {@code pending} ends with, or null when it fails or the wait is interrupted (the interrupt is kept). */
    private static Dataset await(java.util.concurrent.Future<Dataset> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    /**
     * Reads {@code "path.csv"} or {@code idx("images", "labels")} (quotes optional), paths relative to
     * {@code base} when it is not null, or takes the data set read ahead for them. Messages show the
     * paths as resolved.
     */
    static Dataset readData(String source, java.nio.file.Path base, Schema schema, boolean f64) {
        java.util.concurrent.Future<Dataset> pending = PRELOADED.remove(dataKey(source, base, f64));
        Dataset ahead = pending == null ? null : await(pending);
        if (ahead != null && ahead.matches(schema)) {
            PRELOADS_TAKEN.incrementAndGet();
            return ahead;
        }
        return readFile(source, base, schema, f64);
    }

    /**
     * As {@link #readData}, always from the file: what the read-ahead itself runs (taking a data set
     * read ahead there would wait for itself).
     */
    static Dataset readFile(String source, java.nio.file.Path base, Schema schema, boolean f64) {
        String s = source.strip();
        String[] parts = idxFiles(s);
        if (parts != null) {
            if (parts.length != 2) {
                throw new DataError("idx(...) takes two files, images and labels: " + source);
            }
            return NncIdx.read(path(parts[0], base), path(parts[1], base), schema, f64);
        }
        return NncCsv.read(path(s, base), schema, f64);
    }

    /**
     * As {@link #readData}, for predictions, which need no targets: a CSV file whose first sample
     * has exactly the inputs' columns is read as inputs alone, its targets left zero so the data set
     * keeps the model's schema; any other file (IDX files always hold labels) is read whole.
     */
    static Dataset readInputs(String source, java.nio.file.Path base, Schema schema, boolean f64) {
        String s = source.strip();
        Schema inputs = schema.inputsOnly();
        if (s.startsWith("idx(") || inputs.columns() == schema.columns()
                || NncCsv.firstSampleColumns(path(s, base)) != inputs.columns()) {
            return readData(source, base, schema, f64);
        }
        Dataset read = NncCsv.read(path(s, base), inputs, f64);
        Dataset whole = Dataset.allocate(schema, read.samples, f64);
        for (int v = 0; v < schema.inputs; v++) {
            if (f64) {
                whole.f64[v] = read.f64[v];
            } else {
                whole.f32[v] = read.f32[v];
            }
        }
        return whole;
    }

    /** The files of {@code idx(images, labels)} as written (any number of them), or null for a source of another form. */
    private static String[] idxFiles(String stripped) {
        return stripped.startsWith("idx(") && stripped.endsWith(")") ? stripped.substring(4, stripped.length() - 1).split(",", -1) : null;
    }

    /**
     * About how many samples {@code source} holds, told from the file without reading it: an IDX
     * label file's count, or a CSV file's size over the length of its first lines (at most 64 KB
     * read). What the warm-up takes for the run's length while the data is read ({@link NncWarmup});
     * -1 when the file does not tell (compressed, or not there).
     */
    static long estimatedSamples(String source, java.nio.file.Path base) {
        try {
            String s = source.strip();
            String[] parts = idxFiles(s);
            if (parts != null) {
                java.nio.file.Path labels = parts.length == 2 ? path(parts[1], base) : null;
                if (labels == null || labels.toString().endsWith(".gz")) {
                    return -1;
                }
                try (java.io.DataInputStream in = new java.io.DataInputStream(java.nio.file.Files.newInputStream(labels))) {
                    in.readInt(); // the magic number
                    return Math.max(-1, in.readInt()); // the count
                }
            }
            java.nio.file.Path file = path(s, base);
            if (file.toString().endsWith(".gz")) {
                return -1;
            }
            long size = java.nio.file.Files.size(file);
            byte[] head = new byte[(int) Math.min(size, 1 << 16)];
            int n;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            int lines = 0;
            int end = 0;
            for (int i = 0; i < n; i++) {
                if (head[i] == '\n') {
                    lines++;
                    end = i + 1;
                }
            }
            return lines == 0 ? size / Math.max(1, n) : size * lines / end;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static java.nio.file.Path path(String text, java.nio.file.Path base) {
        String p = text.strip();
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            p = p.substring(1, p.length() - 1);
        }
        try {
            java.nio.file.Path path = java.nio.file.Path.of(p);
            return base == null || path.isAbsolute() ? path : base.resolve(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new DataError("cannot read " + p + ": not a valid path");
        }
    }

    /** A buffered stream of the file's bytes, gunzipped when it starts with gzip's magic 1f 8b. */
    static java.io.InputStream open(java.nio.file.Path file, String shown) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new DataError("cannot read " + shown + ": it is a directory");
        }
        java.io.InputStream raw = null;
        try {
            raw = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new java.io.BufferedInputStream(new java.util.zip.GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            return raw;
        } catch (java.io.IOException e) {
            closeQuietly(raw);
            throw cannotRead(shown, e);
        }
    }

    static java.io.BufferedReader textReader(java.nio.file.Path file, String shown) {
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(open(file, shown), utf8), 1 << 16);
        try {
            in.mark(1);
            if (in.read() != '\uFEFF') { // a byte order mark is not part of the first field
                in.reset();
            }
        } catch (java.io.IOException e) {
            closeQuietly(in);
            throw cannotRead(shown, e);
        }
        return in;
    }

    static DataError cannotRead(String shown, java.io.IOException e) {
        String why;
        if (e instanceof java.nio.file.NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof java.nio.charset.CharacterCodingException) {
            why = "it is not UTF-8 text";
        } else if (e instanceof java.util.zip.ZipException) {
            why = "it is not valid gzip data (" + e.getMessage() + ")";
        } else if (e instanceof java.io.EOFException) {
            why = "it ends too early";
        } else {
            why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new DataError("cannot read " + shown + ": " + why);
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (java.io.IOException ignored) {
                // nothing was written, so nothing is lost
            }
        }
    }

    // ------------------------------------------------------------------------ random numbers

    /** SplitMix64, the same numbers as nnc's own generator, so a seed means the same in both. */
    public static final class SplitMix64 {
        private long state;

        public SplitMix64(long seed) {
            this.state = seed;
        }

        /** The generator's whole state: a generator made with it as seed continues the same numbers. */
        long state() {
            return state;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1), 53 random bits. */
        public double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Standard normal by Box-Muller, one value per two uniforms (no cached second value). */
        public double nextGaussian() {
            double u1 = 1.0 - nextDouble();
            double u2 = nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        /** Uniform in [0, bound), by rejection so every value is equally likely. */
        int nextInt(int bound) {
            long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
            long r;
            do {
                r = nextLong() >>> 1;
            } while (r >= limit);
            return (int) (r % bound);
        }
    }

    /** Fisher-Yates from the last index down; index 0 draws nothing. */
    static void shuffle(int[] order, SplitMix64 random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
