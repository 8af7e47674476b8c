package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many samples a data file holds, told before it is read ({@link NncSupport#estimatedSamples}):
 * what the warm-up's copy takes for the run's length while the data is read.
 */
class EstimatedSamplesTest {

    @TempDir
    Path dir;

    /** {@code rows} lines of {@code columns} values of 1 to 4 characters, seeded. */
    private Path csv(String name, int rows, int columns) throws IOException {
        StringBuilder b = new StringBuilder();
        java.util.Random random = new java.util.Random(rows * 31L + columns);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                b.append(c == 0 ? "" : ",").append(random.nextInt(1000) / 10.0);
            }
            b.append('\n');
        }
        return Files.writeString(dir.resolve(name), b, StandardCharsets.UTF_8);
    }

    @Test
    void aCsvFileIsItsSizeOverItsFirstLines() throws IOException {
        for (int[] shape : new int[][] {{5000, 8}, {300, 2000}, {40, 100}}) {
            Path file = csv("d" + shape[0] + ".csv", shape[0], shape[1]);
            long estimate = NncSupport.estimatedSamples(file.toString(), null);
            assertTrue(Math.abs(estimate - shape[0]) <= shape[0] / 10, shape[0] + " rows of " + shape[1] + ": " + estimate);
        }
    }

    @Test
    void aRelativePathIsTheBaseFoldersAndALineLongerThanWhatIsReadGivesAnUpperBound() throws IOException {
        csv("wide.csv", 20, 20000); // lines of about 80 KB, longer than the 64 KB read
        long estimate = NncSupport.estimatedSamples("wide.csv", dir);
        assertTrue(estimate >= 20 && estimate <= 40, "20 rows: " + estimate);
    }

    @Test
    void anIdxLabelFileTellsItsCount() throws IOException {
        Path labels = dir.resolve("labels.idx");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000801);
            out.writeInt(1234);
            out.write(new byte[1234]);
        }
        assertEquals(1234, NncSupport.estimatedSamples("idx(images.idx, " + labels + ")", null), "the labels' count; images not read");
    }

    @Test
    void whatTheFileDoesNotTellIsMinusOne() throws IOException {
        Files.write(dir.resolve("d.csv.gz"), new byte[100]);
        assertEquals(-1, NncSupport.estimatedSamples(dir.resolve("d.csv.gz").toString(), null), "compressed");
        assertEquals(-1, NncSupport.estimatedSamples(dir.resolve("missing.csv").toString(), null), "no file");
        assertEquals(-1, NncSupport.estimatedSamples("idx(a.idx.gz, b.idx.gz)", dir), "compressed IDX");
    }
}
