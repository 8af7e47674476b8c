package dev.nnc.spark;

import dev.nnc.Pipeline;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import dev.nnc.compile.InMemoryCompiler;
import dev.nnc.emit.TrainerSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A {@code .nn} compiled on the driver into a jar of its generated classes (the runtime excluded:
 * the executors have it), to hand to {@code SparkContext.addJar} and to load on the driver.
 * <pre>
 *   samples/xor.nn  ->  /tmp/x/xor.jar holding Xor.class, Xor$Work.class ...; className "Xor"
 * </pre>
 */
record ModelJar(Path jar, String className) {

    /** Compiles {@code nn}'s model (forced to f64 when {@code f64}) into {@code jar}. */
    static ModelJar compile(Path nn, boolean f64, Path jar) {
        CheckedModel model = Pipeline.check(nn, null);
        if (f64) {
            model = model.withTrain(model.train().withDType(TrainConfig.DType.F64));
        }
        Path dir = nn.toAbsolutePath().normalize().getParent();
        TrainerSource source = Pipeline.generate(model, null, null, dir == null ? null : dir.toString());
        Map<String, byte[]> classes = InMemoryCompiler.classFiles(source);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                out.write(c.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
        String className = source.packageName().isEmpty() ? source.className() : source.packageName() + "." + source.className();
        return new ModelJar(jar, className);
    }

    /** A class loader that sees the jar's classes and, through {@code parent}, the runtime. */
    ClassLoader loader(ClassLoader parent) {
        try {
            return new URLClassLoader(new URL[] {jar.toUri().toURL()}, parent);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(jar + " has no URL", e);
        }
    }
}
