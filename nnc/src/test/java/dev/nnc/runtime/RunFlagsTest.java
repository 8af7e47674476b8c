package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer flags of cli.md's version 2 that concern runs: {@code --history}, {@code --json}'s
 * history, {@code --validation-split}, {@code --early-stopping}, {@code --checkpoint}, and the
 * checks of every target before any work. On a generated trainer, as the standalone trainer and
 * {@code nnc train} run it.
 */
class RunFlagsTest {

    /** 40 samples of a noisy line: enough to split and to overfit. */
    static final String LINE;
    static final double[] XS = new double[40];
    static final double[] YS = new double[40];

    static {
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        java.util.Random r = new java.util.Random(5);
        for (int s = 0; s < 40; s++) {
            XS[s] = r.nextDouble() * 4 - 2;
            YS[s] = 3 * XS[s] - 1 + r.nextGaussian();
            x.append(s == 0 ? "" : ", ").append("[").append(XS[s]).append("]");
            y.append(s == 0 ? "" : ", ").append("[").append(YS[s]).append("]");
        }
        LINE = """
                model line {
                    input  x[1]
                    target y[1]
                    h    = dense(x, 8, tanh)
                    out  = dense(h, 1)
                    loss = mse(out, y)
                    output out
                    data {
                        x = [%s]
                        y = [%s]
                    }
                    train {
                        optimizer = adam(lr = 0.05)
                        epochs    = 8
                        batch     = 6
                        shuffle   = true
                        seed      = 2
                    }
                }
                """.formatted(x, y);
    }

    static final Class<?> TYPE = InMemoryCompiler.compile(Pipeline.generate(Pipeline.check(new SourceFile("line.nn", LINE), null),
            null, null, null));

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        Map<String, Object> json() {
            return dev.nnc.cli.JsonReader.object(out);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Method run = TYPE.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            int code = (Integer) run.invoke(null, args, o, e);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void historyFileHasAHeaderAndOneRowPerEpoch() throws Exception {
        Path history = dir.resolve("h.csv");
        Run r = run("--epochs", "3", "--history", history.toString(), "--validation-split", "0.25");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(history);
        assertEquals("epoch,loss,val_loss,val_accuracy,test_loss,test_accuracy,seconds,samples_per_second", lines.get(0));
        assertEquals(4, lines.size());
        for (int e = 1; e <= 3; e++) {
            String[] cells = lines.get(e).split(",", -1);
            assertEquals(8, cells.length, lines.get(e));
            assertEquals(String.valueOf(e), cells[0]);
            assertTrue(Double.parseDouble(cells[1]) > 0 && Double.parseDouble(cells[2]) > 0, lines.get(e));
            assertEquals("", cells[3], "no accuracy for a regression");
            assertEquals("", cells[4], "no test data");
            assertTrue(Double.parseDouble(cells[7]) > 0);
        }
        assertTrue(r.err().contains("epoch 1/3  loss ") && r.err().contains("  val loss "), r.err());
    }

    @Test
    void jsonHasTheHistoryWithTheColumnsNames() {
        Run r = run("--epochs", "2", "--json", "--validation-split", "0.2");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = r.json();
        List<?> history = (List<?>) doc.get("history");
        assertEquals(2, history.size());
        Map<?, ?> first = (Map<?, ?>) history.get(0);
        assertEquals(List.of("epoch", "loss", "val_loss", "seconds", "samples_per_second"), List.copyOf(first.keySet()));
        assertEquals(1.0, ((Number) first.get("epoch")).doubleValue());
        Map<?, ?> last = (Map<?, ?>) history.get(1);
        assertEquals(doc.get("loss"), last.get("loss"));
        assertEquals(doc.get("val_loss"), last.get("val_loss"));
    }

    @Test
    void validationSplitHoldsOutTheLastSamples() throws Exception {
        // holding out the last 10 of 40 samples is training on the first 30: the same weights
        Run split = run("--epochs", "2", "--json", "--validation-split", "0.25");
        assertEquals(0, split.code(), split.err());
        StringBuilder csv = new StringBuilder();
        for (int s = 0; s < 30; s++) {
            csv.append(XS[s]).append(',').append(YS[s]).append('\n');
        }
        Path first30 = dir.resolve("first30.csv");
        Files.writeString(first30, csv);
        Run head = run("--epochs", "2", "--json", "--data", first30.toString());
        assertEquals(0, head.code(), head.err());
        assertEquals(head.json().get("params"), split.json().get("params"));
        assertEquals(2, run("--validation-split", "1").code());
        assertEquals(2, run("--validation-split", "0").code());
        Run word = run("--validation-split", "half");
        assertEquals(2, word.code());
        assertTrue(word.err().contains("--validation-split expects a number, found \"half\""), word.err());
        Run tiny = run("--validation-split", "0.001");
        assertEquals(1, tiny.code());
        assertTrue(tiny.err().contains("holds out 0, which leaves no validation data"), tiny.err());
    }

    @Test
    void earlyStoppingStopsAndKeepsTheBestWeights() {
        Run none = run("--early-stopping", "2");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("--early-stopping needs validation or test data"), none.err());
        Run r = run("--epochs", "60", "--lr", "0.5", "--early-stopping", "2", "--validation-split", "0.25", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = r.json();
        int best = ((Number) doc.get("best_epoch")).intValue();
        List<?> history = (List<?>) doc.get("history");
        assertEquals(Boolean.TRUE, doc.get("stopped_early"), r.err());
        assertEquals(best + 2, history.size(), "two epochs without a better validation loss");
        assertTrue(r.err().contains("early stopping: kept the weights of epoch " + best), r.err());
        Run plain = run("--epochs", String.valueOf(best), "--lr", "0.5", "--validation-split", "0.25", "--json");
        assertEquals(plain.json().get("params"), doc.get("params"), "the weights of the best epoch");
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheSameWeights() throws Exception {
        Path ckpt = dir.resolve("run.ckpt");
        Run whole = run("--epochs", "6", "--json");
        Run first = run("--epochs", "3", "--checkpoint", ckpt.toString(), "--json");
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.isRegularFile(ckpt));
        Run rest = run("--epochs", "6", "--checkpoint", ckpt.toString(), "--json");
        assertEquals(0, rest.code(), rest.err());
        assertEquals(whole.json().get("params"), rest.json().get("params"), "bit for bit, as JSON's shortest round-trip numbers");
        assertEquals(6, ((List<?>) rest.json().get("history")).size(), "the history of the whole run");
        assertFalse(rest.err().contains("epoch 1/6"), "epochs 1 to 3 are not run again: " + rest.err());
        Run done = run("--epochs", "6", "--checkpoint", ckpt.toString());
        assertEquals(0, done.code(), done.err());
        assertTrue(done.out().contains("already at epoch 6"), done.out());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("run.ckpt"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left");
        }
    }

    @Test
    void everyTargetIsCheckedBeforeAnyWork() throws Exception {
        Run folder = run("--save", dir.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().startsWith("error: --save " + dir + ": it is a folder"), folder.err());
        Run missing = run("--checkpoint", dir.resolve("no/such.ckpt").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--checkpoint " + dir.resolve("no/such.ckpt") + ": no such folder"), missing.err());
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Run pipe = run("--history", fifo.toString());
        assertEquals(2, pipe.code());
        assertTrue(pipe.err().contains("--history " + fifo + ": it is not a regular file"), pipe.err());
        for (Run r : List.of(folder, missing, pipe)) {
            assertFalse(r.err().contains("epoch 1/"), "nothing was trained: " + r.err());
        }
        Run eval = run("--eval", "--weights", "w.json", "--history", "h.csv");
        assertEquals(2, eval.code());
        assertTrue(eval.err().contains("--history cannot be used with --eval"), eval.err());
    }

    @Test
    void theHelpListsTheNewFlags() {
        Run r = run("--help");
        for (String flag : List.of("--checkpoint F", "--validation-split R", "--early-stopping N", "--history F.csv")) {
            assertTrue(r.out().contains(flag), r.out());
        }
    }
}
