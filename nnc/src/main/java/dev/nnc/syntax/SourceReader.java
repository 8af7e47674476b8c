package dev.nnc.syntax;

import dev.nnc.diag.CompileError;
import dev.nnc.diag.Pos;
import dev.nnc.diag.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a {@code .nn} file as strict UTF-8. A file that is binary or not UTF-8 is an error at the
 * first bad byte, never a parse of garbage.
 */
public final class SourceReader {

    private SourceReader() {}

    /** The file's text; throws {@link CompileError} for a file that cannot be read or is not text. */
    public static SourceFile read(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw CompileError.at(new SourceFile(name, ""), Pos.START, "cannot read the file: it does not exist");
        } catch (IOException e) {
            throw CompileError.at(new SourceFile(name, ""), Pos.START, "cannot read the file: " + e.getMessage());
        }
        return decode(name, bytes);
    }

    public static SourceFile decode(String name, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw CompileError.at(new SourceFile(name, ""), position(bytes, i),
                        "expected a text file, found a binary one (a zero byte)");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            throw CompileError.at(new SourceFile(name, ""), position(bytes, at),
                    String.format("expected UTF-8 text, found the byte 0x%02x", bytes[at] & 0xff));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new SourceFile(name, text);
    }

    /** Line and column of a byte offset, counting columns in characters of the valid prefix. */
    private static Pos position(byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String prefix;
        try {
            prefix = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(bytes, lineStart, offset - lineStart)).toString();
        } catch (CharacterCodingException e) {
            prefix = " ".repeat(offset - lineStart);
        }
        return new Pos(line, prefix.length() + 1);
    }
}
