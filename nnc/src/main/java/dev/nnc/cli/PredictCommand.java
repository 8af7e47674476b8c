package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc predict FILE --weights W.json --data F}: one line of outputs per sample. */
@Command(name = "predict", description = "The model's output for every sample of a data set, one line each.")
final class PredictCommand implements Callable<Integer>, TrainerFlags.SavedWeightsRunner {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.run(options, false, TrainerFlags.given("--predict", spec), spec);
    }
}
