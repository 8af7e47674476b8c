package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test JSON reader itself: it must accept exactly JSON, or the CLI tests prove nothing. */
class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.parse(" {\"a\": [1, -2.5, 3e2, 0, -0.0, 1E-3], \"b\": {\"c\": true, \"d\": false, \"e\": null},"
                + " \"s\": \"q\\\"b\\\\s\\/n\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\", \"big\": 99999999999999999999}\n");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, -2.5, 300.0, 0L, -0.0, 0.001));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("c", true);
        b.put("d", false);
        b.put("e", null);
        expected.put("b", b);
        expected.put("s", "q\"b\\s/n\n\t\r\b\f\u00e9\uD83D\uDE00");
        expected.put("big", 1e20);
        assertEquals(expected, v);
    }

    @Test
    void keepsTheOrderOfKeys() {
        assertEquals(List.of("z", "a", "m"), List.copyOf(JsonReader.object("{\"z\": 1, \"a\": 2, \"m\": 3}").keySet()));
    }

    @Test
    void readsScalarsAndEmptyContainers() {
        assertEquals(List.of(), JsonReader.parse("[]"));
        assertEquals(Map.of(), JsonReader.parse("{ }"));
        assertEquals("", JsonReader.parse("\"\""));
        assertEquals(-7L, JsonReader.parse("-7"));
        assertNull(JsonReader.parse("null"));
        assertEquals(Arrays.asList(null, List.of(List.of())), JsonReader.parse("[null,[[]]]"));
    }

    @Test
    void readsDoublesExactly() {
        for (double d : new double[] {Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1.0 / 3, -2.2250738585072014E-308}) {
            assertEquals(d, ((Number) JsonReader.parse(Double.toString(d))).doubleValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": 1,}", "{a: 1}", "{'a': 1}", "[01]", "[1.]", "[.5]",
        "[+1]", "[1e]", "[-]", "NaN", "Infinity", "-Infinity", "[nul]", "tru", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"a\nb\"", "\"tab\there\"", "1 2", "{} {}", "[1]]", "{\"a\": 1, \"a\": 2}", "[\"\\uZZZZ\"]", "//1"
    })
    void refusesWhatIsNotJson(String text) {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(text), text);
    }
}
