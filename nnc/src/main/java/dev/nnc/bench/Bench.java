package dev.nnc.bench;

import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.emit.TrainerSource;
import dev.nnc.runtime.NncBench;
import dev.nnc.runtime.NncDriver;
import dev.nnc.runtime.NncModel;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * {@code nnc bench}: how fast a generated trainer trains. The trainer is compiled in memory and
 * the runtime's timing loop ({@link NncBench}) trains it on synthetic data of its model's schema for a
 * warm-up, then for the measured time, and the result counts samples, steps and floating-point
 * operations (6 x in x out per matrix parameter and sample: forward, the input's adjoint, the
 * weight's gradient, each a multiply and an add).
 *
 * <pre>
 *   (t3's trainer, 2 s warm-up, 3 s)  -&gt;  Result(t3, batch 64, 15,555 samples/s, 4,114 us/step, 1.7 GFLOP/s)
 * </pre>
 */
public final class Bench {

    /** Synthetic samples to train on, rounded up to whole batches: enough that they do not all fit in L2. */
    public static final int SAMPLES = 4096;

    private Bench() {}

    /** How long to warm up and to measure, in seconds, and how many threads the large products split over. */
    public record Settings(double seconds, double warmup, int threads) {}

    /**
     * One measurement. {@code samples} were trained in {@code steps} steps taking {@code seconds};
     * {@code setupMillis} is what generating and compiling the trainer took before; {@code vector}
     * whether its products ran on the Vector API kernels.
     */
    public record Result(String model, int batch, int dataSamples, long steps, long samples, double seconds,
            long flopsPerSample, double loss, double setupMillis, int threads, boolean vector) {

        public double samplesPerSecond() {
            return samples / seconds;
        }

        public double microsPerStep() {
            return seconds * 1e6 / steps;
        }

        public double gflops() {
            return flopsPerSample * samplesPerSecond() / 1e9;
        }

        /** The {@code --json} document. */
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("batch", batch);
            doc.put("samples_per_second", samplesPerSecond());
            doc.put("us_per_step", microsPerStep());
            doc.put("gflops", gflops());
            doc.put("setup_ms", setupMillis);
            doc.put("threads", threads);
            doc.put("vector", vector);
            return doc;
        }
    }

    /** Training stopped on the synthetic data (a non-finite loss or gradient). */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Compiles {@code trainer}'s class and measures it with the runtime's timing loop ({@link NncBench}). */
    public static Result measure(TrainerSource trainer, double setupMillis, Settings settings) {
        return measure(InMemoryCompiler.compile(trainer), trainer.vector(), setupMillis, settings);
    }

    /** Measures the generated class {@code type}, already loaded ({@code vector}: it uses the Vector API kernels). */
    public static Result measure(Class<?> type, boolean vector, double setupMillis, Settings settings) {
        Map<?, ?> r = run(type, nanos(settings.warmup()), nanos(settings.seconds()), settings.threads());
        return new Result((String) r.get("model"), number(r, "batch").intValue(), number(r, "data_samples").intValue(),
                number(r, "steps").longValue(), number(r, "steps").longValue() * number(r, "samples_per_step").longValue(),
                number(r, "nanos").longValue() / 1e9, number(r, "flops_per_sample").longValue(),
                number(r, "loss").doubleValue(), setupMillis, settings.threads(), vector);
    }

    /** The model class's train block ({@code DEFAULTS}) and constructor, handed to the timing loop. */
    private static Map<?, ?> run(Class<?> type, long warmupNanos, long measureNanos, int threads) {
        NncDriver.Defaults defaults;
        Constructor<?> constructor;
        try {
            Field field = type.getDeclaredField("DEFAULTS");
            field.setAccessible(true);
            defaults = (NncDriver.Defaults) field.get(null);
            constructor = type.getConstructor(long.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the generated class " + type.getName() + " has no DEFAULTS or (long) constructor: " + e, e);
        }
        LongFunction<NncModel> factory = seed -> {
            try {
                return dev.nnc.runtime.Support.trainer(constructor.newInstance(seed));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        try {
            return NncBench.measure(factory, defaults, warmupNanos, measureNanos, SAMPLES, threads);
        } catch (IllegalStateException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static long nanos(double seconds) {
        return (long) Math.ceil(seconds * 1e9);
    }

    private static Number number(Map<?, ?> result, String key) {
        return (Number) result.get(key);
    }
}
