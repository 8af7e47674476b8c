package dev.nnc.check;

import dev.nnc.diag.Diagnostics;
import dev.nnc.syntax.Def;
import dev.nnc.syntax.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks user defs once, whether or not they are called: parameters, the names their bodies use, the
 * functions they call, and recursion (a def is inlined, so it cannot call itself). Shapes are
 * checked at each call, where they are known. Returns the names of defs with errors.
 */
final class DefChecker {

    private final Diagnostics diagnostics;
    private final Map<String, Def> defs;
    private static final int ON_PATH = 1;
    private static final int DONE = 2;

    private final Set<String> bad = new HashSet<>();

    DefChecker(Diagnostics diagnostics, Map<String, Def> defs) {
        this.diagnostics = diagnostics;
        this.defs = defs;
    }

    Set<String> check() {
        for (Def def : defs.values()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < def.params().size(); i++) {
                if (!seen.add(def.params().get(i))) {
                    error(def, def.paramPos().get(i), "expected distinct parameter names in def " + def.name()
                            + ", found '" + def.params().get(i) + "' twice");
                }
            }
            names(def, def.body());
        }
        Map<String, Integer> state = new HashMap<>();
        for (Def def : defs.values()) {
            findCycles(def.name(), new ArrayList<>(), state);
        }
        return bad;
    }

    private void error(Def def, dev.nnc.diag.Pos pos, String message) {
        bad.add(def.name());
        diagnostics.error(pos, message);
    }

    private void names(Def def, Expr e) {
        if (e instanceof Expr.Ref r) {
            if (!def.params().contains(r.name())) {
                error(def, r.pos(), "unknown name '" + r.name() + "' in def " + def.name()
                        + ": a def body can use only its parameters" + Suggest.didYouMean(r.name(), def.params()));
            }
        } else if (e instanceof Expr.Neg n) {
            names(def, n.operand());
        } else if (e instanceof Expr.Transpose t) {
            names(def, t.operand());
        } else if (e instanceof Expr.Index x) {
            names(def, x.operand());
            x.subscripts().forEach(s -> bounds(s).forEach(b -> names(def, b)));
        } else if (e instanceof Expr.Binary b) {
            names(def, b.left());
            names(def, b.right());
        } else if (e instanceof Expr.Tensor t) {
            t.elements().forEach(x -> names(def, x));
        } else if (e instanceof Expr.Str s) {
            error(def, s.pos(), "expected a number or a tensor in def " + def.name() + ", found a string");
        } else if (e instanceof Expr.Call c) {
            call(def, c);
        }
    }

    private void call(Def def, Expr.Call c) {
        Builtins.Builtin builtin = Builtins.ALL.get(c.name());
        Def callee = defs.get(c.name());
        Signature sig = builtin != null ? builtin.signature() : callee != null ? ExprChecker.signature(callee) : null;
        if (c.name().equals("dense")) {
            error(def, c.pos(), "expected dense(...) as the whole right-hand side of a binding in a model, "
                    + "found it in def " + def.name());
        } else if (sig == null) {
            List<String> known = new ArrayList<>(Builtins.names());
            known.addAll(defs.keySet());
            error(def, c.pos(), "unknown function '" + c.name() + "'" + Suggest.didYouMean(c.name(), known));
        } else if (sig.bind(c, diagnostics) == null) {
            bad.add(def.name());
        }
        c.args().forEach(a -> names(def, a.value()));
    }

    /** The expressions a subscript holds: its point, or the bounds of its range that are written. */
    private static List<Expr> bounds(Expr.Subscript s) {
        List<Expr> out = new ArrayList<>();
        for (Expr b : new Expr[] {s.at(), s.from(), s.to()}) {
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** Depth-first search; a call back into the current path is a cycle, reported at its first def. */
    private void findCycles(String name, List<String> path, Map<String, Integer> state) {
        Integer st = state.get(name);
        if (st != null) {
            if (st == ON_PATH) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
                cycle.add(name);
                Def def = defs.get(name);
                error(def, def.pos(), "def " + name + " calls itself (" + String.join(" -> ", cycle)
                        + "); defs are inlined where they are called, so they cannot be recursive");
            }
            return;
        }
        state.put(name, ON_PATH);
        path.add(name);
        for (String callee : callees(defs.get(name).body(), new LinkedHashMap<>()).keySet()) {
            findCycles(callee, path, state);
        }
        path.remove(path.size() - 1);
        state.put(name, DONE);
    }

    private Map<String, Boolean> callees(Expr e, Map<String, Boolean> out) {
        if (e instanceof Expr.Call c) {
            if (defs.containsKey(c.name())) {
                out.put(c.name(), true);
            }
            c.args().forEach(a -> callees(a.value(), out));
        } else if (e instanceof Expr.Neg n) {
            callees(n.operand(), out);
        } else if (e instanceof Expr.Transpose t) {
            callees(t.operand(), out);
        } else if (e instanceof Expr.Index x) {
            callees(x.operand(), out);
            x.subscripts().forEach(s -> bounds(s).forEach(b -> callees(b, out)));
        } else if (e instanceof Expr.Binary b) {
            callees(b.left(), out);
            callees(b.right(), out);
        } else if (e instanceof Expr.Tensor t) {
            t.elements().forEach(x -> callees(x, out));
        }
        return out;
    }
}
