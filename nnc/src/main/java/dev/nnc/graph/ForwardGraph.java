package dev.nnc.graph;

import dev.nnc.check.CheckedModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as a graph: the per-sample forward computation, with the nodes of its named values.
 *
 * @param bindings every named value of the model, in source order (two names may share a node)
 * @param output   the node {@code output} names, or null
 */
public record ForwardGraph(
        CheckedModel model, Graph graph, List<Node> inputs, List<Node> targets, List<Node> params,
        Map<String, Node> bindings, Node loss, Node output) {

    public ForwardGraph {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        params = List.copyOf(params);
    }

    /** The masks of the model's {@code dropout}s ({@link Kind#MASK}), in source order. */
    public List<Node> masks() {
        return graph.nodes().stream().filter(n -> n.kind() == Kind.MASK).toList();
    }

    /**
     * The model outside training, where dropout is the identity: every {@code h * mask} is h, so the
     * loss and output are the nodes of the same model written without dropout. This graph when it has none.
     */
    public ForwardGraph withoutDropout() {
        if (masks().isEmpty()) {
            return this;
        }
        Map<Node, Node> done = new HashMap<>();
        Map<String, Node> kept = new LinkedHashMap<>();
        bindings.forEach((name, n) -> kept.put(name, withoutDropout(n, done)));
        return new ForwardGraph(model, graph, inputs, targets, params, kept, withoutDropout(loss, done),
                output == null ? null : withoutDropout(output, done));
    }

    private Node withoutDropout(Node n, Map<Node, Node> done) {
        Node known = done.get(n);
        if (known != null) {
            return known;
        }
        Node result;
        if (n.kind().isLeaf()) {
            result = n;
        } else if (n.kind() == Kind.MUL && n.arg(1).kind() == Kind.MASK) {
            result = withoutDropout(n.arg(0), done);
        } else if (n.kind() == Kind.MUL && n.arg(0).kind() == Kind.MASK) {
            result = withoutDropout(n.arg(1), done);
        } else {
            Node[] args = new Node[n.args().size()];
            boolean same = true;
            for (int i = 0; i < args.length; i++) {
                args[i] = withoutDropout(n.arg(i), done);
                same &= args[i] == n.arg(i);
            }
            result = same ? n : graph.with(n, args);
        }
        done.put(n, result);
        return result;
    }
}
