package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.check.Op;
import dev.nnc.ops.Fn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's dictionary ({@code dev/nnc/nn.dict}, for {@link FrontEndFuzzTest}) holds every literal
 * token of the grammar and every built-in function's name, so that a new keyword or function is
 * fuzzed from the day it is added.
 */
class NnDictionaryTest {

    static final Path GRAMMAR = Path.of(System.getProperty("nnc.root", ".")).resolve("grammar/Nn.g4");

    @Test
    void dictionaryHoldsTheGrammarsTokensAndTheBuiltins() throws IOException {
        Set<String> entries = entries();
        List<String> expected = new ArrayList<>();
        String grammar = Files.readString(GRAMMAR).replaceAll("(?m)^\\s*//.*$", "");
        Matcher literal = Pattern.compile("'((?:[^'\\\\]|\\\\.)+)'").matcher(grammar);
        while (literal.find()) {
            expected.add(literal.group(1).replace("\\'", "'").replace("\\n", "\n").replace("\\r", "\r"));
        }
        assertTrue(expected.contains("model") && expected.contains("@"), "no literal tokens read from " + GRAMMAR);
        for (Fn f : Fn.values()) {
            if (f.builtin()) {
                expected.add(f.symbol());
            }
        }
        for (Op op : Op.values()) {
            if (op.compareTo(Op.MAX) >= 0) { // the operators before MAX are written as symbols
                expected.add(op.functionName());
            }
        }
        expected.add("dense");
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(entries);
        assertTrue(missing.isEmpty(), "nn.dict lacks " + missing);
    }

    /** libFuzzer's escapes: {@code \\}, {@code \"} and {@code \xNN}. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
            } else if (s.charAt(i + 1) == 'x') {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(s.charAt(++i));
            }
        }
        return b.toString();
    }

    /** The dictionary's entries, unescaped: one quoted string a line, {@code #} comments. */
    static Set<String> entries() throws IOException {
        Set<String> entries = new TreeSet<>();
        try (InputStream in = NnDictionaryTest.class.getResourceAsStream("nn.dict")) {
            assertTrue(in != null, "no dev/nnc/nn.dict on the test class path");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                assertTrue(line.startsWith("\"") && line.endsWith("\""), "not a dictionary entry: " + line);
                entries.add(unescape(line.substring(1, line.length() - 1)));
            }
        }
        return entries;
    }
}
