package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own {@code javac} and {@code java} in child processes, as a user runs a compiled
 * trainer: each child gets a minute, then is stopped (its handle, so its pid, no other process).
 * Stdout and stderr are kept apart; scratch files go to the test's temporary folder.
 */
final class ChildJava {

    /** The outcome of a child: its exit code, stdout and stderr. */
    record Exec(int code, String output, String errors) {
        String all() {
            return "exit " + code + "\n--- stdout ---\n" + output + "--- stderr ---\n" + errors;
        }
    }

    private final Path scratch;

    /** Children whose scratch files (stderr) go to {@code scratch}, a temporary folder. */
    ChildJava(Path scratch) {
        this.scratch = scratch;
    }

    static String java() {
        return tool("java");
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** javac with no class path over every source under {@code src} (and {@code options}), into a new classes folder. */
    Path javac(Path src, String... options) throws Exception {
        Path classes = Files.createDirectories(scratch.resolve("classes-" + System.nanoTime()));
        List<String> command = new ArrayList<>(List.of(tool("javac"), "-cp", "", "-d", classes.toString()));
        command.addAll(List.of(options));
        try (var files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> command.add(f.toString()));
        }
        Exec javac = exec(command.toArray(String[]::new));
        assertEquals(0, javac.code, javac.all());
        return classes;
    }

    /** Runs a command in this JVM's working directory. */
    Exec exec(String... command) throws Exception {
        return execIn(null, command);
    }

    /** Runs a command working in {@code dir} (null: this JVM's working directory). */
    Exec execIn(Path dir, String... command) throws Exception {
        Path errors = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Exec(-1, "", "timed out: " + String.join(" ", command));
        }
        return new Exec(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8), Files.readString(errors));
    }
}
