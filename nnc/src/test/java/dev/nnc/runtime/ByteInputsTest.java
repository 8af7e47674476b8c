package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Pipeline;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.diag.SourceFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IDX pixels stay bytes in the data set ({@link NncSupport.Dataset#u8}) and the trainer scales each
 * sample's row as it copies it ({@link NncArrays#row}): training, evaluating and the one-sample
 * path give the same numbers, bit for bit, as on the same data held as floats or doubles.
 */
class ByteInputsTest {

    @TempDir
    Path dir;

    /** 4x4 images, 3 classes; a batched and a one-sample trainer in each precision. */
    private static String model(int batch, String dtype) {
        return """
                model pixels {
                    input  x[16]
                    target y[3] onehot
                    h    = dense(x, 8, tanh)
                    out  = dense(h, 3)
                    loss = cross_entropy(out, y)
                    output out
                    train { optimizer = adam(lr = 0.01); epochs = 1; batch = %d; seed = 5; dtype = %s }
                }
                """.formatted(batch, dtype);
    }

    @ParameterizedTest
    @CsvSource({"8, f32", "1, f32", "8, f64", "1, f64"})
    void bytesTrainAsTheirScaledValues(int batch, String dtype) throws Exception {
        boolean f64 = dtype.equals("f64");
        Class<?> type = InMemoryCompiler.compile(
                Pipeline.generate(Pipeline.check(new SourceFile("pixels.nn", model(batch, dtype)), null), null, null, null));
        int samples = 40;
        byte[] pixels = new byte[samples * 16];
        byte[] labels = new byte[samples];
        NncSupport.SplitMix64 r = new NncSupport.SplitMix64(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (r.nextDouble() * 256);
        }
        for (int i = 0; i < samples; i++) {
            labels[i] = (byte) (r.nextDouble() * 3);
        }
        Path images = write("images.gz", gzip(idx(0x803, new int[] {samples, 4, 4}, pixels)));
        Path labelFile = write("labels", idx(0x801, new int[] {samples}, labels));

        NncModel reader = trainer(type);
        NncSupport.Dataset bytes = NncIdx.read(images, labelFile, reader.schema(), f64);
        assertNotNull(bytes.u8[0], "the pixels are held as bytes");
        assertArrayEquals(pixels, bytes.u8[0]);
        assertNull(f64 ? bytes.f64[0] : bytes.f32[0]);
        NncSupport.Dataset values = new NncSupport.Dataset(samples, f64 ? null : new float[][] {bytes.floats(0), null},
                f64 ? new double[][] {bytes.doubles(0), null} : null, bytes.labels);

        Run fromBytes = run(trainer(type), bytes, batch);
        Run fromValues = run(trainer(type), values, batch);
        assertBitwiseEqual(fromValues.weights, fromBytes.weights);
        assertEquals(Double.doubleToRawLongBits(fromValues.loss), Double.doubleToRawLongBits(fromBytes.loss), "evaluation loss");
        assertEquals(fromValues.accuracy, fromBytes.accuracy);
        // a slice (a validation split) keeps the bytes
        NncSupport.Dataset tail = bytes.slice(reader.schema(), 30, 40);
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 30 * 16, 40 * 16), tail.u8[0]);
    }

    private record Run(double[][] weights, double loss, double accuracy) {}

    /** Three epochs in a fixed shuffled order, then the evaluation over all samples. */
    private static Run run(NncModel model, NncSupport.Dataset data, int batch) {
        model.useData(data);
        int n = data.samples;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (i * 17) % n;
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int from = 0; from < n; from += batch) {
                model.gradients(order, from, Math.min(n, from + batch));
                model.update();
            }
        }
        double[] result = NncDriver.evaluate(model, data, NncClassifier.of(model));
        return new Run(model.weights(), result[0], result[1]);
    }

    private static NncModel trainer(Class<?> type) throws ReflectiveOperationException {
        return Support.trainer(type.getConstructor(long.class).newInstance(5L));
    }

    private static void assertBitwiseEqual(double[][] expected, double[][] actual) {
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                if (Double.doubleToRawLongBits(expected[p][i]) != Double.doubleToRawLongBits(actual[p][i])) {
                    fail("parameter " + p + " element " + i + ": " + expected[p][i] + " != " + actual[p][i]);
                }
            }
        }
    }

    private static byte[] idx(int magic, int[] dims, byte[] body) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(body).array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
