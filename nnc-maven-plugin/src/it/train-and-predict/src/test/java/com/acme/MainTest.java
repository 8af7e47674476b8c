package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.testing.Line;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {

    /** Main's flow; what it prints is kept in target/main-output.txt for verify.groovy to read. */
    @Test
    void blobsLearnsToTellTheCloudsApart() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Main.Outcome o = Main.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Files.write(Path.of("target/main-output.txt"), printed.toByteArray());
        assertEquals(20, o.training().history().size(), "the train block's 20 epochs");
        assertTrue(o.test().accuracy() >= 0.95, printed.toString(StandardCharsets.UTF_8));
        assertTrue(o.low() < 0.1 && o.high() > 0.9, printed.toString(StandardCharsets.UTF_8));
    }

    /** The model of src/test/nn, generated into the test sources. */
    @Test
    void lineFitsALine() {
        float[][] x = new float[16][];
        float[][] y = new float[16][];
        for (int i = 0; i < 16; i++) {
            x[i] = new float[] {i / 8f - 1};
            y[i] = new float[] {2 * x[i][0] + 1};
        }
        Line line = new Line();
        line.fit(Dataset.of(x, y), TrainOptions.fromModel());
        assertEquals(5f, line.predict(new float[] {2})[0], 0.05f);
    }
}
