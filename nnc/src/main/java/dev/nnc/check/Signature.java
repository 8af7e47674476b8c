package dev.nnc.check;

import dev.nnc.diag.Diagnostics;
import dev.nnc.syntax.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters a callable takes: built-ins, defs, optimizers, initializers. Binds a call's
 * positional and named arguments to them, reporting every mismatch in the same words.
 *
 * @param required how many leading parameters must be given; the rest are optional
 */
record Signature(String name, List<String> params, int required) {

    static Signature of(String name, int required, String... params) {
        return new Signature(name, List.of(params), required);
    }

    /** The arguments in parameter order (null where an optional one is absent), or null after errors. */
    List<Expr> bind(Expr.Call call, Diagnostics diagnostics) {
        Expr[] bound = new Expr[params.size()];
        boolean ok = true;
        int positional = 0;
        for (Expr.Arg arg : call.args()) {
            if (arg.name() == null) {
                if (positional >= params.size()) {
                    diagnostics.error(arg.pos(), name + " takes " + arity() + ", found " + call.args().size());
                    return null;
                }
                bound[positional++] = arg.value();
                continue;
            }
            int i = params.indexOf(arg.name());
            if (i < 0) {
                String hint = Suggest.didYouMean(arg.name(), params);
                diagnostics.error(arg.pos(), name + " has no argument '" + arg.name() + "'" + (!hint.isEmpty() ? hint
                        : params.isEmpty() ? "; it takes none" : " (it takes " + String.join(", ", params) + ")"));
                ok = false;
            } else if (bound[i] != null) {
                diagnostics.error(arg.pos(), "expected argument '" + arg.name() + "' of " + name
                        + " once, found it twice");
                ok = false;
            } else {
                bound[i] = arg.value();
            }
        }
        for (int i = 0; i < required && ok; i++) {
            if (bound[i] == null) {
                String which = call.args().stream().allMatch(a -> a.name() == null)
                        ? ", found " + call.args().size()
                        : "; '" + params.get(i) + "' is missing";
                diagnostics.error(call.pos(), name + " takes " + arity() + which);
                ok = false;
            }
        }
        return ok ? new ArrayList<>(Arrays.asList(bound)) : null;
    }

    /** "1 argument", "2 arguments", "1 to 2 arguments". */
    String arity() {
        int n = params.size();
        String count = required == n ? Integer.toString(n) : required + " to " + n;
        return count + (n == 1 && required == 1 ? " argument" : " arguments");
    }
}
