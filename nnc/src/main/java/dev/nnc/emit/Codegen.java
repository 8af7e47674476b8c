package dev.nnc.emit;

/**
 * How the trainer's code is shaped, where more than one shape computes the same thing.
 *
 * @param batching whether the training step runs over the mini-batch at once ({@link BatchEmitter})
 *                 or sample by sample
 * @param vector   whether the batched products call the Vector API kernels ({@code NncGemmVector}),
 *                 which compiling and running the trainer then needs ({@code --add-modules jdk.incubator.vector})
 */
public record Codegen(Batching batching, boolean vector) {

    public enum Batching {
        /** Batched when the model's products are large enough to gain ({@link TrainerEmitter#batched}). */
        AUTO,
        /** Batched whenever the program allows it (tests of the batched code on small models). */
        ALWAYS,
        /** Sample by sample. */
        NEVER
    }

    /** What {@code nnc compile} writes by default: plain Java that any JDK 17 compiles and runs without flags. */
    public static final Codegen DEFAULT = new Codegen(Batching.AUTO, false);
}
