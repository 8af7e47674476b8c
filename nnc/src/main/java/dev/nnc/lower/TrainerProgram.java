package dev.nnc.lower;

import dev.nnc.check.BinaryClassifier;
import dev.nnc.check.CheckedModel;
import dev.nnc.check.TrainConfig;
import java.util.List;

/**
 * Everything a back end needs to write a model's trainer, decided here and target-neutral: the
 * model's per-sample variables, its train block, how each parameter starts, and the three loop
 * programs (the training step, the evaluation, the prediction). The optimizer's update is data of its
 * own ({@link TrainConfig#optimizer()}, from {@code dev.nnc.optim}). {@link LoopPrinter} prints it;
 * the emitter only writes it out as Java.
 *
 * @param inputs  the model's inputs, in declaration order
 * @param targets its targets (a onehot target's sample is a class label)
 * @param output  the name its {@code output} gives, or null when it declares none
 * @param data      the model's inline data block, or null
 * @param trainRows the training step over rows of samples, or null when it runs sample by sample
 * @param evalRows  the evaluation over rows (the test data's), or null
 * @param binary    how accuracy reads the output of a binary classifier, or null when the model is none
 */
public record TrainerProgram(String model, TrainConfig config, List<CheckedModel.Variable> inputs,
        List<CheckedModel.Variable> targets, String output, CheckedModel.InlineData data, List<ParamInit> init,
        LoopProgram train, LoopProgram infer, LoopProgram predict, RowProgram trainRows, RowProgram evalRows,
        BinaryClassifier binary) {

    /** Which shape of training step to take, where both compute the same thing. */
    public enum Batching {
        /** Over rows when the model's products are large enough to gain ({@link Lowering#trainer}). */
        AUTO,
        /** Over rows whenever the program allows it (tests of the step over rows on small models). */
        ALWAYS,
        /** Sample by sample. */
        NEVER
    }

    /** Whether the training step runs over rows of samples. */
    public boolean batched() {
        return trainRows != null;
    }

    public TrainerProgram {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        init = List.copyOf(init);
    }
}
