package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.EpochStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample's whole flow, as {@code Main} runs it, with its weights file in a temporary folder. */
class MainTest {

    @Test
    void trainsEvaluatesSavesLoadsAndPredictsFromThreads(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("rings.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Main.Outcome o = Main.run(weights, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);

        List<EpochStats> history = o.training().history();
        assertEquals(150, history.size(), "the .nn's train block says 150 epochs");
        assertTrue(history.get(149).loss() < history.get(0).loss() / 4, "training loss fell: " + history.get(0) + " -> " + history.get(149));

        assertEquals(200, o.test().samples());
        assertTrue(o.test().accuracy() > 0.9, text);
        assertTrue(o.test().loss() < 0.2, text);
        assertEquals(o.test().loss(), history.get(149).validationLoss(), 1e-12, "evaluate agrees with fit's last validation");

        assertTrue(Files.size(weights) > 0, "the weights file is written");
        assertArrayEquals(o.predicted(), o.reloaded(), "load(save(m)) predicts exactly as m");
        assertArrayEquals(o.oneThread(), o.fourThreads(), "4 threads predict exactly as 1");
        assertArrayEquals(o.predicted(), o.oneThread(), "predict(float[][]) gives what predict(float[]) gives");

        assertTrue(text.contains("(0.1, 0.2): ring 0"), text);
        assertTrue(text.contains("(-0.9, 0.1): ring 1"), text);
        assertTrue(text.contains("(0.3, -1.5): ring 2"), text);
    }

    /** The data: each point's ring follows from its radius, and every ring has points. */
    @Test
    void ringsAreLabelledByRadius() {
        Main.Points p = Main.rings(600, 1);
        int[] counts = new int[3];
        for (int s = 0; s < 600; s++) {
            double r = StrictMath.hypot(p.xy()[s][0], p.xy()[s][1]);
            int ring = p.ring()[s];
            counts[ring]++;
            assertTrue(r < Main.RADII[ring] && (ring == 0 || r >= Main.RADII[ring - 1]), "point " + s + " at radius " + r + " in ring " + ring);
        }
        for (int c : counts) {
            assertTrue(c > 150, "rings of about 200 points each: " + java.util.Arrays.toString(counts));
        }
    }
}
