package dev.nnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs nnc again in a JVM with the Vector API ({@code --add-modules jdk.incubator.vector}) when a
 * command trains with {@code --vector}, so that {@code java -jar nnc.jar train model.nn --vector}
 * needs no JVM flags. The child inherits the terminal; the JVM's one-line notice about the
 * incubating module is left out of its stderr.
 */
final class Relaunch {

    /** Set in the child's environment, so it never relaunches again. */
    static final String MARK = "NNC_RELAUNCHED";
    private static final String NOTICE = "WARNING: Using incubator modules: " + VectorApi.MODULE;

    private Relaunch() {}

    /** The child's exit code when nnc ran again with the Vector API, or null to go on in this JVM. */
    static Integer ifUseful(String[] args) {
        if (VectorApi.available() || System.getenv(MARK) != null || !VectorApi.installed()
                || !wouldTrain(args)) {
            return null;
        }
        try {
            return run(args);
        } catch (IOException e) {
            return null; // no child: train here, with plain Java kernels
        }
    }

    /**
     * A train or bench command with {@code --vector} on an existing file. The model itself is not
     * looked at: parsing it here would cost this JVM a third of a second that the child spends
     * again, while a child that turns out to train sample by sample costs only its start (about 0.1 s).
     */
    static boolean wouldTrain(String[] args) {
        String command = dev.nnc.compile.Warmup.command(args);
        Path file = null;
        for (String a : args) {
            if (file == null && a.endsWith(".nn") && !a.startsWith("-") && !a.equals(command)) {
                file = Path.of(a);
            }
        }
        return ("train".equals(command) || "bench".equals(command)) && List.of(args).contains("--vector")
                && file != null && Files.isRegularFile(file);
    }

    private static int run(String[] args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.add("--add-modules");
        command.add(VectorApi.MODULE);
        ClassArchive archive = ClassArchive.forClassPath(System.getProperty("java.class.path"));
        if (archive != null) {
            command.addAll(archive.options());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().put(MARK, "1");
        Process child = builder.start();
        Thread stopChild = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(stopChild);
        copyWithoutNotice(child.getErrorStream(), System.err);
        while (true) {
            try {
                int code = child.waitFor();
                Runtime.getRuntime().removeShutdownHook(stopChild);
                if (archive != null) {
                    archive.finish();
                }
                return code;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The child's JVM options from this JVM's: all of them (-Xmx and the like apply to the child
     * too) but a debugger's agent, and the parallel collector unless they name a collector. A
     * training JVM allocates its model, buffers and data once and then next to nothing, and G1's
     * young collections copy all of that while it is made: the parallel collector's whole runs, in
     * interleaved pairs, took 0.15-0.4 s less at widths 64 and 512 (1.0-3.0 s of them) and 0.1-3 s
     * less at 4096 and 50000 (8-14 s); steady state was the same.
     */
    static List<String> jvmOptions(List<String> inputArguments) {
        List<String> options = new ArrayList<>();
        boolean collector = false;
        for (String option : inputArguments) {
            if (!option.startsWith("-agentlib:jdwp")) {
                options.add(option);
            }
            collector |= option.matches("-XX:[+-]Use\\w*GC");
        }
        if (!collector) {
            options.add(PARALLEL_GC);
        }
        return options;
    }

    /** The collector the child runs with when the command names none. */
    static final String PARALLEL_GC = "-XX:+UseParallelGC";

    /** Copies the child's stderr as it comes (progress bars too), leaving out the JVM's notice line. */
    static void copyWithoutNotice(InputStream in, OutputStream out) throws IOException {
        byte[] notice = (NOTICE + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[8192];
        int matched = 0; // bytes of the notice seen so far at the start of the stream; -1 once it is ruled out or skipped
        for (int n; (n = in.read(buffer)) > 0; ) {
            int start = 0;
            if (matched >= 0) {
                while (start < n && matched < notice.length && buffer[start] == notice[matched]) {
                    start++;
                    matched++;
                }
                if (matched == notice.length) {
                    matched = -1; // skipped whole
                } else if (start < n) {
                    out.write(notice, 0, matched); // not the notice after all: what was held back, then the rest
                    matched = -1;
                } else {
                    continue; // all of this chunk may still be the notice
                }
            }
            out.write(buffer, start, n - start);
            out.flush();
        }
        if (matched > 0) {
            out.write(notice, 0, matched);
        }
        out.flush();
    }
}
