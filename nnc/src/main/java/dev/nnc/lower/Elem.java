package dev.nnc.lower;

import dev.nnc.graph.Kind;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Index;
import java.util.List;

/**
 * An element expression: what one element of a fused elementwise loop computes, at the loop's
 * current index. Elementwise chains of the graph become one of these, so they cost one loop.
 */
public sealed interface Elem {

    /** Adds every variable {@code e} reads to {@code into}, once per read. */
    static void reads(Elem e, java.util.List<Var> into) {
        if (e instanceof Load l) {
            into.add(l.var());
        } else if (e instanceof OneHot h) {
            into.add(h.label());
        } else if (e instanceof Apply a) {
            a.args().forEach(x -> reads(x, into));
        } else if (e instanceof Slice s) {
            into.add(s.var());
        } else if (e instanceof Embed m) {
            into.add(m.var());
        }
    }

    /** The element of {@code var} at the current index, or the scalar itself. */
    record Load(Var var) implements Elem {}

    record Literal(double value) implements Elem {}

    /** {@code index == label ? 1 : 0}: an element of a onehot target's vector. */
    record OneHot(Var label) implements Elem {}

    /**
     * The element of {@code var} that the slice {@code index} puts at the current index: {@code x[i + 2]}
     * for {@code x[2:5]}, {@code W[i][0]} for {@code W[:, 0]}.
     */
    record Slice(Var var, Index index) implements Elem {}

    /**
     * The adjoint of a slice at the current index: the element of {@code var} (of the slice's shape)
     * where the index takes one, else zero: {@code (i >= 2 && i < 5 ? g[i - 2] : 0)}.
     */
    record Embed(Var var, Index index) implements Elem {}

    /** In a matrix product's epilogue: the product's element just computed. */
    record Product() implements Elem {}

    /** An elementwise operation of the graph ({@link Kind#ADD}, ...; {@code fn} for a {@link Kind#FN}). */
    record Apply(Kind kind, Fn fn, List<Elem> args) implements Elem {
        public Apply {
            args = List.copyOf(args);
        }

        public Apply(Kind kind, List<Elem> args) {
            this(kind, null, args);
        }
    }
}
