package dev.nnc.lower;

import dev.nnc.tensor.Shape;

/**
 * A named storage place of the loop program: a scalar local or an array allocated once.
 *
 * @param name a Java identifier, stable and readable: {@code W1}, {@code h1_W}, {@code dW1}, {@code t17}
 */
public record Var(String name, Shape shape, Role role) {

    public enum Role {
        /** A learned parameter. */
        PARAM,
        /** A parameter's gradient, summed over the samples of a mini-batch. */
        GRAD,
        /** One sample's input or (non-onehot) target, copied from the data set. */
        SAMPLE,
        /** One sample's class label of a onehot target (an int). */
        LABEL,
        /** A constant tensor, baked into the class. */
        CONST,
        /** A value of one sample: forward values kept for the backward pass, and temporaries. */
        TEMP
    }

    public boolean isScalar() {
        return shape.isScalar();
    }
}
