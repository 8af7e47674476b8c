package dev.nnc.graph;

import dev.nnc.ops.Fn;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;
import java.util.List;
import java.util.Map;

/**
 * Prints graph expressions in the notation of the language, with the fewest parentheses that keep
 * the structure, in LaTeX, or in presentation MathML (the inside of a {@code <math>} element, each
 * printed expression one element). A node that has a name (a parameter, an input, a named value, a
 * shared subterm) prints as its name and is never expanded.
 *
 * <pre>
 *   MUL(6, MUL(POW(ADD(x, 5), 2), ADD(POW(ADD(x, 5), 3), 1)))   -&gt;   6 * (x + 5)^2 * ((x + 5)^3 + 1)
 *   OUTER(x, MUL(RELU_GRAD(z), MATMUL(W2, d)))                   -&gt;   x outer (relu'(z) * (W2 @ d))
 * </pre>
 *
 * Elementwise operations broadcast a scalar, so a broadcast prints as its scalar, and a constant
 * whose elements are all equal prints as that number.
 */
public final class ExprPrinter {

    // precedence levels, loosest first
    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int UNARY = 3;
    private static final int POWER = 4;
    private static final int POSTFIX = 5;
    private static final int ATOM = 6;

    /** The notations an expression prints in. */
    public enum Notation { TEXT, LATEX, MATHML }

    private final Map<Node, String> names;
    /** Products to print as these factors, in this order, instead of their own chain of {@code *}. */
    private final Map<Node, List<Node>> products;
    private final Notation notation;
    private final boolean latex;
    private final boolean mathml;

    public ExprPrinter(Map<Node, String> names, boolean latex) {
        this(names, latex ? Notation.LATEX : Notation.TEXT);
    }

    public ExprPrinter(Map<Node, String> names, Notation notation) {
        this(names, notation, Map.of());
    }

    /**
     * A printer that shows each product of {@code products} as its list of factors (a regrouping or
     * reordering of the product, equal in value: the caller's promise).
     */
    public ExprPrinter(Map<Node, String> names, Notation notation, Map<Node, List<Node>> products) {
        this.names = names;
        this.products = products;
        this.notation = notation;
        this.latex = notation == Notation.LATEX;
        this.mathml = notation == Notation.MATHML;
    }

    public String print(Node n) {
        return render(n).text;
    }

    /** {@code n} by its definition even when it has a name: {@code relu(W @ x + b)} for {@code h}. */
    public String define(Node n) {
        if (!names.containsKey(n) || n.kind().isLeaf()) {
            return print(n);
        }
        Map<Node, String> without = new java.util.HashMap<>(names);
        without.remove(n);
        return new ExprPrinter(without, notation, products).print(n);
    }

    /** A printed name: {@code h1.W} as is in text, {@code \mathrm{h1.W}} in LaTeX, {@code <mi>h1.W</mi>} in MathML. */
    public String name(String name) {
        if (mathml) {
            return MathMl.identifier(name);
        }
        if (!latex) {
            return name;
        }
        String escaped = name.replace("_", "\\_");
        return name.length() == 1 ? escaped : "\\mathrm{" + escaped + "}";
    }

    private record Printed(String text, int prec) {}

    private Printed render(Node n) {
        String name = names.get(n);
        if (name != null) {
            return new Printed(name(name), ATOM);
        }
        if (n.name() != null) {
            return new Printed(name(n.name()), ATOM);
        }
        List<Node> factors = products.get(n);
        if (factors != null && factors.size() > 1) {
            return product(factors);
        }
        if (mathml) {
            return mathml(n);
        }
        return switch (n.kind()) {
            case CONST -> constant(n.value());
            case ADD -> binary(n, latex ? " + " : " + ", SUM);
            case SUB -> binary(n, " - ", SUM);
            case MUL -> binary(n, latex ? " \\cdot " : " * ", PRODUCT);
            case DIV -> latex ? new Printed("\\frac{" + print(n.arg(0)) + "}{" + print(n.arg(1)) + "}", ATOM)
                    : binary(n, " / ", PRODUCT);
            case MATMUL -> binary(n, latex ? " " : " @ ", PRODUCT);
            case OUTER -> binary(n, latex ? " \\otimes " : " outer ", PRODUCT);
            case NEG -> new Printed("-" + wrap(render(n.arg(0)), UNARY + 1), UNARY);
            case POW -> power(n);
            case TRANSPOSE -> new Printed(wrap(render(n.arg(0)), ATOM) + (latex ? "^\\top" : "'"), POSTFIX);
            case BROADCAST -> render(n.arg(0));
            case GE -> new Printed((latex ? "[" : "[") + print(n.arg(0)) + (latex ? " \\ge " : " >= ")
                    + print(n.arg(1)) + "]", ATOM);
            case FN -> function(n);
            case SUM -> latex ? new Printed("\\sum " + wrap(render(n.arg(0)), ATOM), PRODUCT) : call("sum", n);
            case INPUT, TARGET, PARAM, MASK -> new Printed(name(n.name()), ATOM);
            case MAX, MIN, SOFTMAX, LOGSUMEXP -> call(latex ? "\\mathrm{" + lower(n.kind()) + "}" : lower(n.kind()), n);
        };
    }

    /** {@code n} in MathML: every printed piece one element, so that a parent can place it as one operand. */
    private Printed mathml(Node n) {
        return switch (n.kind()) {
            case CONST -> {
                MathMl.Piece p = MathMl.constant(n.value());
                yield new Printed(p.text(), p.negative() ? UNARY : ATOM);
            }
            case ADD -> mathmlBinary(n, "+", SUM);
            case SUB -> mathmlBinary(n, "\u2212", SUM);
            case MUL -> mathmlBinary(n, "\u22c5", PRODUCT);
            case DIV -> new Printed("<mfrac>" + print(n.arg(0)) + print(n.arg(1)) + "</mfrac>", ATOM);
            case MATMUL -> mathmlBinary(n, "\u2062", PRODUCT); // invisible times: W x, as in LaTeX
            case OUTER -> mathmlBinary(n, "\u2297", PRODUCT);
            case NEG -> new Printed(MathMl.row(MathMl.operator("\u2212") + wrap(render(n.arg(0)), UNARY + 1)), UNARY);
            case POW -> new Printed("<msup>" + wrap(render(n.arg(0)), POSTFIX) + print(n.arg(1)) + "</msup>", POWER);
            case TRANSPOSE -> new Printed("<msup>" + wrap(render(n.arg(0)), ATOM) + MathMl.operator("\u22a4") + "</msup>", POSTFIX);
            case BROADCAST -> render(n.arg(0));
            case GE -> new Printed(MathMl.row(MathMl.operator("[") + print(n.arg(0)) + MathMl.operator("\u2265")
                    + print(n.arg(1)) + MathMl.operator("]")), ATOM);
            case FN -> n.is(Fn.SQRT) ? new Printed("<msqrt>" + print(n.arg(0)) + "</msqrt>", ATOM)
                    : n.is(Fn.ABS) ? new Printed(MathMl.row(MathMl.operator("|") + print(n.arg(0)) + MathMl.operator("|")), ATOM)
                    : call(MathMl.function(n.fn().symbol()), n);
            case SUM -> new Printed(MathMl.row(MathMl.operator("\u2211") + wrap(render(n.arg(0)), ATOM)), PRODUCT);
            case INPUT, TARGET, PARAM, MASK -> new Printed(name(n.name()), ATOM);
            case MAX, MIN, SOFTMAX, LOGSUMEXP -> call(MathMl.function(lower(n.kind())), n);
        };
    }

    private Printed mathmlBinary(Node n, String op, int prec) {
        boolean associative = n.kind().isCommutative() && n.arg(1).kind() == n.kind();
        return new Printed(MathMl.row(wrap(render(n.arg(0)), prec) + MathMl.operator(op)
                + wrap(render(n.arg(1)), associative ? prec : prec + 1)), prec);
    }

    /**
     * Factors joined by the product sign; a factor that is itself a product of another kind is in
     * parentheses even in first place: {@code (W' @ delta) * relu'(z)}.
     */
    private Printed product(List<Node> factors) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < factors.size(); i++) {
            String f = wrap(render(factors.get(i)), PRODUCT + 1);
            if (i > 0) {
                b.append(mathml ? MathMl.operator("\u22c5") : latex ? " \\cdot " : " * ");
            }
            b.append(f);
        }
        return new Printed(mathml ? MathMl.row(b.toString()) : b.toString(), PRODUCT);
    }

    /** A function as a call of its name; in LaTeX, a root and an absolute value in their own notation. */
    private Printed function(Node n) {
        if (latex && n.is(Fn.SQRT)) {
            return new Printed("\\sqrt{" + print(n.arg(0)) + "}", ATOM);
        }
        if (latex && n.is(Fn.ABS)) {
            return new Printed("\\left|" + print(n.arg(0)) + "\\right|", ATOM);
        }
        return call(latex ? n.fn().latex() : n.fn().symbol(), n);
    }

    private static String lower(Kind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Left-associative: the left operand may sit at the same level, the right must bind tighter,
     * except the same associative operation on the right: {@code a * (b * c)} prints as {@code a * b * c}.
     */
    private Printed binary(Node n, String op, int prec) {
        String left = wrap(render(n.arg(0)), prec);
        boolean associative = n.kind().isCommutative() && n.arg(1).kind() == n.kind();
        String right = wrap(render(n.arg(1)), associative ? prec : prec + 1);
        return new Printed(left + op + right, prec);
    }

    /** Right-associative; the exponent may be negated ({@code x^-2}). */
    private Printed power(Node n) {
        String base = wrap(render(n.arg(0)), POSTFIX);
        Printed exp = render(n.arg(1));
        if (latex) {
            return new Printed(base + "^{" + exp.text + "}", POWER);
        }
        return new Printed(base + "^" + wrap(exp, UNARY), POWER);
    }

    private Printed call(String function, Node n) {
        if (mathml) {
            StringBuilder args = new StringBuilder(MathMl.operator("("));
            for (int i = 0; i < n.args().size(); i++) {
                args.append(i == 0 ? "" : MathMl.operator(",")).append(print(n.arg(i)));
            }
            args.append(MathMl.operator(")"));
            return new Printed(MathMl.row(function + MathMl.operator("\u2061") + MathMl.row(args.toString())), ATOM);
        }
        StringBuilder b = new StringBuilder(function).append(latex ? "\\left(" : "(");
        for (int i = 0; i < n.args().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(print(n.arg(i)));
        }
        return new Printed(b.append(latex ? "\\right)" : ")").toString(), ATOM);
    }

    private String wrap(Printed p, int atLeast) {
        if (p.prec >= atLeast) {
            return p.text;
        }
        if (mathml) {
            return MathMl.row(MathMl.operator("(") + p.text + MathMl.operator(")"));
        }
        return latex ? "\\left(" + p.text + "\\right)" : "(" + p.text + ")";
    }

    /** Whether every element of {@code t} is the same number (then it prints as that number). */
    static boolean uniform(Tensor t) {
        for (int i = 1; i < t.size(); i++) {
            if (Double.compare(t.get(i), t.get(0)) != 0) {
                return false;
            }
        }
        return true;
    }

    private Printed constant(Tensor t) {
        double first = t.get(0);
        if (uniform(t)) {
            String text = Values.format(first);
            return new Printed(text, first < 0 ? UNARY : ATOM);
        }
        Shape s = t.shape();
        if (!latex) {
            return new Printed(Values.format(t), ATOM);
        }
        StringBuilder b = new StringBuilder("\\begin{bmatrix}");
        int rows = s.rank() == 2 ? s.dim(0) : 1;
        int cols = s.dim(s.rank() - 1);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : " & ").append(Values.format(t.get(i * cols + j)));
            }
            b.append(i + 1 < rows ? " \\\\ " : "");
        }
        return new Printed(b.append("\\end{bmatrix}").toString(), ATOM);
    }
}
