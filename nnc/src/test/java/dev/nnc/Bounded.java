package dev.nnc;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one fuzz input with a bound on its time, so that a hang is a finding (with the input saved)
 * rather than a fuzzing session that stops making progress. The input runs on a pooled daemon thread;
 * one that never ends keeps its thread, and the next input gets another.
 */
final class Bounded {

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "nnc-fuzz-input");
        t.setDaemon(true);
        return t;
    });

    private Bounded() {}

    /** The task's result; its exception as it is; an {@link AssertionError} after {@code limit}. */
    static <T> T call(Duration limit, Supplier<T> task) {
        Future<T> future = THREADS.submit(task::get);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("no outcome after " + limit.toSeconds() + " s: the input hangs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /**
     * {@link #call} with a softer bound too: an input that takes more than {@code soft} is timed twice
     * more (a pause of the machine is not the input's fault), and fails when the fastest run of the
     * three still takes longer.
     */
    static <T> T call(Duration soft, Duration hard, Supplier<T> task) {
        long fastest = Long.MAX_VALUE;
        T result = null;
        for (int run = 0; run < 3 && fastest > soft.toNanos(); run++) {
            long start = System.nanoTime();
            result = call(hard, task);
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        if (fastest > soft.toNanos()) {
            throw new AssertionError("the input took " + fastest / 1_000_000 + " ms at best of three runs, more than "
                    + soft.toMillis() + " ms");
        }
        return result;
    }
}
