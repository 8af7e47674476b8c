package dev.nnc.cli;

import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import dev.nnc.eval.Reference;
import dev.nnc.graph.Node;
import dev.nnc.report.Report;
import dev.nnc.report.TraceTable;
import dev.nnc.syntax.SourceReader;
import dev.nnc.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code nnc report} shows, in words and numbers: the parameter table and the worked example of
 * {@code nnc trace} as a table (the numbers as {@code trace} prints them). A tensor of more than
 * {@value #SHOWN} elements is summarized (mean, spread, range) rather than printed.
 *
 * <pre>
 *   W2[2] = [0.4, 0.45]   -&gt;   Param("W2", "[2]", 2, "[0.4, 0.45]")
 * </pre>
 */
final class ReportContents {

    static final int SHOWN = 64;

    private ReportContents() {}

    /** The report of {@code model}; {@code samples} and {@code result} are null when there is no data to trace. */
    static Report of(Path file, CheckedModel model, Derivation derivation, TraceCommand.Samples samples, Reference.Result result,
            String curves) {
        List<Report.Param> params = new ArrayList<>();
        Map<String, Tensor> initial = InitialValues.params(model);
        for (CheckedModel.Param p : model.params()) {
            Tensor t = initial.get(p.name());
            params.add(new Report.Param(p.name(), p.shape().isScalar() ? "scalar" : p.shape().toString(), t.size(), cell(t)));
        }
        String source = SourceReader.read(file).text();
        TraceTable trace = result == null ? null : trace(model, derivation, samples, result);
        String note = model.name() + " has no data block: run nnc report with --data F for the worked example on rows of a data file.";
        return new Report(model.name(), String.valueOf(file.getFileName()), source, params, derivation, trace, note, curves);
    }

    private static TraceTable trace(CheckedModel model, Derivation derivation, TraceCommand.Samples samples, Reference.Result result) {
        List<Reference.SampleTrace> traces = result.samples();
        int n = traces.size();
        List<String> columns = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            columns.add(n == 1 ? "value" : "sample " + (s + 1));
        }
        List<TraceTable.Section> sections = new ArrayList<>();
        List<TraceTable.Row> given = new ArrayList<>();
        for (String name : TraceCommand.leaves(model, samples.rows().get(0)).keySet()) {
            List<String> values = new ArrayList<>();
            samples.rows().forEach(row -> values.add(cell(TraceCommand.leaves(model, row).get(name))));
            given.add(new TraceTable.Row(name, "", values));
        }
        InitialValues.params(model).forEach((name, value) -> given.add(new TraceTable.Row(name, "initial", List.of(cell(value)))));
        sections.add(new TraceTable.Section("given", given));
        List<TraceTable.Row> forward = new ArrayList<>();
        TraceCommand.expressions(derivation).forEach((name, expression) -> {
            List<String> values = new ArrayList<>();
            traces.forEach(t -> values.add(cell(name.equals("loss") ? Tensor.scalar(t.loss()) : t.forward().get(name))));
            forward.add(new TraceTable.Row(name, expression, values));
        });
        sections.add(new TraceTable.Section("forward", forward));
        List<TraceTable.Row> backward = new ArrayList<>();
        Map<String, String> adjoints = adjointExpressions(derivation);
        Map<Node, String> errors = GradientListing.of(derivation).layerErrors();
        for (String name : TraceCommand.backward(derivation, traces.get(0)).keySet()) {
            List<String> values = new ArrayList<>();
            traces.forEach(t -> values.add(cell(TraceCommand.backward(derivation, t).get(name))));
            backward.add(new TraceTable.Row(TraceCommand.label(derivation, errors, name), adjoints.getOrDefault(name, ""), values));
        }
        sections.add(new TraceTable.Section("backward", backward));
        if (n > 1) {
            List<TraceTable.Row> mean = new ArrayList<>();
            mean.add(new TraceTable.Row("loss", "", List.of(cell(Tensor.scalar(result.loss())))));
            result.gradients().forEach((p, v) -> mean.add(new TraceTable.Row("dloss/d" + p, "", List.of(cell(v)))));
            sections.add(new TraceTable.Section("batch: the mean over the " + n + " samples", mean));
        }
        String description = "At the initial parameters" + samples.description() + ". The backward expressions are the"
                + " gradient listing's, in its names (delta1, delta2, ... are the layers' errors dloss/dz and dname is dloss/dname, as defined under Gradients).";
        return new TraceTable(description, columns, sections);
    }

    /**
     * The adjoints the gradient listing spells out, by their trace names: each parameter's
     * {@code dloss/dW}, and a shared subterm named {@code d<binding>}, which is dloss/d&lt;binding&gt;.
     */
    private static Map<String, String> adjointExpressions(Derivation derivation) {
        Map<String, String> result = new LinkedHashMap<>();
        for (GradientListing.Equation e : GradientListing.of(derivation).equations(false)) {
            result.put(e.lhs().startsWith("dloss/d") ? e.lhs() : "dloss/" + e.lhs(), e.rhs());
        }
        return result;
    }

    /** A tensor as {@code nnc trace} prints it, or a summary of a large one. */
    static String cell(Tensor t) {
        if (t.size() <= SHOWN) {
            return TensorText.format(t, 0);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.size(); i++) {
            sum += t.get(i);
            min = Math.min(min, t.get(i));
            max = Math.max(max, t.get(i));
        }
        double mean = sum / t.size();
        double squares = 0;
        for (int i = 0; i < t.size(); i++) {
            squares += (t.get(i) - mean) * (t.get(i) - mean);
        }
        double std = Math.sqrt(squares / t.size());
        return t.size() + " values: mean " + TensorText.number(mean) + ", std " + TensorText.number(std) + ", from "
                + TensorText.number(min) + " to " + TensorText.number(max);
    }
}
