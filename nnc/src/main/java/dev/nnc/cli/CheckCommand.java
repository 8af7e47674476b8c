package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.tensor.Shape;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc check FILE}: parses and checks; lists inputs, targets and parameters with their shapes. */
@Command(name = "check", description = "Parse and check a model; print its inputs, targets and parameters.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckedModel m = Pipeline.check(options.file, options.model);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", m.name());
            doc.put("params", shapes(m.params().stream().map(p -> Map.entry(p.name(), p.shape())).toList()));
            doc.put("count", m.parameterCount());
            doc.put("inputs", shapes(m.inputs().stream().map(v -> Map.entry(v.name(), v.shape())).toList()));
            doc.put("targets", shapes(m.targets().stream().map(v -> Map.entry(v.name(), v.shape())).toList()));
            out.println(Json.write(doc));
        } else {
            out.print(text(m));
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> shapes(List<Map.Entry<String, Shape>> entries) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : entries) {
            result.put(e.getKey(), e.getValue().dims());
        }
        return result;
    }

    static String text(CheckedModel m) {
        int width = 1;
        int shapeWidth = 10; // a shape gets 12 columns, more when it is wider
        for (CheckedModel.Param p : m.params()) {
            width = Math.max(width, p.name().length());
            shapeWidth = Math.max(shapeWidth, p.shape().toString().length());
        }
        for (CheckedModel.Variable v : m.inputs()) {
            width = Math.max(width, v.name().length());
            shapeWidth = Math.max(shapeWidth, v.shape().toString().length());
        }
        for (CheckedModel.Variable v : m.targets()) {
            width = Math.max(width, v.name().length());
            shapeWidth = Math.max(shapeWidth, v.shape().toString().length());
        }
        String row = "  %-7s%-" + (width + 2) + "s%-" + (shapeWidth + 2) + "s%s";
        StringBuilder b = new StringBuilder("model " + m.name() + "\n");
        for (CheckedModel.Variable v : m.inputs()) {
            b.append(String.format(row, "input", v.name(), v.shape(), "").stripTrailing()).append('\n');
        }
        for (CheckedModel.Variable v : m.targets()) {
            b.append(String.format(row, "target", v.name(), v.shape(), v.onehot() ? "onehot" : "").stripTrailing()).append('\n');
        }
        for (CheckedModel.Param p : m.params()) {
            b.append(String.format(row, "param", p.name(), p.shape(), p.shape().size())).append('\n');
        }
        long count = m.parameterCount();
        b.append("  ").append(count).append(count == 1 ? " parameter" : " parameters").append('\n');
        return b.toString();
    }
}
