package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.cli.JsonReader;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.lower.Lowering;
import dev.nnc.lower.TrainerProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Indexing and slicing against PyTorch: every case of {@code torch/indexing.json} (written in float64
 * by {@code src/test/python/torch_indexing.py}) is a model that slices an input, a hidden layer feeding
 * another layer, parameters (a column, a row, a block) and the output in the loss. Compiled by nnc and
 * driven step by step through the generated trainer, in each shape of the training step, its batch
 * losses, the first batch's gradients and the parameters after every step equal torch's to a relative
 * 1e-9.
 */
class TorchIndexingTest {

    static final Path FILE = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/torch/indexing.json");

    static final double RELATIVE = 1e-9;
    static final double FLOOR = 1e-12;

    static Stream<Arguments> cases() throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) JsonReader.object(
                Files.readString(FILE, StandardCharsets.UTF_8)).get("cases");
        List<Arguments> runs = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            for (Codegen shape : TrajectoryTest.SHAPES) {
                runs.add(Arguments.of(c.get("name"), shape, c));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void trainsAsTorchDoes(String name, Codegen shape, Map<String, Object> c) {
        CheckedModel model = Pipeline.check(new SourceFile(name + ".nn", (String) c.get("nn")), null);
        LoadedModel trainer = LoadedModel.create(InMemoryCompiler.compile(Pipeline.generate(model, null, null, null, shape)), 0);
        trainer.useInlineData();
        List<String> names = List.of(trainer.paramNames());
        List<?> losses = (List<?>) c.get("losses");
        List<?> params = (List<?>) c.get("params");
        assertEquals(6, losses.size(), "steps in the fixture");
        int samples = model.data().samples();
        int batch = model.train().batch();
        int[] order = java.util.stream.IntStream.range(0, samples).toArray();
        List<String> problems = new ArrayList<>();
        int step = 0;
        while (step < losses.size()) {
            for (int from = 0; from < samples && step < losses.size(); from += batch, step++) {
                double loss = trainer.gradients(order, from, Math.min(samples, from + batch));
                compare("step " + step + " loss", List.of(losses.get(step)), new double[] {loss}, problems);
                if (step == 0) {
                    compare(names, (Map<?, ?>) c.get("gradients"), trainer.gradients(), "step 0 gradient of ", problems);
                }
                assertEquals(-1, trainer.nonFiniteStep(), name + ": the dry run of step " + step + " finds a non-finite value");
                trainer.update();
                compare(names, (Map<?, ?>) params.get(step), trainer.weights(), "step " + step + " ", problems);
            }
        }
        if (!problems.isEmpty()) {
            fail(name + " (" + shape + "): " + problems.size() + " values differ from torch's:\n"
                    + String.join("\n", problems.subList(0, Math.min(12, problems.size()))));
        }
    }

    /** The fixture's models train over rows when asked to: slices and their adjoints run in the loop over the rows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void trainsOverRows(String name, String nn) {
        CheckedModel model = Pipeline.check(new SourceFile(name + ".nn", nn), null);
        TrainerProgram program = Lowering.trainer(Pipeline.derive(model), TrainerProgram.Batching.ALWAYS);
        assertNotNull(program.trainRows(), name + " trains over rows");
        assertNotNull(program.evalRows(), name + " evaluates over rows");
    }

    static Stream<Arguments> models() throws IOException {
        return cases().filter(a -> a.get()[1] == TrajectoryTest.SHAPES.get(0))
                .map(a -> Arguments.of(a.get()[0], ((Map<?, ?>) a.get()[2]).get("nn")));
    }

    private static void compare(List<String> names, Map<?, ?> expected, double[][] actual, String what, List<String> problems) {
        assertEquals(List.copyOf(expected.keySet()), names, "parameter names");
        for (int k = 0; k < names.size(); k++) {
            compare(what + names.get(k), (List<?>) expected.get(names.get(k)), actual[k], problems);
        }
    }

    private static void compare(String what, List<?> expected, double[] actual, List<String> problems) {
        List<Double> flat = new ArrayList<>();
        flatten(expected, flat);
        assertEquals(flat.size(), actual.length, "elements of " + what);
        for (int i = 0; i < actual.length; i++) {
            double e = flat.get(i);
            double diff = Math.abs(e - actual[i]);
            if (!(diff <= RELATIVE * Math.max(Math.abs(e), Math.abs(actual[i])) + FLOOR)) {
                problems.add(what + "[" + i + "]: nnc " + actual[i] + ", torch " + e);
            }
        }
    }

    private static void flatten(Object value, List<Double> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, into));
        } else {
            into.add(((Number) value).doubleValue());
        }
    }
}
