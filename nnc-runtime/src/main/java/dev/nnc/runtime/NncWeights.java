package dev.nnc.runtime;

/**
 * The weights JSON that trainers write and read:
 * {@code {"W1": [[...], ...], "b1": [...], "s": 0.5}}, parameters in declaration order.
 */
public final class NncWeights {

    private NncWeights() {}

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
                    throw new NncSupport.DataError("cannot save " + file + ": parameter " + names[p] + " holds " + v
                            + " at element " + i);
                }
            }
        }
        NncFiles.replace(file, stream -> {
            java.io.Writer out = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            writeWeightsJson(out, names, shapes, d, f);
            out.flush();
        });
    }

    private static void writeWeightsJson(java.io.Writer out, String[] names, int[][] shapes, double[][] d, float[][] f)
            throws java.io.IOException {
        out.write(names.length == 0 ? "{" : "{\n");
        for (int p = 0; p < names.length; p++) {
            StringBuilder b = new StringBuilder("  ");
            NncJson.string(b, names[p]);
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
            b.append(d != null ? NncJson.number(d[at]) : NncJson.number(f[at]));
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
            throw new NncSupport.DataError("cannot read " + shown + ": it is a directory");
        }
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw NncSupport.cannotRead(shown, e);
        }
        Object root = new NncJson.Parser(text, shown).document();
        if (!(root instanceof java.util.Map<?, ?> params)) {
            throw new NncSupport.DataError(shown + ": expected an object of parameters, found " + NncJson.Parser.kind(root));
        }
        java.util.List<String> known = java.util.Arrays.asList(names);
        for (Object key : params.keySet()) {
            if (!known.contains(key)) {
                throw new NncSupport.DataError(shown + ": unknown parameter " + key + " (the model has " + String.join(", ", names) + ")");
            }
        }
        double[][] values = new double[names.length][];
        for (int p = 0; p < names.length; p++) {
            if (!params.containsKey(names[p])) {
                throw new NncSupport.DataError(shown + ": parameter " + names[p] + " is missing");
            }
            Object value = params.get(names[p]);
            java.util.List<Integer> found = new java.util.ArrayList<>();
            String problem = jsonShape(value, found);
            if (problem != null) {
                throw new NncSupport.DataError(shown + ": parameter " + names[p] + " " + problem);
            }
            int[] shape = found.stream().mapToInt(Integer::intValue).toArray();
            if (!java.util.Arrays.equals(shape, shapes[p])) {
                throw new NncSupport.DataError(shown + ": parameter " + names[p] + " has shape " + shapeText(shape)
                        + ", the model expects " + shapeText(shapes[p]));
            }
            values[p] = new double[elements(shape)];
            flatten(value, values[p], 0);
        }
        return values;
    }

    /**
     * {@link #loadWeights}, each value also checked to be finite in the model's precision: a number
     * beyond float's range is refused for an f32 model ({@code f64} false), as the model would hold an
     * infinity.
     */
    static double[][] loadFiniteWeights(java.nio.file.Path file, String[] names, int[][] shapes, boolean f64) {
        double[][] values = loadWeights(file, names, shapes);
        for (int p = 0; p < values.length; p++) {
            for (int i = 0; i < values[p].length; i++) {
                double x = f64 ? values[p][i] : (float) values[p][i];
                if (!Double.isFinite(x)) {
                    throw new NncSupport.DataError(file + ": parameter " + names[p] + " holds " + values[p][i] + " at element " + i
                            + (Double.isFinite(values[p][i]) ? ", beyond float's range" : "") + "; weights must be finite");
                }
            }
        }
        return values;
    }

    /** Appends the shape of a nested list of numbers to {@code shape}; returns what is wrong, or null. */
    private static String jsonShape(Object value, java.util.List<Integer> shape) {
        if (value instanceof Double) {
            return null;
        }
        if (!(value instanceof java.util.List<?> list)) {
            return "holds " + NncJson.Parser.kind(value) + " where a number or an array belongs";
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

    static int elements(int[] shape) {
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
}
