package dev.nnc.cli;

import dev.nnc.diag.UsageError;
import dev.nnc.emit.Codegen;
import dev.nnc.lower.TrainerProgram;
import picocli.CommandLine.Option;

/**
 * {@code --vector}, the one choice of kernels for compile, train and bench. Without it every
 * trainer, in nnc or written by {@code nnc compile}, runs the plain Java kernels, so nnc train and
 * the standalone trainer end with the same weights bit for bit; with it they both run the Vector
 * API's (faster on large layers; its fused multiply-adds round differently).
 */
public final class VectorOption {

    @Option(names = "--vector", description = "Matrix products with the Vector API (jdk.incubator.vector): faster on large"
            + " layers, results rounded differently from the plain kernels; the JVM needs --add-modules jdk.incubator.vector.")
    boolean vector;

    /** The code shape asked for; {@code --vector} in this JVM needs the module loaded ({@link Relaunch} sees to it). */
    Codegen codegen(boolean inThisJvm) {
        if (vector && inThisJvm && !VectorApi.available()) {
            throw new UsageError("--vector needs the module " + VectorApi.MODULE + ", which this JVM lacks"
                    + " (java --add-modules " + VectorApi.MODULE + " -jar nnc.jar ...)");
        }
        return new Codegen(TrainerProgram.Batching.AUTO, vector);
    }
}
