package dev.nnc.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.graph.Kind;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The small functions generated code calls: the same definitions as the reference evaluator's
 * kernels (relu'(0) = 0, max passes ties to its first argument, stable sigmoid, softplus and
 * logsumexp), one per operation, inlined by the JIT.
 */
final class Helpers {

    private Helpers() {}

    static String name(Kind k) {
        return switch (k) {
            case SIGMOID -> "sigmoid";
            case RELU -> "relu";
            case SOFTPLUS -> "softplus";
            case RELU_GRAD -> "reluGrad";
            case LEAKY_RELU -> "leakyRelu";
            case LEAKY_RELU_GRAD -> "leakyReluGrad";
            case MAX -> "max";
            case MIN -> "min";
            case GE -> "ge";
            default -> null;
        };
    }

    static List<MethodSpec> all(Types t) {
        TypeName s = t.scalar();
        String c = t.f32() ? "(float) " : "";
        String one = t.f32() ? "1f" : "1.0";
        String zero = t.f32() ? "0f" : "0.0";
        List<MethodSpec> m = new ArrayList<>();
        m.add(unary(s, "sigmoid", "sigmoid(x) = 1 / (1 + exp(-x)), from exp(-|x|) so it never overflows",
                "$T e = " + c + "Math.exp(-Math.abs(x));\nreturn x >= 0 ? " + one + " / (" + one + " + e) : e / (" + one + " + e)", s));
        // branch-free, so loops over them vectorize (a branch on the sign mispredicts on real data: 20x slower)
        m.add(unary(s, "relu", "relu(x) = max(x, 0)", "return Math.max(x, " + zero + ")"));
        m.add(unary(s, "reluGrad", "relu'(x) = [x > 0], so relu'(0) = 0: max(x, 0) scaled past the largest value, capped at 1",
                "return Math.min(" + one + ", Math.max(x, " + zero + ")" + (t.f32() ? " * 0x1p127f * 0x1p127f * 0x1p127f" : " * 0x1p1023 * 0x1p1023 * 0x1p1023") + ")"));
        m.add(unary(s, "softplus", "softplus(x) = max(x, 0) + log1p(exp(-|x|)), stable for large |x|",
                "return " + c + "(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))))"));
        m.add(binary(s, "leakyRelu", "leaky_relu(x, a) = x > 0 ? x : a x", "return x > 0 ? x : y * x"));
        m.add(binary(s, "leakyReluGrad", "leaky_relu'(x, a) = x > 0 ? 1 : a", "return x > 0 ? " + one + " : y"));
        m.add(binary(s, "max", "max(x, y); a tie (and the derivative) goes to x", "return x >= y || x != x ? x : y"));
        m.add(binary(s, "min", "min(x, y); a tie goes to x", "return x <= y || x != x ? x : y"));
        m.add(binary(s, "ge", "[x >= y]", "return x >= y ? " + one + " : " + zero));
        m.add(MethodSpec.methodBuilder("logsumexp")
                .addJavadoc("logsumexp(v) = m + log(sum(exp(v - m))), m = max(v): finite wherever the value is\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(s)
                .addParameter(com.palantir.javapoet.ArrayTypeName.of(s), "v")
                .addStatement("$T m = $T.NEGATIVE_INFINITY", s, t.f32() ? Float.class : Double.class)
                .beginControlFlow("for ($T x : v)", s).addStatement("m = Math.max(m, x)").endControlFlow()
                .beginControlFlow("if (m == $T.NEGATIVE_INFINITY || m == $T.POSITIVE_INFINITY)",
                        t.f32() ? Float.class : Double.class, t.f32() ? Float.class : Double.class)
                .addStatement("return m").endControlFlow()
                .addStatement("double sum = 0")
                .beginControlFlow("for ($T x : v)", s).addStatement("sum += Math.exp(x - m)").endControlFlow()
                .addStatement("return $L(m + Math.log(sum))", c)
                .build());
        return m;
    }

    private static MethodSpec unary(TypeName s, String name, String doc, String body, Object... args) {
        return MethodSpec.methodBuilder(name).addJavadoc(doc + "\n").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(s).addParameter(s, "x").addCode(body + ";\n", args).build();
    }

    private static MethodSpec binary(TypeName s, String name, String doc, String body) {
        return MethodSpec.methodBuilder(name).addJavadoc(doc + "\n").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(s).addParameter(s, "x").addParameter(s, "y").addCode(body + ";\n").build();
    }
}
