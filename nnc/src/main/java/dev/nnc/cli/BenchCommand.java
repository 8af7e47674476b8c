package dev.nnc.cli;

import dev.nnc.bench.Bench;
import dev.nnc.compile.LoadedTrainer;
import dev.nnc.diag.UsageError;
import dev.nnc.emit.TrainerSource;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc bench FILE}: how fast the model's generated trainer trains, on synthetic data. */
@Command(name = "bench", description = "Measure the model's generated trainer: training steps on synthetic data"
        + " of the model's inputs and targets, after a warm-up; samples/s, microseconds per step, GFLOP/s"
        + " (6 x in x out per matrix parameter and sample), and the setup time before the first step"
        + " (parse, derive, emit, compile).")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3", description = "Measured time (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "2", description = "Warm-up time before it (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads the large matrix products split over (default ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    VectorOption kernels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(seconds > 0 && seconds <= 3600) || !(warmup >= 0 && warmup <= 3600) || threads < 1) {
            throw new UsageError("--seconds must be in (0, 3600], --warmup in [0, 3600], --threads at least 1");
        }
        long start = System.nanoTime();
        TrainerSource source = Trainers.source(options, kernels);
        long generated = System.nanoTime();
        Class<?> type = LoadedTrainer.load(source).trainerClass(); // what nnc train does before its first step
        long compiled = System.nanoTime();
        double setupMillis = (compiled - start) / 1e6;
        long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();

        PrintWriter out = spec.commandLine().getOut();
        Bench.Result r;
        try {
            r = Bench.measure(type, source.vector(), setupMillis, new Bench.Settings(seconds, warmup, threads));
        } catch (Bench.Failure e) {
            spec.commandLine().getErr().println("nnc: " + e.getMessage());
            return Main.INPUT_ERROR;
        }
        if (options.json) {
            out.println(Json.write(r.json()));
            return Main.OK;
        }
        out.println(r.model() + ": batch " + r.batch() + ", " + r.threads() + (r.threads() == 1 ? " thread" : " threads")
                + (source.vector() ? ", Vector API kernels" : ""));
        out.println(String.format(Locale.ROOT, "  %,.0f samples/s  %,.3f us/step  %,.2f GFLOP/s  (%,d steps in %.2f s on %,d synthetic samples, loss %.4g)",
                r.samplesPerSecond(), r.microsPerStep(), r.gflops(), r.steps(), r.seconds(), r.dataSamples(), r.loss()));
        out.println(String.format(Locale.ROOT, "  setup %,.0f ms before the first step: parse, derive, emit %,.0f ms, compile %,.0f ms;"
                + " %,d ms after JVM start", r.setupMillis(), (generated - start) / 1e6, (compiled - generated) / 1e6, jvmMillis));
        return Main.OK;
    }
}
