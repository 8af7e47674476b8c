package dev.nnc.compile;

import java.util.Set;

/**
 * Gets javac going on a second thread while the main one parses, derives and emits: for the
 * commands that compile a trainer, {@code nnc}'s main starts it first thing. It compiles small
 * trainer-shaped classes ({@link WarmupSource}) until the real compile stops it, which then finds
 * javac's classes loaded and partly JIT-compiled (and the file manager open). {@code -Dnnc.warmup=false}
 * turns it off, to measure what it saves.
 *
 * <pre>
 *   Warmup.start(["train", "xor.nn"])  -&gt;  thread "nnc-javac-warmup" compiling small classes
 *   Warmup.start(["check", "xor.nn"])  -&gt;  nothing
 * </pre>
 */
public final class Warmup {

    /** The subcommands that compile a trainer in memory. */
    static final Set<String> COMMANDS = Set.of("train", "eval", "predict", "gradcheck", "bench");

    /** Long enough for any warm-up; a compile never waits longer than this for one. */
    private static final long MAX_WAIT_MILLIS = 10_000;

    private static Thread thread;

    private Warmup() {}

    /** Starts the warm-up when {@code args} (nnc's command line) name a command that compiles a trainer. */
    public static void start(String[] args) {
        if (!"false".equals(System.getProperty("nnc.warmup")) && compiles(args) && !cached(args)) {
            start();
        }
    }

    /**
     * Whether the trainer cache holds a trainer of the file the command names (the first argument
     * after the command that is a readable file): then javac may not run at all, and warming it
     * would only take the CPU from the parse.
     */
    static boolean cached(String[] args) {
        boolean afterCommand = false;
        for (String a : args) {
            if (!afterCommand) {
                afterCommand = !a.startsWith("-");
                continue;
            }
            if (a.startsWith("-")) {
                continue;
            }
            try {
                java.nio.file.Path file = java.nio.file.Path.of(a);
                if (java.nio.file.Files.isRegularFile(file)) {
                    return TrainerCache.hasAnyFor(dev.nnc.syntax.SourceReader.read(file).text());
                }
            } catch (RuntimeException e) {
                return false; // not a path, unreadable: the command reports it
            }
        }
        return false;
    }

    /** Whether nnc's command line {@code args} run a command that compiles a trainer: its first word is one. */
    static boolean compiles(String[] args) {
        String command = command(args);
        return command != null && COMMANDS.contains(command);
    }

    /**
     * The command word of nnc's arguments, the first that is not an option ({@code train} in
     * {@code --debug train m.nn}), or null: what the steps before picocli's parse look at.
     */
    public static String command(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** Starts the warm-up, once per JVM. */
    public static synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(Warmup::warmUp, "nnc-javac-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static volatile boolean stopping;

    /** Stops a warm-up started, if any, and waits for it to end (within one of javac's phases). */
    static void stop() {
        stopping = true;
        Thread t;
        synchronized (Warmup.class) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        try {
            t.join(MAX_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void warmUp() {
        try {
            InMemoryCompiler.warmUp(() -> stopping);
        } catch (RuntimeException | LinkageError e) {
            // only ever an optimization: the real compile reports what goes wrong
        }
    }
}
