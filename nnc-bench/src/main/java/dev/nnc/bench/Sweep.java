package dev.nnc.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape sweep of issue 19 ({@code bench/sweep.sh} runs it): for every point (width x batch x
 * depth x optimizer, see {@link SweepPoint}) it writes the model, measures nnc's steady-state
 * samples/s ({@code nnc bench --json}) and a whole {@code nnc train --epochs 5} process on a
 * synthetic CSV data set, and the same in PyTorch ({@code bench/torch_sweep.py}); then writes
 * {@code results.csv}, {@code results.md} (with the worst five points) and {@code heatmap.png}.
 *
 * <pre>
 *   Sweep --nnc target/nnc.jar --widths 10,64 --batches 1 --depths 1 --optimizers sgd --out /tmp/s
 *     -&gt;  /tmp/s/results.csv, results.md, heatmap.png, models/*.nn, data/*.csv, runs/*
 * </pre>
 */
public final class Sweep {

    static final String USAGE = """
            usage: bench/sweep.sh [options]
              --widths W,...      input = output widths (default 10,64,512,4096,50000); hidden = the width
                                  up to 4096, else 512
              --batches B,...     mini-batch sizes (default 1,8,64,1024)
              --depths D,...      hidden layers (default 1,3)
              --optimizers O,...  sgd and/or adam (default sgd,adam)
              --seconds S         measured time of each steady-state figure (default 3)
              --warmup S          warm-up before it (default 2; the Vector API's kernels need it)
              --threads T,...     thread counts, the best is kept (default 1,2)
              --epochs E          epochs of the whole runs (default 5)
              --max-samples N     rows of the whole runs' data sets at most (default 8192)
              --plain             nnc on its plain Java kernels (default: --vector, the Vector API's)
              --no-torch          nnc's side alone (no ratios)
              --smoke             a tiny sweep: widths 10,64, batches 1,8, depth 1, sgd, 0.3 s, 1 thread,
                                  256 rows, plain kernels, no PyTorch (options after it override)
              --out DIR           where results go (default: a new folder under /tmp)
              --nnc JAR           nnc's jar (default target/nnc.jar)
              --python P          PyTorch's interpreter (default /usr/bin/python3)
            """;

    private Sweep() {}

    /** The sweep's settings, as the command line gives them. */
    record Options(List<Integer> widths, List<Integer> batches, List<Integer> depths, List<String> optimizers,
            double seconds, double warmup, List<Integer> threads, int epochs, int maxSamples, boolean vector,
            boolean torch, Path out, Path nnc, String python) {

        static Options parse(String... args) throws IOException {
            List<Integer> widths = List.of(10, 64, 512, 4096, 50000);
            List<Integer> batches = List.of(1, 8, 64, 1024);
            List<Integer> depths = List.of(1, 3);
            List<String> optimizers = List.of("sgd", "adam");
            List<Integer> threads = List.of(1, 2);
            double seconds = 3;
            double warmup = 2;
            int epochs = 5;
            int maxSamples = 8192;
            boolean vector = true;
            boolean torch = true;
            Path out = null;
            Path nnc = Path.of("target/nnc.jar");
            String python = "/usr/bin/python3";
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke" -> {
                        widths = List.of(10, 64);
                        batches = List.of(1, 8);
                        depths = List.of(1);
                        optimizers = List.of("sgd");
                        seconds = 0.3;
                        warmup = 0.3;
                        threads = List.of(1);
                        maxSamples = 256;
                        vector = false;
                        torch = false;
                    }
                    case "--plain" -> vector = false;
                    case "--no-torch" -> torch = false;
                    default -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("unknown option or missing value: " + a);
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--widths" -> widths = ints(a, v);
                            case "--batches" -> batches = ints(a, v);
                            case "--depths" -> depths = ints(a, v);
                            case "--optimizers" -> optimizers = List.of(v.split(","));
                            case "--threads" -> threads = ints(a, v);
                            case "--seconds" -> seconds = Double.parseDouble(v);
                            case "--warmup" -> warmup = Double.parseDouble(v);
                            case "--epochs" -> epochs = Integer.parseInt(v);
                            case "--max-samples" -> maxSamples = Integer.parseInt(v);
                            case "--out" -> out = Path.of(v);
                            case "--nnc" -> nnc = Path.of(v);
                            case "--python" -> python = v;
                            default -> throw new IllegalArgumentException("unknown option " + a);
                        }
                    }
                }
            }
            if (out == null) {
                out = Files.createTempDirectory("nnc-sweep.");
            }
            return new Options(widths, batches, depths, optimizers, seconds, warmup, threads, epochs, maxSamples,
                    vector, torch, out, nnc, python);
        }

        private static List<Integer> ints(String option, String value) {
            try {
                return Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes comma-separated integers, found " + value);
            }
        }

        List<SweepPoint> points() {
            List<SweepPoint> points = new ArrayList<>();
            for (String o : optimizers) {
                for (int d : depths) {
                    for (int b : batches) {
                        for (int w : widths) {
                            points.add(new SweepPoint(w, d, b, o));
                        }
                    }
                }
            }
            return points;
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sweep: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        run(options);
        System.err.println("results in " + options.out());
    }

    /** Runs every point, then writes results.csv, results.md and heatmap.png into the out folder. */
    static List<SweepResult> run(Options options) throws IOException, InterruptedException {
        Path out = options.out();
        for (String dir : List.of("models", "data", "runs")) {
            Files.createDirectories(out.resolve(dir));
        }
        SweepRunner runner = new SweepRunner(options);
        List<SweepResult> results = new ArrayList<>();
        for (SweepPoint p : options.points()) {
            System.err.println("sweep: " + p.name() + " ...");
            results.add(runner.measure(p));
            write(out, results);
        }
        write(out, results);
        SweepHeatMap.draw(results, out.resolve("heatmap.png"));
        System.out.print(Files.readString(out.resolve("results.md")));
        return results;
    }

    private static void write(Path out, List<SweepResult> results) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", SweepResult.COLUMNS)).append('\n');
        results.forEach(r -> csv.append(r.csv()).append('\n'));
        Files.writeString(out.resolve("results.csv"), csv);
        Files.writeString(out.resolve("results.md"), SweepResult.markdown(results));
    }

    /**
     * The whole runs' data set of {@code width}: {@code samples} rows of {@code width} inputs then
     * {@code width} targets, uniform in [0, 1) with two decimals (seed 1), written once per width.
     */
    static Path data(Path folder, int width, int samples) throws IOException {
        Path file = folder.resolve("w" + width + "_n" + samples + ".csv");
        if (Files.exists(file)) {
            return file;
        }
        Path temp = folder.resolve(file.getFileName() + ".part");
        SplittableRandom random = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(temp)) {
            StringBuilder line = new StringBuilder();
            for (int s = 0; s < samples; s++) {
                line.setLength(0);
                for (int c = 0; c < 2 * width; c++) {
                    int v = random.nextInt(100);
                    line.append(c == 0 ? "" : ",").append("0.").append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
                }
                w.append(line).append('\n');
            }
        }
        Files.move(temp, file);
        return file;
    }

    /** The largest number after {@code "key":} in a JSON text, NaN if none. */
    static double largest(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        double best = Double.NaN;
        while (m.find()) {
            double x = Double.parseDouble(m.group(1));
            best = Double.isNaN(best) ? x : Math.max(best, x);
        }
        return best;
    }

    /** The environment of bench/run.sh's PyTorch: the OpenMP OpenBLAS, OPENBLAS_CORETYPE unset. */
    static void torchEnvironment(Map<String, String> env) {
        env.remove("OPENBLAS_CORETYPE");
        String old = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", "/usr/lib/x86_64-linux-gnu/openblas-openmp" + (old == null || old.isEmpty() ? "" : ":" + old));
    }
}
