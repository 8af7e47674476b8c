package dev.nnc.compile;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import dev.nnc.emit.TrainerSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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

/**
 * The compile stage: one generated source file to loaded classes, with the JDK's compiler, in
 * memory. Nothing is on javac's class path but the runtime library's classes ({@link RuntimeClasses}),
 * which the loaded class then shares with nnc: the model depends on nothing else, and this proves it.
 *
 * <pre>
 *   ("TinyRelu", "import dev.nnc.runtime.NncModel; ... public final class TinyRelu implements NncModel { ... }")  -&gt;  Class TinyRelu
 * </pre>
 */
public final class InMemoryCompiler {

    /** Options of every compile: nothing on the class path but the runtime, no processors, no debug tables. */
    private static final List<String> OPTIONS = List.of("-classpath", "", "-proc:none", "-g:none", "-nowarn", "-Xlint:none");

    /** A trainer whose products use the Vector API compiles against the incubator module. */
    private static final List<String> VECTOR_OPTIONS = List.of("--add-modules", "jdk.incubator.vector");

    /** A file manager already opened (by {@link Warmup} or a previous compile), handed to the next compile. */
    private static final AtomicReference<StandardJavaFileManager> SPARE = new AtomicReference<>();

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
     * {@code packageName} or the default package; it may import the runtime library) and loads that
     * class in a fresh class loader.
     */
    public static Class<?> compile(String packageName, String className, String source) {
        return compile(qualified(packageName, className), source, false);
    }

    /** Compiles and loads {@code trainer}'s generated class, against the runtime library. */
    public static Class<?> compile(TrainerSource trainer) {
        return load(qualified(trainer), classFiles(trainer));
    }

    /**
     * Compiles small classes shaped like a trainer against the runtime library, again and again
     * until {@code stop} says so or a few rounds are done, and throws the results away: loads javac and
     * gets its code compiled by the JIT, so that the next real compile is faster. A round that
     * {@code stop} interrupts ends within one of javac's phases.
     */
    static void warmUp(BooleanSupplier stop) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return;
        }
        Map<String, byte[]> runtime = RuntimeClasses.all();
        try {
            run(javac, WarmupSource.TINY_CLASS_NAME, WarmupSource.TINY, runtime, false, new HashMap<>(), stop);
            for (int round = 0; round < WARMUP_ROUNDS && !stop.getAsBoolean(); round++) {
                run(javac, WarmupSource.CLASS_NAME, WarmupSource.TEXT, runtime, false, new HashMap<>(), stop);
            }
        } catch (Stopped e) {
            // the real compile wants the CPU
        }
    }

    /** Rounds of {@link WarmupSource#TEXT}: more would not end before the trainer is generated. */
    private static final int WARMUP_ROUNDS = 4;

    /** Thrown from javac's task listener to end a warm-up early. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    private static String qualified(String packageName, String className) {
        return packageName == null || packageName.isEmpty() ? className : packageName + "." + className;
    }

    private static Class<?> compile(String qualified, String source, boolean vector) {
        return load(qualified, classFiles(qualified, source, vector));
    }

    /**
     * The class files of {@code trainer}'s generated class (its nested classes too), by binary name:
     * what {@link #load} defines, what {@link TrainerCache} keeps, and what nnc-spark ships to
     * executors in a jar.
     */
    public static Map<String, byte[]> classFiles(TrainerSource trainer) {
        Warmup.stop();
        return classFiles(qualified(trainer.packageName(), trainer.className()), trainer.modelText(), trainer.vector());
    }

    /** The binary name of {@code trainer}'s generated class. */
    static String qualified(TrainerSource trainer) {
        return qualified(trainer.packageName(), trainer.className());
    }

    private static Map<String, byte[]> classFiles(String qualified, String source, boolean vector) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new Failure("no Java compiler in this runtime: run nnc with a JDK, not a JRE");
        }
        Map<String, byte[]> onClassPath = RuntimeClasses.all();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        DiagnosticCollector<JavaFileObject> diagnostics = run(javac, qualified, source, onClassPath, vector, classes, null);
        if (diagnostics != null) {
            StringBuilder message = new StringBuilder("javac rejected the generated trainer (a bug in nnc):");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    message.append("\n  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
                }
            }
            throw new Failure(message.toString());
        }
        Map<String, byte[]> files = new java.util.TreeMap<>();
        classes.forEach((name, bytes) -> files.put(name, bytes.toByteArray()));
        return files;
    }

    /** Defines {@code classes} (class files by binary name) in a fresh class loader and returns {@code qualified}'s. */
    static Class<?> load(String qualified, Map<String, byte[]> classes) {
        ClassLoader loader = new TrainerLoader(classes);
        try {
            return loader.loadClass(qualified);
        } catch (ClassNotFoundException e) {
            throw new Failure("javac produced no class " + qualified);
        }
    }

    /**
     * Compiles {@code source} into {@code classes} with the classes of {@code onClassPath} (the runtime
     * library's) as its class path; null on success, else what javac reported. When {@code stop} is
     * given, the compile throws {@link Stopped} at the first event of javac's after it says so.
     */
    private static DiagnosticCollector<JavaFileObject> run(JavaCompiler javac, String qualified, String source,
            Map<String, byte[]> onClassPath, boolean vector, Map<String, ByteArrayOutputStream> classes, BooleanSupplier stop) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = SPARE.getAndSet(null);
        if (standard == null) {
            standard = javac.getStandardFileManager(null, Locale.ROOT, null);
        }
        List<JavaFileObject> classPath = new ArrayList<>(onClassPath.size());
        for (Map.Entry<String, byte[]> e : onClassPath.entrySet()) {
            classPath.add(new ClassBytes(e.getKey(), e.getValue()));
        }
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

            @Override
            public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                    boolean recurse) throws IOException {
                Iterable<JavaFileObject> listed = super.list(location, packageName, kinds, recurse);
                if (location != StandardLocation.CLASS_PATH || !packageName.equals(RuntimeClasses.PACKAGE)
                        || !kinds.contains(JavaFileObject.Kind.CLASS)
                        || classPath.isEmpty()) {
                    return listed;
                }
                List<JavaFileObject> all = new ArrayList<>(classPath);
                listed.forEach(all::add);
                return all;
            }

            @Override
            public String inferBinaryName(Location location, JavaFileObject file) {
                return file instanceof ClassBytes c ? c.binaryName : super.inferBinaryName(location, file);
            }

            @Override
            public boolean isSameFile(FileObject a, FileObject b) {
                return a instanceof ClassBytes || b instanceof ClassBytes ? a == b : super.isSameFile(a, b);
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("mem:///" + qualified.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(OPTIONS);
        if (vector || source.contains("jdk.incubator.vector.")) {
            // a trainer with the Vector API kernels (NncGemmVector): the incubating module must be read
            options.addAll(VECTOR_OPTIONS);
        }
        JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null, List.of(file));
        if (stop != null && task instanceof JavacTask t) {
            t.addTaskListener(new TaskListener() {
                @Override
                public void started(TaskEvent e) {
                    if (stop.getAsBoolean()) {
                        throw new Stopped();
                    }
                }

                @Override
                public void finished(TaskEvent e) {
                    started(e);
                }
            });
        }
        boolean ok;
        try {
            ok = task.call();
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof Stopped s) {
                    throw s; // the file manager is dropped: a stopped compile may leave it in any state
                }
            }
            throw e;
        }
        SPARE.set(standard);
        return ok ? null : diagnostics;
    }

    /** Defines the classes javac wrote; the runtime library's come from nnc's own class loader, its parent. */
    static final class TrainerLoader extends ClassLoader {
        private final Map<String, byte[]> compiled;

        TrainerLoader(Map<String, byte[]> compiled) {
            super(InMemoryCompiler.class.getClassLoader());
            this.compiled = compiled;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = compiled.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }
    }

    /** A class of the runtime library on javac's class path, read from its bytes. */
    private static final class ClassBytes extends SimpleJavaFileObject {
        final String binaryName;
        private final byte[] bytes;

        ClassBytes(String binaryName, byte[] bytes) {
            super(URI.create("mem:///nnc-runtime/" + binaryName.replace("$", "%24") + ".class"), JavaFileObject.Kind.CLASS);
            this.binaryName = binaryName;
            this.bytes = bytes;
        }

        @Override
        public InputStream openInputStream() {
            return new ByteArrayInputStream(bytes);
        }
    }
}
