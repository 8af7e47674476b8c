package dev.nnc.cli;

import dev.nnc.emit.TrainerSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc compile FILE -o DIR}: writes the model's class under {@code DIR/<package as folders>/}
 * and the runtime library's sources under {@code DIR/dev/nnc/runtime/}, so that a plain
 * {@code javac} builds them with no class path; {@code --no-runtime} writes the class alone (for
 * builds that depend on {@code nnc-runtime}); {@code --single-file} writes one self-contained file.
 * Each file is written to a temporary file and renamed, so one already there is never left
 * half-written; a runtime file whose text is already there is not touched (it keeps its time).
 */
@Command(name = "compile", description = "Write the Java class of a model (its standalone trainer), with the runtime's sources.")
final class CompileCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Source folder to write into"
            + " (the class goes to DIR/<package as folders>/).")
    Path dir;

    @Option(names = "--class", paramLabel = "NAME", description = "Class name (default: the model's name in CamelCase).")
    String className;

    @Option(names = "--package", paramLabel = "P", description = "Java package of the class (default: none).")
    String packageName;

    @Mixin
    VectorOption kernels;

    @Option(names = "--no-runtime", description = "Write the model's class alone, for a build that depends on dev.nnc:nnc-runtime.")
    boolean noRuntime;

    @Option(names = "--single-file", description = "One self-contained file, the runtime inside it, that runs as java Name.java.")
    boolean singleFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (className != null && !javax.lang.model.SourceVersion.isName(className)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--class: '" + className + "' is not a Java class name");
        }
        if (packageName != null && !javax.lang.model.SourceVersion.isName(packageName)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--package: '" + packageName + "' is not a Java package name");
        }
        if (noRuntime && singleFile) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--no-runtime and --single-file exclude each other");
        }
        TrainerSource source = Trainers.source(options, false, className, packageName, kernels.codegen(false));
        Path root = sourceRoot(dir, source.packageName());
        Map<String, String> files = singleFile ? Map.of(source.folder() + source.fileName(), source.text()) : source.files(noRuntime);
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = root.resolve(f.getKey());
            writeIfChanged(target, f.getValue());
            written.add(target.toString());
        }
        Path classFile = root.resolve(source.folder() + source.fileName());
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("files", written);
            out.println(Json.write(doc));
        } else {
            String mainClass = (source.packageName().isEmpty() ? "" : source.packageName() + ".") + source.className();
            String flag = source.vector() ? " --add-modules jdk.incubator.vector" : "";
            if (singleFile) {
                out.println("wrote " + classFile);
                out.println("  java" + flag + " " + classFile + " --help");
            } else if (noRuntime) {
                out.println("wrote " + classFile + " (it needs dev.nnc:nnc-runtime on the class path)");
            } else {
                out.println("wrote " + classFile + " and the runtime's " + (files.size() - 1) + " sources under "
                        + root.resolve(RUNTIME_FOLDER));
                out.println("  javac" + flag + " -d classes $(find " + root + " -name '*.java') && java" + flag + " -cp classes "
                        + mainClass + " --help");
            }
        }
        out.flush();
        return 0;
    }

    private static final String RUNTIME_FOLDER = "dev/nnc/runtime";

    /**
     * The source root under which the package's folders go: {@code dir} itself, or, when {@code dir}
     * already ends with those folders ({@code -o src/com/acme --package com.acme}), the folder above
     * them, so that the package's folders never appear twice.
     */
    static Path sourceRoot(Path dir, String packageName) {
        if (packageName == null || packageName.isEmpty()) {
            return dir;
        }
        Path folders = Path.of("", packageName.split("\\."));
        Path normal = dir.normalize();
        if (normal.getNameCount() > folders.getNameCount() && normal.endsWith(folders)) {
            Path root = normal;
            for (int i = 0; i < folders.getNameCount(); i++) {
                root = root.getParent();
            }
            return root;
        }
        return dir;
    }

    /** Writes {@code text} to {@code target} through a temporary file and a rename, unless it holds that text already. */
    static void writeIfChanged(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
            return;
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException(target + " exists and is not a regular file");
        }
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // a temporary name of our own, not createTempFile: its owner-only permissions would stay on the file
        Path temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
