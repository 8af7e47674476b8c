package dev.nnc.bench;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The heat map of {@code bench/sweep.sh}: the ratios nnc/PyTorch of every point, steady state on the
 * left, whole 5-epoch runs on the right; a column per width, a row per (depth, optimizer, batch);
 * each cell red below 1 (PyTorch faster), green above, white at 1, on a log scale clipped at 1/8
 * and 8, with its ratio written in it (a grey "-" where it was not measured). Drawn with JFreeChart.
 *
 * <pre>
 *   java -cp 'nnc-bench/target/benchmarks.jar:nnc-bench/target/lib/*' dev.nnc.bench.SweepHeatMap results.csv heatmap.png
 * </pre>
 */
public final class SweepHeatMap {

    static final int WIDTH = 1200;
    static final int HEADER = 140;
    static final int ROW = 34;

    private SweepHeatMap() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].endsWith(".png")) {
            System.err.println("usage: SweepHeatMap RESULTS.csv OUT.png");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<SweepResult> results = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(SweepResult::parse).toList();
        draw(results, Path.of(args[1]));
    }

    /** The PNG's size for a sweep of {@code rows} (depth, optimizer, batch) rows. */
    public static Dimension size(int rows) {
        return new Dimension(WIDTH, HEADER + ROW * Math.max(rows, 1));
    }

    /** Draws both panels of {@code results} into {@code png}. */
    public static void draw(List<SweepResult> results, Path png) throws IOException {
        List<Integer> widths = results.stream().map(r -> r.point().width()).distinct().sorted().toList();
        List<String> rows = results.stream().map(SweepHeatMap::row).distinct().toList();
        Dimension size = size(rows.size());
        BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size.width, size.height);
        int half = size.width / 2;
        panel("steady state, nnc/PyTorch samples/s", results, widths, rows, SweepResult::steadyRatio)
                .draw(g, new Rectangle2D.Double(0, 0, half, size.height));
        panel("whole run, PyTorch/nnc seconds", results, widths, rows, SweepResult::wholeRatio)
                .draw(g, new Rectangle2D.Double(half, 0, size.width - half, size.height));
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** A row's label: {@code d1 sgd b64}. */
    static String row(SweepResult r) {
        return "d" + r.point().depth() + " " + r.point().optimizer() + " b" + r.point().batch();
    }

    private static JFreeChart panel(String title, List<SweepResult> results, List<Integer> widths, List<String> rows,
            ToDoubleFunction<SweepResult> ratio) {
        int n = results.size();
        double[][] cells = new double[3][n];
        XYBlockRenderer renderer = new XYBlockRenderer();
        List<XYTextAnnotation> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SweepResult r = results.get(i);
            double x = widths.indexOf(r.point().width());
            double y = rows.indexOf(row(r));
            double value = ratio.applyAsDouble(r);
            cells[0][i] = x;
            cells[1][i] = y;
            cells[2][i] = value;
            XYTextAnnotation label = new XYTextAnnotation(
                    Double.isFinite(value) ? String.format(Locale.ROOT, "%.2fx", value) : "-", x, y);
            label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            labels.add(label);
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("ratio", cells);
        renderer.setPaintScale(new RatioScale());
        SymbolAxis xAxis = new SymbolAxis("width (input = output)", widths.stream().map(String::valueOf).toArray(String[]::new));
        SymbolAxis yAxis = new SymbolAxis(null, rows.toArray(String[]::new));
        xAxis.setGridBandsVisible(false);
        yAxis.setGridBandsVisible(false);
        yAxis.setInverted(true);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        labels.forEach(plot::addAnnotation);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** log2 of the ratio, clipped to [-3, 3]: red below 0, white at 0, green above; grey where not measured. */
    static final class RatioScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return -3;
        }

        @Override
        public double getUpperBound() {
            return 3;
        }

        @Override
        public java.awt.Paint getPaint(double ratio) {
            if (!Double.isFinite(ratio) || ratio <= 0) {
                return new Color(0xdddddd);
            }
            double t = Math.max(-1, Math.min(1, Math.log(ratio) / Math.log(2) / 3));
            int fade = (int) Math.round(255 * (1 - Math.abs(t)));
            return t < 0 ? new Color(230, fade, fade) : new Color(fade, 200 + (int) Math.round(55 * (1 - t)), fade);
        }
    }
}
