package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.cli.CliRun;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.NncSupport;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data block of any size compiles: javac limits a method to 64 KiB of code and a class to 65,535
 * constants, which array literals of a few thousand numbers exceed ("code too large"). A model with
 * about 200 KB of inline data trains with nnc train, and its trainer holds every value exactly, in
 * f32 and in f64; a small block stays readable array literals.
 */
class LargeInlineDataTest {

    static final int SAMPLES = 2000;
    static final int INPUTS = 8;

    /** Inputs k / 1024 (exact in float and in decimal), a onehot target of 3 classes. */
    static final float[] X = new float[SAMPLES * INPUTS];
    static final int[] C = new int[SAMPLES];

    static {
        Random random = new Random(12);
        for (int i = 0; i < X.length; i++) {
            X[i] = (random.nextInt(8193) - 4096) / 1024f;
        }
        for (int s = 0; s < SAMPLES; s++) {
            C[s] = random.nextInt(3);
        }
    }

    static String model() {
        StringBuilder x = new StringBuilder();
        StringBuilder c = new StringBuilder();
        for (int s = 0; s < SAMPLES; s++) {
            x.append(s == 0 ? "[" : ",\n        [");
            for (int i = 0; i < INPUTS; i++) {
                x.append(i == 0 ? "" : ", ").append((double) X[s * INPUTS + i]); // exact: k / 1024 has a short decimal
            }
            x.append(']');
            c.append(s == 0 ? "" : ", ").append(C[s]);
        }
        return """
                model big {
                    input  x[8]
                    target c[3] onehot
                    out  = dense(x, 3)
                    loss = cross_entropy(out, c)
                    output out
                    data {
                        x = [%s]
                        c = [%s]
                    }
                    train { optimizer = sgd(lr = 0.1); epochs = 2; batch = 32 }
                }
                """.formatted(x, c);
    }

    /** The data set the trainer of {@code model} bakes in: its inlineData(). */
    private static NncSupport.Dataset baked(CheckedModel model) throws Exception {
        Class<?> type = InMemoryCompiler.compile(Pipeline.generate(model, null, null, null));
        Method inline = type.getDeclaredMethod("inlineData");
        inline.setAccessible(true);
        return (NncSupport.Dataset) inline.invoke(null);
    }

    @Test
    void twoHundredKilobytesOfInlineDataTrainAndArriveExactly(@TempDir Path dir) throws Exception {
        String text = model();
        assertTrue(text.length() > 200_000, "about 200 KB: " + text.length());
        Path file = Files.writeString(dir.resolve("big.nn"), text, StandardCharsets.UTF_8);

        CliRun train = CliRun.of("train", file.toString(), "--json");
        assertEquals(0, train.code(), train.all());
        assertTrue(train.out().contains("\"epochs\": 2"), train.out());

        CheckedModel model = Pipeline.check(new SourceFile("big.nn", text), null);
        NncSupport.Dataset f32 = baked(model);
        assertArrayEquals(X, f32.f32[0]);
        assertArrayEquals(C, f32.labels[1]);
        NncSupport.Dataset f64 = baked(model.withTrain(model.train().withDType(TrainConfig.DType.F64)));
        double[] wide = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            wide[i] = X[i];
        }
        assertArrayEquals(wide, f64.f64[0]);
        assertArrayEquals(C, f64.labels[1]);
    }

    /** A small block is still written as array literals, as a person would write it. */
    @Test
    void aSmallBlockStaysLiterals() {
        String xor = Pipeline.generate(Pipeline.check(GeneratedExamplesTest.SAMPLES.resolve("xor.nn"), null), null, null, null)
                .modelText();
        assertTrue(xor.contains("new float[] {0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f}"), xor);
        assertFalse(xor.contains("NncArrays.floats("), xor);
    }
}
