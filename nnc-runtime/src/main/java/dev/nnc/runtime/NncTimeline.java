package dev.nnc.runtime;

/**
 * Where the time of a run goes: with the environment variable {@code NNC_TIMELINE=1}, nnc and the
 * trainer print {@code [timeline] 412 ms  first step} on stderr at each phase, in milliseconds
 * since the process started (what {@code docs/performance.md} breaks a whole run down by).
 * Without it, {@link #mark} does nothing but test one boolean.
 */
public final class NncTimeline {

    private static final String SETTING = System.getenv("NNC_TIMELINE");
    private static final boolean ON = SETTING != null && SETTING.matches("1|[0-9]{13}");
    /** Process start, or the epoch milliseconds {@code NNC_TIMELINE} gives (a script's {@code date +%s%3N}). */
    private static final long START = !ON ? 0 : SETTING.length() == 13 ? Long.parseLong(SETTING)
            : ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());

    private NncTimeline() {}

    /** Whether the timeline is printed. */
    public static boolean on() {
        return ON;
    }

    /** Prints the phase {@code what} with the time since the process started, when the timeline is on. */
    public static void mark(String what) {
        if (ON) {
            System.err.println("[timeline] " + (System.currentTimeMillis() - START) + " ms  " + what);
        }
    }
}
