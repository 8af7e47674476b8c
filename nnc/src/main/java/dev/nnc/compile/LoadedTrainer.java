package dev.nnc.compile;

import dev.nnc.emit.TrainerSource;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A generated trainer compiled in memory and loaded: {@code nnc train} runs it in-process through
 * its static {@code run(args, out, err)}, exactly as {@code java Trainer args} would run it.
 */
public final class LoadedTrainer {

    private final Method run;

    private LoadedTrainer(Method run) {
        this.run = run;
    }

    /** The generated class; the runtime library it uses is nnc's own. */
    public Class<?> trainerClass() {
        return run.getDeclaringClass();
    }

    public static LoadedTrainer load(TrainerSource source) {
        return of(InMemoryCompiler.compile(source));
    }

    /** The trainer a cache entry holds (no javac). */
    public static LoadedTrainer load(TrainerCache.Entry entry) {
        Warmup.stop();
        return of(InMemoryCompiler.load(entry.mainClass(), entry.classes()));
    }

    /**
     * Compiles {@code source} and loads the trainer; with a cache (not null), keeps it there under
     * {@code key} with {@code note} (see {@link TrainerCache.Entry}).
     */
    public static LoadedTrainer load(TrainerSource source, TrainerCache cache, String key, String note) {
        TrainerCache.Entry entry = new TrainerCache.Entry(InMemoryCompiler.qualified(source), InMemoryCompiler.classFiles(source), note);
        if (cache != null) {
            cache.put(key, entry);
        }
        return of(InMemoryCompiler.load(entry.mainClass(), entry.classes()));
    }

    private static LoadedTrainer of(Class<?> type) {
        try {
            return new LoadedTrainer(type.getMethod("run", String[].class, PrintStream.class, PrintStream.class));
        } catch (NoSuchMethodException e) {
            throw new InMemoryCompiler.Failure("the generated trainer has no run(String[], PrintStream, PrintStream)");
        }
    }

    /** The trainer's exit code for {@code args}; results on {@code out}, messages on {@code err}. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return (Integer) run.invoke(null, args, out, err);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err2) {
                throw err2;
            }
            throw new IllegalStateException(cause);
        }
    }
}
