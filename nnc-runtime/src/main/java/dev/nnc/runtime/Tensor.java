package dev.nnc.runtime;

/**
 * A named array of numbers with a shape: a parameter's values or a gradient, flat and row-major.
 * Immutable: it is a snapshot taken when it was made, so training the model afterwards does not
 * change it, and {@link #data()} hands out a copy each time.
 * <pre>
 *   Tensor w = model.parameters().get("h.W");
 *   w.shape();      // [8, 2]
 *   w.get(3);       // element [1][1], as a double
 *   w.data();       // all 16 values, row-major: a new float[] each call
 * </pre>
 */
public final class Tensor implements java.io.Serializable {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The parameter's name in the {@code .nn} file. */
    private final String name;
    /** The dimensions, outermost first. */
    private final int[] shape;
    /** Flat, row-major. */
    private final double[] values;
    /** Whether the values are of an f64 model (else f32). */
    private final boolean f64;

    /** @param values flat row-major, exactly as many as {@code shape} holds; copied */
    Tensor(String name, int[] shape, double[] values, boolean f64) {
        if (values.length != NncWeights.elements(shape)) {
            throw new IllegalArgumentException(name + " has " + values.length + " values for shape " + NncWeights.shapeText(shape));
        }
        this.name = name;
        this.shape = shape.clone();
        this.values = values.clone();
        this.f64 = f64;
    }

    /** The parameter's name in the {@code .nn} file. */
    public String name() {
        return name;
    }

    /** The dimensions, outermost first (a copy); empty for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int size() {
        return values.length;
    }

    /** {@code "f32"} or {@code "f64"}: the precision of the model it came from. */
    public String dtype() {
        return f64 ? "f64" : "f32";
    }

    /** Element {@code i} of the flat row-major values (exact for both dtypes). */
    public double get(int i) {
        if (i < 0 || i >= values.length) {
            throw new IndexOutOfBoundsException("index " + i + " of " + name + " (size " + values.length + ")");
        }
        return values[i];
    }

    /** A copy of the values, flat and row-major, as float (rounded for an f64 model: see {@link #doubleData()}). */
    public float[] data() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** A copy of the values, flat and row-major, as double (exact for both dtypes). */
    public double[] doubleData() {
        return values.clone();
    }

    /** {@code h.W[8, 2]}. */
    @Override
    public String toString() {
        return name + NncWeights.shapeText(shape);
    }
}
