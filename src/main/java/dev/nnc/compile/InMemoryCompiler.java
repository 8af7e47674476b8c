package dev.nnc.compile;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The compile stage: one generated source file to loaded classes, with the JDK's compiler, in
 * memory, with no class path (the trainer depends on nothing outside the JDK, and this proves it).
 *
 * <pre>
 *   ("TinyRelu", "public final class TinyRelu implements NncModel { ... } ...")  -&gt;  Class TinyRelu
 * </pre>
 */
public final class InMemoryCompiler {

    private InMemoryCompiler() {}

    /** javac reported errors on generated code: a bug of nnc's, reported with what javac said. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Compiles {@code source} (the file of public class {@code className}, in package
     * {@code packageName} or the default package) and loads that class in a fresh class loader.
     */
    public static Class<?> compile(String packageName, String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new Failure("no Java compiler in this runtime: run nnc with a JDK, not a JRE");
        }
        String qualified = packageName == null || packageName.isEmpty() ? className : packageName + "." + className;
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        classes.put(name, bytes);
                        return bytes;
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("mem:///" + qualified.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("-classpath", "", "-proc:none", "-g:none", "-nowarn"));
        if (source.contains("jdk.incubator.vector.")) {
            // a trainer with the Vector API kernels (NncGemmVector): the incubating module must be read
            options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(file)).call();
        if (!ok) {
            StringBuilder message = new StringBuilder("javac rejected the generated trainer (a bug in nnc):");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    message.append("\n  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
                }
            }
            throw new Failure(message.toString());
        }
        ClassLoader loader = new ClassLoader(InMemoryCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        try {
            return loader.loadClass(qualified);
        } catch (ClassNotFoundException e) {
            throw new Failure("javac produced no class " + qualified);
        }
    }
}
