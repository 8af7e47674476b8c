package dev.nnc.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.check.TrainConfig;
import dev.nnc.lower.Var;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The parameter update after a mini-batch, with torch.optim's formulas (no weight decay):
 * SGD {@code m = momentum m + g; p -= lr m} (plain {@code p -= lr g} without momentum);
 * Adam {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 */
final class OptimizerEmitter {

    private final Types t;
    private final TrainConfig.Optimizer o;

    OptimizerEmitter(Types t, TrainConfig.Optimizer optimizer) {
        this.t = t;
        this.o = optimizer;
    }

    MethodSpec update(List<Var> params, List<Var> grads) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("update").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("One optimizer step from the mean gradients in the d* buffers.\n");
        boolean adam = o.kind() == TrainConfig.Optimizer.Kind.ADAM;
        if (adam) {
            m.addStatement("step++");
            m.addStatement("double bias1 = 1 - Math.pow($L, step)", o.beta1());
            m.addStatement("double bias2 = 1 - Math.pow($L, step)", o.beta2());
            m.addStatement("$T stepSize = $L", t.scalar(), t.cast(CodeBlock.of("(lr / bias1)")));
            m.addStatement("$T bias2Root = $L", t.scalar(), t.cast(CodeBlock.of("Math.sqrt(bias2)")));
        }
        for (int k = 0; k < params.size(); k++) {
            Var p = params.get(k);
            Var g = grads.get(k);
            m.addCode(elements(p, adam ? adam(p, g) : sgd(p, g)));
        }
        return m.build();
    }

    /** The update of one element {@code [i]} (or {@code [i][j]}, or a scalar) of {@code p}. */
    private CodeBlock sgd(Var p, Var g) {
        if (o.momentum() == 0) {
            return CodeBlock.of("$L -= lr * $L;\n", at(p), at(g));
        }
        Var mv = new Var("m_" + p.name(), p.shape(), Var.Role.TEMP);
        return CodeBlock.builder()
                .addStatement("$L = $L * $L + $L", at(mv), t.literal(o.momentum()), at(mv), at(g))
                .addStatement("$L -= lr * $L", at(p), at(mv)).build();
    }

    private CodeBlock adam(Var p, Var g) {
        Var mv = new Var("m_" + p.name(), p.shape(), Var.Role.TEMP);
        Var vv = new Var("v_" + p.name(), p.shape(), Var.Role.TEMP);
        return CodeBlock.builder()
                .addStatement("$T grad = $L", t.scalar(), at(g))
                .addStatement("$L = $L * $L + $L * grad", at(mv), t.literal(o.beta1()), at(mv), t.literal(1 - o.beta1()))
                .addStatement("$L = $L * $L + $L * grad * grad", at(vv), t.literal(o.beta2()), at(vv), t.literal(1 - o.beta2()))
                .addStatement("$T denom = $L / bias2Root + $L", t.scalar(), t.cast(CodeBlock.of("Math.sqrt($L)", at(vv))),
                        t.literal(o.eps()))
                .addStatement("$L -= stepSize * $L / denom", at(p), at(mv)).build();
    }

    private static String at(Var v) {
        return v.isScalar() ? v.name() : v.shape().rank() == 1 ? v.name() + "[i]" : v.name() + "[i][j]";
    }

    private static CodeBlock elements(Var p, CodeBlock body) {
        if (p.isScalar()) {
            return body;
        }
        CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
        if (p.shape().rank() == 2) {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", p.shape().dim(1));
        }
        b.add(body);
        if (p.shape().rank() == 2) {
            b.endControlFlow();
        }
        return b.endControlFlow().build();
    }
}
