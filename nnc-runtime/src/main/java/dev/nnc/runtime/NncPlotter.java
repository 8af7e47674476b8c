package dev.nnc.runtime;

/**
 * Draws a run's training curves for {@code --plot F.png|F.svg}. The runtime needs nothing but the
 * JDK and draws no charts itself: {@code nnc train} lends it one made with a chart library, for the
 * run on its thread ({@link NncDriver#withPlotter}); the standalone trainer has none, and says so
 * when given {@code --plot} (its {@code --history F.csv} writes the same figures).
 */
public interface NncPlotter {

    /**
     * Writes the chart of {@code rows} to {@code out} as {@code format} ({@code "png"} or
     * {@code "svg"}). Each row is one epoch, keyed as the {@code --history} CSV's columns
     * ({@code epoch}, {@code loss}, {@code val_loss}, {@code val_accuracy}, {@code test_loss},
     * {@code test_accuracy}, {@code seconds}, {@code samples_per_second}); a figure the run does not
     * have is left out. {@code title} names the model.
     */
    void draw(String format, String title, java.util.List<java.util.Map<String, Object>> rows, java.io.OutputStream out)
            throws java.io.IOException;
}
