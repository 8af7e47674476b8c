package dev.nnc.cli;

import dev.nnc.runtime.NncPlotter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * {@code nnc train --plot F.png|F.svg}: the training curves, drawn with JFreeChart (and JFreeSVG for
 * SVG, whose labels stay {@code <text>}). Losses (training, validation, test) against the left axis,
 * accuracies against the right one, from 0 to 1; one point per epoch; a figure the run does not have
 * (no validation split, no test set, a regression model) has no series. 900 x 540.
 *
 * <pre>
 *   epoch 1..8: loss 0.56 .. 0.25, test loss 0.47 .. 0.33, test accuracy 0.83 .. 0.88
 *   -&gt; "fashion_mnist: training curves", three lines, the accuracy against the right axis
 * </pre>
 */
final class TrainingCurves implements NncPlotter {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    /** A series: the history column it draws, its legend, colour, and whether it is an accuracy (right axis). */
    record Curve(String column, String legend, Color color, boolean accuracy) {}

    static final List<Curve> CURVES = List.of(
            new Curve("loss", "training loss", new Color(0x1f77b4), false),
            new Curve("val_loss", "validation loss", new Color(0xff7f0e), false),
            new Curve("test_loss", "test loss", new Color(0x2ca02c), false),
            new Curve("val_accuracy", "validation accuracy", new Color(0xd62728), true),
            new Curve("test_accuracy", "test accuracy", new Color(0x9467bd), true));

    @Override
    public void draw(String format, String title, List<Map<String, Object>> rows, OutputStream out) throws IOException {
        // no display is needed, nor wanted: a chart is drawn in memory
        System.setProperty("java.awt.headless", "true");
        // rotated labels (the axes' titles) as rotated strings, so that the SVG keeps them as <text> too
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
        JFreeChart chart = chart(title, rows);
        if (format.equals("svg")) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
            g.setDefsKeyPrefix("nnc-curves-"); // not the default, which holds the time: the same run, the same file
            chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            out.write(g.getSVGDocument().getBytes(StandardCharsets.UTF_8));
        } else if (format.equals("png")) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } else {
            throw new IllegalArgumentException("format: expected png or svg, found " + format);
        }
    }

    static JFreeChart chart(String title, List<Map<String, Object>> rows) {
        XYSeriesCollection losses = new XYSeriesCollection();
        XYSeriesCollection accuracies = new XYSeriesCollection();
        XYLineAndShapeRenderer lossLines = renderer(rows.size());
        XYLineAndShapeRenderer accuracyLines = renderer(rows.size());
        for (Curve c : CURVES) {
            XYSeries s = new XYSeries(c.legend(), false, false);
            for (Map<String, Object> row : rows) {
                if (row.get(c.column()) instanceof Number v && Double.isFinite(v.doubleValue())) {
                    s.add(((Number) row.get("epoch")).doubleValue(), v.doubleValue());
                }
            }
            if (s.isEmpty()) {
                continue;
            }
            XYSeriesCollection into = c.accuracy() ? accuracies : losses;
            (c.accuracy() ? accuracyLines : lossLines).setSeriesPaint(into.getSeriesCount(), c.color());
            into.addSeries(s);
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        NumberAxis loss = new NumberAxis("loss");
        loss.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(losses, epochs, loss, lossLines);
        if (accuracies.getSeriesCount() > 0) {
            NumberAxis accuracy = new NumberAxis("accuracy");
            accuracy.setRange(0, 1);
            plot.setRangeAxis(1, accuracy);
            plot.setDataset(1, accuracies);
            plot.mapDatasetToRangeAxis(1, 1);
            plot.setRenderer(1, accuracyLines);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title + ": training curves", new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        TextTitle shown = chart.getTitle();
        shown.setPaint(Color.BLACK);
        return chart;
    }

    /** Lines two pixels wide, with a dot at each epoch while there are few enough to tell apart. */
    private static XYLineAndShapeRenderer renderer(int epochs) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, epochs <= 60);
        r.setDefaultStroke(new BasicStroke(2f));
        r.setAutoPopulateSeriesStroke(false);
        r.setDefaultShape(new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        r.setAutoPopulateSeriesShape(false);
        return r;
    }
}
