package dev.nnc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc train FILE}: generate the trainer, compile it in memory, train. */
@Command(name = "train", description = "Generate the model's trainer, compile it in memory and train.")
final class TrainCommand implements Callable<Integer>, TrainerFlags.Runner {

    @Mixin
    ModelOptions options;

    @Mixin
    VectorOption kernels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.train(options, kernels, TrainerFlags.given(spec), spec, TrainerFlags.values(spec));
    }

    @Override
    public List<String> trainerFlags() {
        return List.of("--data", "--test-data", "--epochs", "--batch", "--lr", "--clip-norm", "--seed", "--threads", "--save",
                "--checkpoint", "--validation-split", "--early-stopping", "--history", "--plot");
    }
}
