package dev.nnc.lower;

import dev.nnc.check.TrainConfig;
import dev.nnc.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The loop program of one sample: the descriptor the emitter writes out. Buffers are named and
 * sized here once; {@code steps} run in order for every sample; gradients are added into
 * {@code grads} (in the order of {@code params}).
 *
 * @param constants constant tensors by variable name, in the order they were found (the order of their fields)
 * @param temps     the per-sample values, allocated once
 * @param loss      the loss, or null in a prediction program
 * @param output    the value {@code output} names (evaluation and prediction programs), or null
 */
public record LoopProgram(
        String model, TrainConfig.DType dtype, List<Var> inputs, List<Var> targets, List<Var> params,
        List<Var> grads, Map<String, Tensor> constants, List<Var> temps, List<Step> steps, Var loss, Var output) {

    public LoopProgram {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        params = List.copyOf(params);
        grads = List.copyOf(grads);
        // not Map.copyOf: its iteration order changes from JVM to JVM, and the emitter declares the fields in it
        constants = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(constants));
        temps = List.copyOf(temps);
        steps = List.copyOf(steps);
    }
}
