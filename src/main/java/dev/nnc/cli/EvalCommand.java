package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc eval FILE --weights W.json --data F}: loss and accuracy of saved weights. */
@Command(name = "eval", description = "Loss and accuracy of saved weights on a data set.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--weights", required = true, paramLabel = "W.json", description = "Weights saved by train --save.")
    String weights;

    @Option(names = "--data", required = true, paramLabel = "F", description = "A CSV file or idx(images, labels).")
    String data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--eval", "--weights", weights, "--data", data));
        return Trainers.run(options, false, args, spec);
    }
}
