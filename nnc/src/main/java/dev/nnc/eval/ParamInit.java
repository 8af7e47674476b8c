package dev.nnc.eval;

import dev.nnc.check.CheckedModel;
import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The initial parameters of a model, from its seed: one {@link SplitMix64} stream, the parameters
 * drawn in declaration order, each row-major. Xavier is uniform(-b, b) with
 * {@code b = sqrt(6 / (fan_in + fan_out))}; He is normal(0, sqrt(2 / fan_in)); for a matrix
 * {@code [out, in]} fan-in is {@code in}, as in PyTorch.
 */
public final class ParamInit {

    private ParamInit() {}

    public static Map<String, Tensor> initialize(CheckedModel model, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (CheckedModel.Param p : model.params()) {
            values.put(p.name(), new Tensor(p.shape(), draw(p.init(), p.shape(), random)));
        }
        return values;
    }

    private static double[] draw(CheckedModel.Init init, Shape shape, SplitMix64 random) {
        double[] v = new double[(int) shape.size()];
        if (init instanceof CheckedModel.Init.Fill f) {
            java.util.Arrays.fill(v, f.value());
        } else if (init instanceof CheckedModel.Init.Literal l) {
            v = l.value().toArray();
        } else if (init instanceof CheckedModel.Init.Uniform u) {
            uniform(v, u.low(), u.high(), random);
        } else if (init instanceof CheckedModel.Init.Normal n) {
            normal(v, n.mean(), n.std(), random);
        } else if (init instanceof CheckedModel.Init.Xavier) {
            double bound = Math.sqrt(6.0 / (shape.dim(0) + shape.dim(1)));
            uniform(v, -bound, bound, random);
        } else if (init instanceof CheckedModel.Init.He) {
            normal(v, 0, Math.sqrt(2.0 / shape.dim(1)), random);
        }
        return v;
    }

    private static void uniform(double[] v, double low, double high, SplitMix64 random) {
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * random.nextDouble();
        }
    }

    private static void normal(double[] v, double mean, double std, SplitMix64 random) {
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * random.nextGaussian();
        }
    }
}
