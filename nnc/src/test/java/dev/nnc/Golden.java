package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A golden file: compared with what the code prints now, or rewritten from it when the build runs
 * with {@code -Dnnc.regen=true} (the test then shows as skipped, and {@code git diff} shows the change).
 */
public final class Golden {

    public static final boolean REGEN = Boolean.getBoolean("nnc.regen");

    private Golden() {}

    /** Asserts that {@code golden} holds {@code actual}; {@code what} names it in messages ("AST of good/tiny.nn"). */
    public static void check(Path golden, String actual, String what) throws IOException {
        if (REGEN) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            System.out.println("nnc.regen: wrote " + golden);
            Assumptions.abort("nnc.regen is true: wrote " + golden + " instead of comparing");
        }
        if (!Files.exists(golden)) {
            fail("no golden file for " + what + " at " + golden + "; run `mvn verify -Dnnc.regen=true` and review it");
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
                what + " differs from " + golden + " (regenerate with -Dnnc.regen=true if intended)");
    }
}
