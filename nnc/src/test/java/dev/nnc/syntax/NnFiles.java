package dev.nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The good {@code .nn} files the syntax tests run over: the project's samples and test/resources/good. */
final class NnFiles {

    static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");
    static final Path GOOD = BASEDIR.resolve("src/test/resources/good");
    static final Path GOLDEN_AST = BASEDIR.resolve("src/test/resources/golden/ast");

    private NnFiles() {}

    /** Every good file and every sample, sorted by name within each directory. */
    static List<Path> all() {
        List<Path> files = new ArrayList<>(list(GOOD));
        files.addAll(list(SAMPLES));
        return files;
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code samples/tiny.nn} -> {@code tiny}. */
    static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".nn".length());
    }

    /** The file as the tests show it: {@code good/tiny.nn}. */
    static String label(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    static Program parseFile(Path file) {
        return parse(SourceReader.read(file));
    }

    static Program parse(String name, String text) {
        return parse(new SourceFile(name, text));
    }

    /** Parses {@code source}, failing the test with the rendered diagnostics when it has errors. */
    static Program parse(SourceFile source) {
        Diagnostics diagnostics = new Diagnostics(source);
        Program program = Parser.parse(source, diagnostics);
        if (diagnostics.hasErrors()) {
            fail("expected no syntax errors in " + source.path() + ", found:\n" + diagnostics.render());
        }
        assertNotNull(program);
        return program;
    }

    /** The loss expression of {@code model m { loss = EXPR }}. */
    static Expr parseLoss(String expr) {
        Program p = parse("expr.nn", "model m { loss = " + expr + " }");
        return ((Stmt.Loss) p.models().get(0).statements().get(0)).value();
    }
}
