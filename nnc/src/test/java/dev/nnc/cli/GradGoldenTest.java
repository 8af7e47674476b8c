package dev.nnc.cli;

import dev.nnc.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden gradient listings: {@code nnc grad} of every sample against
 * {@code src/test/resources/golden/grad/NAME.txt} (listing and values) and {@code nnc grad --latex}
 * against {@code NAME.tex}. {@code mvn verify -Dnnc.regen=true} rewrites them instead of comparing
 * (those tests then show as skipped, each naming the file it wrote); review the diff before committing.
 */
class GradGoldenTest {

    static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");
    private static final Path GOLDEN = BASEDIR.resolve("src/test/resources/golden/grad");

    /** Every sample, by name: none is skipped (a model without data has a listing without values). */
    static List<Path> samples() {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".nn".length());
    }

    @Test
    void thereAreSamples() {
        assertFalse(samples().isEmpty(), "no samples under " + SAMPLES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void textListingMatchesGolden(Path sample) throws IOException {
        compare(sample, ".txt", grad(sample.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void latexListingMatchesGolden(Path sample) throws IOException {
        compare(sample, ".tex", grad(sample.toString(), "--latex"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void outputIsTheSameEveryRun(Path sample) {
        assertEquals(grad(sample.toString()), grad(sample.toString()), "grad of " + sample + " changed between runs");
    }

    /** stdout of a run that must succeed. */
    private static String grad(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("grad"), Stream.of(args)).toArray(String[]::new);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, "nnc " + String.join(" ", all) + " failed:\n" + err);
        return out.toString();
    }

    private static void compare(Path sample, String extension, String actual) throws IOException {
        Golden.check(GOLDEN.resolve(baseName(sample) + extension), actual, "grad of " + sample);
    }
}
