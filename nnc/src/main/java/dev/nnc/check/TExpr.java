package dev.nnc.check;

import dev.nnc.diag.Pos;
import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.List;

/**
 * A checked expression: every node has its shape, calls are resolved to {@link Op}s, user
 * {@code def}s are inlined and {@code dense} is expanded. This is what later stages build from.
 */
public sealed interface TExpr {

    Shape shape();

    Pos pos();

    /** A constant: a number or tensor literal, or a named {@code const}. */
    record Constant(Tensor value, Pos pos) implements TExpr {
        @Override
        public Shape shape() {
            return value.shape();
        }
    }

    /** A name: an input, target or parameter, or a value bound earlier in the model. */
    record Ref(String name, RefKind kind, Shape shape, Pos pos) implements TExpr {}

    /** An operation applied to its arguments. */
    record Apply(Op op, List<TExpr> args, Shape shape, Pos pos) implements TExpr {
        public Apply {
            args = List.copyOf(args);
        }
    }

    /**
     * An elementwise function applied to x, with its scalar parameter (the default where the call
     * left it out) as the second argument where it has one.
     */
    record Call(Fn fn, List<TExpr> args, Shape shape, Pos pos) implements TExpr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** Some elements of {@code operand}: an index or a slice ({@code out[0]}, {@code x[2:5]}, {@code W[:, 0]}). */
    record Slice(TExpr operand, dev.nnc.tensor.Index index, Pos pos) implements TExpr {
        @Override
        public Shape shape() {
            return index.shape();
        }
    }

    enum RefKind { INPUT, TARGET, PARAM, VALUE }
}
