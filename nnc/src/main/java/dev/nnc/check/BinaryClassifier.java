package dev.nnc.check;

import dev.nnc.ops.Fn;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a checked model is a binary classifier, and how its {@code output} reads: the loss applies
 * {@code bce(p, y)} or {@code bce_logits(z, y)} to a target {@code y} of one element (not onehot),
 * and the output, of one element, is that loss's probability or its logit.
 * <pre>
 *   loss = bce_logits(out, y), output out            -&gt;  logit(y)        (positive when out &gt;= 0)
 *   loss = bce_logits(out, y), p = sigmoid(out), output p  -&gt;  probability(y)  (positive when p &gt;= 0.5)
 *   loss = bce(p, y), output p                       -&gt;  probability(y)
 *   loss = bce(sigmoid(z), y), output z              -&gt;  logit(y)
 *   loss = mse(out, y)                               -&gt;  none
 * </pre>
 * Values are compared by what they compute (names resolved to their expressions), so
 * {@code bce(sigmoid(z), y)} and {@code p = sigmoid(z)} agree. An output that is neither (say
 * {@code 2 * out}) makes no classifier: accuracy would guess at what the output means.
 *
 * @param target the target's name
 * @param logit  whether the output is the logit (else the probability)
 */
public record BinaryClassifier(String target, boolean logit) {

    /** The model's binary classifier, or empty when it is not one. */
    public static Optional<BinaryClassifier> of(CheckedModel model) {
        if (model.output() == null) {
            return Optional.empty();
        }
        Map<String, TExpr> values = new HashMap<>();
        for (CheckedModel.Binding b : model.bindings()) {
            values.put(b.name(), b.value());
        }
        // a name that is no binding (an input or a parameter) stands for itself; the kind only keeps it unresolved
        TExpr output = values.containsKey(model.output()) ? values.get(model.output())
                : new TExpr.Ref(model.output(), TExpr.RefKind.PARAM, null, null);
        if (output.shape() != null && output.shape().size() != 1) {
            return Optional.empty();
        }
        return find(model.loss(), model, values, output, new HashSet<>());
    }

    /** The first {@code bce}/{@code bce_logits} of the loss, outermost and leftmost first, that the output reads. */
    private static Optional<BinaryClassifier> find(TExpr e, CheckedModel model, Map<String, TExpr> values, TExpr output,
            Set<String> seen) {
        if (e instanceof TExpr.Ref r) {
            return r.kind() == TExpr.RefKind.VALUE && seen.add(r.name()) && values.containsKey(r.name())
                    ? find(values.get(r.name()), model, values, output, seen) : Optional.empty();
        }
        List<TExpr> args = e instanceof TExpr.Apply a ? a.args() : e instanceof TExpr.Call c ? c.args() : List.of();
        if (e instanceof TExpr.Apply a && (a.op() == Op.BCE || a.op() == Op.BCE_LOGITS) && binaryTarget(a.args().get(1), model)) {
            String target = ((TExpr.Ref) a.args().get(1)).name();
            TExpr score = a.args().get(0);
            boolean onLogits = a.op() == Op.BCE_LOGITS;
            if (same(output, score, values)) {
                return Optional.of(new BinaryClassifier(target, onLogits));
            }
            // bce_logits(z, y) with output sigmoid(z); bce(sigmoid(z), y) with output z
            if (onLogits ? sigmoidOf(output, score, values) : sigmoidOf(score, output, values)) {
                return Optional.of(new BinaryClassifier(target, !onLogits));
            }
        }
        for (TExpr arg : args) {
            Optional<BinaryClassifier> found = find(arg, model, values, output, seen);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** A reference to a target of one element that is not onehot. */
    private static boolean binaryTarget(TExpr e, CheckedModel model) {
        return e instanceof TExpr.Ref r && r.kind() == TExpr.RefKind.TARGET && model.targets().stream()
                .anyMatch(t -> t.name().equals(r.name()) && !t.onehot() && t.shape().size() == 1);
    }

    /** Whether {@code s} computes {@code sigmoid(x)}. */
    private static boolean sigmoidOf(TExpr s, TExpr x, Map<String, TExpr> values) {
        TExpr r = resolve(s, values);
        return r instanceof TExpr.Call c && c.fn() == Fn.SIGMOID && same(c.args().get(0), x, values);
    }

    private static TExpr resolve(TExpr e, Map<String, TExpr> values) {
        TExpr at = e;
        while (at instanceof TExpr.Ref r && r.kind() == TExpr.RefKind.VALUE && values.containsKey(r.name())) {
            at = values.get(r.name());
        }
        return at;
    }

    /** Whether two expressions compute the same thing, written alike up to the names of values. */
    static boolean same(TExpr a, TExpr b, Map<String, TExpr> values) {
        if (a instanceof TExpr.Ref x && b instanceof TExpr.Ref y && x.name().equals(y.name())) {
            return true;
        }
        TExpr ra = resolve(a, values);
        TExpr rb = resolve(b, values);
        if (ra != a || rb != b) {
            return same(ra, rb, values);
        }
        if (a instanceof TExpr.Constant x && b instanceof TExpr.Constant y) {
            return x.value().equals(y.value());
        } else if (a instanceof TExpr.Apply x && b instanceof TExpr.Apply y) {
            return x.op() == y.op() && sameArgs(x.args(), y.args(), values);
        } else if (a instanceof TExpr.Call x && b instanceof TExpr.Call y) {
            return x.fn() == y.fn() && sameArgs(x.args(), y.args(), values);
        }
        return false;
    }

    private static boolean sameArgs(List<TExpr> a, List<TExpr> b, Map<String, TExpr> values) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i), values)) {
                return false;
            }
        }
        return true;
    }
}
