package dev.nnc.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer of {@link PredictLatency#predictOne} in ONNX Runtime's Java API: one sample of the same
 * 784-128-64-10 MLP, as PyTorch's {@code torch.onnx.export} writes it ({@code bench/torch_predict.py
 * --export-onnx FILE}), with {@code threads} intra-op threads. The input tensor wraps one direct
 * buffer that each call refills from the next of {@value PredictLatency#INPUTS} random inputs; the
 * output is copied into a float array, as a caller would read it.
 *
 * <pre>
 *   java -cp 'nnc-bench/target/benchmarks.jar:nnc-bench/target/lib/*' org.openjdk.jmh.Main OrtPredictLatency -p model=FILE.onnx
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class OrtPredictLatency {

    /** The ONNX file: {@code -p model=FILE}. */
    @Param("")
    public String model;

    /** ONNX Runtime's intra-op threads. */
    @Param({"1", "2"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private FloatBuffer buffer;
    private String inputName;
    private float[][] inputs;
    private final float[] out = new float[10];
    private int next;

    @Setup
    public void setUp() throws OrtException {
        if (model.isEmpty()) {
            throw new IllegalArgumentException("no ONNX model: pass -p model=FILE (bench/torch_predict.py --export-onnx FILE writes one)");
        }
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, options);
        }
        inputName = session.getInputNames().iterator().next();
        buffer = ByteBuffer.allocateDirect(784 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        input = OnnxTensor.createTensor(env, buffer, new long[] {1, 784});
        SplittableRandom random = new SplittableRandom(7);
        inputs = new float[PredictLatency.INPUTS][784];
        for (float[] row : inputs) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextDouble();
            }
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }

    @Benchmark
    public float[] predictOne() throws OrtException {
        buffer.clear();
        buffer.put(inputs[next]);
        next = (next + 1) & (PredictLatency.INPUTS - 1);
        try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
        }
        return out;
    }
}
