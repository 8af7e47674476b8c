package dev.nnc.cli;

import static dev.nnc.cli.GradCommandTest.json;
import static dev.nnc.cli.GradCommandTest.map;
import static dev.nnc.cli.GradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The inspection commands on a model that indexes and slices ({@code good/indexing.nn}): {@code grad}'s
 * listing and LaTeX against {@code golden/grad/indexing.txt} and {@code .tex} (slices as {@code x[1:5]},
 * their adjoints as {@code embed(a, [i] of [n])}, explained under the listing), {@code trace} with the
 * sliced values and the adjoints of the named values, and {@code gradcheck}.
 */
class IndexingCommandsTest {

    static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    static final String MODEL = BASEDIR.resolve("src/test/resources/good/indexing.nn").toString();
    static final Path GOLDEN = BASEDIR.resolve("src/test/resources/golden/grad");

    @Test
    void gradListingMatchesGolden() throws IOException {
        CliRun r = run("grad", MODEL);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("embed(a, [i] of [n]) is zeros of shape [n] with a at [i]"), r.out());
        Golden.check(GOLDEN.resolve("indexing.txt"), r.out(), "grad of " + MODEL);
    }

    @Test
    void latexListingMatchesGolden() throws IOException {
        CliRun r = run("grad", MODEL, "--latex");
        assertEquals(0, r.code(), r.all());
        Golden.check(GOLDEN.resolve("indexing.tex"), r.out(), "grad --latex of " + MODEL);
    }

    @Test
    void traceShowsTheSlicedValuesAndTheirAdjoints() {
        CliRun r = run("trace", MODEL);
        assertEquals(0, r.code(), r.all());
        for (String line : List.of("h    = tanh(W @ x[1:5] + b)", "out  = V @ h[1:] + W[:2, 0]", "dloss/dout", "dloss/dh")) {
            assertTrue(r.out().contains(line), "missing " + line + "\n" + r.all());
        }
        Map<String, Object> doc = json("trace", MODEL, "--json");
        Map<String, Object> backward = map(doc.get("backward"));
        // h[0] feeds nothing (out reads h[1:]), so its adjoint is 0 in every sample
        for (Object sample : (List<?>) backward.get("h")) {
            assertEquals(0.0, ((Number) ((List<?>) sample).get(0)).doubleValue(), "dloss/dh[0]: " + backward.get("h"));
            assertTrue(((Number) ((List<?>) sample).get(1)).doubleValue() != 0, "dloss/dh[1]: " + backward.get("h"));
        }
    }

    @Test
    void gradcheckPasses() {
        CliRun r = run("gradcheck", MODEL, "--json");
        assertEquals(0, r.code(), r.all());
        double error = ((Number) json("gradcheck", MODEL, "--json").get("max_rel_error")).doubleValue();
        assertTrue(error < 1e-6, "max relative error " + error);
    }
}
