package dev.nnc.lower;

import dev.nnc.check.CheckedModel;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;

/**
 * How one parameter starts, resolved to what a back end draws: a constant, given values, or a
 * uniform or normal distribution with its numbers (xavier and he become the uniform and normal they
 * stand for, from the parameter's fan-in and fan-out). Every back end draws from one stream in the
 * parameters' order, row-major, with the arithmetic of {@link dev.nnc.eval.ParamInit}.
 *
 * <pre>
 *   param W[128, 784] ~ he   -&gt;   ParamInit(W, Normal(0, 0.0505...), "~ he: normal(0, sqrt(2 / fan_in))")
 * </pre>
 *
 * @param name  the parameter's name in the {@code .nn} ({@code h1.W}; its buffer is {@code param}, {@code h1_W})
 * @param text  how the {@code .nn} said it, for the comment above the generated loop
 */
public record ParamInit(String name, Var param, Distribution distribution, String text) {

    /** What is drawn or set for every element. */
    public sealed interface Distribution {
        /** Every element {@code value}. */
        record Fill(double value) implements Distribution {}

        /** The elements as given, row-major. */
        record Values(Tensor values) implements Distribution {}

        /** {@code low + (high - low) * u}, u uniform in [0, 1). */
        record Uniform(double low, double high) implements Distribution {}

        /** {@code mean + std * g}, g standard normal. */
        record Normal(double mean, double std) implements Distribution {}
    }

    /** The parameter's initializer as the checker gave it, resolved. */
    static ParamInit of(CheckedModel.Param p, Var v) {
        Shape s = p.shape();
        CheckedModel.Init init = p.init();
        if (init instanceof CheckedModel.Init.Fill f) {
            return new ParamInit(p.name(), v, new Distribution.Fill(f.value()), "= " + f.value());
        } else if (init instanceof CheckedModel.Init.Literal l) {
            return new ParamInit(p.name(), v, new Distribution.Values(l.value()), "= " + l.value());
        } else if (init instanceof CheckedModel.Init.Uniform u) {
            return new ParamInit(p.name(), v, new Distribution.Uniform(u.low(), u.high()), "~ uniform(" + u.low() + ", " + u.high() + ")");
        } else if (init instanceof CheckedModel.Init.Normal n) {
            return new ParamInit(p.name(), v, new Distribution.Normal(n.mean(), n.std()), "~ normal(" + n.mean() + ", " + n.std() + ")");
        } else if (init instanceof CheckedModel.Init.Xavier) {
            double bound = Math.sqrt(6.0 / (s.dim(0) + s.dim(1)));
            return new ParamInit(p.name(), v, new Distribution.Uniform(-bound, bound), "~ xavier: uniform(-b, b), b = sqrt(6 / (fan_in + fan_out))");
        }
        return new ParamInit(p.name(), v, new Distribution.Normal(0, Math.sqrt(2.0 / s.dim(1))), "~ he: normal(0, sqrt(2 / fan_in))");
    }
}
