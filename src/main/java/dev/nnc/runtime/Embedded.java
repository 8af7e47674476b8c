package dev.nnc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The source text of the trainers' runtime ({@link NncDriver}, {@link NncModel}, {@link NncSupport}
 * and its siblings), to append after a generated trainer class in the same file. The build copies
 * those files into the jar as resources (see pom.xml), so the text the generator embeds is exactly
 * the code that nnc's own tests exercise.
 */
public final class Embedded {

    /** The runtime's files in the order they are appended; pom.xml copies exactly these. */
    static final List<String> FILES = List.of(
            "NncDriver", "NncTraining", "NncGradcheck", "NncModel", "NncSupport", "NncCsv", "NncIdx", "NncWeights", "NncJson", "NncFlags",
            "NncProgress", "NncGemm", "NncPool");

    /** Appended after {@link #FILES} for a trainer whose products use the Vector API ({@code jdk.incubator.vector}). */
    static final List<String> VECTOR_FILES = List.of("NncGemmVector");

    /** Outside the package's own folder, so javac never mistakes them for source files on the class path. */
    static final String FOLDER = "/nnc-embedded/dev/nnc/runtime/";
    private static final String PACKAGE_LINE = "package dev.nnc.runtime;";

    private static volatile String source;
    private static volatile String vectorSource;

    private Embedded() {}

    /**
     * Every runtime file from just after its package line (no package, no imports), in {@link #FILES}
     * order, each separated from the next by one empty line.
     */
    public static String supportSource() {
        String s = source;
        if (s == null) {
            s = join(FILES);
            source = s;
        }
        return s;
    }

    /** {@link #supportSource()}, followed, when {@code vector}, by the Vector API kernels of {@link #VECTOR_FILES}. */
    public static String supportSource(boolean vector) {
        if (!vector) {
            return supportSource();
        }
        String s = vectorSource;
        if (s == null) {
            s = supportSource() + "\n" + join(VECTOR_FILES);
            vectorSource = s;
        }
        return s;
    }

    /** The runtime's class names a trainer embeds: {@link #FILES}, then {@link #VECTOR_FILES} when {@code vector}. */
    public static List<String> files(boolean vector) {
        if (!vector) {
            return FILES;
        }
        List<String> all = new java.util.ArrayList<>(FILES);
        all.addAll(VECTOR_FILES);
        return List.copyOf(all);
    }

    private static String join(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String name : names) {
            b.append(b.length() == 0 ? "" : "\n").append(afterPackageLine(name, read(name)));
        }
        return b.toString();
    }

    private static String read(String name) {
        String resource = FOLDER + name + ".java";
        try (InputStream in = Embedded.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing: the build did not copy " + name + ".java");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
