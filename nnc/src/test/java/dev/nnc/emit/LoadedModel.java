package dev.nnc.emit;

import dev.nnc.compile.InMemoryCompiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One instance of a generated trainer class, driven through its {@code NncModel} methods by
 * reflection, so that the tests also reach its package-private helpers such as {@code inlineData}.
 */
final class LoadedModel {

    /** The generated class, with the static helpers. */
    private final Class<?> outer;
    /** Its training buffers ({@code Work}), which implement {@code NncModel}. */
    private final Class<?> type;
    private final Object instance;

    private LoadedModel(Class<?> outer, Object instance) {
        this.outer = outer;
        this.type = instance.getClass();
        this.instance = instance;
    }

    /** A fresh trainer of class {@code type}, its parameters drawn from {@code seed}. */
    static LoadedModel create(Class<?> type, long seed) {
        try {
            var constructor = type.getDeclaredConstructor(long.class);
            constructor.setAccessible(true);
            return new LoadedModel(type, dev.nnc.runtime.Support.trainer(constructor.newInstance(seed)));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + type.getName(), e);
        }
    }

    /** {@code useData(inlineData())}: the samples of the model's data block. */
    void useInlineData() {
        Method inline = staticMethod("inlineData");
        Object data = call(inline, null);
        call(method("useData", inline.getReturnType()), instance, data);
    }

    /**
     * Switches dropout off (its masks then are all ones, as the evaluator's): a model without
     * dropout has no generator, and nothing changes.
     */
    void withoutDropout() {
        Object dropout = declares("dropout") ? call(method("dropout"), instance) : null;
        if (dropout != null) {
            ((dev.nnc.runtime.NncDropout) dropout).active(false);
        }
    }

    double gradients(int[] order, int from, int to) {
        return (Double) call(method("gradients", int[].class, int.class, int.class), instance, order, from, to);
    }

    double[][] gradients() {
        return (double[][]) call(method("gradients"), instance);
    }

    void update() {
        call(method("update"), instance);
    }

    /** The dry run of the next update: the first parameter it would make non-finite, or -1. */
    int nonFiniteStep() {
        return (Integer) call(method("nonFiniteStep"), instance);
    }

    double evaluate(int s) {
        return (Double) call(method("evaluate", int.class), instance, s);
    }

    /** How many samples the trainer evaluates at once: 1 when it has only the per-sample pass. */
    int evaluationRows() {
        return declares("evaluationRows") ? (Integer) call(method("evaluationRows"), instance) : 1;
    }

    double evaluateRows(int from, int nb) {
        return (Double) call(method("evaluateRows", int.class, int.class), instance, from, nb);
    }

    double[] outputRow(int r) {
        double[] into = new double[(Integer) call(method("outputSize"), instance)];
        call(method("outputRow", int.class, double[].class), instance, r, into);
        return into;
    }

    private boolean declares(String name) {
        return java.util.Arrays.stream(type.getDeclaredMethods()).anyMatch(m -> m.getName().equals(name));
    }

    void predict(int s) {
        call(method("predict", int.class), instance, s);
    }

    /** The output of the last evaluate or predict, flat. */
    double[] output() {
        double[] into = new double[(Integer) call(method("outputSize"), instance)];
        call(method("output", double[].class), instance, (Object) into);
        return into;
    }

    /** {@code predict(in, out)} of an f64 trainer: the output of the sample {@code in}. */
    double[] predict(double[] in) {
        double[] out = new double[(Integer) call(method("outputSize"), instance)];
        call(method("predict", double[].class, double[].class), instance, in, out);
        return out;
    }

    double[][] weights() {
        return (double[][]) call(method("weights"), instance);
    }

    String[] paramNames() {
        return (String[]) call(method("paramNames"), instance);
    }

    boolean f64() {
        return (Boolean) call(method("f64"), instance);
    }

    private Method staticMethod(String name) {
        try {
            Method m = outer.getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(outer.getName() + " has no method " + name, e);
        }
    }

    private Method method(String name, Class<?>... parameters) {
        try {
            Method m = type.getDeclaredMethod(name, parameters);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(type.getName() + " has no method " + name, e);
        }
    }

    private static Object call(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError(cause);
        }
    }

    /**
     * Compiles many generated model classes in one javac run against the runtime library: javac's
     * fixed cost per run would otherwise dominate a test of hundreds of small models. Each class keeps
     * its generated text; only the first stays {@code public} (a file has one public class), the others
     * become package-private top-level classes of the same file.
     */
    static List<Class<?>> compileTogether(List<TrainerSource> sources) {
        Set<String> imports = new LinkedHashSet<>();
        StringBuilder classes = new StringBuilder();
        for (int k = 0; k < sources.size(); k++) {
            TrainerSource source = sources.get(k);
            String generated = source.modelText();
            StringBuilder body = new StringBuilder();
            for (String line : generated.split("\n", -1)) {
                if (line.startsWith("import ")) {
                    imports.add(line);
                } else {
                    body.append(line).append('\n');
                }
            }
            String cls = body.toString().strip();
            if (k > 0) {
                String header = "public final class " + source.className() + " ";
                if (!cls.contains(header)) {
                    throw new AssertionError("no '" + header + "' in the generated trainer");
                }
                cls = cls.replace(header, "final class " + source.className() + " ");
            }
            classes.append(cls).append("\n\n");
        }
        String file = String.join("\n", imports) + "\n\n" + classes;
        Class<?> first = InMemoryCompiler.compile("", sources.get(0).className(), file);
        List<Class<?>> loaded = new ArrayList<>();
        loaded.add(first);
        for (int k = 1; k < sources.size(); k++) {
            try {
                loaded.add(first.getClassLoader().loadClass(sources.get(k).className()));
            } catch (ClassNotFoundException e) {
                throw new AssertionError("javac produced no class " + sources.get(k).className(), e);
            }
        }
        return loaded;
    }
}
