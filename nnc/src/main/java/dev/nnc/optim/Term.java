package dev.nnc.optim;

/**
 * A term of an optimizer's update ({@link Update}): constants, the element's parameter and
 * gradient, the learning rate and step count, state buffers, named intermediates, and
 * {@code + - * /}, {@code sqrt}, {@code pow}. {@code c(0.9).times(m).plus(c(0.1).times(Leaf.GRAD))}
 * is {@code 0.9 * m + 0.1 * g}.
 */
public sealed interface Term {

    /** The element's parameter (before the step), its mean gradient, the learning rate, the step count (1 on the first step). */
    enum Leaf implements Term {
        PARAM("p"), GRAD("g"), LR("lr"), STEP("t");

        private final String text;

        Leaf(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.leaf(this);
        }
    }

    /**
     * A number fixed when the model compiles: an argument, or one computed from them such as
     * {@code 1 - beta1}; {@code text} is how the update's text shows it ({@code (1 - 0.9)}).
     */
    record Const(double value, String text) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.constant(this);
        }
    }

    /** An intermediate of one element's update, assigned once before it is read. */
    record Local(String name) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.local(this);
        }
    }

    /** A state buffer's element: its value from the last step until the update assigns it, the new value after. */
    record State(String name) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.state(this);
        }
    }

    /** A number computed once per step, before the elements (a bias correction). */
    record Scalar(String name) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.scalar(this);
        }
    }

    record Binary(Op op, Term left, Term right) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.binary(this);
        }

        /** Whether the left operand needs parentheses to keep this tree's order of evaluation when printed infix. */
        public boolean leftNeedsParens() {
            return precedence(left) < op.precedence;
        }

        /** The right operand of the same precedence too: {@code a - (b - c)}, and {@code a + (b + c)} rounds differently from {@code a + b + c}. */
        public boolean rightNeedsParens() {
            return precedence(right) <= op.precedence;
        }

        private static int precedence(Term t) {
            return t instanceof Binary b ? b.op.precedence : Integer.MAX_VALUE;
        }
    }

    record Sqrt(Term of) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.sqrt(this);
        }
    }

    record Pow(Term base, Term exponent) implements Term {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.pow(this);
        }
    }

    enum Op {
        ADD("+", 1), SUB("-", 1), MUL("*", 2), DIV("/", 2);

        private final String symbol;
        private final int precedence;

        Op(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** One method per kind of term: a new kind of term does not compile until every walk over terms answers it. */
    interface Visitor<R> {
        R leaf(Leaf leaf);

        R constant(Const c);

        R local(Local local);

        R state(State state);

        R scalar(Scalar scalar);

        R binary(Binary binary);

        R sqrt(Sqrt sqrt);

        R pow(Pow pow);
    }

    <R> R accept(Visitor<R> v);

    static Term c(double value) {
        return new Const(value, dev.nnc.tensor.Values.format(value));
    }

    /** {@code 1 - b}, computed now, shown as {@code (1 - b)}. */
    static Term oneMinus(double b) {
        return new Const(1 - b, "(1 - " + dev.nnc.tensor.Values.format(b) + ")");
    }

    static Term sqrt(Term of) {
        return new Sqrt(of);
    }

    static Term pow(Term base, Term exponent) {
        return new Pow(base, exponent);
    }

    default Term plus(Term right) {
        return new Binary(Op.ADD, this, right);
    }

    default Term minus(Term right) {
        return new Binary(Op.SUB, this, right);
    }

    default Term times(Term right) {
        return new Binary(Op.MUL, this, right);
    }

    default Term div(Term right) {
        return new Binary(Op.DIV, this, right);
    }
}
