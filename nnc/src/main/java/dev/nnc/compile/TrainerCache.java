package dev.nnc.compile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The compiled trainers of earlier runs, so that running an unchanged model again skips deriving,
 * emitting and javac (on Fashion-MNIST about 1.5 s of a 2-core machine's setup): the class files of
 * each generated trainer, under a key of everything they are made from (the .nn file's text, the
 * model chosen, the options of the code, the data folder, nnc's own build and the JDK).
 *
 * <p>It lives in {@code $XDG_CACHE_HOME/nnc/trainers} (else {@code ~/.cache/nnc/trainers}); the
 * system property {@code nnc.cache.dir} names another folder. {@code NNC_CACHE=0} (or
 * {@code -Dnnc.cache=false}) turns it off. nnc's build is the jar it runs from (path, size, time);
 * run from class folders (an IDE, the tests) there is no cache unless {@code nnc.cache.build} names
 * the build. An entry is one file, written to a temporary name and renamed, with a checksum; a
 * damaged or unreadable entry is a miss and is written again. The folder keeps the
 * {@value #KEEP} entries used last.
 *
 * <pre>
 *   key("model xor { ... }", "xor", "f32", ...)  -&gt;  "3f9a...-81c2..."   (the text's hash first)
 *   get(key)  -&gt;  null (first run)       put(key, "Xor", {Xor -&gt; bytes, Xor$Work -&gt; bytes})
 *   get(key)  -&gt;  Entry("Xor", {...})     (every later run of the same file)
 * </pre>
 */
public final class TrainerCache {

    /**
     * A cached trainer: its generated class's binary name, every class file it needs, and a note
     * of the caller's (what nnc needs to know of the model before checking it again: the data sets
     * to read ahead), empty when none.
     */
    public record Entry(String mainClass, Map<String, byte[]> classes, String note) {

        public Entry {
            note = note == null ? "" : note;
        }
    }

    /** How many entries the folder keeps; the least recently used go first. */
    static final int KEEP = 64;

    private static final int MAGIC = 0x4e4e4332; // "NNC2"
    private static final String SUFFIX = ".classes";

    /** Hits and writes in this JVM, for tests. */
    static final AtomicInteger HITS = new AtomicInteger();
    static final AtomicInteger WRITES = new AtomicInteger();

    private final Path dir;
    private final String build;

    private TrainerCache(Path dir, String build) {
        this.dir = dir;
        this.build = build;
    }

    /** The cache of this run, or null when it is off or there is no build to key it by. */
    public static TrainerCache open() {
        if ("0".equals(System.getenv("NNC_CACHE")) || "false".equals(System.getProperty("nnc.cache"))) {
            return null;
        }
        String build = build();
        if (build == null) {
            return null;
        }
        try {
            return new TrainerCache(folder(), build);
        } catch (RuntimeException e) {
            return null; // no home, a bad path: run without
        }
    }

    /**
     * The key of a trainer made from the .nn file's {@code text} and {@code parts} (what else the
     * generated code depends on), with this build and JDK: the text's hash, a dash, the rest's.
     */
    public String key(String text, String... parts) {
        StringBuilder rest = new StringBuilder(build).append('\n').append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version"));
        for (String p : parts) {
            rest.append('\n').append(p == null ? "\u0000" : p);
        }
        return textHash(text) + "-" + hash(rest.toString());
    }

    /** Whether some entry was made from this .nn text (any options): a hint that a run may find its trainer here. */
    public static boolean hasAnyFor(String text) {
        TrainerCache cache = open();
        if (cache == null || !Files.isDirectory(cache.dir)) {
            return false;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(cache.dir, cache.textHash(text) + "-*" + SUFFIX)) {
            return found.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The entry under {@code key}, or null when there is none or it is damaged. */
    public Entry get(String key) {
        Path file = dir.resolve(key + SUFFIX);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Entry entry = decode(bytes);
        if (entry != null) {
            HITS.incrementAndGet();
            try {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                // only the order of eviction
            }
        }
        return entry;
    }

    /** Keeps {@code entry} under {@code key}; a cache that cannot be written is left as it is. */
    public void put(String key, Entry entry) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = dir.resolve(key + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, encode(entry));
            Files.move(tmp, dir.resolve(key + SUFFIX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            WRITES.incrementAndGet();
            evict();
        } catch (IOException | RuntimeException e) {
            // a cache only: the run goes on without it
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // nothing left to do
                }
            }
        }
    }

    private void evict() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            all.forEach(entries::add);
        }
        if (entries.size() <= KEEP) {
            return;
        }
        Map<Path, Long> used = new LinkedHashMap<>();
        for (Path p : entries) {
            try {
                used.put(p, Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                used.put(p, 0L);
            }
        }
        entries.sort((a, b) -> Long.compare(used.get(a), used.get(b)));
        for (Path p : entries.subList(0, entries.size() - KEEP)) {
            Files.deleteIfExists(p);
        }
    }

    static byte[] encode(Entry entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(entry.mainClass());
            byte[] note = entry.note().getBytes(StandardCharsets.UTF_8);
            out.writeInt(note.length);
            out.write(note);
            out.writeInt(entry.classes().size());
            for (Map.Entry<String, byte[]> c : entry.classes().entrySet()) {
                out.writeUTF(c.getKey());
                out.writeInt(c.getValue().length);
                out.write(c.getValue());
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        new DataOutputStream(bytes).writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    /** The entry {@code bytes} hold, or null when they are not one whole, intact entry. */
    static Entry decode(byte[] bytes) {
        if (bytes.length < 12) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            in.skipNBytes(bytes.length - 8);
            if (in.readLong() != crc.getValue()) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            String main = in.readUTF();
            byte[] note = new byte[in.readInt()];
            in.readFully(note);
            int n = in.readInt();
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] file = new byte[in.readInt()];
                in.readFully(file);
                classes.put(name, file);
            }
            return classes.containsKey(main) ? new Entry(main, classes, new String(note, StandardCharsets.UTF_8)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** nnc's build: {@code nnc.cache.build}, else the jar this class came from (path, size, time), else null. */
    private static String build() {
        String given = System.getProperty("nnc.cache.build");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            var source = TrainerCache.class.getProtectionDomain().getCodeSource();
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar == null || !Files.isRegularFile(jar)) {
                return null;
            }
            return jar.toAbsolutePath() + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    private static Path folder() {
        String given = System.getProperty("nnc.cache.dir");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        return nncCache().resolve("trainers");
    }

    /** nnc's cache folder: {@code $XDG_CACHE_HOME/nnc}, else {@code ~/.cache/nnc}. */
    public static Path nncCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nnc");
    }

    /** The first half of a key: this build's hash of the .nn text. */
    private String textHash(String text) {
        return hash(build + "\n" + text);
    }

    private static String hash(String text) {
        return hex(text, 12);
    }

    /** The first {@code bytes} bytes of {@code text}'s SHA-256, in hex: the names of nnc's cache files. */
    public static String hex(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
