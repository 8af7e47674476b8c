package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code nnc bench}: the result's form only; timings depend on the machine and are never asserted. */
class BenchCommandTest {

    @Test
    void jsonOfTheSmallestWorkloadHasEveryKeyWithPositiveFiniteNumbers() {
        CliRun r = CliRun.of("bench", "bench/t1.nn", "--seconds", "0.2", "--warmup", "0.1", "--json");
        assertEquals(0, r.code(), r.all());
        Map<String, Object> doc = JsonReader.object(r.out());
        assertEquals(List.of("model", "batch", "samples_per_second", "us_per_step", "gflops", "setup_ms", "threads", "vector"),
                List.copyOf(doc.keySet()), r.all());
        assertEquals("t1", doc.get("model"));
        assertEquals(1L, doc.get("batch"));
        assertEquals(1L, doc.get("threads"));
        for (String key : List.of("samples_per_second", "us_per_step", "gflops", "setup_ms")) {
            double v = assertInstanceOf(Number.class, doc.get(key), key).doubleValue();
            assertTrue(Double.isFinite(v) && v > 0, () -> key + " = " + v + "\n" + r.all());
        }
    }

    @Test
    void aBadDurationIsACommandLineError() {
        CliRun r = CliRun.of("bench", "bench/t1.nn", "--seconds", "0");
        assertEquals(Main.USAGE_ERROR, r.code(), r.all());
        assertEquals("", r.out(), r.all());
    }
}
