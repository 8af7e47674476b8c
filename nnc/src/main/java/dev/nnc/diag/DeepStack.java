package dev.nnc.diag;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a task on a thread with a large stack. The parser and the passes over expressions recurse as
 * deep as the user nests; a tall stack (reserved, not committed, until used) lets them reach the
 * nesting limits that turn absurd input into a diagnostic instead of a {@link StackOverflowError}.
 */
public final class DeepStack {

    private static final long STACK_BYTES = 512L << 20;

    private DeepStack() {}

    public static <T> T call(Supplier<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(task.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "nnc-deep-stack", STACK_BYTES);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        } else if (e instanceof Error err) {
            throw err;
        } else if (e != null) {
            throw new IllegalStateException(e);
        }
        return result.get();
    }
}
