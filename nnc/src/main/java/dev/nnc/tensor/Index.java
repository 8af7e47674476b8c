package dev.nnc.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Which elements an index or slice takes from a value of shape {@code of}: per dimension, one element
 * ({@code x[2]}, the dimension dropped) or a half-open range ({@code x[2:5]}, kept with length
 * {@code end - start}). Bounds are resolved (no negative ones) and within {@code of}; every dimension
 * has an axis ({@code W[0]} is {@code W[0, :]}).
 *
 * <pre>
 *   W[:, 0] of [3, 4]   -&gt;   axes (0:3 kept, 0 dropped), shape [3]
 *   x[2:5] of [8]       -&gt;   axes (2:5 kept), shape [3]
 * </pre>
 *
 * It is the fact both operations share: the slice takes {@link #shape()} out of {@code of}, its
 * adjoint puts a value of {@link #shape()} back into zeros of {@code of} ({@link #gather},
 * {@link #scatter}).
 */
public record Index(Shape of, List<Axis> axes) {

    /** One dimension: elements {@code start} to {@code end - 1}, the dimension kept, or element {@code start}, dropped. */
    public record Axis(int start, int end, boolean kept) {
        public static Axis point(int i) {
            return new Axis(i, i + 1, false);
        }

        public static Axis range(int start, int end) {
            return new Axis(start, end, true);
        }

        public int length() {
            return end - start;
        }
    }

    public Index {
        axes = List.copyOf(axes);
        if (axes.size() != of.rank()) {
            throw new IllegalArgumentException(axes.size() + " axes for shape " + of);
        }
        for (int d = 0; d < axes.size(); d++) {
            Axis a = axes.get(d);
            if (a.start() < 0 || a.end() > of.dim(d) || a.end() <= a.start() || !a.kept() && a.length() != 1) {
                throw new IllegalArgumentException("axis " + a + " out of dimension " + d + " of " + of);
            }
        }
    }

    /** The shape of the elements taken: the kept axes' lengths. */
    public Shape shape() {
        List<Integer> dims = new ArrayList<>();
        for (Axis a : axes) {
            if (a.kept()) {
                dims.add(a.length());
            }
        }
        return new Shape(dims);
    }

    /** Whether it takes every element as it is: {@code x[:]}. */
    public boolean isWhole() {
        for (int d = 0; d < axes.size(); d++) {
            Axis a = axes.get(d);
            if (!a.kept() || a.start() != 0 || a.end() != of.dim(d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code then} applied to what this index takes, as one index of {@code of}:
     * {@code x[2:6][1:3] = x[3:5]}, {@code W[:, 0][:2] = W[:2, 0]}.
     */
    public Index then(Index then) {
        if (!then.of().equals(shape())) {
            throw new IllegalArgumentException("index " + then + " after " + this);
        }
        List<Axis> out = new ArrayList<>();
        int k = 0;
        for (Axis a : axes) {
            if (!a.kept()) {
                out.add(a);
                continue;
            }
            Axis b = then.axes().get(k++);
            out.add(new Axis(a.start() + b.start(), a.start() + b.end(), b.kept()));
        }
        return new Index(of, out);
    }

    /** The same elements of the transposed matrix: {@code [:2, 0] of [3, 4]} to {@code [0, :2] of [4, 3]}. */
    public Index transposed() {
        if (of.rank() != 2) {
            throw new IllegalArgumentException("transpose of index " + this);
        }
        return new Index(Shape.of(of.dim(1), of.dim(0)), List.of(axes.get(1), axes.get(0)));
    }

    /** The elements taken from {@code x} (row-major, of shape {@code of}), row-major. */
    public double[] gather(double[] x) {
        int[] from = sources();
        double[] out = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            out[i] = x[from[i]];
        }
        return out;
    }

    /** Zeros of shape {@code of} with {@code part} (of {@link #shape()}) at the elements taken. */
    public double[] scatter(double[] part) {
        int[] to = sources();
        double[] out = new double[(int) of.size()];
        for (int i = 0; i < to.length; i++) {
            out[to[i]] = part[i];
        }
        return out;
    }

    /** For each element taken, in row-major order, its flat position in {@code of}. */
    private int[] sources() {
        int n = (int) shape().size();
        int[] out = new int[n];
        int[] at = new int[axes.size()];
        for (int k = 0; k < n; k++) {
            int flat = 0;
            for (int d = 0; d < axes.size(); d++) {
                flat = flat * of.dim(d) + axes.get(d).start() + at[d];
            }
            out[k] = flat;
            for (int d = axes.size() - 1; d >= 0; d--) { // the next element: the last axis fastest
                if (++at[d] < axes.get(d).length()) {
                    break;
                }
                at[d] = 0;
            }
        }
        return out;
    }

    /**
     * The subscripts as the language writes them: {@code 0}, {@code 2:5}, {@code :3}, {@code 2:},
     * {@code :}; trailing whole dimensions left out ({@code W[0]}), at least one kept.
     */
    public String subscripts() {
        int last = axes.size();
        while (last > 1 && isWholeAxis(last - 1)) {
            last--;
        }
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < last; d++) {
            Axis a = axes.get(d);
            b.append(d == 0 ? "" : ", ");
            if (!a.kept()) {
                b.append(a.start());
            } else {
                b.append(a.start() == 0 ? "" : a.start()).append(':').append(a.end() == of.dim(d) ? "" : a.end());
            }
        }
        return b.toString();
    }

    private boolean isWholeAxis(int d) {
        Axis a = axes.get(d);
        return a.kept() && a.start() == 0 && a.end() == of.dim(d);
    }

    @Override
    public String toString() {
        return "[" + subscripts() + "] of " + of;
    }
}
