package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc train FILE}: generate the trainer, compile it in memory, train. */
@Command(name = "train", description = "Generate the model's trainer, compile it in memory and train.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TrainOptions train;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.run(options, false, train.args(), spec, train);
    }
}
