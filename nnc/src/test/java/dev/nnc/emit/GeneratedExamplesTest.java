package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Golden;
import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * generated-examples/ holds the trainer of every sample, as {@code nnc compile samples/X.nn -o
 * generated-examples} writes it, and the predictor of samples/xor.nn with fixed trained weights
 * ({@code --predictor --weights}); this test regenerates them all and fails on any difference
 * ({@code -Dnnc.regen=true} rewrites them), then compiles each trainer with a plain javac, no class
 * path, and runs it for one epoch in a JVM of its own (PredictorCommandTest compiles and runs predictors).
 */
class GeneratedExamplesTest {

    static final Path BASEDIR = Path.of(System.getProperty("nnc.root", "."));
    static final Path SAMPLES = BASEDIR.resolve("samples");
    static final Path EXAMPLES = BASEDIR.resolve("generated-examples");

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
    }

    /** The weights of {@code generated-examples/XorPredictor.java}: samples/xor.nn trained by {@code nnc train --save}. */
    static final Path XOR_WEIGHTS = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/predictor/xor.json");
    static final String XOR_PREDICTOR = "XorPredictor.java";

    static TrainerSource generate(Path sample) {
        CheckedModel model = Pipeline.check(sample, null);
        // a train block's relative data paths would resolve against samples/ (none has one: nothing is written)
        return Pipeline.generate(model, null, null, "samples");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void checkedInTrainerIsCurrent(Path sample) throws IOException {
        TrainerSource source = generate(sample);
        Golden.check(EXAMPLES.resolve(source.fileName()), source.modelText(), "the model class of " + sample);
    }

    @Test
    void checkedInPredictorIsCurrent(@TempDir Path dir) throws IOException {
        String[] args = {"compile", SAMPLES.resolve("xor.nn").toString(), "-o", dir.toString(), "--predictor", "--weights",
                XOR_WEIGHTS.toString()};
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.nnc.cli.Main.run(args, new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
        assertEquals(0, code, err.toString());
        Golden.check(EXAMPLES.resolve(XOR_PREDICTOR), Files.readString(dir.resolve(XOR_PREDICTOR)),
                "the predictor of samples/xor.nn with " + XOR_WEIGHTS);
    }

    @Test
    void generationIsDeterministic() throws IOException {
        for (Path sample : samples()) {
            assertEquals(generate(sample).modelText(), generate(sample).modelText(), "two generations of " + sample + " differ");
        }
    }

    @Test
    void noStaleExamples() throws IOException {
        List<String> expected = new ArrayList<>(List.of(XOR_PREDICTOR));
        for (Path sample : samples()) {
            expected.add(generate(sample).fileName());
        }
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<String> present = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).sorted().toList();
            assertEquals(expected.stream().sorted().toList(), present, "generated-examples/ has files no sample generates");
        }
    }

    /** What nnc compile writes (the class and the runtime's sources), javac with no class path, then one epoch with java. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void compilesWithPlainJavacAndTrainsOneEpoch(Path sample, @TempDir Path dir) throws Exception {
        TrainerSource source = generate(sample);
        Path src = dir.resolve("src");
        List<String> javacCommand = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-cp", "", "-d", dir.resolve("classes").toString()));
        for (Map.Entry<String, String> f : source.files(false).entrySet()) {
            Path file = src.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
            javacCommand.add(file.toString());
        }
        String javaHome = System.getProperty("java.home");
        Result javac = exec(dir, javacCommand.toArray(String[]::new));
        assertEquals(0, javac.code, "javac failed on " + sample + ":\n" + javac.output);
        assertFalse(javac.output.contains("warning"), javac.output);
        List<String> run = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(), "-cp", dir.resolve("classes").toString(),
                source.className(), "--epochs", "1", "--json"));
        CheckedModel model = Pipeline.check(sample, null);
        if (model.data() == null && model.train().data() != null) {
            if (!Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
                return; // its data set is not installed here (apt-get install dataset-fashion-mnist)
            }
            run.addAll(List.of("--data", smallCsv(model, dir).toString()));
        }
        Result java = exec(BASEDIR, run.toArray(String[]::new));
        assertEquals(0, java.code, "one epoch of " + sample + " failed:\n" + java.output);
        assertTrue(java.output.contains("\"loss\""), java.output);
    }

    /** A few rows of zeros in the model's CSV layout: enough for one epoch of a big model. */
    private static Path smallCsv(CheckedModel model, Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int row = 0; row < 10; row++) {
            List<String> cells = new ArrayList<>();
            for (CheckedModel.Variable v : model.inputs()) {
                for (long i = 0; i < v.shape().size(); i++) {
                    cells.add(Integer.toString(row % 2));
                }
            }
            for (CheckedModel.Variable v : model.targets()) {
                long n = v.onehot() ? 1 : v.shape().size();
                for (long i = 0; i < n; i++) {
                    cells.add(Integer.toString(row % 2));
                }
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return Files.writeString(dir.resolve("small.csv"), b.toString());
    }

    private record Result(int code, String output) {}

    private static Result exec(Path workingDir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
