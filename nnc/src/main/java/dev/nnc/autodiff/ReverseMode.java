package dev.nnc.autodiff;

import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Graph;
import dev.nnc.graph.Kind;
import dev.nnc.graph.Node;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The autodiff stage: reverse-mode symbolic differentiation over the graph.
 *
 * <pre>
 *   loss = ((x + 5)^3 + 1)^2   -&gt;   dloss/dx = 2 ((x + 5)^3 + 1) * 3 (x + 5)^2   (before simplifying)
 * </pre>
 *
 * Visits the forward nodes from the loss down in reverse topological order; each node's adjoint is
 * the sum of what its consumers pass it by the derivative rules of their operations ({@link Kind}). The adjoints are new
 * nodes of the same graph, so they share every forward value they use.
 */
public final class ReverseMode {

    private ReverseMode() {}

    public static Gradients differentiate(ForwardGraph fwd) {
        Graph g = fwd.graph();
        BitSet varying = varying(fwd);
        Map<Node, List<Node>> contributions = new HashMap<>();
        Map<Node, Node> adjoints = new LinkedHashMap<>();
        contributions.computeIfAbsent(fwd.loss(), k -> new ArrayList<>()).add(g.scalar(1));
        for (Node n : reachable(fwd.loss())) {
            List<Node> parts = contributions.get(n);
            if (parts == null || !varying.get(n.id())) {
                continue;
            }
            Node adj = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                adj = g.apply(Kind.ADD, adj, parts.get(i));
            }
            adjoints.put(n, g.at(adj, g.pos(n)));
            List<Node> local = Kind.contributions(g, n, adj);
            for (int i = 0; i < local.size(); i++) {
                Node arg = n.arg(i);
                Node part = local.get(i);
                if (part != null && varying.get(arg.id())) {
                    contributions.computeIfAbsent(arg, k -> new ArrayList<>()).add(fit(g, part, arg));
                }
            }
        }
        Map<String, Node> params = new LinkedHashMap<>();
        for (Node p : fwd.params()) {
            Node adj = adjoints.get(p);
            params.put(p.name(), adj != null ? adj : g.fill(0, p.shape()));
        }
        return new Gradients(fwd, adjoints, params);
    }

    /** A contribution of the consumer's shape, summed down to a broadcast scalar argument. */
    private static Node fit(Graph g, Node part, Node arg) {
        if (part.shape().equals(arg.shape())) {
            return part;
        }
        if (arg.shape().isScalar()) {
            return g.apply(Kind.SUM, part);
        }
        if (part.shape().isScalar()) {
            return g.broadcast(part, arg.shape());
        }
        throw new IllegalStateException("adjoint of shape " + part.shape() + " for " + arg);
    }

    /** The nodes that depend on an input or a parameter: the only ones with adjoints worth having. */
    private static BitSet varying(ForwardGraph fwd) {
        BitSet varying = new BitSet();
        for (Node n : fwd.graph().nodes()) {
            boolean v = n.kind() == Kind.PARAM || n.kind() == Kind.INPUT;
            for (Node a : n.args()) {
                v |= varying.get(a.id());
            }
            if (v) {
                varying.set(n.id());
            }
        }
        return varying;
    }

    /** The nodes the root depends on, root first, in reverse topological (descending id) order. */
    static List<Node> reachable(Node root) {
        Map<Integer, Node> seen = new HashMap<>();
        List<Node> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (seen.putIfAbsent(n.id(), n) == null) {
                stack.addAll(n.args());
            }
        }
        List<Node> order = new ArrayList<>(seen.values());
        order.sort((a, b) -> Integer.compare(b.id(), a.id()));
        return order;
    }
}
