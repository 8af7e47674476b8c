package dev.nnc.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The expression graph ({@link GraphView}) in Graphviz DOT, values flowing left to right: leaves are
 * boxes (parameters blue, inputs and targets grey, constants white), operations are ellipses, the loss
 * has a double border. The gradients' nodes sit in a dashed red cluster.
 *
 * <pre>
 *   loss = (x + 5)^2   -&gt;   digraph cube { ... n2 [label="+"]; n0 -&gt; n2; n1 -&gt; n2; ... }
 * </pre>
 */
public final class DotPrinter {

    private final StringBuilder out = new StringBuilder();

    private DotPrinter() {}

    /** The forward graph: the loss, the output and everything they depend on. */
    public static String forward(ForwardGraph fwd) {
        return print(GraphView.forward(fwd));
    }

    /** The forward graph and the gradients (see {@link GraphView#both}). */
    public static String both(ForwardGraph fwd, Map<String, Node> gradients, Map<Node, String> sharedNames) {
        return print(GraphView.both(fwd, gradients, sharedNames));
    }

    static String print(GraphView view) {
        return new DotPrinter().graph(view);
    }

    private String graph(GraphView view) {
        out.append("digraph ").append(quote(view.title())).append(" {\n");
        out.append("  rankdir=LR;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        out.append("  edge [arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];\n");
        view.boxes().stream().filter(b -> !b.backward()).forEach(b -> node(b, "  "));
        if (view.boxes().stream().anyMatch(GraphView.Box::backward)) {
            out.append("  subgraph cluster_backward {\n");
            out.append("    label=\"backward\"; style=dashed; color=firebrick; fontcolor=firebrick;\n");
            view.boxes().stream().filter(GraphView.Box::backward).forEach(b -> node(b, "    "));
            out.append("  }\n");
        }
        for (GraphView.Edge e : view.edges()) {
            out.append("  ").append(e.from()).append(" -> ").append(e.to());
            String attrs = (e.backward() ? "color=firebrick" : "")
                    + (e.backward() && e.label() != null ? ", " : "") + (e.label() != null ? "label=\"" + e.label() + "\"" : "");
            out.append(attrs.isEmpty() ? "" : " [" + attrs + "]").append(";\n");
        }
        return out.append("}\n").toString();
    }

    private void node(GraphView.Box b, String indent) {
        Map<String, String> attrs = new LinkedHashMap<>();
        switch (b.style()) {
            case GRADIENT -> {
                attrs.put("shape", "box");
                attrs.put("peripheries", "2");
                attrs.put("color", "firebrick");
            }
            case PARAM, LEAF, CONST -> {
                attrs.put("shape", "box");
                attrs.put("style", "filled");
                attrs.put("fillcolor", b.style() == GraphView.Style.PARAM ? "lightblue"
                        : b.style() == GraphView.Style.CONST ? "white" : "lightgrey");
            }
            case OPERATION -> {
                if (b.backward()) {
                    attrs.put("color", "firebrick");
                }
            }
        }
        if (b.loss()) {
            attrs.put("peripheries", "2");
        }
        attrs.put("label", "\"" + escape(b.label()) + (b.output() ? "\\n(output)" : "") + "\"");
        out.append(indent).append(b.id()).append(" [");
        boolean first = true;
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            out.append(first ? "" : ", ").append(a.getKey()).append('=').append(a.getValue());
            first = false;
        }
        out.append("];\n");
    }

    private static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
