package dev.nnc.cli;

import java.util.List;
import java.util.Map;

/**
 * Writes the {@code --json} documents: maps (in their iteration order), lists, strings, numbers,
 * booleans. Numbers print in full precision; a non-finite one is refused, since JSON has none.
 */
public final class Json {

    private Json() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof Integer || v instanceof Long) {
            out.append(v);
        } else if (v instanceof Number n) {
            out.append(number(n.doubleValue()));
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(first ? "" : ", ");
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue());
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                write(out, l.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getSimpleName());
        }
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

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
