package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.SourceFile;
import dev.nnc.diag.UsageError;
import dev.nnc.emit.Codegen;
import dev.nnc.emit.TrainerSource;
import dev.nnc.syntax.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point that {@code nnc compile} and nnc-maven-plugin share. */
class CompilerTest {

    private static final String TWO_MODELS = """
            def twice(z) = 2 * z

            model small_net {
                input x[2]
                target y[1]
                out = dense(x, 1)
                loss = sum((twice(out) - y)^2)
            }

            model other {
                param w = 3
                loss = twice(w)^2
            }
            """;

    @Test
    void everyModelOfAFileBecomesAClassNamedAfterIt() {
        List<TrainerSource> classes = Compiler.compileAll(new SourceFile("m/two.nn", TWO_MODELS), null, "com.acme");
        assertEquals(List.of("SmallNet", "Other"), classes.stream().map(TrainerSource::className).toList());
        assertEquals(List.of("com/acme/SmallNet.java"), List.copyOf(classes.get(0).files(true).keySet()));
        assertTrue(classes.get(1).modelText().startsWith("package com.acme;"), classes.get(1).modelText());
    }

    @Test
    void theErrorsOfEveryModelComeOutTogetherAndASharedOneOnce() {
        String text = """
                def twice(z) = 2 * q

                model a {
                    param w = 3
                    loss = twice(w)^2 + nope
                }

                model b {
                    param w = 3
                    loss = twice(w) + also_nope
                }
                """;
        CompileError e = assertThrows(CompileError.class, () -> Compiler.compileAll(new SourceFile("src/main/nn/two.nn", text), null, ""));
        String rendered = e.diagnostics().render();
        assertEquals(1, count(rendered, "src/main/nn/two.nn:1:20: error: "), rendered);
        assertTrue(rendered.contains("src/main/nn/two.nn:5:"), rendered);
        assertTrue(rendered.contains("src/main/nn/two.nn:10:"), rendered);
    }

    @Test
    void oneModelNeedsItsNameWhenTheFileHoldsSeveral() {
        SourceFile file = new SourceFile("two.nn", TWO_MODELS);
        assertThrows(UsageError.class, () -> Compiler.compile(file, null, null, null, "", Codegen.DEFAULT));
        assertEquals("Other", Compiler.compile(file, null, "other", null, "", Codegen.DEFAULT).className());
    }

    /** One path: the class the call gives is the file nnc compile --no-runtime writes. */
    @Test
    void theCallGivesWhatTheCommandWrites(@TempDir Path dir) throws IOException {
        Path nn = Path.of("samples/xor.nn");
        CliRun r = CliRun.of("compile", nn.toString(), "-o", dir.toString(), "--package", "demo", "--no-runtime");
        assertEquals(0, r.code(), r.all());
        Map<String, String> files = Compiler.compile(SourceReader.read(nn), nn.toAbsolutePath().getParent(), null, null, "demo",
                Codegen.DEFAULT).files(true);
        assertEquals(List.of("demo/Xor.java"), List.copyOf(files.keySet()));
        assertEquals(Files.readString(dir.resolve("demo/Xor.java")), files.get("demo/Xor.java"));
    }

    @Test
    void writeLeavesAFileThatHoldsTheTextAlone(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/C.java");
        assertTrue(Compiler.write(target, "class C {}\n"));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(target, old);
        assertFalse(Compiler.write(target, "class C {}\n"));
        assertEquals(old, Files.getLastModifiedTime(target));
        assertTrue(Compiler.write(target, "class C { }\n"));
        assertEquals("class C { }\n", Files.readString(target));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
