package dev.nnc.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One whole training run in DL4J, the peer of bench/torch_runs.py for bench/whole_runs.sh: the
 * same models (fashion 784-128-64-10 batch 64, wide 784-1024-1024-10 batch 256; ReLU, softmax
 * cross-entropy, Adam lr 0.001, float32, seed 42) on Fashion-MNIST's IDX files, --epochs epochs
 * reshuffled each epoch, then the test set's loss and accuracy. Prints one JSON line on stdout
 * (every log line goes to stderr). The thread count is OMP_NUM_THREADS, which ND4J's native
 * backend reads when it starts: the caller sets it (bench/dl4j/run.sh does from --threads).
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp 'bench/dl4j/target/nnc-dl4j-peer.jar:bench/dl4j/target/lib/*' \
 *     dev.nnc.bench.Dl4jRun --model fashion --epochs 5
 * </pre>
 */
public final class Dl4jRun {

    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    private Dl4jRun() {
    }

    public static void main(String[] args) throws IOException {
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        String model = "fashion";
        int epochs = 1;
        Integer threadsArg = null;
        String root = "/usr/share/datasets/fashion-mnist";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--threads" -> threadsArg = Integer.parseInt(args[++i]);
                case "--data" -> root = args[++i];
                case "-h", "--help" -> {
                    System.err.println("Dl4jRun [--model fashion|wide] [--epochs N] [--threads T] [--data DIR]"
                            + "\n  threads: set OMP_NUM_THREADS=T in the environment (ND4J reads it at start);"
                            + "\n  --threads only checks that it agrees");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        int[] sizes;
        int batch;
        switch (model) {
            case "fashion" -> {
                sizes = new int[] {FEATURES, 128, 64, CLASSES};
                batch = 64;
            }
            case "wide" -> {
                sizes = new int[] {FEATURES, 1024, 1024, CLASSES};
                batch = 256;
            }
            default -> throw new IllegalArgumentException("unknown model " + model + " (fashion or wide)");
        }
        Integer threads = null;
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null && !omp.isBlank()) {
            threads = Integer.valueOf(omp.trim());
        }
        if (threadsArg != null && !threadsArg.equals(threads)) {
            System.err.println("Dl4jRun: --threads " + threadsArg + " but OMP_NUM_THREADS=" + omp
                    + "; ND4J uses OMP_NUM_THREADS (set it in the environment, as bench/dl4j/run.sh does)");
        }

        // "import": JVM start to ND4J's native backend loaded and usable (torch_runs.py: import torch)
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.create(DataType.FLOAT, 1, 1).addi(1).sumNumber();
        long importedMs = System.currentTimeMillis();
        double importS = (importedMs - jvmStartMs) / 1e3;

        long start = System.nanoTime();
        INDArray x = images(Path.of(root, "train-images-idx3-ubyte.gz"));
        INDArray y = oneHot(labels(Path.of(root, "train-labels-idx1-ubyte.gz")));
        INDArray xt = images(Path.of(root, "t10k-images-idx3-ubyte.gz"));
        int[] ytLabels = labels(Path.of(root, "t10k-labels-idx1-ubyte.gz"));
        INDArray yt = oneHot(ytLabels);
        long loaded = System.nanoTime();

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.001))
                .list();
        for (int i = 0; i < sizes.length - 1; i++) {
            // torch.nn.Linear's default weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)); DL4J's biases start at 0
            double bound = 1 / Math.sqrt(sizes[i]);
            UniformDistribution init = new UniformDistribution(-bound, bound);
            if (i < sizes.length - 2) {
                list.layer(new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1])
                        .activation(Activation.RELU).weightInit(init).build());
            } else {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(sizes[i])
                        .nOut(sizes[i + 1]).activation(Activation.SOFTMAX).weightInit(init).build());
            }
        }
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        int n = (int) x.size(0);
        Random random = new Random(42);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<double[]> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long began = System.nanoTime();
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates, a new order every epoch
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double total = 0;
            for (int i = 0; i < n; i += batch) {
                int m = Math.min(batch, n - i);
                int[] index = new int[m];
                System.arraycopy(order, i, index, 0, m);
                INDArray xb = Nd4j.pullRows(x, 1, index);
                INDArray yb = Nd4j.pullRows(y, 1, index);
                net.fit(xb, yb);
                total += net.score() * m; // the batch's mean loss before this step, as loss.item()
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            history.add(new double[] {epoch, total / n, seconds, n / seconds});
        }
        long trained = System.nanoTime();

        INDArray out = net.output(xt, false);
        int nt = ytLabels.length;
        // cross-entropy of the softmax's output at the true class, clipped as DL4J's LossMCXENT does
        INDArray p = out.mul(yt).sum(1);
        double testLoss = -org.nd4j.linalg.ops.transforms.Transforms.log(
                org.nd4j.linalg.ops.transforms.Transforms.max(p, 1e-10), false).sumNumber().doubleValue() / nt;
        INDArray predicted = out.argMax(1);
        int correct = 0;
        for (int i = 0; i < nt; i++) {
            if (predicted.getInt(i) == ytLabels[i]) {
                correct++;
            }
        }
        double testAccuracy = (double) correct / nt;
        long end = System.nanoTime();

        StringBuilder json = new StringBuilder(512);
        json.append("{\"framework\": \"dl4j\", \"version\": \"").append(version()).append('"');
        json.append(", \"model\": \"").append(model).append('"');
        json.append(", \"threads\": ").append(threads == null ? "null" : threads.toString());
        json.append(", \"epochs\": ").append(epochs);
        json.append(", \"import_s\": ").append(num(importS));
        json.append(", \"load_s\": ").append(num((loaded - start) / 1e9));
        json.append(", \"train_s\": ").append(num((trained - loaded) / 1e9));
        json.append(", \"test_s\": ").append(num((end - trained) / 1e9));
        json.append(", \"history\": [");
        for (int i = 0; i < history.size(); i++) {
            double[] h = history.get(i);
            json.append(i == 0 ? "" : ", ").append("{\"epoch\": ").append((int) h[0])
                    .append(", \"loss\": ").append(num(h[1]))
                    .append(", \"seconds\": ").append(num(h[2]))
                    .append(", \"samples_per_second\": ").append(num(h[3])).append('}');
        }
        json.append("], \"test_loss\": ").append(num(testLoss));
        json.append(", \"test_accuracy\": ").append(num(testAccuracy)).append('}');
        System.out.println(json);
        System.out.flush();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v).trim() : "null";
    }

    /** The deeplearning4j-nn jar's version, from its Maven metadata on the class path. */
    private static String version() {
        try (InputStream in = MultiLayerNetwork.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        String v = MultiLayerNetwork.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static byte[] gunzip(Path path) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    /** An IDX3 file of unsigned bytes as rows of pixels / 255, float32, [count, rows * cols]. */
    private static INDArray images(Path path) throws IOException {
        byte[] raw = gunzip(path);
        DataInputStream header = new DataInputStream(new java.io.ByteArrayInputStream(raw, 0, 16));
        int magic = header.readInt();
        if (magic != 0x803) {
            throw new IOException(path + ": not an IDX3 ubyte file (magic " + Integer.toHexString(magic) + ")");
        }
        int count = header.readInt();
        int rows = header.readInt();
        int cols = header.readInt();
        int size = rows * cols;
        float[] data = new float[count * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (raw[16 + i] & 0xff) / 255f;
        }
        return Nd4j.create(data, new long[] {count, size}, DataType.FLOAT);
    }

    /** An IDX1 file of unsigned bytes: the labels. */
    private static int[] labels(Path path) throws IOException {
        byte[] raw = gunzip(path);
        DataInputStream header = new DataInputStream(new java.io.ByteArrayInputStream(raw, 0, 8));
        int magic = header.readInt();
        if (magic != 0x801) {
            throw new IOException(path + ": not an IDX1 ubyte file (magic " + Integer.toHexString(magic) + ")");
        }
        int count = header.readInt();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[8 + i] & 0xff;
        }
        return labels;
    }

    private static INDArray oneHot(int[] labels) {
        float[] data = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            data[i * CLASSES + labels[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, CLASSES}, DataType.FLOAT);
    }
}
