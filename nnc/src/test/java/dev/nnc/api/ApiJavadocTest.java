package dev.nnc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.emit.RuntimeSources;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type of the runtime's API and every public or protected member of a generated class
 * has a Javadoc comment, and the comments are well-formed: the javadoc tool with every doclint
 * check, on the checked-in generated classes and the runtime's API sources. The JDK's own style
 * (a summary sentence, {@code @param} only where it says more) is the house style, so doclint's
 * "no @param", "no @return" and "no @throws" are the only findings allowed.
 */
class ApiJavadocTest {

    /** The runtime's public API: what api.md names. */
    static final List<String> API = List.of("Model", "GeneratedModel", "Dataset", "TrainOptions", "TrainResult", "EpochStats",
            "Evaluation", "Gradients", "Tensor", "Schema", "LearningRateSchedule");

    @Test
    void theApiAndTheGeneratedClassesAreDocumented(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path runtime = src.resolve("dev/nnc/runtime");
        Files.createDirectories(runtime);
        for (Map.Entry<String, String> e : RuntimeSources.files(true).entrySet()) {
            Files.writeString(runtime.resolve(e.getKey() + ".java"), e.getValue(), StandardCharsets.UTF_8);
        }
        List<Path> documented = new ArrayList<>();
        for (String name : API) {
            documented.add(runtime.resolve(name + ".java"));
        }
        try (var examples = Files.list(Path.of("generated-examples"))) {
            for (Path p : examples.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path copy = src.resolve(p.getFileName());
                Files.copy(p, copy);
                documented.add(copy);
            }
        }
        assertTrue(documented.size() > API.size() + 5, "the generated examples are there: " + documented);

        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = tool.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-quiet", "-Xdoclint:all", "-protected", "-Xmaxwarns", "100000", "-Xmaxerrs", "100000",
                    "--add-modules", "jdk.incubator.vector", "-sourcepath", src.toString(), "-d", dir.resolve("html").toString());
            Boolean ok = tool.getTask(output, files, diagnostics, null, options, files.getJavaFileObjectsFromPaths(documented)).call();
            List<String> findings = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String message = d.getMessage(Locale.ROOT);
                if (d.getKind() == Diagnostic.Kind.NOTE || message.startsWith("no @param") || message.startsWith("no @return")
                        || message.startsWith("no @throws") || message.contains("jdk.incubator.vector")) {
                    continue;
                }
                findings.add((d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": ")
                        + message);
            }
            assertEquals(List.of(), findings, "javadoc's findings\n" + output);
            assertTrue(ok, "javadoc failed\n" + output);
        }
        assertTrue(Files.isRegularFile(dir.resolve("html/dev/nnc/runtime/Model.html")), "the pages were written");
    }
}
