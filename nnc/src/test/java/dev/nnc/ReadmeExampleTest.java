package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's section "Using a model from Java" does what it says: its shell lines run in order
 * in a temporary folder (nnc's in-process, javac through javax.tools with no class path, the
 * example's main in a child JVM), with its Java code saved where the section says, and the child
 * prints exactly the section's output block. The {@code .nn} it shows is the file it compiles.
 */
class ReadmeExampleTest {

    static final Path ROOT = Path.of(System.getProperty("nnc.root", "."));
    static final String SECTION = "## Using a model from Java";

    static final Pattern NNC = Pattern.compile("java -jar target/nnc\\.jar (.+)");
    static final Pattern JAVAC = Pattern.compile("javac -d (\\S+) \\$\\(find (\\S+) -name '\\*\\.java'\\)");
    static final Pattern JAVA = Pattern.compile("java -cp (\\S+) ([\\w.]+)");

    /** One fenced block of the section: its language tag and its text. */
    record Block(String lang, String text) {}

    @Test
    void theExampleCompilesRunsAndPrintsWhatTheReadmeShows(@TempDir Path dir) throws Exception {
        String section = section(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        List<Block> blocks = blocks(section);
        List<String> shown = blocks.stream().filter(b -> b.lang().equals("nn")).map(Block::text).toList();
        List<String> java = blocks.stream().filter(b -> b.lang().equals("java")).map(Block::text).toList();
        List<String> output = blocks.stream().filter(b -> b.lang().equals("text")).map(Block::text).toList();
        List<String> commands = blocks.stream().filter(b -> b.lang().equals("sh")).flatMap(b -> b.text().lines()).toList();
        assertEquals(1, shown.size(), "one nn block");
        assertEquals(1, output.size(), "one text block: what the example prints");
        assertTrue(!java.isEmpty() && commands.size() >= 3, "Java code, and commands to compile, build and run it: " + blocks);

        String printed = null;
        for (String command : commands) {
            Matcher m;
            if ((m = NNC.matcher(command)).matches()) {
                String sourceRoot = nnc(m.group(1).split(" "), dir, shown.get(0));
                for (String code : java) {
                    Path file = save(code, dir.resolve(sourceRoot), sourceRoot);
                    assertTrue(section.contains(file.toString()), "the section says where to save " + file);
                }
            } else if ((m = JAVAC.matcher(command)).matches()) {
                javac(dir.resolve(m.group(2)), dir.resolve(m.group(1)));
            } else if ((m = JAVA.matcher(command)).matches()) {
                printed = java(dir, m.group(1), m.group(2));
            } else {
                fail("this test does not know how to run the README's command `" + command + "`: teach it");
            }
        }
        assertEquals(output.get(0), printed, "what the example prints");
    }

    /** The section's text, from its heading to the next one. */
    static String section(String readme) {
        int start = readme.indexOf("\n" + SECTION + "\n");
        assertTrue(start >= 0, "README.md has a section " + SECTION);
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start + 1, end < 0 ? readme.length() : end + 1);
    }

    static List<Block> blocks(String section) {
        List<Block> blocks = new ArrayList<>();
        String lang = null;
        StringBuilder text = new StringBuilder();
        for (String line : section.split("\n", -1)) {
            if (lang == null && line.startsWith("```")) {
                lang = line.substring(3).strip();
                text.setLength(0);
            } else if (lang != null && line.equals("```")) {
                blocks.add(new Block(lang, text.toString()));
                lang = null;
            } else if (lang != null) {
                text.append(line).append('\n');
            }
        }
        assertEquals(null, lang, "every block of the section is closed");
        return blocks;
    }

    /**
     * Runs {@code nnc ARGS} in-process: the {@code .nn} file from the repository (which must hold
     * the model the section shows), the output folder under {@code dir}; returns that folder as
     * the section names it.
     */
    static String nnc(String[] args, Path dir, String shownModel) throws IOException {
        String[] run = args.clone();
        String output = null;
        for (int i = 0; i < run.length; i++) {
            if (run[i].endsWith(".nn")) {
                Path model = ROOT.resolve(run[i]);
                assertTrue(Files.readString(model).contains(shownModel), model + " holds the model the section shows");
                run[i] = model.toString();
            } else if ((run[i].equals("-o") || run[i].equals("--output")) && i + 1 < run.length) {
                output = run[i + 1];
                run[i + 1] = dir.resolve(output).toString();
                i++;
            }
        }
        assertTrue(output != null, "the command names its output folder: " + Arrays.toString(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.nnc.cli.Main.run(run, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, "nnc " + String.join(" ", args) + "\n" + out + err);
        return output;
    }

    /** Writes a Java block where its package and public class put it; the path as the section would name it. */
    static Path save(String code, Path sourceRoot, String shownRoot) throws IOException {
        Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(code);
        Matcher type = Pattern.compile("(?m)^public (?:final )?class (\\w+)").matcher(code);
        assertTrue(pkg.find() && type.find(), "the Java block has a package and a public class:\n" + code);
        String relative = pkg.group(1).replace('.', '/') + "/" + type.group(1) + ".java";
        Path file = sourceRoot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, code, StandardCharsets.UTF_8);
        return Path.of(shownRoot, relative);
    }

    /** Every .java file under {@code sources}, compiled into {@code classes} with nothing on the class path. */
    static void javac(Path sources, Path classes) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            fm.setLocation(StandardLocation.CLASS_PATH, List.of());
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            boolean ok = javac.getTask(null, fm, diagnostics, List.of("-proc:none"), null, fm.getJavaFileObjectsFromPaths(files)).call();
            String messages = diagnostics.getDiagnostics().stream()
                    .map(d -> d.getKind() + " " + d.getSource() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            assertTrue(ok, messages);
            assertEquals("", messages, "javac has nothing to say");
        }
    }

    /**
     * {@code java -cp CLASSES MAIN} in a child JVM working in {@code dir} (where the example writes
     * its files), in an English locale (the example's printf uses the default one); its stdout.
     */
    static String java(Path dir, String classes, String main) throws Exception {
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=en", "-Duser.country=US", "-cp", dir.resolve(classes).toString(), main)
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("java -cp " + classes + " " + main + " still runs after 60 s");
            }
        } finally {
            p.destroyForcibly(); // this child alone, by its pid; nothing when it has ended
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stderr);
        assertEquals("", stderr, "nothing on stderr");
        return Files.readString(out, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
