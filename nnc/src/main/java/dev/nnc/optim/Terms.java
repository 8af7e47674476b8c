package dev.nnc.optim;

import java.util.Set;

/** Walks over terms: printing, searching, and the placement rules that {@link Update.Builder} enforces. */
final class Terms {

    private Terms() {}

    /** {@code 0.9 * m + 0.1 * g}, {@code sqrt(v) / bias2Root + 1e-08}, {@code 1 - 0.9^t}. */
    static String text(Term term) {
        return term.accept(new Term.Visitor<>() {
            public String leaf(Term.Leaf leaf) {
                return leaf.text();
            }

            public String constant(Term.Const c) {
                return c.text();
            }

            public String local(Term.Local local) {
                return local.name();
            }

            public String state(Term.State state) {
                return state.name();
            }

            public String scalar(Term.Scalar scalar) {
                return scalar.name();
            }

            public String binary(Term.Binary b) {
                String left = b.left().accept(this);
                String right = b.right().accept(this);
                return (b.leftNeedsParens() ? "(" + left + ")" : left) + " " + b.op().symbol() + " "
                        + (b.rightNeedsParens() ? "(" + right + ")" : right);
            }

            public String sqrt(Term.Sqrt s) {
                return "sqrt(" + s.of().accept(this) + ")";
            }

            public String pow(Term.Pow p) {
                String base = p.base().accept(this);
                String exponent = p.exponent().accept(this);
                return (p.base() instanceof Term.Binary ? "(" + base + ")" : base) + "^"
                        + (p.exponent() instanceof Term.Binary ? "(" + exponent + ")" : exponent);
            }
        });
    }

    /** Whether {@code sub} occurs in {@code term}. */
    static boolean uses(Term term, Term sub) {
        if (term.equals(sub)) {
            return true;
        }
        if (term instanceof Term.Binary b) {
            return uses(b.left(), sub) || uses(b.right(), sub);
        }
        if (term instanceof Term.Sqrt s) {
            return uses(s.of(), sub);
        }
        return term instanceof Term.Pow p && (uses(p.base(), sub) || uses(p.exponent(), sub));
    }

    /**
     * Why {@code term} cannot stand where it is, or null: a per-step scalar reads only constants, the
     * learning rate, the step count and earlier scalars; an element's term anything but the step count;
     * names only once they are defined.
     */
    static String misplaced(Term term, Set<Term> defined, boolean perStep) {
        return term.accept(new Term.Visitor<String>() {
            public String leaf(Term.Leaf leaf) {
                boolean ok = switch (leaf) {
                    case PARAM, GRAD -> !perStep;
                    case LR -> true;
                    case STEP -> perStep;
                };
                return ok ? null : "'" + leaf.text() + "' read " + (perStep ? "by a per-step scalar" : "per element");
            }

            public String constant(Term.Const c) {
                return null;
            }

            public String local(Term.Local local) {
                return !perStep && defined.contains(local) ? null : "'" + local.name() + "' read before it is assigned";
            }

            public String state(Term.State state) {
                return !perStep && defined.contains(state) ? null : "buffer '" + state.name() + "' read undeclared";
            }

            public String scalar(Term.Scalar scalar) {
                return defined.contains(scalar) ? null : "scalar '" + scalar.name() + "' read before it is assigned";
            }

            public String binary(Term.Binary b) {
                String left = b.left().accept(this);
                return left != null ? left : b.right().accept(this);
            }

            public String sqrt(Term.Sqrt s) {
                return s.of().accept(this);
            }

            public String pow(Term.Pow p) {
                String base = p.base().accept(this);
                return base != null ? base : p.exponent().accept(this);
            }
        });
    }
}
