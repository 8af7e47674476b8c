package dev.nnc.runtime;

/**
 * Gets the JIT going before the run's first step: a fresh JVM runs a trainer's loops interpreted
 * and then in C1's code until C2 has compiled them (with the Vector API's kernels, C1's code boxes
 * every vector and a step is about 1,000 times slower than C2's). So a throwaway copy of the model
 * (its own parameters, optimizer state and buffers, a seed of its own) trains on random samples of
 * the model's shapes, with the run's batch size and through the run's own epoch loop: first while
 * the data is read (on one thread, the reading keeping the other core), then, once the data is
 * there, with the run's threads until its step is warm ({@link #warm}).
 *
 * <p>What that costs: every step the copy takes after the read, the run would have taken itself, at
 * the same speed, and been that much further. Only steps that do next to nothing are free (with the
 * Vector API's kernels in C1's code, a step boxes every vector and takes 40 ms instead of 40 us).
 * So after the read the copy stops when its steps that did useful work (at least
 * {@link #USEFUL_FLOPS_PER_NANO}), counted at the fastest time per step seen, come to a tenth of the
 * run's steps at that time or to {@link #LOSS_NANOS}, whichever is less: the run may spend its
 * first tenth getting up to speed itself. It never takes more steps than the run has, nor goes on
 * for longer than {@link #MAX_MILLIS}. The run's model is not touched, so the weights are those of a
 * run without warm-up, bit for bit ({@code WarmupTest}). Models above {@link #MAX_PARAMETERS}
 * parameters are not warmed up: the copy would double their memory.
 *
 * <pre>
 *   read data on a thread ...........|
 *   warm up on a copy  ..............|......... warm |  train the model  ...
 * </pre>
 */
final class NncWarmup {

    /** The largest model (parameter elements) warmed up on a copy. */
    static final long MAX_PARAMETERS = 4_000_000;

    /** The longest a warm-up goes on after the data is read. */
    static final long MAX_MILLIS = 3_000;

    /** The most run time a warm-up after the read may cost (see the class comment). */
    static final long LOSS_NANOS = 250_000_000L;

    /**
     * The work rate (floating-point operations a nanosecond, 6 per parameter and sample) below which
     * a chunk of steps did nothing a run would miss: interpreted code and the Vector API in C1's code
     * run at 0.1-0.4 of them, compiled steps at 10-100.
     */
    static final double USEFUL_FLOPS_PER_NANO = 1;

    /**
     * The fewest steps after which a copy may be warm: C2 compiles a method that loops after about
     * 600 calls ({@code -XX:Tier4MinInvocationThreshold}), and a step calls each of the trainer's once.
     */
    static final long MIN_STEPS = 1_000;

    /** Samples of the warm-up data set, at least a batch. */
    private static final int SAMPLES = 256;

    /** Steps done by warm-ups in this JVM, for tests. */
    static final java.util.concurrent.atomic.AtomicLong STEPS = new java.util.concurrent.atomic.AtomicLong();

    private NncWarmup() {}

    /** Whether {@code -Dnnc.warmup=false} turns every warm-up off. */
    private static boolean off() {
        return "false".equals(System.getProperty("nnc.warmup"));
    }

    /** Whether a model with these parameter shapes is warmed up on a copy. */
    static boolean worthIt(int[][] shapes) {
        if (off()) {
            return false; // -Dnnc.warmup=false: no warm-up (nnc's javac warm-up neither), to measure what it saves
        }
        return parameters(shapes) <= MAX_PARAMETERS;
    }

    /** The elements of parameters of these shapes. */
    static long parameters(int[][] shapes) {
        long n = 0;
        for (int[] shape : shapes) {
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            n += size;
        }
        return n;
    }

    /**
     * Runs {@code read} on a thread of its own while it warms up a copy of the model ({@code copy},
     * made only when the model is worth it) with batches of {@code batch}, then goes on warming up
     * after the read (see the class comment). The copy runs the kernels a run of {@code epochs}
     * takes ({@link NncTraining#vectorPays}): over the {@code expectedSamples} the file's size
     * tells while it is read (-1: not known, the Vector API's), over the {@code trainSamples} read
     * after. Returns what {@code read} returned, or throws what it threw.
     */
    static <T> T whileReading(java.util.function.Supplier<T> read, NncModel model, java.util.function.Supplier<NncModel> copy,
            int batch, int epochs, long expectedSamples, java.util.function.ToIntFunction<T> trainSamples, Kernels kernels) {
        if (!worthIt(model.paramShapes())) {
            // too big for a copy: the kernels' warm-up, started while the model was made, goes on while the data is read
            try {
                T result = read.get();
                kernels.finish(model, epochs, trainSamples.applyAsInt(result));
                return result;
            } finally {
                kernels.stop();
            }
        }
        kernels.stop(); // the copy warms the kernels the run takes, and its steps too
        java.util.concurrent.FutureTask<T> reading = new java.util.concurrent.FutureTask<>(read::get);
        Thread thread = new Thread(reading, "nnc-read");
        thread.setDaemon(true);
        thread.start();
        Copy warm;
        try {
            warm = new Copy(copy.get(), batch);
        } catch (RuntimeException | OutOfMemoryError e) {
            return taken(reading); // no copy: train without warm-up
        }
        // while the data is read, the kernels a run of about that many samples takes: the Vector API's
        // when it is not known (a 64-64-64 run of 8,192 samples, 5 epochs, on --vector: 1.04-1.18 s in
        // all, against 2.47-2.72 s warming the Vector API's during the read and training on the plain ones)
        warm.plan.vectorApi = expectedSamples < 0 || NncTraining.vectorPays(model, epochs, expectedSamples);
        // one thread: the reading keeps the other core (and the JIT's compiler threads share them)
        int threads = NncPool.threads();
        NncPool.setThreads(1);
        try {
            warm.until(reading::isDone, 0);
        } finally {
            NncPool.setThreads(threads);
        }
        T result = taken(reading);
        ended(thread); // a thread that ends mid-chunk would take its CPU time out of the JVM's own (see Settling)
        int samples = trainSamples.applyAsInt(result);
        // the kernels the run will take (NncTraining.vectorPays), not those of the copy's endless run
        warm.plan.vectorApi = NncTraining.vectorPays(model, epochs, samples);
        warm.until(warm::warm, Math.max(1, (long) epochs * ((samples + batch - 1) / Math.max(1, batch))));
        NncTimeline.mark("warmed up: " + warm.steps + " steps" + (warm.warm() ? ", warm" : ", not warm"));
        return result;
    }

    /**
     * The Vector API's f32 kernels warmed on small products ({@code NncGemmVector.warmUp}) on a
     * thread of their own, for a model too big for a copy ({@link #MAX_PARAMETERS}): C2 takes
     * 0.7-1 s to compile them, and until then a product of such a model takes seconds in C1's
     * code, where every vector is boxed (w4096 d1 b64: epoch 1 2.6 s, the later ones 0.85 s). The
     * kernels do not depend on the model's sizes, so the warm-up starts before the model is made,
     * which takes 0.5-1.5 s for such a model (allocating and drawing its parameters), and goes on
     * while the data is read. It starts only when the model is not made within {@link #DELAY_MILLIS}
     * (a model made sooner is small and warms on a copy), and ends at once where there are no such
     * kernels: a plain trainer's sources lack {@code NncGemmVector}, and a JVM without the Vector
     * API cannot initialize it.
     * {@link #finish} then lets it finish for the run that takes those kernels, for at most
     * {@link #LOSS_NANOS}, and stops it for any other. Its products are too small to be split over
     * {@link NncPool}'s threads, and each thread has its own scratch, so it shares nothing with the
     * run.
     */
    static final class Kernels {
        /** No warm-up ({@code -Dnnc.warmup=false}). */
        static final Kernels NONE = new Kernels();

        /** How long the model may take to be made before the warm-up starts. */
        static final long DELAY_MILLIS = 50;

        /**
         * The work rate (floating-point operations a nanosecond) of a round on compiled kernels: C1's
         * code does 0.1-0.4 of them, C2's 10-100.
         */
        static final double WARM_FLOPS_PER_NANO = 2;

        /** Rounds in a row at that rate after which the kernels are warm. */
        static final int WARM_ROUNDS = 3;

        private final Thread thread;
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        private volatile long rounds;
        private volatile boolean warm;
        /** Ended by {@link #MAX_MILLIS}, neither warm nor stopped. */
        private volatile boolean expired;

        private Kernels() {
            thread = null;
        }

        private Kernels(java.util.concurrent.Callable<java.util.function.DoubleSupplier> maker) {
            thread = new Thread(() -> warmUp(maker), "nnc-kernels");
            thread.setDaemon(true);
        }

        /** Starts the warm-up of the Vector API's kernels for batches of {@code batch}, or returns {@link #NONE}. */
        static Kernels start(int batch) {
            return start(() -> vectorRound(batch));
        }

        /**
         * Starts a warm-up whose rounds {@code maker} makes once the delay is over (each round
         * returns the floating-point operations it did), or returns {@link #NONE}; tests give rounds
         * of their own.
         */
        static Kernels start(java.util.concurrent.Callable<java.util.function.DoubleSupplier> maker) {
            if (off()) {
                return NONE;
            }
            Kernels k = new Kernels(maker);
            k.thread.start();
            return k;
        }

        private void warmUp(java.util.concurrent.Callable<java.util.function.DoubleSupplier> maker) {
            try {
                if (stopped.await(DELAY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
                java.util.function.DoubleSupplier round = maker.call();
                long end = System.nanoTime() + MAX_MILLIS * 1_000_000L;
                int fast = 0;
                while (stopped.getCount() > 0 && fast < WARM_ROUNDS && System.nanoTime() < end) {
                    long start = System.nanoTime();
                    double flops = round.getAsDouble();
                    rounds++;
                    fast = flops >= WARM_FLOPS_PER_NANO * (System.nanoTime() - start) ? fast + 1 : 0;
                }
                warm = fast >= WARM_ROUNDS;
                expired = !warm && stopped.getCount() > 0;
            } catch (InterruptedException e) {
                // nothing to do: the thread ends
            } catch (Exception | LinkageError e) {
                // no such kernels here, or a warm-up only: the run meets whatever this was, and reports it
            }
        }

        /**
         * {@code NncGemmVector.warmUp(batch)}, called by reflection: the class is not in a plain
         * trainer's sources ({@code nnc compile} leaves out the files that need the Vector API's module).
         */
        private static java.util.function.DoubleSupplier vectorRound(int batch) throws ReflectiveOperationException {
            return (java.util.function.DoubleSupplier) Class.forName(NncWarmup.class.getPackageName() + ".NncGemmVector")
                    .getDeclaredMethod("warmUp", int.class).invoke(null, batch);
        }

        /**
         * Lets the warm-up finish, for at most {@link #LOSS_NANOS}, when a run of {@code epochs} over
         * {@code samples} samples takes the Vector API's f32 kernels ({@link NncTraining#vectorPays});
         * then stops it.
         */
        void finish(NncModel model, int epochs, long samples) {
            if (thread == null) {
                return;
            }
            // useVectorApi(true) says whether the trainer has them; the run sets it again from its plan
            if (!model.f64() && NncTraining.vectorPays(model, epochs, samples) && model.useVectorApi(true)) {
                try {
                    thread.join(LOSS_NANOS / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stop();
            NncTimeline.mark("kernels warmed up: " + rounds + " rounds" + (warm ? ", warm" : ", not warm"));
        }

        /** Stops the warm-up; it ends after the round it is in, and takes no more CPU time. */
        void stop() {
            stopped.countDown();
        }

        /** Whether the kernels ran {@link #WARM_ROUNDS} rounds in a row at a compiled rate. For tests. */
        boolean warm() {
            return warm;
        }

        /** Whether it ended after {@link #MAX_MILLIS} without getting warm. For tests. */
        boolean expired() {
            return expired;
        }

        /** The rounds run so far. For tests. */
        long rounds() {
            return rounds;
        }

        /** Waits for the warm-up to end by itself, for tests. */
        boolean ended(long millis) throws InterruptedException {
            if (thread != null) {
                thread.join(millis);
            }
            return thread == null || !thread.isAlive();
        }
    }

    /** What {@code reading} returned, or what it threw; an interrupt is kept for the caller. */
    private static <T> T taken(java.util.concurrent.FutureTask<T> reading) {
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

    /** Waits (a little) for {@code thread}, which is about to end; an interrupt is kept for the caller. */
    private static void ended(Thread thread) {
        try {
            thread.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Trains {@code copy} as the warm-up after the read does, for a run of {@code runSteps} steps
     * with batches of {@code batch}; returns the steps it took. For tests.
     */
    static long afterRead(NncModel copy, int batch, long runSteps) {
        Copy warm = new Copy(copy, batch);
        warm.until(warm::warm, runSteps);
        return warm.steps;
    }

    /**
     * Trains {@code copy} (a model no one else uses) with batches of {@code batch} random samples
     * until {@code done} says so; returns the steps it took. Anything the copy's training throws ends
     * the warm-up and nothing else.
     */
    static long untilDone(NncModel copy, int batch, java.util.function.BooleanSupplier done) {
        Copy warm = new Copy(copy, batch);
        warm.until(done, 0);
        return warm.steps;
    }

    /**
     * The copy, trained by the run's own epoch loop ({@link NncTraining#run}) on a random data set,
     * so that the loop, its shuffles and its calls are compiled and linked too, and what its steps'
     * times say.
     */
    private static final class Copy implements NncTraining.Events {
        private final NncModel model;
        private final NncSupport.Dataset data;
        final NncTraining.Plan plan = new NncTraining.Plan();
        final Settling settling = new Settling();
        long steps;
        private boolean failed;
        private long chunkStart;
        private long chunkSteps;
        private long compiling;
        /** What the steps since {@link #until} started cost the run: those of useful chunks, at the fastest time per step. */
        private double loss;
        /** Floating-point operations a step does, about: 6 per parameter and sample. */
        private final double flopsPerStep;

        Copy(NncModel model, int batch) {
            this.model = model;
            int b = Math.max(1, Math.min(batch, 4096));
            NncSupport.Dataset d = null;
            try {
                d = NncBench.synthetic(model.schema(), Math.max(SAMPLES, b), model.f64(), new NncSupport.SplitMix64(0x5eedL));
            } catch (RuntimeException e) {
                failed = true;
            }
            data = d;
            flopsPerStep = 6.0 * parameters(model.paramShapes()) * b;
            plan.epochs = Integer.MAX_VALUE;
            plan.batch = b;
            plan.shuffle = true;
            plan.seed = 0x5eedL;
            plan.timeline = false;
        }

        /**
         * {@link #settling} says warm, after {@link #MIN_STEPS} steps: a short step stuck in C1's
         * code looks as steady as a compiled one until C2 compiles the methods a step calls once
         * (after about 600 calls; then 3x faster for a 64-wide layer at batch 64).
         */
        boolean warm() {
            return steps >= MIN_STEPS && settling.warm();
        }

        /**
         * Trains until {@code done} says so (asked before the first step and after every one) or a
         * step fails. With {@code runSteps > 0} (after the read), also until it has cost the run a
         * tenth of its steps' time or {@link #LOSS_NANOS}, the copy has taken as many steps in all as
         * the run has, or after {@link #MAX_MILLIS}.
         * The steps are timed in chunks of {@link Settling#CHUNK_NANOS} for {@link #settling}.
         */
        void until(java.util.function.BooleanSupplier done, long runSteps) {
            if (failed || done.getAsBoolean()) {
                return;
            }
            long start = System.nanoTime();
            loss = 0;
            chunkStart = start;
            chunkSteps = 0;
            compiling = Settling.jvmNanos();
            plan.stop = () -> {
                long now = System.nanoTime();
                if (now - chunkStart >= Settling.CHUNK_NANOS) {
                    chunk(now);
                }
                return done.getAsBoolean()
                        || runSteps > 0 && (steps >= runSteps || loss > Math.min(LOSS_NANOS, runSteps * settling.best() / 10)
                                || now - start >= MAX_MILLIS * 1_000_000L);
            };
            try {
                NncTraining.run(model, data, plan, this);
            } catch (NncTraining.Stopped e) {
                // done
            } catch (RuntimeException | StackOverflowError e) {
                failed = true; // a warm-up only: the real training meets whatever this was, and reports it
            }
        }

        private void chunk(long now) {
            long c = Settling.jvmNanos();
            long compiled = c < 0 || compiling < 0 ? -1 : Math.max(0, c - compiling);
            settling.chunk(now - chunkStart, chunkSteps, compiled);
            if (chunkSteps * flopsPerStep >= USEFUL_FLOPS_PER_NANO * (now - chunkStart)) {
                loss += chunkSteps * settling.best();
            }
            if (NncTimeline.on()) {
                NncTimeline.mark(String.format(java.util.Locale.ROOT, "warm-up: %d steps at %.1f us, JVM threads %.1f ms%s",
                        chunkSteps, (now - chunkStart) / 1e3 / chunkSteps, compiled / 1e6, warm() ? ", warm" : ""));
            }
            compiling = c;
            chunkStart = now;
            chunkSteps = 0;
        }

        @Override
        public void stepDone(int done, double lossSum) {
            steps++;
            chunkSteps++;
            STEPS.incrementAndGet();
        }

        @Override
        public void epochDone(EpochStats stats) {}
    }

    /**
     * Whether the JIT is done with a step, from the times of chunks of steps: warm when each of the
     * last {@link #SETTLED} chunks ran within {@link #SLOWER} of the fastest chunk's time per step
     * and the JVM's own threads (its compilers, its garbage collector; {@link #jvmNanos}) used less
     * than {@link #QUIET} of those chunks' time. A step stuck in C1's code is as steady as a compiled
     * one (with the Vector API, 40 ms a step for a second, then 40 us): the compilers are what tell
     * them apart. Where the JVM says neither, the chunks' times alone decide, over
     * {@link #SETTLED_BLIND} of them.
     *
     * <pre>
     *   chunk(20 ms, 1 step, 35 ms compiling)          -&gt;  not warm (C2 at work)
     *   chunk(20 ms, 480 steps, 0 ms compiling) x 5    -&gt;  warm
     * </pre>
     */
    static final class Settling {
        static final long CHUNK_NANOS = 20_000_000;
        static final int SETTLED = 5;
        static final int SETTLED_BLIND = 10;
        static final double SLOWER = 1.25;
        static final double QUIET = 0.1;

        private final double[] perStep = new double[SETTLED_BLIND];
        private final long[] nanos = new long[SETTLED_BLIND];
        private final long[] compiling = new long[SETTLED_BLIND];
        private int chunks;
        private double best = Double.MAX_VALUE;
        private boolean blind;

        /** A chunk of {@code steps} steps that took {@code took} ns, while the JVM's threads worked {@code jvmNanos} ns (-1: not known). */
        void chunk(long took, long steps, long jvmNanos) {
            int i = chunks++ % SETTLED_BLIND;
            perStep[i] = (double) took / steps;
            nanos[i] = took;
            compiling[i] = Math.max(0, jvmNanos);
            blind |= jvmNanos < 0;
            best = Math.min(best, perStep[i]);
        }

        boolean warm() {
            int need = blind ? SETTLED_BLIND : SETTLED;
            if (chunks < need) {
                return false;
            }
            long took = 0;
            long compiled = 0;
            for (int c = chunks - need; c < chunks; c++) {
                int i = c % SETTLED_BLIND;
                if (perStep[i] > SLOWER * best) {
                    return false;
                }
                took += nanos[i];
                compiled += compiling[i];
            }
            return blind || compiled < QUIET * took;
        }

        /** The fastest chunk's time per step in nanoseconds, or NaN (which compares false) before the first chunk. */
        double best() {
            return chunks == 0 ? Double.NaN : best;
        }

        /**
         * CPU nanoseconds the JVM's own threads (its compilers, its garbage collector) have used so
         * far: the process's CPU time less that of every Java thread. A compile counts while it
         * runs; the JIT's own total ({@code CompilationMXBean}) counts it only once it is done, and
         * C2 takes 0.3-0.5 s to compile a trainer's step of 1,500 bytecodes. Where the JVM does
         * not give CPU times, its compile time; -1 where it says neither.
         */
        static long jvmNanos() {
            try {
                if (CPU_TIMES) {
                    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                    com.sun.management.OperatingSystemMXBean os =
                            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                    long before = os.getProcessCpuTime();
                    long java = 0;
                    for (long id : threads.getAllThreadIds()) {
                        java += Math.max(0, threads.getThreadCpuTime(id)); // -1 for a thread that just ended
                    }
                    // the threads ran on while they were asked: the process's time halfway (within 0.1-0.5 ms)
                    return Math.max(0, (before + os.getProcessCpuTime()) / 2 - java);
                }
                java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
                return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() * 1_000_000 : -1;
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }

        /** Whether {@link #jvmNanos} counts CPU times (decided once, so that its values compare). */
        private static final boolean CPU_TIMES = cpuTimes();

        private static boolean cpuTimes() {
            try {
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        && os.getProcessCpuTime() >= 0 && threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
            } catch (RuntimeException | LinkageError e) {
                return false; // no jdk.management module: compile times
            }
        }
    }
}
