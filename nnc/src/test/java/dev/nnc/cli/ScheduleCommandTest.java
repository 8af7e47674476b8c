package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schedule} and {@code clip_norm} from the command line: {@code nnc train} applies the train
 * block's, {@code --clip-norm} does what the block's {@code clip_norm} does, {@code --lr} is the
 * schedule's base rate, and a bad value is a command-line error.
 */
class ScheduleCommandTest {

    static final String MODEL = """
            model sched {
                input  x[3]
                target c[3] onehot
                h    = dense(x, 5, tanh)
                out  = dense(h, 3)
                loss = cross_entropy(out, c)
                output out
                data {
                    x = [[1, 0, 0.5], [0, 1, -0.5], [-1, -1, 0], [0.8, 0.2, 0.4], [0.1, 0.9, -0.2], [-0.7, -0.9, 0.3]]
                    c = [0, 1, 2, 0, 1, 2]
                }
                train {
                    optimizer = sgd(lr = 0.5, momentum = 0.9)
                    epochs = 8
                    batch = 2
                    shuffle = true
                    seed = 5
                    dtype = f64
                    %s
                }
            }
            """;

    private static Object params(Path dir, String name, String block, String... flags) throws Exception {
        Path file = dir.resolve(name + ".nn");
        Files.writeString(file, String.format(MODEL, block));
        String[] args = new String[flags.length + 3];
        args[0] = "train";
        args[1] = file.toString();
        args[2] = "--json";
        System.arraycopy(flags, 0, args, 3, flags.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.all());
        return JsonReader.object(r.out()).get("params");
    }

    @Test
    void clipNormOnTheCommandLineIsTheBlocksClipNorm(@TempDir Path dir) throws Exception {
        Object block = params(dir, "block", "clip_norm = 0.2");
        Object flag = params(dir, "flag", "", "--clip-norm", "0.2");
        Object none = params(dir, "none", "");
        assertEquals(block, flag, "--clip-norm 0.2 and clip_norm = 0.2");
        assertNotEquals(none, block, "clipping at 0.2 changes the run");
        Object looser = params(dir, "looser", "clip_norm = 0.2", "--clip-norm", "1e6");
        assertEquals(none, looser, "the flag overrides the block: a norm never reached clips nothing");
    }

    @Test
    void theLrFlagIsTheBaseRateOfTheSchedule(@TempDir Path dir) throws Exception {
        String schedule = "schedule = warmup(steps = 2, then = step(every = 3, gamma = 0.5))";
        Object block = params(dir, "block", schedule);
        Object none = params(dir, "none", "");
        assertNotEquals(none, block, "the schedule changes the run");
        Object faster = params(dir, "faster", schedule, "--lr", "0.25");
        assertNotEquals(block, faster, "--lr changes the base rate");
        Object same = params(dir, "same", schedule, "--lr", "0.5");
        assertEquals(block, same, "--lr 0.5 is the block's own rate");
    }

    @Test
    void aBadClipNormIsACommandLineError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.nn");
        Files.writeString(file, String.format(MODEL, ""));
        for (Map.Entry<String, String> bad : Map.of("0", "--clip-norm must be greater than 0, found 0",
                "-1", "--clip-norm must be greater than 0, found -1",
                "x", "--clip-norm expects a number, found \"x\"").entrySet()) {
            CliRun r = CliRun.of("train", file.toString(), "--clip-norm", bad.getKey());
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains(bad.getValue()), r.all());
        }
        CliRun help = CliRun.of("train", "--help");
        assertTrue(help.out().contains("--clip-norm=X"), help.out());
    }
}
