package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.emit.RuntimeSources;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** The runtime's sources as nnc compile ships them ({@link RuntimeSources}), appended to a generated class, compile alone with the JDK. */
class NncSupportEmbeddedTest {

    static final Path RUNTIME = Path.of(System.getProperty("nnc.root", "."), "nnc-runtime/src/main/java/dev/nnc/runtime");
    static final String T = "public class T { public static void main(String[] a) { System.out.println(NncSupport.class.getName()); } }\n";

    /** The jar holds every file of the library's folder as it is on disk, each with one package line and no imports. */
    @Test
    void theSourcesAreEveryRuntimeFileAsOnDisk() throws Exception {
        Map<String, String> files = RuntimeSources.files(true);
        try (Stream<Path> listed = Files.list(RUNTIME)) {
            Set<String> onDisk = listed.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(onDisk, new TreeSet<>(files.keySet()));
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            String file = Files.readString(RUNTIME.resolve(e.getKey() + ".java"));
            assertEquals(file, e.getValue(), "the jar holds the current text of " + e.getKey());
            assertEquals(1, file.lines().filter(l -> l.startsWith("package dev.nnc.runtime;")).count(), e.getKey());
            assertFalse(file.lines().anyMatch(l -> l.startsWith("import ")), e.getKey() + " has imports: it could not be appended");
        }
    }

    @Test
    void theAppendixHasNoPackageNoImportsAndNoPublicTopLevelType() {
        String text = RuntimeSources.appendix(false);
        assertTrue(text.startsWith("/**"), text.substring(0, 40));
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("import ") || line.startsWith("package ") || line.startsWith("public "), line);
        }
        assertTrue(text.contains("\nfinal class NncSupport {"), "NncSupport is package-private");
    }

    /** The Vector API kernels ship only with a trainer that uses them. */
    @Test
    void vectorKernelsShipOnlyWhenAsked() {
        assertFalse(RuntimeSources.appendix(false).contains("jdk.incubator.vector"));
        assertFalse(RuntimeSources.files(false).containsKey("NncGemmVector"));
        assertTrue(RuntimeSources.appendix(true).contains("\nfinal class NncGemmVector {"), "NncGemmVector appended");
    }

    @Test
    void compilesWithNoClassPathAndZeroDiagnostics() throws Exception {
        Map<String, byte[]> classes = compile("T", T + "\n" + RuntimeSources.appendix(false));
        assertTrue(classes.keySet().containsAll(List.of("T", "NncSupport", "NncSupport$SplitMix64", "NncFlags", "NncDriver",
                "NncDriver$Defaults", "NncModel", "NncJson", "NncWeights", "NncProgress$ProgressBar")), classes.keySet().toString());
        assertEquals("NncSupport\n", runMain(classes, "T"));
    }

    /** The generated file has a package and imports of its own; NncSupport must not care. */
    @Test
    void compilesInAPackageNextToImports() throws Exception {
        String file = "package gen.demo;\n\nimport java.util.*;\nimport java.io.*;\nimport java.nio.file.*;\n\n"
                + T + "\n" + RuntimeSources.appendix(false);
        Map<String, byte[]> classes = compile("gen.demo.T", file);
        assertEquals("gen.demo.NncSupport\n", runMain(classes, "gen.demo.T"));
    }

    static Map<String, byte[]> compile(String className, String source) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        standard.setLocation(StandardLocation.CLASS_PATH, List.of());
        standard.setLocation(StandardLocation.SOURCE_PATH, List.of());
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        out.put(name, bytes);
                        return bytes;
                    }
                };
            }
        };
        String path = className.replace('.', '/') + ".java";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(null, memory, diagnostics, List.of("-Xlint:all", "-proc:none"), null, List.of(file)).call();
        String messages = diagnostics.getDiagnostics().stream()
                .map(d -> d.getKind() + " " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        assertTrue(ok, messages);
        assertEquals(List.of(), diagnostics.getDiagnostics().stream().map(Diagnostic::toString).toList(), messages);
        Map<String, byte[]> classes = new TreeMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    /** Runs {@code main} with only the platform's classes besides the compiled ones. */
    static String runMain(Map<String, byte[]> classes, String mainClass) throws Exception {
        Method main = fresh(classes).loadClass(mainClass).getMethod("main", String[].class);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A class loader of the compiled classes over the platform's alone: nothing of nnc is visible. */
    static ClassLoader fresh(Map<String, byte[]> classes) {
        return new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
    }
}
