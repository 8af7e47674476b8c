package dev.nnc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke version of the shape sweep (issue 19): nnc's side alone on four tiny points, as
 * {@code bench/sweep.sh --smoke} runs it, against the top folder's {@code target/nnc.jar} (built by
 * the nnc module before this one). It checks the files' shape and that every nnc figure is finite
 * and positive; it says nothing about speed.
 */
class SweepTest {

    private static final Path NNC = Path.of("..", "target", "nnc.jar");

    @Test
    void smokeSweepWritesResultsTableAndHeatMap(@TempDir Path out) throws Exception {
        assertTrue(Files.isRegularFile(NNC), "the nnc module builds " + NNC.toAbsolutePath() + " before this test");
        Sweep.Options options = Sweep.Options.parse("--smoke", "--seconds", "0.2", "--warmup", "0.2",
                "--out", out.toString(), "--nnc", NNC.toString());
        List<SweepResult> results = Sweep.run(options);
        assertEquals(4, results.size());

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(String.join(",", SweepResult.COLUMNS), csv.get(0));
        assertEquals(5, csv.size(), String.join("\n", csv));
        for (String line : csv.subList(1, csv.size())) {
            assertEquals(SweepResult.COLUMNS.size(), line.split(",", -1).length, line);
            SweepResult r = SweepResult.parse(line);
            assertTrue(Double.isFinite(r.nncSteady()) && r.nncSteady() > 0, "nnc samples/s of " + line);
            assertTrue(Double.isFinite(r.nncWholeSeconds()) && r.nncWholeSeconds() > 0, "nnc whole run of " + line);
            assertTrue(r.nncFirstEpoch() > 0 && r.nncLaterEpochs() > 0 && Double.isFinite(r.warmupRatio()),
                    "nnc's epoch speeds of " + line);
            assertTrue(Double.isNaN(r.torchSteady()), "no PyTorch in the smoke sweep: " + line);
            assertEquals(256, r.dataSamples(), line);
        }
        assertEquals(List.of("w10_d1_b1_sgd", "w64_d1_b1_sgd", "w10_d1_b8_sgd", "w64_d1_b8_sgd"),
                results.stream().map(r -> r.point().name()).toList());

        String md = Files.readString(out.resolve("results.md"));
        assertEquals(4, md.lines().filter(l -> l.startsWith("| 10 ") || l.startsWith("| 64 ")).count(), md);
        assertTrue(md.contains("Worst points, steady state"), md);
        assertTrue(md.contains("Worst points, warm-up"), md);

        BufferedImage png = ImageIO.read(out.resolve("heatmap.png").toFile());
        assertEquals(SweepHeatMap.size(2).width, png.getWidth());
        assertEquals(SweepHeatMap.size(2).height, png.getHeight());
        assertEquals(1200, png.getWidth());
        assertEquals(SweepHeatMap.HEADER + 2 * SweepHeatMap.ROW, png.getHeight());
        assertTrue(Files.readString(out.resolve("models/w64_d1_b8_sgd.nn")).contains("mse(out, y)"));
        assertEquals(256, Files.readAllLines(out.resolve("data/w10_n256.csv")).size());
    }

    @Test
    void epochSpeedsAreReadFromTrainsProgressLines() {
        double[] speeds = SweepRunner.epochSpeeds("epoch 1/3  loss 0.315074  15,880 samples/s\n"
                + "epoch 2/3  loss 0.242936  1,264,839 samples/s\n"
                + "epoch 3/3  loss 0.095561  1,195,488 samples/s\n"
                + "loss 0.095561  (3 epochs, 0.05 s, 300,000 samples/s)\n");
        assertEquals(15880, speeds[0]);
        assertEquals((1264839 + 1195488) / 2.0, speeds[1], "the median of the later epochs");
        assertEquals(20, SweepRunner.epochSpeeds("epoch 1/4  loss 1  5 samples/s\nepoch 2/4  loss 1  90 samples/s\n"
                + "epoch 3/4  loss 1  20 samples/s\nepoch 4/4  loss 1  10 samples/s\n")[1], "one fast epoch does not move it");
        assertTrue(Double.isNaN(SweepRunner.epochSpeeds("epoch 1/1  loss 2  10 samples/s\n")[1]));
    }

    @Test
    void pointsWiderThanTheSquareCapKeepNarrowHiddenLayers() {
        assertEquals(4096, new SweepPoint(4096, 3, 1, "adam").hidden());
        assertEquals(512, new SweepPoint(50000, 3, 1, "adam").hidden());
        assertEquals(8192, SweepPoint.dataSamples(512, 8192));
        assertEquals(1024, SweepPoint.dataSamples(50000, 8192));
        assertEquals(6L * (64 * 64 + 64 * 64), new SweepPoint(64, 1, 8, "sgd").flopsPerSample());
    }

    @Test
    void wideModelsWholeRunsKeepTheirStepsFew() {
        assertEquals(64L * 64 + 64 + 64 * 64 + 64, new SweepPoint(64, 1, 8, "sgd").parameters());
        assertEquals(64L * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 64 + 64, new SweepPoint(64, 3, 8, "sgd").parameters());
        assertEquals(8192, new SweepPoint(10, 1, 1, "sgd").dataSamples(8192), "small models: 2^22 values, at most 8192 rows");
        assertEquals(8192, new SweepPoint(64, 1, 64, "sgd").dataSamples(8192));
        // 525,312 parameters: 2^26 / 525,312 = 127 steps an epoch
        assertEquals(127, new SweepPoint(512, 1, 1, "adam").dataSamples(8192));
        assertEquals(127 * 8, new SweepPoint(512, 1, 8, "adam").dataSamples(8192));
        assertEquals(127 * 64, new SweepPoint(512, 1, 64, "sgd").dataSamples(8192));
        // 33.6M parameters: the floor of 8 steps an epoch; a batch of 1024 keeps its one full batch
        assertEquals(8, new SweepPoint(4096, 1, 1, "sgd").dataSamples(8192));
        assertEquals(512, new SweepPoint(50000, 3, 64, "sgd").dataSamples(8192));
        assertEquals(1024, new SweepPoint(50000, 1, 1024, "sgd").dataSamples(8192));
        assertEquals(256, new SweepPoint(10, 1, 1024, "sgd").dataSamples(256), "never more rows than --max-samples");
    }
}
