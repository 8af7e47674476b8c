package dev.nnc.runtime;

/** What a trainer prints while it trains: one line per epoch, or a progress bar on a terminal. */
public final class NncProgress {

    private NncProgress() {}

    /** {@code epoch 3/10  loss 0.412351  1,234,567 samples/s}. */
    static String epochLine(int epoch, int epochs, double loss, double samplesPerSecond) {
        return "epoch " + epoch + "/" + epochs + "  loss " + loss(loss) + "  " + grouped(samplesPerSecond) + " samples/s";
    }

    /** With the test set's loss and accuracy; a NaN accuracy (a model without classes) is left out. */
    static String epochLine(int epoch, int epochs, double loss, double samplesPerSecond, double testLoss, double testAccuracy) {
        String line = epochLine(epoch, epochs, loss, samplesPerSecond) + "  test loss " + fixed(testLoss, 4);
        return Double.isNaN(testAccuracy) ? line : line + "  test acc " + fixed(testAccuracy, 4);
    }

    /**
     * {@code epoch 3/10  loss 0.412351  1,234,567 samples/s}, then the validation and test figures
     * the epoch has ({@code val loss 0.4213  val acc 0.8812  test loss ...}).
     */
    static String epochLine(EpochStats e, int epochs) {
        StringBuilder line = new StringBuilder(epochLine(e.epoch(), epochs, e.loss(), e.samplesPerSecond()));
        figures(line, "val", e.validationLoss(), e.validationAccuracy());
        figures(line, "test", e.testLoss, e.testAccuracy);
        return line.toString();
    }

    private static void figures(StringBuilder line, String what, double loss, double accuracy) {
        if (!Double.isNaN(loss)) {
            line.append("  ").append(what).append(" loss ").append(fixed(loss, 4));
            if (!Double.isNaN(accuracy)) {
                line.append("  ").append(what).append(" acc ").append(fixed(accuracy, 4));
            }
        }
    }

    /** The columns of {@code --history} and the keys of {@code --json}'s {@code history}. */
    static final String[] HISTORY = {"epoch", "loss", "val_loss", "val_accuracy", "test_loss", "test_accuracy", "seconds",
        "samples_per_second"};

    /** One epoch by {@link #HISTORY}'s names; figures that do not apply are left out. */
    static java.util.Map<String, Object> historyRow(EpochStats e) {
        double[] values = {e.epoch(), e.loss(), e.validationLoss(), e.validationAccuracy(), e.testLoss, e.testAccuracy, e.seconds(),
            e.samplesPerSecond()};
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int k = 0; k < HISTORY.length; k++) {
            if (k == 0) {
                row.put(HISTORY[k], e.epoch());
            } else if (!Double.isNaN(values[k])) {
                row.put(HISTORY[k], values[k]);
            }
        }
        return row;
    }

    /** Writes {@code --history}: a header, then one row per epoch, empty cells where a figure does not apply. Atomic. */
    static void writeHistory(java.nio.file.Path file, java.util.List<EpochStats> epochs) {
        StringBuilder b = new StringBuilder(String.join(",", HISTORY)).append('\n');
        for (EpochStats e : epochs) {
            java.util.Map<String, Object> row = historyRow(e);
            for (int k = 0; k < HISTORY.length; k++) {
                Object v = row.get(HISTORY[k]);
                b.append(k == 0 ? "" : ",").append(v == null ? "" : v instanceof Double d ? NncJson.number(d) : v.toString());
            }
            b.append('\n');
        }
        byte[] bytes = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        NncFiles.replace(file, out -> out.write(bytes));
    }

    /**
     * Draws {@code --plot}'s picture of {@code epochs} with the plotter of this thread's run
     * ({@link NncDriver#withPlotter}), atomically like every file the trainer writes; says on
     * {@code err} what it drew, or why it could not, and returns whether it did.
     */
    static boolean drawPlot(String plot, String title, java.util.List<EpochStats> epochs, java.io.PrintStream err) {
        NncPlotter plotter = NncDriver.plotter();
        if (epochs.isEmpty() || plotter == null) {
            err.println(epochs.isEmpty() ? "no epoch finished, so --plot " + plot + " is not drawn"
                    : "--plot " + plot + ": nothing to draw with");
            return epochs.isEmpty();
        }
        java.util.List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
        for (EpochStats e : epochs) {
            rows.add(historyRow(e));
        }
        try {
            NncFiles.replace(NncDriver.file(plot), out -> plotter.draw(NncDriver.plotFormat(plot), title, rows, out));
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError v) {
                throw v;
            }
            // a file that cannot be written, or the chart library's failure (no fonts: an AWTError)
            err.println("error: cannot draw --plot " + plot + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return false;
        }
        err.println("drew the training curves in " + plot);
        return true;
    }

    /** Whether to draw a progress bar rather than print one line per epoch. */
    static boolean interactive() {
        return System.console() != null;
    }

    /**
     * {@code epoch 3/10 [=========>          ]  45%  loss 0.412351  123,456 samples/s  ETA 1:05},
     * where the ETA is for the whole run at the current epoch's speed.
     */
    static String progressLine(int epoch, int epochs, long done, long total, double loss, double samplesPerSecond, int width) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) (fraction * width);
        StringBuilder bar = new StringBuilder(width + 2).append('[');
        for (int i = 0; i < width; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        long remaining = (long) (epochs - epoch) * total + Math.max(0, total - done);
        String eta = samplesPerSecond > 0 ? duration(remaining / samplesPerSecond) : "?";
        return "epoch " + epoch + "/" + epochs + " " + bar + " " + String.format(java.util.Locale.ROOT, "%3d%%", (int) (fraction * 100))
                + "  loss " + loss(loss) + "  " + grouped(samplesPerSecond) + " samples/s  ETA " + eta;
    }

    /** Redraws {@link #progressLine} in place with {@code \r}, at most ten times a second. */
    static final class ProgressBar {
        private static final long INTERVAL = 100_000_000L;
        private final java.io.PrintStream out;
        private final int epochs;
        private final long samplesPerEpoch;
        private int epoch;
        private long epochStart;
        private long lastDrawn;
        private int lastLength;

        ProgressBar(java.io.PrintStream out, int epochs, long samplesPerEpoch) {
            this.out = out;
            this.epochs = epochs;
            this.samplesPerEpoch = samplesPerEpoch;
        }

        void startEpoch(int epoch) {
            this.epoch = epoch;
            this.epochStart = System.nanoTime();
            this.lastDrawn = epochStart - INTERVAL;
        }

        /** {@code done} samples of this epoch so far, with their mean loss. */
        void update(long done, double meanLoss) {
            long now = System.nanoTime();
            if (now - lastDrawn < INTERVAL && done < samplesPerEpoch) {
                return;
            }
            lastDrawn = now;
            double seconds = Math.max(1e-9, (now - epochStart) / 1e9);
            draw(progressLine(epoch, epochs, done, samplesPerEpoch, meanLoss, done / seconds, 20));
        }

        /** Ends a bar that is drawn, so that a message printed next starts on a line of its own. */
        void stop() {
            if (lastLength > 0) {
                out.print('\n');
                out.flush();
                lastLength = 0;
            }
        }

        /** Replaces the bar with the epoch's final line. */
        void endEpoch(String line) {
            draw(line);
            out.print('\n');
            out.flush();
            lastLength = 0;
        }

        private void draw(String text) {
            StringBuilder b = new StringBuilder("\r").append(text);
            for (int i = text.length(); i < lastLength; i++) {
                b.append(' ');
            }
            lastLength = text.length();
            out.print(b);
            out.flush();
        }
    }

    /** Six decimals, or four significant digits in scientific form below 1e-3. */
    static String loss(double x) {
        return x != 0 && Math.abs(x) < 1e-3 ? String.format(java.util.Locale.ROOT, "%.4e", x) : fixed(x, 6);
    }

    static String fixed(double x, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", x);
    }

    static String grouped(double x) {
        return Double.isFinite(x) ? String.format(java.util.Locale.ROOT, "%,d", Math.round(x)) : "?";
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
