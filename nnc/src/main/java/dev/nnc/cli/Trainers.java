package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.LoadedTrainer;
import dev.nnc.compile.TrainerCache;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.NncTimeline;
import dev.nnc.syntax.SourceReader;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What train, eval, predict and gradcheck share: generate the model's trainer, compile it in memory,
 * and run it with the trainer's own flags, so nnc and the standalone trainer behave alike.
 */
final class Trainers {

    private Trainers() {}

    /** The trainer source nnc runs in-process, with the kernels {@code kernels} asks for. */
    static TrainerSource source(ModelOptions options, VectorOption kernels) {
        return generate(options, checked(options, false), null, null, kernels.codegen(true));
    }

    private static TrainerSource generate(ModelOptions options, CheckedModel model, String className, String packageName,
            Codegen codegen) {
        Path dir = baseDir(options);
        return Pipeline.generate(model, className, packageName, dir == null ? null : dir.toString(), codegen);
    }

    /**
     * The folder the train block's relative data paths resolve against, as the generated trainer
     * holds it: absolute, since a compiled trainer may run in any folder.
     */
    static Path baseDir(ModelOptions options) {
        return options.file.toAbsolutePath().normalize().getParent();
    }

    private static CheckedModel checked(ModelOptions options, boolean f64) {
        return checked(SourceReader.read(options.file), options, f64);
    }

    private static CheckedModel checked(SourceFile file, ModelOptions options, boolean f64) {
        CheckedModel model = Pipeline.check(file, options.model);
        return f64 ? model.withTrain(model.train().withDType(TrainConfig.DType.F64)) : model;
    }

    /**
     * Generates, compiles and runs the trainer with {@code args} (plus --json when asked), with the
     * plain kernels of the standalone trainer that {@code nnc compile} writes by default.
     */
    static int run(ModelOptions options, boolean f64, List<String> args, CommandSpec spec) {
        return run(options, f64, Codegen.DEFAULT, args, spec.commandLine().getOut(), spec.commandLine().getErr(), null);
    }

    /**
     * Trains: {@link #run(ModelOptions, boolean, List, CommandSpec)} with the kernels asked for; the
     * training and test data ({@code train}) are read on another thread while the trainer is
     * generated and compiled, and handed to it ({@link ReadAhead}).
     */
    static int train(ModelOptions options, VectorOption kernels, List<String> args, CommandSpec spec, Map<String, String> train) {
        return run(options, false, kernels.codegen(true), args, spec.commandLine().getOut(), spec.commandLine().getErr(), train);
    }

    /** Trains with the plain kernels, as {@code nnc train} without {@code --vector}, the trainer writing to {@code out} and {@code err}. */
    static int train(ModelOptions options, List<String> args, Map<String, String> train, PrintWriter out, PrintWriter err) {
        return run(options, false, Codegen.DEFAULT, args, out, err, train);
    }

    private static int run(ModelOptions options, boolean f64, Codegen codegen, List<String> args, PrintWriter outWriter,
            PrintWriter errWriter, Map<String, String> train) {
        SourceFile file = SourceReader.read(options.file);
        Path dir = baseDir(options);
        TrainerCache cache = TrainerCache.open();
        String key = cache == null ? null : cache.key(file.text(), String.valueOf(options.file.getFileName()), options.model,
                String.valueOf(f64), codegen.toString(), String.valueOf(dir));
        TrainerCache.Entry cached = cache == null ? null : cache.get(key);
        ReadAhead.Plan plan = cached == null ? null : ReadAhead.Plan.decode(cached.note());
        // A cached model is not checked again: its entry was written only after its text passed the
        // check, and the key holds the text and nnc's build, so the check would say the same (it has
        // no warnings). Its data is read at once, from what the entry keeps of the model.
        CheckedModel model = null;
        if (plan == null) {
            model = checked(file, options, f64);
            NncTimeline.mark("checked");
            plan = ReadAhead.Plan.of(model);
        }
        ReadAhead ahead = train == null ? null : ReadAhead.start(plan, dir, train.get("--data"), train.get("--test-data"));
        LoadedTrainer trainer = model == null ? LoadedTrainer.load(cached)
                : LoadedTrainer.load(generate(options, model, null, null, codegen), cache, key, plan.encode());
        NncTimeline.mark("compiled");
        if (ahead != null) {
            ahead.handOver();
        }
        if (options.json) {
            args.add("--json");
        }
        PrintStream out = WriterStream.over(outWriter);
        PrintStream err = WriterStream.over(errWriter);
        int code = dev.nnc.runtime.NncDriver.withPlotter(new TrainingCurves(), () -> trainer.run(args.toArray(String[]::new), out, err));
        out.flush();
        err.flush();
        return code;
    }
}
