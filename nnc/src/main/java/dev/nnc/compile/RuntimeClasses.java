package dev.nnc.compile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime library's class files ({@code nnc-runtime}, loaded in this JVM), as javac's class path
 * for a generated class: the library's build lists them in {@code nnc-runtime-src/classes.txt}, and
 * the bytes are read from the library's own jar or folder through this class loader, so the class
 * the generated code is compiled against is the class it then runs with.
 *
 * <pre>
 *   all()  -&gt;  {dev.nnc.runtime.NncDriver -&gt; bytes, dev.nnc.runtime.NncDriver$Defaults -&gt; bytes, ...}
 * </pre>
 */
final class RuntimeClasses {

    static final String PACKAGE = "dev.nnc.runtime";
    private static final String INDEX = "/nnc-runtime-src/classes.txt";

    private static final Object LOCK = new Object();
    private static Map<String, byte[]> all;

    private RuntimeClasses() {}

    /** Every class of the library by binary name, read once per JVM. */
    static Map<String, byte[]> all() {
        synchronized (LOCK) {
            if (all == null) {
                all = load();
            }
            return all;
        }
    }

    private static Map<String, byte[]> load() {
        byte[] index = resource(INDEX);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String file : new String(index, StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (file.endsWith(".class")) {
                String simple = file.substring(0, file.length() - ".class".length());
                classes.put(PACKAGE + "." + simple, resource("/" + PACKAGE.replace('.', '/') + "/" + file));
            }
        }
        return Collections.unmodifiableMap(classes);
    }

    private static byte[] resource(String name) {
        try (InputStream in = RuntimeClasses.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing: nnc-runtime is not on nnc's class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
