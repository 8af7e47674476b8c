package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NnSourcesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        for (String f : List.of("top.nn", "com/acme/fraud.nn", "com/acme/draft.nn", "com/acme/notes.txt", "com/acme/fraud.nn~",
                "other/x.nn")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "");
        }
    }

    @Test
    void everyNnFileByDefault() {
        assertEquals(List.of("com/acme/draft.nn", "com/acme/fraud.nn", "other/x.nn", "top.nn"), NnSources.scan(dir.toFile(), null, List.of()));
    }

    @Test
    void includesAndExcludesAreAntPatterns() {
        assertEquals(List.of("com/acme/fraud.nn"), NnSources.scan(dir.toFile(), List.of("com/**/*.nn"), List.of("**/draft.nn")));
        assertEquals(List.of("top.nn"), NnSources.scan(dir.toFile(), List.of("*.nn"), null));
    }
}
