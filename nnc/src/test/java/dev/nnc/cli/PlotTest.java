package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code nnc train --plot F.png|F.svg} draws the training curves (TrainingCurves, with JFreeChart):
 * a PNG of the chart's size whose pixels hold the series' colours, an SVG whose labels are
 * {@code <text>}, the validation figures on their own axis; a wrong extension or folder is exit 2
 * before any work, with nothing written.
 */
class PlotTest {

    @TempDir
    Path dir;

    /** Two classes of points in the plane, eight samples, so that a validation split has accuracy to show. */
    private static final String CLASSES = """
            model halves {
                input  x[2]
                target y[2] onehot
                h    = dense(x, 6, tanh)
                out  = dense(h, 2)
                loss = cross_entropy(out, y)
                output out
                data {
                    x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.1, 0.2], [0.9, 0.8], [0.2, 0.9], [0.8, 0.1]]
                    y = [0, 0, 1, 1, 0, 1, 0, 1]
                }
                train { optimizer = adam(lr = 0.05); epochs = 12; batch = 2; seed = 3 }
            }
            """;

    private Path model() throws IOException {
        return Files.writeString(dir.resolve("halves.nn"), CLASSES);
    }

    @Test
    void pngHasTheChartsSizeAndTheSeriesColours() throws Exception {
        Path png = dir.resolve("curves.png");
        CliRun r = TrainerCommandsTest.run("train", model().toString(), "--validation-split", "0.25", "--plot", png.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("drew the training curves in " + png), r.all());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertEquals(TrainingCurves.HEIGHT, image.getHeight());
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300);
        int trainingLoss = 0;
        int validationAccuracy = 0;
        int white = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                trainingLoss += rgb == 0x1f77b4 ? 1 : 0;
                validationAccuracy += rgb == 0xd62728 ? 1 : 0;
                white += rgb == 0xffffff ? 1 : 0;
            }
        }
        assertTrue(trainingLoss > 100, "pixels of the training loss's line: " + trainingLoss);
        assertTrue(validationAccuracy > 100, "pixels of the validation accuracy's line: " + validationAccuracy);
        assertTrue(white < image.getWidth() * image.getHeight(), "not a blank picture");
        assertFalse(leftovers(), "no temporary file left behind");
    }

    @Test
    void svgIsAStandaloneFileWithTextLabels() throws Exception {
        Path svg = dir.resolve("curves.svg");
        CliRun r = TrainerCommandsTest.run("train", model().toString(), "--validation-split", "0.25", "--epochs", "5", "--plot",
                svg.toString());
        assertEquals(0, r.code(), r.all());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            labels.add(texts.item(i).getTextContent().strip());
        }
        for (String label : List.of("halves: training curves", "epoch", "loss", "accuracy", "training loss", "validation loss",
                "validation accuracy")) {
            assertTrue(labels.contains(label), "the label '" + label + "' among " + labels);
        }
        String text = Files.readString(svg);
        assertFalse(text.contains("href=\"http") || text.contains("url(http"), "nothing from the network");
    }

    @Test
    void aRegressionModelHasOnlyItsLoss() throws Exception {
        Path png = dir.resolve("xor.png");
        CliRun r = TrainerCommandsTest.run("train", TrainerCommandsTest.SAMPLES.resolve("xor.nn").toString(), "--epochs", "40",
                "--plot", png.toString());
        assertEquals(0, r.code(), r.all());
        BufferedImage image = ImageIO.read(png.toFile());
        int validation = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                validation += (image.getRGB(x, y) & 0xffffff) == 0xd62728 ? 1 : 0;
            }
        }
        assertEquals(0, validation, "no validation series without a validation split");
    }

    @Test
    void aWrongExtensionOrFolderIsAUsageErrorBeforeAnyWork() throws Exception {
        Path save = dir.resolve("w.json");
        CliRun jpg = TrainerCommandsTest.run("train", model().toString(), "--save", save.toString(), "--plot",
                dir.resolve("c.jpg").toString());
        assertEquals(2, jpg.code(), jpg.all());
        assertTrue(jpg.err().contains("--plot " + dir.resolve("c.jpg") + ": the file must end in .png or .svg"), jpg.all());
        Path nowhere = dir.resolve("missing").resolve("c.png");
        CliRun missing = TrainerCommandsTest.run("train", model().toString(), "--save", save.toString(), "--plot", nowhere.toString());
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("--plot " + nowhere + ": no such folder"), missing.all());
        assertFalse(Files.exists(save), "no work done, nothing saved");
        Path folder = Files.createDirectory(dir.resolve("d.PNG"));
        CliRun intoFolder = TrainerCommandsTest.run("train", model().toString(), "--plot", folder.toString());
        assertEquals(2, intoFolder.code(), intoFolder.all());
        assertTrue(intoFolder.err().contains("it is a folder"), intoFolder.all());
    }

    private boolean leftovers() throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().contains(".tmp"));
        }
    }
}
