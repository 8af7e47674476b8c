package dev.nnc.autodiff;

import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Node;
import java.util.Map;

/**
 * The backward pass as graph nodes.
 *
 * @param adjoints dloss/dn for every forward node the loss depends on through an input or parameter
 * @param params   dloss/dp for every parameter, by name, in declaration order (a zero constant
 *                 for a parameter the loss does not depend on)
 */
public record Gradients(ForwardGraph forward, Map<Node, Node> adjoints, Map<String, Node> params) {

    /** dloss/dn, or null when the loss does not depend on n. */
    public Node adjoint(Node n) {
        return adjoints.get(n);
    }
}
