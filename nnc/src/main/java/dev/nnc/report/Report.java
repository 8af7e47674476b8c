package dev.nnc.report;

import dev.nnc.autodiff.Derivation;
import java.util.List;

/**
 * Everything one {@code nnc report} page shows, gathered by the command: the model's source, its
 * parameters, its derivation (graphs and gradients come from it), the worked example (or why there
 * is none) and, after training, the curves as an SVG document.
 *
 * @param trace     the worked example, or null when there is nothing to run it on
 * @param traceNote a sentence shown instead of the table when {@code trace} is null
 * @param curves    the training curves as an {@code <svg>} element, or null without {@code --train}
 */
public record Report(String model, String file, String source, List<Param> params, Derivation derivation,
        TraceTable trace, String traceNote, String curves) {

    public Report {
        params = List.copyOf(params);
    }

    /** One row of the parameter table: the initial values in words ({@code [0.4, 0.45]}, or a summary). */
    public record Param(String name, String shape, long elements, String initial) {}
}
