package dev.nnc.autodiff;

import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Node;
import dev.nnc.simplify.Simplifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's gradients, as derived and as simplified, with the size of each.
 *
 * @param raw         straight from {@link ReverseMode}
 * @param simplified  the same gradients and adjoints after {@link Simplifier}: equal in value
 * @param nodesBefore distinct nodes the raw parameter gradients reach
 * @param nodesAfter  distinct nodes the simplified parameter gradients reach
 */
public record Derivation(ForwardGraph forward, Gradients raw, Gradients simplified, int nodesBefore, int nodesAfter) {

    /** Differentiates and simplifies; the model's named values stay as they are, as atoms. */
    public static Derivation of(ForwardGraph forward) {
        Gradients raw = ReverseMode.differentiate(forward);
        Simplifier simplifier = new Simplifier(forward.graph(), new HashSet<>(forward.bindings().values()));
        Map<Node, Node> adjoints = new LinkedHashMap<>();
        raw.adjoints().forEach((n, adj) -> adjoints.put(n, simplifier.simplify(adj)));
        Map<String, Node> params = new LinkedHashMap<>();
        raw.params().forEach((name, grad) -> params.put(name, simplifier.simplify(grad)));
        Gradients simplified = new Gradients(forward, adjoints, params);
        return new Derivation(forward, raw, simplified,
                Simplifier.countDistinct(new ArrayList<>(raw.params().values())),
                Simplifier.countDistinct(new ArrayList<>(params.values())));
    }
}
