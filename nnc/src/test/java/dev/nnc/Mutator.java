package dev.nnc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Seeded mutations of {@code .nn} files for the fuzz tests. A mutant is a pure function of the
 * original bytes, the seed and the first mutation kind, so a failure reproduces from those alone:
 * {@code Mutator.mutate(Files.readAllBytes(file), seed, kind)}.
 *
 * <p>The text is handled as ISO-8859-1, one char per byte, so that token edits never disturb bytes
 * that are not valid UTF-8 and every byte survives the round trip.
 */
public final class Mutator {

    /** The kinds of mutation; each mutant applies one chosen by the caller, sometimes more. */
    public enum Kind {
        DROP_TOKEN, DUPLICATE_TOKEN, SWAP_TOKENS, REPLACE_TOKEN, CUT, INSERT_BYTES,
        DELETE_LINE, DUPLICATE_LINE, EXTREME_NUMBER, DEEP_NEST
    }

    /** One mutant: its bytes and the mutations applied, in order. */
    public record Mutant(long seed, byte[] bytes, List<Kind> kinds) {

        /** The text as a Java string literal body: printable ASCII as is, everything else escaped. */
        public String printable() {
            return escape(bytes);
        }
    }

    static final String[] EXTREMES = {
        "1e308", "-0", "0", "99999999999", "1e-320", "1e309", "-1e308", "0.0", "2147483647",
        "2147483648", "99999999999999999999999", "4.9e-324", "65536", "1", "-1"
    };

    private static final String PUNCTUATION = "!@#$%^&*(){}[]<>?/\\|~`'\";:,.=+-";

    /** Crude tokens: words and numbers, runs of whitespace, or any other single char. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.]+|\\s+|.", Pattern.DOTALL);

    private static final Pattern NUMBER =
            Pattern.compile("(?<![A-Za-z_0-9.])(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?![A-Za-z_0-9.])");

    private Mutator() {}

    /** The files to mutate: every {@code samples/*.nn}, and the hand-written seeds, which cover every construct. */
    public static List<Path> seedFiles() {
        // samples/ is at the top folder (nnc.root); surefire's basedir is the module's, which has the seeds
        Path root = Path.of(System.getProperty("nnc.root", "."));
        Path base = Path.of(System.getProperty("basedir", ""));
        List<Path> files = new ArrayList<>(list(root.resolve("samples")));
        files.addAll(list(base.resolve("src/test/resources/fuzz-seeds")));
        return files;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The mutant of {@code original} for {@code seed}: first a mutation of kind {@code first}, then,
     * one time in three, one or two more of random kinds.
     */
    public static Mutant mutate(byte[] original, long seed, Kind first) {
        Random random = new Random(seed);
        String text = new String(original, StandardCharsets.ISO_8859_1);
        List<Kind> applied = new ArrayList<>();
        text = apply(first, text, random);
        applied.add(first);
        if (random.nextInt(3) == 0) {
            int more = 1 + random.nextInt(2);
            for (int i = 0; i < more; i++) {
                Kind k = Kind.values()[random.nextInt(Kind.values().length)];
                text = apply(k, text, random);
                applied.add(k);
            }
        }
        return new Mutant(seed, text.getBytes(StandardCharsets.ISO_8859_1), List.copyOf(applied));
    }

    /** Counts how often each kind was applied, for checking that every kind is exercised. */
    public static void count(Mutant m, Map<Kind, Integer> counts) {
        for (Kind k : m.kinds()) {
            counts.merge(k, 1, Integer::sum);
        }
    }

    public static Map<Kind, Integer> emptyCounts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            counts.put(k, 0);
        }
        return counts;
    }

    static String apply(Kind kind, String text, Random random) {
        List<String> tokens = tokens(text);
        List<Integer> solid = solidIndexes(tokens);
        switch (kind) {
            case DROP_TOKEN -> {
                if (!solid.isEmpty()) {
                    tokens.remove(pick(solid, random));
                }
            }
            case DUPLICATE_TOKEN -> {
                if (!solid.isEmpty()) {
                    int i = pick(solid, random);
                    tokens.add(i, tokens.get(i));
                }
            }
            case SWAP_TOKENS -> {
                if (solid.size() >= 2) {
                    int j = 1 + random.nextInt(solid.size() - 1);
                    int a = solid.get(j - 1);
                    int b = solid.get(j);
                    String t = tokens.get(a);
                    tokens.set(a, tokens.get(b));
                    tokens.set(b, t);
                }
            }
            case REPLACE_TOKEN -> {
                if (!solid.isEmpty()) {
                    tokens.set(pick(solid, random), tokens.get(pick(solid, random)));
                }
            }
            case CUT -> {
                return text.substring(0, text.isEmpty() ? 0 : random.nextInt(text.length() + 1));
            }
            case INSERT_BYTES -> {
                int at = random.nextInt(text.length() + 1);
                return text.substring(0, at) + randomBytes(random) + text.substring(at);
            }
            case DELETE_LINE, DUPLICATE_LINE -> {
                List<String> lines = lines(text);
                int i = random.nextInt(lines.size());
                if (kind == Kind.DELETE_LINE) {
                    lines.remove(i);
                } else {
                    lines.add(i, lines.get(i));
                }
                return String.join("", lines);
            }
            case EXTREME_NUMBER -> {
                String extreme = EXTREMES[random.nextInt(EXTREMES.length)];
                List<int[]> spans = new ArrayList<>();
                Matcher m = NUMBER.matcher(text);
                while (m.find()) {
                    spans.add(new int[] {m.start(), m.end()});
                }
                if (spans.isEmpty()) {
                    int at = random.nextInt(text.length() + 1);
                    return text.substring(0, at) + extreme + text.substring(at);
                }
                int[] s = spans.get(random.nextInt(spans.size()));
                return text.substring(0, s[0]) + extreme + text.substring(s[1]);
            }
            case DEEP_NEST -> {
                int at = tokenBoundary(tokens, random);
                String inner = solid.isEmpty() ? "x" : tokens.get(pick(solid, random));
                return prefix(tokens, at) + nest(random, inner) + suffix(tokens, at);
            }
        }
        return String.join("", tokens);
    }

    /** Brackets, calls or operators nested from a little past the parser's limits to far past them. */
    static String nest(Random random, String inner) {
        int[] depths = {5, 50, 500, 999, 1000, 1001, 1500, 3000, 10000};
        int n = depths[random.nextInt(depths.length)];
        boolean closed = random.nextInt(4) != 0;
        return switch (random.nextInt(8)) {
            case 0 -> "(".repeat(n) + inner + (closed ? ")".repeat(n) : "");
            case 1 -> "[".repeat(n) + inner + (closed ? "]".repeat(n) : "");
            case 2 -> "[(".repeat(n / 2) + inner + (closed ? ")]".repeat(n / 2) : "");
            case 3 -> "exp(".repeat(n) + inner + (closed ? ")".repeat(n) : "");
            case 4 -> "-".repeat(n) + inner;
            case 5 -> (inner + " ^ ").repeat(n) + inner;
            case 6 -> (inner + " + ").repeat(n) + inner;
            default -> inner + "'".repeat(n);
        };
    }

    static String randomBytes(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> b.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                case 3 -> b.append('\0');
                case 4 -> { // not UTF-8: a lone continuation byte, an overlong form, 0xff, a cut sequence
                    String[] bad = {"\u0080", "\u00c0\u0080", "\u00ff", "\u00e2\u0082", "\u00ed\u00a0\u0080", "\u00f8"};
                    b.append(bad[random.nextInt(bad.length)]);
                }
                case 5 -> { // valid UTF-8 beyond ASCII, as bytes: é, a BOM, U+2028, an emoji
                    String[] good = {"é", "\uFEFF", "\u2028", "\uD83D\uDE00", "λ"};
                    b.append(new String(good[random.nextInt(good.length)].getBytes(StandardCharsets.UTF_8),
                            StandardCharsets.ISO_8859_1));
                }
                case 6 -> b.append("\r\n\t\f\u000b ".charAt(random.nextInt(6)));
                default -> b.append((char) random.nextInt(256));
            }
        }
        return b.toString();
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** The lines of the text, each with its line break, so that joining them gives the text back. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    private static List<Integer> solidIndexes(List<String> tokens) {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isBlank()) {
                result.add(i);
            }
        }
        return result;
    }

    private static int pick(List<Integer> indexes, Random random) {
        return indexes.get(random.nextInt(indexes.size()));
    }

    private static int tokenBoundary(List<String> tokens, Random random) {
        return random.nextInt(tokens.size() + 1);
    }

    private static String prefix(List<String> tokens, int at) {
        return String.join("", tokens.subList(0, at));
    }

    private static String suffix(List<String> tokens, int at) {
        return String.join("", tokens.subList(at, tokens.size()));
    }

    /** Bytes as a Java string literal body, so a failing mutant can be pasted into a test. */
    public static String escape(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '\n') {
                b.append("\\n\n");
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c == '"') {
                b.append("\\\"");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }
}
