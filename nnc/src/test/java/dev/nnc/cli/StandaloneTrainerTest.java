package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone trainer ({@code nnc compile}, then the JDK's {@code javac} and {@code java} in a
 * child JVM) against {@code nnc train}: cli.md has them behave alike, down to the weights.
 */
class StandaloneTrainerTest {

    static final Path SAMPLES = TrainerCommandsTest.SAMPLES;

    @TempDir
    Path dir;

    /**
     * A 16-32-2 network trained over the rows of its mini-batches (h.W has 512 elements, 32 samples,
     * batch 16): its products are the NncGemm kernels' (or NncGemmVector's with --vector, where every
     * side is 16 or more: KernelChoice.vector).
     */
    static String wide() {
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int s = 0; s < 32; s++) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                row.add(String.format(Locale.ROOT, "%.3f", Math.sin(1.7 * s + 0.37 * i)));
            }
            x.append(s == 0 ? "" : ", ").append(row);
            y.append(s == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.2f, %.2f]", Math.cos(s), Math.sin(2.0 * s)));
        }
        return """
                model wide {
                    input  x[16]
                    target y[2]
                    h    = dense(x, 32, tanh)
                    out  = dense(h, 2)
                    loss = mse(out, y)
                    output out
                    data {
                        x = [%s]
                        y = [%s]
                    }
                    train { optimizer = adam(lr = 0.01); epochs = 15; batch = 16; shuffle = true; seed = 3 }
                }
                """.formatted(x, y);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** The {@code params} of a trainer's {@code --json} result. */
    private static Object params(String json) {
        Map<String, Object> doc = JsonReader.object(json);
        assertTrue(doc.containsKey("params"), json);
        return doc.get("params");
    }

    /** {@code nnc compile} of {@code model} (with {@code flags}), javac'd: the classes folder, and the class's source. */
    private Path compiled(Path model, String out, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("compile", model.toString(), "-o", dir.resolve(out).toString()));
        args.addAll(List.of(flags));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.all());
        return new ChildJava(dir).javac(dir.resolve(out), flags.length == 0 ? new String[0]
                : new String[] {"--add-modules", "jdk.incubator.vector"});
    }

    /**
     * By default nnc train and the standalone trainer use the same (plain Java) kernels, so they end
     * with the same weights, bit for bit: on XOR (sample by sample, batch 4) and on a model trained
     * over rows. This test's JVM has the Vector API, as nnc train's relaunched JVM has.
     */
    @Test
    void nncTrainAndTheCompiledTrainerEndWithTheSameWeights() throws Exception {
        for (Path model : List.of(SAMPLES.resolve("xor.nn"), write("wide.nn", wide()))) {
            CliRun train = CliRun.of("train", model.toString(), "--json");
            assertEquals(0, train.code(), train.all());
            String name = model.getFileName().toString().startsWith("xor") ? "Xor" : "Wide";
            Path classes = compiled(model, "out-" + name);
            if (name.equals("Wide")) {
                assertTrue(Files.readString(dir.resolve("out-Wide/Wide.java")).contains("NncGemm.nt("),
                        "the wide model trains over rows");
            }
            ChildJava.Exec java = new ChildJava(dir).exec(ChildJava.java(), "-cp", classes.toString(), name, "--json");
            assertEquals(0, java.code(), java.all());
            assertEquals(params(train.out()), params(java.output()), name + ": nnc train and the standalone trainer");
        }
    }

    /**
     * {@code --vector} is the choice of the Vector API kernels, in nnc train and in nnc compile alike,
     * for runs whose work pays for their compile: here every run ({@code -Dnnc.vectorMinRunFlops=0}).
     */
    @Test
    void vectorInBothEndsWithTheSameWeightsToo() throws Exception {
        Path model = write("wide.nn", wide());
        String before = System.setProperty("nnc.vectorMinRunFlops", "0");
        CliRun train;
        try {
            train = CliRun.of("train", model.toString(), "--json", "--vector");
        } finally {
            restore("nnc.vectorMinRunFlops", before);
        }
        assertEquals(0, train.code(), train.all());
        Path classes = compiled(model, "out", "--vector");
        assertTrue(Files.readString(dir.resolve("out/Wide.java")).contains("NncGemmVector.nt("), "the Vector API kernels");
        ChildJava.Exec java = new ChildJava(dir).exec(ChildJava.java(), "--add-modules", "jdk.incubator.vector",
                "-Dnnc.vectorMinRunFlops=0", "-cp", classes.toString(), "Wide", "--json");
        assertEquals(0, java.code(), java.all());
        assertEquals(params(train.out()), params(java.output()));
        CliRun plain = CliRun.of("train", model.toString(), "--json");
        assertTrue(!params(plain.out()).equals(params(train.out())), "the kernels differ in rounding (FMA), so the weights do");
    }

    /**
     * A run too short to pay for the Vector API's compile (15 epochs of 32 samples, 0.002 GFLOP)
     * takes the plain kernels with {@code --vector} too: nnc train and the standalone trainer both
     * end with the plain trainer's weights.
     */
    @Test
    void aShortVectorRunEndsWithThePlainWeights() throws Exception {
        Path model = write("wide.nn", wide());
        CliRun plain = CliRun.of("train", model.toString(), "--json");
        assertEquals(0, plain.code(), plain.all());
        CliRun train = CliRun.of("train", model.toString(), "--json", "--vector");
        assertEquals(0, train.code(), train.all());
        assertEquals(params(plain.out()), params(train.out()), "nnc train --vector");
        Path classes = compiled(model, "out", "--vector");
        ChildJava.Exec java = new ChildJava(dir).exec(ChildJava.java(), "--add-modules", "jdk.incubator.vector",
                "-cp", classes.toString(), "Wide", "--json");
        assertEquals(0, java.code(), java.all());
        assertEquals(params(plain.out()), params(java.output()), "the standalone trainer compiled with --vector");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** A line fit whose train block names its data files, relative to the .nn file. */
    static final String LINE = """
            model line {
                input  x[1]
                target y[1]
                out  = dense(x, 1)
                loss = mse(out, y)
                train { optimizer = sgd(lr = 0.1); epochs = 3; batch = 2; data = "d.csv"; test = "data/t.csv" }
            }
            """;

    /**
     * cli.md: data paths in the standalone trainer resolve relative to the .nn file's folder as it
     * was at compile time, unless given on the command line (then relative to the working
     * directory). nnc compile is given the model by a relative path, and the trainer runs in
     * another folder.
     */
    @Test
    void dataPathsResolveAgainstTheModelsFolder() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = Files.writeString(models.resolve("line.nn"), LINE);
        Files.writeString(models.resolve("d.csv"), "x,y\n0,1\n1,3\n2,5\n3,7\n");
        Files.writeString(Files.createDirectories(models.resolve("data")).resolve("t.csv"), "x,y\n4,9\n");
        Path relative = Path.of("").toAbsolutePath().relativize(model);
        CliRun r = CliRun.of("compile", relative.toString(), "-o", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.all());
        Path classes = new ChildJava(dir).javac(dir.resolve("out"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        ChildJava.Exec own = new ChildJava(dir).execIn(elsewhere, ChildJava.java(), "-cp", classes.toString(), "Line", "--json");
        assertEquals(0, own.code(), own.all());
        Map<String, Object> doc = JsonReader.object(own.output());
        assertTrue(doc.containsKey("test_loss"), "the test file was read: " + own.all());
        CliRun train = CliRun.of("train", model.toString(), "--json");
        assertEquals(0, train.code(), train.all());
        assertEquals(params(train.out()), params(own.output()), "the files nnc train reads");

        Files.writeString(elsewhere.resolve("d.csv"), "x,y\n0,0\n1,1\n");
        ChildJava.Exec given = new ChildJava(dir).execIn(elsewhere, ChildJava.java(), "-cp", classes.toString(), "Line",
                "--json", "--data", "d.csv");
        assertEquals(0, given.code(), given.all());
        assertTrue(!params(given.output()).equals(params(own.output())), "--data d.csv is the working directory's: " + given.all());
    }
}
