package dev.nnc.emit;

/**
 * A generated trainer: the file {@code className}.java, the generated class followed by the
 * runtime classes that drive it, so that {@code javac ClassName.java} needs nothing else.
 */
public record TrainerSource(String packageName, String className, String text) {

    public String fileName() {
        return className + ".java";
    }
}
