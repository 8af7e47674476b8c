package dev.nnc;

import dev.nnc.check.CheckedModel;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.SourceFile;
import dev.nnc.diag.UsageError;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nnc compile} as a Java call, for the programs that build with nnc: the text of a {@code .nn}
 * file in, the Java source of its model classes out, and the writer that puts a source into a folder.
 * The {@code compile} command and nnc-maven-plugin both go through here, so they write the same classes.
 *
 * <pre>
 *   compileAll(new SourceFile("src/main/nn/com/acme/fraud.nn", "model fraud { ... }"), dataDir, "com.acme")
 *     -&gt;  [TrainerSource com.acme.Fraud]      files(true): {"com/acme/Fraud.java": "package com.acme; ..."}
 *   a file with errors  -&gt;  CompileError; its diagnostics() render every one as "path:line:col: error: ..."
 * </pre>
 *
 * The {@link SourceFile}'s path is only the name diagnostics give the file; {@code dataDir} is where
 * the train block's relative data paths resolve when the generated trainer runs (the {@code .nn}
 * file's folder, absolute, so the trainer runs from any folder), written into the class only when the
 * block names such a path. Stateless and thread-safe.
 */
public final class Compiler {

    private Compiler() {}

    /**
     * The class of one model of a file, as {@code nnc compile} writes it.
     *
     * @param model       which model of the file; null for a file that holds one
     * @param className   the class's name; null for the model's name in CamelCase ({@code tiny_relu} -&gt; {@code TinyRelu})
     * @param packageName the class's package; null or empty for the default package
     * @throws CompileError with every diagnostic, when the file is wrong
     * @throws UsageError   when {@code model} is null and the file holds several, or the file has no such model
     */
    public static TrainerSource compile(SourceFile source, Path dataDir, String model, String className, String packageName,
            Codegen codegen) {
        CheckedModel checked = Pipeline.check(source, model);
        return Pipeline.generate(checked, className, packageName, dataDirName(dataDir), codegen);
    }

    /**
     * The classes of every model of a file, in the file's order, each named after its model, with the
     * plain kernels of {@link Codegen#DEFAULT}: what nnc-maven-plugin writes for a {@code .nn} file.
     *
     * @throws CompileError with every diagnostic of every model, when the file is wrong
     */
    public static List<TrainerSource> compileAll(SourceFile source, Path dataDir, String packageName) {
        return compileAll(source, dataDir, packageName, null);
    }

    /**
     * As {@link #compileAll(SourceFile, Path, String)}, the class named {@code className} when it is
     * not null; a file of several models cannot take one name, and is an
     * {@link IllegalArgumentException} saying how many it holds.
     */
    public static List<TrainerSource> compileAll(SourceFile source, Path dataDir, String packageName, String className) {
        List<CheckedModel> models = Pipeline.checkAll(source);
        if (className != null && models.size() != 1) {
            throw new IllegalArgumentException("className " + className + " names one class, but the file holds " + models.size()
                    + " models");
        }
        return models.stream()
                .map(m -> Pipeline.generate(m, className, packageName, dataDirName(dataDir), Codegen.DEFAULT))
                .toList();
    }

    private static String dataDirName(Path dataDir) {
        return dataDir == null ? null : dataDir.toString();
    }

    /**
     * Writes {@code text} to {@code target} (creating its folders) through a temporary file and a
     * rename, so a file already there is never left half-written, unless the file holds that text
     * already: then it is not touched and keeps its time, which keeps builds that watch times from
     * redoing work.
     *
     * @return whether the file was written
     */
    public static boolean write(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return false;
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
        return true;
    }
}
