package dev.nnc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures one sweep point as whole processes: {@code java -jar nnc.jar bench --json} per thread
 * count, {@code nnc train --epochs E} timed from before its start to after its exit (its trainer
 * cached by one earlier run of the file, as in {@code bench/whole_runs.sh}), and
 * {@code bench/torch_sweep.py} for both figures in PyTorch. A failed run leaves its figure NaN and
 * its stderr in {@code runs/}.
 */
final class SweepRunner {

    private final Sweep.Options options;
    private final Path root;
    private final Path runs;

    SweepRunner(Sweep.Options options) {
        this.options = options;
        this.root = options.nnc().toAbsolutePath().getParent().getParent();
        this.runs = options.out().resolve("runs");
    }

    SweepResult measure(SweepPoint p) throws IOException, InterruptedException {
        Path model = options.out().resolve("models").resolve(p.name() + ".nn");
        Files.writeString(model, p.model());
        String seconds = decimal(options.seconds());
        String warmup = decimal(options.warmup());

        double nncSteady = Double.NaN;
        int nncThreads = 0;
        for (int t : options.threads()) {
            List<String> command = nnc("bench", model.toString(), "--json", "--threads", String.valueOf(t),
                    "--seconds", seconds, "--warmup", warmup);
            double sps = Sweep.largest(run(p.name() + ".nnc-bench-" + t, command, false).stdout, "samples_per_second");
            if (!(sps <= nncSteady)) {
                nncSteady = sps;
                nncThreads = t;
            }
        }

        double torchSteady = Double.NaN;
        int torchThreads = 0;
        if (options.torch()) {
            String json = run(p.name() + ".torch-steady", torch(p, "--steady", "--threads", joined(options.threads()),
                    "--seconds", seconds, "--warmup", warmup), true).stdout;
            torchSteady = Sweep.largest(json, "samples_per_second");
            torchThreads = threadsOfBest(json);
        }

        int samples = p.dataSamples(options.maxSamples());
        Path data = Sweep.data(options.out().resolve("data"), p.width(), samples);
        String epochs = String.valueOf(options.epochs());
        run(p.name() + ".nnc-prime", nnc("train", model.toString(), "--data", data.toString(), "--epochs", "1",
                "--batch", String.valueOf(samples)), false);
        Run whole = run(p.name() + ".nnc-train", nnc("train", model.toString(), "--data", data.toString(),
                "--epochs", epochs), false);
        double nncWhole = whole.ok ? whole.seconds : Double.NaN;
        double[] epochs1AndLater = whole.ok ? epochSpeeds(whole.stdout + whole.stderr) : new double[] {Double.NaN, Double.NaN};

        double torchWhole = Double.NaN;
        int torchWholeThreads = 0;
        if (options.torch()) {
            for (int t : options.threads()) {
                Run r = run(p.name() + ".torch-train-" + t, torch(p, "--whole", data.toString(), "--epochs", epochs,
                        "--threads", String.valueOf(t)), true);
                if (r.ok && !(r.seconds >= torchWhole)) {
                    torchWhole = r.seconds;
                    torchWholeThreads = t;
                }
            }
        }
        return new SweepResult(p, samples, nncSteady, nncThreads, torchSteady, torchThreads, nncWhole, torchWhole,
                torchWholeThreads, epochs1AndLater[0], epochs1AndLater[1]);
    }

    private static final java.util.regex.Pattern EPOCH =
            java.util.regex.Pattern.compile("(?m)^epoch (\\d+)/\\d+ .*?([\\d,]+) samples/s");

    /**
     * From {@code nnc train}'s progress lines on stderr ({@code epoch 2/5  loss 0.24  1,264,839 samples/s}):
     * the first epoch's samples/s and the median of the later ones' (NaN where there is none): the
     * run's own steady speed, which one lucky or disturbed epoch does not move.
     */
    static double[] epochSpeeds(String stdout) {
        double first = Double.NaN;
        List<Double> later = new ArrayList<>();
        java.util.regex.Matcher m = EPOCH.matcher(stdout);
        while (m.find()) {
            double sps = Double.parseDouble(m.group(2).replace(",", ""));
            if (m.group(1).equals("1")) {
                first = sps;
            } else {
                later.add(sps);
            }
        }
        later.sort(null);
        int n = later.size();
        double median = n == 0 ? Double.NaN : n % 2 == 1 ? later.get(n / 2) : (later.get(n / 2 - 1) + later.get(n / 2)) / 2;
        return new double[] {first, median};
    }

    private List<String> nnc(String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", options.nnc().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        if (options.vector()) {
            command.add("--vector");
        }
        return command;
    }

    private List<String> torch(SweepPoint p, String... args) {
        List<String> command = new ArrayList<>(List.of(options.python(), root.resolve("bench/torch_sweep.py").toString(),
                "--in", String.valueOf(p.width()), "--hidden", String.valueOf(p.hidden()), "--out", String.valueOf(p.width()),
                "--depth", String.valueOf(p.depth()), "--batch", String.valueOf(p.batch()), "--optimizer", p.optimizer()));
        command.addAll(List.of(args));
        return command;
    }

    /** How long one measurement may run before it is stopped (a point is skipped, not the sweep). */
    private static final long PROCESS_LIMIT_MINUTES = 30;

    private record Run(boolean ok, double seconds, String stdout, String stderr) {}

    /** Runs {@code command}, its stdout and stderr kept in runs/NAME.out and .err; the wall time of the process. */
    private Run run(String name, List<String> command, boolean torch) throws IOException, InterruptedException {
        Path stdout = runs.resolve(name + ".out");
        Path stderr = runs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        if (torch) {
            Sweep.torchEnvironment(pb.environment());
        }
        // nnc's cache of compiled trainers in the sweep's folder, not the user's home
        pb.environment().put("XDG_CACHE_HOME", runs.resolveSibling("cache").toAbsolutePath().toString());
        long start = System.nanoTime();
        Process process = pb.start();
        int status;
        if (process.waitFor(PROCESS_LIMIT_MINUTES, java.util.concurrent.TimeUnit.MINUTES)) {
            status = process.exitValue();
        } else {
            // a run that hangs is stopped by its process id, its children first
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            System.err.println("sweep: " + name + " stopped after " + PROCESS_LIMIT_MINUTES + " minutes (pid " + process.pid() + ")");
            status = -1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            System.err.println("sweep: " + name + " failed (exit " + status + "), see " + stderr);
        }
        return new Run(status == 0, seconds, Files.readString(stdout), Files.readString(stderr));
    }

    /** The thread count of the fastest row of torch_sweep.py's --steady document. */
    private static int threadsOfBest(String json) {
        int best = 0;
        double rate = -1;
        for (String row : json.split("\\}")) {
            double sps = Sweep.largest(row, "samples_per_second");
            if (sps > rate) {
                rate = sps;
                best = (int) Sweep.largest(row, "threads");
            }
        }
        return best;
    }

    private static String joined(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String decimal(double x) {
        return String.format(Locale.ROOT, "%s", x);
    }
}
