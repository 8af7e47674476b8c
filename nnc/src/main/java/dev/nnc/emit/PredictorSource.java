package dev.nnc.emit;

/**
 * A generated predictor class: one file, which needs nothing but the JDK.
 *
 * @param text the whole file, with its package line and imports
 */
public record PredictorSource(String packageName, String className, String text) {

    /** Where it goes under a source folder: {@code com/acme/XorPredictor.java}. */
    public String path() {
        return (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + className + ".java";
    }
}
