package dev.nnc.tensor;

import java.util.Arrays;

/** An immutable constant: a shape and its elements in row-major order. */
public final class Tensor {

    private final Shape shape;
    private final double[] data;

    public Tensor(Shape shape, double[] data) {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException("tensor of shape " + shape + " given " + data.length + " elements");
        }
        this.shape = shape;
        this.data = data.clone();
    }

    public static Tensor scalar(double v) {
        return new Tensor(Shape.SCALAR, new double[] {v});
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return data.length;
    }

    public double get(int i) {
        return data[i];
    }

    /** The single value of a scalar (or of any one-element tensor). */
    public double scalarValue() {
        return data[0];
    }

    public double[] toArray() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.shape.equals(shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return shape.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return shape.isScalar() ? Values.format(data[0]) : Values.format(this);
    }
}
