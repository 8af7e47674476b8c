package dev.nnc.emit;

import dev.nnc.lower.TrainerProgram;

/**
 * How the trainer's code is shaped, where more than one shape computes the same thing.
 *
 * @param batching which shape of training step the lower stage takes ({@link TrainerProgram#batched()})
 * @param vector   whether the batched products call the Vector API kernels ({@code NncGemmVector}),
 *                 which compiling and running the trainer then needs ({@code --add-modules jdk.incubator.vector})
 */
public record Codegen(TrainerProgram.Batching batching, boolean vector) {

    /** What {@code nnc compile} writes by default: plain Java that any JDK 17 compiles and runs without flags. */
    public static final Codegen DEFAULT = new Codegen(TrainerProgram.Batching.AUTO, false);
}
