package dev.nnc.syntax;

import dev.nnc.diag.Pos;
import java.util.List;

/** An expression as written. Every node knows where it starts (for a binary, the operator). */
public sealed interface Expr {

    Pos pos();

    /** A number literal; {@code text} is as written, for messages and printing. */
    record Num(double value, String text, Pos pos) implements Expr {}

    /** A string literal (file names in data and train blocks), without its quotes. */
    record Str(String value, Pos pos) implements Expr {}

    /** A name: {@code x}, or a layer's parameter {@code h1.W}. */
    record Ref(String name, Pos pos) implements Expr {}

    /** {@code -operand}. */
    record Neg(Expr operand, Pos pos) implements Expr {}

    /** {@code operand'}. */
    record Transpose(Expr operand, Pos pos) implements Expr {}

    /**
     * {@code operand[subscripts]}: {@code x[2]}, {@code x[2:5]}, {@code W[:, 0]}; {@code pos} is the
     * opening bracket's.
     */
    record Index(Expr operand, List<Subscript> subscripts, Pos pos) implements Expr {
        public Index {
            subscripts = List.copyOf(subscripts);
        }
    }

    /**
     * One subscript of an index: a point {@code at} ({@code from} and {@code to} null), or a range
     * {@code from:to} where either bound may be left out ({@code at} null).
     */
    record Subscript(Expr at, Expr from, Expr to, Pos pos) {
        public boolean isRange() {
            return at == null;
        }
    }

    /** {@code left op right}; {@code pos} is the operator's. */
    record Binary(BinaryOp op, Expr left, Expr right, Pos pos) implements Expr {}

    /** {@code name(args)}; {@code pos} is the name's. */
    record Call(String name, List<Arg> args, Pos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code [a, b, ...]}: a tensor literal, or a list of samples in a data block. */
    record Tensor(List<Expr> elements, Pos pos) implements Expr {
        public Tensor {
            elements = List.copyOf(elements);
        }
    }

    /** One argument of a call; {@code name} is null for a positional one. */
    record Arg(String name, Expr value, Pos pos) {}

    enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MATMUL("@"), POW("^");

        public final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }
    }
}
