package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.autodiff.GradientListing;
import dev.nnc.check.CheckedModel;
import dev.nnc.eval.Reference;
import dev.nnc.graph.ExprPrinter;
import dev.nnc.graph.ForwardGraph;
import dev.nnc.graph.Node;
import dev.nnc.tensor.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import dev.nnc.runtime.Support;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nnc trace FILE}: the worked example of a tutorial, with numbers. What is given (inputs,
 * targets, initial parameters), every named value of the forward pass and the loss, then every
 * adjoint dloss/dname of the backward pass, nearest the loss first, then the parameters' gradients;
 * for a batch, one such block per sample and then the mean loss and gradients.
 */
@Command(name = "trace", description = "Show the worked example: every forward value and every adjoint of the "
        + "backward pass, with numbers, on the model's inline data or the rows of a data file.")
final class TraceCommand implements Callable<Integer> {

    private static final int ALIGN_LIMIT = 32;

    @Mixin
    ModelOptions options;

    @Mixin
    TraceRows on;

    @Option(names = "--full", description = "Print every element of the values, however many (else a tensor of more than"
            + " 1,000 elements shows the first and last 3 of each long dimension around ..., as numpy does).")
    boolean full;

    @Spec
    CommandSpec spec;

    /** The samples a trace runs on, and how its heading names them ({@code on the one sample of the data block}). */
    record Samples(List<Map<String, double[]>> rows, String description) {}

    @Override
    public Integer call() {
        on.check(spec);
        CheckedModel model = Pipeline.check(options.file, options.model);
        Samples samples;
        try {
            samples = on.samples(model);
        } catch (Support.DataError e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("nnc: " + e.getMessage());
            err.flush();
            return Main.INPUT_ERROR;
        }
        if (samples == null) {
            throw InitialValues.noData(model, "evaluate the trace");
        }
        Derivation derivation = Pipeline.derive(model);
        Reference.Result result = InitialValues.run(model, derivation, samples.rows());
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.json ? Json.write(json(model, derivation, result)) + "\n" : text(model, derivation, result, samples, full));
        out.flush();
        return 0;
    }

    /** The data block's samples, the first {@code rows} of them when given. */
    static Samples inline(CheckedModel model, Integer rows) {
        List<Map<String, double[]>> all = Reference.samples(model, model.data());
        int n = rows == null ? all.size() : Math.min(rows, all.size());
        String description = model.data() == null ? ""
                : n < all.size() ? ", on the first " + count(n, "sample") + " of the data block's " + all.size() + " (one batch)"
                : n > 1 ? ", on the " + n + " samples of the data block (one batch)" : ", on the one sample of the data block";
        return new Samples(all.subList(0, n), description);
    }

    /** The first {@code rows} rows of {@code file} (fewer when it has fewer), read as {@code train --data} reads it, in f64. */
    static Samples fromFile(CheckedModel model, String file, int rows) {
        List<Support.Variable> variables = ReadAhead.Plan.of(model).variables();
        Support.Dataset d = Support.readData(file, null, variables, true);
        int n = Math.min(rows, d.samples());
        List<Map<String, double[]>> samples = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            Map<String, double[]> row = new LinkedHashMap<>();
            for (int v = 0; v < variables.size(); v++) {
                Support.Variable var = variables.get(v);
                double[] values = new double[var.size()];
                if (d.labels(v) != null) {
                    values[d.labels(v)[s]] = 1;
                } else {
                    System.arraycopy(d.f64(v), s * var.size(), values, 0, var.size());
                }
                row.put(var.name(), values);
            }
            samples.add(row);
        }
        String description = n == 1 ? ", on row 1 of " + file : ", on rows 1 to " + n + " of " + file + " (one batch)";
        return new Samples(samples, description);
    }

    private static String count(int n, String what) {
        return n == 1 ? "one " + what : n + " " + what + "s";
    }

    static String text(CheckedModel model, Derivation derivation, Reference.Result result) {
        return text(model, derivation, result, inline(model, null));
    }

    static String text(CheckedModel model, Derivation derivation, Reference.Result result, Samples on) {
        return text(model, derivation, result, on, false);
    }

    /** The worked example as text; {@code full}: every element of every value, else large tensors abbreviated. */
    static String text(CheckedModel model, Derivation derivation, Reference.Result result, Samples on, boolean full) {
        List<Map<String, double[]>> samples = on.rows();
        Map<String, Tensor> params = InitialValues.params(model);
        boolean batch = samples.size() > 1;
        StringBuilder b = new StringBuilder(model.name()).append(": the worked example, at the initial parameters");
        b.append(on.description()).append("\n\n");
        if (batch) {
            b.append("parameters\n").append(assign(params, "  ", full)).append('\n');
        }
        for (int s = 0; s < samples.size(); s++) {
            String indent = batch ? "  " : "";
            if (batch) {
                b.append("sample ").append(s + 1).append('\n');
            }
            Map<String, Tensor> given = new LinkedHashMap<>(leaves(model, samples.get(s)));
            if (!batch) {
                given.putAll(params);
            }
            if (!given.isEmpty()) {
                b.append(indent).append("given\n").append(assign(given, indent + "  ", full));
            }
            String gap = batch ? "" : "\n"; // one sample: the sections stand apart, as in a tutorial
            if (!given.isEmpty()) {
                b.append(gap);
            }
            Reference.SampleTrace trace = result.samples().get(s);
            b.append(indent).append("forward\n").append(forward(derivation, trace, indent + "  ", full)).append(gap);
            b.append(indent).append("backward\n").append(assign(labelErrors(derivation, backward(derivation, trace)), indent + "  ", full));
            b.append('\n');
        }
        if (batch) {
            Map<String, Tensor> mean = new LinkedHashMap<>();
            mean.put("loss", Tensor.scalar(result.loss()));
            result.gradients().forEach((p, v) -> mean.put("dloss/d" + p, v));
            b.append("batch: the mean over the ").append(samples.size()).append(" samples\n").append(assign(mean, "  ", full));
        }
        return b.toString().stripTrailing() + "\n";
    }

    /** The inputs and targets of one sample, shaped (a onehot target as its vector). */
    static Map<String, Tensor> leaves(CheckedModel model, Map<String, double[]> sample) {
        Map<String, Tensor> given = new LinkedHashMap<>();
        List<CheckedModel.Variable> vars = new ArrayList<>(model.inputs());
        vars.addAll(model.targets());
        for (CheckedModel.Variable v : vars) {
            given.put(v.name(), new Tensor(v.shape(), sample.get(v.name())));
        }
        return given;
    }

    /** {@code name = expression = value} for every binding and the loss, both columns aligned. */
    private static String forward(Derivation derivation, Reference.SampleTrace trace, String indent, boolean full) {
        List<String> lhs = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        Map<String, String> expressions = expressions(derivation);
        expressions.forEach((name, expr) -> {
            lhs.add(name);
            values.add(name.equals("loss") ? Tensor.scalar(trace.loss()) : trace.forward().get(name));
        });
        int nameWidth = lhs.stream().mapToInt(String::length).max().orElse(0);
        // values line up in a column, except after a long expression, which would push them all far right
        int exprWidth = expressions.values().stream().mapToInt(String::length).filter(w -> w <= ALIGN_LIMIT)
                .max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lhs.size(); i++) {
            String name = lhs.get(i);
            String expr = expressions.get(name);
            String line = indent + pad(name, nameWidth) + " = " + pad(expr, exprWidth) + " = ";
            b.append(line).append(TensorText.format(values.get(i), line.length(), full)).append('\n');
        }
        return b.toString();
    }

    /**
     * Each binding's expression in terms of the names above it, then the loss's. A name that merely
     * repeats an earlier one ({@code a = h}) shows that name.
     */
    static Map<String, String> expressions(Derivation derivation) {
        ForwardGraph fwd = derivation.forward();
        Map<Node, String> names = GradientListing.bindingNames(derivation);
        Map<String, String> result = new LinkedHashMap<>();
        fwd.bindings().forEach((name, node) -> {
            String first = names.get(node);
            if (first != null && !first.equals(name)) {
                result.put(name, first);
            } else {
                Map<Node, String> others = new LinkedHashMap<>(names);
                others.remove(node);
                result.put(name, new ExprPrinter(others, false).print(node));
            }
        });
        result.put("loss", new ExprPrinter(names, false).print(fwd.loss()));
        return result;
    }

    /** The adjoints the backward pass computes: bindings the loss does not depend on have none. */
    static Map<String, Tensor> backward(Derivation derivation, Reference.SampleTrace trace) {
        Map<String, Tensor> result = new LinkedHashMap<>();
        trace.backward().forEach((name, value) -> {
            Node binding = derivation.forward().bindings().get(name);
            if (binding == null || derivation.simplified().adjoint(binding) != null) {
                result.put("dloss/d" + name, value);
            }
        });
        return result;
    }

    /**
     * The text's labels: a layer's error as the listing names it, {@code delta2 = dloss/dz2}, the
     * way the tutorials' worked examples write it; other adjoints as they are.
     */
    private static Map<String, Tensor> labelErrors(Derivation derivation, Map<String, Tensor> backward) {
        Map<Node, String> errors = GradientListing.of(derivation).layerErrors();
        Map<String, Tensor> labelled = new LinkedHashMap<>();
        backward.forEach((label, value) -> labelled.put(label(derivation, errors, label), value));
        return labelled;
    }

    /** {@code delta2 = dloss/dz2} for a layer's error ({@link GradientListing#layerErrors}), else {@code label}. */
    static String label(Derivation derivation, Map<Node, String> errors, String label) {
        Node binding = derivation.forward().bindings().get(label.substring("dloss/d".length()));
        String delta = binding == null ? null : errors.get(derivation.simplified().adjoint(binding));
        return delta == null ? label : delta + " = " + label;
    }

    private static String assign(Map<String, Tensor> values, String indent, boolean full) {
        return TensorText.assignments(new ArrayList<>(values.keySet()), new ArrayList<>(values.values()), indent, full);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /**
     * {@code {"model", "samples", "forward", "backward", "loss", "gradients"}}: with one sample each
     * forward and backward value is that sample's; with several, a list with one value per sample.
     * {@code loss} and {@code gradients} are the batch means.
     */
    static Map<String, Object> json(CheckedModel model, Derivation derivation, Reference.Result result) {
        List<Reference.SampleTrace> traces = result.samples();
        Function<Function<Reference.SampleTrace, Object>, Object> perSample = f -> {
            if (traces.size() == 1) {
                return f.apply(traces.get(0));
            }
            List<Object> list = new ArrayList<>();
            traces.forEach(t -> list.add(f.apply(t)));
            return list;
        };
        Map<String, Object> forward = new LinkedHashMap<>();
        for (String name : derivation.forward().bindings().keySet()) {
            forward.put(name, perSample.apply(t -> TensorText.json(t.forward().get(name))));
        }
        forward.put("loss", perSample.apply(Reference.SampleTrace::loss));
        Map<String, Object> backward = new LinkedHashMap<>();
        for (String name : backward(derivation, traces.get(0)).keySet()) {
            String plain = name.substring("dloss/d".length());
            backward.put(plain, perSample.apply(t -> TensorText.json(t.backward().get(plain))));
        }
        Map<String, Object> gradients = new LinkedHashMap<>();
        result.gradients().forEach((p, v) -> gradients.put(p, TensorText.json(v)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model.name());
        doc.put("samples", traces.size());
        doc.put("forward", forward);
        doc.put("backward", backward);
        doc.put("loss", result.loss());
        doc.put("gradients", gradients);
        return doc;
    }
}
