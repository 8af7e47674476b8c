package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc eval FILE --weights W.json --data F}: loss and accuracy of saved weights. */
@Command(name = "eval", description = "Loss and accuracy of saved weights on a data set.")
final class EvalCommand implements Callable<Integer>, TrainerFlags.Runner {

    @Mixin
    ModelOptions options;


    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.run(options, false, with("--eval", TrainerFlags.given(spec)), spec);
    }

    @Override
    public List<String> trainerFlags() {
        return List.of("--weights", "--data");
    }

    @Override
    public Set<String> requiredFlags() {
        return Set.of("--weights", "--data");
    }

    private static List<String> with(String mode, List<String> given) {
        List<String> args = new ArrayList<>(List.of(mode));
        args.addAll(given);
        return args;
    }
}
