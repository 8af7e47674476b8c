package dev.nnc.runtime;

/**
 * Ctrl-C and SIGTERM during training (cli.md, "Interrupt"): the first asks the run to stop after
 * the step it is in ({@link #requested()}), so it can save the weights of that step and exit 130
 * or 143; a second one stops at once ({@code Runtime.halt}), after removing the temporary files
 * of writes in progress, so the files on disk are the ones there were before.
 * <pre>
 *   try (NncSignals signals = NncSignals.install()) {
 *       ... train, asking signals.requested() after every step ...
 *   }                                   // the JVM's own handling is back
 * </pre>
 * It uses the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by reflection
 * so the runtime compiles without warnings; where that is missing, signals keep the JVM's default
 * handling and {@link #requested()} stays 0.
 */
public final class NncSignals implements AutoCloseable {

    private static final String[] NAMES = {"INT", "TERM"};
    private static final int[] NUMBERS = {2, 15};

    /** The signal asked for (2 or 15), 0 while none. */
    private volatile int requested;
    private final Object[] previous = new Object[NAMES.length];
    private final Object[] signals = new Object[NAMES.length];
    private java.lang.reflect.Method handle;

    private NncSignals() {}

    /** Takes over SIGINT and SIGTERM until {@link #close()}. */
    static NncSignals install() {
        NncSignals s = new NncSignals();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            s.handle = signal.getMethod("handle", signal, handler);
            for (int k = 0; k < NAMES.length; k++) {
                int number = NUMBERS[k];
                Object proxy = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                        (self, method, args) -> {
                            if (method.getName().equals("handle")) {
                                s.signalled(number);
                                return null;
                            }
                            return method.getName().equals("hashCode") ? System.identityHashCode(self)
                                    : method.getName().equals("equals") ? self == args[0] : "NncSignals handler";
                        });
                s.signals[k] = signal.getConstructor(String.class).newInstance(NAMES[k]);
                s.previous[k] = s.handle.invoke(null, s.signals[k], proxy);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // no signal handling here (another JVM, or the signal is the JVM's own): the default stays
        }
        return s;
    }

    private void signalled(int number) {
        if (requested != 0) {
            NncFiles.removeUnfinished();
            Runtime.getRuntime().halt(128 + number);
        }
        requested = number;
    }

    /** The signal that asked the run to stop (2 for SIGINT, 15 for SIGTERM), or 0. */
    int requested() {
        return requested;
    }

    /** The exit code for the signal received: 130 or 143. */
    int exitCode() {
        return 128 + requested;
    }

    /** Gives SIGINT and SIGTERM back to the handlers they had. */
    @Override
    public void close() {
        for (int k = 0; k < NAMES.length; k++) {
            if (previous[k] != null) {
                try {
                    handle.invoke(null, signals[k], previous[k]);
                } catch (ReflectiveOperationException e) {
                    // the handler stays ours; it only sets a flag no one reads any more
                }
            }
        }
    }
}
