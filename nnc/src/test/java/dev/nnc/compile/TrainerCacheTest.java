package dev.nnc.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled trainers of earlier runs ({@link TrainerCache}): an unchanged model runs from its
 * entry (no javac) with the same results; any change of the text or the options is a miss; a
 * damaged entry is a miss and is written again; the folder keeps the entries used last. Every test
 * points the cache at its own folder ({@code nnc.cache.dir}) under a build name of its own.
 */
class TrainerCacheTest {

    private static final String XOR = """
            model xor {
                input  x[2]
                target y
                h    = dense(x, 4, tanh)
                out  = dense(h, 1)
                loss = bce_logits(out, y)
                data {
                    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
                    y = [0, 1, 1, 0]
                }
                train { optimizer = adam(lr = 0.05); epochs = 30; batch = 4; seed = 1 }
            }
            """;

    @TempDir
    Path dir;

    private Path cacheDir;

    @BeforeEach
    void useOwnCache() {
        cacheDir = dir.resolve("cache");
        System.setProperty("nnc.cache.dir", cacheDir.toString());
        System.setProperty("nnc.cache.build", "test-" + System.nanoTime());
    }

    @AfterEach
    void restore() {
        System.clearProperty("nnc.cache.dir");
        System.clearProperty("nnc.cache.build");
        System.clearProperty("nnc.cache");
    }

    private List<Path> entries() throws Exception {
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.sorted().toList();
        }
    }

    /** The --json result without the timings, which differ between runs. */
    private static String trained(Path nn, String... more) {
        String[] args = Stream.concat(Stream.of("train", nn.toString(), "--json"), Stream.of(more)).toArray(String[]::new);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.all());
        return run.out().replaceAll("\"(seconds|samples_per_second)\": [0-9.eE+-]+", "");
    }

    @Test
    void anUnchangedModelRunsFromItsEntryWithTheSameResults() throws Exception {
        Path nn = dir.resolve("xor.nn");
        Files.writeString(nn, XOR);
        int hits = TrainerCache.HITS.get();
        int writes = TrainerCache.WRITES.get();
        String first = trained(nn);
        assertEquals(writes + 1, TrainerCache.WRITES.get());
        assertEquals(1, entries().size());
        assertTrue(TrainerCache.hasAnyFor(XOR));
        assertTrue(Warmup.cached(new String[] {"train", nn.toString()}), "javac's warm-up is skipped");

        assertEquals(first, trained(nn));
        assertEquals(hits + 1, TrainerCache.HITS.get());
        assertEquals(writes + 1, TrainerCache.WRITES.get(), "a hit writes nothing");

        // a trainer flag changes nothing of the class: the same entry
        trained(nn, "--epochs", "2");
        assertEquals(hits + 2, TrainerCache.HITS.get(), "a trainer flag is not part of the key");
        Files.writeString(nn, XOR.replace("epochs = 30", "epochs = 31"));
        trained(nn);
        assertEquals(writes + 2, TrainerCache.WRITES.get(), "a changed text is a miss");
        assertEquals(2, entries().size());
    }

    @Test
    void aDamagedEntryIsAMissAndIsWrittenAgain() throws Exception {
        Path nn = dir.resolve("xor.nn");
        Files.writeString(nn, XOR);
        String first = trained(nn);
        Path entry = entries().get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(entry, bytes);
        int writes = TrainerCache.WRITES.get();
        assertEquals(first, trained(nn));
        assertEquals(writes + 1, TrainerCache.WRITES.get());
        assertNotNull(TrainerCache.decode(Files.readAllBytes(entry)));
    }

    @Test
    void encodeAndDecodeRoundTripAndRejectEveryDamage() throws Exception {
        TrainerCache.Entry e = new TrainerCache.Entry("a.B", Map.of("a.B", new byte[] {1, 2, 3}, "a.B$Work", new byte[] {4}),
                "a note\nof two lines, \u00e9");
        byte[] bytes = TrainerCache.encode(e);
        TrainerCache.Entry back = TrainerCache.decode(bytes);
        assertEquals("a.B", back.mainClass());
        assertEquals("a note\nof two lines, \u00e9", back.note());
        assertArrayEquals(new byte[] {1, 2, 3}, back.classes().get("a.B"));
        assertArrayEquals(new byte[] {4}, back.classes().get("a.B$Work"));
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 1;
            assertNull(TrainerCache.decode(bad), "byte " + i + " flipped");
        }
        for (int n = 0; n < bytes.length; n++) {
            assertNull(TrainerCache.decode(java.util.Arrays.copyOf(bytes, n)), "cut at " + n);
        }
        assertNull(TrainerCache.decode(TrainerCache.encode(new TrainerCache.Entry("missing.Main", Map.of("a.B", new byte[1]), null))));
    }

    @Test
    void theFolderKeepsTheEntriesUsedLast() throws Exception {
        TrainerCache cache = TrainerCache.open();
        assertNotNull(cache);
        TrainerCache.Entry e = new TrainerCache.Entry("M", Map.of("M", new byte[] {7}), "");
        int n = TrainerCache.KEEP + 3;
        for (int i = 0; i < n; i++) {
            cache.put(cache.key("text " + i), e);
            Files.setLastModifiedTime(cacheDir.resolve(cache.key("text " + i) + ".classes"),
                    java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        // the oldest entry is used again: it is then among the latest
        assertNotNull(cache.get(cache.key("text 4")));
        cache.put(cache.key("one more"), e);
        List<Path> left = entries();
        assertEquals(TrainerCache.KEEP, left.size());
        assertTrue(left.contains(cacheDir.resolve(cache.key("text 4") + ".classes")));
        assertTrue(left.contains(cacheDir.resolve(cache.key("one more") + ".classes")));
        assertFalse(left.contains(cacheDir.resolve(cache.key("text 0") + ".classes")));
    }

    @Test
    void offMeansNoEntries() throws Exception {
        System.setProperty("nnc.cache", "false");
        assertNull(TrainerCache.open());
        Path nn = dir.resolve("xor.nn");
        Files.writeString(nn, XOR);
        trained(nn);
        assertEquals(List.of(), entries());
        System.clearProperty("nnc.cache.build");
        System.clearProperty("nnc.cache");
        assertNull(TrainerCache.open(), "the tests run from class folders: no build, no cache");
    }
}
