package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import dev.nnc.eval.Reference;
import dev.nnc.tensor.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc grad FILE}: the simplified symbolic gradient of {@code loss} for every parameter, then
 * its value at the initial parameters on the model's inline data (all rows as one batch).
 */
@Command(name = "grad", description = "Print the simplified gradient of loss for every parameter, and its value "
        + "at the initial parameters on the model's inline data.")
final class GradCommand implements Callable<Integer> {

    /** Notations of the listing that the language does not have, explained under it. */

    @Mixin
    ModelOptions options;

    @Option(names = "--latex", description = "Print the gradients in LaTeX (with --json: the expressions).")
    boolean latex;

    @Option(names = "--full", description = "Print every element of the values, however many (else a tensor of more than"
            + " 1,000 elements shows the first and last 3 of each long dimension around ..., as numpy does).")
    boolean full;

    @Option(names = "--stats", description = "Also print the size of the gradients before and after simplifying, "
            + "and the time taken.")
    boolean stats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckedModel model = Pipeline.check(options.file, options.model);
        long start = System.nanoTime();
        Derivation derivation = Pipeline.derive(model);
        double seconds = (System.nanoTime() - start) / 1e9;
        GradientListing listing = GradientListing.of(derivation);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(Json.write(json(model, derivation, listing, seconds)));
        } else if (latex) {
            out.print(listing.latex());
            if (stats) {
                out.print("% " + statsLine(derivation, seconds) + "\n");
            }
        } else {
            out.print(listingText(model, listing));
            out.flush(); // the expressions stand even when their values fail
            out.print(valuesText(model, derivation, full));
            if (stats) {
                out.print("\n" + statsLine(derivation, seconds) + "\n");
            }
            noteWithoutData(model);
        }
        out.flush();
        return 0;
    }

    private static String listingText(CheckedModel model, GradientListing listing) {
        StringBuilder b = new StringBuilder(model.name()).append(": the gradients of loss\n\n");
        b.append(indent(listing.text()));
        String notes = notes(listing.notes());
        if (!notes.isEmpty()) {
            b.append('\n').append(notes);
        }
        return b.toString();
    }

    private static String valuesText(CheckedModel model, Derivation derivation, boolean full) {
        if (!InitialValues.available(model)) {
            return "";
        }
        Reference.Result result = InitialValues.run(model, derivation);
        List<String> names = new ArrayList<>(List.of("loss"));
        List<Tensor> values = new ArrayList<>(List.of(Tensor.scalar(result.loss())));
        result.gradients().forEach((param, value) -> {
            names.add("dloss/d" + param);
            values.add(value);
        });
        return "\n" + valuesHeader(model) + "\n\n" + TensorText.assignments(names, values, "  ", full);
    }

    private static String valuesHeader(CheckedModel model) {
        if (model.data() == null) {
            return "at the initial parameters:";
        }
        int n = model.data().samples();
        return n == 1 ? "at the initial parameters, on the one sample of the data block:"
                : "at the initial parameters, the mean over the " + n + " samples of the data block (one batch):";
    }

    private static String notes(List<String> used) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < used.size(); i++) {
            b.append(i == 0 ? "where " : "      ").append(used.get(i)).append('\n');
        }
        return b.toString();
    }

    private static String indent(String lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines.split("\n", -1)) {
            b.append(line.isEmpty() ? "" : "  ").append(line).append('\n');
        }
        return b.toString().stripTrailing() + "\n";
    }

    private static String statsLine(Derivation d, double seconds) {
        return "simplified from " + d.nodesBefore() + " nodes to " + d.nodesAfter() + " in "
                + Math.round(seconds * 1000) + " ms";
    }

    private void noteWithoutData(CheckedModel model) {
        if (!InitialValues.available(model)) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(options.file + ": note: " + model.name() + " has no data block, so no values are shown "
                    + "(grad evaluates the gradients on the model's inline data)");
            err.flush();
        }
    }

    private Map<String, Object> json(CheckedModel model, Derivation derivation, GradientListing listing, double seconds) {
        if (!InitialValues.available(model)) {
            throw InitialValues.noData(model, "evaluate the gradients");
        }
        Reference.Result result = InitialValues.run(model, derivation);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model.name());
        doc.put("loss", result.loss());
        Map<String, Object> gradients = new LinkedHashMap<>();
        result.gradients().forEach((param, value) -> gradients.put(param, TensorText.json(value)));
        doc.put("gradients", gradients);
        doc.put("expressions", new LinkedHashMap<>(listing.inline(latex)));
        if (stats) {
            Map<String, Object> nodes = new LinkedHashMap<>();
            nodes.put("before", derivation.nodesBefore());
            nodes.put("after", derivation.nodesAfter());
            doc.put("nodes", nodes);
            doc.put("seconds", seconds);
        }
        return doc;
    }
}
