package dev.nnc.cli;

import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * {@code nnc compile FILE -o DIR}: writes the standalone trainer, which compiles with a plain
 * {@code javac} and runs with {@code java}. Written to a temporary file and renamed, so a
 * trainer already there is never left half-written.
 */
@Command(name = "compile", description = "Write the standalone Java trainer of a model.")
final class CompileCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write the trainer into.")
    Path dir;

    @Option(names = "--class", paramLabel = "NAME", description = "Class name (default: the model's name in CamelCase).")
    String className;

    @Option(names = "--package", paramLabel = "P", description = "Java package of the trainer (default: none).")
    String packageName;

    @Option(names = "--vector", description = "Matrix products with the Vector API (jdk.incubator.vector): faster on large"
            + " layers; compiling and running the trainer then need --add-modules jdk.incubator.vector.")
    boolean vector;

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
        TrainerSource source = Trainers.source(options, false, className, packageName,
                new Codegen(Codegen.Batching.AUTO, vector));
        // in its package's folder, so that javac puts the class where java -cp DIR looks for it
        Path folder = source.packageName().isEmpty() ? dir : dir.resolve(source.packageName().replace('.', '/'));
        Files.createDirectories(folder);
        Path target = folder.resolve(source.fileName());
        // a temporary name of our own, not createTempFile: its owner-only permissions would stay on the file
        Path temp = folder.resolve("." + source.fileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temp, source.text(), StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("files", List.of(target.toString()));
            out.println(Json.write(doc));
        } else {
            out.println("wrote " + target);
            String flag = source.vector() ? " --add-modules jdk.incubator.vector" : "";
            out.println("  javac" + flag + " " + target + " && java" + flag + " -cp " + dir + " "
                    + (source.packageName().isEmpty() ? "" : source.packageName() + ".") + source.className() + " --help");
        }
        out.flush();
        return 0;
    }
}
