package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.cli.JsonReader;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.CompileError;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nnc's trainers against PyTorch itself: every case of {@code torch/trajectories.json} (written in
 * float64 by {@code src/test/python/torch_reference.py}) is a whole {@code .nn} model, 6 samples in
 * batches of 4 for 3 epochs. Compiled by nnc and driven step by step, its batch losses, the first
 * batch's gradients and the parameters after every step equal torch's to a relative 1e-9 (torch
 * fuses some multiply-adds, so not bit for bit), in each shape of the training step; the dry run of
 * every update finds it finite. The {@code act_*} cases use activations of language.md section 9:
 * each is skipped while nnc's checker rejects its activation, and runs from the day it does not.
 */
class TorchTrajectoryTest {

    static final Path FILE = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/torch/trajectories.json");

    static final double RELATIVE = 1e-9;
    static final double FLOOR = 1e-12;

    static Stream<Arguments> cases() throws IOException {
        return cases(FILE);
    }

    /** One argument set (name, step shape, case) per case of a fixture of this format and per shape of the training step. */
    static Stream<Arguments> cases(Path fixture) throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) JsonReader.object(
                Files.readString(fixture, StandardCharsets.UTF_8)).get("cases");
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
        CheckedModel model = check(name, (String) c.get("nn"), (String) c.get("activation"));
        Replay r = replay(model, shape, c);
        System.out.printf("TorchTrajectoryTest: %s %s: worst relative difference from torch %.2e%n", name, shape, r.worst());
        r.assertNoProblems(name, shape);
    }

    /** What differs from torch's values (at {@link #RELATIVE} plus {@link #FLOOR}), and the largest relative difference. */
    record Replay(List<String> problems, double worst) {
        void assertNoProblems(String name, Codegen shape) {
            if (!problems.isEmpty()) {
                fail(name + " (" + shape + "): " + problems.size() + " values differ from torch's:\n"
                        + String.join("\n", problems.subList(0, Math.min(12, problems.size()))));
            }
        }
    }

    /**
     * The case's model compiled in {@code shape} and driven step by step over its inline data in
     * order, batch after batch, as many steps as the fixture has: each batch loss, the first batch's
     * gradients and the parameters after each step against the fixture's; every dry run finite.
     */
    static Replay replay(CheckedModel model, Codegen shape, Map<String, Object> c) {
        LoadedModel trainer = LoadedModel.create(InMemoryCompiler.compile(Pipeline.generate(model, null, null, null, shape)), 0);
        trainer.useInlineData();
        List<String> names = List.of(trainer.paramNames());
        List<?> losses = (List<?>) c.get("losses");
        List<?> params = (List<?>) c.get("params");
        assertEquals(losses.size(), params.size(), "steps in the fixture");
        int samples = model.data().samples();
        int batch = model.train().batch();
        int[] order = java.util.stream.IntStream.range(0, samples).toArray();
        List<String> problems = new ArrayList<>();
        double[] worst = {0};
        int step = 0;
        while (step < losses.size()) {
            for (int from = 0; from < samples && step < losses.size(); from += batch, step++) {
                double loss = trainer.gradients(order, from, Math.min(samples, from + batch));
                compare("step " + step + " loss", new double[] {((Number) losses.get(step)).doubleValue()}, new double[] {loss},
                        problems, worst);
                if (step == 0) {
                    compare(names, (Map<?, ?>) c.get("gradients"), trainer.gradients(), "step 0 gradient of ", problems, worst);
                }
                assertEquals(-1, trainer.nonFiniteStep(), model.name() + ": the dry run of step " + step + " finds a non-finite value");
                trainer.update();
                compare(names, (Map<?, ?>) params.get(step), trainer.weights(), "step " + step + " ", problems, worst);
            }
        }
        return new Replay(problems, worst[0]);
    }

    /** The checked model; the test is skipped when the checker's first error is on the line of a new activation. */
    private static CheckedModel check(String name, String text, String activation) {
        try {
            return Pipeline.check(new SourceFile(name + ".nn", text), null);
        } catch (CompileError e) {
            List<Diagnostic> found = e.diagnostics().sorted();
            int line = 1 + (int) text.substring(0, text.indexOf("    h    = ")).chars().filter(ch -> ch == '\n').count();
            // the first error is the activation's; the others follow from it ('out' is left undefined)
            Assumptions.assumeFalse(name.startsWith("act_") && found.get(0).pos().line() == line,
                    () -> "nnc does not take " + activation + " yet: " + found);
            throw e;
        }
    }

    private static void compare(List<String> names, Map<?, ?> expected, double[][] actual, String what, List<String> problems,
            double[] worst) {
        assertEquals(names.size(), expected.size(), "parameters");
        assertArrayEquals(names.toArray(), expected.keySet().toArray(), "parameter names");
        for (int k = 0; k < names.size(); k++) {
            List<Double> flat = new ArrayList<>();
            flatten(expected.get(names.get(k)), flat);
            compare(what + names.get(k), flat.stream().mapToDouble(Double::doubleValue).toArray(), actual[k], problems, worst);
        }
    }

    private static void compare(String what, double[] expected, double[] actual, List<String> problems, double[] worst) {
        assertEquals(expected.length, actual.length, "elements of " + what);
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            worst[0] = Math.max(worst[0], diff / Math.max(Math.max(Math.abs(expected[i]), Math.abs(actual[i])), FLOOR / RELATIVE));
            if (!(diff <= RELATIVE * Math.max(Math.abs(expected[i]), Math.abs(actual[i])) + FLOOR)) {
                problems.add(what + "[" + i + "]: nnc " + actual[i] + ", torch " + expected[i]);
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
