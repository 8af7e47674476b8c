package dev.nnc.runtime;

/**
 * The threads the matrix products of a mini-batch may split over: how many a trainer runs with
 * ({@code --threads}, default 1), and the daemon workers that take the parts beyond the caller's.
 *
 * <pre>
 *   caller:  task.fields = ...;  NncPool.run(task)      posts part p of t to worker p-1 (t = threads),
 *                                                       runs part 0, then any part no worker has claimed
 *                                                       yet, then waits for the claimed ones
 *   worker:  spin briefly, then park, until a part is posted; claim it (CAS); run it; mark it finished
 * </pre>
 *
 * Workers are created lazily the first time a product splits and live for the rest of the JVM as
 * daemon threads, so they never keep it alive. A handoff allocates nothing: the task is an object
 * the caller reuses, its part two int fields of the worker, and the handoff a few volatile
 * writes and one compare-and-set. Because the caller takes back parts a worker has not started
 * (say the worker's core is busy with another process), a product never waits for a thread to be
 * scheduled. One product splits at a time; a caller that finds the workers busy (another thread's
 * product) runs its whole task itself. Every task computes each output element in the same order
 * whatever the split and whoever runs a part, so the results never depend on any of this.
 */
public final class NncPool {

    /**
     * Products with fewer multiply-adds than this run on the calling thread alone. Measured on a
     * 2-core machine (issue 13): Fashion-MNIST's products (at most 6.4 million at batch 64) ran
     * slower split, 86,000 against 121,000-175,000 samples/s on the Vector API's kernels and no
     * faster on the plain ones (PyTorch's one thread beat its two as well), while the wide model's
     * (205-268 million at batch 256) ran 1.5x faster on two threads. 2^19 before.
     */
    static final long MIN_PARALLEL_WORK = 1L << 24;

    /** The threshold in force: {@link #MIN_PARALLEL_WORK}, lowered by tests that need small products split. */
    static long minParallelWork = MIN_PARALLEL_WORK;

    /** Spin-wait rounds (each a {@link Thread#onSpinWait}) before a waiting thread parks. */
    private static final int SPINS = 1 << 12;

    private static volatile int threads = 1;

    /** How many products have split over more than one thread; for tests. */
    static volatile long parallelRuns;

    /** Set while one product uses the workers. */
    private static final java.util.concurrent.atomic.AtomicBoolean BUSY = new java.util.concurrent.atomic.AtomicBoolean();

    /** The workers, grown under {@link #BUSY}; worker {@code p - 1} runs part {@code p}. */
    private static Worker[] workers = new Worker[0];

    private NncPool() {}

    /** Sets the number of threads (at least 1) the products split over from now on. */
    static void setThreads(int n) {
        threads = Math.max(1, n);
    }

    static int threads() {
        return threads;
    }

    /** Whether a product of {@code work} multiply-adds split along a dimension of {@code size} should use the workers. */
    static boolean worthSplitting(long work, int size) {
        return threads > 1 && size >= 8 && work >= minParallelWork;
    }

    /**
     * The same for the Vector API's kernels, which split only from twice the work (2^25): they run
     * a product about 3 times as fast, so its parts are shorter than the handoffs and the copies
     * of each part's packed panels pay for. Measured on 2 cores (session 12, samples/s, one
     * thread against two, two runs each): 512-512-512 at batch 64 (products of 2^24) 44,085 and
     * 44,588 against 33,429 and 33,885; at batch 128 (2^25) 47,513 and 46,965 against 48,227 and
     * 47,678; at batch 256 (2^26) 47,330 and 48,582 against 57,921 and 58,353; 1024-1024-1024 at
     * batch 64 (2^26) 8,205 and 7,828 against 13,308 and 11,982. The plain kernels gain from two
     * threads at 2^24 (512-512-512 at batch 64: 14,822 against 16,125).
     */
    static boolean worthSplittingVectors(long work, int size) {
        return threads > 1 && size >= 8 && work >= 2 * minParallelWork;
    }

    /** Where part {@code part} of {@code parts} of {@code 0..total} starts: a multiple of 4, or {@code total} for the end. */
    static int bound(int total, int part, int parts) {
        return part >= parts ? total : (int) ((long) total * part / parts) & ~3;
    }

    /** One product (or one phase of it): {@link #run(int, int)} does part {@code part} of {@code parts}. */
    abstract static class Task {
        abstract void run(int part, int parts);
    }

    /**
     * A matrix product as a task: the arguments NncGemm's and NncGemmVector's jobs share, set per
     * call. {@code op} is the kernel's form, {@code outRows} the dimension parts split, {@code kk}
     * the summed one, {@code cols} the output's columns; {@code phase} is the job's own.
     */
    abstract static class Product extends Task {
        int op;
        boolean dbl;
        int phase;
        int outRows;
        int kk;
        int cols;
        float[][] fa;
        float[][] fb;
        float[][] fc;
        double[][] da;
        double[][] db;
        double[][] dc;

        void setF(int op, float[][] a, float[][] b, float[][] c, int outRows, int kk, int cols) {
            set(op, false, outRows, kk, cols);
            fa = a;
            fb = b;
            fc = c;
            grow();
        }

        void setD(int op, double[][] a, double[][] b, double[][] c, int outRows, int kk, int cols) {
            set(op, true, outRows, kk, cols);
            da = a;
            db = b;
            dc = c;
            grow();
        }

        private void set(int op, boolean dbl, int outRows, int kk, int cols) {
            this.op = op;
            this.dbl = dbl;
            this.outRows = Math.max(0, outRows);
            this.kk = Math.max(0, kk);
            this.cols = Math.max(0, cols);
        }

        /** Makes the job's scratch large enough for the product just set (it only grows). */
        abstract void grow();

        /** Drops the arguments, so that no caller's arrays stay reachable between calls. */
        void drop() {
            fa = fb = fc = null;
            da = db = dc = null;
        }
    }

    /**
     * Runs every part of {@code task}: split over {@link #threads()} threads (the caller doing part 0),
     * or whole on the caller if there is one thread or the workers are busy. Returns when all parts
     * are done; rethrows the first exception of any part.
     */
    static void run(Task task) {
        int t = threads;
        if (t <= 1 || !BUSY.compareAndSet(false, true)) {
            task.run(0, 1);
            return;
        }
        try {
            Worker[] ws = workers;
            if (ws.length < t - 1) {
                Worker[] grown = java.util.Arrays.copyOf(ws, t - 1);
                for (int i = ws.length; i < grown.length; i++) {
                    grown[i] = new Worker(i + 1);
                    grown[i].start();
                }
                workers = ws = grown;
            }
            Thread caller = Thread.currentThread();
            for (int p = 1; p < t; p++) {
                ws[p - 1].post(task, p, t, caller);
            }
            Throwable error = null;
            try {
                task.run(0, t);
            } catch (Throwable e) {
                error = e;
            }
            // parts no worker has started yet (a worker not scheduled, or still waking up) the caller
            // runs itself rather than wait for them
            for (int p = 1; p < t; p++) {
                if (ws[p - 1].steal()) {
                    try {
                        task.run(p, t);
                    } catch (Throwable e) {
                        error = error == null ? e : error;
                    }
                }
            }
            for (int p = 1; p < t; p++) {
                Throwable e = ws[p - 1].await();
                error = error == null ? e : error;
            }
            parallelRuns++;
            if (error instanceof RuntimeException) {
                throw (RuntimeException) error;
            }
            if (error instanceof Error) {
                throw (Error) error;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
        } finally {
            BUSY.set(false);
        }
    }

    /**
     * A daemon thread that runs the parts posted to it. Posts are numbered; a post is claimed (by
     * the worker, or stolen back by the caller) by moving {@link #claimed} to its number, and the
     * caller posts again only after the previous post is finished, so the fields a claimer reads
     * are those of the post it claimed.
     */
    private static final class Worker extends Thread {
        private volatile long posted;
        private final java.util.concurrent.atomic.AtomicLong claimed = new java.util.concurrent.atomic.AtomicLong();
        private volatile long finished;
        private Task task;
        private int part;
        private int parts;
        private Thread caller;
        private Throwable error;

        Worker(int id) {
            super("nnc-pool-" + id);
            setDaemon(true);
        }

        void post(Task t, int part, int parts, Thread caller) {
            this.task = t;
            this.part = part;
            this.parts = parts;
            this.caller = caller;
            this.error = null;
            posted = posted + 1;
            java.util.concurrent.locks.LockSupport.unpark(this);
        }

        /** Claims the current post for the caller: true if the worker had not started it (the caller runs it). */
        boolean steal() {
            long s = posted;
            if (claimed.compareAndSet(s - 1, s)) {
                task = null;
                finished = s;
                return true;
            }
            return false;
        }

        /** Waits until the current post is finished and returns its exception, or null. */
        Throwable await() {
            long s = posted;
            for (int spins = 0; finished != s; spins++) {
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
            }
            caller = null;
            return error;
        }

        @Override
        public void run() {
            for (long seen = 0;;) {
                long s = posted;
                for (int spins = 0; s == seen; spins++) {
                    if (spins < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        java.util.concurrent.locks.LockSupport.park(this);
                    }
                    s = posted;
                }
                seen = s;
                if (!claimed.compareAndSet(s - 1, s)) {
                    continue; // the caller took it
                }
                Task t = task;
                Thread c = caller;
                try {
                    t.run(part, parts);
                } catch (Throwable e) {
                    error = e;
                }
                task = null;
                finished = s;
                java.util.concurrent.locks.LockSupport.unpark(c);
            }
        }
    }
}
