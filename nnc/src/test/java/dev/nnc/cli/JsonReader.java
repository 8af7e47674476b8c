package dev.nnc.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict recursive-descent reader of one JSON document (RFC 8259), for checking what the
 * commands print. Objects become {@link LinkedHashMap}s in document order (a repeated key is an
 * error), arrays {@link List}s, strings {@link String}s, {@code true}/{@code false} {@link Boolean}s,
 * {@code null} null. A number without fraction or exponent that fits a long becomes a {@link Long},
 * any other a {@link Double} read with {@link Double#parseDouble}, so printed doubles compare exactly.
 */
public final class JsonReader {

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The value of the document; throws {@link IllegalArgumentException} if it is not exactly one JSON value. */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.space();
        Object v = r.value(0);
        r.space();
        if (r.at != text.length()) {
            throw r.error("expected the end of the document");
        }
        return v;
    }

    /** {@link #parse} for a document whose top level is an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, found " + v);
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (depth > 10_000) {
            throw error("nested too deeply");
        }
        if (at >= text.length()) {
            throw error("expected a value, found the end");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        expect('{');
        Map<String, Object> result = new LinkedHashMap<>();
        space();
        if (peek('}')) {
            at++;
            return result;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a string key");
            }
            int keyAt = at;
            String key = string();
            space();
            expect(':');
            space();
            Object v = value(depth + 1);
            if (result.containsKey(key)) {
                at = keyAt;
                throw error("the key \"" + key + "\" is repeated");
            }
            result.put(key, v);
            space();
            if (peek(',')) {
                at++;
                continue;
            }
            expect('}');
            return result;
        }
    }

    private List<Object> array(int depth) {
        expect('[');
        List<Object> result = new ArrayList<>();
        space();
        if (peek(']')) {
            at++;
            return result;
        }
        while (true) {
            space();
            result.add(value(depth + 1));
            space();
            if (peek(',')) {
                at++;
                continue;
            }
            expect(']');
            return result;
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                at--;
                throw error(String.format("an unescaped control character U+%04X in a string", (int) c));
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("a short \\u escape");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(at + i), 16);
                        if (d < 0) {
                            throw error("a bad \\u escape");
                        }
                        code = code * 16 + d;
                    }
                    at += 4;
                    b.append((char) code);
                }
                default -> {
                    at--;
                    throw error("an unknown escape \\" + e);
                }
            }
        }
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private Object number() {
        int start = at;
        boolean integral = true;
        if (peek('-')) {
            at++;
        }
        if (peek('0')) {
            at++;
        } else if (at < text.length() && text.charAt(at) >= '1' && text.charAt(at) <= '9') {
            digits();
        } else {
            throw error("expected a digit");
        }
        if (peek('.')) {
            integral = false;
            at++;
            if (digits() == 0) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek('e') || peek('E')) {
            integral = false;
            at++;
            if (peek('+') || peek('-')) {
                at++;
            }
            if (digits() == 0) {
                throw error("expected a digit in the exponent");
            }
        }
        String s = text.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                // falls through to a double
            }
        }
        return Double.parseDouble(s);
    }

    private int digits() {
        int n = 0;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
            n++;
        }
        return n;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("expected " + word);
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String message) {
        String found = at < text.length() ? "'" + text.charAt(at) + "'" : "the end";
        return new IllegalArgumentException(message + " at offset " + at + ", found " + found
                + " in: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }
}
