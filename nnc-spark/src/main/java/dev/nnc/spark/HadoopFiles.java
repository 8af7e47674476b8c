package dev.nnc.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Whole small files on any Hadoop file system (local {@code file:}, HDFS, S3A ...): model weights and checkpoints. */
final class HadoopFiles {

    private HadoopFiles() {}

    static boolean exists(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + path, e);
        }
    }

    static byte[] read(String path, Configuration conf) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Writes {@code bytes} to {@code path} through a file beside it and a rename, so that a crash
     * leaves the old file or the new one, not a torn one (on file systems whose rename is atomic).
     */
    static void write(String path, byte[] bytes, Configuration conf) {
        Path p = new Path(path);
        Path partial = new Path(p.getParent(), "." + p.getName() + ".partial");
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (OutputStream out = fs.create(partial, true)) {
                out.write(bytes);
            }
            fs.delete(p, false);
            if (!fs.rename(partial, p)) {
                throw new IOException("the rename of " + partial + " to " + p + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
