package dev.nnc.compile;

import dev.nnc.runtime.Embedded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The trainers' runtime ({@link Embedded#files(boolean)}) precompiled by the build as classes of the
 * default package, exactly the text a trainer file appends (package line stripped), so that a trainer
 * of the default package needs only its generated class compiled: the class files are resources under
 * {@value #FOLDER}, listed in {@code index.txt} (see pom.xml, execution {@code nnc-runtime-classes}).
 *
 * <pre>
 *   forTrainer(false)  -&gt;  {NncDriver -&gt; bytes, NncDriver$Defaults -&gt; bytes, ..., NncPool -&gt; bytes}
 * </pre>
 */
final class RuntimeClasses {

    /** Outside any package folder, so that no class loader finds these classes by accident. */
    static final String FOLDER = "/nnc-runtime-classes/";

    private static final Object LOCK = new Object();
    private static Map<String, byte[]> all;
    private static boolean read;

    private RuntimeClasses() {}

    /**
     * The binary names and bytes of the runtime classes a trainer of the default package needs
     * (with the Vector API kernels when {@code vector}), or null when this build shipped no
     * precompiled runtime or not all of it: the caller then compiles the whole trainer text.
     */
    static Map<String, byte[]> forTrainer(boolean vector) {
        return select(all(), vector);
    }

    /** Those of {@code classes} a trainer needs: all but the Vector API kernels unless {@code vector}; null if one is missing. */
    static Map<String, byte[]> select(Map<String, byte[]> classes, boolean vector) {
        if (classes == null) {
            return null;
        }
        Set<String> vectorOnly = new HashSet<>(Embedded.files(true));
        vectorOnly.removeAll(Embedded.files(false));
        Set<String> present = new HashSet<>();
        Map<String, byte[]> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            String top = topLevel(e.getKey());
            if (!vector && vectorOnly.contains(top)) {
                continue;
            }
            if (top.equals(e.getKey())) {
                present.add(top);
            }
            chosen.put(e.getKey(), e.getValue());
        }
        return present.containsAll(Embedded.files(vector)) ? Collections.unmodifiableMap(chosen) : null;
    }

    /** {@code NncDriver$Defaults} -&gt; {@code NncDriver}. */
    static String topLevel(String binaryName) {
        int dollar = binaryName.indexOf('$');
        return dollar < 0 ? binaryName : binaryName.substring(0, dollar);
    }

    /** Every class file of the index, read once per JVM; null when the index or a file is missing. */
    static Map<String, byte[]> all() {
        synchronized (LOCK) {
            if (!read) {
                all = load();
                read = true;
            }
            return all;
        }
    }

    private static Map<String, byte[]> load() {
        byte[] index = resource(FOLDER + "index.txt");
        if (index == null) {
            return null;
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String file : new String(index, StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (!file.endsWith(".class")) {
                continue;
            }
            byte[] bytes = resource(FOLDER + file);
            if (bytes == null) {
                return null;
            }
            classes.put(file.substring(0, file.length() - ".class".length()), bytes);
        }
        return classes.isEmpty() ? null : Collections.unmodifiableMap(classes);
    }

    private static byte[] resource(String name) {
        try (InputStream in = RuntimeClasses.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
