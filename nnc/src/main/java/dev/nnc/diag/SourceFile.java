package dev.nnc.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of a {@code .nn} file and the name it is reported under. Splits into lines once, so
 * a diagnostic can quote its line.
 */
public final class SourceFile {

    private final String path;
    private final String text;
    private final List<String> lines;

    /**
     * A lone {@code \r} (old Mac line ends) becomes {@code \n}: the lexer counts lines at {@code \n}
     * only, and the lines quoted under diagnostics must be the lines it counted. Same length, so
     * offsets into the text do not move.
     */
    public SourceFile(String path, String text) {
        this.path = path;
        text = loneCarriageReturnsToNewlines(text);
        this.text = text;
        this.lines = splitLines(text);
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** Line {@code n} (1-based) without its line break; empty past the end. */
    public String line(int n) {
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
    }

    /**
     * One diagnostic as cli.md shows it. The quoted line loses its indentation and is indented by four
     * spaces; the caret keeps the tabs of the line so it stands under the spot in any terminal.
     */
    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        out.append(path).append(':').append(d.pos().line()).append(':').append(d.pos().column())
                .append(": error: ").append(d.message()).append('\n');
        String line = line(d.pos().line());
        int indent = 0;
        while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
            indent++;
        }
        String shown = line.substring(indent).stripTrailing();
        if (shown.isEmpty()) {
            return out.toString();
        }
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + " ...";
        }
        out.append("    ").append(shown).append('\n');
        int caret = Math.max(0, Math.min(d.pos().column() - 1 - indent, shown.length()));
        StringBuilder pad = new StringBuilder("    ");
        for (int i = 0; i < caret; i++) {
            pad.append(shown.charAt(i) == '\t' ? '\t' : ' ');
        }
        out.append(pad).append("^\n");
        return out.toString();
    }

    private static String loneCarriageReturnsToNewlines(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == '\r' && (i + 1 == chars.length || chars[i + 1] != '\n')) {
                chars[i] = '\n';
            }
        }
        return new String(chars);
    }

    private static List<String> splitLines(String text) {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                result.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        result.add(text.substring(start));
        return result;
    }
}
