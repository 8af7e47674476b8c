package dev.nnc.emit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source text of the runtime library ({@code nnc-runtime}), which {@code nnc compile} writes beside
 * a generated class or appends to it ({@code --single-file}). The library's build copies its own
 * sources into its jar with an index of them ({@code nnc-runtime/pom.xml}), so the text written is
 * exactly the code that the compiled library runs, and the list of files exists only there.
 *
 * <pre>
 *   files(false)  -&gt;  {"NncCsv" -&gt; "package dev.nnc.runtime; ... public final class NncCsv { ... }", ...}
 * </pre>
 */
public final class RuntimeSources {

    /** Outside the package's own folder, so that javac never takes them for sources on a class path. */
    static final String FOLDER = "/nnc-runtime-src/";
    private static final String PACKAGE_LINE = "package " + Runtime.PACKAGE + ";";
    /** What a file that needs {@code --add-modules jdk.incubator.vector} contains. */
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static volatile Map<String, String> all;

    private RuntimeSources() {}

    /**
     * The runtime's files by class name, in the index's (alphabetical) order, each its whole text;
     * without the Vector API kernels unless {@code vector}, so that a plain {@code javac} builds them.
     */
    public static Map<String, String> files(boolean vector) {
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : all().entrySet()) {
            if (vector || !needsVector(e.getValue())) {
                chosen.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(chosen);
    }

    /** Whether a runtime file needs the incubating Vector API module to compile. */
    static boolean needsVector(String text) {
        return text.contains(VECTOR_MODULE);
    }

    /**
     * The runtime as text to follow a generated class in its file: each file from just after its
     * package line, its top-level type package-private (a file has one public class), separated by
     * one empty line.
     */
    public static String appendix(boolean vector) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : files(vector).entrySet()) {
            b.append(b.length() == 0 ? "" : "\n").append(packagePrivate(afterPackageLine(e.getKey(), e.getValue())));
        }
        return b.toString();
    }

    /** {@code public final class X} at the start of a line (a top-level declaration) loses its {@code public}. */
    static String packagePrivate(String text) {
        return text.replaceAll("(?m)^public ((?:abstract |final |sealed |non-sealed )*(?:class|interface|record|enum) )", "$1");
    }

    static String afterPackageLine(String name, String text) {
        String unix = text.replace("\r\n", "\n");
        int at = unix.indexOf(PACKAGE_LINE + "\n");
        if (at < 0) {
            throw new IllegalStateException(name + ".java has no line '" + PACKAGE_LINE + "'");
        }
        String rest = unix.substring(at + PACKAGE_LINE.length() + 1);
        int start = 0;
        while (start < rest.length() && rest.charAt(start) == '\n') {
            start++;
        }
        return rest.substring(start);
    }

    private static Map<String, String> all() {
        Map<String, String> a = all;
        if (a == null) {
            Map<String, String> read = new LinkedHashMap<>();
            for (String file : index("index.txt")) {
                read.put(file.substring(0, file.length() - ".java".length()), new String(resource(FOLDER + Runtime.PACKAGE.replace('.', '/')
                        + "/" + file), StandardCharsets.UTF_8).replace("\r\n", "\n"));
            }
            a = Collections.unmodifiableMap(read);
            all = a;
        }
        return a;
    }

    /** The names listed in {@code FOLDER/name}: the library's build writes them from its own folders. */
    static List<String> index(String name) {
        List<String> names = new ArrayList<>();
        for (String s : new String(resource(FOLDER + name), StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (!s.isEmpty()) {
                names.add(s);
            }
        }
        return names;
    }

    static byte[] resource(String name) {
        try (InputStream in = RuntimeSources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing: nnc-runtime's jar is not on the class path,"
                        + " or its build did not index it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
