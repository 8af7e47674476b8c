package dev.nnc.graph;

import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The expression graph in Graphviz DOT, values flowing left to right: leaves are boxes (parameters
 * blue, inputs and targets grey, constants white), operations are ellipses labelled in the language's
 * notation, a named value is labelled {@code h = relu}, the loss has a double border. With gradients,
 * their nodes sit in a dashed red cluster with edges from the forward values they reuse, and each
 * parameter's gradient flows into a {@code dloss/dW1} box.
 *
 * <pre>
 *   loss = (x + 5)^2   -&gt;   digraph cube { ... n2 [label="+"]; n0 -&gt; n2; n1 -&gt; n2; ... }
 * </pre>
 *
 * Node ids are {@code n<node id>}, and every list is in node-id or declaration order, so the same
 * model always prints the same text.
 */
public final class DotPrinter {

    private final ForwardGraph fwd;
    /** Every name each node has: model bindings in source order, then the names of shared subterms. */
    private final Map<Node, List<String>> names = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private DotPrinter(ForwardGraph fwd, Map<Node, String> sharedNames) {
        this.fwd = fwd;
        fwd.bindings().forEach((name, node) -> names.computeIfAbsent(node, k -> new ArrayList<>()).add(name));
        sharedNames.forEach((node, name) -> names.computeIfAbsent(node, k -> new ArrayList<>()).add(name));
    }

    /** The forward graph: the loss, the output and everything they depend on. */
    public static String forward(ForwardGraph fwd) {
        return both(fwd, Map.of(), Map.of());
    }

    /**
     * The forward graph and the gradients.
     *
     * @param gradients   each parameter's gradient, in declaration order
     * @param sharedNames names for gradient nodes worth labelling (shared subterms such as {@code dout})
     */
    public static String both(ForwardGraph fwd, Map<String, Node> gradients, Map<Node, String> sharedNames) {
        return new DotPrinter(fwd, sharedNames).print(gradients);
    }

    private String print(Map<String, Node> gradients) {
        List<Node> forwardRoots = new ArrayList<>(List.of(fwd.loss()));
        if (fwd.output() != null) {
            forwardRoots.add(fwd.output());
        }
        Map<Integer, Node> forwardNodes = reach(forwardRoots, Map.of());
        Map<Integer, Node> backwardNodes = reach(new ArrayList<>(gradients.values()), forwardNodes);
        out.append("digraph ").append(quote(fwd.model().name())).append(" {\n");
        out.append("  rankdir=LR;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        out.append("  edge [arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];\n");
        for (Node n : forwardNodes.values()) {
            node(n, "  ", n == fwd.loss(), false);
        }
        if (!backwardNodes.isEmpty() || !gradients.isEmpty()) {
            out.append("  subgraph cluster_backward {\n");
            out.append("    label=\"backward\"; style=dashed; color=firebrick; fontcolor=firebrick;\n");
            for (Node n : backwardNodes.values()) {
                node(n, "    ", false, true);
            }
            int i = 0;
            for (String param : gradients.keySet()) {
                out.append("    g").append(i++).append(" [shape=box, peripheries=2, color=firebrick, label=")
                        .append(quote("dloss/d" + param)).append("];\n");
            }
            out.append("  }\n");
        }
        for (Node n : forwardNodes.values()) {
            edges(n, false);
        }
        for (Node n : backwardNodes.values()) {
            edges(n, true);
        }
        int i = 0;
        for (Node root : gradients.values()) {
            out.append("  n").append(root.id()).append(" -> g").append(i++).append(" [color=firebrick];\n");
        }
        return out.append("}\n").toString();
    }

    /** The nodes the roots depend on, by id, not entering {@code stop} (already drawn elsewhere). */
    private static Map<Integer, Node> reach(List<Node> roots, Map<Integer, Node> stop) {
        Map<Integer, Node> seen = new TreeMap<>();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (stop.containsKey(n.id()) || seen.putIfAbsent(n.id(), n) != null) {
                continue;
            }
            stack.addAll(n.args());
        }
        return seen;
    }

    private void node(Node n, String indent, boolean isLoss, boolean backward) {
        Map<String, String> attrs = new LinkedHashMap<>();
        String op = label(n);
        List<String> named = names.getOrDefault(n, List.of());
        if (n.kind().isLeaf()) {
            attrs.put("shape", "box");
            attrs.put("style", "filled");
            attrs.put("fillcolor", n.kind() == Kind.PARAM ? "lightblue" : n.kind() == Kind.CONST ? "white" : "lightgrey");
        } else if (backward) {
            attrs.put("color", "firebrick");
        }
        List<String> parts = new ArrayList<>();
        if (isLoss) {
            parts.add("loss");
            attrs.put("peripheries", "2");
        }
        if (!n.kind().isLeaf()) {
            parts.addAll(named);
        }
        parts.add(op);
        String output = n == fwd.output() ? "\\n(output)" : "";
        attrs.put("label", "\"" + escape(String.join(" = ", parts)) + output + "\"");
        out.append(indent).append('n').append(n.id()).append(" [");
        boolean first = true;
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            out.append(first ? "" : ", ").append(a.getKey()).append('=').append(a.getValue());
            first = false;
        }
        out.append("];\n");
    }

    /** Operand order matters for these, so their edges say which operand is which. */
    private static boolean ordered(Node n) {
        return n.args().size() == 2 && !n.kind().isCommutative() && n.arg(0) != n.arg(1);
    }

    private void edges(Node n, boolean backward) {
        for (int i = 0; i < n.args().size(); i++) {
            List<String> attrs = new ArrayList<>();
            if (backward) {
                attrs.add("color=firebrick");
            }
            if (ordered(n)) {
                attrs.add("label=\"" + (i + 1) + "\"");
            }
            out.append("  n").append(n.arg(i).id()).append(" -> n").append(n.id())
                    .append(attrs.isEmpty() ? "" : " [" + String.join(", ", attrs) + "]").append(";\n");
        }
    }

    /** A node's operation in the language's notation, or a leaf's name or value. */
    private static String label(Node n) {
        return switch (n.kind()) {
            case INPUT, TARGET, PARAM -> n.name();
            case CONST -> constant(n);
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case POW -> "^";
            case NEG -> "-x";
            case MATMUL -> "@";
            case TRANSPOSE -> "'";
            case OUTER -> "outer";
            case FN -> n.fn().symbol();
            case GE -> ">=";
            case MAX, MIN, SUM, BROADCAST, SOFTMAX, LOGSUMEXP -> n.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A constant as the language writes it; a long tensor is cut short (the graph shows structure). */
    private static String constant(Node n) {
        double v = n.value().get(0);
        boolean uniform = true;
        for (int i = 1; i < n.value().size() && uniform; i++) {
            uniform = Double.compare(n.value().get(i), v) == 0;
        }
        String text = uniform ? Values.format(v) : Values.format(n.value());
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
