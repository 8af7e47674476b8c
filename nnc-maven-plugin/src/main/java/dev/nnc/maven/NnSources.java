package dev.nnc.maven;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.codehaus.plexus.util.DirectoryScanner;

/**
 * The {@code .nn} files of a source directory that an execution compiles: its {@code <includes>}
 * (by default every {@code **}{@code /*.nn}) less its {@code <excludes>}, in Ant's patterns as every
 * Maven plugin reads them, and less the files no build wants (editor backups, version control).
 */
final class NnSources {

    /** What {@code <includes>} is when it is not set. */
    static final List<String> DEFAULT_INCLUDES = List.of("**/*.nn");

    private NnSources() {}

    /** The files under {@code dir}, relative to it, {@code /} between folders, sorted. */
    static List<String> scan(File dir, List<String> includes, List<String> excludes) {
        DirectoryScanner scanner = new DirectoryScanner();
        scanner.setBasedir(dir);
        scanner.setIncludes((includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : includes).toArray(String[]::new));
        if (excludes != null && !excludes.isEmpty()) {
            scanner.setExcludes(excludes.toArray(String[]::new));
        }
        scanner.addDefaultExcludes();
        scanner.scan();
        return Arrays.stream(scanner.getIncludedFiles()).map(f -> f.replace(File.separatorChar, '/')).sorted().toList();
    }
}
