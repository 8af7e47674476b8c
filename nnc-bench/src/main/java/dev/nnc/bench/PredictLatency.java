package dev.nnc.bench;

import dev.nnc.runtime.Model;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long one prediction of the Fashion-MNIST MLP (784-128-64-10, {@code samples/fashion_mnist.nn})
 * takes through the public API, in microseconds per sample: {@code predictOne} is
 * {@code predict(in, out)} on one sample, {@code predictBatch} is {@code predict(float[][])} on
 * {@value #BATCH} samples, divided by {@value #BATCH}.
 *
 * <p>The model is the checked-in {@code generated-examples/FashionMnist.java} (the build copies it in),
 * made by name through {@link Model#of(String)} as a tool would: its weights are the {@code .nn}'s
 * random initialization (seed 42). The inputs are random pixels in [0, 1), {@value #INPUTS} of them
 * taken in turn, so no call sees the previous call's input.
 *
 * <pre>
 *   java -jar nnc-bench/target/benchmarks.jar PredictLatency -f 1 -wi 5 -i 10
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class PredictLatency {

    /** Distinct inputs, a power of two. */
    static final int INPUTS = 1024;

    /** Samples in one call of the batched predict. */
    static final int BATCH = 256;

    private Model model;
    private float[][] inputs;
    private float[][] batch;
    private float[] out;
    private int next;

    @Setup
    public void setUp() {
        model = Model.of("FashionMnist");
        int size = model.schema().inputSize();
        SplittableRandom random = new SplittableRandom(7);
        inputs = new float[INPUTS][size];
        for (float[] row : inputs) {
            for (int i = 0; i < size; i++) {
                row[i] = (float) random.nextDouble();
            }
        }
        batch = java.util.Arrays.copyOf(inputs, BATCH);
        out = new float[model.schema().outputSize()];
    }

    /** One sample, into the caller's array: what a service answering one request at a time does. */
    @Benchmark
    public float[] predictOne() {
        float[] in = inputs[next];
        next = (next + 1) & (INPUTS - 1);
        model.predict(in, out);
        return out;
    }

    /** {@value #BATCH} samples in one call (batched kernels, the default threads), per sample. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] predictBatch() {
        return model.predict(batch);
    }
}
