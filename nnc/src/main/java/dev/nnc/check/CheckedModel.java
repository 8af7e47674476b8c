package dev.nnc.check;

import dev.nnc.diag.Pos;
import dev.nnc.diag.SourceFile;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.List;

/**
 * The checked program: one model with every name resolved, every shape known, {@code dense} layers
 * expanded into their parameters and defs inlined. Immutable; what every later stage starts from.
 *
 * @param bindings the named values in source order; {@code loss} is not among them
 * @param output   the name {@code output} gives, or null
 * @param data     the inline {@code data} block, or null
 */
public record CheckedModel(
        String name,
        SourceFile source,
        List<Variable> inputs,
        List<Variable> targets,
        List<Param> params,
        List<Binding> bindings,
        TExpr loss,
        String output,
        InlineData data,
        TrainConfig train) {

    public CheckedModel {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        params = List.copyOf(params);
        bindings = List.copyOf(bindings);
    }

    /** The same model with other train settings. */
    public CheckedModel withTrain(TrainConfig settings) {
        return new CheckedModel(name, source, inputs, targets, params, bindings, loss, output, data, settings);
    }

    /** Total number of learned values. */
    public long parameterCount() {
        return params.stream().mapToLong(p -> p.shape().size()).sum();
    }

    /**
     * An input or a target. For a {@code onehot} target, {@code shape} is the one-hot vector's
     * {@code [classes]}, and the data holds one label per sample.
     */
    public record Variable(String name, Shape shape, boolean onehot, Pos pos) {}

    /** A learned parameter and how it starts. */
    public record Param(String name, Shape shape, Init init, Pos pos) {}

    /** {@code name = value}. */
    public record Binding(String name, TExpr value, Pos pos) {}

    /** How a parameter gets its first value. */
    public sealed interface Init {
        /** Every element the same number (a number written for a tensor, or the default zero). */
        record Fill(double value) implements Init {}

        /** A literal of exactly the parameter's shape. */
        record Literal(Tensor value) implements Init {}

        record Normal(double mean, double std) implements Init {}

        record Uniform(double low, double high) implements Init {}

        /** Glorot uniform: bound {@code sqrt(6 / (fan_in + fan_out))}. */
        record Xavier() implements Init {}

        /** Kaiming normal, fan-in: std {@code sqrt(2 / fan_in)}. */
        record He() implements Init {}
    }

    /**
     * The {@code data} block: for each input and target, one row per sample, flattened row-major (a
     * {@code onehot} target's row is its label alone).
     */
    public record InlineData(List<String> names, List<double[][]> columns, int samples, Pos pos) {
        public InlineData {
            names = List.copyOf(names);
            columns = List.copyOf(columns);
        }

        public double[][] rows(String name) {
            int i = names.indexOf(name);
            return i < 0 ? null : columns.get(i);
        }
    }
}
