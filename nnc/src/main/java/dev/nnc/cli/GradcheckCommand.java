package dev.nnc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nnc gradcheck FILE}: the generated code's gradients against central finite differences, in
 * f64 whatever the model's dtype (the trainer is generated in float64 for this).
 */
@Command(name = "gradcheck", description = "Compare the generated gradients with central finite differences (f64).")
final class GradcheckCommand implements Callable<Integer>, TrainerFlags.Runner {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Trainers.run(options, true, TrainerFlags.given("--gradcheck", spec), spec);
    }

    @Override
    public List<String> trainerFlags() {
        return List.of("--data", "--elements");
    }
}
