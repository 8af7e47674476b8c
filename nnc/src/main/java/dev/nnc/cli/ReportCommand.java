package dev.nnc.cli;

import dev.nnc.Pipeline;
import dev.nnc.autodiff.Derivation;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.UsageError;
import dev.nnc.eval.Reference;
import dev.nnc.report.Report;
import dev.nnc.report.ReportPage;
import dev.nnc.runtime.NncSupport;
import dev.nnc.runtime.Support;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc report FILE -o report.html [--data F] [--rows N] [--train]}: one self-contained HTML
 * page about a model ({@link ReportPage}): its source, parameters, expression graph, gradients, the
 * worked example of {@code nnc trace} and, with {@code --train}, the curves of a training run as
 * {@code nnc train --plot} draws them. The page is written atomically; the target is checked first.
 */
@Command(name = "report", description = "Write one self-contained HTML page about the model: source, parameters, expression"
        + " graph, every gradient in MathML, the worked example, and with --train the training curves.")
final class ReportCommand implements Callable<Integer>, TrainerFlags.Runner {

    @Parameters(index = "0", paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to use when the file holds several.")
    String model;

    @Option(names = {"-o", "--output"}, paramLabel = "report.html", required = true, description = "The page to write.")
    Path output;

    @Mixin
    TraceRows on;

    @Option(names = "--train", description = "Train the model (as nnc train does, on --data when given) and show the training curves.")
    boolean train;

    @Spec
    CommandSpec spec;

    @Override
    public List<String> trainerFlags() {
        return List.of("--test-data", "--epochs", "--batch", "--lr", "--seed", "--validation-split");
    }

    @Override
    public Integer call() throws IOException {
        on.check(spec);
        Map<String, String> trainerFlags = TrainerFlags.values(spec);
        if (!train && !trainerFlags.isEmpty()) {
            throw new UsageError(trainerFlags.keySet().iterator().next() + " goes with --train");
        }
        try {
            Support.checkTarget(output.toString(), "-o");
        } catch (NncSupport.UsageError e) {
            throw new UsageError(e.getMessage());
        }
        CheckedModel checked = Pipeline.check(file, model);
        Derivation derivation = Pipeline.derive(checked);
        PrintWriter err = spec.commandLine().getErr();
        Report report;
        try {
            TraceCommand.Samples samples = on.samples(checked);
            Reference.Result result = samples == null ? null : InitialValues.run(checked, derivation, samples.rows());
            Curves curves = train ? curves(trainerFlags, err) : new Curves(0, null);
            if (curves.code() != 0) {
                return curves.code(); // the trainer has said why
            }
            report = ReportContents.of(file, checked, derivation, samples, result, curves.svg());
            Support.replace(output, ReportPage.html(report).getBytes(StandardCharsets.UTF_8));
        } catch (Support.DataError e) {
            err.println("nnc: " + e.getMessage());
            err.flush();
            return Main.INPUT_ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output);
        out.flush();
        return 0;
    }

    /** The training run's exit code, and its curves as an {@code <svg>} element when it succeeded. */
    private record Curves(int code, String svg) {}

    /** Trains as {@code nnc train --plot curves.svg} would, its progress on stderr. */
    private Curves curves(Map<String, String> trainerFlags, PrintWriter err) throws IOException {
        Path folder = Files.createTempDirectory("nnc-report");
        try {
            Path svg = folder.resolve("curves.svg");
            Map<String, String> flags = new LinkedHashMap<>();
            if (on.data != null) {
                flags.put("--data", on.data);
            }
            flags.putAll(trainerFlags);
            List<String> args = new ArrayList<>();
            flags.forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
            args.add("--plot");
            args.add(svg.toString());
            ModelOptions options = new ModelOptions();
            options.file = file;
            options.model = model;
            // the trainer says where it drew the curves: a temporary file the page takes in, not for the user
            PrintWriter progress = new PrintWriter(new WithoutLine(err, "drew the training curves in " + svg), true);
            int code = Trainers.train(options, args, flags, progress, progress);
            progress.flush();
            if (code != 0) {
                return new Curves(code, null);
            }
            String document = Files.readString(svg, StandardCharsets.UTF_8);
            return new Curves(0, document.substring(document.indexOf("<svg")));
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Passes text through to {@code to} line by line (a {@code '\r'} of a progress bar passes at
     * once), leaving out the lines equal to {@code dropped}.
     */
    private static final class WithoutLine extends java.io.Writer {
        private final PrintWriter to;
        private final String dropped;
        private final StringBuilder line = new StringBuilder();

        WithoutLine(PrintWriter to, String dropped) {
            this.to = to;
            this.dropped = dropped;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = chars[i];
                if (c == '\n') {
                    if (!line.toString().equals(dropped)) {
                        to.append(line).append('\n');
                    }
                    line.setLength(0);
                } else {
                    line.append(c);
                    if (c == '\r') {
                        to.append(line);
                        line.setLength(0);
                    }
                }
            }
        }

        @Override
        public void flush() {
            to.flush();
        }

        @Override
        public void close() {
            if (line.length() > 0 && !line.toString().equals(dropped)) {
                to.append(line);
            }
            line.setLength(0);
            to.flush();
        }
    }
}
