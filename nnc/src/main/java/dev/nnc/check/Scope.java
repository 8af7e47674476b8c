package dev.nnc.check;

import dev.nnc.diag.Pos;
import dev.nnc.syntax.Def;
import dev.nnc.syntax.Expr;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names an expression can see. In a model: everything declared or bound above the expression
 * (a name bound further down is "used before it is bound"). In a def body: the def's parameters only.
 */
final class Scope {

    private final Map<String, TExpr> visible = new LinkedHashMap<>();
    private final Set<String> poisoned = new HashSet<>();
    private final Map<String, Pos> later;
    private final String defName;

    private Scope(Map<String, Pos> later, String defName) {
        this.later = later;
        this.defName = defName;
    }

    /** A model's scope; {@code declared} holds every name the model declares, with its place. */
    static Scope forModel(Map<String, Pos> declared) {
        return new Scope(declared, null);
    }

    static Scope forDef(Def def, List<TExpr> args) {
        Scope s = new Scope(new HashMap<>(), def.name());
        for (int i = 0; i < args.size(); i++) {
            s.visible.put(def.params().get(i), args.get(i));
        }
        return s;
    }

    void bind(String name, TExpr value) {
        visible.put(name, value);
    }

    /** A name whose statement had an error: uses of it stay silent instead of repeating that error. */
    void poison(String name) {
        poisoned.add(name);
    }

    boolean isBound(String name) {
        return visible.containsKey(name);
    }

    TExpr resolve(Expr.Ref ref, ExprChecker checker) {
        TExpr t = visible.get(ref.name());
        if (t != null) {
            // A reference carries the place it is written at, for messages about it.
            if (t instanceof TExpr.Ref r) {
                return new TExpr.Ref(r.name(), r.kind(), r.shape(), ref.pos());
            }
            return t;
        }
        if (poisoned.contains(ref.name())) {
            return null;
        }
        Pos declaredAt = later.get(ref.name());
        if (defName != null) {
            checker.error(ref.pos(), "unknown name '" + ref.name() + "' in def " + defName
                    + ": a def body can use only its parameters" + Suggest.didYouMean(ref.name(), visible.keySet()));
        } else if (declaredAt != null) {
            checker.error(ref.pos(), "'" + ref.name() + "' is used before it is bound at line " + declaredAt.line());
        } else {
            checker.error(ref.pos(), "unknown name '" + ref.name() + "'" + Suggest.didYouMean(ref.name(), later.keySet()));
        }
        return null;
    }
}
