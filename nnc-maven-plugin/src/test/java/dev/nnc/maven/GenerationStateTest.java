package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationStateTest {

    private static final GenerationState LAST = new GenerationState(Map.of(
            "com/acme/fraud.nn", new GenerationState.Entry("aaaa", List.of("com/acme/Fraud.java")),
            "com/acme/two.nn", new GenerationState.Entry("bbbb", List.of("com/acme/One.java", "com/acme/Two.java")),
            "old.nn", new GenerationState.Entry("cccc", List.of("Old.java"))));

    @Test
    void nothingIsStaleWhenNothingChanged() {
        assertEquals(List.of(), LAST.stale(Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbb", "old.nn", "cccc"), o -> true));
    }

    @Test
    void newAndChangedSourcesAreStale() {
        List<String> stale = LAST.stale(Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbX", "new.nn", "dddd"), o -> true);
        assertEquals(List.of("com/acme/two.nn", "new.nn"), stale);
    }

    @Test
    void aSourceWithAMissingOutputIsStale() {
        List<String> stale = LAST.stale(Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbb"),
                o -> !o.equals("com/acme/Two.java"));
        assertEquals(List.of("com/acme/two.nn"), stale);
    }

    @Test
    void theOutputsOfADeletedSourceAreOrphans() {
        Map<String, String> now = Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbb");
        GenerationState next = LAST.next(now, Map.of());
        assertEquals(Set.of("com/acme/fraud.nn", "com/acme/two.nn"), next.sources().keySet());
        assertEquals(List.of("Old.java"), next.orphansOf(LAST));
    }

    @Test
    void aRecompiledSourceKeepsOnlyWhatItMakesNow() {
        Map<String, String> now = Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbX", "old.nn", "cccc");
        GenerationState next = LAST.next(now, Map.of("com/acme/two.nn", List.of("com/acme/One.java", "com/acme/Three.java")));
        assertEquals(new GenerationState.Entry("bbbX", List.of("com/acme/One.java", "com/acme/Three.java")),
                next.sources().get("com/acme/two.nn"));
        assertEquals(List.of("com/acme/Two.java"), next.orphansOf(LAST));
    }

    /** A model moved from one file to another in one build: its class has a new owner and is no orphan. */
    @Test
    void aClassThatMovesToAnotherSourceIsKept() {
        Map<String, String> now = Map.of("com/acme/fraud.nn", "aaaX", "com/acme/two.nn", "bbbX", "old.nn", "cccc");
        GenerationState next = LAST.next(now, Map.of("com/acme/fraud.nn", List.of("com/acme/Fraud.java", "com/acme/Two.java"),
                "com/acme/two.nn", List.of("com/acme/One.java")));
        assertEquals(List.of(), next.orphansOf(LAST));
        assertEquals(Map.of(), next.clashes());
    }

    @Test
    void twoSourcesMakingOneClassClash() {
        Map<String, String> now = Map.of("com/acme/fraud.nn", "aaaa", "com/acme/two.nn", "bbbb", "com/acme/copy.nn", "eeee");
        GenerationState next = LAST.next(now, Map.of("com/acme/copy.nn", List.of("com/acme/Fraud.java")));
        assertEquals(Map.of("com/acme/Fraud.java", List.of("com/acme/copy.nn", "com/acme/fraud.nn")), next.clashes());
    }

    @Test
    void theFileFormRoundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state.txt");
        Files.writeString(file, LAST.format());
        assertEquals(LAST, GenerationState.read(file));
        assertTrue(LAST.format().startsWith("nnc-maven-plugin state 1\nsource aaaa com/acme/fraud.nn\n\tcom/acme/Fraud.java\n"),
                LAST.format());
    }

    @Test
    void noFileOrAFileOfAnotherFormIsNoState(@TempDir Path dir) throws IOException {
        assertEquals(GenerationState.EMPTY, GenerationState.read(dir.resolve("none.txt")));
        assertEquals(GenerationState.EMPTY, GenerationState.parse(List.of("nnc-maven-plugin state 0", "source a b")));
        assertEquals(GenerationState.EMPTY, GenerationState.parse(List.of("nnc-maven-plugin state 1", "garbage")));
        assertEquals(GenerationState.EMPTY, GenerationState.parse(List.of()));
    }

    @Test
    void aPathWithASpaceIsKept() {
        GenerationState state = new GenerationState(Map.of("my models/a b.nn", new GenerationState.Entry("ffff", List.of("AB.java"))));
        assertEquals(state, GenerationState.parse(state.format().lines().toList()));
    }
}
