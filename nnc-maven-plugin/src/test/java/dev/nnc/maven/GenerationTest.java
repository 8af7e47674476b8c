package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run of the goal's work on a project folder, without Maven: what it writes, deletes and logs. */
class GenerationTest {

    static final String SMALL = """
            model small {
                input  x[2]
                target y[1]
                out  = dense(x, 1)
                loss = bce_logits(out, y)
                train { epochs = 5 }
            }
            """;

    @TempDir
    Path project;

    /** The log lines of the last run, each with its level. */
    final List<String> logged = new ArrayList<>();

    @Test
    void eachFileBecomesAClassInTheFoldersPackage() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("top.nn", SMALL.replace("model small", "model top_level"));
        assertTrue(run(null));
        assertEquals(List.of("TopLevel.java", "com/acme/Small.java"), generated());
        assertTrue(Files.readString(out("com/acme/Small.java")).startsWith("package com.acme;"));
        assertTrue(logged.contains("info nnc: compiled 2 of 2 .nn files in src/main/nn to target/generated-sources/nnc"
                + " (2 classes written, 0 unchanged)"), logged.toString());
    }

    @Test
    void thePackageNameParameterPutsEveryClassInOnePackage() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("my-models/other.nn", SMALL.replace("model small", "model other"));
        run("org.example");
        assertEquals(List.of("org/example/Other.java", "org/example/Small.java"), generated());
    }

    @Test
    void aFileWithSeveralModelsGivesAClassForEach() throws Exception {
        nn("m/two.nn", SMALL + "\n" + SMALL.replace("model small", "model other"));
        run(null);
        assertEquals(List.of("m/Other.java", "m/Small.java"), generated());
    }

    @Test
    void aSecondRunWithNothingChangedTouchesNothing() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("com/acme/other.nn", SMALL.replace("model small", "model other"));
        run(null);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String f : generated()) {
            Files.setLastModifiedTime(out(f), old);
        }
        Files.setLastModifiedTime(state(), old);
        run(null);
        for (String f : generated()) {
            assertEquals(old, Files.getLastModifiedTime(out(f)), f);
        }
        assertEquals(old, Files.getLastModifiedTime(state()));
        assertTrue(logged.contains("info nnc: 2 .nn files in src/main/nn, all up to date"), logged.toString());
    }

    @Test
    void aChangedFileIsCompiledAgainAndADeletedOnesClassGoes() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("com/acme/other.nn", SMALL.replace("model small", "model other"));
        nn("gone/gone.nn", SMALL.replace("model small", "model gone"));
        run(null);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String f : generated()) {
            Files.setLastModifiedTime(out(f), old);
        }
        String before = Files.readString(out("com/acme/Small.java"));
        nn("com/acme/small.nn", SMALL.replace("epochs = 5", "epochs = 7"));
        Files.delete(project.resolve("src/main/nn/gone/gone.nn"));
        run(null);
        assertEquals(List.of("com/acme/Other.java", "com/acme/Small.java"), generated());
        assertNotEquals(before, Files.readString(out("com/acme/Small.java")));
        assertNotEquals(old, Files.getLastModifiedTime(out("com/acme/Small.java")));
        assertEquals(old, Files.getLastModifiedTime(out("com/acme/Other.java")));
        assertFalse(Files.exists(out("gone")), "the empty package folder goes with its last class");
        assertTrue(logged.contains("info nnc: deleted target/generated-sources/nnc/gone/Gone.java, whose model is gone"), logged.toString());
    }

    @Test
    void aClassDeletedByHandIsWrittenAgain() throws Exception {
        nn("com/acme/small.nn", SMALL);
        run(null);
        Files.delete(out("com/acme/Small.java"));
        run(null);
        assertEquals(List.of("com/acme/Small.java"), generated());
    }

    @Test
    void everyErrorOfEveryFileIsLoggedAndNothingIsWritten() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("com/acme/bad.nn", SMALL.replace("model small", "model bad").replace("dense(x, 1)", "dense(xx, 1)"));
        nn("worse.nn", "model worse {\n    param w = 3\n    loss = w + nope\n}\n");
        nn("my-models/x.nn", SMALL);
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> run(null));
        assertEquals("nnc: 3 errors in the .nn files of src/main/nn (see above)", e.getMessage());
        int at = logged.indexOf("error src/main/nn/com/acme/bad.nn:4:18: error: unknown name 'xx'");
        assertTrue(at >= 0, logged.toString());
        assertEquals(List.of("error     out  = dense(xx, 1)", "error                  ^"), logged.subList(at + 1, at + 3));
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("error src/main/nn/worse.nn:3:16: error: unknown name 'nope'")),
                logged.toString());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("error src/main/nn/my-models/x.nn: error: its folder my-models is not")),
                logged.toString());
        assertEquals(List.of(), generated());
        assertFalse(Files.exists(state()));
    }

    @Test
    void twoFilesMakingOneClassAreAnError() throws Exception {
        nn("com/acme/small.nn", SMALL);
        nn("com/acme/copy.nn", SMALL);
        assertThrows(MojoFailureException.class, () -> run(null));
        assertTrue(logged.contains("error target/generated-sources/nnc/com/acme/Small.java: error: generated from"
                + " src/main/nn/com/acme/copy.nn and src/main/nn/com/acme/small.nn: two models of one name in one package;"
                + " rename one, or give one file another <packageName>"), logged.toString());
    }

    @Test
    void noSourceDirectoryIsNoErrorAndNoSourceRoot() throws Exception {
        assertFalse(run(null));
        assertEquals(List.of("info nnc: no .nn files to compile, src/main/nn does not exist"), logged);
    }

    @Test
    void theClassNameParameterNamesTheOneClass() throws Exception {
        nn("com/acme/small.nn", SMALL);
        run(null, "FraudModel");
        assertEquals(List.of("com/acme/FraudModel.java"), generated());
        assertTrue(Files.readString(out("com/acme/FraudModel.java")).contains("public final class FraudModel "));
        run(null, null);
        assertEquals(List.of("com/acme/Small.java"), generated(), "without it, the model's name again; the old class goes");

        nn("com/acme/other.nn", SMALL.replace("model small", "model other"));
        logged.clear();
        MojoFailureException two = assertThrows(MojoFailureException.class, () -> run(null, "FraudModel"));
        assertTrue(logged.contains("error src/main/nn: error: <className> FraudModel names one class, but this execution"
                + " compiles 2 .nn files; choose one with <includes>"), logged.toString());
        assertEquals(List.of("com/acme/Small.java"), generated(), "nothing written: " + two.getMessage());

        Files.delete(project.resolve("src/main/nn/com/acme/other.nn"));
        nn("com/acme/small.nn", SMALL + "\n" + SMALL.replace("model small", "model other"));
        assertThrows(MojoFailureException.class, () -> run(null, "FraudModel"));
        assertTrue(logged.contains("error src/main/nn/com/acme/small.nn: error: <className> FraudModel names one class, but the"
                + " file holds 2 models; leave <className> out to name each class after its model"), logged.toString());
    }

    private boolean run(String packageName) throws Exception {
        return run(packageName, null);
    }

    private boolean run(String packageName, String className) throws Exception {
        logged.clear();
        Generation g = new Generation(project, project.resolve("src/main/nn"), project.resolve("target/generated-sources/nnc"),
                state(), packageName, className, null, null, new SystemStreamLog() {
                    @Override
                    public void info(CharSequence content) {
                        logged.add("info " + content);
                    }

                    @Override
                    public void error(CharSequence content) {
                        logged.add("error " + content);
                    }
                });
        return g.run();
    }

    private Path state() {
        return project.resolve("target/nnc-state/generate-default.txt");
    }

    private void nn(String path, String text) throws IOException {
        Path file = project.resolve("src/main/nn").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Path out(String path) {
        return project.resolve("target/generated-sources/nnc").resolve(path);
    }

    /** The generated files, relative to the output directory, sorted. */
    private List<String> generated() throws IOException {
        Path root = project.resolve("target/generated-sources/nnc");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
