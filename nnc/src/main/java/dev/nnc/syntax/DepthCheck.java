package dev.nnc.syntax;

import dev.nnc.diag.Diagnostics;

/** Reports expressions nested deeper than {@link Parser#MAX_DEPTH} (long operator chains count too). */
final class DepthCheck {

    private final Diagnostics diagnostics;

    DepthCheck(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void check(Program program) {
        for (Def d : program.defs()) {
            check(d.body());
        }
        for (Model m : program.models()) {
            for (Stmt s : m.statements()) {
                if (s instanceof Stmt.Const c) {
                    check(c.value());
                } else if (s instanceof Stmt.Bind b) {
                    check(b.value());
                } else if (s instanceof Stmt.Loss l) {
                    check(l.value());
                } else if (s instanceof Stmt.LocalDef d) {
                    check(d.def().body());
                } else if (s instanceof Stmt.Param p && p.init() != null) {
                    check(p.init().value());
                } else if (s instanceof Stmt.Data d) {
                    d.settings().forEach(x -> check(x.value()));
                } else if (s instanceof Stmt.Train t) {
                    t.settings().forEach(x -> check(x.value()));
                }
            }
        }
    }

    private void check(Expr e) {
        if (depth(e, 1) > Parser.MAX_DEPTH) {
            diagnostics.error(e.pos(), "expected an expression at most " + Parser.MAX_DEPTH
                    + " levels deep, found a deeper one");
        }
    }

    /** The depth of {@code e}, stopping early once past the limit. */
    private static int depth(Expr e, int level) {
        if (level > Parser.MAX_DEPTH) {
            return level;
        }
        if (e instanceof Expr.Neg n) {
            return depth(n.operand(), level + 1);
        } else if (e instanceof Expr.Transpose t) {
            return depth(t.operand(), level + 1);
        } else if (e instanceof Expr.Index x) {
            int max = depth(x.operand(), level + 1);
            for (Expr.Subscript s : x.subscripts()) {
                for (Expr bound : new Expr[] {s.at(), s.from(), s.to()}) {
                    max = bound == null ? max : Math.max(max, depth(bound, level + 1));
                }
            }
            return max;
        } else if (e instanceof Expr.Binary b) {
            return Math.max(depth(b.left(), level + 1), depth(b.right(), level + 1));
        } else if (e instanceof Expr.Call c) {
            int max = level;
            for (Expr.Arg a : c.args()) {
                max = Math.max(max, depth(a.value(), level + 1));
            }
            return max;
        } else if (e instanceof Expr.Tensor t) {
            int max = level;
            for (Expr x : t.elements()) {
                max = Math.max(max, depth(x, level + 1));
            }
            return max;
        }
        return level;
    }
}
