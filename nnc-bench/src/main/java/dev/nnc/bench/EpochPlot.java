package dev.nnc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plot of {@code bench/whole_runs.sh --plot}: training samples/s per epoch, one line per run
 * (nnc's variants and PyTorch), from the CSV {@code series,epoch,samples_per_second} that
 * {@code bench/whole_runs_table.py} writes, drawn with XChart as a PNG.
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
        XYChart chart = new XYChartBuilder().width(760).height(420)
                .title("Fashion-MNIST 784-128-64-10, batch 64: training speed per epoch")
                .xAxisTitle("epoch").yAxisTitle("samples/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            double[] x = new double[e.getValue().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = e.getValue().get(i)[0];
                y[i] = e.getValue().get(i)[1];
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        String out = args[1];
        BitmapEncoder.saveBitmap(chart, out.substring(0, out.length() - ".png".length()), BitmapEncoder.BitmapFormat.PNG);
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
