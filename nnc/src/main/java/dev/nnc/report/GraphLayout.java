package dev.nnc.report;

import dev.nnc.graph.GraphView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Places a {@link GraphView} with Eclipse ELK's layered (Sugiyama) algorithm, values flowing left to
 * right: each box gets a position and a size, each edge a polyline from its source's border to its
 * target's. Box sizes come from the label's length in a monospaced font, so the picture needs no
 * font metrics of the machine that draws it.
 *
 * <pre>
 *   boxes x, W, "@", ...; edges x-&gt;"@", W-&gt;"@"   -&gt;   x at (12, 40) 30x28, "@" at (82, 26) 40x28, edge (42,54) (82,40)
 * </pre>
 *
 * ELK's layered algorithm is deterministic for a given input (its random seed is fixed), and the
 * boxes and edges go in in the view's order, so the same model always gets the same layout.
 */
public final class GraphLayout {

    /** Width of one character of the labels' monospaced font (12px, about 0.6em), and the box padding. */
    static final double CHAR_WIDTH = 7.3;
    static final double PADDING = 18;
    static final double HEIGHT = 28;

    /** A box placed: top-left corner and size. */
    public record Placed(GraphView.Box box, double x, double y, double width, double height) {
        boolean overlaps(Placed o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    /** An edge routed: its points, from the source's border to the target's. */
    public record Route(GraphView.Edge edge, List<double[]> points) {}

    /** The laid-out graph and the size of the whole drawing. */
    public record Layout(String title, List<Placed> boxes, List<Route> routes, double width, double height) {}

    static {
        // once per JVM, and explicitly, so the layout does not depend on how the jars' service files were packed
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private GraphLayout() {}

    public static Layout of(GraphView view) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(12));
        Map<String, ElkNode> nodes = new HashMap<>();
        for (GraphView.Box b : view.boxes()) {
            ElkNode n = ElkGraphUtil.createNode(root);
            n.setIdentifier(b.id());
            n.setDimensions(width(b), HEIGHT);
            nodes.put(b.id(), n);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (GraphView.Edge e : view.edges()) {
            edges.add(ElkGraphUtil.createSimpleEdge(nodes.get(e.from()), nodes.get(e.to())));
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
        List<Placed> placed = new ArrayList<>();
        for (GraphView.Box b : view.boxes()) {
            ElkNode n = nodes.get(b.id());
            placed.add(new Placed(b, n.getX(), n.getY(), n.getWidth(), n.getHeight()));
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            List<double[]> points = new ArrayList<>();
            for (ElkEdgeSection s : edges.get(i).getSections()) {
                points.add(new double[] {s.getStartX(), s.getStartY()});
                for (ElkBendPoint p : s.getBendPoints()) {
                    points.add(new double[] {p.getX(), p.getY()});
                }
                points.add(new double[] {s.getEndX(), s.getEndY()});
            }
            routes.add(new Route(view.edges().get(i), points));
        }
        return new Layout(view.title(), placed, routes, root.getWidth(), root.getHeight());
    }

    /** A box wide enough for its label (and the output's note); an operation's pill a little wider for its round ends. */
    static double width(GraphView.Box b) {
        int chars = Math.max(b.label().length(), b.output() ? "(output)".length() : 0);
        double w = chars * CHAR_WIDTH + PADDING;
        return Math.max(b.style() == GraphView.Style.OPERATION ? w + HEIGHT / 2 : w, HEIGHT + 6);
    }
}
