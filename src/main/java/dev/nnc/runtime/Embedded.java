package dev.nnc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The source text of {@link NncSupport}, to append after a generated trainer class in the same file.
 * The build copies {@code NncSupport.java} into the jar as a resource (see pom.xml), so the text
 * the generator embeds is exactly the class that nnc's own tests exercise.
 */
public final class Embedded {

    /** Outside the package's own folder, so javac never mistakes it for a source file on the class path. */
    static final String RESOURCE = "/nnc-embedded/dev/nnc/runtime/NncSupport.java";
    private static final String PACKAGE_LINE = "package dev.nnc.runtime;";

    private static volatile String source;

    private Embedded() {}

    /** {@code NncSupport.java} from just after its package line: no package, no imports. */
    public static String supportSource() {
        String s = source;
        if (s == null) {
            s = afterPackageLine(read());
            source = s;
        }
        return s;
    }

    private static String read() {
        try (InputStream in = Embedded.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing: the build did not copy NncSupport.java");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String afterPackageLine(String text) {
        String unix = text.replace("\r\n", "\n");
        int at = unix.indexOf(PACKAGE_LINE + "\n");
        if (at < 0) {
            throw new IllegalStateException("NncSupport.java has no line '" + PACKAGE_LINE + "'");
        }
        String rest = unix.substring(at + PACKAGE_LINE.length() + 1);
        int start = 0;
        while (start < rest.length() && rest.charAt(start) == '\n') {
            start++;
        }
        return rest.substring(start);
    }
}
