package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The training flags of cli.md, passed on to the generated trainer as they are. */
public final class TrainOptions {

    @Option(names = "--data", paramLabel = "F", description = "Training data: a CSV file or idx(images, labels).")
    String data;

    @Option(names = "--test-data", paramLabel = "F", description = "Test data, evaluated after every epoch.")
    String testData;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (overrides the train block).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size (overrides the train block).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (overrides the train block).")
    Double lr;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial weights and of shuffling.")
    Long seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads the large matrix products split over (default: every core; results do not depend on it).")
    Integer threads;

    @Option(names = "--save", paramLabel = "W.json", description = "Write the trained weights here (atomically).")
    String save;

    List<String> args() {
        List<String> a = new ArrayList<>();
        add(a, "--data", data);
        add(a, "--test-data", testData);
        add(a, "--epochs", epochs);
        add(a, "--batch", batch);
        add(a, "--lr", lr);
        add(a, "--seed", seed);
        add(a, "--threads", threads);
        add(a, "--save", save);
        return a;
    }

    static void add(List<String> args, String flag, Object value) {
        if (value != null) {
            args.add(flag);
            args.add(String.valueOf(value));
        }
    }
}
