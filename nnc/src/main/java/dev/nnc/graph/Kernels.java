package dev.nnc.graph;

import dev.nnc.tensor.Shape;

/**
 * The loops of what each operation computes, in f64, on row-major arrays; each {@link Kind} says which
 * it uses ({@code Kind.value}). The stable forms are the definitions:
 * {@code logsumexp(x) = m + log(sum(exp(x - m)))} with {@code m = max(x)}, {@code softmax(x) =
 * exp(x - m) / sum(exp(x - m))}, {@code softplus(x) = max(x, 0) + log1p(exp(-|x|))}.
 *
 * <p>They belong to the graph's operations, below every stage that computes with them: the reference
 * evaluator ({@code dev.nnc.eval}) and the simplifier's constant folding ({@code dev.nnc.simplify}).
 */
public final class Kernels {

    private Kernels() {}

    /** The value of {@code n} given the values of its arguments, in order. */
    public static double[] apply(Node n, double[][] in) {
        return n.kind().value(n, in);
    }

    /** The value of an operation whose arguments are all constants (for constant folding). */
    public static double[] fold(Node n) {
        double[][] in = new double[n.args().size()][];
        for (int i = 0; i < in.length; i++) {
            in[i] = n.arg(i).value().toArray();
        }
        return apply(n, in);
    }

    static double[] binary(Kind k, double[] a, double[] b, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = k.scalar(a[a.length == 1 ? 0 : i], b[b.length == 1 ? 0 : i]);
        }
        return out;
    }

    static double[] negated(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }

    /** f at every element, with its scalar parameter {@code p} where it has one. */
    static double[] function(dev.nnc.ops.Fn f, double[] a, double p) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.value(a[i], p);
        }
        return out;
    }

    static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    static double[] filled(double v, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    static double logsumexp(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (double v : a) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    static double[] softmax(double[] a) {
        double lse = logsumexp(a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.exp(a[i] - lse);
        }
        return out;
    }

    /** [m,n]@[n], [n]@[n,k], [m,n]@[n,k], [n]@[n]: a vector on the left is a row, on the right a column. */
    static double[] matmul(Shape sa, double[] a, Shape sb, double[] b) {
        int m = sa.rank() == 2 ? sa.dim(0) : 1;
        int n = sa.dim(sa.rank() - 1);
        int k = sb.rank() == 2 ? sb.dim(1) : 1;
        double[] out = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += a[i * n + p] * b[p * k + j];
                }
                out[i * k + j] = s;
            }
        }
        return out;
    }

    static double[] transpose(Shape s, double[] a) {
        int m = s.dim(0);
        int n = s.dim(1);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[j * m + i] = a[i * n + j];
            }
        }
        return out;
    }

    static double[] outer(double[] a, double[] b) {
        double[] out = new double[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i * b.length + j] = a[i] * b[j];
            }
        }
        return out;
    }
}
