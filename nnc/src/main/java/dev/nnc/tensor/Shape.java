package dev.nnc.tensor;

import java.util.List;

/** The shape of a value: {@code []} scalar, {@code [n]} vector, {@code [m, n]} matrix. */
public record Shape(List<Integer> dims) {

    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(int... dims) {
        return new Shape(java.util.Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    public boolean isScalar() {
        return dims.isEmpty();
    }

    public int dim(int i) {
        return dims.get(i);
    }

    /** Number of elements; a scalar has one. */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(dims.get(i));
        }
        return b.append(']').toString();
    }
}
