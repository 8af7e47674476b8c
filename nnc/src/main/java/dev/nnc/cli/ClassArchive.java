package dev.nnc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A class data sharing archive of the classes nnc loads (its own, ANTLR's, JavaPoet's, picocli's,
 * javac's), for the JVM {@link Relaunch} starts: the first run writes it when its JVM exits, later
 * runs map it instead of loading and verifying those classes again (about 0.15 s of the setup).
 * It lives in {@code $XDG_CACHE_HOME/nnc} (else {@code ~/.cache/nnc}), named after the jar (path,
 * size, time) and the JVM, so a rebuilt jar or another JDK gets an archive of its own; a stale or
 * broken archive is ignored by the JVM. {@code NNC_CDS=0} turns it off.
 */
final class ClassArchive {

    private final Path file;
    /** Where the child writes a new archive, renamed to {@link #file} once it is complete; null when using one. */
    private final Path pending;

    private ClassArchive(Path file, Path pending) {
        this.file = file;
        this.pending = pending;
    }

    /** The archive for a class path that is one jar; null when there is none to use or make. */
    static ClassArchive forClassPath(String classPath) {
        if ("0".equals(System.getenv("NNC_CDS")) || classPath == null || !classPath.endsWith(".jar")
                || classPath.contains(java.io.File.pathSeparator)) {
            return null;
        }
        try {
            Path jar = Path.of(classPath).toAbsolutePath();
            String key = jar + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis() + "\n"
                    + System.getProperty("java.vm.version") + "\n" + System.getProperty("java.home");
            Path dir = cacheDir();
            Files.createDirectories(dir);
            Path file = dir.resolve("nnc-" + hash(key) + ".jsa");
            if (Files.isRegularFile(file)) {
                return new ClassArchive(file, null);
            }
            return new ClassArchive(file, dir.resolve("nnc-" + hash(key) + "." + ProcessHandle.current().pid() + ".tmp"));
        } catch (IOException | RuntimeException e) {
            return null; // no cache: start as usual
        }
    }

    /** The child JVM's options: map the archive, or write one at exit; the JVM's CDS messages off either way. */
    List<String> options() {
        return pending == null
                ? List.of("-XX:SharedArchiveFile=" + file, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
                : List.of("-XX:ArchiveClassesAtExit=" + pending, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** After the child exits: a newly written archive takes its name (atomically), or is removed. */
    void finish() {
        if (pending == null) {
            return;
        }
        try {
            if (Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // another run may have won the race; either archive is as good
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                // nothing to clean up then
            }
        }
    }

    private static Path cacheDir() {
        return dev.nnc.compile.TrainerCache.nncCache();
    }

    private static String hash(String key) {
        return dev.nnc.compile.TrainerCache.hex(key, 8);
    }
}
