package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.emit.TrainerSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interrupts (cli.md, "Interrupt"): a real trainer in a child JVM gets SIGINT or SIGTERM, once or
 * twice, at seeded random moments; whatever the moment, the weights file and the checkpoint on
 * disk are either the ones from before or complete new ones, nothing temporary is left, and the
 * exit code is 130 or 143. In-process, a run stopped inside an epoch resumes bit for bit.
 */
class InterruptTest {

    static final String MODEL = RunFlagsTest.LINE.replace("model line", "model slow");

    @TempDir
    static Path shared;
    static Path classes;
    static Path data;
    static Class<?> type;

    @BeforeAll
    static void compile() throws Exception {
        TrainerSource source = Pipeline.generate(Pipeline.check(new SourceFile("slow.nn", MODEL), null), null, null, null);
        type = InMemoryCompiler.compile(source);
        Path src = shared.resolve("src");
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> f : source.files(false).entrySet()) {
            Path p = src.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            files.add(p);
        }
        classes = Files.createDirectories(shared.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", ""));
        files.forEach(f -> args.add(f.toString()));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        StringBuilder csv = new StringBuilder();
        Random r = new Random(1);
        for (int s = 0; s < 3000; s++) {
            double x = r.nextDouble() * 4 - 2;
            csv.append(x).append(',').append(3 * x - 1 + r.nextGaussian()).append('\n');
        }
        data = shared.resolve("data.csv");
        Files.writeString(data, csv);
    }

    static Stream<Arguments> moments() {
        Random r = new Random(2026);
        List<Arguments> cases = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            cases.add(Arguments.of(k % 2 == 0 ? "INT" : "TERM", 150 + r.nextInt(1600), k % 3 == 2 ? r.nextInt(40) : -1));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "SIG{0} after {1} ms, again after {2} ms")
    @MethodSource("moments")
    void filesAreOldOrCompleteAfterASignal(String signal, int delay, int again, @TempDir Path dir) throws Exception {
        Path weights = dir.resolve("w.json");
        Path checkpoint = dir.resolve("run.ckpt");
        byte[] old = "{\"old\": true}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(weights, old);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", classes.toString(), "Slow", "--data", data.toString(), "--epochs", "100000",
                "--save", weights.toString(), "--checkpoint", checkpoint.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try {
            Thread.sleep(delay);
            kill(signal, p.pid());
            if (again >= 0) {
                Thread.sleep(again);
                kill(signal, p.pid());
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the trainer did not stop");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("log.txt"));
        Files.delete(dir.resolve("log.txt"));
        assertEquals(signal.equals("INT") ? 130 : 143, p.exitValue(), log);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertTrue(List.of("run.ckpt", "w.json").containsAll(names), "only the targets, nothing temporary: " + names);
        }
        NncModel model = dev.nnc.runtime.Support.trainer(type.getConstructor().newInstance());
        byte[] now = Files.readAllBytes(weights);
        if (!Arrays.equals(old, now)) {
            double[][] w = NncWeights.loadWeights(weights, model.paramNames(), model.paramShapes()); // complete, or this throws
            assertEquals(model.paramNames().length, w.length);
            // a second signal stops at once: it may come after the save and before the line that says so
            assertTrue(again >= 0 || log.contains("saved the weights of the last step to " + weights), log);
        }
        if (Files.exists(checkpoint)) {
            NncTraining.Progress progress = NncCheckpoint.read(checkpoint, model, false); // complete, or this throws
            assertTrue(progress.epochs > 0 || progress.position > 0, "a checkpoint of some progress");
        }
        if (again < 0 && log.contains("epoch 1/")) {
            // once the run had begun, one signal always leads to saved weights and a checkpoint
            assertTrue(Files.exists(checkpoint), log);
            assertTrue(log.contains(signal.equals("INT") ? "interrupted at epoch " : "SIGTERM at epoch "), log);
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(pid)).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** A run stopped inside an epoch and resumed from its checkpoint ends where the uninterrupted one does. */
    @Test
    void aRunStoppedInsideAnEpochResumesBitForBit(@TempDir Path dir) throws Exception {
        NncSupport.Dataset train = NncCsv.read(data, new NncSupport.Schema(new String[] {"x", "y"}, new int[] {1, 1},
                new int[] {0, 0}, 1), false);
        NncModel whole = fresh();
        NncTraining.run(whole, train, plan(null, () -> false), e -> { });

        Path ckpt = dir.resolve("c.ckpt");
        int[] steps = {0};
        NncModel stopped = fresh();
        try {
            NncTraining.run(stopped, train, plan(ckpt, () -> ++steps[0] == 777), e -> { });
            throw new AssertionError("the run did not stop");
        } catch (NncTraining.Stopped e) {
            assertEquals(2, e.epoch, "500 steps per epoch: step 777 is in epoch 2");
        }
        NncModel resumed = fresh();
        TrainResult r = NncTraining.run(resumed, train, plan(ckpt, () -> false), e -> { });
        assertEquals(3, r.history().size());
        double[][] a = whole.state();
        double[][] b = resumed.state();
        for (int k = 0; k < a.length; k++) {
            assertArrayEquals(a[k], b[k], 0.0, "state " + k);
        }
    }

    private static NncModel fresh() throws Exception {
        return dev.nnc.runtime.Support.trainer(type.getConstructor().newInstance());
    }

    private static NncTraining.Plan plan(Path checkpoint, java.util.function.BooleanSupplier stop) {
        NncTraining.Plan plan = new NncTraining.Plan();
        plan.epochs = 3;
        plan.batch = 6;
        plan.shuffle = true;
        plan.seed = 4;
        plan.checkpoint = checkpoint;
        plan.stop = stop;
        return plan;
    }
}
