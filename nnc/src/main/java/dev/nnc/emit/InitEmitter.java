package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import dev.nnc.lower.ParamInit;
import dev.nnc.lower.Var;
import dev.nnc.tensor.Shape;

/**
 * A parameter's initialization ({@link ParamInit}, resolved by the lower stage) as Java: drawing from
 * the shared stream in row-major order with the same arithmetic as {@link dev.nnc.eval.ParamInit},
 * so a seed gives the same weights in nnc and here.
 */
final class InitEmitter {

    private final Types t;

    InitEmitter(Types t) {
        this.t = t;
    }

    CodeBlock init(ParamInit p) {
        Var v = p.param();
        Shape s = v.shape();
        CodeBlock value;
        ParamInit.Distribution d = p.distribution();
        if (d instanceof ParamInit.Distribution.Values values) {
            return literal(v, values.values());
        } else if (d instanceof ParamInit.Distribution.Fill f) {
            value = t.literal(f.value());
        } else if (d instanceof ParamInit.Distribution.Uniform u) {
            value = uniform(u.low(), u.high());
        } else {
            ParamInit.Distribution.Normal n = (ParamInit.Distribution.Normal) d;
            value = normal(n.mean(), n.std());
        }
        CodeBlock.Builder b = CodeBlock.builder().add("// $L $L\n", p.name(), p.text());
        if (s.isScalar()) {
            return b.addStatement("$N = $L", v.name(), value).build();
        }
        if (s.rank() == 1) {
            return b.beginControlFlow("for (int i = 0; i < $L; i++)", s.dim(0)).addStatement("$N[i] = $L", v.name(), value)
                    .endControlFlow().build();
        }
        return b.beginControlFlow("for (int i = 0; i < $L; i++)", s.dim(0)).beginControlFlow("for (int j = 0; j < $L; j++)", s.dim(1))
                .addStatement("$N[i][j] = $L", v.name(), value).endControlFlow().endControlFlow().build();
    }

    private CodeBlock uniform(double low, double high) {
        return t.cast(CodeBlock.of("($L + ($L - $L) * random.nextDouble())", d(low), d(high), d(low)));
    }

    private CodeBlock normal(double mean, double std) {
        return t.cast(CodeBlock.of("($L + $L * random.nextGaussian())", d(mean), d(std)));
    }

    private static CodeBlock d(double v) {
        String text = Double.toString(v);
        return v < 0 ? CodeBlock.of("($L)", text) : CodeBlock.of("$L", text);
    }

    private CodeBlock literal(Var v, dev.nnc.tensor.Tensor value) {
        CodeBlock.Builder b = CodeBlock.builder().add("// $N = $L\n", v.name(), value.toString());
        Shape s = value.shape();
        if (s.isScalar()) {
            return b.addStatement("$N = $L", v.name(), t.literal(value.get(0))).build();
        }
        int cols = s.dim(s.rank() - 1);
        for (int i = 0; i < value.size(); i++) {
            if (s.rank() == 1) {
                b.addStatement("$N[$L] = $L", v.name(), i, t.literal(value.get(i)));
            } else {
                b.addStatement("$N[$L][$L] = $L", v.name(), i / cols, i % cols, t.literal(value.get(i)));
            }
        }
        return b.build();
    }
}
