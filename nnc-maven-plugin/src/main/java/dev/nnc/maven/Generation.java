package dev.nnc.maven;

import dev.nnc.Compiler;
import dev.nnc.diag.CompileError;
import dev.nnc.emit.TrainerSource;
import dev.nnc.syntax.SourceReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * One run of {@code generate} or {@code generate-test}: the {@code .nn} files of the source
 * directory to Java classes in the output directory, compiling only what changed since the last
 * run ({@link GenerationState}, kept in {@code stateFile}).
 *
 * <pre>
 *   src/main/nn/com/acme/fraud.nn (model fraud)  -&gt;  target/generated-sources/nnc/com/acme/Fraud.java
 * </pre>
 *
 * Every file is compiled before anything is written: when any has errors, they are all logged in
 * the compiler's form ({@code src/main/nn/com/acme/fraud.nn:7:18: error: ...}, the path relative to
 * the project) and the build fails with the output directory and the state as they were.
 *
 * @param baseDir     the project's folder, which the paths in messages are relative to
 * @param packageName the package of every class, or null for each file's folder
 * @param className   the name of the one class of an execution that compiles one model, or null
 *                    for each model's own name
 */
record Generation(Path baseDir, Path sourceDir, Path outputDir, Path stateFile, String packageName, String className,
        List<String> includes, List<String> excludes, Log log) {

    /** A source file read for this run: its text, its package, and the fingerprint the state keeps of it. */
    private record Source(byte[] bytes, String packageName, String fingerprint) {}

    /**
     * Brings the output directory up to date.
     *
     * @return whether there is a source directory (else the output directory is no source root)
     * @throws MojoFailureException   when a {@code .nn} file is wrong (its diagnostics logged)
     * @throws MojoExecutionException when the compiler fails on a file (a bug of nnc's)
     */
    boolean run() throws IOException, MojoFailureException, MojoExecutionException {
        boolean present = Files.isDirectory(sourceDir);
        List<String> paths = present ? NnSources.scan(sourceDir.toFile(), includes, excludes) : List.of();
        if (!present) {
            log.info("nnc: no .nn files to compile, " + shown(sourceDir) + " does not exist");
        }
        List<String> errors = new ArrayList<>();
        Map<String, Source> sources = read(paths, errors);
        Map<String, String> fingerprints = new TreeMap<>();
        sources.forEach((path, source) -> fingerprints.put(path, source.fingerprint()));
        GenerationState last = GenerationState.read(stateFile);
        List<String> stale = last.stale(fingerprints, output -> Files.isRegularFile(outputDir.resolve(output)));
        Map<String, Map<String, String>> generated = compile(stale, sources, errors);
        failOn(errors);
        Map<String, List<String>> outputs = new TreeMap<>();
        generated.forEach((path, files) -> outputs.put(path, List.copyOf(files.keySet())));
        GenerationState next = last.next(fingerprints, outputs);
        next.clashes().forEach((output, owners) -> errors.add(shown(outputDir.resolve(output)) + ": error: generated from "
                + String.join(" and ", owners.stream().map(o -> shown(sourceDir.resolve(o))).toList())
                + ": two models of one name in one package; rename one, or give one file another <packageName>"));
        failOn(errors);
        write(generated, next.orphansOf(last), sources.size());
        Compiler.write(stateFile, next.format());
        return present;
    }

    /** The classes of each of {@code stale}, by source path; the diagnostics of wrong files go to {@code errors}. */
    private Map<String, Map<String, String>> compile(List<String> stale, Map<String, Source> sources, List<String> errors)
            throws MojoExecutionException {
        Map<String, Map<String, String>> generated = new TreeMap<>();
        for (String path : stale) {
            try {
                generated.put(path, compile(path, sources.get(path)));
            } catch (CompileError e) {
                errors.addAll(e.diagnostics().render().lines().toList());
            } catch (IllegalArgumentException e) {
                errors.add(shown(sourceDir.resolve(path)) + ": error: <" + e.getMessage().replaceFirst(" ", "> ")
                        + "; leave <className> out to name each class after its model");
            } catch (RuntimeException e) {
                throw new MojoExecutionException("nnc: internal error while compiling " + shown(sourceDir.resolve(path)) + ": " + e, e);
            }
        }
        return generated;
    }

    /** Logs {@code errors} and fails the build, when there are any. */
    private void failOn(List<String> errors) throws MojoFailureException {
        if (errors.isEmpty()) {
            return;
        }
        errors.forEach(log::error);
        long count = errors.stream().filter(e -> !e.startsWith(" ")).count(); // the quoted lines and carets are indented
        throw new MojoFailureException("nnc: " + count + (count == 1 ? " error" : " errors") + " in the .nn files of "
                + shown(sourceDir) + " (see above)");
    }

    /** The bytes, package and fingerprint of each file; a file whose package cannot be found is an error. */
    private Map<String, Source> read(List<String> paths, List<String> errors) throws IOException {
        // a class name of the execution's is part of what each file's classes are made from
        String generator = generator() + (className == null ? "" : "\nclass " + className);
        if (className != null && paths.size() > 1) {
            errors.add(shown(sourceDir) + ": error: <className> " + className + " names one class, but this execution compiles "
                    + paths.size() + " .nn files; choose one with <includes>");
            return new LinkedHashMap<>();
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        for (String path : paths) {
            Path file = sourceDir.resolve(path);
            String pkg = packageName;
            if (pkg == null) {
                try {
                    pkg = PackageNames.fromPath(path);
                } catch (IllegalArgumentException e) {
                    errors.add(shown(file) + ": error: " + e.getMessage());
                    continue;
                }
            }
            byte[] bytes = Files.readAllBytes(file);
            sources.put(path, new Source(bytes, pkg, fingerprint(generator, pkg, dataDir(file), bytes)));
        }
        return sources;
    }

    /** The classes of one file, by path under the output directory: one per model it holds. */
    private Map<String, String> compile(String path, Source source) {
        Path file = sourceDir.resolve(path);
        List<TrainerSource> classes = Compiler.compileAll(SourceReader.decode(shown(file), source.bytes()), dataDir(file),
                source.packageName(), className);
        Map<String, String> files = new TreeMap<>();
        classes.forEach(c -> files.putAll(c.files(true)));
        return files;
    }

    /** Writes what changed, deletes the classes no source makes any more, and says what it did. */
    private void write(Map<String, Map<String, String>> generated, List<String> orphans, int total) throws IOException {
        int written = 0;
        int classes = 0;
        for (Map<String, String> files : generated.values()) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                classes++;
                if (Compiler.write(outputDir.resolve(f.getKey()), f.getValue())) {
                    written++;
                }
            }
        }
        for (String orphan : orphans) {
            Path file = outputDir.resolve(orphan);
            if (Files.deleteIfExists(file)) {
                log.info("nnc: deleted " + shown(file) + ", whose model is gone");
            }
            deleteEmptyFolders(file.getParent());
        }
        if (total == 0) {
            return;
        }
        String files = total == 1 ? "1 .nn file" : total + " .nn files";
        if (generated.isEmpty()) {
            log.info("nnc: " + files + " in " + shown(sourceDir) + ", all up to date");
        } else {
            log.info("nnc: compiled " + generated.size() + " of " + files + " in " + shown(sourceDir) + " to " + shown(outputDir)
                    + " (" + (written == 1 ? "1 class" : written + " classes") + " written, " + (classes - written) + " unchanged)");
        }
    }

    /** The folders of a deleted class that are now empty, up to the output directory. */
    private void deleteEmptyFolders(Path folder) throws IOException {
        Path root = outputDir.toAbsolutePath().normalize();
        for (Path f = folder.toAbsolutePath().normalize(); f != null && f.startsWith(root) && !f.equals(root); f = f.getParent()) {
            try {
                if (!Files.deleteIfExists(f)) {
                    return;
                }
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }

    /**
     * Where a file's train block's relative data paths resolve when its trainer runs, as
     * {@code nnc compile} has it: the file's folder, absolute.
     */
    private static Path dataDir(Path file) {
        return file.toAbsolutePath().normalize().getParent();
    }

    /** {@code path} relative to the project, {@code /} between folders, as messages show it. */
    private String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path base = baseDir.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }

    /**
     * What a file's classes are made from besides its bytes: the package, the data folder and the
     * compiler. A change to any compiles the file again.
     */
    static String fingerprint(String generator, String packageName, Path dataDir, byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((generator + '\n' + packageName + '\n' + dataDir + '\n').getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The build of nnc and of this plugin that compile: each jar's name, size and time, so a new
     * build (a SNAPSHOT installed again) compiles every file again. A class folder counts by name.
     */
    static String generator() {
        StringBuilder id = new StringBuilder();
        for (Class<?> c : List.of(Compiler.class, Generation.class)) {
            CodeSource code = c.getProtectionDomain().getCodeSource();
            try {
                Path jar = Path.of(code.getLocation().toURI());
                id.append(jar.getFileName());
                if (Files.isRegularFile(jar)) {
                    id.append(' ').append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis());
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                id.append('?');
            }
            id.append('\n');
        }
        return id.toString();
    }
}
