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
import java.util.TreeMap;
import java.util.stream.Collectors;
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

/** {@code NncSupport}'s text, appended to a generated class, compiles alone with the JDK. */
class NncSupportEmbeddedTest {

    static final String T = "public class T { public static void main(String[] a) { System.out.println(NncSupport.class.getName()); } }\n";

    @Test
    void sourceIsTheClassWithoutPackageOrImports() throws Exception {
        String text = Embedded.supportSource();
        assertTrue(text.contains("final class NncSupport {"));
        assertTrue(text.startsWith("/**"), text.substring(0, 40));
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("import "), line);
            assertFalse(line.startsWith("package "), line);
        }
        String file = Files.readString(Path.of("src/main/java/dev/nnc/runtime/NncSupport.java"));
        assertEquals(1, file.lines().filter(l -> l.startsWith("package ")).count());
        assertEquals(file.substring(file.indexOf("/**")), text, "the jar holds the current source");
    }

    @Test
    void compilesWithNoClassPathAndZeroDiagnostics() throws Exception {
        Map<String, byte[]> classes = compile("T", T + "\n" + Embedded.supportSource());
        assertTrue(classes.keySet().containsAll(List.of("T", "NncSupport", "NncSupport$SplitMix64", "NncSupport$Flags")),
                classes.keySet().toString());
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
        ClassLoader loader = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        Method main = loader.loadClass(mainClass).getMethod("main", String[].class);
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
}
