package dev.nnc.cli;

import dev.nnc.check.CheckedModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --data F} and {@code --rows N}: the samples a worked example runs on, for {@code trace} and
 * {@code report}: rows of a data file, else the inline data.
 */
final class TraceRows {

    @Option(names = "--data", paramLabel = "F", description = "Trace rows of this data file (a .csv file or"
            + " idx(images, labels), relative to the working directory) instead of the inline data.")
    String data;

    @Option(names = "--rows", paramLabel = "N", description = "How many rows, from the first, make the batch (default: 1"
            + " of a data file, every sample of the inline data).")
    Integer rows;

    /** Before any work: {@code --rows} is at least 1. */
    void check(CommandSpec spec) {
        if (rows != null && rows < 1) {
            throw new ParameterException(spec.commandLine(), "--rows must be at least 1, found " + rows);
        }
    }

    /**
     * The samples: the first rows of {@code --data}, else of the data block; null when the model has
     * nothing to run on. A bad data file is a {@link dev.nnc.runtime.Support.DataError}.
     */
    TraceCommand.Samples samples(CheckedModel model) {
        if (data != null) {
            return TraceCommand.fromFile(model, data, rows == null ? 1 : rows);
        }
        return InitialValues.available(model) ? TraceCommand.inline(model, rows) : null;
    }
}
