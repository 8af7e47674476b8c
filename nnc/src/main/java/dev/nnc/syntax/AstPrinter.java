package dev.nnc.syntax;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints an AST two ways: as an s-expression that shows its structure (for golden files and tests),
 * and as canonical {@code .nn} text that parses back to the same AST.
 *
 * <pre>
 *   model m { loss = -x^2 }   -&gt;   sexpr:  (model m
 *                                             (loss (- (^ x 2))))
 *                                   source: model m {
 *                                               loss = -x^2
 *                                           }
 * </pre>
 *
 * Positions are never printed. Numbers print as written in the source.
 */
public final class AstPrinter {

    private static final String INDENT = "    ";

    /* Binding strength, loosest first, as in the grammar: + - ; * / @ ; unary - ; ^ ; postfix ' and [...] ; atoms. */
    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int UNARY = 3;
    private static final int POWER = 4;
    private static final int POSTFIX = 5;
    private static final int ATOM = 6;

    private AstPrinter() {}

    // ---------------------------------------------------------------- s-expressions

    /**
     * The whole program as s-expressions, top-level defs and models in source order, one statement
     * per line.
     *
     * <pre>
     *   def sq(z) = z^2                (def sq (z) (^ z 2))
     *   model m { input x; loss = x }  -&gt;  (model m
     *                                     (input x)
     *                                     (loss x))
     * </pre>
     */
    public static String sexpr(Program program) {
        StringBuilder out = new StringBuilder();
        for (Object item : items(program)) {
            if (item instanceof Def d) {
                out.append(sexpr(d)).append('\n');
            } else {
                out.append(sexpr((Model) item)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * One expression as an s-expression.
     *
     * <pre>
     *   relu(x @ W1 + b1)   -&gt;   (call relu (+ (@ x W1) b1))
     * </pre>
     */
    public static String sexpr(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.text();
        } else if (e instanceof Expr.Str s) {
            return '"' + s.value() + '"';
        } else if (e instanceof Expr.Ref r) {
            return r.name();
        } else if (e instanceof Expr.Neg n) {
            return "(- " + sexpr(n.operand()) + ")";
        } else if (e instanceof Expr.Transpose t) {
            return "(' " + sexpr(t.operand()) + ")";
        } else if (e instanceof Expr.Index x) {
            StringBuilder out = new StringBuilder("(index ").append(sexpr(x.operand()));
            for (Expr.Subscript s : x.subscripts()) {
                out.append(' ').append(s.isRange()
                        ? "(: " + (s.from() == null ? "_" : sexpr(s.from())) + " " + (s.to() == null ? "_" : sexpr(s.to())) + ")"
                        : sexpr(s.at()));
            }
            return out.append(')').toString();
        } else if (e instanceof Expr.Binary b) {
            return "(" + b.op().symbol + " " + sexpr(b.left()) + " " + sexpr(b.right()) + ")";
        } else if (e instanceof Expr.Call c) {
            StringBuilder out = new StringBuilder("(call ").append(c.name());
            for (Expr.Arg a : c.args()) {
                out.append(' ');
                out.append(a.name() == null ? sexpr(a.value()) : "(= " + a.name() + " " + sexpr(a.value()) + ")");
            }
            return out.append(')').toString();
        } else if (e instanceof Expr.Tensor t) {
            StringBuilder out = new StringBuilder("(tensor");
            for (Expr x : t.elements()) {
                out.append(' ').append(sexpr(x));
            }
            return out.append(')').toString();
        }
        throw new IllegalStateException("no s-expression for " + e);
    }

    /**
     * One statement as an s-expression.
     *
     * <pre>
     *   param W[2, 2] ~ normal(0, 0.1)   -&gt;   (param W [2, 2] (~ (call normal 0 0.1)))
     * </pre>
     */
    public static String sexpr(Stmt s) {
        if (s instanceof Stmt.Input i) {
            return "(input " + i.name() + shapeSuffix(i.shape()) + (i.onehot() != null ? " onehot" : "") + ")";
        } else if (s instanceof Stmt.Target t) {
            return "(target " + t.name() + shapeSuffix(t.shape()) + (t.onehot() ? " onehot" : "") + ")";
        } else if (s instanceof Stmt.Param p) {
            String init = p.init() == null ? ""
                    : " (" + (p.init().random() ? "~ " : "= ") + sexpr(p.init().value()) + ")";
            return "(param " + p.name() + shapeSuffix(p.shape()) + init + ")";
        } else if (s instanceof Stmt.Const c) {
            return "(const " + c.name() + " " + sexpr(c.value()) + ")";
        } else if (s instanceof Stmt.Bind b) {
            return "(bind " + b.name() + " " + sexpr(b.value()) + ")";
        } else if (s instanceof Stmt.Loss l) {
            return "(loss " + sexpr(l.value()) + ")";
        } else if (s instanceof Stmt.Output o) {
            return "(output " + o.name() + ")";
        } else if (s instanceof Stmt.LocalDef d) {
            return sexpr(d.def());
        } else if (s instanceof Stmt.Data d) {
            return "(data" + sexprSettings(d.settings()) + ")";
        } else if (s instanceof Stmt.Train t) {
            return "(train" + sexprSettings(t.settings()) + ")";
        }
        throw new IllegalStateException("no s-expression for " + s);
    }

    private static String sexpr(Def d) {
        return "(def " + d.name() + " (" + String.join(" ", d.params()) + ") " + sexpr(d.body()) + ")";
    }

    private static String sexpr(Model m) {
        StringBuilder out = new StringBuilder("(model ").append(m.name());
        for (Stmt s : m.statements()) {
            out.append("\n  ").append(sexpr(s));
        }
        return out.append(')').toString();
    }

    private static String sexprSettings(List<Stmt.Setting> settings) {
        StringBuilder out = new StringBuilder();
        for (Stmt.Setting s : settings) {
            out.append(" (").append(s.key()).append(' ').append(sexpr(s.value())).append(')');
        }
        return out.toString();
    }

    /** {@code " [2, 3]"}, {@code " []"} for a written empty shape, nothing when none was written. */
    private static String shapeSuffix(Stmt.ShapeSpec shape) {
        return shape == null ? "" : " " + shape(shape);
    }

    // ---------------------------------------------------------------- canonical source

    /**
     * The program as canonical {@code .nn} text: one statement per line, four-space indentation, a
     * blank line between top-level items, parentheses only where precedence needs them.
     *
     * <pre>
     *   model m{input x;loss=((x+1))*2}   -&gt;   model m {
     *                                              input x
     *                                              loss = (x + 1) * 2
     *                                          }
     * </pre>
     */
    public static String source(Program program) {
        List<String> parts = new ArrayList<>();
        for (Object item : items(program)) {
            if (item instanceof Def d) {
                parts.add(source(d) + "\n");
            } else {
                parts.add(source((Model) item));
            }
        }
        return String.join("\n", parts);
    }

    /**
     * One expression as {@code .nn} text with the fewest parentheses that keep its structure.
     *
     * <pre>
     *   (- (^ (+ a b) (- 2)))   -&gt;   -(a + b)^-2
     * </pre>
     */
    public static String source(Expr e) {
        return source(e, SUM);
    }

    private static String source(Def d) {
        return "def " + d.name() + "(" + String.join(", ", d.params()) + ") = " + source(d.body());
    }

    private static String source(Model m) {
        StringBuilder out = new StringBuilder("model ").append(m.name()).append(" {\n");
        for (Stmt s : m.statements()) {
            appendStatement(out, s);
        }
        return out.append("}\n").toString();
    }

    private static void appendStatement(StringBuilder out, Stmt s) {
        if (s instanceof Stmt.Data d) {
            appendBlock(out, "data", d.settings());
        } else if (s instanceof Stmt.Train t) {
            appendBlock(out, "train", t.settings());
        } else {
            out.append(INDENT).append(statement(s)).append('\n');
        }
    }

    private static void appendBlock(StringBuilder out, String keyword, List<Stmt.Setting> settings) {
        out.append(INDENT).append(keyword).append(" {\n");
        for (Stmt.Setting s : settings) {
            out.append(INDENT).append(INDENT).append(s.key()).append(" = ").append(source(s.value())).append('\n');
        }
        out.append(INDENT).append("}\n");
    }

    private static String statement(Stmt s) {
        if (s instanceof Stmt.Input i) {
            return "input " + i.name() + shapeSource(i.shape()) + (i.onehot() != null ? " onehot" : "");
        } else if (s instanceof Stmt.Target t) {
            return "target " + t.name() + shapeSource(t.shape()) + (t.onehot() ? " onehot" : "");
        } else if (s instanceof Stmt.Param p) {
            String init = p.init() == null ? ""
                    : (p.init().random() ? " ~ " : " = ") + source(p.init().value());
            return "param " + p.name() + shapeSource(p.shape()) + init;
        } else if (s instanceof Stmt.Const c) {
            return "const " + c.name() + " = " + source(c.value());
        } else if (s instanceof Stmt.Bind b) {
            return b.name() + " = " + source(b.value());
        } else if (s instanceof Stmt.Loss l) {
            return "loss = " + source(l.value());
        } else if (s instanceof Stmt.Output o) {
            return "output " + o.name();
        } else if (s instanceof Stmt.LocalDef d) {
            return source(d.def());
        }
        throw new IllegalStateException("no source for " + s);
    }

    private static String shapeSource(Stmt.ShapeSpec shape) {
        return shape == null ? "" : shape(shape);
    }

    /**
     * {@code e} as text, in parentheses when it binds looser than {@code context}, the weakest
     * binding its position accepts.
     */
    private static String source(Expr e, int context) {
        String text = bare(e);
        return strength(e) < context ? "(" + text + ")" : text;
    }

    private static String bare(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.text();
        } else if (e instanceof Expr.Str s) {
            return '"' + s.value() + '"';
        } else if (e instanceof Expr.Ref r) {
            return r.name();
        } else if (e instanceof Expr.Neg n) {
            String operand = source(n.operand(), UNARY);
            return operand.startsWith("-") ? "- " + operand : "-" + operand;
        } else if (e instanceof Expr.Transpose t) {
            return source(t.operand(), POSTFIX) + "'";
        } else if (e instanceof Expr.Index x) {
            return source(x.operand(), POSTFIX) + "[" + x.subscripts().stream().map(AstPrinter::subscript)
                    .collect(Collectors.joining(", ")) + "]";
        } else if (e instanceof Expr.Binary b) {
            return binary(b);
        } else if (e instanceof Expr.Call c) {
            return c.name() + "(" + c.args().stream().map(AstPrinter::argument).collect(Collectors.joining(", ")) + ")";
        } else if (e instanceof Expr.Tensor t) {
            return "[" + t.elements().stream().map(AstPrinter::source).collect(Collectors.joining(", ")) + "]";
        }
        throw new IllegalStateException("no source for " + e);
    }

    /** Left-associative + - * / @: the right operand needs a tighter binding than the operator's. */
    private static String binary(Expr.Binary b) {
        switch (b.op()) {
            case ADD:
            case SUB:
                return source(b.left(), SUM) + " " + b.op().symbol + " " + source(b.right(), PRODUCT);
            case MUL:
            case DIV:
            case MATMUL:
                return source(b.left(), PRODUCT) + " " + b.op().symbol + " " + source(b.right(), UNARY);
            case POW:
                // Right-associative; the exponent is a unary operand (x^-2), the base a postfix one.
                return source(b.left(), POSTFIX) + "^" + source(b.right(), UNARY);
            default:
                throw new IllegalStateException("no source for operator " + b.op());
        }
    }

    private static String subscript(Expr.Subscript s) {
        if (!s.isRange()) {
            return source(s.at());
        }
        return (s.from() == null ? "" : source(s.from())) + ":" + (s.to() == null ? "" : source(s.to()));
    }

    private static String argument(Expr.Arg a) {
        return a.name() == null ? source(a.value()) : a.name() + " = " + source(a.value());
    }

    private static int strength(Expr e) {
        if (e instanceof Expr.Binary b) {
            switch (b.op()) {
                case ADD:
                case SUB:
                    return SUM;
                case POW:
                    return POWER;
                default:
                    return PRODUCT;
            }
        } else if (e instanceof Expr.Neg) {
            return UNARY;
        } else if (e instanceof Expr.Transpose || e instanceof Expr.Index) {
            return POSTFIX;
        } else if (e instanceof Expr.Num n && n.text().startsWith("-")) {
            return UNARY; // not made by the parser, but a hand-built AST may hold one
        }
        return ATOM;
    }

    // ---------------------------------------------------------------- shared

    private static String shape(Stmt.ShapeSpec shape) {
        return "[" + shape.dims().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    }

    /** Top-level defs and models merged back into source order. */
    private static List<Object> items(Program program) {
        List<Object> items = new ArrayList<>(program.defs());
        items.addAll(program.models());
        items.sort(Comparator.comparing(item -> item instanceof Def d ? d.pos() : ((Model) item).pos()));
        return items;
    }
}
