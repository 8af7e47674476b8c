package dev.nnc.report;

import dev.nnc.graph.GraphView;
import dev.nnc.graph.MathMl;
import java.util.List;
import java.util.Locale;

/**
 * A {@link GraphLayout.Layout} as an inline {@code <svg>}: parameters in blue boxes, inputs and
 * targets in grey ones, constants in white, operations as pills (rounded ends), the loss and each
 * {@code dloss/dW} with a double border, the backward pass in red; edges as polylines with an
 * arrowhead drawn as a small triangle (no markers, so the picture references nothing by id).
 *
 * <pre>
 *   Placed(x, 12, 40, 30, 28)   -&gt;   &lt;g&gt;&lt;rect x="12" y="40" .../&gt;&lt;text ...&gt;x&lt;/text&gt;&lt;/g&gt;
 * </pre>
 */
public final class GraphSvg {

    private static final String RED = "#b22222";

    /** The widest drawing that is shrunk to the page's width (about 1100 pixels) rather than scrolled. */
    private static final double FITS = 1650;

    private GraphSvg() {}

    public static String of(GraphLayout.Layout layout) {
        StringBuilder b = new StringBuilder();
        // a graph up to half again as wide as the page shrinks to fit it; a wider one keeps its size and scrolls
        String fit = layout.width() <= FITS ? " style=\"max-width: 100%; height: auto\"" : "";
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\"").append(fit).append(" width=\"").append(n(layout.width()))
                .append("\" height=\"").append(n(layout.height())).append("\" viewBox=\"0 0 ").append(n(layout.width()))
                .append(' ').append(n(layout.height())).append("\" role=\"img\" aria-label=\"")
                .append(MathMl.escape(layout.title() + ": expression graph")).append("\">\n");
        for (GraphLayout.Route r : layout.routes()) {
            edge(b, r);
        }
        for (GraphLayout.Placed p : layout.boxes()) {
            box(b, p);
        }
        return b.append("</svg>").toString();
    }

    private static void edge(StringBuilder b, GraphLayout.Route r) {
        List<double[]> pts = r.points();
        String color = r.edge().backward() ? RED : "#555555";
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.2\" points=\"");
        for (int i = 0; i < pts.size(); i++) {
            b.append(i == 0 ? "" : " ").append(n(pts.get(i)[0])).append(',').append(n(pts.get(i)[1]));
        }
        b.append("\"/>\n");
        double[] end = pts.get(pts.size() - 1);
        double[] before = pts.get(pts.size() - 2);
        double dx = end[0] - before[0];
        double dy = end[1] - before[1];
        double len = Math.max(Math.hypot(dx, dy), 1e-9);
        double ux = dx / len;
        double uy = dy / len;
        double size = 7;
        double bx = end[0] - ux * size;
        double by = end[1] - uy * size;
        b.append("<polygon fill=\"").append(color).append("\" points=\"").append(n(end[0])).append(',').append(n(end[1]))
                .append(' ').append(n(bx - uy * size / 2)).append(',').append(n(by + ux * size / 2))
                .append(' ').append(n(bx + uy * size / 2)).append(',').append(n(by - ux * size / 2)).append("\"/>\n");
        if (r.edge().label() != null) {
            b.append("<text class=\"operand\" x=\"").append(n(bx - ux * 6 - uy * 6)).append("\" y=\"").append(n(by - uy * 6 + ux * 6 - 2))
                    .append("\" fill=\"").append(color).append("\">").append(r.edge().label()).append("</text>\n");
        }
    }

    private static void box(StringBuilder b, GraphLayout.Placed p) {
        GraphView.Box box = p.box();
        String stroke = box.backward() ? RED : "#333333";
        String fill = switch (box.style()) {
            case PARAM -> "#cfe3f7";
            case LEAF -> "#e6e6e6";
            case CONST, OPERATION, GRADIENT -> "#ffffff";
        };
        b.append("<g class=\"node\" data-id=\"").append(box.id()).append("\">");
        boolean pill = box.style() == GraphView.Style.OPERATION;
        shape(b, p, pill, 0, fill, stroke);
        if (box.loss() || box.style() == GraphView.Style.GRADIENT) {
            shape(b, p, pill, 3, "none", stroke);
        }
        double cx = p.x() + p.width() / 2;
        double cy = p.y() + p.height() / 2;
        b.append("<text x=\"").append(n(cx)).append("\" y=\"").append(n(box.output() ? cy - 2 : cy + 4))
                .append("\" text-anchor=\"middle\">").append(MathMl.escape(box.label())).append("</text>");
        if (box.output()) {
            b.append("<text class=\"note\" x=\"").append(n(cx)).append("\" y=\"").append(n(cy + 10))
                    .append("\" text-anchor=\"middle\">(output)</text>");
        }
        b.append("</g>\n");
    }

    /**
     * The box's outline, or an outline {@code inset} pixels inside it (the second border of a double
     * one); an operation's is a pill, whose ends are round but which fills its box, so that the
     * edges ELK routes to the box's border meet it.
     */
    private static void shape(StringBuilder b, GraphLayout.Placed p, boolean pill, double inset, String fill, String stroke) {
        double radius = pill ? p.height() / 2 - inset : 3;
        b.append("<rect x=\"").append(n(p.x() + inset)).append("\" y=\"").append(n(p.y() + inset)).append("\" width=\"")
                .append(n(p.width() - 2 * inset)).append("\" height=\"").append(n(p.height() - 2 * inset))
                .append("\" rx=\"").append(n(radius)).append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
                .append("\"/>");
    }

    /** A coordinate with at most one decimal, the same text on every machine. */
    static String n(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
