package dev.nnc;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer's coverage-guided fuzzing of the front end: any bytes, read as a {@code .nn} file, parse and
 * check to a checked model, or to a {@code CompileError} whose diagnostics point inside the text, or
 * to a {@code UsageError} with a message ({@link FuzzTest#judge}, the oracle of the seeded mutation
 * test); never another exception, never more than {@link #SOFT_LIMIT} (best of three runs).
 *
 * <p>Seeds: {@code samples/*.nn} and {@code src/test/resources/fuzz-seeds/}, which the build copies
 * into {@code FrontEndFuzzTestInputs/parseAndCheck/}, where Jazzer also keeps the crash inputs it
 * finds; its mutations use a dictionary of the grammar's tokens and the built-in names
 * ({@code nn.dict}). A plain {@code mvn verify} runs the seeds and saved inputs only (regression
 * mode); {@code bench/fuzz.sh} runs a fuzzing session (docs/reliability.md).
 */
class FrontEndFuzzTest {

    static final Duration SOFT_LIMIT = Duration.ofSeconds(2);
    static final Duration HARD_LIMIT = Duration.ofSeconds(30);

    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final long START = System.nanoTime();

    // qualified: dev.nnc.FuzzTest is the seeded mutation test, whose oracle this one shares
    @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "10m")
    @DictionaryFile(resourcePath = "nn.dict")
    void parseAndCheck(byte[] input) {
        Object outcome = Bounded.call(SOFT_LIMIT, HARD_LIMIT, () -> FuzzTest.outcome("fuzz.nn", input));
        String problem = FuzzTest.judge("fuzz.nn", input, outcome);
        if (problem != null) {
            throw new AssertionError(problem + "\n--- input (" + input.length + " bytes; \\xNN is a byte) ---\n"
                    + Mutator.escape(input) + "\n--- end ---");
        }
        if (outcome instanceof dev.nnc.check.CheckedModel) {
            CHECKED.incrementAndGet();
        }
        EXECUTIONS.incrementAndGet();
    }

    @AfterAll
    static void summary() {
        double seconds = (System.nanoTime() - START) / 1e9;
        System.err.printf("FrontEndFuzzTest: %,d inputs (%,d checked models) in %.1f s, %.0f/s%n", EXECUTIONS.get(),
                CHECKED.get(), seconds, EXECUTIONS.get() / seconds);
    }
}
