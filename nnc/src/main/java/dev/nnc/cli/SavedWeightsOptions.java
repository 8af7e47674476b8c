package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What eval and predict take: weights saved by {@code train --save}, and the data to run them on. */
public final class SavedWeightsOptions {

    @Option(names = "--weights", required = true, paramLabel = "W.json", description = "Weights saved by train --save.")
    String weights;

    @Option(names = "--data", required = true, paramLabel = "F", description = "A CSV file or idx(images, labels).")
    String data;

    /** The trainer's arguments for {@code mode} ({@code --eval} or {@code --predict}). */
    List<String> args(String mode) {
        return new ArrayList<>(List.of(mode, "--weights", weights, "--data", data));
    }
}
