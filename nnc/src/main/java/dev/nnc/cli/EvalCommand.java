package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc eval FILE --weights W.json --data F}: loss and accuracy of saved weights. */
@Command(name = "eval", description = "Loss and accuracy of saved weights on a data set.")
final class EvalCommand implements Callable<Integer>, TrainerFlags.SavedWeightsRunner {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.run(options, false, TrainerFlags.given("--eval", spec), spec);
    }
}
