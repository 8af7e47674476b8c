package dev.nnc.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one sweep point; a figure that was not measured (no PyTorch, a failed run) is NaN.
 * Both ratios read "above 1: nnc is faster": steady nnc samples/s over PyTorch's, whole-run
 * PyTorch seconds over nnc's. The warm-up ratio is nnc's own: its whole run's first epoch's samples/s
 * over the best of its later epochs (issue 19: no point below 80% of its steady speed after the
 * first 10% of a 5-epoch run; an epoch 1 at 0.8 or more meets that).
 */
public record SweepResult(SweepPoint point, int dataSamples, double nncSteady, int nncThreads, double torchSteady,
        int torchThreads, double nncWholeSeconds, double torchWholeSeconds, int torchWholeThreads,
        double nncFirstEpoch, double nncLaterEpochs) {

    /** The columns of {@code results.csv}, in order. */
    public static final List<String> COLUMNS = List.of("width", "in", "hidden", "out", "depth", "batch", "optimizer",
            "data_samples", "nnc_steady_sps", "nnc_steady_threads", "torch_steady_sps", "torch_steady_threads",
            "steady_ratio", "nnc_whole_s", "torch_whole_s", "torch_whole_threads", "whole_ratio",
            "nnc_epoch1_sps", "nnc_later_epochs_median_sps", "warmup_ratio");

    public double steadyRatio() {
        return nncSteady / torchSteady;
    }

    public double wholeRatio() {
        return torchWholeSeconds / nncWholeSeconds;
    }

    /** nnc's first epoch's samples/s over the median of its later epochs', in the whole run. */
    public double warmupRatio() {
        return nncFirstEpoch / nncLaterEpochs;
    }

    /** One line of {@code results.csv}; NaN is an empty field. */
    public String csv() {
        SweepPoint p = point;
        return String.join(",", List.of(String.valueOf(p.width()), String.valueOf(p.width()), String.valueOf(p.hidden()),
                String.valueOf(p.width()), String.valueOf(p.depth()), String.valueOf(p.batch()), p.optimizer(),
                String.valueOf(dataSamples), field(nncSteady, 1), String.valueOf(nncThreads), field(torchSteady, 1),
                String.valueOf(torchThreads), field(steadyRatio(), 3), field(nncWholeSeconds, 3),
                field(torchWholeSeconds, 3), String.valueOf(torchWholeThreads), field(wholeRatio(), 3),
                field(nncFirstEpoch, 1), field(nncLaterEpochs, 1), field(warmupRatio(), 3)));
    }

    /** Reads a line that {@link #csv()} wrote. */
    public static SweepResult parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS.size()) {
            throw new IllegalArgumentException("a results.csv line has " + COLUMNS.size() + " fields, found " + f.length + ": " + line);
        }
        SweepPoint p = new SweepPoint(Integer.parseInt(f[0]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), f[6]);
        return new SweepResult(p, Integer.parseInt(f[7]), number(f[8]), Integer.parseInt(f[9]), number(f[10]),
                Integer.parseInt(f[11]), number(f[13]), number(f[14]), Integer.parseInt(f[15]), number(f[17]), number(f[18]));
    }

    /** The Markdown table of {@code results}, then the worst five points of each ratio. */
    public static String markdown(List<SweepResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| width (in, hidden, out) | depth | batch | optimizer | nnc samples/s | PyTorch samples/s | steady nnc/PyTorch "
                + "| nnc 5 epochs | PyTorch 5 epochs | whole-run nnc/PyTorch | nnc epoch 1 / median later epoch |\n");
        b.append("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (SweepResult r : results) {
            SweepPoint p = r.point;
            b.append(String.format(Locale.ROOT, "| %d (%d, %d, %d) | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    p.width(), p.width(), p.hidden(), p.width(), p.depth(), p.batch(), p.optimizer(),
                    shown(r.nncSteady, "%,.0f"), shown(r.torchSteady, "%,.0f"), shown(r.steadyRatio(), "%.2fx"),
                    shown(r.nncWholeSeconds, "%.2f s"), shown(r.torchWholeSeconds, "%.2f s"), shown(r.wholeRatio(), "%.2fx"),
                    shown(r.warmupRatio(), "%.2f")));
        }
        b.append('\n').append(worst("steady state, nnc/PyTorch", results, SweepResult::steadyRatio));
        b.append(worst("whole 5-epoch run, nnc/PyTorch", results, SweepResult::wholeRatio));
        b.append(worst("warm-up, nnc's epoch 1 over the median of its later epochs", results, SweepResult::warmupRatio));
        return b.toString();
    }

    /** The five points with the lowest ratio, as a Markdown list. */
    static String worst(String what, List<SweepResult> results, java.util.function.ToDoubleFunction<SweepResult> ratio) {
        List<SweepResult> measured = new ArrayList<>(results.stream().filter(r -> Double.isFinite(ratio.applyAsDouble(r))).toList());
        if (measured.isEmpty()) {
            return "Worst points, " + what + ": no ratios (PyTorch not run).\n\n";
        }
        measured.sort(Comparator.comparingDouble(ratio));
        StringBuilder b = new StringBuilder("Worst points, " + what + ":\n\n");
        for (SweepResult r : measured.subList(0, Math.min(5, measured.size()))) {
            b.append(String.format(Locale.ROOT, "- %s: %.2f%n", r.point.name(), ratio.applyAsDouble(r)));
        }
        return b.append('\n').toString();
    }

    private static String field(double x, int digits) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%." + digits + "f", x) : "";
    }

    private static String shown(double x, String format) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, format, x) : "-";
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
