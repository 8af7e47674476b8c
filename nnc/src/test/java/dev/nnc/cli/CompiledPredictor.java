package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * A predictor as a user gets it: written by {@code nnc compile --predictor}, compiled by a plain javac
 * with an empty class path, loaded by a class loader that sees the JDK and nothing else (so no class
 * of nnc or its runtime can be reached), with a small driver class compiled beside it that calls
 * {@code predict(input, output)} in a loop (for allocation counts free of reflection).
 */
final class CompiledPredictor {

    final String source;
    final Path file;
    final Class<?> type;
    final Object instance;
    final boolean f64;
    private final Class<?> driver;

    private CompiledPredictor(String source, Path file, Class<?> type, Class<?> driver, boolean f64) throws ReflectiveOperationException {
        this.source = source;
        this.file = file;
        this.type = type;
        this.driver = driver;
        this.f64 = f64;
        this.instance = type.getConstructor().newInstance();
    }

    /** {@code nnc compile model --predictor --weights weights -o dir/src (extra flags)}, then javac and load. */
    static CompiledPredictor build(Path model, String modelName, Path weights, Path dir, boolean f64, String... extra)
            throws IOException, ReflectiveOperationException {
        List<String> args = new java.util.ArrayList<>(List.of("compile", model.toString(), "-o", dir.resolve("src").toString(),
                "--predictor", "--weights", weights.toString(), "--json"));
        if (modelName != null) {
            args.addAll(List.of("--model", modelName));
        }
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.all());
        @SuppressWarnings("unchecked")
        List<Object> files = (List<Object>) ((Map<String, Object>) JsonReader.parse(run.out())).get("files");
        assertEquals(1, files.size(), run.out());
        Path file = Path.of((String) files.get(0));
        String source = Files.readString(file);
        String packageName = source.startsWith("package ") ? source.substring(8, source.indexOf(';')) : "";
        String simpleName = file.getFileName().toString().replace(".java", "");
        String className = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
        String scalar = f64 ? "double" : "float";
        Path driverFile = dir.resolve("driver").resolve("PredictLoop.java");
        Files.createDirectories(driverFile.getParent());
        Files.writeString(driverFile, (packageName.isEmpty() ? "" : "package " + packageName + ";\n")
                + "public final class PredictLoop {\n"
                + "    public static void run(" + simpleName + " p, " + scalar + "[] input, " + scalar + "[] output, int times) {\n"
                + "        for (int k = 0; k < times; k++) {\n"
                + "            p.predict(input, output);\n"
                + "        }\n"
                + "    }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, messages, messages, "-cp", "", "-Xlint:all", "-Werror",
                "-d", classes.toString(), file.toString(), driverFile.toString());
        assertEquals(0, code, "javac -cp '' -Xlint:all -Werror failed on " + file + ":\n" + messages);
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> type = loader.loadClass(className);
        Class<?> driver = loader.loadClass(packageName.isEmpty() ? "PredictLoop" : packageName + ".PredictLoop");
        return new CompiledPredictor(source, file, type, driver, f64);
    }

    int constant(String name) throws ReflectiveOperationException {
        return type.getField(name).getInt(null);
    }

    /** {@code predict(input)} in the predictor's precision; the input is given in double and narrowed for f32. */
    double[] predict(double[] input) throws Exception {
        Object in = f64 ? input : narrow(input);
        return widen(call(type.getMethod("predict", in.getClass()), in));
    }

    /** {@code predict(inputs)}, a row per sample. */
    double[][] predict(double[][] inputs) throws Exception {
        Object rows = f64 ? inputs : java.util.Arrays.stream(inputs).map(CompiledPredictor::narrow).toArray(float[][]::new);
        Object[] out = (Object[]) call(type.getMethod("predict", rows.getClass()), rows);
        double[][] result = new double[out.length][];
        for (int i = 0; i < out.length; i++) {
            result[i] = widen(out[i]);
        }
        return result;
    }

    /** Invokes a method of the predictor; what it throws is rethrown as itself. */
    Object call(Method m, Object... args) throws Exception {
        try {
            return m.invoke(instance, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    /** {@code times} calls of {@code predict(input, output)} from the driver, on this thread. */
    void loop(double[] input, int times) throws ReflectiveOperationException {
        Object in = f64 ? input : narrow(input);
        Object out = f64 ? new double[constant("OUTPUT_SIZE")] : new float[constant("OUTPUT_SIZE")];
        driver.getMethod("run", type, in.getClass(), out.getClass(), int.class).invoke(null, instance, in, out, times);
    }

    static float[] narrow(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] widen(Object values) {
        if (values instanceof double[] d) {
            return d;
        }
        float[] f = (float[]) values;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static void assertNoRuntime(String source) {
        assertFalse(source.contains("dev.nnc"), "the predictor names nnc's packages");
    }
}
