package dev.nnc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The plot of {@code bench/whole_runs.sh --plot}: training samples/s per epoch, one line per run
 * (nnc's variants and PyTorch), from the CSV {@code series,epoch,samples_per_second} that
 * {@code bench/whole_runs_table.py} writes, drawn as a PNG with JFreeChart (the library of
 * {@code nnc train --plot}).
 *
 * <pre>
 *   java -cp 'nnc-bench/target/benchmarks.jar:nnc-bench/target/lib/*' dev.nnc.bench.EpochPlot epochs.csv docs/performance-epochs.png
 * </pre>
 */
public final class EpochPlot {

    private EpochPlot() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].endsWith(".png")) {
            System.err.println("usage: EpochPlot EPOCHS.csv OUT.png");
            System.exit(2);
        }
        Map<String, List<double[]>> series = read(Path.of(args[0]));
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            e.getValue().forEach(p -> s.add(p[0], p[1]));
            lines.addSeries(s);
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        NumberAxis speed = new NumberAxis("samples/s");
        speed.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDefaultStroke(new java.awt.BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        XYPlot plot = new XYPlot(lines, epochs, speed, renderer);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(new java.awt.Color(0xdddddd));
        plot.setRangeGridlinePaint(new java.awt.Color(0xdddddd));
        JFreeChart chart = new JFreeChart("Fashion-MNIST 784-128-64-10, batch 64: training speed per epoch",
                new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        ChartUtils.saveChartAsPNG(new java.io.File(args[1]), chart, 760, 420);
    }

    /** Series name to (epoch, samples/s) points, in the order of the file. */
    static Map<String, List<double[]>> read(Path csv) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            int b = line.lastIndexOf(',');
            int a = line.lastIndexOf(',', b - 1);
            series.computeIfAbsent(line.substring(0, a), k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(line.substring(a + 1, b)), Double.parseDouble(line.substring(b + 1))});
        }
        return series;
    }
}
