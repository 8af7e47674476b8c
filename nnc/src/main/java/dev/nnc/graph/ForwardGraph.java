package dev.nnc.graph;

import dev.nnc.check.CheckedModel;
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
}
