package dev.nnc.graph;

import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import dev.nnc.tensor.Values;

/**
 * The pieces of presentation MathML that {@link ExprPrinter} puts together: identifiers, numbers,
 * operators, rows, function names. Text is escaped for XML, so the result is well-formed in HTML and
 * XHTML alike.
 *
 * <pre>
 *   identifier("W1") -&gt; &lt;mi&gt;W1&lt;/mi&gt;      function("relu'") -&gt; &lt;msup&gt;&lt;mi&gt;relu&lt;/mi&gt;&lt;mo&gt;′&lt;/mo&gt;&lt;/msup&gt;
 * </pre>
 */
public final class MathMl {

    private MathMl() {}

    public static String identifier(String name) {
        return "<mi>" + escape(name) + "</mi>";
    }

    public static String number(String text) {
        return "<mn>" + escape(text) + "</mn>";
    }

    public static String operator(String op) {
        return "<mo>" + escape(op) + "</mo>";
    }

    public static String row(String inside) {
        return "<mrow>" + inside + "</mrow>";
    }

    /** A function's name; a derivative's prime ({@code relu'}) as a superscript prime. */
    public static String function(String symbol) {
        if (symbol.endsWith("'")) {
            String base = symbol.substring(0, symbol.length() - 1);
            return "<msup>" + identifier(base) + operator("\u2032") + "</msup>";
        }
        return identifier(symbol);
    }

    /** Subscripts as the language writes them, {@code 2:5, 0}, in brackets: numbers and operators. */
    public static String subscripts(String text) {
        StringBuilder b = new StringBuilder(operator("["));
        for (String token : text.split("(?<=[:,])|(?=[:,])")) {
            String t = token.trim();
            if (!t.isEmpty()) {
                b.append(t.equals(":") || t.equals(",") ? operator(t) : number(t));
            }
        }
        return row(b.append(operator("]")).toString());
    }

    /** {@code <mfrac><mrow><mo>∂</mo><mi>loss</mi></mrow><mrow><mo>∂</mo><mi>W1</mi></mrow></mfrac>}. */
    public static String partial(String of, String by) {
        return "<mfrac>" + row(operator("\u2202") + identifier(of)) + row(operator("\u2202") + identifier(by)) + "</mfrac>";
    }

    /** A constant: one number when its elements are all equal (a negative one as a row), else a bracketed table. */
    static Piece constant(Tensor t) {
        double first = t.get(0);
        if (ExprPrinter.uniform(t)) {
            String text = Values.format(first);
            return first < 0 ? new Piece(row(operator("\u2212") + number(text.substring(1))), true)
                    : new Piece(number(text), false);
        }
        Shape s = t.shape();
        int rows = s.rank() == 2 ? s.dim(0) : 1;
        int cols = s.dim(s.rank() - 1);
        StringBuilder b = new StringBuilder("<mtable>");
        for (int i = 0; i < rows; i++) {
            b.append("<mtr>");
            for (int j = 0; j < cols; j++) {
                b.append("<mtd>").append(number(Values.format(t.get(i * cols + j)))).append("</mtd>");
            }
            b.append("</mtr>");
        }
        return new Piece(row(operator("[") + b.append("</mtable>") + operator("]")), false);
    }

    /** A printed constant and whether it is negative (and so binds like a unary minus). */
    record Piece(String text, boolean negative) {}

    /** Text for XML content and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
