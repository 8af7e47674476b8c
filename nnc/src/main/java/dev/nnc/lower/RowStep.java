package dev.nnc.lower;

import java.util.List;

/**
 * One step of a {@link RowProgram}: work over the {@code nb} rows of a chunk, or done once for
 * all of them. Each carries the symbolic term it computes, as {@link Step} does.
 */
public sealed interface RowStep {

    String term();

    /** Each row's sample copied from the data set into the rows of the inputs, then of the targets. */
    record Gather(List<RowProgram.Rows> into) implements RowStep {
        public Gather {
            into = List.copyOf(into);
        }

        @Override
        public String term() {
            return "the inputs and targets of the chunk's samples";
        }
    }

    /** The runtime's three products of a block of rows, {@code left} having {@code nb} rows. */
    enum Form {
        /** {@code out[r] = left[r] @ right'}: right is a matrix [m][n]. */
        NT,
        /** {@code out[r] = left[r] @ right}: right is a matrix [n][m]. */
        NN,
        /** {@code out += left' @ right}: the sum over the rows of {@code left[r] outer right[r]}, out is [n][m]. */
        TN
    }

    /**
     * A product over all rows at once, then {@code epilogue} over each element of each row of
     * {@code out} ({@link Elem.Product} when there is none). {@link Form#NT} and {@link Form#NN} take
     * rows and a shared matrix to rows of length {@code m}, reducing rows of length {@code n};
     * {@link Form#TN} adds the rows' outer products into a shared [n][m] buffer (a gradient), after
     * computing any {@link RowProgram.OperandRows} it reads. {@code kernel} is the loop nest that runs
     * it, {@link KernelChoice#of} from the sizes.
     */
    record Kernel(Form form, RowProgram.Buffer left, RowProgram.Buffer right, RowProgram.Buffer out, int n, int m,
            boolean accumulate, Elem epilogue, String term, KernelChoice kernel) implements RowStep {
        public Kernel {
            boolean valid = form == Form.TN
                    ? accumulate && !(left instanceof RowProgram.Shared) && !(right instanceof RowProgram.Shared)
                            && out instanceof RowProgram.Shared
                    : !accumulate && left instanceof RowProgram.Rows && right instanceof RowProgram.Shared
                            && out instanceof RowProgram.Rows;
            if (!valid) {
                throw new IllegalArgumentException("a " + form + " kernel from " + left + " and " + right + " into " + out
                        + (accumulate ? " (accumulating)" : ""));
            }
        }
    }

    /** Per-sample steps that run once for each row, in one loop over the rows, each on its row's values. */
    record PerRow(List<Step> steps) implements RowStep {
        public PerRow {
            steps = List.copyOf(steps);
        }

        @Override
        public String term() {
            return steps.stream().map(Step::term).reduce((a, b) -> a + "; " + b).orElse("");
        }
    }

    /** A step whose value is the same for every sample: once per chunk, on shared buffers. */
    record Once(Step step) implements RowStep {
        @Override
        public String term() {
            return step.term();
        }
    }

    /** The chunk's loss: the sum of the loss's rows. */
    record SumLoss(RowProgram.Rows loss) implements RowStep {
        @Override
        public String term() {
            return "sum over the rows of " + loss.value().name();
        }
    }

    /** The chunk's loss when it is the same for every sample: {@code nb} times it. */
    record SharedLoss(Var loss) implements RowStep {
        @Override
        public String term() {
            return "nb * " + loss.name();
        }
    }
}
