package dev.nnc.runtime;

/**
 * Files replaced atomically: the content goes to a hidden temporary file beside the target, which
 * is then moved over it in one step, so a reader (or a crash) sees the old file or the whole new
 * one, never half of it; the temporary file is removed on every path out.
 */
public final class NncFiles {

    private NncFiles() {}

    /** Temporary files being written right now, so that a forced stop can remove them first. */
    private static final java.util.Set<java.nio.file.Path> WRITING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Held while a temporary file is created and named in {@link #WRITING}, and while they are removed before a halt. */
    private static final Object LOCK = new Object();

    /** Set once the process is about to halt: no temporary file is created after. */
    private static boolean halting;

    /**
     * Removes the temporary files of writes in progress, before the process halts without finishing
     * them; from then on no write creates one (a write that tries fails), so nothing is left behind.
     */
    static void removeUnfinished() {
        synchronized (LOCK) {
            halting = true;
            for (java.nio.file.Path temp : WRITING) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException ignored) {
                    // halting anyway; the file is hidden and named as ours
                }
            }
        }
    }

    /**
     * Checks before any work that {@code path}, given for {@code flag}, can be written: its folder
     * exists and is writable, and it is not a folder, a device or another non-regular file. A
     * {@link NncSupport.UsageError} names the path and what is wrong. Null passes.
     */
    static void checkTarget(String path, String flag) {
        if (path == null) {
            return;
        }
        java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(path).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new NncSupport.UsageError(flag + " " + path + ": not a valid path");
        }
        java.nio.file.Path folder = file.getParent();
        if (java.nio.file.Files.isDirectory(file)) {
            throw new NncSupport.UsageError(flag + " " + path + ": it is a folder");
        }
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            throw new NncSupport.UsageError(flag + " " + path + ": it is not a regular file (a device or a pipe), which is never written");
        }
        if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
            throw new NncSupport.UsageError(flag + " " + path + ": no such folder " + folder);
        }
        if (!java.nio.file.Files.isWritable(folder)) {
            throw new NncSupport.UsageError(flag + " " + path + ": the folder " + folder + " is not writable");
        }
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isWritable(file)) {
            throw new NncSupport.UsageError(flag + " " + path + ": the file is not writable");
        }
    }

    /** Writes the bytes of one file. */
    interface Content {
        void write(java.io.OutputStream out) throws java.io.IOException;
    }

    /** Replaces {@code file} with what {@code content} writes; a {@link NncSupport.DataError} names the file and why not. */
    static void replace(java.nio.file.Path file, Content content) {
        java.nio.file.Path target = file.toAbsolutePath();
        if (java.nio.file.Files.isDirectory(target)) {
            throw new NncSupport.DataError("cannot write " + file + ": it is a directory");
        }
        if (java.nio.file.Files.exists(target) && !java.nio.file.Files.isRegularFile(target)) {
            throw new NncSupport.DataError("cannot write " + file + ": it is not a regular file");
        }
        // A name of our own rather than createTempFile, whose owner-only permissions would stick.
        java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "."
                + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            java.io.OutputStream raw;
            synchronized (LOCK) { // a halt removes every temporary file created before it, and none is created after
                if (halting) {
                    throw new java.io.IOException("the process is stopping");
                }
                WRITING.add(temp);
                raw = java.nio.file.Files.newOutputStream(temp, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            }
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16)) {
                content.write(out);
            }
            try {
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : String.valueOf(e.getMessage());
            throw new NncSupport.DataError("cannot write " + file + ": " + why);
        } finally {
            WRITING.remove(temp);
            try {
                java.nio.file.Files.deleteIfExists(temp);
            } catch (java.io.IOException ignored) {
                // the stray temporary file is harmless and hidden
            }
        }
    }
}
