package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The runtime's text ({@link Embedded}), appended to a generated class, compiles alone with the JDK. */
class NncSupportEmbeddedTest {

    static final Path RUNTIME = Path.of("src/main/java/dev/nnc/runtime");
    static final String T = "public class T { public static void main(String[] a) { System.out.println(NncSupport.class.getName()); } }\n";

    @Test
    void sourceIsEveryRuntimeFileWithoutPackageOrImports() throws Exception {
        String text = Embedded.supportSource();
        assertTrue(text.startsWith("/**"), text.substring(0, 40));
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("import "), line);
            assertFalse(line.startsWith("package "), line);
        }
        StringBuilder expected = new StringBuilder();
        for (String name : Embedded.FILES) {
            String file = Files.readString(RUNTIME.resolve(name + ".java"));
            assertEquals(1, file.lines().filter(l -> l.startsWith("package ")).count(), name);
            assertEquals(1, file.lines().filter(l -> l.startsWith("package dev.nnc.runtime;")).count(), name);
            assertFalse(file.lines().anyMatch(l -> l.startsWith("import ")), name + " has imports");
            assertTrue(text.contains("\nfinal class " + name + " {") || text.contains("\ninterface " + name + " {"), name);
            expected.append(expected.length() == 0 ? "" : "\n").append(file.substring(file.indexOf("/**")));
        }
        assertEquals(expected.toString(), text, "the jar holds the current sources, in Embedded.FILES order");
    }

    /** Every Nnc* file of the package is embedded, and the pom copies exactly those. */
    @Test
    void everyRuntimeFileIsListedInEmbeddedAndThePom() throws Exception {
        try (Stream<Path> files = Files.list(RUNTIME)) {
            Set<String> onDisk = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("Nnc") && n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(onDisk, new TreeSet<>(Embedded.files(true)));
        }
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> included = pom.lines().map(String::strip)
                .filter(l -> l.startsWith("<include>dev/nnc/runtime/"))
                .map(l -> l.substring("<include>dev/nnc/runtime/".length(), l.indexOf(".java</include>")))
                .toList();
        assertEquals(Embedded.files(true), included);
    }

    /** The Vector API kernels come last, and only in a trainer that uses them. */
    @Test
    void vectorKernelsAreAppendedOnlyWhenAsked() {
        assertFalse(Embedded.supportSource().contains("jdk.incubator.vector"));
        String vector = Embedded.supportSource(true);
        assertTrue(vector.startsWith(Embedded.supportSource() + "\n"));
        assertTrue(vector.contains("\nfinal class NncGemmVector {"), "NncGemmVector appended");
    }

    @Test
    void compilesWithNoClassPathAndZeroDiagnostics() throws Exception {
        Map<String, byte[]> classes = compile("T", T + "\n" + Embedded.supportSource());
        assertTrue(classes.keySet().containsAll(List.of("T", "NncSupport", "NncSupport$SplitMix64", "NncFlags", "NncDriver",
                "NncDriver$Defaults", "NncModel", "NncJson", "NncWeights", "NncProgress$ProgressBar")), classes.keySet().toString());
        assertEquals("NncSupport\n", runMain(classes, "T"));
    }

    /** The generated file has a package and imports of its own; NncSupport must not care. */
    @Test
    void compilesInAPackageNextToImports() throws Exception {
        String file = "package gen.demo;\n\nimport java.util.*;\nimport java.io.*;\nimport java.nio.file.*;\n\n"
                + T + "\n" + Embedded.supportSource();
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
