package dev.nnc.check;

import dev.nnc.ops.Fn;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The built-in functions of language.md section 5: name, parameters, operation, shape rule. */
final class Builtins {

    /** How a built-in's result shape follows from its arguments'. */
    enum Rule {
        /** An elementwise function: x, and its scalar parameter if it has one; result of x's shape. */
        FUNCTION,
        /** Two arguments of one shape, or one of them a scalar; result of the wider shape. */
        ELEMENTWISE_2,
        /** Any shape to a scalar. */
        REDUCE,
        /** A vector to a vector of the same size. */
        VECTOR_MAP,
        /** Two arguments of one shape to a scalar. */
        PAIR_TO_SCALAR,
        /** Two arguments of one shape, or one a scalar, to a scalar. */
        LOSS,
        /** Logits and target, both vectors of one size, to a scalar. */
        VECTOR_LOSS,
        /** A value and a constant rate in [0, 1) to the value's shape: dropout. */
        DROPOUT
    }

    /** A built-in: a structural operation ({@code op}) or an elementwise function ({@code fn}). */
    record Builtin(String name, Op op, Fn fn, Signature signature, Rule rule) {}

    static final Map<String, Builtin> ALL;

    /** The layer function; not an operation, the checker expands it. */
    static final Signature DENSE = Signature.of("dense", 2, "in", "units", "activation");

    static {
        Map<String, Builtin> m = new LinkedHashMap<>();
        for (Fn f : Fn.values()) {
            if (f.builtin()) {
                Signature s = f.param() == null ? Signature.of(f.symbol(), 1, "x") : Signature.of(f.symbol(), 1, "x", f.param());
                m.put(f.symbol(), new Builtin(f.symbol(), null, f, s, Rule.FUNCTION));
            }
        }
        add(m, Op.MAX, Rule.ELEMENTWISE_2, "a", "b");
        add(m, Op.MIN, Rule.ELEMENTWISE_2, "a", "b");
        add(m, Op.SUM, Rule.REDUCE, "x");
        add(m, Op.MEAN, Rule.REDUCE, "x");
        add(m, Op.LOGSUMEXP, Rule.REDUCE, "x");
        add(m, Op.DOT, Rule.PAIR_TO_SCALAR, "a", "b");
        add(m, Op.SOFTMAX, Rule.VECTOR_MAP, "x");
        add(m, Op.LOG_SOFTMAX, Rule.VECTOR_MAP, "x");
        add(m, Op.MSE, Rule.LOSS, "p", "y");
        add(m, Op.MAE, Rule.LOSS, "p", "y");
        add(m, Op.BCE, Rule.LOSS, "p", "y");
        add(m, Op.BCE_LOGITS, Rule.LOSS, "z", "y");
        add(m, Op.CROSS_ENTROPY, Rule.VECTOR_LOSS, "logits", "y");
        add(m, Op.DROPOUT, Rule.DROPOUT, "h", "p");
        ALL = Collections.unmodifiableMap(m);
    }

    private Builtins() {}

    private static void add(Map<String, Builtin> m, Op op, Rule rule, String... params) {
        String name = op.functionName();
        m.put(name, new Builtin(name, op, null, Signature.of(name, params.length, params), rule));
    }

    /** Every function name a call may use, for suggestions. */
    static java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>(ALL.keySet());
        names.add("dense");
        return names;
    }
}
