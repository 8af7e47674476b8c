package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.diag.SourceFile;
import dev.nnc.lower.Lowering;
import dev.nnc.lower.TrainerProgram;
import java.io.IOException;
import java.nio.file.Path;
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

    static Stream<Arguments> cases() throws IOException {
        return TorchTrajectoryTest.cases(FILE);
    }

    /** As TorchTrajectoryTest replays its cases, at the same relative 1e-9. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void trainsAsTorchDoes(String name, Codegen shape, Map<String, Object> c) {
        CheckedModel model = Pipeline.check(new SourceFile(name + ".nn", (String) c.get("nn")), null);
        assertEquals(6, ((List<?>) c.get("losses")).size(), "steps in the fixture");
        TorchTrajectoryTest.replay(model, shape, c).assertNoProblems(name, shape);
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
}
