package dev.nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CliRun;
import dev.nnc.cli.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What training with {@code nnc train} achieves, against the samples' oracle numbers
 * (samples/README.md): XOR is learned, one SGD step of the tutorial networks lands on the weights
 * their tutorials (or our f64 computations) give, and an MLP learns Fashion-MNIST.
 */
class TrainingOutcomeTest {

    static final Path SAMPLES = Path.of(System.getProperty("nnc.root", ".")).resolve("samples");

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void xorIsLearned() {
        CliRun run = CliRun.of("train", sample("xor.nn"), "--json");
        assertEquals(0, run.code(), run.all());
        double loss = ((Number) JsonReader.object(run.out()).get("loss")).doubleValue();
        assertTrue(loss < 0.01, "final xor loss " + loss + "\n" + run.all());
    }

    /** Seed 002's walkthrough: after one SGD step, W1 = [[0.0964, 0.1957], [0.2928, 0.3914]] to four places. */
    @Test
    void tinyReluAfterOneStep(@TempDir Path dir) throws IOException {
        Path weights = dir.resolve("W.json");
        CliRun run = CliRun.of("train", sample("tiny_relu.nn"), "--epochs", "1", "--save", weights.toString());
        assertEquals(0, run.code(), run.all());
        Map<String, Object> saved = JsonReader.object(Files.readString(weights));
        assertClose(new double[] {0.0964, 0.1957, 0.2928, 0.3914}, flat(saved.get("W1")), 5e-5, "W1");
        assertClose(new double[] {0.0964, 0.1957}, flat(saved.get("b1")), 5e-5, "b1");
        assertClose(new double[] {0.4942, 0.5914}, flat(saved.get("W2")), 5e-5, "W2");
        assertClose(new double[] {0.2928}, flat(saved.get("b2")), 5e-5, "b2");
    }

    /** sigmoid_121 after one SGD step, lr 0.5: the values its file computes in f64, to six places. */
    @Test
    void sigmoid121AfterOneStep() {
        Map<String, Object> params = trainedParams("sigmoid_121.nn", "--epochs", "1");
        assertClose(new double[] {0.143461, 0.2, 0.242838, 0.3}, flat(params.get("W1")), 1e-6, "W1");
        assertClose(new double[] {0.336299}, flat(params.get("b1")), 1e-6, "b1");
        assertClose(new double[] {0.356699, 0.405085}, flat(params.get("W2")), 1e-6, "W2");
        assertClose(new double[] {0.530436}, flat(params.get("b2")), 1e-6, "b2");
    }

    /** linreg_one under the default trainer (sgd lr 0.01, one step): w 2.61, b 1.13. */
    @Test
    void linregOneAfterOneStep() {
        Map<String, Object> params = trainedParams("linreg_one.nn");
        assertClose(new double[] {2.61}, flat(params.get("w")), 1e-6, "w");
        assertClose(new double[] {1.13}, flat(params.get("b")), 1e-6, "b");
    }

    /** net_2321 after one full-batch SGD step: W3 [[-0.380079, 0.168274]], b3 [0.247290]. */
    @Test
    void net2321AfterOneStep() {
        Map<String, Object> params = trainedParams("net_2321.nn");
        assertClose(new double[] {-0.380079, 0.168274}, flat(params.get("W3")), 1e-6, "W3");
        assertClose(new double[] {0.247290}, flat(params.get("b3")), 1e-6, "b3");
    }

    /** quadratic: x_n = 2 - 2 * 0.8^n, so 1.9999715 after its 50 steps. */
    @Test
    void quadraticAfterFiftySteps() {
        Map<String, Object> params = trainedParams("quadratic.nn");
        assertClose(new double[] {2 - 2 * Math.pow(0.8, 50)}, flat(params.get("x")), 1e-6, "x");
    }

    /**
     * A model like samples/fashion_mnist.nn on the first 10,000 training images for one epoch (Adam
     * lr 0.001, batch 64), tested on the 10,000 test images: accuracy above 0.75.
     */
    @Test
    void fashionMnistLearnsInOneEpoch(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FASHION), FASHION + " is not installed (apt-get install dataset-fashion-mnist)");
        Path images = dir.resolve("train-10k-images-idx3-ubyte");
        Path labels = dir.resolve("train-10k-labels-idx1-ubyte");
        idxPrefix(FASHION.resolve("train-images-idx3-ubyte.gz"), images, 16, 784, 10_000);
        idxPrefix(FASHION.resolve("train-labels-idx1-ubyte.gz"), labels, 8, 1, 10_000);
        Path model = dir.resolve("fashion_10k.nn");
        Files.writeString(model, """
                model fashion_10k {
                    input  x[784]
                    target y[10] onehot

                    h1   = dense(x, 128, relu)
                    h2   = dense(h1, 64, relu)
                    out  = dense(h2, 10)
                    loss = cross_entropy(out, y)
                    output out

                    train {
                        optimizer = adam(lr = 0.001)
                        epochs    = 1
                        batch     = 64
                        shuffle   = true
                        seed      = 42
                        data      = idx("%s", "%s")
                        test      = idx("%s", "%s")
                    }
                }
                """.formatted(images, labels, FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz")));
        long start = System.nanoTime();
        CliRun run = CliRun.of("train", model.toString(), "--json");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, run.code(), run.all());
        Map<String, Object> result = JsonReader.object(run.out());
        double accuracy = ((Number) result.get("test_accuracy")).doubleValue();
        System.out.printf("Fashion-MNIST, 10,000 images, 1 epoch: test accuracy %.4f, loss %.4f, %.1f s (training %.1f s)%n",
                accuracy, ((Number) result.get("loss")).doubleValue(), seconds, ((Number) result.get("seconds")).doubleValue());
        assertTrue(accuracy > 0.75, "test accuracy " + accuracy + "\n" + run.all());
    }

    /**
     * The first {@code count} records of a (gzipped) IDX file as a plain IDX file: its header with
     * the count replaced, then {@code count * recordSize} bytes.
     */
    static void idxPrefix(Path from, Path to, int headerSize, int recordSize, int count) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(from), 1 << 16);
                OutputStream out = Files.newOutputStream(to)) {
            byte[] header = in.readNBytes(headerSize);
            header[4] = (byte) (count >>> 24);
            header[5] = (byte) (count >>> 16);
            header[6] = (byte) (count >>> 8);
            header[7] = (byte) count;
            out.write(header);
            byte[] body = in.readNBytes(count * recordSize);
            assertEquals(count * recordSize, body.length, from + " is shorter than expected");
            out.write(body);
        }
    }

    private static Map<String, Object> trainedParams(String sample, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", sample(sample), "--json"));
        args.addAll(List.of(flags));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.all());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) JsonReader.object(run.out()).get("params");
        return params;
    }

    static String sample(String name) {
        return SAMPLES.resolve(name).toString();
    }

    static double[] flat(Object value) {
        List<Double> values = new ArrayList<>();
        flatten(value, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(Object value, List<Double> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, into));
        } else {
            into.add(((Number) value).doubleValue());
        }
    }

    static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
        }
    }
}
