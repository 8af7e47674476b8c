package dev.nnc.emit;

import dev.nnc.runtime.Embedded;

/**
 * A generated trainer: the file {@code className}.java, the generated class followed by the
 * runtime classes that drive it, so that {@code javac ClassName.java} needs nothing else.
 *
 * @param modelText the generated class alone (with its package line), without the runtime
 * @param vector    whether its products use the Vector API: compiling and running it then needs
 *                  {@code --add-modules jdk.incubator.vector}
 */
public record TrainerSource(String packageName, String className, String modelText, boolean vector) {

    /** The whole file: the generated class, then the runtime ({@link Embedded#files(boolean)}). */
    public String text() {
        return modelText + "\n" + Embedded.supportSource(vector);
    }

    public String fileName() {
        return className + ".java";
    }
}
