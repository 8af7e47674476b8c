package dev.nnc.runtime;

/**
 * Gets the JIT going while the data is read: a fresh JVM runs a trainer's loops interpreted and
 * then in C1's code until C2 has compiled them, about a second into training (Fashion-MNIST's
 * first epoch at 35,000-45,000 samples/s against 60,000-130,000 later). Reading and inflating the
 * data sets takes about as long, and the training thread only waits for it; so it trains a
 * throwaway copy of the model (its own parameters, optimizer state and buffers, a seed of its
 * own) on random samples of the model's shapes, with the run's batch size, until the data is
 * there. The run's model is not touched, so the weights are those of a run without warm-up, bit
 * for bit ({@code WarmupTest}). Models above {@link #MAX_PARAMETERS} parameters are not warmed up:
 * the copy would double their memory.
 *
 * <pre>
 *   read data on a thread ...........|
 *   warm up on a copy  ..............|  train the model  ...
 * </pre>
 */
final class NncWarmup {

    /** The largest model (parameter elements) warmed up on a copy. */
    static final long MAX_PARAMETERS = 4_000_000;

    /** How long a read may take before a copy of the model is made to warm up on. */
    private static final long QUICK_READ_MILLIS = 20;

    /** Samples of the warm-up data set, at least a batch. */
    private static final int SAMPLES = 256;

    /** Steps done by warm-ups in this JVM, for tests. */
    static final java.util.concurrent.atomic.AtomicLong STEPS = new java.util.concurrent.atomic.AtomicLong();

    private NncWarmup() {}

    /** Whether a model with these parameter shapes is warmed up while its data is read. */
    static boolean worthIt(int[][] shapes) {
        if ("false".equals(System.getProperty("nnc.warmup"))) {
            return false; // -Dnnc.warmup=false: no warm-up (nnc's javac warm-up neither), to measure what it saves
        }
        long n = 0;
        for (int[] shape : shapes) {
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            n += size;
        }
        return n <= MAX_PARAMETERS;
    }

    /**
     * Runs {@code read} on a thread of its own while it warms up a copy of the model ({@code copy},
     * made only when the model is worth it) with batches of {@code batch}; returns what {@code read}
     * returned, or throws what it threw.
     */
    static <T> T whileReading(java.util.function.Supplier<T> read, NncModel model, java.util.function.Supplier<NncModel> copy,
            int batch) {
        if (!worthIt(model.paramShapes())) {
            return read.get();
        }
        java.util.concurrent.FutureTask<T> reading = new java.util.concurrent.FutureTask<>(read::get);
        Thread thread = new Thread(reading, "nnc-read");
        thread.setDaemon(true);
        thread.start();
        try {
            // a read that ends at once (inline data, a small file) is not worth making a copy for
            reading.get(QUICK_READ_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still reading (or done: the result is taken below)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept: the wait below sees it and keeps it too
        }
        if (!reading.isDone()) {
            // one thread: the reading keeps the other core (and the JIT's compiler threads share them)
            int threads = NncPool.threads();
            NncPool.setThreads(1);
            try {
                untilDone(copy.get(), batch, reading::isDone);
            } finally {
                NncPool.setThreads(threads);
            }
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return reading.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Trains {@code copy} (a model no one else uses) with batches of {@code batch} random samples
     * until {@code done} says so; returns the steps it took. Anything the copy's training throws ends
     * the warm-up and nothing else.
     */
    static long untilDone(NncModel copy, int batch, java.util.function.BooleanSupplier done) {
        long steps = 0;
        try {
            NncSupport.Schema schema = copy.schema();
            int b = Math.max(1, Math.min(batch, 4096));
            int n = Math.max(SAMPLES, b);
            NncSupport.Dataset data = NncBench.synthetic(schema, n, copy.f64(), new NncSupport.SplitMix64(0x5eedL));
            copy.useData(data);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int from = 0; !done.getAsBoolean(); from = from + b >= n ? 0 : from + b) {
                int to = Math.min(n, from + b);
                double loss = copy.gradients(order, from, to);
                if (!Double.isFinite(loss) || copy.nonFiniteStep() >= 0) {
                    break;
                }
                copy.update();
                steps++;
                STEPS.incrementAndGet();
            }
        } catch (RuntimeException | StackOverflowError e) {
            // a warm-up only: the real training meets whatever this was, and reports it
        }
        return steps;
    }
}
