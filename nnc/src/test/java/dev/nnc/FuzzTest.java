package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.SourceFile;
import dev.nnc.diag.UsageError;
import dev.nnc.syntax.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutates every {@code samples/*.nn} (and the models of {@code src/test/resources/fuzz-seeds/}) a few
 * thousand times, seeded, and runs the front end on each mutant. Whatever the bytes, the outcome is a
 * checked model, a {@link CompileError} whose diagnostics point into the file, or a {@link UsageError};
 * never another exception, and never more than a second.
 *
 * <p>To reproduce a failure: {@code Mutator.mutate(Files.readAllBytes(file), seed, kind)} with the
 * file, seed and first kind of the message (the message also shows the mutant, bytes escaped).
 */
class FuzzTest {

    /** At least this many mutants in all, spread over the seed files. */
    static final int TOTAL_MUTANTS = 3600;

    /** Mutants per parameterized test case. */
    static final int BLOCK = 100;

    /** Per input; one that takes longer is measured twice more and the fastest of the three counts. */
    static final Duration PER_INPUT_LIMIT = Duration.ofSeconds(1);

    /** A block should take well under a second; this only turns a hang into a failure. */
    static final Duration PER_BLOCK_LIMIT = Duration.ofSeconds(60);

    private static final Map<Mutator.Kind, Integer> COUNTS = new ConcurrentHashMap<>(Mutator.emptyCounts());
    private static final long[] MAX_NANOS = new long[1];
    private static final int[] MUTANTS = new int[1];

    static List<Path> seedFiles() {
        return Mutator.seedFiles();
    }

    static Stream<Arguments> blocks() {
        List<Path> files = seedFiles();
        if (files.isEmpty()) {
            throw new IllegalStateException("no samples/*.nn and no src/test/resources/fuzz-seeds/*.nn to mutate");
        }
        int blocksPerFile = Math.max(1, -Math.floorDiv(-TOTAL_MUTANTS, files.size() * BLOCK));
        List<Arguments> result = new ArrayList<>();
        for (Path f : files) {
            for (int b = 0; b < blocksPerFile; b++) {
                result.add(Arguments.of(f.getFileName().toString(), f, b));
            }
        }
        return result.stream();
    }

    @BeforeAll
    static void warmUp() throws IOException {
        // The first run loads ANTLR and the checker; keep that out of the per-input times.
        for (Path f : seedFiles()) {
            byte[] bytes = Files.readAllBytes(f);
            for (int i = 0; i < 3; i++) {
                outcome(f.getFileName().toString(), bytes);
            }
        }
    }

    @ParameterizedTest(name = "{0} block {2}")
    @MethodSource("blocks")
    void frontEndSurvivesMutants(String name, Path file, int block) throws IOException {
        byte[] original = Files.readAllBytes(file);
        List<String> failures = new ArrayList<>();
        long[] slowest = {0, 0};
        assertTimeoutPreemptively(PER_BLOCK_LIMIT, () -> {
            for (int i = 0; i < BLOCK; i++) {
                long seed = seedOf(name, block, i);
                Mutator.Kind first = Mutator.Kind.values()[(block * BLOCK + i) % Mutator.Kind.values().length];
                Mutator.Mutant m = Mutator.mutate(original, seed, first);
                Mutator.count(m, COUNTS);
                long start = System.nanoTime();
                String problem = check(name, m.bytes());
                long nanos = System.nanoTime() - start;
                for (int retry = 0; retry < 2 && problem == null && nanos > PER_INPUT_LIMIT.toNanos(); retry++) {
                    // A pause of the machine (GC, other builds) is not the input's fault: measure again.
                    start = System.nanoTime();
                    check(name, m.bytes());
                    nanos = Math.min(nanos, System.nanoTime() - start);
                }
                if (nanos > slowest[0]) {
                    slowest[0] = nanos;
                    slowest[1] = seed;
                }
                if (problem == null && nanos > PER_INPUT_LIMIT.toNanos()) {
                    problem = "took " + nanos / 1_000_000 + " ms, more than " + PER_INPUT_LIMIT.toMillis() + " ms";
                }
                if (problem != null) {
                    failures.add(describe(file, seed, m, problem));
                }
            }
        }, () -> "a mutant of " + file + " in block " + block + " (seeds from " + seedOf(name, block, 0)
                + ") hangs: more than " + PER_BLOCK_LIMIT.toSeconds() + " s for the block");
        synchronized (MAX_NANOS) {
            MAX_NANOS[0] = Math.max(MAX_NANOS[0], slowest[0]);
            MUTANTS[0] += BLOCK;
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + BLOCK + " mutants of " + file + " failed; the first ones:\n"
                    + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
        }
        assertTrue(slowest[0] <= PER_INPUT_LIMIT.toNanos(), () -> "slowest mutant took " + slowest[0] / 1_000_000
                + " ms (seed " + slowest[1] + ")");
    }

    @AfterAll
    static void everyKindUsedOften() {
        System.out.println("fuzz: " + MUTANTS[0] + " mutants, slowest " + MAX_NANOS[0] / 1_000_000 + " ms, kinds "
                + COUNTS);
        if (MUTANTS[0] >= TOTAL_MUTANTS) {
            for (Map.Entry<Mutator.Kind, Integer> e : COUNTS.entrySet()) {
                assertTrue(e.getValue() >= TOTAL_MUTANTS / Mutator.Kind.values().length,
                        () -> e.getKey() + " was used only " + e.getValue() + " times");
            }
        }
    }

    static long seedOf(String name, int block, int i) {
        return (long) name.hashCode() * 1_000_000L + block * (long) BLOCK + i;
    }

    private static String describe(Path file, long seed, Mutator.Mutant m, String problem) {
        return "file " + file + ", seed " + seed + ", kinds " + m.kinds() + ": " + problem
                + "\nreproduce: Mutator.mutate(Files.readAllBytes(Path.of(\"" + file + "\")), " + seed + "L, Mutator.Kind."
                + m.kinds().get(0) + ")"
                + "\n--- mutant (" + m.bytes().length + " bytes; \\xNN is a byte) ---\n"
                + abbreviate(m.printable()) + "\n--- end ---";
    }

    private static String abbreviate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 2000) + "\n[... " + (s.length() - 4000) + " chars ...]\n"
                + s.substring(s.length() - 2000);
    }

    /**
     * Runs the front end on the bytes; null when the outcome is a legitimate one, else what was wrong.
     * Public so that other tests can use the same oracle.
     */
    public static String check(String name, byte[] bytes) {
        Object outcome;
        try {
            outcome = outcome(name, bytes);
        } catch (Throwable e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            String t = trace.toString();
            return "escaped: " + (t.length() > 3000 ? t.substring(0, 3000) + "..." : t);
        }
        return judge(name, bytes, outcome);
    }

    /** What is wrong with {@code outcome}, the {@link #outcome} of the bytes, or null when it is legitimate. */
    public static String judge(String name, byte[] bytes, Object outcome) {
        if (outcome instanceof CompileError c) {
            return diagnosticsProblem(name, bytes, c);
        }
        if (outcome instanceof UsageError u) {
            return u.getMessage() == null || u.getMessage().isBlank() ? "a UsageError without a message" : null;
        }
        return outcome == null ? "check returned null" : null;
    }

    /** The checked model, or the CompileError or UsageError that ended the check. */
    static Object outcome(String name, byte[] bytes) {
        try {
            SourceFile source = SourceReader.decode(name, bytes);
            return Pipeline.check(source, null);
        } catch (CompileError | UsageError e) {
            return e;
        }
    }

    private static String diagnosticsProblem(String name, byte[] bytes, CompileError c) {
        if (c.diagnostics() == null || c.diagnostics().count() == 0) {
            return "a CompileError without diagnostics";
        }
        List<String> lines = lines(c.diagnostics().source().text());
        boolean notText = c.diagnostics().source().text().isEmpty() && bytes.length > 0;
        int lineCount = notText ? byteLines(bytes) : lines.size(); // not text: positions count raw lines
        for (Diagnostic d : c.diagnostics().sorted()) {
            if (d.pos() == null) {
                return "a diagnostic without a position: " + d.message();
            }
            if (d.pos().line() < 1 || d.pos().column() < 1) {
                return "position " + d.pos() + " is not 1-based: " + d.message();
            }
            if (d.pos().line() > lineCount) {
                return "position " + d.pos() + " is past the last line " + lineCount + ": " + d.message();
            }
            if (!notText && d.pos().column() > lines.get(d.pos().line() - 1).length() + 1) {
                return "position " + d.pos() + " is past the end of its line (" + lines.get(d.pos().line() - 1).length()
                        + " chars): " + d.message();
            }
            if (d.message() == null || d.message().isBlank()) {
                return "a diagnostic without a message at " + d.pos();
            }
        }
        String rendered;
        try {
            rendered = c.diagnostics().render();
        } catch (RuntimeException e) {
            return "rendering failed: " + e;
        }
        for (Diagnostic d : c.diagnostics().sorted()) {
            String head = name + ":" + d.pos().line() + ":" + d.pos().column() + ": error: ";
            if (!rendered.contains(head)) {
                return "the rendering lacks '" + head + "':\n" + rendered;
            }
        }
        return null;
    }

    /** Lines as SourceFile splits them: at \n, \r\n and \r. */
    static List<String> lines(String text) {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n' || ch == '\r') {
                result.add(text.substring(start, i));
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        result.add(text.substring(start));
        return result;
    }

    private static int byteLines(byte[] bytes) {
        int n = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    @org.junit.jupiter.api.Test
    void mutationsAreReproducible() throws IOException {
        for (Path f : seedFiles()) {
            byte[] bytes = Files.readAllBytes(f);
            for (Mutator.Kind k : Mutator.Kind.values()) {
                long seed = seedOf(f.getFileName().toString(), 99, k.ordinal());
                assertEquals(Mutator.mutate(bytes, seed, k).printable(), Mutator.mutate(bytes, seed, k).printable());
            }
        }
    }
}
