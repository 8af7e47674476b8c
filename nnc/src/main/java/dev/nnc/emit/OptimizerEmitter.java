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

    /** Whether the dry run calls the Vector API's row tests ({@code NncGemmVector.sgdFinite} ...). */
    private final boolean vector;

    OptimizerEmitter(Types t, TrainConfig.Optimizer optimizer) {
        this(t, optimizer, false);
    }

    OptimizerEmitter(Types t, TrainConfig.Optimizer optimizer, boolean vector) {
        this.t = t;
        this.o = optimizer;
        this.vector = vector;
    }

    MethodSpec update(List<Var> params, List<Var> grads) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("update").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                .addJavadoc("One optimizer step from the mean gradients in the d* buffers, which it leaves zero.\n");
        if (o.kind() == TrainConfig.Optimizer.Kind.ADAM) {
            m.addStatement("step++");
            biasCorrections(m, "step");
        }
        for (int k = 0; k < params.size(); k++) {
            m.addCode(elements(params.get(k), step(params.get(k), grads.get(k), true)));
        }
        // the gradients were cleared as they were read: the next mini-batch starts from zero without a pass of its own
        return m.addStatement("gradientsStale = false").build();
    }

    /**
     * The same step, computed and not stored: the first parameter one of whose new values would not be
     * finite, or -1. The driver asks before every update, so an overflowing step is never applied and
     * the weights stay those of the last finite step.
     */
    MethodSpec nonFiniteStep(List<Var> params, List<Var> grads) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("nonFiniteStep").addModifiers(Modifier.PUBLIC)
                .addAnnotation(Override.class).returns(int.class);
        if (o.kind() == TrainConfig.Optimizer.Kind.ADAM) {
            biasCorrections(m, "(step + 1)");
        }
        for (int k = 0; k < params.size(); k++) {
            Var p = params.get(k);
            if (p.isScalar()) {
                m.addCode(elements(p, step(p, grads.get(k), false).toBuilder()
                        .beginControlFlow("if (!$L(next))", t.f32() ? "Float.isFinite" : "Double.isFinite")
                        .addStatement("return $L", k).endControlFlow().build()));
            } else if (vector) {
                vectorCheck(m, p, grads.get(k), k);
            } else {
                // the largest |new value| of each row: NaN or infinity when one is not finite (Math.max keeps
                // a NaN); a max reduction the JIT vectorizes, where a test of every element would not be.
                // The inner loop's index is the one the update's element loop gives that position (at).
                boolean matrix = p.shape().rank() == 2;
                String index = matrix ? "j" : "i";
                if (matrix) {
                    m.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
                } else {
                    m.addCode("{\n$>");
                }
                m.addStatement("$T worst = 0", t.scalar());
                m.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, p.shape().dim(p.shape().rank() - 1), index);
                m.addCode(step(p, grads.get(k), false));
                m.addStatement("worst = Math.max(worst, Math.abs(next))");
                m.endControlFlow();
                m.beginControlFlow("if (!(worst <= $L))", t.f32() ? "Float.MAX_VALUE" : "Double.MAX_VALUE")
                        .addStatement("return $L", k).endControlFlow();
                if (matrix) {
                    m.endControlFlow();
                } else {
                    m.addCode("$<}\n");
                }
            }
        }
        return m.addStatement("return -1").build();
    }

    /** The dry run of one parameter with the Vector API: a row test per row ({@code NncGemmVector.*Finite}). */
    private void vectorCheck(MethodSpec.Builder m, Var p, Var g, int k) {
        boolean matrix = p.shape().rank() == 2;
        String row = matrix ? "[i]" : "";
        int n = p.shape().dim(p.shape().rank() - 1);
        CodeBlock call;
        if (o.kind() == TrainConfig.Optimizer.Kind.ADAM) {
            call = CodeBlock.of("$T.adamFinite($N$L, $N$L, m_$N$L, v_$N$L, $L, $L, $L, $L, stepSize, bias2Root, $L, $L)",
                    Runtime.GEMM_VECTOR, p.name(), row, g.name(), row, p.name(), row, p.name(), row, t.literal(o.beta1()), t.literal(1 - o.beta1()),
                    t.literal(o.beta2()), t.literal(1 - o.beta2()), t.literal(o.eps()), n);
        } else if (o.momentum() != 0) {
            call = CodeBlock.of("$T.momentumFinite($N$L, $N$L, m_$N$L, $L, lr, $L)", Runtime.GEMM_VECTOR, p.name(), row,
                    g.name(), row, p.name(), row, t.literal(o.momentum()), n);
        } else {
            call = CodeBlock.of("$T.sgdFinite($N$L, $N$L, lr, $L)", Runtime.GEMM_VECTOR, p.name(), row, g.name(), row, n);
        }
        if (matrix) {
            m.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().dim(0));
        }
        m.beginControlFlow("if (!$L)", call).addStatement("return $L", k).endControlFlow();
        if (matrix) {
            m.endControlFlow();
        }
    }

    private void biasCorrections(MethodSpec.Builder m, String step) {
        m.addStatement("double bias1 = 1 - Math.pow($L, $L)", o.beta1(), step);
        m.addStatement("double bias2 = 1 - Math.pow($L, $L)", o.beta2(), step);
        m.addStatement("$T stepSize = $L", t.scalar(), t.cast(CodeBlock.of("(lr / bias1)")));
        m.addStatement("$T bias2Root = $L", t.scalar(), t.cast(CodeBlock.of("Math.sqrt(bias2)")));
    }

    /**
     * One element's step: the new optimizer state and weight {@code next}, then stored (with the
     * gradient cleared) when {@code store}, else left for the caller to test.
     */
    private CodeBlock step(Var p, Var g, boolean store) {
        CodeBlock.Builder b = CodeBlock.builder();
        Var mv = new Var("m_" + p.name(), p.shape(), Var.Role.TEMP);
        Var vv = new Var("v_" + p.name(), p.shape(), Var.Role.TEMP);
        List<String> stores = new java.util.ArrayList<>();
        if (o.kind() == TrainConfig.Optimizer.Kind.ADAM) {
            b.addStatement("$T grad = $L", t.scalar(), at(g));
            b.addStatement("$T mNext = $L * $L + $L * grad", t.scalar(), t.literal(o.beta1()), at(mv), t.literal(1 - o.beta1()));
            b.addStatement("$T vNext = $L * $L + $L * grad * grad", t.scalar(), t.literal(o.beta2()), at(vv),
                    t.literal(1 - o.beta2()));
            b.addStatement("$T denom = $L / bias2Root + $L", t.scalar(), t.cast(CodeBlock.of("Math.sqrt(vNext)")), t.literal(o.eps()));
            b.addStatement("$T next = $L - stepSize * mNext / denom", t.scalar(), at(p));
            stores.add(at(mv) + " = mNext");
            stores.add(at(vv) + " = vNext");
        } else if (o.momentum() != 0) {
            b.addStatement("$T mNext = $L * $L + $L", t.scalar(), t.literal(o.momentum()), at(mv), at(g));
            b.addStatement("$T next = $L - lr * mNext", t.scalar(), at(p));
            stores.add(at(mv) + " = mNext");
        } else {
            b.addStatement("$T next = $L - lr * $L", t.scalar(), at(p), at(g));
        }
        if (!store) {
            return b.build(); // the caller tests next
        }
        stores.add(at(p) + " = next");
        stores.add(at(g) + " = 0");
        stores.forEach(st -> b.addStatement("$L", st));
        return b.build();
    }

    private static String at(Var v) {
        return v.isScalar() ? v.name() : v.shape().rank() == 1 ? v.name() + "[i]" : v.name() + "[i][j]";
    }

    private static CodeBlock elements(Var p, CodeBlock body) {
        if (p.isScalar()) {
            // a block of its own, so each scalar's step can declare the same locals
            return CodeBlock.builder().add("{\n$>").add(body).add("$<}\n").build();
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
