package dev.nnc.lower;

import java.util.List;

/**
 * The step of a per-sample {@link LoopProgram} over a chunk of up to {@code capacity} samples at
 * once, as {@link BatchLowering} decides it: the values that differ from sample to sample have a
 * row per sample ({@code h1} becomes the rows {@code h1_rows}), the others are {@code shared}; the
 * steps run in order, {@code nb <= capacity} rows at a time. A mini-batch larger than the capacity
 * runs in chunks; the sums of the gradients are the same.
 *
 * @param perSample   the program of one sample this runs over rows
 * @param purpose     {@link Lowering.Purpose#TRAIN} (the gradients, summed over the rows) or
 *                    {@link Lowering.Purpose#INFER} (the loss and the output of each row)
 * @param rows        the rows of every per-sample value, in the order they are found
 * @param operandRows rows an outer product's operand expression is computed into before its kernel
 * @param shared      the temporaries that are the same for every sample, computed once per chunk
 */
public record RowProgram(LoopProgram perSample, Lowering.Purpose purpose, int capacity, List<Rows> rows,
        List<OperandRows> operandRows, List<Var> shared, List<RowStep> steps) {

    public RowProgram {
        rows = List.copyOf(rows);
        operandRows = List.copyOf(operandRows);
        shared = List.copyOf(shared);
        steps = List.copyOf(steps);
    }

    /** What a kernel reads or writes: rows of samples, or a buffer shared by every sample. */
    public sealed interface Buffer {
        String name();
    }

    /**
     * The rows of a per-sample value: {@code name[r]} is sample {@code r}'s {@code value} (a scalar,
     * a vector, or a class label).
     */
    public record Rows(Var value, String name) implements Buffer {}

    /** Rows of {@code length} elements an outer product's operand, an expression of the sample, is computed into. */
    public record OperandRows(String name, int length, Elem value) implements Buffer {}

    /** A buffer the same for every row: a parameter, a gradient or a shared temporary. */
    public record Shared(Var var) implements Buffer {
        @Override
        public String name() {
            return var.name();
        }
    }

    public boolean isPerSample(Var v) {
        return rows.stream().anyMatch(r -> r.value().equals(v));
    }

    /** The rows of a per-sample value. */
    public Rows rowsOf(Var v) {
        return rows.stream().filter(r -> r.value().equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a per-sample value: " + v));
    }
}
