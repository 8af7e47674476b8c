package dev.nnc.syntax;

import dev.nnc.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden AST printouts: {@code sexpr} of every good file and sample against
 * {@code src/test/resources/golden/ast/NAME.txt}. {@code mvn verify -Dnnc.regen=true} rewrites them
 * instead of comparing (those tests then show as skipped, each naming the file it wrote).
 */
class SyntaxGoldenTest {


    static Stream<Arguments> files() {
        return NnFiles.all().stream().map(p -> Arguments.of(NnFiles.label(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void astMatchesGolden(String label, Path file) throws IOException {
        String actual = AstPrinter.sexpr(NnFiles.parseFile(file));
        Path golden = NnFiles.GOLDEN_AST.resolve(NnFiles.baseName(file) + ".txt");
        Golden.check(golden, actual, "AST of " + label);
    }

    /** Golden files are named by base name only, so a good file and a sample must not share one. */
    @Test
    void baseNamesAreUnique() {
        Map<String, Path> seen = new HashMap<>();
        for (Path p : NnFiles.all()) {
            Path first = seen.putIfAbsent(NnFiles.baseName(p), p);
            assertTrue(first == null, p + " and " + first + " would share a golden file");
        }
    }
}
