package dev.nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.SourceFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading bytes into text, and what the parser says about files with no model in them. */
class SourceReaderTest {

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    /** The only diagnostic of parsing {@code bytes}, which must fail. */
    private static Diagnostic parseError(byte[] bytes) {
        SourceFile source = SourceReader.decode("f.nn", bytes);
        Diagnostics d = new Diagnostics(source);
        assertNull(Parser.parse(source, d));
        assertEquals(1, d.count(), d.render());
        return d.sorted().get(0);
    }

    private static Diagnostic decodeError(byte[] bytes) {
        CompileError e = assertThrows(CompileError.class, () -> SourceReader.decode("f.nn", bytes));
        assertEquals(1, e.diagnostics().count());
        return e.diagnostics().sorted().get(0);
    }

    @Test
    void emptyFile() {
        Diagnostic d = parseError(new byte[0]);
        assertTrue(d.message().startsWith("the file is empty"), d.message());
        assertEquals("1:1", d.pos().toString());
    }

    @Test
    void blankFileIsEmpty() {
        Diagnostic d = parseError(bytes("\n   \n\t\n"));
        assertTrue(d.message().startsWith("the file is empty"), d.message());
    }

    @Test
    void onlyComments() {
        Diagnostic d = parseError(bytes("# just a comment\n# and another\n"));
        assertTrue(d.message().endsWith("found none"), d.message());
        assertEquals("3:1", d.pos().toString());
    }

    @Test
    void onlyDefs() {
        Diagnostic d = parseError(bytes("def f(x) = x\n"));
        assertTrue(d.message().endsWith("found none"), d.message());
    }

    @Test
    void zeroByteIsBinary() {
        Diagnostic d = decodeError(bytes("model m {\n    in", 0, "put x\n}\n"));
        assertTrue(d.message().contains("binary"), d.message());
        assertEquals("2:7", d.pos().toString());
    }

    @Test
    void invalidUtf8NamesTheByte() {
        Diagnostic d = decodeError(bytes("model m {\n    input x\n    y = ", 0xC3, 0x28, "\n}\n"));
        assertEquals("expected UTF-8 text, found the byte 0xc3", d.message());
        assertEquals("3:9", d.pos().toString());
    }

    @Test
    void invalidUtf8ColumnCountsCharactersBeforeIt() {
        Diagnostic d = decodeError(bytes("model m {\n# é→ ", 0xFF, "\n}\n"));
        assertEquals("expected UTF-8 text, found the byte 0xff", d.message());
        assertEquals("2:6", d.pos().toString());
    }

    @Test
    void truncatedSequenceAtTheEnd() {
        Diagnostic d = decodeError(bytes("model m {}\n", 0xE2, 0x86));
        assertTrue(d.message().contains("0xe2"), d.message());
        assertEquals("2:1", d.pos().toString());
    }

    @Test
    void byteOrderMarkIsAccepted() {
        SourceFile source = SourceReader.decode("bom.nn", bytes(0xEF, 0xBB, 0xBF, "model m { input x; loss = x }\n"));
        assertTrue(source.text().startsWith("model"));
        NnFiles.parse(source);
        // Columns after a BOM count from the first real character.
        Diagnostic d = parseError(bytes(0xEF, 0xBB, 0xBF, "model m { loss = $ }\n"));
        assertEquals("1:18", d.pos().toString());
    }

    @Test
    void crlfLineEndings() {
        byte[] text = bytes("model m {\r\n    input x\r\n\r\n    loss = x $ 1\r\n}\r\n");
        Diagnostic d = parseError(text);
        assertEquals("4:14", d.pos().toString());
        assertEquals("    loss = x $ 1", SourceReader.decode("f.nn", text).line(4));
        NnFiles.parse(SourceReader.decode("ok.nn", bytes("model m {\r\n    input x\r\n    loss = x\r\n}\r\n")));
    }

    @Test
    void crLineEndings() {
        Diagnostic d = parseError(bytes("model m {\r    input x\r\r    loss = x $ 1\r}\r"));
        assertEquals("4:14", d.pos().toString());
    }

    /** Columns count UTF-16 chars, as editors do: a character outside the BMP counts two. */
    @Test
    void columnsAfterAnEmojiCountUtf16Chars() {
        Diagnostic d = parseError(bytes("model m { loss = \"\uD83D\uDE00\" $ }\n"));
        assertEquals("1:23", d.pos().toString());
    }

    @Test
    void readsAFileAndReportsAMissingOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.nn");
        Files.write(file, bytes("model m { loss = 1 }\n"));
        assertEquals("model m { loss = 1 }\n", SourceReader.read(file).text());
        CompileError e = assertThrows(CompileError.class, () -> SourceReader.read(dir.resolve("missing.nn")));
        assertTrue(e.diagnostics().sorted().get(0).message().contains("does not exist"));
    }
}
