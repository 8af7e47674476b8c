package dev.nnc.bench;

import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.emit.TrainerSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code nnc bench}: how fast a generated trainer trains. The trainer is compiled in memory with
 * {@link BenchLoop}'s timing loop appended, trains on synthetic data of its model's schema for a
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

    /** Compiles {@code trainer} with the timing loop and measures it. */
    public static Result measure(TrainerSource trainer, double setupMillis, Settings settings) {
        String name = trainer.className();
        if (name.equals(BenchLoop.CLASS_NAME)) {
            throw new Failure("a trainer class named " + name + " clashes with nnc bench's own loop; rename the model");
        }
        String text = trainer.text() + BenchLoop.source(name);
        Class<?> type = InMemoryCompiler.compile(trainer.packageName(), name, text);
        String pkg = trainer.packageName();
        Map<?, ?> r = run(type.getClassLoader(), pkg.isEmpty() ? BenchLoop.CLASS_NAME : pkg + "." + BenchLoop.CLASS_NAME,
                nanos(settings.warmup()), nanos(settings.seconds()), settings.threads());
        return new Result((String) r.get("model"), number(r, "batch").intValue(), number(r, "data_samples").intValue(),
                number(r, "steps").longValue(), number(r, "steps").longValue() * number(r, "samples_per_step").longValue(),
                number(r, "nanos").longValue() / 1e9, number(r, "flops_per_sample").longValue(),
                number(r, "loss").doubleValue(), setupMillis, settings.threads(), trainer.vector());
    }

    private static Map<?, ?> run(ClassLoader loader, String loopClass, long warmupNanos, long measureNanos, int threads) {
        try {
            Method measure = loader.loadClass(loopClass).getDeclaredMethod("measure", long.class, long.class, int.class, int.class);
            measure.setAccessible(true); // package-private, like the whole runtime of a trainer
            return (Map<?, ?>) measure.invoke(null, warmupNanos, measureNanos, SAMPLES, threads);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException) {
                throw new Failure(cause.getMessage());
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("nnc bench's loop did not load: " + e, e);
        }
    }

    private static long nanos(double seconds) {
        return (long) Math.ceil(seconds * 1e9);
    }

    private static Number number(Map<?, ?> result, String key) {
        return (Number) result.get(key);
    }
}
