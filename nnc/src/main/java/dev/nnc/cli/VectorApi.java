package dev.nnc.cli;

/**
 * Whether this JVM can run trainers whose products use the Vector API: the incubating module
 * {@code jdk.incubator.vector} is resolved only when the JVM starts with
 * {@code --add-modules jdk.incubator.vector} (which {@link Relaunch} adds for the commands that train).
 */
final class VectorApi {

    static final String MODULE = "jdk.incubator.vector";

    private VectorApi() {}

    /** The module is loaded in this JVM: generated code may use it. */
    static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** The JDK has the module, so a JVM started with {@code --add-modules} would have it. */
    static boolean installed() {
        return java.lang.module.ModuleFinder.ofSystem().find(MODULE).isPresent();
    }
}
