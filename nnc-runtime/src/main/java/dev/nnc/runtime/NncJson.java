package dev.nnc.runtime;

/** JSON in and out: the strict reader of weights files, and the writer of every result document. */
public final class NncJson {

    private NncJson() {}

    /**
     * One JSON document: maps (in iteration order), lists, arrays ({@code double[]}, {@code float[]},
     * {@code int[]}, {@code Object[]} such as {@code double[][]}), strings, numbers, booleans, null.
     */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        json(b, value);
        return b.toString();
    }

    private static void json(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            b.append(v);
        } else if (v instanceof Float f) {
            b.append(number(f.floatValue()));
        } else if (v instanceof Number n) {
            b.append(number(n.doubleValue()));
        } else if (v instanceof java.util.Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                sep = ", ";
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                json(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof java.util.List<?> l) {
            jsonArray(b, l.toArray());
        } else if (v instanceof Object[] a) {
            jsonArray(b, a);
        } else if (v instanceof double[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(number(a[i]));
            }
            b.append(']');
        } else if (v instanceof float[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(number(a[i]));
            }
            b.append(']');
        } else if (v instanceof int[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(a[i]);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getSimpleName());
        }
    }

    private static void jsonArray(StringBuilder b, Object[] items) {
        b.append('[');
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ", ");
            json(b, items[i]);
        }
        b.append(']');
    }

    /** The shortest text that reads back as the same double; integers without a fraction. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no form for the non-finite value " + d);
        }
        if (d == 0 && 1 / d < 0) {
            return "-0.0"; // (long) -0.0 would lose the sign
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** As {@link #number(double)}, in float's shortest form, so an f32 value is not padded with noise digits. */
    static String number(float f) {
        if (!Float.isFinite(f) || (f == Math.rint(f) && Math.abs(f) < 1e15)) {
            return number((double) f);
        }
        return Float.toString(f);
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * A strict JSON reader (RFC 8259): objects become insertion-ordered maps, arrays lists, numbers
     * {@code Double}. Errors name the file, line and column.
     */
    static final class Parser {
        private static final int MAX_DEPTH = 64;
        private final String text;
        private final String shown;
        private int pos;
        private int depth;

        Parser(String text, String shown) {
            this.text = text;
            this.shown = shown;
        }

        Object document() {
            Object value = value();
            space();
            if (pos < text.length()) {
                throw error("expected the end of the document, found " + found());
            }
            return value;
        }

        private Object value() {
            space();
            if (pos >= text.length()) {
                throw error("expected a value, found the end of the file");
            }
            char c = text.charAt(pos);
            if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw error("nested deeper than " + MAX_DEPTH + " levels");
                }
                Object v = c == '{' ? object() : array();
                depth--;
                return v;
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
                }
            }
            throw error("expected a value, found " + found());
        }

        private java.util.Map<String, Object> object() {
            java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw error("expected a key in quotes, found " + found());
                }
                int keyAt = pos;
                String key = string();
                space();
                expect(':');
                if (map.containsKey(key)) {
                    pos = keyAt;
                    throw error("the key \"" + key + "\" appears twice");
                }
                map.put(key, value());
                space();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                if (peek() != ',') {
                    throw error("expected ',' or '}', found " + found());
                }
                pos++;
            }
        }

        private java.util.List<Object> array() {
            java.util.List<Object> list = new java.util.ArrayList<>();
            pos++;
            space();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                space();
                if (peek() == ']') {
                    pos++;
                    return list;
                }
                if (peek() != ',') {
                    throw error("expected ',' or ']', found " + found());
                }
                pos++;
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw error("the string is not closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("a control character must be escaped in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    pos++;
                    continue;
                }
                char e = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        String hex = pos + 6 <= text.length() ? text.substring(pos + 2, pos + 6) : "";
                        if (!hex.matches("[0-9a-fA-F]{4}")) {
                            throw error("expected four hex digits after \\u");
                        }
                        b.append((char) Integer.parseInt(hex, 16));
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
                pos += 2;
            }
        }

        private Double number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("expected a digit, found " + found());
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("expected a digit after '.', found " + found());
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent, found " + found());
                }
            }
            String literal = text.substring(start, pos);
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("the number " + literal + " is out of range");
            }
            return d;
        }

        private boolean digits() {
            int start = pos;
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            return pos > start;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "', found " + found());
            }
            pos++;
        }

        private void space() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private String found() {
            return pos >= text.length() ? "the end of the file" : "'" + text.charAt(pos) + "'";
        }

        private NncSupport.DataError error(String message) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new NncSupport.DataError(shown + ":" + line + ":" + column + ": " + message);
        }

        static String kind(Object v) {
            return v == null ? "null" : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean"
                    : v instanceof java.util.Map ? "an object" : v instanceof java.util.List ? "an array" : "a number";
        }
    }
}
