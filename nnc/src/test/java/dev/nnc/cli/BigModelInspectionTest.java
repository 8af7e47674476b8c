package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's big model in the inspection commands: {@code gradcheck}, {@code trace} and {@code grad}
 * of the 2-100000-1 tanh network (300,001 parameters) each run in a JVM of its own with a 1 GB
 * heap ({@code -Xmx1g}), as a user's {@code java -Xmx1g -jar nnc.jar ...} would, and must finish
 * with their usual output: gradcheck samples the large parameters and passes, trace and grad print
 * abbreviated tensors. Before issue 19, gradcheck ran out of memory at 6 GB and trace printed 48 MB.
 */
class BigModelInspectionTest {

    private static final String MODEL = """
            model widetanh {
                input  x[2]
                target y[1]

                h    = dense(x, 100000, tanh)
                p    = dense(h, 1)
                loss = mse(p, y)
                output p

                data {
                    x = [[0.5, -0.25], [1, 0.75], [-0.5, 0.125], [0.25, 1]]
                    y = [[0.1], [0.9], [-0.3], [0.4]]
                }
                train { optimizer = adam(lr = 0.001); epochs = 1; batch = 4; seed = 1; dtype = f32 }
            }
            """;

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = Files.writeString(dir.resolve("widetanh.nn"), MODEL);
    }

    /** Runs {@code nnc ARGS} in a child JVM with a 1 GB heap and no trainer cache, working in the test's folder. */
    private static ChildJava.Exec nnc(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJava.java(), "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
                "-Dnnc.cache=false", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ChildJava(dir).execIn(dir, command.toArray(String[]::new));
    }

    @Test
    void gradcheckSamplesTheWideParametersAndPassesInOneGigabyte() throws Exception {
        ChildJava.Exec run = nnc("gradcheck", model.toString(), "--json");
        assertEquals(0, run.code(), run.all());
        Matcher max = Pattern.compile("\"max_rel_error\"\\s*:\\s*([0-9.eE+-]+)").matcher(run.output());
        assertTrue(max.find(), run.all());
        assertTrue(Double.parseDouble(max.group(1)) < 1e-2, run.all()); // f32 tolerance; exit 0 says it passed
        for (String parameter : List.of("h.W", "h.b", "p.W", "p.b")) {
            assertTrue(run.output().contains("\"" + parameter + "\""), parameter + " missing from " + run.all());
        }
        ChildJava.Exec text = nnc("gradcheck", model.toString(), "--elements", "50");
        assertEquals(0, text.code(), text.all());
        assertTrue(text.output().contains("(50 of 200000 elements)"), "h.W, 100000 x 2, sampled at 50: " + text.all());
        assertTrue(text.output().contains("(1 element)"), "p.b checked whole: " + text.all());
        assertTrue(text.output().contains("on 4 samples: ok"), text.all());
    }

    @Test
    void traceAndGradAbbreviateTheWideLayerInOneGigabyte() throws Exception {
        ChildJava.Exec trace = nnc("trace", model.toString());
        assertEquals(0, trace.code(), trace.all());
        assertTrue(trace.output().contains("..."), "abbreviated: " + trace.output().substring(0, Math.min(2000, trace.output().length())));
        assertTrue(trace.output().length() < 100_000, "trace printed " + trace.output().length() + " characters");

        ChildJava.Exec grad = nnc("grad", model.toString());
        assertEquals(0, grad.code(), grad.all());
        assertTrue(grad.output().contains("..."), grad.all().substring(0, Math.min(2000, grad.all().length())));
        assertTrue(grad.output().length() < 100_000, "grad printed " + grad.output().length() + " characters");
    }
}
