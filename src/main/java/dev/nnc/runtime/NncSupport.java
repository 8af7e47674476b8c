package dev.nnc.runtime;

/**
 * The fixed runtime of a generated trainer: data files, random numbers, weights files, JSON results,
 * command-line flags and progress lines. The generated trainer class uses it as {@code NncSupport.x}.
 *
 * <p>This text is appended verbatim after the generated class, in the same file, so it may use
 * nothing but {@code java.base}, every JDK type is written out in full (the file it lands in
 * has its own imports), and it stays one package-private top-level class with static members.
 * nnc itself reaches it through {@code Support}, so there is one implementation of each format.
 */
final class NncSupport {

    private NncSupport() {}

    /** A data or weights file is missing or wrong; the message names the file and the spot. */
    static final class DataError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataError(String message) {
            super(message, null, false, false);
        }
    }

    /** The trainer's command line is wrong (the trainer exits 2). */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------- data

    /** The per-sample variables of a model in data order: its inputs, then its targets. */
    static final class Schema {
        final String[] names;
        /** Elements per sample (the flattened shape); a onehot target counts its classes. */
        final int[] sizes;
        /** The class count of a onehot target, 0 for every other variable. */
        final int[] classes;
        /** The first {@code inputs} variables are inputs, the rest targets. */
        final int inputs;

        Schema(String[] names, int[] sizes, int[] classes, int inputs) {
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
    }

    /**
     * Samples as one flat row-major array per variable ({@code [sample * size + i]}), so a large
     * data set is a handful of arrays rather than millions of objects.
     */
    static final class Dataset {
        final int samples;
        /** Per variable when loaded as f32 (null entries for onehot targets); null when f64. */
        final float[][] f32;
        /** Per variable when loaded as f64 (null entries for onehot targets); null when f32. */
        final double[][] f64;
        /** Per variable: the class labels of a onehot target, null for every other variable. */
        final int[][] labels;

        Dataset(int samples, float[][] f32, double[][] f64, int[][] labels) {
            this.samples = samples;
            this.f32 = f32;
            this.f64 = f64;
            this.labels = labels;
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
     * Reads {@code "path.csv"} or {@code idx("images", "labels")} (quotes optional), paths relative to
     * {@code base} when it is not null. Messages show the paths as resolved.
     */
    static Dataset readData(String source, java.nio.file.Path base, Schema schema, boolean f64) {
        String s = source.strip();
        if (s.startsWith("idx(") && s.endsWith(")")) {
            String[] parts = s.substring(4, s.length() - 1).split(",", -1);
            if (parts.length != 2) {
                throw new DataError("idx(...) takes two files, images and labels: " + source);
            }
            return readIdx(path(parts[0], base), path(parts[1], base), schema, f64);
        }
        return readCsv(path(s, base), schema, f64);
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

    /**
     * One sample per line: every input flattened, then every target (one integer label column for
     * a onehot target), separated by commas. A first line that is not all numbers is a header.
     * Two passes (count, then parse) so the arrays are allocated once at their final size.
     */
    static Dataset readCsv(java.nio.file.Path file, Schema schema, boolean f64) {
        String shown = file.toString();
        int samples = countCsvSamples(file, shown);
        Dataset data = Dataset.allocate(schema, samples, f64);
        int lineNo = 0;
        int blank = 0;
        int sample = 0;
        try (java.io.BufferedReader in = textReader(file, shown)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    blank = blank == 0 ? lineNo : blank;
                    continue;
                }
                if (blank != 0) {
                    throw new DataError(shown + ":" + blank + ": empty line (only trailing empty lines are allowed)");
                }
                if (lineNo == 1 && isHeader(line)) {
                    continue;
                }
                if (sample == samples) {
                    throw new DataError(shown + ": the file changed while it was read");
                }
                csvRow(line, shown + ":" + lineNo + ": ", schema, data, sample++);
            }
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
        if (sample != samples) {
            throw new DataError(shown + ": the file changed while it was read");
        }
        return data;
    }

    private static int countCsvSamples(java.nio.file.Path file, String shown) {
        int lines = 0;
        boolean header = false;
        try (java.io.BufferedReader in = textReader(file, shown)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    header |= lines == 0 && isHeader(line);
                    lines++;
                }
            }
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
        if (lines == 0) {
            throw new DataError(shown + ": the file is empty");
        }
        if (header && lines == 1) {
            throw new DataError(shown + ": no samples after the header line");
        }
        return header ? lines - 1 : lines;
    }

    private static boolean isHeader(String line) {
        int start = 0;
        while (true) {
            int end = fieldEnd(line, start);
            if (!isDecimal(line.substring(start, end).strip())) {
                return true;
            }
            if (end == line.length()) {
                return false;
            }
            start = end + 1;
        }
    }

    private static void csvRow(String line, String at, Schema schema, Dataset data, int sample) {
        int columns = schema.columns();
        int found = 1;
        for (int i = 0; i < line.length(); i++) {
            found += line.charAt(i) == ',' ? 1 : 0;
        }
        if (found != columns) {
            throw new DataError(at + "expected " + columns + " columns, found " + found);
        }
        int start = 0;
        int column = 1;
        for (int v = 0; v < schema.count(); v++) {
            int size = schema.onehot(v) ? 1 : schema.sizes[v];
            int base = sample * size;
            for (int i = 0; i < size; i++, column++) {
                int end = fieldEnd(line, start);
                String token = line.substring(start, end).strip();
                start = end + 1;
                if (!isDecimal(token)) {
                    throw new DataError(at + "column " + column + " is not a number: \"" + token + "\"");
                }
                if (schema.onehot(v)) {
                    data.labels[v][sample] = label(token, schema.classes[v], at);
                } else if (data.f64 != null) {
                    double d = Double.parseDouble(token);
                    if (Double.isInfinite(d)) {
                        throw new DataError(at + "column " + column + " is out of range: \"" + token + "\"");
                    }
                    data.f64[v][base + i] = d;
                } else {
                    float f = Float.parseFloat(token);
                    if (Float.isInfinite(f)) {
                        throw new DataError(at + "column " + column + " is out of range for f32: \"" + token + "\"");
                    }
                    data.f32[v][base + i] = f;
                }
            }
        }
    }

    private static int label(String token, int classes, String at) {
        double d = Double.parseDouble(token);
        if (d != Math.rint(d)) {
            throw new DataError(at + "label " + token + " is not a whole number");
        }
        if (d < 0 || d >= classes) {
            throw new DataError(at + "label " + token + " is out of range for onehot[" + classes + "]");
        }
        return (int) d;
    }

    private static int fieldEnd(String line, int start) {
        int comma = line.indexOf(',', start);
        return comma < 0 ? line.length() : comma;
    }

    /** Plain decimal numbers only: {@code -1}, {@code 2.5}, {@code .5}, {@code 1e-3}; no NaN, hex or suffixes. */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * MNIST's IDX files: {@code 0x00000803} images of unsigned bytes (count, rows, cols), scaled to
     * [0, 1], and {@code 0x00000801} labels; gzip or plain. Records count from 0 in messages.
     */
    static Dataset readIdx(java.nio.file.Path images, java.nio.file.Path labels, Schema schema, boolean f64) {
        String shownImages = images.toString();
        String shownLabels = labels.toString();
        if (schema.count() != 2 || schema.inputs != 1 || !schema.onehot(1)) {
            throw new DataError("idx(" + shownImages + ", " + shownLabels
                    + ") needs a model with exactly one input and one onehot target");
        }
        java.io.InputStream img = open(images, shownImages);
        java.io.InputStream lab = null;
        try {
            lab = open(labels, shownLabels);
            int[] imageDims = idxHeader(img, shownImages, 0x00000803, "images", 3);
            int[] labelDims = idxHeader(lab, shownLabels, 0x00000801, "labels", 1);
            int count = imageDims[0];
            if (labelDims[0] != count) {
                throw new DataError(shownImages + " holds " + count + " images but " + shownLabels
                        + " holds " + labelDims[0] + " labels");
            }
            long pixels = (long) imageDims[1] * imageDims[2];
            if (pixels != schema.sizes[0]) {
                throw new DataError(shownImages + ": images are " + imageDims[1] + "x" + imageDims[2] + " = " + pixels
                        + " pixels, but input " + schema.names[0] + " has " + schema.sizes[0] + " elements");
            }
            if (count == 0) {
                throw new DataError(shownImages + ": the file holds no images");
            }
            if (count * pixels > Integer.MAX_VALUE - 8) {
                throw new DataError(shownImages + ": " + count + " images are too many to hold in one array");
            }
            Dataset data = Dataset.allocate(schema, count, f64);
            idxPixels(img, shownImages, count, (int) pixels, data);
            idxLabels(lab, shownLabels, count, schema.classes[1], data.labels[1]);
            idxEnd(img, shownImages, count);
            idxEnd(lab, shownLabels, count);
            return data;
        } finally {
            closeQuietly(img);
            closeQuietly(lab);
        }
    }

    private static int[] idxHeader(java.io.InputStream in, String shown, int magic, String what, int dims) {
        int found = bigEndianInt(readHeader(in, shown, 4), 0);
        if (found != magic) {
            throw new DataError(shown + ": expected magic " + String.format("0x%08x", magic) + " (" + what
                    + "), found " + String.format("0x%08x", found));
        }
        byte[] head = readHeader(in, shown, 4 * dims);
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = bigEndianInt(head, 4 * d);
            if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
                throw new DataError(shown + ": dimension " + d + " has the impossible size " + Integer.toUnsignedString(sizes[d]));
            }
        }
        return sizes;
    }

    private static byte[] readHeader(java.io.InputStream in, String shown, int length) {
        byte[] head = new byte[length];
        try {
            if (in.readNBytes(head, 0, length) == length) {
                return head;
            }
        } catch (java.io.EOFException e) {
            // reported below
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
        throw new DataError(shown + ": the header is truncated");
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void idxPixels(java.io.InputStream in, String shown, int count, int pixels, Dataset data) {
        float[] f32 = data.f32 == null ? null : data.f32[0];
        double[] f64 = data.f64 == null ? null : data.f64[0];
        float[] scaled32 = new float[256];
        double[] scaled64 = new double[256];
        for (int v = 0; v < 256; v++) {
            scaled32[v] = v / 255f;
            scaled64[v] = v / 255.0;
        }
        byte[] record = new byte[pixels];
        int r = 0;
        try {
            for (; r < count; r++) {
                if (in.readNBytes(record, 0, pixels) != pixels) {
                    throw new DataError(shown + ": record " + r + " is truncated");
                }
                int base = r * pixels;
                if (f32 != null) {
                    for (int i = 0; i < pixels; i++) {
                        f32[base + i] = scaled32[record[i] & 0xff];
                    }
                } else {
                    for (int i = 0; i < pixels; i++) {
                        f64[base + i] = scaled64[record[i] & 0xff];
                    }
                }
            }
        } catch (java.io.EOFException e) {
            throw new DataError(shown + ": record " + r + " is truncated");
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
    }

    private static void idxLabels(java.io.InputStream in, String shown, int count, int classes, int[] labels) {
        byte[] bytes = new byte[count];
        int got = 0;
        try {
            while (got < count) {
                int n = in.read(bytes, got, count - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (java.io.EOFException e) {
            // reported below, at the first label that did not arrive
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
        if (got != count) {
            throw new DataError(shown + ": record " + got + " is truncated");
        }
        for (int r = 0; r < count; r++) {
            int label = bytes[r] & 0xff;
            if (label >= classes) {
                throw new DataError(shown + ": record " + r + ": label " + label + " is out of range for onehot[" + classes + "]");
            }
            labels[r] = label;
        }
    }

    private static void idxEnd(java.io.InputStream in, String shown, int count) {
        try {
            if (in.read() != -1) {
                throw new DataError(shown + ": data continues after the last record (the header says " + count + ")");
            }
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
    }

    /** A buffered stream of the file's bytes, gunzipped when it starts with gzip's magic 1f 8b. */
    private static java.io.InputStream open(java.nio.file.Path file, String shown) {
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

    private static java.io.BufferedReader textReader(java.nio.file.Path file, String shown) {
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

    private static DataError cannotRead(String shown, java.io.IOException e) {
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

    private static void closeQuietly(java.io.Closeable c) {
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
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1), 53 random bits. */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Standard normal by Box-Muller, one value per two uniforms (no cached second value). */
        double nextGaussian() {
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

    // ------------------------------------------------------------------------------- weights

    /**
     * Writes {@code {"W1": [[...], ...], "b1": [...], "s": 0.5}}: nested arrays by shape, numbers in
     * their shortest round-trip form. The file is replaced atomically, so a crash never leaves half
     * a file; a non-finite value is refused before anything is written.
     */
    static void saveWeights(java.nio.file.Path file, String[] names, int[][] shapes, double[][] values) {
        writeWeights(file, names, shapes, values, null);
    }

    /** As above for f32 parameters, written in float's shortest form (which reads back exactly). */
    static void saveWeights(java.nio.file.Path file, String[] names, int[][] shapes, float[][] values) {
        writeWeights(file, names, shapes, null, values);
    }

    private static void writeWeights(java.nio.file.Path file, String[] names, int[][] shapes, double[][] d, float[][] f) {
        for (int p = 0; p < names.length; p++) {
            int n = d != null ? d[p].length : f[p].length;
            if (n != elements(shapes[p])) {
                throw new IllegalArgumentException(names[p] + " has " + n + " values for shape " + shapeText(shapes[p]));
            }
            for (int i = 0; i < n; i++) {
                double v = d != null ? d[p][i] : f[p][i];
                if (!Double.isFinite(v)) {
                    throw new DataError("cannot save " + file + ": parameter " + names[p] + " holds " + v
                            + " at element " + i);
                }
            }
        }
        java.nio.file.Path target = file.toAbsolutePath();
        if (java.nio.file.Files.isDirectory(target)) {
            throw new DataError("cannot write " + file + ": it is a directory");
        }
        // A name of our own rather than createTempFile, whose owner-only permissions would stick.
        java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "."
                + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(temp, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                writeWeightsJson(out, names, shapes, d, f);
            }
            try {
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : String.valueOf(e.getMessage());
            throw new DataError("cannot write " + file + ": " + why);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(temp);
            } catch (java.io.IOException ignored) {
                // the stray temporary file is harmless and hidden
            }
        }
    }

    private static void writeWeightsJson(java.io.Writer out, String[] names, int[][] shapes, double[][] d, float[][] f)
            throws java.io.IOException {
        out.write(names.length == 0 ? "{" : "{\n");
        for (int p = 0; p < names.length; p++) {
            StringBuilder b = new StringBuilder("  ");
            string(b, names[p]);
            b.append(": ");
            int[] shape = shapes[p];
            if (shape.length >= 2) { // one matrix row per line
                int rowSize = elements(shape) / Math.max(1, shape[0]);
                int[] rowShape = java.util.Arrays.copyOfRange(shape, 1, shape.length);
                b.append(shape[0] == 0 ? "[" : "[\n");
                for (int r = 0; r < shape[0]; r++) {
                    b.append("    ");
                    nested(b, rowShape, 0, r * rowSize, d == null ? null : d[p], f == null ? null : f[p]);
                    b.append(r + 1 < shape[0] ? ",\n" : "\n  ");
                    out.append(b);
                    b.setLength(0);
                }
                b.append(']');
            } else {
                nested(b, shape, 0, 0, d == null ? null : d[p], f == null ? null : f[p]);
            }
            b.append(p + 1 < names.length ? ",\n" : "\n");
            out.append(b);
        }
        out.write("}\n");
    }

    private static int nested(StringBuilder b, int[] shape, int dim, int at, double[] d, float[] f) {
        if (dim == shape.length) {
            b.append(d != null ? number(d[at]) : number(f[at]));
            return at + 1;
        }
        b.append('[');
        for (int i = 0; i < shape[dim]; i++) {
            b.append(i == 0 ? "" : ", ");
            at = nested(b, shape, dim + 1, at, d, f);
        }
        b.append(']');
        return at;
    }

    /** Reads a weights file written by {@link #saveWeights}, returning the values in {@code names} order. */
    static double[][] loadWeights(java.nio.file.Path file, String[] names, int[][] shapes) {
        String shown = file.toString();
        String text;
        if (java.nio.file.Files.isDirectory(file)) {
            throw new DataError("cannot read " + shown + ": it is a directory");
        }
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw cannotRead(shown, e);
        }
        Object root = new JsonParser(text, shown).document();
        if (!(root instanceof java.util.Map<?, ?> params)) {
            throw new DataError(shown + ": expected an object of parameters, found " + JsonParser.kind(root));
        }
        java.util.List<String> known = java.util.Arrays.asList(names);
        for (Object key : params.keySet()) {
            if (!known.contains(key)) {
                throw new DataError(shown + ": unknown parameter " + key + " (the model has " + String.join(", ", names) + ")");
            }
        }
        double[][] values = new double[names.length][];
        for (int p = 0; p < names.length; p++) {
            if (!params.containsKey(names[p])) {
                throw new DataError(shown + ": parameter " + names[p] + " is missing");
            }
            Object value = params.get(names[p]);
            java.util.List<Integer> found = new java.util.ArrayList<>();
            String problem = jsonShape(value, found);
            if (problem != null) {
                throw new DataError(shown + ": parameter " + names[p] + " " + problem);
            }
            int[] shape = found.stream().mapToInt(Integer::intValue).toArray();
            if (!java.util.Arrays.equals(shape, shapes[p])) {
                throw new DataError(shown + ": parameter " + names[p] + " has shape " + shapeText(shape)
                        + ", the model expects " + shapeText(shapes[p]));
            }
            values[p] = new double[elements(shape)];
            flatten(value, values[p], 0);
        }
        return values;
    }

    /** Appends the shape of a nested list of numbers to {@code shape}; returns what is wrong, or null. */
    private static String jsonShape(Object value, java.util.List<Integer> shape) {
        if (value instanceof Double) {
            return null;
        }
        if (!(value instanceof java.util.List<?> list)) {
            return "holds " + JsonParser.kind(value) + " where a number or an array belongs";
        }
        shape.add(list.size());
        if (list.isEmpty()) {
            return null;
        }
        int depth = shape.size();
        String problem = jsonShape(list.get(0), shape);
        java.util.List<Integer> first = shape.subList(depth, shape.size());
        for (int i = 1; problem == null && i < list.size(); i++) {
            java.util.List<Integer> other = new java.util.ArrayList<>();
            problem = jsonShape(list.get(i), other);
            if (problem == null && !other.equals(first)) {
                problem = "is not a rectangular array";
            }
        }
        return problem;
    }

    private static int flatten(Object value, double[] out, int at) {
        if (value instanceof Double d) {
            out[at] = d;
            return at + 1;
        }
        for (Object item : (java.util.List<?>) value) {
            at = flatten(item, out, at);
        }
        return at;
    }

    private static int elements(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(']').toString();
    }

    /**
     * A strict JSON reader (RFC 8259): objects become insertion-ordered maps, arrays lists, numbers
     * {@code Double}. Errors name the file, line and column.
     */
    static final class JsonParser {
        private static final int MAX_DEPTH = 64;
        private final String text;
        private final String shown;
        private int pos;
        private int depth;

        JsonParser(String text, String shown) {
            this.text = text;
            this.shown = shown;
        }

        Object document() {
            Object value = value();
            space();
            if (pos < text.length()) {
                throw error("expected the end of the document, found " + found());
            }
            return value;
        }

        private Object value() {
            space();
            if (pos >= text.length()) {
                throw error("expected a value, found the end of the file");
            }
            char c = text.charAt(pos);
            if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw error("nested deeper than " + MAX_DEPTH + " levels");
                }
                Object v = c == '{' ? object() : array();
                depth--;
                return v;
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
                }
            }
            throw error("expected a value, found " + found());
        }

        private java.util.Map<String, Object> object() {
            java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw error("expected a key in quotes, found " + found());
                }
                int keyAt = pos;
                String key = string();
                space();
                expect(':');
                if (map.containsKey(key)) {
                    pos = keyAt;
                    throw error("the key \"" + key + "\" appears twice");
                }
                map.put(key, value());
                space();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                if (peek() != ',') {
                    throw error("expected ',' or '}', found " + found());
                }
                pos++;
            }
        }

        private java.util.List<Object> array() {
            java.util.List<Object> list = new java.util.ArrayList<>();
            pos++;
            space();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                space();
                if (peek() == ']') {
                    pos++;
                    return list;
                }
                if (peek() != ',') {
                    throw error("expected ',' or ']', found " + found());
                }
                pos++;
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw error("the string is not closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("a control character must be escaped in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    pos++;
                    continue;
                }
                char e = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        String hex = pos + 6 <= text.length() ? text.substring(pos + 2, pos + 6) : "";
                        if (!hex.matches("[0-9a-fA-F]{4}")) {
                            throw error("expected four hex digits after \\u");
                        }
                        b.append((char) Integer.parseInt(hex, 16));
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
                pos += 2;
            }
        }

        private Double number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("expected a digit, found " + found());
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("expected a digit after '.', found " + found());
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent, found " + found());
                }
            }
            String literal = text.substring(start, pos);
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("the number " + literal + " is out of range");
            }
            return d;
        }

        private boolean digits() {
            int start = pos;
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            return pos > start;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "', found " + found());
            }
            pos++;
        }

        private void space() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private String found() {
            return pos >= text.length() ? "the end of the file" : "'" + text.charAt(pos) + "'";
        }

        private DataError error(String message) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new DataError(shown + ":" + line + ":" + column + ": " + message);
        }

        static String kind(Object v) {
            return v == null ? "null" : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean"
                    : v instanceof java.util.Map ? "an object" : v instanceof java.util.List ? "an array" : "a number";
        }
    }

    // ---------------------------------------------------------------------------- JSON output

    /**
     * One JSON document: maps (in iteration order), lists, arrays ({@code double[]}, {@code float[]},
     * {@code int[]}, {@code Object[]} such as {@code double[][]}), strings, numbers, booleans, null.
     */
    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        json(b, value);
        return b.toString();
    }

    private static void json(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            b.append(v);
        } else if (v instanceof Float f) {
            b.append(number(f.floatValue()));
        } else if (v instanceof Number n) {
            b.append(number(n.doubleValue()));
        } else if (v instanceof java.util.Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                sep = ", ";
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                json(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof java.util.List<?> l) {
            jsonArray(b, l.toArray());
        } else if (v instanceof Object[] a) {
            jsonArray(b, a);
        } else if (v instanceof double[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(number(a[i]));
            }
            b.append(']');
        } else if (v instanceof float[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(number(a[i]));
            }
            b.append(']');
        } else if (v instanceof int[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(a[i]);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getSimpleName());
        }
    }

    private static void jsonArray(StringBuilder b, Object[] items) {
        b.append('[');
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ", ");
            json(b, items[i]);
        }
        b.append(']');
    }

    /** The shortest text that reads back as the same double; integers without a fraction. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no form for the non-finite value " + d);
        }
        if (d == 0 && 1 / d < 0) {
            return "-0.0"; // (long) -0.0 would lose the sign
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** As {@link #number(double)}, in float's shortest form, so an f32 value is not padded with noise digits. */
    static String number(float f) {
        if (!Float.isFinite(f) || (f == Math.rint(f) && Math.abs(f) < 1e15)) {
            return number((double) f);
        }
        return Float.toString(f);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    // ---------------------------------------------------------------------------------- flags

    /** The generated trainer's command line; a flag not given stays null (the model's value applies). */
    static final class Flags {
        private static final String[] VALUED = {"--data", "--test-data", "--epochs", "--batch", "--lr", "--seed", "--save", "--weights"};
        private static final String[] SWITCHES = {"--json", "--predict", "--eval", "--gradcheck", "--help"};

        String data;
        String testData;
        Integer epochs;
        Integer batch;
        Double lr;
        Long seed;
        String save;
        String weights;
        boolean json;
        boolean predict;
        boolean eval;
        boolean gradcheck;
        boolean help;

        static Flags parse(String... args) {
            Flags flags = new Flags();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i].equals("-h") ? "--help" : args[i];
                if (!arg.startsWith("--")) {
                    throw new UsageError("unexpected argument \"" + arg + "\" (flags start with --; see --help)");
                }
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String value = eq < 0 ? null : arg.substring(eq + 1);
                boolean valued = java.util.Arrays.asList(VALUED).contains(name);
                if (!valued && !java.util.Arrays.asList(SWITCHES).contains(name)) {
                    throw new UsageError("unknown flag " + name + suggestion(name) + " (see --help)");
                }
                if (!seen.add(name)) {
                    throw new UsageError(name + " is given twice");
                }
                if (!valued) {
                    if (value != null) {
                        throw new UsageError(name + " takes no value");
                    }
                } else if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageError(name + " needs a value");
                    }
                    value = args[++i];
                }
                if (valued && value.isEmpty()) {
                    throw new UsageError(name + " needs a value");
                }
                flags.set(name, value);
            }
            String[] modes = {flags.predict ? "--predict" : null, flags.eval ? "--eval" : null, flags.gradcheck ? "--gradcheck" : null};
            String first = null;
            for (String mode : modes) {
                if (mode != null && first != null) {
                    throw new UsageError(first + " and " + mode + " cannot be combined");
                }
                first = first == null ? mode : first;
            }
            return flags;
        }

        private void set(String name, String value) {
            switch (name) {
                case "--data" -> data = value;
                case "--test-data" -> testData = value;
                case "--save" -> save = value;
                case "--weights" -> weights = value;
                case "--epochs" -> epochs = (int) whole(name, value, 1, Integer.MAX_VALUE);
                case "--batch" -> batch = (int) whole(name, value, 1, Integer.MAX_VALUE);
                case "--seed" -> seed = whole(name, value, 0, Long.MAX_VALUE);
                case "--lr" -> {
                    double x = isDecimal(value) ? Double.parseDouble(value) : Double.NaN;
                    if (!Double.isFinite(x)) {
                        throw new UsageError("--lr expects a number, found \"" + value + "\"");
                    }
                    if (x <= 0) {
                        throw new UsageError("--lr must be greater than 0, found " + value);
                    }
                    lr = x;
                }
                case "--json" -> json = true;
                case "--predict" -> predict = true;
                case "--eval" -> eval = true;
                case "--gradcheck" -> gradcheck = true;
                case "--help" -> help = true;
                default -> throw new IllegalStateException(name);
            }
        }

        private static long whole(String name, String value, long min, long max) {
            if (!value.matches("[+-]?[0-9]+")) {
                throw new UsageError(name + " expects a whole number, found \"" + value + "\"");
            }
            java.math.BigInteger x = new java.math.BigInteger(value);
            if (x.compareTo(java.math.BigInteger.valueOf(min)) < 0) {
                throw new UsageError(name + " must be at least " + min + ", found " + value);
            }
            if (x.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
                throw new UsageError(name + " must be at most " + max + ", found " + value);
            }
            return x.longValue();
        }

        private static String suggestion(String name) {
            String best = null;
            int bestDistance = 3;
            for (String[] group : new String[][] {VALUED, SWITCHES}) {
                for (String flag : group) {
                    int d = distance(name, flag);
                    if (d < bestDistance) {
                        best = flag;
                        bestDistance = d;
                    }
                }
            }
            return best == null ? "" : " (did you mean " + best + "?)";
        }

        /** Levenshtein distance, for suggesting the flag that was meant. */
        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] t = previous;
                previous = current;
                current = t;
            }
            return previous[b.length()];
        }

        static String usage(String program) {
            return "usage: " + program + " [flags]\n"
                    + "  --data F          training data: a .csv file or idx(images, labels)\n"
                    + "  --test-data F     test data, evaluated after every epoch\n"
                    + "  --epochs N        passes over the training data (N >= 1)\n"
                    + "  --batch B         samples per step (B >= 1)\n"
                    + "  --lr X            learning rate (X > 0)\n"
                    + "  --seed S          seed of the initial weights and the shuffles (S >= 0)\n"
                    + "  --save W.json     write the trained weights\n"
                    + "  --weights W.json  start from these weights instead of the initial ones\n"
                    + "  --json            print the result as one JSON document\n"
                    + "  --predict         print the output for every sample of --data\n"
                    + "  --eval            print the loss and accuracy on --data\n"
                    + "  --gradcheck       compare the gradients with central finite differences\n"
                    + "  --help            show this help\n";
        }
    }

    // ------------------------------------------------------------------------------- progress

    /** {@code epoch 3/10  loss 0.412351  1,234,567 samples/s}. */
    static String epochLine(int epoch, int epochs, double loss, double samplesPerSecond) {
        return "epoch " + epoch + "/" + epochs + "  loss " + loss(loss) + "  " + grouped(samplesPerSecond) + " samples/s";
    }

    /** With the test set's loss and accuracy; a NaN accuracy (a model without classes) is left out. */
    static String epochLine(int epoch, int epochs, double loss, double samplesPerSecond, double testLoss, double testAccuracy) {
        String line = epochLine(epoch, epochs, loss, samplesPerSecond) + "  test loss " + fixed(testLoss, 4);
        return Double.isNaN(testAccuracy) ? line : line + "  test acc " + fixed(testAccuracy, 4);
    }

    /** Whether to draw a progress bar rather than print one line per epoch. */
    static boolean interactive() {
        return System.console() != null;
    }

    /**
     * {@code epoch 3/10 [=========>          ]  45%  loss 0.412351  123,456 samples/s  ETA 1:05},
     * where the ETA is for the whole run at the current epoch's speed.
     */
    static String progressLine(int epoch, int epochs, long done, long total, double loss, double samplesPerSecond, int width) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) (fraction * width);
        StringBuilder bar = new StringBuilder(width + 2).append('[');
        for (int i = 0; i < width; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        long remaining = (long) (epochs - epoch) * total + Math.max(0, total - done);
        String eta = samplesPerSecond > 0 ? duration(remaining / samplesPerSecond) : "?";
        return "epoch " + epoch + "/" + epochs + " " + bar + " " + String.format(java.util.Locale.ROOT, "%3d%%", (int) (fraction * 100))
                + "  loss " + loss(loss) + "  " + grouped(samplesPerSecond) + " samples/s  ETA " + eta;
    }

    /** Redraws {@link #progressLine} in place with {@code \r}, at most ten times a second. */
    static final class ProgressBar {
        private static final long INTERVAL = 100_000_000L;
        private final java.io.PrintStream out;
        private final int epochs;
        private final long samplesPerEpoch;
        private int epoch;
        private long epochStart;
        private long lastDrawn;
        private int lastLength;

        ProgressBar(java.io.PrintStream out, int epochs, long samplesPerEpoch) {
            this.out = out;
            this.epochs = epochs;
            this.samplesPerEpoch = samplesPerEpoch;
        }

        void startEpoch(int epoch) {
            this.epoch = epoch;
            this.epochStart = System.nanoTime();
            this.lastDrawn = epochStart - INTERVAL;
        }

        /** {@code done} samples of this epoch so far, with their mean loss. */
        void update(long done, double meanLoss) {
            long now = System.nanoTime();
            if (now - lastDrawn < INTERVAL && done < samplesPerEpoch) {
                return;
            }
            lastDrawn = now;
            double seconds = Math.max(1e-9, (now - epochStart) / 1e9);
            draw(progressLine(epoch, epochs, done, samplesPerEpoch, meanLoss, done / seconds, 20));
        }

        /** Replaces the bar with the epoch's final line. */
        void endEpoch(String line) {
            draw(line);
            out.print('\n');
            out.flush();
            lastLength = 0;
        }

        private void draw(String text) {
            StringBuilder b = new StringBuilder("\r").append(text);
            for (int i = text.length(); i < lastLength; i++) {
                b.append(' ');
            }
            lastLength = text.length();
            out.print(b);
            out.flush();
        }
    }

    private static String loss(double x) {
        return x != 0 && Math.abs(x) < 1e-3 ? String.format(java.util.Locale.ROOT, "%.4e", x) : fixed(x, 6);
    }

    private static String fixed(double x, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", x);
    }

    private static String grouped(double x) {
        return Double.isFinite(x) ? String.format(java.util.Locale.ROOT, "%,d", Math.round(x)) : "?";
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
