package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input corpus: every file under {@code src/test/resources/bad} is a small model with
 * deliberate errors. Its first lines, {@code # expect: LINE:COL: MESSAGE}, list every diagnostic the
 * checker must report, in source order; they count as lines of the file, so the model's line numbers
 * start below them. The test compares the whole list, so a new, lost or reworded error fails it.
 */
class BadInputTest {

    static final Path BAD = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/bad");

    private static final String EXPECT = "# expect: ";

    static Stream<Arguments> files() {
        return corpus().stream().map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    static List<Path> corpus() {
        if (!Files.isDirectory(BAD)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(BAD)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void reportsExactlyTheExpectedErrors(String name, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> expected = expectations(text);
        assertFalse(expected.isEmpty(), name + " has no '" + EXPECT.strip() + "' lines");

        SourceFile source = new SourceFile("bad/" + name, text);
        CompileError error = assertThrows(CompileError.class, () -> Pipeline.check(source, null),
                name + " should not check");

        List<Diagnostic> found = error.diagnostics().sorted();
        List<String> actual = found.stream().map(d -> d.pos() + ": " + d.message()).toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual), "diagnostics of " + name);

        String rendered = error.diagnostics().render();
        assertFalse(rendered.contains("Exception"), "a diagnostic of " + name + " leaks an exception:\n" + rendered);
        int lines = text.split("\r\n|\r|\n", -1).length;
        for (Diagnostic d : found) {
            assertTrue(d.pos().line() >= 1 && d.pos().line() <= lines && d.pos().column() >= 1,
                    name + ": " + d + " is outside the file's " + lines + " lines");
        }
    }

    /** The leading {@code # expect:} lines, without the prefix. */
    static List<String> expectations(String text) {
        List<String> expected = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            if (!line.startsWith(EXPECT)) {
                break;
            }
            expected.add(line.substring(EXPECT.length()).strip());
        }
        return expected;
    }

    @Test
    void corpusCoversTheRules() {
        assertTrue(corpus().size() >= 45, "expected at least 45 files in " + BAD + ", found " + corpus().size());
    }

    /** An empty file has no room for expectations, so it is checked here. */
    @ParameterizedTest
    @ValueSource(strings = {"", "\n   \n"})
    void emptyFileIsAnError(String text) {
        CompileError error = assertThrows(CompileError.class, () -> Pipeline.check(new SourceFile("empty.nn", text), null));
        List<Diagnostic> found = error.diagnostics().sorted();
        assertEquals(1, found.size(), error.diagnostics().render());
        assertEquals("the file is empty: expected a model, 'model NAME { ... }'", found.get(0).message());
    }
}
