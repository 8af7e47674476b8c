package dev.nnc.cli;

import static dev.nnc.cli.GradCommandTest.run;
import static dev.nnc.cli.GradCommandTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code nnc graph}: well-formed, deterministic DOT, with the gradients under {@code --backward}. */
class GraphCommandTest {

    private static final Pattern NODE = Pattern.compile("(?m)^\\s+([ng]\\d+) \\[");
    private static final Pattern EDGE = Pattern.compile("(?m)^\\s+([ng]\\d+) -> ([ng]\\d+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nnc.cli.GradGoldenTest#samples")
    void everySampleGivesWellFormedDot(Path sample) {
        for (String[] args : new String[][] {{"graph", sample.toString()}, {"graph", sample.toString(), "--backward"}}) {
            CliRun r = run(args);
            assertEquals(0, r.code(), r.all());
            assertEquals("", r.err(), r.all());
            assertTrue(r.out().startsWith("digraph \""), r.all());
            assertTrue(r.out().endsWith("}\n"), r.all());
            assertEquals(count(r.out(), '{'), count(r.out(), '}'), "braces balance: " + r.all());
            Set<String> declared = new HashSet<>();
            Matcher n = NODE.matcher(r.out());
            while (n.find()) {
                assertTrue(declared.add(n.group(1)), "node declared twice: " + n.group(1));
            }
            Matcher e = EDGE.matcher(r.out());
            while (e.find()) {
                assertTrue(declared.contains(e.group(1)) && declared.contains(e.group(2)),
                        "edge between undeclared nodes: " + e.group());
            }
            assertEquals(r.out(), run(args).out(), "the same model must print the same DOT");
        }
    }

    @Test
    void forwardMarksLeavesNamedValuesAndTheLoss() {
        CliRun r = run("graph", sample("tiny_relu"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("[shape=box, style=filled, fillcolor=lightblue, label=\"W1\"]"), r.all());
        assertTrue(r.out().contains("[shape=box, style=filled, fillcolor=lightgrey, label=\"x\"]"), r.all());
        assertTrue(r.out().contains("[label=\"h = relu\"]"), r.all());
        assertTrue(r.out().contains("[peripheries=2, label=\"loss = *\"]"), r.all());
        assertFalse(r.out().contains("backward"), "no gradients without --backward: " + r.all());
    }

    @Test
    void backwardAddsEachParametersGradient() {
        CliRun r = run("graph", sample("tiny_relu"), "--backward");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("subgraph cluster_backward {"), r.all());
        for (String p : new String[] {"W1", "b1", "W2", "b2"}) {
            assertTrue(r.out().contains("label=\"dloss/d" + p + "\""), r.all());
        }
        assertTrue(r.out().contains("label=\"delta1 = *\""), "shared subterms keep their listing names: " + r.all());
    }

    @Test
    void graphHasNoJsonForm() {
        CliRun r = run("graph", sample("tiny_relu"), "--json");
        assertEquals(2, r.code(), r.all());
    }

    @Test
    void aBadFileIsAnInputError() {
        CliRun r = run("graph", "no/such/file.nn");
        assertEquals(1, r.code(), r.all());
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
