package dev.nnc.graph;

import dev.nnc.tensor.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The expression graph as a picture sees it: labelled boxes and the edges of data flow, in a fixed
 * order, for {@link DotPrinter} and for the laid-out SVG of {@code nnc report} alike. Leaves are
 * labelled with their names (or values), operations in the language's notation, a named value as
 * {@code h = relu}, the loss as {@code loss = ...}. With gradients, their nodes are marked backward,
 * with edges from the forward values they reuse, and each parameter's gradient flows into a
 * {@code dloss/dW1} box.
 *
 * <pre>
 *   loss = (x + 5)^2   -&gt;   boxes n0 "x", n1 "5", n2 "+", n3 "2", n4 "loss = ^"; edges n0-&gt;n2, n1-&gt;n2, ...
 * </pre>
 *
 * Box ids are {@code n<node id>} ({@code g<i>} for the gradients), and every list is in node-id or
 * declaration order, so the same model always gives the same view.
 */
public record GraphView(String title, List<Box> boxes, List<Edge> edges) {

    /** How a box is drawn: parameters, inputs and targets, constants, operations, a gradient's result. */
    public enum Style { PARAM, LEAF, CONST, OPERATION, GRADIENT }

    /** One node: its id, label, style, whether it belongs to the backward pass, is the loss, is the output. */
    public record Box(String id, String label, Style style, boolean backward, boolean loss, boolean output) {}

    /** Data flowing {@code from -> to}; {@code label} numbers the operand where order matters, else null. */
    public record Edge(String from, String to, String label, boolean backward) {}

    public GraphView {
        boxes = List.copyOf(boxes);
        edges = List.copyOf(edges);
    }

    /** The forward graph: the loss, the output and everything they depend on. */
    public static GraphView forward(ForwardGraph fwd) {
        return both(fwd, Map.of(), Map.of());
    }

    /**
     * The forward graph and the gradients.
     *
     * @param gradients   each parameter's gradient, in declaration order
     * @param sharedNames names for gradient nodes worth labelling (shared subterms such as {@code dout})
     */
    public static GraphView both(ForwardGraph fwd, Map<String, Node> gradients, Map<Node, String> sharedNames) {
        Map<Node, List<String>> names = new HashMap<>();
        fwd.bindings().forEach((name, node) -> names.computeIfAbsent(node, k -> new ArrayList<>()).add(name));
        sharedNames.forEach((node, name) -> names.computeIfAbsent(node, k -> new ArrayList<>()).add(name));
        List<Node> forwardRoots = new ArrayList<>(List.of(fwd.loss()));
        if (fwd.output() != null) {
            forwardRoots.add(fwd.output());
        }
        Map<Integer, Node> forwardNodes = reach(forwardRoots, Map.of());
        Map<Integer, Node> backwardNodes = reach(new ArrayList<>(gradients.values()), forwardNodes);
        List<Box> boxes = new ArrayList<>();
        forwardNodes.values().forEach(n -> boxes.add(box(n, names, fwd, false)));
        backwardNodes.values().forEach(n -> boxes.add(box(n, names, fwd, true)));
        int i = 0;
        for (String param : gradients.keySet()) {
            boxes.add(new Box("g" + i++, "dloss/d" + param, Style.GRADIENT, true, false, false));
        }
        List<Edge> edges = new ArrayList<>();
        forwardNodes.values().forEach(n -> edges(n, false, edges));
        backwardNodes.values().forEach(n -> edges(n, true, edges));
        i = 0;
        for (Node root : gradients.values()) {
            edges.add(new Edge("n" + root.id(), "g" + i++, null, true));
        }
        return new GraphView(fwd.model().name(), boxes, edges);
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

    private static Box box(Node n, Map<Node, List<String>> names, ForwardGraph fwd, boolean backward) {
        boolean isLoss = !backward && n == fwd.loss();
        List<String> parts = new ArrayList<>();
        if (isLoss) {
            parts.add("loss");
        }
        if (!n.kind().isLeaf()) {
            parts.addAll(names.getOrDefault(n, List.of()));
        }
        parts.add(label(n));
        Style style = switch (n.kind()) {
            case PARAM -> Style.PARAM;
            case CONST -> Style.CONST;
            case INPUT, TARGET, MASK -> Style.LEAF;
            default -> Style.OPERATION;
        };
        return new Box("n" + n.id(), String.join(" = ", parts), style, backward, isLoss, n == fwd.output());
    }

    /** Operand order matters for these, so their edges say which operand is which. */
    private static boolean ordered(Node n) {
        return n.args().size() == 2 && !n.kind().isCommutative() && n.arg(0) != n.arg(1);
    }

    private static void edges(Node n, boolean backward, List<Edge> into) {
        for (int i = 0; i < n.args().size(); i++) {
            into.add(new Edge("n" + n.arg(i).id(), "n" + n.id(), ordered(n) ? String.valueOf(i + 1) : null, backward));
        }
    }

    /** A node's operation in the language's notation, or a leaf's name or value. */
    private static String label(Node n) {
        return switch (n.kind()) {
            case INPUT, TARGET, PARAM, MASK -> n.name();
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
        String text = ExprPrinter.uniform(n.value()) ? Values.format(n.value().get(0)) : Values.format(n.value());
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
