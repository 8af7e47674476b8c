package dev.nnc.emit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generated model class and how it ships: on its own against the runtime library (the default:
 * it imports {@code dev.nnc.runtime}), with the library's sources beside it ({@link #files(boolean)}),
 * or as one self-contained file ({@link #text()}) that {@code java Name.java} runs.
 *
 * @param modelText the generated class alone (with its package line and imports), without the runtime
 * @param vector    whether its products use the Vector API: compiling and running it then needs
 *                  {@code --add-modules jdk.incubator.vector}
 */
public record TrainerSource(String packageName, String className, String modelText, boolean vector) {

    /**
     * The single file: the generated class without its imports of the runtime, followed by the runtime
     * as package-private classes of the same package ({@link RuntimeSources#appendix(boolean)}).
     */
    public String text() {
        String alone = modelText.replaceAll("(?m)^import " + Runtime.PACKAGE.replace(".", "\\.") + "\\.[A-Za-z0-9_.]+;\n", "");
        if (alone.contains(Runtime.PACKAGE + ".")) {
            throw new IllegalStateException("the generated class " + className + " names the runtime by a qualified name,"
                    + " which a single file cannot resolve");
        }
        return alone + "\n" + RuntimeSources.appendix(vector);
    }

    public String fileName() {
        return className + ".java";
    }

    /** {@code packageName} as a relative folder, {@code ""} for the default package. */
    public String folder() {
        return packageName == null || packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
    }

    /**
     * What {@code nnc compile} writes, by path relative to the output folder: the class in its
     * package's folder, and unless {@code modelOnly} the runtime's sources under {@code dev/nnc/runtime/}.
     */
    public Map<String, String> files(boolean modelOnly) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(folder() + fileName(), modelText);
        if (!modelOnly) {
            String runtimeFolder = Runtime.PACKAGE.replace('.', '/') + "/";
            RuntimeSources.files(vector).forEach((name, text) -> files.put(runtimeFolder + name + ".java", text));
        }
        return files;
    }
}
