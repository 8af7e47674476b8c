package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropout} through the commands: nnc train, the standalone trainer (plain and
 * {@code --single-file}) end with the same weights, for any {@code --threads}, and a run resumed
 * from its checkpoint with the uninterrupted run's; {@code eval}, {@code predict}, {@code trace},
 * {@code grad} and {@code gradcheck} see the model without dropout.
 */
class DropoutCommandsTest {

    @TempDir
    Path dir;

    /** StandaloneTrainerTest's 16-32-2 network (trained over rows), with a dropout after its hidden layer. */
    static String wide(String hidden) {
        return StandaloneTrainerTest.wide().replace("    out  = dense(h, 2)", "    hd   = " + hidden + "\n    out  = dense(hd, 2)");
    }

    /** XOR (sample by sample), a dropout after its hidden layer. */
    static final String XOR = """
            model xor {
                input  x[2]
                target y[1]
                h    = dense(x, 8, tanh)
                hd   = dropout(h, 0.25)
                out  = dense(hd, 1)
                loss = bce_logits(out, y)
                output out
                data {
                    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
                    y = [[0], [1], [1], [0]]
                }
                train { optimizer = adam(lr = 0.05); epochs = 200; batch = 4; shuffle = true; seed = 1 }
            }
            """;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Object params(String json) {
        Map<String, Object> doc = JsonReader.object(json);
        assertTrue(doc.containsKey("params"), json);
        return doc.get("params");
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.all());
        return r;
    }

    @Test
    void nncTrainAndTheStandaloneTrainersEndWithTheSameWeights() throws Exception {
        for (Path model : List.of(write("xor.nn", XOR), write("wide.nn", wide("dropout(h, 0.4)")))) {
            String name = model.getFileName().toString().startsWith("xor") ? "Xor" : "Wide";
            Object trained = params(ok("train", model.toString(), "--json").out());
            assertEquals(trained, params(ok("train", model.toString(), "--json", "--threads", "1").out()), name + ": --threads 1");
            assertEquals(trained, params(ok("train", model.toString(), "--json", "--threads", "2").out()), name + ": --threads 2");
            assertNotEquals(trained, params(ok("train", model.toString(), "--json", "--seed", "2").out()), name + ": --seed 2");

            ok("compile", model.toString(), "-o", dir.resolve("out-" + name).toString());
            String source = Files.readString(dir.resolve("out-" + name).resolve(name + ".java"));
            assertTrue(source.contains("dropout.fill(mask1"), source);
            assertEquals(name.equals("Wide"), source.contains("mask1_rows[r]"), name + ": the masks of rows");
            Path classes = new ChildJava(dir).javac(dir.resolve("out-" + name));
            ChildJava.Exec java = new ChildJava(dir).exec(ChildJava.java(), "-cp", classes.toString(), name, "--json");
            assertEquals(0, java.code(), java.all());
            assertEquals(trained, params(java.output()), name + ": nnc train and the standalone trainer");

            ok("compile", model.toString(), "-o", dir.resolve("single-" + name).toString(), "--single-file");
            Path single = dir.resolve("single-" + name).resolve(name + ".java");
            ChildJava.Exec file = new ChildJava(dir).exec(ChildJava.java(), single.toString(), "--json");
            assertEquals(0, file.code(), file.all());
            assertEquals(trained, params(file.output()), name + ": the --single-file trainer");
        }
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWhereTheWholeRunDoes() throws Exception {
        Path model = write("wide.nn", wide("dropout(h, 0.4)"));
        Object whole = params(ok("train", model.toString(), "--json", "--epochs", "8").out());
        Path ckpt = dir.resolve("c.ckpt");
        Object half = params(ok("train", model.toString(), "--json", "--epochs", "4", "--checkpoint", ckpt.toString()).out());
        assertNotEquals(whole, half);
        Object resumed = params(ok("train", model.toString(), "--json", "--epochs", "8", "--checkpoint", ckpt.toString()).out());
        assertEquals(whole, resumed, "resumed after epoch 4");
    }

    @Test
    void evalPredictTraceAndGradcheckSeeTheModelWithoutDropout() throws Exception {
        Path dropping = write("wide.nn", wide("dropout(h, 0.4)"));
        Path plain = write("plain.nn", wide("h"));
        Path weights = dir.resolve("w.json");
        ok("train", dropping.toString(), "--save", weights.toString());
        Path data = write("d.csv", "x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,x12,x13,x14,x15,x16,y1,y2\n"
                + "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,-0.1,-0.2,-0.3,-0.4,-0.5,-0.6,0.5,-0.5\n"
                + "1,0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1,0,-0.1,-0.2,-0.3,-0.4,-0.5,-0.2,0.3\n");
        for (String command : List.of("eval", "predict")) {
            String a = ok(command, dropping.toString(), "--weights", weights.toString(), "--data", data.toString()).out();
            String b = ok(command, plain.toString(), "--weights", weights.toString(), "--data", data.toString()).out();
            assertEquals(b, a, command + " is the model without dropout");
            assertEquals(a, ok(command, dropping.toString(), "--weights", weights.toString(), "--data", data.toString()).out(),
                    command + " again");
        }
        String trace = ok("trace", dropping.toString(), "--json").out();
        String plainTrace = ok("trace", plain.toString(), "--json").out();
        assertEquals(JsonReader.object(plainTrace).get("loss"), JsonReader.object(trace).get("loss"), "trace: the mask is all ones");
        assertEquals(JsonReader.object(plainTrace).get("gradients"), JsonReader.object(trace).get("gradients"));
        String grad = ok("grad", dropping.toString()).out();
        assertTrue(grad.contains("mask1 * "), grad);
        assertTrue(grad.contains("mask1 is the mask of dropout(..., 0.4): 1 / (1 - 0.4) = 1.6666666666666667 where a training step"
                + " keeps an element, 0 where it drops it"), grad);
        String check = ok("gradcheck", dropping.toString()).out();
        assertTrue(check.contains(": ok"), check);
    }
}
