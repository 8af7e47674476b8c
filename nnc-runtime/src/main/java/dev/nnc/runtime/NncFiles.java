package dev.nnc.runtime;

/**
 * Files replaced atomically: the content goes to a hidden temporary file beside the target, which
 * is then moved over it in one step, so a reader (or a crash) sees the old file or the whole new
 * one, never half of it; the temporary file is removed on every path out.
 */
public final class NncFiles {

    private NncFiles() {}

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
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(temp,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
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
            try {
                java.nio.file.Files.deleteIfExists(temp);
            } catch (java.io.IOException ignored) {
                // the stray temporary file is harmless and hidden
            }
        }
    }
}
