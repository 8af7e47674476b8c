package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.LoadedTrainer;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What train, eval, predict and gradcheck share: generate the model's trainer, compile it in memory,
 * and run it with the trainer's own flags, so nnc and the standalone trainer behave alike.
 */
final class Trainers {

    private Trainers() {}

    /**
     * The trainer source nnc runs in-process: its products use the Vector API when this JVM has the
     * module ({@link VectorApi}), plain Java otherwise.
     */
    static TrainerSource source(ModelOptions options, boolean f64) {
        return source(options, f64, null, null, new Codegen(Codegen.Batching.AUTO, VectorApi.available()));
    }

    /** The trainer source of the chosen model; {@code f64} forces float64 (gradcheck). */
    static TrainerSource source(ModelOptions options, boolean f64, String className, String packageName, Codegen codegen) {
        CheckedModel model = Pipeline.check(options.file, options.model);
        if (f64) {
            model = model.withTrain(model.train().withDType(TrainConfig.DType.F64));
        }
        Path dir = options.file.getParent();
        return Pipeline.generate(model, className, packageName, dir == null ? null : dir.toString(), codegen);
    }

    /** Generates, compiles and runs the trainer with {@code args} (plus --json when asked). */
    static int run(ModelOptions options, boolean f64, List<String> args, CommandSpec spec) {
        TrainerSource source = source(options, f64);
        LoadedTrainer trainer = LoadedTrainer.load(source);
        if (options.json) {
            args.add("--json");
        }
        PrintStream out = WriterStream.over(spec.commandLine().getOut());
        PrintStream err = WriterStream.over(spec.commandLine().getErr());
        int code = trainer.run(args.toArray(String[]::new), out, err);
        out.flush();
        err.flush();
        return code;
    }
}
