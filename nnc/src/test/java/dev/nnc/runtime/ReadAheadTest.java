package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nnc train} reads the data sets while it compiles the trainer, and the trainer takes them
 * instead of reading the files again: whether the train block names them by absolute or relative
 * paths, whether the .nn file is given by an absolute or relative path, and for {@code --data}.
 * (A data set read ahead under another key than the trainer's stays behind: the run then read
 * every file twice, about 0.8 s of a Fashion-MNIST run.) A cached trainer's data is read before
 * the trainer is loaded, which must not make the read-ahead wait for its own data set.
 */
@Timeout(120) // a trainer waiting for a read that never ends fails here instead of hanging the build
class ReadAheadTest {

    private static final String MODEL = """
            model line {
                input  x
                target y
                param  w = 0.5
                loss = (w * x - y)^2
                train { optimizer = sgd(lr = 0.1); epochs = 2; batch = 2; shuffle = false; data = %s; test = %s }
            }
            """;

    private static int trainAndCountTaken(String... args) {
        NncSupport.PRELOADED.clear();
        int before = NncSupport.PRELOADS_TAKEN.get();
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.all());
        assertTrue(NncSupport.PRELOADED.isEmpty(), "left behind, not taken: " + NncSupport.PRELOADED.keySet());
        return NncSupport.PRELOADS_TAKEN.get() - before;
    }

    private static Path files(Path dir, boolean absolute) throws Exception {
        Files.writeString(dir.resolve("train.csv"), "x,y\n1,1\n2,2\n3,3\n");
        Files.writeString(dir.resolve("test.csv"), "x,y\n4,4\n");
        String train = absolute ? "\"" + dir.resolve("train.csv") + "\"" : "\"train.csv\"";
        String test = absolute ? "\"" + dir.resolve("test.csv") + "\"" : "\"test.csv\"";
        Path nn = dir.resolve("line.nn");
        Files.writeString(nn, MODEL.formatted(train, test));
        return nn;
    }

    @ParameterizedTest(name = "data paths absolute: {0}")
    @ValueSource(booleans = {true, false})
    void theTrainerTakesBothDataSetsReadAhead(boolean absolute, @TempDir Path dir) throws Exception {
        Path nn = files(dir, absolute);
        assertEquals(2, trainAndCountTaken("train", nn.toString()));
        // the .nn file by a path relative to the working directory
        Path relative = Path.of("").toAbsolutePath().relativize(nn);
        assertEquals(2, trainAndCountTaken("train", relative.toString()));
    }

    @Test
    void aCachedTrainersDataIsReadBeforeTheCheckAndTakenAllTheSame(@TempDir Path dir) throws Exception {
        Path nn = files(dir, false);
        System.setProperty("nnc.cache.dir", dir.resolve("cache").toString());
        System.setProperty("nnc.cache.build", "read-ahead-test-" + System.nanoTime());
        try {
            assertEquals(2, trainAndCountTaken("train", nn.toString())); // compiles, keeps the trainer and its plan
            assertEquals(2, trainAndCountTaken("train", nn.toString())); // the cached plan starts the reads
            Path other = dir.resolve("other.csv");
            Files.writeString(other, "x,y\n1,2\n");
            assertEquals(2, trainAndCountTaken("train", nn.toString(), "--data", other.toString()));
        } finally {
            System.clearProperty("nnc.cache.dir");
            System.clearProperty("nnc.cache.build");
        }
    }

    @Test
    void dataGivenOnTheCommandLineIsTakenToo(@TempDir Path dir) throws Exception {
        Path nn = files(dir, false);
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "x,y\n1,2\n");
        Path otherTest = dir.resolve("other-test.csv");
        Files.writeString(otherTest, "x,y\n2,1\n");
        String relative = Path.of("").toAbsolutePath().relativize(other).toString();
        assertEquals(2, trainAndCountTaken("train", nn.toString(), "--data", relative, "--test-data", otherTest.toString()));
    }
}
