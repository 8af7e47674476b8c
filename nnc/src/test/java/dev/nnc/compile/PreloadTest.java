package dev.nnc.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.cli.JsonReader;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.NncSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data set handed over to the runtime ({@code NncSupport.preload}) is what a loaded trainer trains on, instead of reading its file again. */
class PreloadTest {

    static final String MODEL = """
            model line {
                input  x
                target y
                param  w = 0.5
                loss = (w * x - y)^2
                train { optimizer = sgd(lr = 0.1); epochs = 1; batch = 2; shuffle = false; dtype = f64 }
            }
            """;

    static double trainedLoss(LoadedTrainer trainer, Path data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = trainer.run(new String[] {"--data", data.toString(), "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return ((Number) JsonReader.object(out.toString(StandardCharsets.UTF_8)).get("loss")).doubleValue();
    }

    @Test
    void thePreloadedDataIsTrainedOnOnceThenTheFileAgain(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x,y\n1,1\n2,2\n");
        CheckedModel model = Pipeline.check(new SourceFile("line.nn", MODEL), null);
        LoadedTrainer trainer = LoadedTrainer.load(Pipeline.generate(model, null, null, null));
        double fromFile = trainedLoss(trainer, csv);
        // the same file name, other values: x = 1, 2 with y = 3, 5 give another loss
        NncSupport.preload(csv.toString(), null, true, 2, null, new double[][] {{1, 2}, {3, 5}}, new int[2][]);
        double preloaded = trainedLoss(trainer, csv);
        assertNotEquals(fromFile, preloaded);
        assertEquals(((0.5 * 1 - 3) * (0.5 * 1 - 3) + (0.5 * 2 - 5) * (0.5 * 2 - 5)) / 2, preloaded, 1e-12);
        // taken once: the next run reads the file
        assertEquals(fromFile, trainedLoss(trainer, csv));
        // a data set that does not fit the model (3 values for 2 samples) is ignored
        NncSupport.preload(csv.toString(), null, true, 2, null, new double[][] {{1, 2, 3}, {3, 5}}, new int[2][]);
        assertEquals(fromFile, trainedLoss(trainer, csv));
    }
}
